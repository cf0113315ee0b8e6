"""Learner progress: which lessons a user opened, read and completed.

The completion rule lives in ``lesson_is_complete`` and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from ..catalog import Course, Lesson
from ..extensions import db
from ..models import EXAM, Attempt, Completion, LessonProgress, utcnow


def lesson_is_complete(lesson: Lesson, read: bool, quiz_passed: bool) -> bool:
    """A lesson is complete when it was read and, if it has a quiz, the quiz was passed."""
    return read and (lesson.quiz is None or quiz_passed)


@dataclass
class CourseProgress:
    """One user's progress through one course."""

    course: Course
    rows: dict[str, LessonProgress] = field(default_factory=dict)

    def row(self, lesson_id: str) -> LessonProgress | None:
        return self.rows.get(lesson_id)

    def is_read(self, lesson_id: str) -> bool:
        row = self.rows.get(lesson_id)
        return bool(row and row.read_at)

    def is_complete(self, lesson_id: str) -> bool:
        row = self.rows.get(lesson_id)
        return bool(row and row.completed_at)

    @property
    def completed(self) -> int:
        return sum(1 for lesson in self.course.lessons if self.is_complete(lesson.id))

    @property
    def total(self) -> int:
        return len(self.course.lessons)

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0

    @property
    def started(self) -> bool:
        return bool(self.rows)

    @property
    def any_complete(self) -> bool:
        return self.completed > 0

    @property
    def all_lessons_complete(self) -> bool:
        return self.total > 0 and self.completed == self.total

    def next_lesson(self) -> Lesson | None:
        """Return the first lesson that is not complete yet."""
        return next((lesson for lesson in self.course.lessons if not self.is_complete(lesson.id)), None)


def course_progress(user_id: int, course: Course) -> CourseProgress:
    """Return the user's progress through one course (one query)."""
    rows = db.session.execute(db.select(LessonProgress).filter_by(user_id=user_id, course_id=course.id)).scalars()
    return CourseProgress(course, {row.lesson_id: row for row in rows})


def progress_by_course(user_id: int, courses: tuple[Course, ...]) -> dict[str, CourseProgress]:
    """Return the user's progress through every given course (one query for all)."""
    result = {course.id: CourseProgress(course) for course in courses}
    rows = db.session.execute(db.select(LessonProgress).filter_by(user_id=user_id)).scalars()
    for row in rows:
        if row.course_id in result and result[row.course_id].course.lesson(row.lesson_id):
            result[row.course_id].rows[row.lesson_id] = row
    return result


def get_or_create_progress(user_id: int, course_id: str, lesson_id: str) -> LessonProgress:
    """Return the user's progress row for a lesson, creating it if needed (not committed)."""
    query = db.select(LessonProgress).filter_by(user_id=user_id, course_id=course_id, lesson_id=lesson_id)
    row = db.session.execute(query).scalar_one_or_none()
    if row is not None:
        return row
    try:
        with db.session.begin_nested():
            row = LessonProgress(user_id=user_id, course_id=course_id, lesson_id=lesson_id)
            db.session.add(row)
    except IntegrityError:
        # Another request (a second tab) created it between our select and insert.
        row = db.session.execute(query).scalar_one()
    return row


def open_lesson(user_id: int, course: Course, lesson: Lesson) -> LessonProgress:
    """Record that the user opened the lesson (the first time only)."""
    row = get_or_create_progress(user_id, course.id, lesson.id)
    db.session.commit()
    return row


def mark_read(user_id: int, course: Course, lesson: Lesson) -> LessonProgress:
    """Record that the user read the lesson, and complete what the rules now allow."""
    row = get_or_create_progress(user_id, course.id, lesson.id)
    row.read_at = row.read_at or utcnow()
    db.session.flush()
    refresh_completion(user_id, course)
    db.session.commit()
    return row


def passed_quizzes(user_id: int, course_id: str) -> set[str]:
    """Return the ids of the lessons whose quiz the user has passed (one query)."""
    query = (
        db.select(Attempt.quiz_id).filter_by(user_id=user_id, course_id=course_id, kind="quiz", passed=True).distinct()
    )
    return set(db.session.execute(query).scalars())


def refresh_completion(user_id: int, course: Course) -> bool:
    """Apply the completion rules to what the user did; return whether anything changed.

    Runs after every read mark and graded attempt, and whenever a course page is shown, so a
    pass recorded while the course was hidden, or a quiz a trainer removed, never leaves a
    learner stuck. Never un-completes anything.
    """
    progress = course_progress(user_id, course)
    passed = None
    changed = False
    for lesson in course.lessons:
        row = progress.row(lesson.id)
        if row is None or row.read_at is None or row.completed_at is not None:
            continue
        if lesson.quiz is not None and passed is None:
            passed = passed_quizzes(user_id, course.id)
        update_completion(row, lesson, quiz_passed=lesson.quiz is not None and lesson.id in passed)
        changed |= row.completed_at is not None
    if changed:
        db.session.flush()
    if progress.all_lessons_complete or changed:
        changed |= complete_course_if_done(user_id, course, created_only=True) is not None
    return changed


def update_completion(row: LessonProgress, lesson: Lesson, quiz_passed: bool) -> None:
    """Set or keep ``completed_at`` according to the completion rule (never unset it)."""
    if row.completed_at is None and lesson_is_complete(lesson, row.read_at is not None, quiz_passed):
        row.completed_at = utcnow()


def course_is_complete(course: Course, progress: CourseProgress, posttest_passed: bool) -> bool:
    """A course is complete when every lesson is complete and, if it has an exam, the post-test is passed."""
    return progress.all_lessons_complete and (course.exam is None or posttest_passed)


def completion_of(user_id: int, course_id: str) -> Completion | None:
    """Return the user's completion record of a course, if any."""
    query = db.select(Completion).filter_by(user_id=user_id, course_id=course_id)
    return db.session.execute(query).scalar_one_or_none()


def catch_up(user_id: int, course: Course) -> None:
    """Apply the completion rules before a page shows progress (commits only a change)."""
    if refresh_completion(user_id, course):
        db.session.commit()


def complete_course_if_done(user_id: int, course: Course, created_only: bool = False) -> Completion | None:
    """Credit the course's JP once, on the day the completion rule is first met.

    Returns the completion (with ``created_only``: only one created by this call).
    """
    existing = completion_of(user_id, course.id)
    if existing is not None:
        return None if created_only else existing
    best = db.session.execute(
        db.select(func.max(Attempt.percent)).filter_by(
            user_id=user_id, course_id=course.id, quiz_id=EXAM, kind="posttest", passed=True
        )
    ).scalar_one()
    if not course_is_complete(course, course_progress(user_id, course), posttest_passed=best is not None):
        return None
    completion = Completion(user_id=user_id, course_id=course.id, jp=course.jp, final_score=best, completed_at=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(completion)
    except IntegrityError:  # credited by a concurrent request
        return completion_of(user_id, course.id)
    return completion
