"""The course loader: valid courses load, every kind of problem is reported with its line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from elearn.catalog import load_catalog
from tests.conftest import VALID_COURSES

COURSE_MD = "---\ntitle: Kursus Uji\nsummary: Ringkas.\njp: 2\n---\nIkhtisar.\n"


def write_course(root: Path, files: dict[str, str | bytes], course_id: str = "uji") -> Path:
    folder = root / course_id
    folder.mkdir(parents=True, exist_ok=True)
    files = {"course.md": COURSE_MD, **files}
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return folder


def problems_of(root: Path) -> list[tuple[str, int, str]]:
    catalog = load_catalog(root)
    return [(Path(p.path).name, p.line, p.message) for p in catalog.problems]


def codes_of(root: Path) -> list[tuple[str, int, str]]:
    """Return (file name, line, code) of every problem below ``root``."""
    return [(Path(p.path).name, p.line, p.code) for p in load_catalog(root).problems]


def lesson(quiz: str, front: str = "title: Pelajaran") -> str:
    return f"---\n{front}\n---\nTeks pelajaran.\n\n## Kuis\n\n" + textwrap.dedent(quiz).lstrip("\n")


def test_valid_fixture_course_loads_with_every_part():
    catalog = load_catalog(VALID_COURSES)
    assert catalog.problems == ()
    course = catalog.course("layanan-dasar")
    assert course.title == "Layanan Dasar" and course.jp == 2 and course.level == "dasar"
    assert course.objectives == ("Memahami layanan dasar",)
    assert [lesson.id for lesson in course.lessons] == ["pengantar", "prioritas"]
    assert course.lessons[0].quiz is None and course.lessons[0].minutes == 5
    quiz = course.lessons[1].quiz
    assert quiz.pass_score == 60 and quiz.attempts == 3 and quiz.shuffle is False
    types = {q.id: q.type for q in quiz.questions}
    assert types == {
        "q-fungsi": "single",
        "q-pencuri": "multiple",
        "q-jp": "numeric",
        "q-asn": "short",
        "q-urut": "ordering",
        "q-rapat": "single",
    }
    fungsi = quiz.question("q-fungsi")
    assert fungsi.correct == (0,)
    assert fungsi.feedback == (None, "Jam lembur dicatat bagian kepegawaian.", None)
    assert fungsi.explanation.startswith("Matriks Eisenhower")
    assert quiz.question("q-pencuri").points == 2 and quiz.question("q-pencuri").correct == (0, 1)
    assert quiz.question("q-jp").correct == (20, 0)
    assert quiz.question("q-asn").correct == ("ASN", "A.S.N.")
    assert quiz.question("q-urut").correct == ("Mengenali masalah", "Mencari akar penyebab", "Memilih solusi")
    exam = course.exam
    assert exam.title == "Ujian Layanan Dasar" and exam.time_limit == 10 and exam.questions_per_attempt == 3
    assert exam.attempts == 2 and exam.question("e-pi").correct == (3.14, 0.01)
    assert "pre-test" in exam.intro_html


def test_quiz_text_is_not_part_of_the_lesson_page():
    lesson = load_catalog(VALID_COURSES).course("layanan-dasar").lesson("prioritas")
    assert "Kuadran" in lesson.html
    assert "matriks Eisenhower" not in lesson.html
    assert "Kuis" not in lesson.html


def test_renumbering_a_lesson_keeps_its_id(tmp_path):
    write_course(tmp_path, {"07-prioritas.md": "---\ntitle: P\n---\nTeks.\n"})
    course = load_catalog(tmp_path).course("uji")
    assert course.lessons[0].id == "prioritas" and course.lessons[0].number == 7


def test_question_without_explicit_id_gets_one_from_its_text(tmp_path):
    write_course(tmp_path, {"01-a.md": lesson("### Apa itu ASN?\n= Aparatur Sipil Negara\n")})
    question = load_catalog(tmp_path).course("uji").lessons[0].quiz.questions[0]
    assert question.id == "apa-itu-asn" and question.points == 1


def test_minutes_are_estimated_from_the_text_when_absent(tmp_path):
    words = " ".join(["kata"] * 900)
    write_course(tmp_path, {"01-a.md": f"---\ntitle: A\n---\n{words}\n"})
    assert load_catalog(tmp_path).course("uji").lessons[0].minutes == 5


def test_broken_course_is_hidden_but_others_are_served(tmp_path):
    write_course(tmp_path, {"01-a.md": "---\ntitle: A\n---\nTeks.\n"}, course_id="baik")
    write_course(tmp_path, {"01-a.md": "---\njudul: A\n---\nTeks.\n"}, course_id="rusak")
    catalog = load_catalog(tmp_path)
    assert [c.id for c in catalog.courses] == ["baik"]
    assert [c.id for c in catalog.broken] == ["rusak"]
    assert catalog.course("rusak") is None


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            {"course.md": "---\ntitle: K\nsummary: S\njp: 2\nlevell: dasar\n---\n"},
            ("course.md", 5, "front-matter-unknown-key"),
            id="unknown-key",
        ),
        pytest.param(
            {"course.md": "---\ntitle: K\nsummary: S\n---\n"},
            ("course.md", 1, "front-matter-key-missing"),
            id="missing-key",
        ),
        pytest.param(
            {"course.md": "---\ntitle: K\nsummary: S\njp: dua\n---\n"},
            ("course.md", 4, "value-not-positive"),
            id="wrong-type",
        ),
        pytest.param(
            {"course.md": "---\ntitle: K\nsummary: S\njp: 2\nlevel: sulit\n---\n"},
            ("course.md", 5, "value-not-allowed"),
            id="bad-level",
        ),
        pytest.param(
            {"course.md": "---\ntitle: K\nsummary: [S\njp: 2\n---\n"},
            ("course.md", 4, "front-matter-yaml"),
            id="bad-yaml",
        ),
        pytest.param(
            {"01-a.md": "---\ntitle: A\nshuffle: kadang\n---\n"},
            ("01-a.md", 3, "value-not-boolean"),
            id="lesson-wrong-type",
        ),
        pytest.param(
            {"01-a.md": lesson("")},
            ("01-a.md", 6, "quiz-empty"),
            id="quiz-without-questions",
        ),
        pytest.param(
            {"01-a.md": lesson("### Apa itu gratifikasi?\nHanya teks.\n")},
            ("01-a.md", 8, "question-no-answers"),
            id="question-without-answers",
        ),
        pytest.param(
            {"01-a.md": lesson("### Apa itu gratifikasi?\n- ( ) Hadiah\n- ( ) Gaji\n")},
            ("01-a.md", 8, "choice-no-correct"),
            id="single-without-correct",
        ),
        pytest.param(
            {"01-a.md": lesson("### Pilih\n- [ ] a\n- [ ] b\n")},
            ("01-a.md", 8, "choice-no-correct"),
            id="multiple-without-correct",
        ),
        pytest.param(
            {"01-a.md": lesson("### Pilih\n- (x) a\n- [ ] b\n")},
            ("01-a.md", 8, "choice-mixed-markers"),
            id="mixed-options",
        ),
        pytest.param(
            {"01-a.md": lesson("### Pilih\n- (x) a\n- (x) b\n")},
            ("01-a.md", 8, "choice-several-correct"),
            id="two-correct-radios",
        ),
        pytest.param(
            {"01-a.md": lesson("### Pilih\n- (x) a\n* b tanpa tanda\n")},
            ("01-a.md", 10, "answer-line-unrecognised"),
            id="line-neither-option-nor-answer",
        ),
        pytest.param(
            {"01-a.md": lesson("### Satu {#q-sama}\n= a\n\n### Dua {#q-sama}\n= b\n")},
            ("01-a.md", 11, "question-id-duplicate"),
            id="duplicate-id",
        ),
        pytest.param(
            {"01-a.md": "---\ntitle: A\n---\n\nLihat ![bagan](assets/tidak-ada.png)\n"},
            ("01-a.md", 5, "asset-missing"),
            id="missing-asset",
        ),
        pytest.param(
            {"01-a.md": b"---\ntitle: A\n---\nbaris dua\n" + b"caf\xe9\n"},
            ("01-a.md", 5, "file-not-utf8"),
            id="not-utf8",
        ),
        pytest.param(
            {"01-a.md": lesson("### Nilai\n= 3 +- x\n")},
            ("01-a.md", 9, "short-answer-tolerance"),
            id="bad-tolerance",
        ),
        pytest.param(
            {"01-a.md": lesson("### Poin {points=nol}\n= a\n")},
            ("01-a.md", 8, "question-points-invalid"),
            id="bad-points",
        ),
        pytest.param(
            {"pelajaran-satu.md": "---\ntitle: A\n---\n"},
            ("pelajaran-satu.md", 1, "lesson-file-name"),
            id="bad-lesson-file-name",
        ),
        pytest.param(
            {"01-a.md": "Teks tanpa front matter.\n"},
            ("01-a.md", 1, "front-matter-missing"),
            id="missing-front-matter",
        ),
        pytest.param(
            {
                "01-a.md": "---\ntitle: A\n---\n",
                "exam.md": "---\ntitle: U\nquestions_per_attempt: 5\n---\n\n## Kuis\n\n### S\n= a\n",
            },
            ("exam.md", 3, "exam-draw-exceeds-pool"),
            id="draw-larger-than-pool",
        ),
        pytest.param(
            {"01-a.md": "---\ntitle: A\n---\n", "exam.md": "---\ntitle: U\n---\n\n### S\n= a\n"},
            ("exam.md", 4, "exam-no-quiz-heading"),
            id="exam-without-quiz-heading",
        ),
        pytest.param(
            {"01-a.md": "---\ntitle: A\n---\nTeks.\n\n## Kuis Pelajaran\n\n### S\n- (x) a\n- ( ) b\n"},
            ("01-a.md", 6, "quiz-heading-near-miss"),
            id="near-miss-quiz-heading",
        ),
        pytest.param(
            {"01-a.md": "---\ntitle: A\n---\nTeks.\n\n- (x) jawaban yang bocor\n"},
            ("01-a.md", 6, "lesson-text-option"),
            id="option-in-lesson-text",
        ),
        pytest.param(
            {"01-a.md": "---\ntitle: A\n---\n", "02-assets.md": "---\ntitle: B\n---\n"},
            ("02-assets.md", 1, "lesson-id-reserved"),
            id="reserved-lesson-id",
        ),
        pytest.param(
            {"01-a.md": lesson("### Nilai\n= 20 +- -5\n")},
            ("01-a.md", 9, "numeric-negative-tolerance"),
            id="negative-tolerance",
        ),
        pytest.param(
            {"01-a.md": lesson("### Nilai\n= " + "9" * 400 + "\n")},
            ("01-a.md", 9, "numeric-too-long"),
            id="huge-number",
        ),
        pytest.param(
            {"01-a.md": lesson("### Poin {points=²}\n= a\n")},
            ("01-a.md", 8, "question-points-invalid"),
            id="superscript-points",
        ),
        pytest.param(
            {"01-a.md": lesson("### Urutkan\n1. Satu\n2. Dua\n")},
            ("01-a.md", 8, "ordering-too-few-items"),
            id="two-item-ordering",
        ),
        pytest.param(
            {"01-a.md": lesson("### Nilai\n= 1\n", front="title: A\nreview: later")},
            ("01-a.md", 3, "value-not-allowed"),
            id="unknown-review-policy",
        ),
        pytest.param(
            {"01-a.md": "---\ntitle: A\n---\n\n![x](assets/a%00b.png)\n"},
            ("01-a.md", 5, "asset-link-invalid"),
            id="nul-in-asset-link",
        ),
    ],
)
def test_each_kind_of_problem_is_reported_with_its_line(tmp_path, files, expected):
    if "01-a.md" not in files and "course.md" in files:
        files = {**files, "01-a.md": "---\ntitle: A\n---\nTeks.\n"}
    write_course(tmp_path, files)
    found = codes_of(tmp_path)
    assert expected in found, found


def test_all_problems_of_a_file_are_reported_not_just_the_first(tmp_path):
    quiz = "### Satu\n- ( ) a\n- ( ) b\n\n### Dua\nteks\n"
    write_course(tmp_path, {"01-a.md": lesson(quiz, front="title: A\nwarna: merah")})
    found = problems_of(tmp_path)
    assert [line for _, line, _ in found] == [3, 9, 13]


def test_problem_paths_use_the_root_as_given(tmp_path, monkeypatch):
    write_course(tmp_path / "courses", {"01-a.md": "---\ntitle: A\nx: 1\n---\n"})
    monkeypatch.chdir(tmp_path)
    problem = load_catalog("courses").problems[0]
    assert str(problem) == "courses/uji/01-a.md:3: kunci front matter 'x' tidak dikenal (yang boleh: " + (
        "title, minutes, objectives, pass_score, attempts, shuffle, review): periksa ejaannya"
    )
    assert problem.as_dict() == {
        "path": "courses/uji/01-a.md",
        "line": 3,
        "code": "front-matter-unknown-key",
        "message": problem.message,
    }


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            {"01-a.md": lesson("### Satu {#q-sama}\n= a\n\n### Dua {#q-sama}\n= b\n")},
            "id soal 'q-sama' ganda (sudah dipakai di baris 8): beri id lain",
            id="duplicate-id",
        ),
        pytest.param(
            {"01-a.md": lesson("### Apa itu gratifikasi?\n- ( ) Hadiah\n- ( ) Gaji\n")},
            'soal "Apa itu gratifikasi?" tidak punya opsi benar: tandai dengan (x)',
            id="no-correct-option",
        ),
        pytest.param(
            {"01-a.md": "---\ntitle: A\nreview: nanti\n---\n"},
            "'review' harus salah satu dari: immediately, after-pass, never",
            id="choices-named",
        ),
        pytest.param(
            {
                "01-a.md": "---\ntitle: A\n---\n",
                "exam.md": "---\nquestions_per_attempt: 5\n---\n\n## Kuis\n\n### S\n= a\n",
            },
            "questions_per_attempt bernilai 5, padahal bank soal hanya berisi 1 soal: "
            "kecilkan nilainya atau tambah soal",
            id="draw-and-pool",
        ),
    ],
)
def test_messages_are_indonesian_with_their_details_filled_in(tmp_path, files, expected):
    write_course(tmp_path, files)
    assert expected in [m for _, _, m in problems_of(tmp_path)], problems_of(tmp_path)


def test_code_block_in_question_is_part_of_the_question(tmp_path):
    quiz = """
    ### Apa keluaran kode ini? {#q-kode}
    ```
    - (x) bukan opsi
    ```
    - (x) 2
    - ( ) 3
    """
    write_course(tmp_path, {"01-a.md": lesson(quiz)})
    question = load_catalog(tmp_path).course("uji").lessons[0].quiz.questions[0]
    assert question.options == ("2", "3")
    assert "bukan opsi" in question.prompt_html


def test_missing_course_md_and_bad_folder_name(tmp_path):
    (tmp_path / "Kursus_Baru").mkdir()
    (tmp_path / "Kursus_Baru" / "01-a.md").write_text("---\ntitle: A\n---\n")
    codes = [code for _, _, code in codes_of(tmp_path)]
    assert codes == ["course-folder-name", "course-md-missing"]


def test_catalog_orders_courses_by_order_then_title(tmp_path):
    for cid, title, order in (("b", "Beta", None), ("a", "Alfa", None), ("c", "Gamma", 1)):
        front = f"---\ntitle: {title}\nsummary: S\njp: 1\n" + (f"order: {order}\n" if order else "") + "---\n"
        write_course(tmp_path, {"course.md": front, "01-a.md": "---\ntitle: A\n---\n"}, course_id=cid)
    assert [c.id for c in load_catalog(tmp_path).courses] == ["c", "a", "b"]


def test_a_numeric_answer_may_declare_its_unit(tmp_path):
    quiz = """
    ### Jam kerja seminggu? {#q-jam}
    = 37,5 +- 0,5 jam

    ### Persentase? {#q-persen}
    = 25%

    ### Hari? {#q-hari}
    = 10 hari kerja

    ### Tanpa satuan {#q-polos}
    = 20
    """
    write_course(tmp_path, {"01-a.md": lesson(quiz)})
    quiz = load_catalog(tmp_path).course("uji").lessons[0].quiz
    found = {q.id: (q.type, q.correct, q.extra.get("unit")) for q in quiz.questions}
    assert found == {
        "q-jam": ("numeric", (37.5, 0.5), "jam"),
        "q-persen": ("numeric", (25, 0), "%"),
        "q-hari": ("numeric", (10, 0), "hari kerja"),
        "q-polos": ("numeric", (20, 0), None),
    }


def test_the_review_policy_comes_from_the_lesson_then_the_course(tmp_path):
    course = "---\ntitle: K\nsummary: S\njp: 1\nreview: never\n---\nIkhtisar.\n"
    write_course(
        tmp_path,
        {
            "course.md": course,
            "01-a.md": lesson("### S\n= 1\n"),
            "02-b.md": lesson("### S\n= 1\n", front="title: B\nreview: immediately"),
        },
    )
    a, b = load_catalog(tmp_path).course("uji").lessons
    assert (a.quiz.review, b.quiz.review) == ("never", "immediately")
    assert load_catalog(VALID_COURSES).course("layanan-dasar").lessons[1].quiz.review == "after-pass"
