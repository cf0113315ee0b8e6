"""The one next-step rule over every state of a course, and the rules it stands on (no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from elearn.catalog import load_catalog
from elearn.learn.progress import (
    CourseState,
    LessonStatus,
    StepKind,
    learning_gain,
    lesson_step,
    next_step,
)
from elearn.models import EXAM, Attempt, Completion, LessonProgress
from tests.conftest import VALID_COURSES

COURSE = load_catalog(VALID_COURSES).course("layanan-dasar")  # pengantar (no quiz), prioritas (quiz, 3 tries)
PENGANTAR, PRIORITAS = COURSE.lessons
WHEN = datetime(2026, 3, 1, 8, 0)


def opened(lesson_id: str, read: bool = False, complete: bool = False) -> LessonProgress:
    return LessonProgress(
        lesson_id=lesson_id,
        course_id=COURSE.id,
        first_opened_at=WHEN,
        read_at=WHEN if read else None,
        completed_at=WHEN if complete else None,
    )


def attempt(quiz_id: str, kind: str, number: int = 1, percent: float | None = None, passed: bool | None = None):
    graded = percent is not None
    return Attempt(
        id=number * 10 + len(kind),
        course_id=COURSE.id,
        quiz_id=quiz_id,
        kind=kind,
        number=number,
        status="graded" if graded else "open",
        percent=percent,
        passed=passed if graded else None,
    )


def state(*rows: LessonProgress, attempts=(), completion=None, course=COURSE) -> CourseState:
    return CourseState(course, 1, {row.lesson_id: row for row in rows}, list(attempts), completion)


ALL_DONE = (opened("pengantar", read=True, complete=True), opened("prioritas", complete=True))
QUIZ_PASSED = attempt("prioritas", "quiz", 1, 100.0, True)


def test_a_new_learner_is_offered_the_pretest():
    step = next_step(state())
    assert step.kind is StepKind.PRETEST and step.attempt is None


def test_an_open_pretest_is_continued():
    pre = attempt(EXAM, "pretest")
    step = next_step(state(attempts=[pre]))
    assert step.kind is StepKind.PRETEST and step.attempt is pre


def test_after_the_pretest_the_first_lesson():
    step = next_step(state(attempts=[attempt(EXAM, "pretest", percent=20.0, passed=False)]))
    assert step.kind is StepKind.LESSON and step.lesson is PENGANTAR


def test_a_learner_who_skipped_the_pretest_continues_reading_and_may_still_take_it():
    current = state(opened("pengantar"))
    assert next_step(current).kind is StepKind.LESSON and next_step(current).lesson is PENGANTAR
    assert current.pretest_refusal() is None


def test_the_pretest_closes_when_the_first_lesson_is_complete():
    current = state(opened("pengantar", read=True, complete=True))
    assert "sebelum Anda menyelesaikan pelajaran pertama" in current.pretest_refusal()
    assert next_step(current).kind is StepKind.LESSON and next_step(current).lesson is PRIORITAS


def test_an_opened_quiz_lesson_not_yet_tried_is_read_first():
    step = next_step(state(opened("pengantar", read=True, complete=True), opened("prioritas")))
    assert step.kind is StepKind.LESSON and step.lesson is PRIORITAS


def test_a_quiz_under_way_is_continued():
    quiz = attempt("prioritas", "quiz")
    step = next_step(state(opened("pengantar", read=True, complete=True), opened("prioritas"), attempts=[quiz]))
    assert step.kind is StepKind.QUIZ and step.attempt is quiz


def test_a_failed_quiz_is_retried():
    failed = attempt("prioritas", "quiz", 1, 30.0, False)
    step = next_step(state(opened("pengantar", read=True, complete=True), opened("prioritas"), attempts=[failed]))
    assert step.kind is StepKind.QUIZ and step.retry and step.attempt is None


def test_after_every_lesson_the_posttest():
    step = next_step(state(*ALL_DONE, attempts=[QUIZ_PASSED]))
    assert step.kind is StepKind.POSTTEST and not step.retry


def test_a_failed_posttest_with_attempts_left_is_retried():
    failed = attempt(EXAM, "posttest", 1, 40.0, False)
    step = next_step(state(*ALL_DONE, attempts=[QUIZ_PASSED, failed]))
    assert step.kind is StepKind.POSTTEST and step.retry


def test_an_open_posttest_is_continued():
    post = attempt(EXAM, "posttest")
    step = next_step(state(*ALL_DONE, attempts=[QUIZ_PASSED, post]))
    assert step.kind is StepKind.POSTTEST and step.attempt is post


def test_posttest_attempts_used_up_leave_no_way_forward_and_say_why():
    failures = [attempt(EXAM, "posttest", n, 40.0 + n, False) for n in (1, 2)]  # the exam allows 2
    step = next_step(state(*ALL_DONE, attempts=[QUIZ_PASSED, *failures]))
    assert step.kind is StepKind.EXHAUSTED
    assert step.note == "Batas 2 kali percobaan sudah tercapai. Nilai terbaik Anda 42."


def test_a_completed_course_is_done():
    done = Completion(course_id=COURSE.id, jp=2, completed_at=WHEN)
    passed = attempt(EXAM, "posttest", 1, 90.0, True)
    assert next_step(state(*ALL_DONE, attempts=[QUIZ_PASSED, passed], completion=done)).kind is StepKind.DONE


def test_a_course_without_exam_is_done_after_its_lessons():
    no_exam = replace(COURSE, exam=None)
    assert next_step(state(*ALL_DONE, course=no_exam)).kind is StepKind.DONE
    assert next_step(state(course=no_exam)).kind is StepKind.LESSON  # no pre-test to offer


def test_on_a_lesson_page_the_step_finishes_that_lesson():
    current = state(opened("pengantar"), opened("prioritas"))
    assert lesson_step(current, PENGANTAR).kind is StepKind.READ
    quiz_step = lesson_step(current, PRIORITAS)
    assert quiz_step.kind is StepKind.QUIZ and not quiz_step.retry
    done = state(opened("pengantar", read=True, complete=True), opened("prioritas"))
    assert lesson_step(done, PENGANTAR) == next_step(done)  # a finished lesson points on


@pytest.mark.parametrize(
    ("rows", "attempts", "expected"),
    [
        ((), (), LessonStatus.NEW),
        ((opened("prioritas"),), (), LessonStatus.QUIZ_TODO),
        ((opened("prioritas"),), (attempt("prioritas", "quiz"),), LessonStatus.QUIZ_TODO),
        ((opened("prioritas"),), (attempt("prioritas", "quiz", 1, 10.0, False),), LessonStatus.QUIZ_FAILED),
        ((opened("prioritas", complete=True),), (QUIZ_PASSED,), LessonStatus.DONE),
    ],
)
def test_a_lesson_list_says_what_is_left(rows, attempts, expected):
    assert state(*rows, attempts=list(attempts)).lesson_status(PRIORITAS) is expected


def test_the_gain_uses_the_first_graded_pretest_and_posttest():
    pre = attempt(EXAM, "pretest", 1, 40.0, False)
    first_post = attempt(EXAM, "posttest", 1, 60.0, False)
    best_post = attempt(EXAM, "posttest", 2, 95.0, True)
    assert learning_gain([pre, first_post, best_post]) == 20.0
    assert learning_gain([first_post, best_post]) is None  # without a pre-test, no gain
    assert learning_gain([pre, attempt(EXAM, "posttest")]) is None  # an open post-test does not count
