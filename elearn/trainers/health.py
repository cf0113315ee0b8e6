"""Course health: every course of the library with its status, size, pool, problems and warnings.

Read from the catalog already in memory and the file times the library last looked at: no
database, no file read per request. Paths are relative to the course library, never the
server's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from ..catalog.model import Catalog, Course, Problem
from ..library import CourseLibrary


@dataclass
class ShownProblem:
    path: str  # relative to the course library
    line: int
    message: str
    code: str  # the stable name of its kind, see catalog/messages.py

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class LessonRow:
    id: str
    title: str
    path: str
    questions: int
    draw: int | None  # None: every question, every time


@dataclass
class CourseHealth:
    id: str
    title: str
    path: str
    published: bool
    changed_at: datetime | None
    course: Course | None  # None: the course could not be read at all
    lessons: list[LessonRow] = field(default_factory=list)
    exam_pool: int | None = None
    exam_draw: int | None = None
    errors: list[ShownProblem] = field(default_factory=list)
    warnings: list[ShownProblem] = field(default_factory=list)

    @property
    def questions(self) -> int:
        return sum(lesson.questions for lesson in self.lessons)


def course_health(catalog: Catalog, library: CourseLibrary) -> list[CourseHealth]:
    """Every course, hidden ones (with their errors) first, then the published ones in catalog order."""
    changed = library.last_changes()
    warnings = _by_course(catalog.warnings, library)
    rows = []
    for broken in catalog.broken:
        row = _row(broken.id, broken.title, broken.path, broken.partial, library, changed)
        row.published = False
        row.errors = [_shown(problem, library) for problem in broken.problems]
        row.warnings = warnings.get(broken.id, [])
        rows.append(row)
    for course in catalog.courses:
        row = _row(course.id, course.title, course.path, course, library, changed)
        row.warnings = warnings.get(course.id, [])
        rows.append(row)
    return rows


def _row(
    course_id: str, title: str, path: str, course: Course | None, library: CourseLibrary, changed: dict
) -> CourseHealth:
    stamp = changed.get(library.relative(path).split("/")[0])
    row = CourseHealth(
        id=course_id,
        title=title,
        path=library.relative(path),
        published=True,
        changed_at=datetime.fromtimestamp(stamp, UTC).replace(tzinfo=None) if stamp else None,
        course=course,
    )
    if course is not None:
        row.lessons = [
            LessonRow(
                lesson.id,
                lesson.title,
                library.relative(lesson.path),
                len(lesson.quiz.questions) if lesson.quiz else 0,
                None,
            )
            for lesson in course.lessons
        ]
        if course.exam is not None:
            row.exam_pool = len(course.exam.questions)
            row.exam_draw = course.exam.questions_per_attempt or row.exam_pool
    return row


def _shown(problem: Problem, library: CourseLibrary) -> ShownProblem:
    return ShownProblem(library.relative(problem.path), problem.line, problem.message, problem.code)


def _by_course(problems: tuple[Problem, ...], library: CourseLibrary) -> dict[str, list[ShownProblem]]:
    found: dict[str, list[ShownProblem]] = {}
    for problem in problems:
        shown = _shown(problem, library)
        found.setdefault(shown.path.split("/")[0], []).append(shown)
    return found
