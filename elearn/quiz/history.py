"""A learner's attempts, grouped by course: pre-test, each lesson's quiz, post-test."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import defer

from ..catalog import Catalog
from ..extensions import db
from ..models import EXAM, Attempt, AttemptKind


@dataclass
class HistorySection:
    """The attempts at one quiz of a course, newest first."""

    title: str
    attempts: list[Attempt] = field(default_factory=list)


@dataclass
class HistoryGroup:
    """One course's attempts, in the order the course is taken."""

    course_id: str
    title: str
    sections: list[HistorySection] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(section.attempts) for section in self.sections)


def attempt_history(user_id: int, catalog: Catalog, course_id: str | None = None) -> list[HistoryGroup]:
    """Return the user's attempts grouped by course (catalog order), then by quiz (course order)."""
    query = db.select(Attempt).options(defer(Attempt.snapshot)).filter_by(user_id=user_id)
    if course_id:
        query = query.filter_by(course_id=course_id)
    by_course: dict[str, list[Attempt]] = {}
    for attempt in db.session.execute(query.order_by(Attempt.started_at.desc(), Attempt.id.desc())).scalars():
        by_course.setdefault(attempt.course_id, []).append(attempt)
    order = {course.id: i for i, course in enumerate(catalog.courses)}
    groups = []
    for cid in sorted(by_course, key=lambda c: (order.get(c, len(order)), c)):
        groups.append(_group(cid, by_course[cid], catalog))
    return groups


def _group(course_id: str, attempts: list[Attempt], catalog: Catalog) -> HistoryGroup:
    course = catalog.course(course_id)
    group = HistoryGroup(course_id, course.title if course else course_id)
    lesson_order = {lesson.id: i for i, lesson in enumerate(course.lessons)} if course else {}

    def rank(key: tuple[str, str]) -> tuple:
        quiz_id, kind = key
        if kind == AttemptKind.PRETEST:
            return (0, 0, "")
        if kind == AttemptKind.POSTTEST:
            return (2, 0, "")
        return (1, lesson_order.get(quiz_id, len(lesson_order)), quiz_id)

    sections: dict[tuple[str, str], HistorySection] = {}
    for attempt in attempts:
        key = (attempt.quiz_id, attempt.kind)
        if key not in sections:
            sections[key] = HistorySection(_section_title(attempt, course))
        sections[key].attempts.append(attempt)
    group.sections = [sections[key] for key in sorted(sections, key=rank)]
    return group


def _section_title(attempt: Attempt, course) -> str:
    if attempt.kind == AttemptKind.PRETEST:
        return "Pre-test"
    if attempt.kind == AttemptKind.POSTTEST:
        return "Post-test"
    lesson = course.lesson(attempt.quiz_id) if course and attempt.quiz_id != EXAM else None
    if lesson is None:
        return attempt.title
    return f"Kuis pelajaran {course.lessons.index(lesson) + 1}: {lesson.title}"


def course_choices(user_id: int, catalog: Catalog) -> list[tuple[str, str]]:
    """Return (id, title) of every course the user has attempts in, for the filter."""
    ids = set(db.session.execute(db.select(Attempt.course_id).filter_by(user_id=user_id).distinct()).scalars())
    known = [(course.id, course.title) for course in catalog.courses if course.id in ids]
    return known + sorted((cid, cid) for cid in ids - {cid for cid, _ in known})
