"""The trainers' area: course health, previews that record nothing, course results, and the
question analysis against values computed by hand."""

from __future__ import annotations

import csv
import io
import math

import pytest

from elearn.extensions import db
from elearn.library import current_catalog
from elearn.models import EXAM, Answer, Attempt, Completion, LessonProgress
from elearn.quiz.types.base import option_key, picks_text
from elearn.trainers.analysis import Flag, analyse
from tests.conftest import login
from tests.factories import make_user
from tests.quiz_helpers import start, submit
from tests.test_queries import statements

COURSE, QUIZ = "layanan-dasar", "prioritas"


@pytest.fixture
def trainer(app):
    client = app.test_client()
    login(client, make_user(role="trainer", name="Dewi Pelatih", unit="BKPP Kabupaten Sleman").nip)
    return client


def quiz():
    return current_catalog().course(COURSE).lesson(QUIZ).quiz


def key_of(question_id: str, *options: int) -> str:
    question = quiz().question(question_id)
    return picks_text([option_key(question.options_html[i]) for i in options])


def attempt(user, answers: dict[str, tuple[float, int, str | None]], number: int = 1, quiz_id: str = QUIZ, kind="quiz"):
    """A graded attempt with the given (points, max points, picks) per question id."""
    made = Attempt(
        user_id=user.id,
        course_id=COURSE,
        quiz_id=quiz_id,
        kind=kind,
        title="Kuis",
        number=number,
        status="graded",
        snapshot={"version": 2, "questions": []},
        pass_score=70,
        max_points=sum(m for _, m, _ in answers.values()),
        points=sum(p for p, _, _ in answers.values()),
    )
    made.percent = 100 * made.points / made.max_points
    made.passed = made.percent >= 70
    for position, (question_id, (points, most, picks)) in enumerate(answers.items()):
        made.answers.append(
            Answer(
                position=position,
                course_id=COURSE,
                quiz_id=quiz_id,
                question_id=question_id,
                response=None,
                points=points,
                max_points=most,
                picks=picks,
                correct=points == most,
            )
        )
    db.session.add(made)
    db.session.commit()
    return made


# --- question analysis ------------------------------------------------------------------


def test_facility_and_discrimination_match_the_values_computed_by_hand(app):
    a, b, c = key_of("q-fungsi", 0), key_of("q-fungsi", 1), ""
    learners = [make_user(name=f"P{i}") for i in range(4)]
    rows = [  # q-fungsi (1 point), q-pencuri (2), q-jp (1): everybody right on q-jp
        {"q-fungsi": (1, 1, a), "q-pencuri": (2, 2, None), "q-jp": (1, 1, None)},
        {"q-fungsi": (1, 1, a), "q-pencuri": (1, 2, None), "q-jp": (1, 1, None)},
        {"q-fungsi": (0, 1, b), "q-pencuri": (0, 2, None), "q-jp": (1, 1, None)},
        {"q-fungsi": (0, 1, c), "q-pencuri": (2, 2, None), "q-jp": (1, 1, None)},
    ]
    for learner, answers in zip(learners, rows, strict=True):
        attempt(learner, answers)
    # a second try is left out of the first-attempt analysis, and counted in "all attempts"
    attempt(learners[2], {"q-fungsi": (1, 1, a), "q-pencuri": (2, 2, None), "q-jp": (1, 1, None)}, number=2)

    result = analyse(COURSE, QUIZ, quiz())
    stats = {s.id: s for s in result.questions}
    assert result.attempts == 4
    # q-fungsi: x = 1,1,0,0; the rest of each attempt y = 3,2,1,3 -> r = 0.5 / sqrt(1 * 2.75)
    assert stats["q-fungsi"].facility == 0.5
    assert stats["q-fungsi"].discrimination == round(0.5 / math.sqrt(2.75), 3) == 0.302
    # q-pencuri: x = 2,1,0,2 of 2; y = 2,2,1,1 -> r = 0.5 / sqrt(2.75 * 1)
    assert stats["q-pencuri"].facility == 0.625 and stats["q-pencuri"].discrimination == 0.302
    # everybody scored the same on q-jp: no variance, no discrimination
    assert stats["q-jp"].facility == 1.0 and stats["q-jp"].discrimination is None
    picked = {option.html: option.picked for option in stats["q-fungsi"].options}
    assert list(picked.values()) == [2, 1, 0]
    assert [option.correct for option in stats["q-fungsi"].options] == [True, False, False]
    assert stats["q-fungsi"].flags == []  # four answers are too few for flags

    everything = {s.id: s for s in analyse(COURSE, QUIZ, quiz(), all_attempts=True).questions}
    assert everything["q-fungsi"].answers == 5 and everything["q-fungsi"].facility == 0.6


def test_one_attempt_gives_a_facility_and_no_discrimination(app):
    attempt(make_user(), {"q-fungsi": (1, 1, key_of("q-fungsi", 0)), "q-jp": (0, 1, None)})
    stats = {s.id: s for s in analyse(COURSE, QUIZ, quiz()).questions}
    assert stats["q-fungsi"].facility == 1.0 and stats["q-fungsi"].discrimination is None
    assert stats["q-jp"].facility == 0.0


def test_each_flag_fires_where_it_should_and_nowhere_else(app):
    right = key_of("q-fungsi", 0)
    for i in range(12):
        strong = i < 6
        attempt(
            make_user(name=f"P{i}"),
            {
                "q-fungsi": (1, 1, right),  # everyone right, and nobody picks the third option
                "q-pencuri": (0, 2, key_of("q-pencuri", 2)),  # nobody right
                "q-jp": (1 if strong else 0, 1, None),  # the strong get it: discriminates well
                "q-asn": (0 if strong else 1, 1, None),  # the weak get it: negative
                "q-rapat": (i % 2, 1, key_of("q-rapat", 1 if i % 2 else 0)),  # unrelated to the rest: weak
                "q-urut": (3 if strong else 0, 3, None),  # makes the strong strong
            },
        )
    stats = {s.id: s for s in analyse(COURSE, QUIZ, quiz()).questions}
    assert stats["q-fungsi"].flags == [Flag.EASY, Flag.UNUSED_DISTRACTOR]
    assert stats["q-pencuri"].flags == [Flag.HARD]
    assert stats["q-jp"].flags == []
    assert Flag.NEGATIVE in stats["q-asn"].flags
    assert stats["q-rapat"].flags == [Flag.WEAK]


def test_the_analysis_sends_as_many_statements_for_ten_attempts_as_for_a_hundred(app, trainer):
    counts = []
    made = 0
    for total in (10, 100):
        for i in range(made, total):
            attempt(make_user(name=f"P{i}"), {"q-fungsi": (i % 2, 1, key_of("q-fungsi", i % 3)), "q-jp": (1, 1, None)})
        made = total
        trainer.get(f"/pelatih/{COURSE}/analisis/{QUIZ}")
        with statements() as sent:
            page = trainer.get(f"/pelatih/{COURSE}/analisis/{QUIZ}")
        assert page.status_code == 200
        counts.append(len(sent))
    assert counts[0] == counts[1], counts
    assert f"{made} percobaan" in page.get_data(as_text=True)


def test_real_attempts_store_their_picks_and_the_page_and_csv_show_them(app, trainer):
    learner = app.test_client()
    login(learner, make_user(name="Sri Wahyuni").nip)
    taken = start(learner, f"/kursus/{COURSE}/{QUIZ}/kuis")
    submit(learner, taken, right=True)
    answers = db.session.execute(db.select(Answer).filter_by(attempt_id=taken.id)).scalars().all()
    by_id = {answer.question_id: answer for answer in answers}
    assert by_id["q-fungsi"].picks == key_of("q-fungsi", 0) and by_id["q-fungsi"].max_points == 1
    assert by_id["q-pencuri"].picks == key_of("q-pencuri", 0, 1)
    assert by_id["q-jp"].picks is None

    page = trainer.get(f"/pelatih/{COURSE}/analisis/{QUIZ}").get_data(as_text=True)
    assert "1 percobaan" in page and "Indeks kemudahan" in page
    download = trainer.get(f"/pelatih/{COURSE}/analisis/{QUIZ}/unduh.csv")
    rows = list(csv.DictReader(io.StringIO(download.get_data(as_text=True).lstrip("\ufeff"))))
    fungsi = next(row for row in rows if row["id_soal"] == "q-fungsi")
    assert fungsi["jawaban"] == "1" and fungsi["indeks_kemudahan"] == "1.0"
    assert fungsi["pilihan_dipilih"].startswith("*Memilah tugas menurut penting dan mendesak: 1")


def test_unknown_courses_and_quizzes_are_404(trainer):
    assert trainer.get("/pelatih/tidak-ada/").status_code == 404
    assert trainer.get(f"/pelatih/{COURSE}/analisis/pengantar").status_code == 404  # a lesson without a quiz
    assert trainer.get(f"/pelatih/{COURSE}/pelajaran/tidak-ada").status_code == 404
    assert trainer.get(f"/pelatih/{COURSE}/analisis/{'x' * 5000}").status_code == 404


# --- preview -------------------------------------------------------------------------------


def counts() -> tuple[int, ...]:
    return tuple(
        db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()
        for model in (LessonProgress, Attempt, Answer, Completion)
    )


def test_the_preview_shows_every_key_and_writes_nothing(trainer):
    before = counts()
    with statements() as sent:
        for url in (
            f"/pelatih/{COURSE}/",
            f"/pelatih/{COURSE}/pelajaran/{QUIZ}",
            f"/pelatih/{COURSE}/ujian",
            f"/pelatih/{COURSE}/hasil",
            "/pelatih/",
        ):
            assert trainer.get(url).status_code == 200, url
    assert counts() == before
    assert not [s for s in sent if s.lstrip().split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]
    page = trainer.get(f"/pelatih/{COURSE}/pelajaran/{QUIZ}").get_data(as_text=True)
    assert page.count('class="key-panel"') == len(quiz().questions)
    assert "Jam lembur dicatat bagian kepegawaian." in page  # the feedback of an option nobody picked
    assert "Matriks Eisenhower memetakan tugas ke empat kuadran." in page  # the explanation
    assert "20 JP" in page and "A.S.N." in page  # short and numeric keys
    assert page.count("disabled") >= len(quiz().questions)  # the learner's view, inert


def test_a_hidden_course_is_previewed_as_far_as_it_can_be_read(editable_courses):
    app, courses = editable_courses
    broken = courses / "rusak"
    (broken / "assets").mkdir(parents=True)
    (broken / "assets" / "bagan.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"></svg>')
    (broken / "course.md").write_text("---\ntitle: Kursus Rusak\nsummary: S\njp: 1\n---\n")
    (broken / "01-baik.md").write_text("---\ntitle: Pelajaran Baik\n---\nTeks yang bisa dibaca.\n")
    (broken / "02-rusak.md").write_text("---\ntitle: B\nwarna: biru\n---\n")
    trainer, learner = app.test_client(), app.test_client()
    login(trainer, make_user(role="trainer", name="Pelatih").nip)
    login(learner, make_user(name="Peserta").nip)
    page = trainer.get("/pelatih/rusak/pelajaran/baik").get_data(as_text=True)
    assert "Teks yang bisa dibaca." in page and "disembunyikan dari peserta" in page
    assert trainer.get("/kursus/rusak/assets/bagan.svg").status_code == 200
    assert learner.get("/kursus/rusak/assets/bagan.svg").status_code == 404
    assert learner.get("/pelatih/rusak/").status_code == 403


def test_the_health_page_shows_each_courses_errors_and_warnings_with_their_codes(editable_courses):
    app, courses = editable_courses
    broken = courses / "rusak"
    broken.mkdir()
    (broken / "course.md").write_text("---\ntitle: Kursus Rusak\nsummary: S\njp: 1\n---\n")
    (broken / "01-baik.md").write_text(
        "---\ntitle: Baik\n---\nTeks.\n\n## Kuis\n\n### Manakah yang tidak benar?\n- (x) A\n- ( ) B\n"
    )
    (broken / "02-rusak.md").write_text("---\ntitle: B\nwarna: biru\n---\n")
    trainer = app.test_client()
    login(trainer, make_user(role="trainer", name="Pelatih").nip)
    page = trainer.get("/pelatih/").get_data(as_text=True)
    hidden = page[page.index('id="kursus-rusak"') :]
    hidden = hidden[: hidden.index("</section>")]
    assert "rusak/02-rusak.md:3</code>: kunci front matter &#39;warna&#39; tidak dikenal" in hidden
    assert "[front-matter-unknown-key]" in hidden
    assert "rusak/01-baik.md:8</code>" in hidden and "[negative-stem-plain]" in hidden
    assert "[explanation-missing]" in hidden and "2 peringatan penulisan soal" in hidden
    shown = page[page.index('id="kursus-layanan-dasar"') :]
    shown = shown[: shown.index("</section>")]
    assert "1 peringatan penulisan soal" in shown and "[exam-pool-small]" in shown
    assert "layanan-dasar/exam.md:1</code>" in shown


# --- course results ---------------------------------------------------------------------------------


def test_course_results_match_a_small_data_set(app, trainer):
    done, stuck, early = (make_user(name=n) for n in ("Selesai", "Tersendat", "Baru"))
    for user, lessons in ((done, ("pengantar", "prioritas")), (stuck, ("pengantar", "prioritas")), (early, ())):
        for lesson in lessons:
            db.session.add(
                LessonProgress(
                    user_id=user.id,
                    course_id=COURSE,
                    lesson_id=lesson,
                    completed_at=None if (user is stuck and lesson == "prioritas") else db.func.now(),
                )
            )
    db.session.add(Completion(user_id=done.id, course_id=COURSE, jp=2))
    db.session.commit()
    attempt(stuck, {"q-fungsi": (0, 1, "")})  # failed
    attempt(stuck, {"q-fungsi": (1, 1, key_of("q-fungsi", 0))}, number=2)  # passed at the second try
    attempt(done, {"q-fungsi": (1, 1, key_of("q-fungsi", 0))})  # passed at once
    attempt(done, {"q-e": (40, 100, None)}, quiz_id=EXAM, kind="pretest")
    attempt(done, {"q-e": (90, 100, None)}, number=2, quiz_id=EXAM, kind="posttest")
    attempt(early, {"q-e": (60, 100, None)}, quiz_id=EXAM, kind="pretest")

    from elearn.trainers.results import course_results

    results = course_results(current_catalog().course(COURSE))
    f = results.figures
    assert (f.started, f.completed) == (3, 1)
    assert (f.pre_avg, f.pre_n, f.post_avg, f.post_n, f.gain_avg, f.gain_n) == (50.0, 2, 90.0, 1, 50.0, 1)
    quizzes = {q.quiz_id: q for q in results.quizzes}
    assert (quizzes[QUIZ].learners, quizzes[QUIZ].pass_rate, quizzes[QUIZ].first_pass_rate) == (2, 100.0, 50.0)
    assert quizzes[QUIZ].attempts == 3
    assert (quizzes[EXAM].learners, quizzes[EXAM].pass_rate) == (1, 100.0)
    lessons = {lesson.lesson_id: lesson for lesson in results.lessons}
    assert (lessons["prioritas"].opened, lessons["prioritas"].completed, lessons["prioritas"].stuck) == (2, 1, 1)
    assert results.stop_lesson.lesson_id == "prioritas"
    page = trainer.get(f"/pelatih/{COURSE}/hasil").get_data(as_text=True)
    assert "Paling sering dibuka tetapi tidak diselesaikan" in page
