"""What the review of a graded attempt shows, question by question, and when keys are revealed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..catalog.model import ReviewPolicy
from ..learn.progress import CourseState
from ..models import EXAM, Attempt, AttemptKind
from .snapshot import ShownQuestion
from .types import question_type


@dataclass(frozen=True)
class Reveal:
    """What a review may show: right/wrong marks, the feedback on picked options, the key."""

    marks: bool
    feedback: bool
    key: bool  # the correct answers and the explanations
    note: str | None = None  # what is held back, and until when


EVERYTHING = Reveal(marks=True, feedback=True, key=True)
EXAM_HIDDEN = Reveal(
    marks=False,
    feedback=False,
    key=False,
    note="Benar-salah per soal, kunci jawaban dan pembahasan ujian ditampilkan setelah Anda menyelesaikan "
    "kursus atau kesempatan post-test habis, karena pre-test dan post-test memakai bank soal yang sama.",
)
UNTIL_PASSED = Reveal(
    marks=True,
    feedback=True,
    key=False,
    note="Kunci jawaban dan pembahasan tampil setelah Anda lulus kuis ini. Perhatikan soal yang masih salah "
    "dan umpan balik pada jawaban Anda, baca lagi bagian pelajaran yang terkait, lalu coba lagi.",
)
KEY_NEVER = Reveal(
    marks=True,
    feedback=True,
    key=False,
    note="Kunci jawaban kuis ini tidak ditampilkan. Perhatikan soal yang masih salah dan umpan balik pada "
    "jawaban Anda.",
)
KEY_UNKNOWN = Reveal(marks=True, feedback=True, key=False, note="Kunci jawaban tidak dapat ditampilkan saat ini.")


def reveal_for(attempt: Attempt, state: CourseState | None) -> Reveal:
    """Return what the review of ``attempt`` may show now.

    Exams show nothing but the learner's own answers until the course is complete or no
    post-test attempt is left, because pre-test and post-test draw from the same pool.
    A lesson quiz follows its review policy (``review:`` in the lesson or course front matter):
    ``immediately`` shows everything; ``after-pass`` (the default) shows right/wrong and the
    feedback on the options picked, and the key with the explanations once the learner passed
    the quiz or has no attempt left; ``never`` never shows the key. While the course or the
    lesson cannot be loaded, the key stays hidden.
    """
    if attempt.quiz_id == EXAM:
        if state is None or state.course.exam is None:
            return EXAM_HIDDEN
        left = state.attempts_left(EXAM, AttemptKind.POSTTEST, state.course.exam.attempts)
        return EVERYTHING if state.completion is not None or left == 0 else EXAM_HIDDEN
    lesson = state.course.lesson(attempt.quiz_id) if state is not None else None
    if lesson is None or lesson.quiz is None:
        return KEY_UNKNOWN
    policy = lesson.quiz.review
    if policy == ReviewPolicy.IMMEDIATELY:
        return EVERYTHING
    if policy == ReviewPolicy.AFTER_PASS:
        passed = state.quiz_passed(lesson.id)
        exhausted = state.attempts_left(lesson.id, AttemptKind.QUIZ, lesson.quiz.attempts) == 0
        return EVERYTHING if passed or exhausted else UNTIL_PASSED
    return KEY_NEVER


@dataclass
class ReviewItem:
    """One question of a graded attempt with the learner's answer, its score and its type's review data."""

    number: int
    question: ShownQuestion
    response: Any
    points: float
    correct: bool
    answered: bool
    data: dict[str, Any]  # from the question's type: picked options, rows, blanks, ...
    template: str  # the type's partial, with the ``review`` macro


def review_items(attempt: Attempt) -> list[ReviewItem]:
    """Return each question of a graded attempt with the learner's answer and its score."""
    answers = {answer.position: answer for answer in attempt.answers}
    items = []
    for position, question in enumerate(attempt.questions):
        answer = answers.get(position)
        response = answer.response if answer else None
        qtype = question_type(question.type)
        items.append(
            ReviewItem(
                number=position + 1,
                question=question,
                response=response,
                points=answer.points if answer and answer.points is not None else 0.0,
                correct=bool(answer and answer.correct),
                answered=qtype.is_answered(question, response),
                data=qtype.review(question, response),
                template=qtype.template,
            )
        )
    return items
