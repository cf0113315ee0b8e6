"""A learner's next step as the button a page shows: its label, where it goes, and how."""

from __future__ import annotations

from dataclasses import dataclass

from ..catalog import Course
from ..urls import url_for
from .progress import NextStep, StepKind


@dataclass(frozen=True)
class Action:
    """A primary button: a link (GET) or a one-button form (POST)."""

    label: str
    url: str
    method: str = "get"
    hint: str | None = None  # one line under the button


def step_action(step: NextStep, course: Course) -> Action | None:
    """Return the button for ``step`` in ``course`` (None: there is no way forward)."""
    kind, lesson, attempt = step.kind, step.lesson, step.attempt
    if attempt is not None and kind in (StepKind.PRETEST, StepKind.QUIZ, StepKind.POSTTEST):
        name = {"pretest": "pre-test", "posttest": "post-test"}.get(kind, "kuis")
        return Action(f"Lanjutkan {name}", url_for("quiz.take", attempt_id=attempt.id), hint="Jawaban Anda tersimpan.")
    if kind is StepKind.PRETEST:
        return Action(
            "Kerjakan pre-test",
            url_for("quiz.exam_page", course_id=course.id, slug="pre-test"),
            hint="Opsional, sekali saja: mengukur pengetahuan awal Anda sebelum belajar.",
        )
    if kind is StepKind.LESSON:
        number = course.lessons.index(lesson) + 1
        verb = "Mulai belajar" if number == 1 else f"Lanjut ke pelajaran {number}"
        return Action(f"{verb}: {lesson.title}", url_for("learn.lesson", course_id=course.id, lesson_id=lesson.id))
    if kind is StepKind.READ:
        return Action(
            "Tandai selesai",
            url_for("learn.mark_done", course_id=course.id, lesson_id=lesson.id),
            method="post",
        )
    if kind is StepKind.QUIZ:
        url = url_for("quiz.lesson_quiz_page", course_id=course.id, lesson_id=lesson.id)
        if step.retry:
            return Action(f"Coba lagi kuis: {lesson.title}", url)
        return Action(
            f"Kerjakan kuis: {lesson.title}",
            url,
            hint=f"Lulus kuis ({lesson.quiz.pass_score} dari 100) menyelesaikan pelajaran ini.",
        )
    if kind is StepKind.POSTTEST:
        url = url_for("quiz.exam_page", course_id=course.id, slug="post-test")
        if step.retry:
            return Action("Coba lagi post-test", url)
        return Action("Kerjakan post-test", url, hint=f"Lulus post-test menyelesaikan kursus: {course.jp} JP.")
    if kind is StepKind.DONE:
        return Action("Lihat hasil kursus", url_for("learn.course", course_id=course.id))
    return None
