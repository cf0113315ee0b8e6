"""Question types: the registry, matching and fill-in-the-blank from file to review, old snapshots."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from elearn.catalog import load_catalog
from elearn.catalog.model import Quiz
from elearn.config import PROJECT_ROOT
from elearn.extensions import db
from elearn.models import Attempt
from elearn.quiz.attempts import build_snapshot, draw
from elearn.quiz.snapshot import ShownQuestion, Snapshot
from elearn.quiz.types import grade, question_type, registered
from elearn.quiz.types.base import QuestionType
from tests.conftest import FIXTURES, csrf_token, login
from tests.factories import make_user
from tests.quiz_helpers import form_for, start, submit
from tests.test_catalog_load import codes_of, lesson, write_course

TYPES_COURSES = FIXTURES / "courses" / "types"
QUIZ = "/kursus/jenis-soal/nilai-dasar/kuis"
LESSON = load_catalog(TYPES_COURSES).course("jenis-soal").lessons[0]
MATCHING, CLOZE, CLOZE_NUMBER, TRUE_FALSE = LESSON.quiz.questions


@pytest.fixture
def app_config():
    return {"COURSES_DIR": str(TYPES_COURSES)}


# --- the registry ---------------------------------------------------------------------------------


def test_every_type_has_its_template_with_both_macros_and_every_method():
    for qtype in registered():
        template = PROJECT_ROOT / "templates" / qtype.template
        text = template.read_text()
        assert "{% macro take(q, i, saved, number) %}" in text and "{% macro review(q, item, reveal) %}" in text
        for method in ("parse", "read_response", "score"):
            assert getattr(type(qtype), method) is not getattr(QuestionType, method), f"{qtype.name}.{method}"
        assert qtype.label


# --- matching ---------------------------------------------------------------------------------------


def test_matching_reads_pairs_and_distractors():
    assert MATCHING.type == "matching" and MATCHING.points == 3
    assert MATCHING.options == ("Berorientasi Pelayanan", "Akuntabel", "Kompeten")
    assert MATCHING.correct[1] == "Menggunakan kekayaan negara secara bertanggung jawab"
    assert MATCHING.as_dict()["distractors"] == ["Mengutamakan kepentingan kelompok sendiri"]


@pytest.mark.parametrize(
    ("quiz", "code"),
    [
        ("### J\n- a => 1\n", "matching-too-few-pairs"),
        ("### J\n- a => 1\n- a => 2\n", "matching-left-duplicate"),
        ("### J\n- a => 1\n- b => 2\n- c\n", "matching-item-without-pair"),
        ("### J\n- a => 1\n- b =>\n", "matching-right-empty"),
        ("### J\n- a => 1\n- (x) b\n", "question-mixed-answers"),
    ],
)
def test_matching_problems_are_reported(tmp_path, quiz, code):
    write_course(tmp_path, {"01-a.md": lesson(quiz)})
    assert code in [found for _, _, found in codes_of(tmp_path)], codes_of(tmp_path)


def test_matching_is_shown_with_the_right_side_shuffled_and_never_lined_up():
    qtype = question_type("matching")
    for seed in range(30):
        shown = qtype.show(MATCHING, shuffle=False, rng=random.Random(seed))
        assert shown.options == list(MATCHING.options_html)
        assert len(shown.extra["choices_html"]) == 4  # three right-hand items and the distractor
        assert shown.correct != [0, 1, 2]
        for row, left in enumerate(MATCHING.options):
            right = MATCHING.correct[MATCHING.options.index(left)]
            assert shown.extra["choices_text"][shown.correct[row]] == right


def test_matching_responses_drop_tampered_values_and_score_per_pair():
    qtype = question_type("matching")
    shown = qtype.show(MATCHING, shuffle=False, rng=random.Random(1))
    right = {str(row): [str(c)] for row, c in enumerate(shown.correct)}
    assert qtype.read_response(shown, right) == shown.correct
    two = {**right, "2": [str((shown.correct[2] + 1) % 4)]}
    assert grade(shown, qtype.read_response(shown, two)).points == 2.0  # 3 points x 2 of 3 pairs
    assert qtype.read_response(shown, {**right, "0": ["9"]})[0] is None  # no such choice
    assert qtype.read_response(shown, {**right, "1": ["-1"]})[1] is None
    assert qtype.read_response(shown, {"0": ["1"], "1": ["2"]}) is None  # a row missing: tampered
    assert qtype.read_response(shown, {"0": [""], "1": [""], "2": [""]}) is None
    review = qtype.review(shown, qtype.read_response(shown, two))
    assert [row["ok"] for row in review["rows"]] == [True, True, False]


# --- fill in the blank --------------------------------------------------------------------------------


def test_cloze_reads_text_and_number_blanks():
    assert CLOZE.type == "cloze" and CLOZE.correct == (("KPK", "Komisi Pemberantasan Korupsi"), (30, 0))
    assert CLOZE.extra["kinds"] == ["text", "number"]
    assert CLOZE_NUMBER.correct == ((37.5, 0.5),) and CLOZE_NUMBER.id == "q-jam"
    assert "KPK" not in "".join(CLOZE.extra["segments"]) and len(CLOZE.extra["segments"]) == 3


@pytest.mark.parametrize(
    ("quiz", "code"),
    [
        ("### Isi [[]] ini.\n", "cloze-blank-empty"),
        ("### Isi [[a|]] ini.\n", "cloze-blank-empty"),
        ("### Tanpa isian\n\nTeks saja.\n", "question-no-answers"),
    ],
)
def test_cloze_problems_are_reported(tmp_path, quiz, code):
    write_course(tmp_path, {"01-a.md": lesson(quiz)})
    assert code in [found for _, _, found in codes_of(tmp_path)], codes_of(tmp_path)


def test_cloze_without_an_id_does_not_put_its_answers_in_the_id(tmp_path):
    write_course(tmp_path, {"01-a.md": lesson("### Ibu kota DIY adalah [[Yogyakarta]].\n")})
    question = load_catalog(tmp_path).course("uji").lessons[0].quiz.questions[0]
    assert "yogyakarta" not in question.id


@pytest.mark.parametrize(
    ("typed", "points"),
    [
        (["kpk", "30"], 2.0),
        (["Komisi  Pemberantasan Korupsi", "30"], 2.0),
        (["KPK", "31"], 1.0),
        (["polisi", "30 hari"], 0.0),  # 'hari' is not the blank's unit: not a number
        (["", ""], 0.0),
    ],
)
def test_cloze_scores_each_blank(typed, points):
    qtype = question_type("cloze")
    shown = qtype.show(CLOZE, shuffle=True, rng=random.Random(1))
    response = qtype.read_response(shown, {str(i): [text] for i, text in enumerate(typed)})
    assert grade(shown, response).points == points


def test_cloze_numbers_are_read_the_indonesian_way_with_tolerance():
    qtype = question_type("cloze")
    shown = qtype.show(CLOZE_NUMBER, shuffle=True, rng=random.Random(1))
    for typed, right in (("37,5", True), ("37.5", True), ("37,9", True), ("38,1", False), ("tiga", False)):
        assert grade(shown, qtype.read_response(shown, {"0": [typed]})).correct is right, typed
    assert len(qtype.read_response(shown, {"0": ["x" * 999]})[0]) == 200


# --- the engine with the new types --------------------------------------------------------------------


def test_a_quiz_with_the_new_types_is_taken_and_graded_with_partial_credit(client, login_as):
    login_as()
    attempt = start(client, QUIZ)
    assert [q.type for q in attempt.questions] == ["matching", "cloze", "cloze", "single"]
    data = form_for(attempt)
    data["a0-0"] = str((attempt.questions[0].correct[0] + 1) % 4)  # one pair of three wrong
    data["a1-1"] = "29"  # one blank of two wrong
    data["csrf_token"] = csrf_token(client)
    client.post(f"/kuis/{attempt.id}/kirim", data=data)
    db.session.refresh(attempt)
    assert attempt.points == pytest.approx(2 + 1 + 1 + 1)  # 7 points in all
    html = client.get(f"/kuis/{attempt.id}/hasil").get_data(as_text=True)
    assert "Sebagian benar" in html and "(jawaban Anda: salah)" in html


def test_the_new_types_never_reach_the_browser_before_submission(client, login_as):
    login_as()
    attempt = start(client, QUIZ)
    html = client.get(f"/kuis/{attempt.id}").get_data(as_text=True)
    for secret in ("KPK", "Komisi Pemberantasan", "37,5", "Setiap nilai dasar punya", "Laporan gratifikasi"):
        assert secret not in html
    # The right-hand items are the choices, but their order says nothing of the pairs.
    shown = attempt.questions[0]
    options = re.findall(r'<select name="a0-(\d)".*?</select>', html, re.DOTALL)
    assert options == ["0", "1", "2"] and shown.correct != [0, 1, 2]


def test_autosave_and_reload_keep_matching_and_blank_answers(client, login_as):
    login_as()
    attempt = start(client, QUIZ)
    data = {"csrf_token": csrf_token(client), "attempt_token": attempt.token, "q": ["0", "1"]}
    data.update({"a0-0": "2", "a0-1": "", "a0-2": "1", "a1-0": "KPK", "a1-1": ""})
    assert client.post(f"/kuis/{attempt.id}/simpan", data=data).status_code == 200
    html = client.get(f"/kuis/{attempt.id}").get_data(as_text=True)
    assert re.search(r'name="a0-0".*?value="2" selected', html, re.DOTALL)
    assert 'name="a1-0" value="KPK"' in html


# --- the post-test draws what the pre-test did not show ----------------------------------------------------


def test_the_draw_takes_unseen_questions_first():
    exam = load_catalog(FIXTURES / "courses" / "valid").course("layanan-dasar").exam  # 4 in the pool, 3 drawn
    ids = [q.id for q in exam.questions]
    for seed in range(20):
        seen = frozenset(ids[:3])
        drawn = [q.id for q in draw(exam, random.Random(seed), seen)]
        assert len(drawn) == 3 and ids[3] in drawn
    bigger = Quiz(questions=exam.questions, questions_per_attempt=2)
    assert {q.id for q in draw(bigger, random.Random(1), frozenset(ids[:2]))} == set(ids[2:])


def test_a_posttest_includes_the_question_the_pretest_did_not_show(app_factory):
    from tests.test_quiz import finish_lessons

    app = app_factory(COURSES_DIR=str(FIXTURES / "courses" / "valid"))
    with app.app_context():
        client = app.test_client()
        login(client, make_user().nip)
        pre = start(client, "/kursus/layanan-dasar/ujian/pre-test")
        submit(client, pre, right=False)
        finish_lessons(client)
        post = start(client, "/kursus/layanan-dasar/ujian/post-test")
        all_ids = {"e-ibukota", "e-kapanewon", "e-pi", "e-nilai"}
        unseen = all_ids - {q.id for q in pre.questions}
        assert unseen <= {q.id for q in post.questions}


# --- attempts written before the snapshot had a version ---------------------------------------------------

V1_SNAPSHOT = {
    "questions": [
        {
            "id": "q-fungsi",
            "type": "single",
            "points": 1,
            "prompt_html": "<p>Apa fungsi matriks?</p>",
            "options": ["Menghitung lembur", "Memilah tugas"],
            "explanation_html": "<p>Memilah menurut penting dan mendesak.</p>",
            "correct": [1],
            "feedback": ["Lembur dicatat kepegawaian.", None],
        },
        {
            "id": "q-urut",
            "type": "ordering",
            "points": 2,
            "prompt_html": "<p>Urutkan.</p>",
            "options": ["Solusi", "Masalah", "Penyebab"],
            "explanation_html": None,
            "correct": [3, 1, 2],
            "answer_html": ["Masalah", "Penyebab", "Solusi"],
        },
        {
            "id": "q-jp",
            "type": "numeric",
            "points": 1,
            "prompt_html": "<p>Berapa JP?</p>",
            "options": [],
            "explanation_html": None,
            "correct": [20, 0],
        },
    ]
}


def test_snapshots_written_before_versioning_load_grade_and_review_as_before(app, client, login_as):
    user = login_as()
    loaded = Snapshot.from_json(V1_SNAPSHOT)
    assert loaded.version == 1 and loaded.questions[1].extra == {"answer_html": ["Masalah", "Penyebab", "Solusi"]}
    assert loaded.questions[0].feedback == ["Lembur dicatat kepegawaian.", None]
    attempt = Attempt(
        user_id=user.id,
        course_id="layanan-dasar",
        quiz_id="prioritas",
        kind="quiz",
        title="Kuis: Prioritas Kerja",
        status="open",
        snapshot=V1_SNAPSHOT,
        pass_score=60,
        max_points=4,
    )
    db.session.add(attempt)
    db.session.commit()
    data = {"csrf_token": csrf_token(client), "attempt_token": attempt.token, "q": ["0", "1", "2"]}
    data.update({"a0": "0", "a1-0": "3", "a1-1": "1", "a1-2": "2", "a2": "20"})
    client.post(f"/kuis/{attempt.id}/kirim", data=data)
    db.session.refresh(attempt)
    assert attempt.points == 3 and attempt.snapshot == V1_SNAPSHOT  # the stored snapshot is untouched
    html = client.get(f"/kuis/{attempt.id}/hasil").get_data(as_text=True)
    assert "Lembur dicatat kepegawaian." in html  # the feedback of the option picked


def test_a_new_snapshot_is_versioned_and_round_trips():
    snapshot = build_snapshot(LESSON.quiz, random.Random(3))
    data = snapshot.to_json()
    assert data["version"] == 2
    again = Snapshot.from_json(data)
    assert again == snapshot and all(isinstance(q, ShownQuestion) for q in again.questions)


def test_the_guide_and_the_reference_document_every_type():
    reference = (PROJECT_ROOT / "docs" / "course-format.md").read_text()
    for qtype in registered():
        assert f"`{qtype.name}`" in reference, qtype.name
    assert Path(PROJECT_ROOT / "docs" / "authoring.md").read_text().count("course-format.md") >= 1
