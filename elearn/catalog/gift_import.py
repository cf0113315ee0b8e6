"""Append converted GIFT questions to a lesson's quiz (or the exam's pool), all or nothing.

The course must load cleanly before the import; after writing it is loaded again and, if
the checker finds any problem, the original file is put back, so a course is never left
half-written.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .gift import GiftResult, convert_gift
from .load import COURSE_ID, LESSON_FILE, load_course
from .model import Course, Problem
from .parse import split_quiz

EXAM_TARGETS = ("ujian", "exam")


class GiftImportError(Exception):
    """The import cannot start or was undone; the message (Indonesian) says why."""

    def __init__(self, message: str, problems: tuple[Problem, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems


@dataclass
class GiftImport:
    """What an import did (or, for a dry run, would do)."""

    target: Path
    result: GiftResult
    markdown: str
    written: bool = False


def target_file(folder: Path, lesson: str) -> Path:
    """Return the file of lesson ``lesson`` (its id, or its file name without .md), or exam.md for 'ujian'."""
    if lesson in EXAM_TARGETS:
        exam = folder / "exam.md"
        if not exam.is_file():
            raise GiftImportError(
                f"Kursus '{folder.name}' belum punya exam.md. Buat ujiannya dulu (lihat docs/course-format.md), "
                "lalu impor lagi."
            )
        return exam
    for path in sorted(folder.glob("*.md")):
        match = LESSON_FILE.match(path.name)
        if match and lesson in (match.group(2), path.stem):
            return path
    raise GiftImportError(f"Pelajaran '{lesson}' tidak ada di kursus '{folder.name}'.")


def _question_ids(course: Course, target: Path) -> set[str]:
    quizzes = [lesson.quiz for lesson in course.lessons if Path(lesson.path) == target and lesson.quiz]
    if target.name == "exam.md" and course.exam:
        quizzes.append(course.exam)
    return {question.id for quiz in quizzes for question in quiz.questions}


def appended(original: str, markdown: str) -> str:
    """Return a course file's text with ``markdown`` appended to its quiz (a '## Kuis' added if missing)."""
    text = original.rstrip("\n") + "\n\n"
    if split_quiz(original.replace("\r\n", "\n").split("\n")) is None:
        text += "## Kuis\n\n"
    return text + markdown


def _write(path: Path, data: bytes) -> None:
    """Replace ``path`` in one step (a reader sees the old file or the new one, never a part)."""
    handle, temporary = tempfile.mkstemp(prefix=".gift-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, path.stat().st_mode & 0o777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def import_gift(courses_dir: Path, course_id: str, lesson: str, gift_text: str, dry_run: bool = False) -> GiftImport:
    """Convert ``gift_text`` and append it to the lesson's (or exam's) quiz; undo if the checker objects."""
    if not COURSE_ID.match(course_id):
        raise GiftImportError(f"Id kursus '{course_id[:60]}' tidak sah (hanya a-z, 0-9 dan '-').")
    folder = Path(courses_dir) / course_id
    if not (folder / "course.md").is_file():
        raise GiftImportError(f"Kursus '{course_id}' tidak ditemukan di {courses_dir}.")
    target = target_file(folder, lesson)
    course, problems = load_course(folder)
    if problems or course is None:
        raise GiftImportError(
            f"Kursus '{course_id}' sudah bermasalah sebelum impor; perbaiki dulu masalah berikut:", tuple(problems)
        )
    result = convert_gift(gift_text, _question_ids(course, target))
    outcome = GiftImport(target, result, result.markdown())
    if dry_run or not result.converted:
        return outcome
    original = target.read_bytes()
    try:
        _write(target, appended(original.decode("utf-8"), outcome.markdown).encode("utf-8"))
    except OSError as error:
        raise GiftImportError(f"{target} tidak dapat ditulis ({error.strerror}); tidak ada yang diubah.") from None
    course, problems = load_course(folder)
    if problems or course is None:
        _write(target, original)
        raise GiftImportError(
            f"Pemeriksa menolak hasil impor; {target.name} dikembalikan seperti semula. Masalahnya:", tuple(problems)
        )
    missing = {question.id for question in result.converted} - _question_ids(course, target)
    if missing:
        # e.g. an unclosed ``` block above: the questions would be shown as text, keys and all
        _write(target, original)
        raise GiftImportError(
            f"Soal hasil impor tidak terbaca sebagai kuis {target.name} (mungkin ada blok kode ``` yang tidak "
            "ditutup); berkas dikembalikan seperti semula."
        )
    outcome.written = True
    return outcome
