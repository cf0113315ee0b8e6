"""How learners do in one course, for its trainers: a fixed number of aggregate queries.

Learners who started and completed it; the pre-test, post-test and gain averages with their
number of learners (the leaders' definition, ``reports.unit.course_figures``); each quiz's
pass rate; and where learners stop: per lesson, the learners who opened it, completed it, and
opened it without completing it while the course is still unfinished for them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, select

from ..catalog.model import Course
from ..extensions import db
from ..models import EXAM, Attempt, Completion, LessonProgress, User
from ..reports.scope import Scope
from ..reports.unit import CourseFigures, course_figures

EVERYONE = Scope(None, "Seluruh Kabupaten Sleman")


@dataclass
class QuizFigures:
    quiz_id: str  # a lesson id, or EXAM for the post-test
    title: str
    learners: int  # who submitted at least one graded attempt
    passed: int  # of them, who passed at least once
    first_passed: int  # who passed at their first attempt
    attempts: int

    @property
    def pass_rate(self) -> float | None:
        return round(100 * self.passed / self.learners, 1) if self.learners else None

    @property
    def first_pass_rate(self) -> float | None:
        return round(100 * self.first_passed / self.learners, 1) if self.learners else None


@dataclass
class LessonFigures:
    lesson_id: str
    title: str
    opened: int
    completed: int
    stuck: int  # opened, not completed, and the course not completed either


@dataclass
class CourseResults:
    figures: CourseFigures
    quizzes: list[QuizFigures]
    lessons: list[LessonFigures]

    @property
    def stop_lesson(self) -> LessonFigures | None:
        """The lesson most often opened but never completed (None when nobody is stuck)."""
        stuck = max(self.lessons, key=lambda lesson: lesson.stuck, default=None)
        return stuck if stuck is not None and stuck.stuck > 0 else None


def course_results(course: Course) -> CourseResults:
    """Every figure of the course results page (five queries, whatever the number of learners)."""
    figures = course_figures(EVERYONE, None, [course.id])[course.id]
    return CourseResults(figures=figures, quizzes=_quizzes(course), lessons=_lessons(course))


def _quizzes(course: Course) -> list[QuizFigures]:
    graded = (
        Attempt.course_id == course.id,
        Attempt.status == "graded",
        Attempt.kind.in_(("quiz", "posttest")),
        Attempt.user_id.in_(select(User.id).where(User.active)),
    )
    # Each attempt numbered within its learner's tries at that quiz: one pass over the attempts,
    # no join of the attempts to themselves (whose plan depends on fresh planner statistics).
    ranked = (
        select(
            Attempt.quiz_id,
            Attempt.user_id,
            Attempt.passed,
            func.row_number()
            .over(partition_by=(Attempt.user_id, Attempt.quiz_id, Attempt.kind), order_by=Attempt.number)
            .label("try_number"),
        )
        .where(*graded)
        .subquery()
    )
    passed = ranked.c.passed.is_(True)
    per_learner = (
        select(
            ranked.c.quiz_id,
            ranked.c.user_id,
            func.max(case((passed, 1), else_=0)).label("passed"),
            func.max(case((and_(ranked.c.try_number == 1, passed), 1), else_=0)).label("first_passed"),
            func.count().label("attempts"),
        )
        .group_by(ranked.c.quiz_id, ranked.c.user_id)
        .subquery()
    )
    rows = {
        quiz_id: (learners, passed, first_passed, attempts)
        for quiz_id, learners, passed, first_passed, attempts in db.session.execute(
            select(
                per_learner.c.quiz_id,
                func.count(),
                func.sum(per_learner.c.passed),
                func.sum(per_learner.c.first_passed),
                func.sum(per_learner.c.attempts),
            ).group_by(per_learner.c.quiz_id)
        )
    }
    quizzes = [(lesson.id, f"Kuis: {lesson.title}") for lesson in course.lessons if lesson.quiz]
    if course.exam:
        quizzes.append((EXAM, "Post-test"))
    found = []
    for quiz_id, title in quizzes:
        learners, passed, first_passed, attempts = rows.get(quiz_id, (0, 0, 0, 0))
        found.append(
            QuizFigures(quiz_id, title, learners, int(passed or 0), int(first_passed or 0), int(attempts or 0))
        )
    return found


def _lessons(course: Course) -> list[LessonFigures]:
    unfinished = LessonProgress.user_id.not_in(select(Completion.user_id).where(Completion.course_id == course.id))
    rows = {
        lesson_id: (opened, completed, stuck)
        for lesson_id, opened, completed, stuck in db.session.execute(
            select(
                LessonProgress.lesson_id,
                func.count(),
                func.count(LessonProgress.completed_at),
                func.sum(case((and_(LessonProgress.completed_at.is_(None), unfinished), 1), else_=0)),
            )
            .where(
                LessonProgress.course_id == course.id, LessonProgress.user_id.in_(select(User.id).where(User.active))
            )
            .group_by(LessonProgress.lesson_id)
        )
    }
    return [
        LessonFigures(lesson.id, lesson.title, *(int(v or 0) for v in rows.get(lesson.id, (0, 0, 0))))
        for lesson in course.lessons
    ]
