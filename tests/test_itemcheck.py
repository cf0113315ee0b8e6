"""Item-writing warnings: each fires where it should and nowhere else, can be silenced with a
reason, never hides a course; and the shipped courses are clean or silenced with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from elearn.catalog import load_catalog
from elearn.catalog.itemcheck import course_warnings
from elearn.config import PROJECT_ROOT
from tests.test_catalog_load import lesson, write_course

SAME = ("Pilihan A", "Pilihan B", "Pilihan C")  # equal lengths: the key is neither longest nor shortest


def item(title: str, options=SAME, key: int = 0, explanation: str | None = "Penjelasan.", body: str = "") -> str:
    """A single-choice question as a trainer writes it."""
    lines = [f"### {title}"] + ([body] if body else [])
    lines += [f"- ({'x' if i == key else ' '}) {option}" for i, option in enumerate(options)]
    if explanation:
        lines += ["", f"> {explanation}"]
    return "\n".join(lines) + "\n\n"


def true_false(title: str, benar: bool) -> str:
    return item(title, ("Benar", "Salah"), key=0 if benar else 1)


def warnings_of(tmp_path: Path, *questions: str, exam: str | None = None) -> list[tuple[str, int, str]]:
    """Return (file, line, code) of every warning of a course with one lesson quiz of ``questions``."""
    files = {"01-a.md": lesson("".join(questions))}
    if exam is not None:
        files["exam.md"] = exam
    write_course(tmp_path, files)
    catalog = load_catalog(tmp_path)
    assert catalog.problems == ()
    return [(Path(w.path).name, w.line, w.code) for w in catalog.warnings]


def lines_of(tmp_path: Path, *questions: str) -> list[int]:
    """The line of each question heading of the lesson ``warnings_of`` wrote."""
    text = (tmp_path / "uji" / "01-a.md").read_text().split("\n")
    return [number for number, line in enumerate(text, start=1) if line.startswith("### ")]


def test_clean_questions_give_no_warning(tmp_path):
    assert warnings_of(tmp_path, item("Satu?"), item("Dua?"), true_false("Tiga.", True)) == []


def test_key_longest_in_more_than_40_percent_of_a_quiz_is_reported_once_listing_the_questions(tmp_path):
    longest = ("Pilihan A yang paling panjang", "Pilihan B", "Pilihan C")
    found = warnings_of(tmp_path, item("Satu?", longest), item("Dua?"), item("Tiga?", longest))
    first, _, third = lines_of(tmp_path)
    assert found == [("01-a.md", first, "key-longest")]
    warning = load_catalog(tmp_path).warnings[0]
    assert f"baris {first}, {third}" in warning.message and "2 dari 3" in warning.message


def test_key_longest_in_40_percent_or_a_tie_is_not_reported(tmp_path):
    longest = ("Pilihan A yang paling panjang", "Pilihan B", "Pilihan C")
    tie = ("Pilihan A yang panjang", "Pilihan B yang panjang", "Pilihan C")
    questions = [item("Satu?", longest), item("Dua?", longest), item("Tiga?"), item("Empat?"), item("Lima?", tie)]
    assert warnings_of(tmp_path, *questions) == []  # 2 of 5: 40% is allowed


def test_key_shortest_is_reported_like_the_longest(tmp_path):
    shortest = ("A", "Pilihan B", "Pilihan C")
    found = warnings_of(tmp_path, item("Satu?", shortest), item("Dua?"), item("Tiga?", shortest))
    assert found == [("01-a.md", lines_of(tmp_path)[0], "key-shortest")]


@pytest.mark.parametrize("count", [1, 2])
def test_key_length_is_not_judged_over_fewer_than_three_single_choice_questions(tmp_path, count):
    longest = ("Pilihan A yang paling panjang", "Pilihan B", "Pilihan C")
    assert warnings_of(tmp_path, *(item(f"Soal {n}?", longest) for n in range(count))) == []


def test_true_false_items_are_not_counted_for_key_length(tmp_path):
    questions = [true_false("Satu.", True), true_false("Dua.", False), item("Tiga?")]
    assert warnings_of(tmp_path, *questions) == []  # 'Salah' is the longest option, but not a cue


@pytest.mark.parametrize(
    ("keys", "reported"),
    [
        ((True, True, True), True),
        ((False, False, False), True),
        ((True, True, True, True, False), True),  # 4 of 5: nearly all
        ((True, True, False), False),
        ((True, True, True, False), False),  # 3 of 4
        ((True, True), False),  # too few to judge
    ],
)
def test_true_false_keys_nearly_all_one_way(tmp_path, keys, reported):
    found = warnings_of(tmp_path, *(true_false(f"Pernyataan {i}.", key) for i, key in enumerate(keys)))
    assert found == ([("01-a.md", lines_of(tmp_path)[0], "true-false-one-way")] if reported else [])


@pytest.mark.parametrize(
    ("option", "reported"),
    [
        ("Semua benar", True),
        ("Semua jawaban di atas benar", True),
        ("Semua di atas", True),
        ("Tidak ada yang benar", True),
        ("tidak ada jawaban yang benar", True),
        ("Semua pegawai hadir", False),
        ("Tidak ada pegawai yang hadir", False),
    ],
)
def test_all_or_none_options(tmp_path, option, reported):
    found = warnings_of(tmp_path, item("Satu?", ("Pilihan A", "Pilihan B", option)))
    assert found == ([("01-a.md", 8, "option-all-or-none")] if reported else [])


@pytest.mark.parametrize(
    ("title", "reported"),
    [
        ("Manakah yang tidak termasuk nilai dasar?", True),
        ("Semua berikut gratifikasi, kecuali apa?", True),
        ("Berkas pemohon tidak lengkap. Manakah yang kecuali syarat?", True),
        ("Manakah yang **tidak** termasuk nilai dasar?", False),
        ("Manakah yang *tidak* termasuk nilai dasar?", False),
        ("Semua berikut gratifikasi, __kecuali__ apa?", False),
        ("Berkas pemohon tidak lengkap. Apa langkah pertama petugas?", False),  # the scenario, not the question
        ("Forum ini membahas tidak hanya keberhasilan. Apa manfaatnya?", False),
        ("Apa akibat ketidakhadiran tanpa izin?", False),
        ('Warga bertanya: "Mengapa saya tidak dilayani?" Apa jawaban petugas?', False),  # quoted speech
        ("Berkas tidak lengkap. Pilih yang **tidak** wajib, bila tidak ada sengketa.", False),
        ('Warga bertanya: "Boleh?" Manakah yang tidak perlu dibawa?', True),
    ],
)
def test_negative_stem_without_emphasis(tmp_path, title, reported):
    assert warnings_of(tmp_path, item(title)) == ([("01-a.md", 8, "negative-stem-plain")] if reported else [])


def test_a_negative_stem_counts_only_for_choice_questions(tmp_path):
    assert warnings_of(tmp_path, "### Dokumen yang tidak lengkap dikembalikan ke ...\n= pemohon\n\n> Ya.\n") == []


def test_question_without_explanation_of_any_type(tmp_path):
    found = warnings_of(tmp_path, item("Satu?", explanation=None), "### Berapa JP?\n= 20\n\n", item("Tiga?"))
    first, second, _ = lines_of(tmp_path)
    assert found == [("01-a.md", first, "explanation-missing"), ("01-a.md", second, "explanation-missing")]


def exam(pool: int, draw: int | None, marker: str = "") -> str:
    front = f"---\nquestions_per_attempt: {draw}\n---\n" if draw else "---\ntitle: Ujian\n---\n"
    return front + "\n## Kuis\n" + marker + "\n" + "".join(item(f"Soal ujian {i}?") for i in range(pool))


@pytest.mark.parametrize(
    ("pool", "draw", "reported"), [(5, 3, True), (6, 3, False), (4, None, True), (30, 15, False), (29, 15, True)]
)
def test_exam_pool_smaller_than_twice_its_draw(tmp_path, pool, draw, reported):
    found = warnings_of(tmp_path, item("Satu?"), exam=exam(pool, draw))
    assert found == ([("exam.md", 1, "exam-pool-small")] if reported else [])


def test_a_marker_with_a_reason_silences_one_warning_of_one_question(tmp_path):
    marker = "<!-- abaikan explanation-missing: jawabannya dibahas di soal berikut -->"
    found = warnings_of(tmp_path, item("Satu?", explanation=None, body=marker), item("Dua?", explanation=None))
    assert found == [("01-a.md", lines_of(tmp_path)[1], "explanation-missing")]
    question = load_catalog(tmp_path).course("uji").lessons[0].quiz.questions[0]
    assert "abaikan" not in question.prompt_html and question.options == SAME
    assert question.silenced[0].reason == "jawabannya dibahas di soal berikut"


def test_a_silenced_question_no_longer_counts_for_key_length(tmp_path):
    longest = ("Pilihan A yang paling panjang", "Pilihan B", "Pilihan C")
    marker = "<!-- abaikan key-longest: istilah resminya memang panjang -->"
    assert warnings_of(tmp_path, item("Satu?", longest, body=marker), item("Dua?")) == []


def test_a_quiz_marker_silences_the_exam_pool_warning(tmp_path):
    marker = "<!-- abaikan exam-pool-small: kursus singkat, pre-test hanya pemanasan -->\n"
    assert warnings_of(tmp_path, item("Satu?"), exam=exam(4, None, marker)) == []


@pytest.mark.parametrize(
    ("marker", "code"),
    [
        ("<!-- abaikan explanation-missing -->", "silence-without-reason"),
        ("<!-- abaikan explanation-missing:   -->", "silence-without-reason"),
        ("<!-- abaikan penjelasan-kosong: salah ketik kode -->", "silence-unknown-code"),
        ("<!-- abaikan exam-pool-small: bukan di soal -->", "silence-misplaced"),
    ],
)
def test_a_marker_without_a_reason_or_with_a_wrong_code_is_reported_and_silences_nothing(tmp_path, marker, code):
    found = warnings_of(tmp_path, item("Satu?", explanation=None, body=marker))
    heading = lines_of(tmp_path)[0]
    assert found == [("01-a.md", heading, "explanation-missing"), ("01-a.md", heading + 1, code)]


def test_warnings_never_hide_a_course_and_a_hidden_course_shows_its_readable_part(tmp_path):
    write_course(tmp_path, {"01-a.md": lesson(item("Satu?", explanation=None))}, course_id="baik")
    write_course(
        tmp_path,
        {"01-a.md": lesson(item("Satu?", explanation=None)), "02-b.md": "tanpa front matter\n"},
        course_id="rusak",
    )
    catalog = load_catalog(tmp_path)
    assert [c.id for c in catalog.courses] == ["baik"] and [b.id for b in catalog.broken] == ["rusak"]
    assert sorted(Path(w.path).parent.name for w in catalog.warnings) == ["baik", "rusak"]
    assert all(w.code == "explanation-missing" for w in catalog.warnings)


# --- the shipped courses ----------------------------------------------------------------------------------

SHIPPED = load_catalog(PROJECT_ROOT / "courses")


@pytest.mark.parametrize("course", SHIPPED.courses, ids=lambda c: c.id)
def test_shipped_courses_have_no_item_writing_warning(course):
    assert [str(w) for w in course_warnings(course)] == []


def test_every_marker_in_the_shipped_courses_gives_a_real_reason():
    markers = [
        m
        for course in SHIPPED.courses
        for quiz in [lesson.quiz for lesson in course.lessons] + [course.exam]
        if quiz is not None
        for m in quiz.silenced + tuple(m for q in quiz.questions for m in q.silenced)
    ]
    assert all(len(m.reason.split()) >= 4 for m in markers), [m for m in markers if len(m.reason.split()) < 4]
