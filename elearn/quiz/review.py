"""What the review of a graded attempt shows, question by question."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..catalog import Course
from ..learn.progress import completion_of
from ..models import Attempt
from .attempts import attempts_left, attempts_of, exam
from .scoring import is_answered


@dataclass
class ReviewItem:
    number: int
    question: dict
    response: Any
    points: float
    correct: bool
    answered: bool
    picked: set[int]  # shown indexes the learner chose (choice questions)
    learner_order: list[str]  # the items in the learner's order (ordering)


def reveal_answers(attempt: Attempt, course: Course | None, user_id: int) -> bool:
    """Whether the review may show keys, explanations and per-question marks.

    Lesson quizzes show them at once. The exam keeps them until the course is complete or
    no post-test attempt is left, because pre-test and post-test draw from the same pool;
    while the course or its exam cannot be loaded, they stay hidden.
    """
    if not attempt.is_exam:
        return True
    if completion_of(user_id, attempt.course_id) is not None:
        return True
    ref = exam(course, "posttest") if course is not None else None
    if ref is None:
        return False
    return attempts_left(ref, attempts_of(user_id, attempt.course_id, attempt.quiz_id, "posttest")) == 0


def review_items(attempt: Attempt, course: Course | None, user_id: int) -> tuple[list[ReviewItem], bool]:
    answers = {answer.position: answer for answer in attempt.answers}
    items = []
    for position, question in enumerate(attempt.questions):
        answer = answers.get(position)
        response = answer.response if answer else None
        picked: set[int] = set()
        order: list[str] = []
        if question["type"] == "single" and isinstance(response, int):
            picked = {response}
        elif question["type"] == "multiple" and isinstance(response, list):
            picked = set(response)
        elif question["type"] == "ordering" and isinstance(response, list):
            ranked = sorted((rank, i) for i, rank in enumerate(response) if rank is not None)
            order = [question["options"][i] for _, i in ranked]
        items.append(
            ReviewItem(
                number=position + 1,
                question=question,
                response=response,
                points=answer.points if answer and answer.points is not None else 0.0,
                correct=bool(answer and answer.correct),
                answered=is_answered(question, response),
                picked=picked,
                learner_order=order,
            )
        )
    return items, reveal_answers(attempt, course, user_id)
