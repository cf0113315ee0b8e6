"""`flask courses check`: messages, summary line, exit codes and the JSON shape."""

from __future__ import annotations

import json

from elearn.config import PROJECT_ROOT
from tests.conftest import FIXTURES, VALID_COURSES


def test_check_passes_on_valid_courses(runner):
    result = runner.invoke(args=["courses", "check", str(VALID_COURSES)])
    assert result.exit_code == 0, result.output
    summary = result.output.splitlines()[-1]
    assert (
        summary
        == "1 kursus diperiksa: 1 baik, 0 bermasalah; 2 pelajaran, 10 soal; 0 masalah, 1 peringatan penulisan soal"
    )


def test_check_defaults_to_the_configured_folder(runner):
    result = runner.invoke(args=["courses", "check"])
    assert result.exit_code == 0 and "1 baik" in result.output


def test_check_fails_with_path_line_message(runner):
    broken = FIXTURES / "courses" / "broken"
    result = runner.invoke(args=["courses", "check", str(broken)])
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert (
        first == f'{broken}/rusak/01-satu.md:9: soal "Apa itu gratifikasi?" tidak punya opsi benar: tandai dengan (x) '
        "[choice-no-correct]"
    )
    assert "1 bermasalah" in result.output.splitlines()[-1]


def test_check_json_has_the_documented_shape(runner):
    result = runner.invoke(args=["courses", "check", str(VALID_COURSES), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["errors"] == []
    assert set(data) == {"courses", "errors", "warnings"}
    course = data["courses"][0]
    assert set(course) == {"id", "title", "jp", "lessons", "exam"}
    lesson = course["lessons"][1]
    assert set(lesson) == {"id", "title", "minutes", "quiz"}
    assert course["lessons"][0]["quiz"] is None
    question = lesson["quiz"]["questions"][0]
    assert question == {
        "id": "q-fungsi",
        "type": "single",
        "points": 1,
        "text": "Apa fungsi utama matriks Eisenhower?",
        "options": [
            "Memilah tugas menurut penting dan mendesak",
            "Menghitung jam lembur",
            "Membagi tugas sama rata",
        ],
        "correct": [0],
        "explanation": "Matriks Eisenhower memetakan tugas ke empat kuadran.",
        "feedback": [None, "Jam lembur dicatat bagian kepegawaian.", None],
    }
    types = {q["id"]: (q["type"], q["correct"]) for q in lesson["quiz"]["questions"]}
    assert types["q-jp"] == ("numeric", [20, 0])
    assert types["q-urut"][0] == "ordering"
    exam = course["exam"]
    assert exam["time_limit"] == 10 and exam["questions_per_attempt"] == 3 and exam["attempts"] == 2
    assert {"pass_score", "attempts", "questions", "time_limit", "questions_per_attempt"} <= set(exam)


def test_check_json_lists_errors(runner):
    result = runner.invoke(args=["courses", "check", str(FIXTURES / "courses" / "broken"), "--json"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["courses"] == []
    assert data["errors"][0]["line"] == 9 and data["errors"][0]["path"].endswith("rusak/01-satu.md")
    assert data["errors"][0]["code"] == "choice-no-correct"
    assert data["errors"][0]["message"].startswith('soal "Apa itu gratifikasi?" tidak punya opsi benar')


def test_check_of_a_missing_folder_fails_clearly(runner, tmp_path):
    result = runner.invoke(args=["courses", "check", str(tmp_path / "tidak-ada")])
    assert result.exit_code == 1 and "folder kursus tidak ditemukan" in result.output
    assert "[courses-folder-missing]" in result.output


def test_shipped_courses_pass_the_checker(runner):
    result = runner.invoke(args=["courses", "check", str(PROJECT_ROOT / "courses")])
    assert result.exit_code == 0, result.output


def test_warnings_are_printed_after_the_errors_labelled_and_never_fail_the_check(runner):
    result = runner.invoke(args=["courses", "check", str(VALID_COURSES)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()[:-1]
    assert lines == [f"{VALID_COURSES}/layanan-dasar/exam.md:1: peringatan: " + lines[0].split(": peringatan: ", 1)[1]]
    assert lines[0].endswith("[exam-pool-small]")


def test_check_json_lists_warnings_with_their_codes(runner):
    result = runner.invoke(args=["courses", "check", str(VALID_COURSES), "--json"])
    warnings = json.loads(result.output)["warnings"]
    assert [(w["code"], w["line"]) for w in warnings] == [("exam-pool-small", 1)]
    assert set(warnings[0]) == {"path", "line", "code", "message"}
    assert warnings[0]["path"].endswith("layanan-dasar/exam.md")
