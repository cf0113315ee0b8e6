"""The reaction survey after a course: its items file, who is asked when, anonymous answers,
the rule that fewer than 5 answers show nothing, and the figures against values worked out by hand."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from sqlalchemy import inspect

from elearn.config import PROJECT_ROOT
from elearn.evaluation.models import SurveyAnswer, SurveyResponse, SurveyStatus
from elearn.evaluation.responses import (
    MIN_RESPONSES,
    FormResult,
    item_figures,
    reaction_by_unit,
    reaction_summary,
    record_answers,
    today,
)
from elearn.evaluation.survey import (
    COMMON_FILE,
    COURSE_FILE,
    DEFAULT_ITEMS,
    ItemKind,
    SurveyItem,
    check_survey_files,
    common_items,
    parse_items,
    survey_for,
)
from elearn.extensions import db
from elearn.library import current_catalog
from elearn.models import Completion
from tests.conftest import VALID_COURSES, login, post
from tests.factories import make_unit, make_user
from tests.test_queries import statements

COURSE = "layanan-dasar"
SURVEY = f"/kursus/{COURSE}/survei"
REPORT = f"/pelatih/{COURSE}/survei"
ALL_FIVE = {"relevansi": "5", "kejelasan": "4", "kuis": "4", "durasi": "3"}


def complete(user, course_id: str = COURSE) -> None:
    db.session.add(Completion(user_id=user.id, course_id=course_id, jp=2))
    db.session.commit()


def responses(course_id: str, unit, rows: list[dict[str, int | str]], month: date = date(2026, 11, 1)) -> None:
    """Store anonymous responses directly: each row maps item id to a score (int) or a text (str)."""
    for row in rows:
        response = SurveyResponse(course_id=course_id, unit_id=unit.id if unit else None, month=month)
        response.answers = [
            SurveyAnswer(item_id=k, score=v) if isinstance(v, int) else SurveyAnswer(item_id=k, text=v)
            for k, v in row.items()
        ]
        db.session.add(response)
    db.session.commit()


def count(model) -> int:
    return db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()


@pytest.fixture
def learner(client):
    user = make_user(name="Bambang Sutrisno", unit="Kapanewon Mlati")
    login(client, user.nip)
    return user


@pytest.fixture
def trainer(app):
    client = app.test_client()
    login(client, make_user(role="trainer", name="Dewi Pelatih", unit="BKPP Kabupaten Sleman").nip)
    return client


# --- the items file ------------------------------------------------------------------------


def test_the_shipped_items_file_is_valid_and_asks_the_issues_four_statements_and_one_open_question():
    items, problems = parse_items(PROJECT_ROOT / "courses" / COMMON_FILE)
    assert problems == []
    assert [(item.id, item.kind) for item in items] == [
        ("relevansi", ItemKind.LIKERT),
        ("kejelasan", ItemKind.LIKERT),
        ("kuis", ItemKind.LIKERT),
        ("durasi", ItemKind.LIKERT),
        ("saran", ItemKind.OPEN),
    ]


def test_the_shipped_courses_folder_passes_the_check_with_its_survey(runner):
    result = runner.invoke(args=["courses", "check", str(PROJECT_ROOT / "courses")])
    assert result.exit_code == 0, result.output
    assert "0 masalah" in result.output


def test_the_catalog_does_not_take_the_items_file_for_a_course(tmp_path):
    from elearn.catalog import load_catalog

    (tmp_path / COMMON_FILE).write_text("items:\n  - id: a\n    text: b\n", encoding="utf-8")
    catalog = load_catalog(tmp_path)
    assert catalog.courses == () and catalog.broken == () and catalog.problems == ()


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("items: [\n", 2, "berkas survei bukan YAML yang benar"),
        ("- id: a\n", 1, "harus berisi kunci 'items:'"),
        ("pertanyaan:\n  - id: a\n", 1, "kunci 'pertanyaan' tidak dikenal"),
        ("items: []\n", 1, "'items' harus berupa daftar"),
        ("items:\n  - id: a\n    text: b\n  - id: A b\n    text: c\n", 4, "id 'A b' hanya boleh berisi a-z"),
        ("items:\n  - id: a\n    text: b\n  - id: a\n    text: c\n", 4, "id 'a' sudah dipakai di baris 2"),
        ("items:\n  - id: a\n    type: skala\n    text: b\n", 2, "type 'skala' tidak dikenal"),
        ("items:\n  - id: a\n", 2, "pertanyaan ini tidak punya 'text:'"),
        ("items:\n  - id: a\n    text: b\n    warna: merah\n", 4, "kunci 'warna' tidak dikenal"),
        ("items:\n  - id: a\n    text: " + "x" * 301 + "\n", 2, "terlalu panjang (301 karakter"),
        ("items:\n  - just text\n", 2, "setiap pertanyaan harus berisi 'id:' dan 'text:'"),
    ],
)
def test_a_broken_items_file_is_reported_in_indonesian_with_its_line(tmp_path, text, line, message):
    path = tmp_path / COMMON_FILE
    path.write_text(text, encoding="utf-8")
    items, problems = parse_items(path)
    assert items == ()
    assert any(p.line == line and message in p.message for p in problems), problems


def test_a_file_that_is_not_utf8_is_a_problem_not_a_crash(tmp_path):
    path = tmp_path / COMMON_FILE
    path.write_bytes(b"items:\n  - id: a\n    text: \xff\xfe\n")
    assert parse_items(path)[1][0].message == "berkas bukan UTF-8: simpan ulang sebagai UTF-8 di penyunting teks Anda"


def test_a_missing_or_broken_common_file_falls_back_to_the_default_items(tmp_path):
    assert common_items(tmp_path) == DEFAULT_ITEMS
    (tmp_path / COMMON_FILE).write_text("items: [\n", encoding="utf-8")
    assert common_items(tmp_path) == DEFAULT_ITEMS
    (tmp_path / COMMON_FILE).write_text("items:\n  - id: satu\n    text: Pernyataan satu.\n", encoding="utf-8")
    assert [item.id for item in common_items(tmp_path)] == ["satu"]


def test_a_course_adds_its_own_items_after_the_common_ones_and_a_broken_course_file_is_left_out(tmp_path):
    course = tmp_path / "kursus-a"
    course.mkdir()
    (course / COURSE_FILE).write_text(
        "items:\n  - id: praktik\n    text: Saya akan memakai materi ini minggu depan.\n"
        "  - id: contoh\n    type: open\n    text: Contoh apa yang kurang?\n",
        encoding="utf-8",
    )
    survey = survey_for(course)
    assert [item.id for item in survey.items] == [*(item.id for item in DEFAULT_ITEMS), "praktik", "contoh"]
    assert [item.id for item in survey.likert][-1] == "praktik" and survey.items[-1].course_own
    (course / COURSE_FILE).write_text("items:\n  - id: praktik\n", encoding="utf-8")
    assert survey_for(course).items == DEFAULT_ITEMS


def test_the_checker_rejects_a_course_item_that_reuses_a_common_id(tmp_path):
    course = tmp_path / "kursus-a"
    course.mkdir()
    (course / COURSE_FILE).write_text("items:\n  - id: x\n    text: y\n  - id: relevansi\n    text: z\n")
    problems = check_survey_files(tmp_path, [str(course)])
    assert [(p.line, p.message) for p in problems] == [
        (4, "id 'relevansi' sudah dipakai survei umum (_survei.yaml): pilih id lain")
    ]


def test_flask_courses_check_reports_the_survey_files_and_fails(runner, tmp_path):
    import shutil

    courses = tmp_path / "courses"
    shutil.copytree(VALID_COURSES, courses)
    (courses / COMMON_FILE).write_text("items:\n  - id: a\n    type: bebas\n    text: b\n", encoding="utf-8")
    result = runner.invoke(args=["courses", "check", str(courses)])
    assert result.exit_code == 1
    assert f"{courses / COMMON_FILE}:2: type 'bebas' tidak dikenal" in result.output
    assert "1 masalah" in result.output.splitlines()[-1]


def test_a_broken_common_file_does_not_break_the_survey_page(editable_courses):
    app, courses = editable_courses
    (courses / COMMON_FILE).write_text("items: [\n", encoding="utf-8")
    client = app.test_client()
    user = make_user()
    complete(user)
    login(client, user.nip)
    html = client.get(SURVEY).get_data(as_text=True)
    assert all(item.text in html for item in DEFAULT_ITEMS)


# --- who is asked, and when ----------------------------------------------------------------


def test_the_survey_is_offered_only_after_completing_the_course(client, learner):
    assert "Isi survei" not in client.get("/").get_data(as_text=True)
    response = client.get(SURVEY)
    assert response.status_code == 302
    assert "setelah Anda menyelesaikan kursusnya" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert post(client, f"{SURVEY}/kirim", ALL_FIVE).status_code == 302
    assert count(SurveyResponse) == 0 and count(SurveyStatus) == 0
    complete(learner)
    for page in ("/", f"/kursus/{COURSE}/"):
        assert f'href="{SURVEY}"' in client.get(page).get_data(as_text=True), page


def test_answering_stores_one_anonymous_response_and_the_invitation_goes(client, learner):
    complete(learner)
    response = post(client, f"{SURVEY}/kirim", ALL_FIVE | {"saran": "  Contoh kasusnya dekat dengan pekerjaan.  "})
    assert response.status_code == 302
    assert "tersimpan tanpa nama" in client.get(response.headers["Location"]).get_data(as_text=True)
    stored = db.session.execute(db.select(SurveyResponse)).scalar_one()
    assert (stored.course_id, stored.unit_id, stored.month) == (COURSE, learner.unit_id, today().replace(day=1))
    answers = {a.item_id: (a.score, a.text) for a in stored.answers}
    assert answers == {
        "relevansi": (5, None),
        "kejelasan": (4, None),
        "kuis": (4, None),
        "durasi": (3, None),
        "saran": (None, "Contoh kasusnya dekat dengan pekerjaan."),
    }
    status = db.session.execute(db.select(SurveyStatus)).scalar_one()
    assert (status.user_id, status.state, status.skipped_on) == (learner.id, "answered", None)
    assert "Isi survei" not in client.get("/").get_data(as_text=True)
    again = client.get(SURVEY)
    assert "sudah mengisi survei" in client.get(again.headers["Location"]).get_data(as_text=True)


def test_a_double_submit_stores_one_response(client, learner):
    complete(learner)
    post(client, f"{SURVEY}/kirim", ALL_FIVE)
    second = post(client, f"{SURVEY}/kirim", ALL_FIVE | {"relevansi": "1"})
    assert "sudah mengisi survei" in client.get(second.headers["Location"]).get_data(as_text=True)
    assert count(SurveyResponse) == 1 and count(SurveyAnswer) == 4


def test_the_status_row_is_the_guard_even_when_the_check_before_it_is_passed(app, learner):
    complete(learner)
    answers = FormResult(scores={"relevansi": 4})
    assert record_answers(learner.id, learner.unit_id, COURSE, answers, today())
    assert not record_answers(learner.id, learner.unit_id, COURSE, answers, today())
    assert count(SurveyResponse) == 1


def test_missing_or_bad_answers_are_explained_and_what_was_given_is_kept(client, learner):
    complete(learner)
    form = {"relevansi": "4", "kejelasan": "9", "saran": "Lebih banyak latihan."}
    response = post(client, f"{SURVEY}/kirim", form)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert html.count("Pilih salah satu nilai dari 1 sampai 5.") == 3  # kejelasan, kuis, durasi
    assert 'name="relevansi" value="4" required checked' in html
    assert "Lebih banyak latihan.</textarea>" in html
    assert count(SurveyResponse) == 0 and count(SurveyStatus) == 0
    too_long = post(client, f"{SURVEY}/kirim", ALL_FIVE | {"saran": "a" * 2001})
    assert too_long.status_code == 422 and "Jawaban terlalu panjang (2001 karakter" in too_long.get_data(as_text=True)
    assert count(SurveyResponse) == 0


def test_skipping_asks_once_more_a_day_later_and_never_after_a_second_skip(client, learner):
    complete(learner)
    response = post(client, f"{SURVEY}/lewati", {"kembali": "beranda"})
    assert response.headers["Location"] == "/"
    home = client.get("/").get_data(as_text=True)
    assert "sekali lagi lain hari" in home and f'href="{SURVEY}"' not in home  # not again the same day
    status = db.session.execute(db.select(SurveyStatus)).scalar_one()
    assert (status.state, status.skipped_on) == ("skipped_once", today())
    status.skipped_on = today() - timedelta(days=1)
    db.session.commit()
    assert f'href="{SURVEY}"' in client.get("/").get_data(as_text=True)
    post(client, f"{SURVEY}/lewati")
    assert db.session.execute(db.select(SurveyStatus.state)).scalar_one() == "skipped_twice"
    db.session.execute(db.update(SurveyStatus).values(skipped_on=today() - timedelta(days=30)))
    db.session.commit()
    for page in ("/", f"/kursus/{COURSE}/"):
        assert f'href="{SURVEY}"' not in client.get(page).get_data(as_text=True)
    assert count(SurveyResponse) == 0


def test_the_form_can_still_be_answered_after_skipping(client, learner):
    complete(learner)
    post(client, f"{SURVEY}/lewati")
    post(client, f"{SURVEY}/kirim", ALL_FIVE)
    status = db.session.execute(db.select(SurveyStatus)).scalar_one()
    assert (status.state, status.skipped_on) == ("answered", None)
    assert count(SurveyResponse) == 1
    post(client, f"{SURVEY}/lewati")  # a late skip changes nothing
    assert db.session.execute(db.select(SurveyStatus.state)).scalar_one() == "answered"


def test_the_back_field_names_a_page_and_never_takes_a_url(client, learner):
    complete(learner)
    response = post(client, f"{SURVEY}/lewati", {"kembali": "https://contoh.test/"})
    assert response.headers["Location"] == f"/kursus/{COURSE}/"


def test_unknown_courses_are_404(client, learner):
    assert client.get("/kursus/tidak-ada/survei").status_code == 404
    assert post(client, "/kursus/tidak-ada/survei/kirim", ALL_FIVE).status_code == 404
    assert post(client, "/kursus/tidak-ada/survei/lewati").status_code == 404


def test_get_pages_write_nothing(client, learner):
    complete(learner)
    for url in ("/", f"/kursus/{COURSE}/", SURVEY):
        client.get(url)
        with statements() as sent:
            assert client.get(url).status_code == 200
        assert not [s for s in sent if s.lstrip().split()[0].upper() in ("INSERT", "UPDATE", "DELETE")], url


# --- anonymity -----------------------------------------------------------------------------


def test_a_response_row_holds_nothing_that_names_or_orders_a_person(app):
    columns = {c["name"]: c for c in inspect(db.engine).get_columns("survey_responses")}
    assert set(columns) == {"id", "course_id", "unit_id", "month"}
    foreign = {fk["referred_table"] for fk in inspect(db.engine).get_foreign_keys("survey_responses")}
    assert foreign == {"units"}
    assert set(c["name"] for c in inspect(db.engine).get_columns("survey_answers")) == {
        "response_id",
        "item_id",
        "score",
        "text",
    }
    status_columns = {c["name"] for c in inspect(db.engine).get_columns("survey_status")}
    assert status_columns == {"id", "user_id", "course_id", "state", "skipped_on"}
    unit = make_unit()
    responses(COURSE, unit, [{"relevansi": 4}] * 3)
    ids = db.session.execute(db.select(SurveyResponse.id)).scalars().all()
    assert len(set(ids)) == 3 and all(len(i) == 32 and not i.isdigit() for i in ids)  # random, not a sequence


def test_no_page_links_an_answer_to_the_person_who_gave_it(app, client, trainer):
    """Six learners answer; the report, the learners' own pages and the admin's show no link between them."""
    people = [make_user(name=f"Peserta Nomor{i}", unit="Kapanewon Godean") for i in range(6)]
    texts = [f"Masukan khas ke-{i} tentang kursus." for i in range(6)]
    for person, text in zip(people, texts, strict=True):
        other = app.test_client()
        login(other, person.nip)
        complete(person)
        assert post(other, f"{SURVEY}/kirim", ALL_FIVE | {"saran": text}).status_code == 302
        own_pages = "".join(other.get(url).get_data(as_text=True) for url in ("/", "/catatan", f"/kursus/{COURSE}/"))
        assert text not in own_pages
    response_ids = db.session.execute(db.select(SurveyResponse.id)).scalars().all()
    admin = app.test_client()
    login(admin, make_user(role="admin", name="Admin BKPP", unit="BKPP Kabupaten Sleman").nip)
    html = trainer.get(REPORT).get_data(as_text=True)
    assert all(text in html for text in texts)
    pages = [html]
    for url in [REPORT, "/admin/log", "/atasan"] + [f"/atasan/pegawai/{p.id}" for p in people]:
        pages.append(admin.get(url).get_data(as_text=True))
    for page in pages:  # a page may name the learners or show their answers, never both
        names_someone = any(p.nip in page or p.name in page for p in people)
        assert not (names_someone and any(text in page for text in texts))
        assert not any(rid in page for rid in response_ids)
    # The open answers come in alphabetical order, never in the order given.
    assert [html.index(t) for t in sorted(texts)] == sorted(html.index(t) for t in texts)


def test_open_answers_are_escaped(trainer):
    unit = make_unit()
    rows = [{"relevansi": 4, "saran": "<script>alert(1)</script>"}] + [{"relevansi": 3}] * 4
    responses(COURSE, unit, rows)
    html = trainer.get(REPORT).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- the small-count rule and the figures --------------------------------------------------


def test_fewer_than_five_responses_show_no_breakdown_and_no_open_answers(app, trainer):
    assert MIN_RESPONSES == 5  # the issue's rule
    unit = make_unit()
    responses(COURSE, unit, [{"relevansi": 5, "kejelasan": 1, "saran": "Jawaban rahasia kecil."}] * 4)
    summary = reaction_summary(COURSE, survey=survey_for(current_catalog().course(COURSE).path))
    assert summary.responses == 4 and not summary.shown and summary.open_answers == {}
    assert all(not item.shown and item.mean is None and item.distribution is None for item in summary.items)
    html = trainer.get(REPORT).get_data(as_text=True)
    assert "Belum ada rangkuman: baru 4 jawaban" in html
    assert "Jawaban rahasia kecil." not in html and "Rata-rata" not in html.split("Per unit kerja")[0]
    responses(COURSE, unit, [{"relevansi": 5, "kejelasan": 1}])
    assert reaction_summary(COURSE).shown


def test_an_item_answered_fewer_than_five_times_shows_no_figures_even_in_a_large_group(app):
    unit = make_unit()
    responses(COURSE, unit, [{"relevansi": 4}] * 6 + [{"relevansi": 4, "baru": 5}] * 4)
    items = {s.item.id: s for s in reaction_summary(COURSE).items}
    assert items["relevansi"].shown and items["relevansi"].n == 10
    assert not items["baru"].shown and items["baru"].n == 4 and items["baru"].mean is None


def test_the_figures_match_values_worked_out_by_hand(app):
    """relevansi 5,4,4,3,5,2: n 6, mean 23/6 = 3.8333, squares about the mean 41/6 = 6.8333,
    sample SD sqrt(6.8333 / 5) = 1.1690, distribution 0,1,1,2,2. kuis all 4: SD 0."""
    unit = make_unit()
    scores = [5, 4, 4, 3, 5, 2]
    responses(COURSE, unit, [{"relevansi": s, "kuis": 4} for s in scores])
    responses("kursus-lain", unit, [{"relevansi": 1}] * 6)  # another course counts nowhere here
    items = {s.item.id: s for s in reaction_summary(COURSE).items}
    relevance = items["relevansi"]
    assert relevance.n == 6 and relevance.distribution == (0, 1, 1, 2, 2)
    assert relevance.mean == pytest.approx(3.8333, abs=1e-4)
    assert relevance.sd == pytest.approx(1.1690, abs=1e-4)
    assert relevance.percents == pytest.approx((0, 16.667, 16.667, 33.333, 33.333), abs=1e-3)
    assert (items["kuis"].mean, items["kuis"].sd, items["kuis"].distribution) == (4, 0, (0, 0, 0, 6, 0))


def test_item_figures_on_their_own():
    item = SurveyItem("x", ItemKind.LIKERT, "x")
    assert item_figures(item, [1, 1, 1, 1, 1]).mean == 3
    assert item_figures(item, [1, 1, 1, 1, 1]).sd == pytest.approx(math.sqrt(2.5))
    assert not item_figures(item, [0, 0, 4, 0, 0]).shown


def test_units_below_five_responses_show_no_means_and_unit_filters_apply(app, trainer):
    big, small = make_unit("Dinas Pendidikan"), make_unit("Kapanewon Turi")
    responses(COURSE, big, [{"relevansi": 5}, {"relevansi": 4}, {"relevansi": 4}, {"relevansi": 3}, {"relevansi": 4}])
    responses(COURSE, small, [{"relevansi": 1}] * 3)
    units = {u.name: u for u in reaction_by_unit(COURSE)}
    assert units["Dinas Pendidikan"].responses == 5 and units["Dinas Pendidikan"].means == {"relevansi": 4.0}
    assert units["Kapanewon Turi"].responses == 3 and units["Kapanewon Turi"].means == {}
    assert not reaction_summary(COURSE, unit_ids=[small.id]).shown
    only_big = {s.item.id: s for s in reaction_summary(COURSE, unit_ids=[big.id]).items}
    assert only_big["relevansi"].mean == 4.0
    overall = {s.item.id: s for s in reaction_summary(COURSE).items}
    assert overall["relevansi"].mean == pytest.approx(23 / 8)
    html = trainer.get(REPORT).get_data(as_text=True)
    turi = html.split("Kapanewon Turi")[1].split("</tr>")[0]
    assert "kurang dari 5 jawaban" in turi


def test_the_report_sends_as_many_statements_with_fifty_responses_as_with_five(app, trainer):
    unit_a, unit_b = make_unit("Dinas A"), make_unit("Dinas B")
    row = {"relevansi": 4, "kejelasan": 5, "kuis": 3, "durasi": 4, "saran": "Baik."}
    responses(COURSE, unit_a, [row] * 5)
    trainer.get(REPORT)
    with statements() as few:
        assert trainer.get(REPORT).status_code == 200
    responses(COURSE, unit_a, [row] * 20)
    responses(COURSE, unit_b, [row] * 25)
    with statements() as many:
        assert trainer.get(REPORT).status_code == 200
    assert len(many) == len(few), (few, many)
    assert len(few) <= 8


def test_learners_and_supervisors_cannot_open_the_report(client, learner):
    assert client.get(REPORT).status_code == 403


def test_the_demo_regency_answers_surveys_plausibly_and_anonymously(app, runner):
    result = runner.invoke(args=["demo", "--learners", "400"])
    assert result.exit_code == 0, result.output
    answered = db.session.execute(
        db.select(db.func.count()).select_from(SurveyStatus).filter_by(state="answered")
    ).scalar_one()
    stored = count(SurveyResponse)
    assert stored == answered > 0
    assert count(SurveyStatus) > answered  # some skipped
    summary = reaction_summary(COURSE)  # the fixture course: the demo learns the configured catalog
    assert summary.shown and summary.open_answers
    for item in summary.items:
        assert 3 <= item.mean <= 5 and 0.3 < item.sd < 1.5


def test_the_result_page_of_the_post_test_that_completes_the_course_invites_to_the_survey(client, learner):
    from tests.quiz_helpers import start, submit

    post(client, f"/kursus/{COURSE}/pengantar/selesai")
    quiz = start(client, f"/kursus/{COURSE}/prioritas/kuis")
    submit(client, quiz)
    assert f'href="{SURVEY}"' not in client.get(f"/kuis/{quiz.id}/hasil").get_data(as_text=True)
    exam = start(client, f"/kursus/{COURSE}/ujian/post-test")
    submit(client, exam)
    assert db.session.execute(db.select(Completion).filter_by(user_id=learner.id)).scalar_one()
    html = client.get(f"/kuis/{exam.id}/hasil").get_data(as_text=True)
    assert f'href="{SURVEY}"' in html and "Bagaimana kursus" in html


def test_merging_units_keeps_the_survey_answers_with_the_unit_they_went_into(app):
    from elearn.admin.units import merge

    source, target = make_unit("Puskesmas Lama"), make_unit("Puskesmas Baru")
    responses(COURSE, source, [{"relevansi": 4}] * 3)
    responses(COURSE, target, [{"relevansi": 2}] * 2)
    merge(source, target)
    db.session.commit()
    units = reaction_by_unit(COURSE)
    assert [(u.unit_id, u.responses) for u in units] == [(target.id, 5)]
    assert units[0].means == {"relevansi": pytest.approx(3.2)}


def test_the_report_tells_trainers_what_is_wrong_with_the_survey_files(editable_courses):
    app, courses = editable_courses
    (courses / COMMON_FILE).write_text("items:\n  - id: a\n    type: skala\n    text: b\n", encoding="utf-8")
    client = app.test_client()
    login(client, make_user(role="trainer", name="Dewi Pelatih").nip)
    html = client.get(REPORT).get_data(as_text=True)
    assert "Berkas survei bermasalah" in html and "_survei.yaml:2: type &#39;skala&#39; tidak dikenal" in html
    assert str(courses) not in html  # paths as trainers know them, never the server's
