"""Attempts: start, save, submit and grade, with the rules for limits, time and exams.

Who may start which quiz is decided by ``CourseState.refusal`` (learn.progress); grading happens
once per attempt, claimed with a compare-and-set update, in the same transaction as the
answers and the progress it unlocks.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from ..catalog import Course, Lesson, Question, Quiz
from ..extensions import db
from ..learn.progress import apply_rules, load_state, open_lesson
from ..library import current_catalog
from ..models import EXAM, Answer, Attempt, AttemptKind, utcnow
from .scoring import SMALL_NUMBER, read_response, score

GRACE = timedelta(seconds=30)  # network and clock slack after an exam's deadline
KIND_TITLES = {"pretest": "Pre-test", "posttest": "Post-test"}


class QuizError(Exception):
    """A rule stops the action; the message (Indonesian) is shown to the learner."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class QuizRef:
    """Which quiz: a lesson's quiz, or the course exam taken as pre-test or post-test."""

    course: Course
    quiz: Quiz
    quiz_id: str
    kind: str
    lesson: Lesson | None = None

    @property
    def title(self) -> str:
        if self.lesson is not None:
            return f"Kuis: {self.lesson.title}"
        return f"{KIND_TITLES[self.kind]}: {self.course.title}"

    @property
    def name(self) -> str:
        """What the quiz is called in a sentence or on a button: 'kuis', 'Pre-test', 'Post-test'."""
        return KIND_TITLES.get(self.kind, "kuis")

    @property
    def attempt_limit(self) -> int | None:
        return 1 if self.kind == "pretest" else self.quiz.attempts


def lesson_quiz(course: Course, lesson: Lesson) -> QuizRef | None:
    return QuizRef(course, lesson.quiz, lesson.id, "quiz", lesson) if lesson.quiz else None


def exam(course: Course, kind: str) -> QuizRef | None:
    if course.exam is None or kind not in KIND_TITLES:
        return None
    return QuizRef(course, course.exam, EXAM, kind)


# --- reading ------------------------------------------------------------------------------


def attempts_of(user_id: int, course_id: str, quiz_id: str, kind: str | None = None) -> list[Attempt]:
    """Return the user's attempts at one quiz, oldest first."""
    query = db.select(Attempt).filter_by(user_id=user_id, course_id=course_id, quiz_id=quiz_id)
    if kind:
        query = query.filter_by(kind=kind)
    return list(db.session.execute(query.order_by(Attempt.number)).scalars())


# --- starting -----------------------------------------------------------------------------


def build_snapshot(quiz: Quiz, rng: random.Random) -> dict:
    """Draw and order the questions and options of a new attempt, with their answer key."""
    questions = list(quiz.questions)
    if quiz.questions_per_attempt and quiz.questions_per_attempt < len(questions):
        drawn = set(rng.sample(range(len(questions)), quiz.questions_per_attempt))
        questions = [q for i, q in enumerate(questions) if i in drawn]
    if quiz.shuffle:
        rng.shuffle(questions)
    return {"questions": [_snapshot_question(q, quiz.shuffle, rng) for q in questions]}


def _is_true_false(question: Question) -> bool:
    return question.type == "single" and {o.casefold() for o in question.options} == {"benar", "salah"}


def _snapshot_question(question: Question, shuffle: bool, rng: random.Random) -> dict:
    order = list(range(len(question.options)))
    if question.type == "ordering":
        while order == sorted(order) and len(order) > 1:
            rng.shuffle(order)  # never show the items already in the right order
    elif question.type in ("single", "multiple") and shuffle and not _is_true_false(question):
        rng.shuffle(order)
    data = {
        "id": question.id,
        "type": question.type,
        "points": question.points,
        "prompt_html": question.prompt_html,
        "options": [question.options_html[i] for i in order],
        "explanation_html": question.explanation_html,
    }
    if question.type in ("single", "multiple"):
        data["correct"] = sorted(order.index(i) for i in question.correct)
        data["feedback"] = [question.feedback_html[i] for i in order]
    elif question.type == "ordering":
        data["correct"] = [i + 1 for i in order]  # the right rank of each shown item
        data["answer_html"] = list(question.options_html)
    else:
        data["correct"] = list(question.correct)
    if question.type == "numeric" and question.unit:
        data["unit"] = question.unit
    return data


def start_attempt(user_id: int, ref: QuizRef, now: datetime | None = None, rng: random.Random | None = None) -> Attempt:
    """Return the user's open attempt at this quiz, or start a new one if the rules allow."""
    now = now or utcnow()
    close_expired(user_id, now)
    state = load_state(user_id, ref.course)
    current = state.open_attempt(ref.quiz_id)
    if current is not None and current.kind == ref.kind:
        return current
    refusal = state.refusal(ref.kind, ref.lesson)
    if refusal is not None:
        raise QuizError(refusal)
    if current is not None:
        # A pre-test left open when the post-test starts is graded with what was saved.
        submit_attempt(current, ref.course, None, now)
    if ref.lesson is not None:
        open_lesson(state, ref.lesson)  # a lesson's quiz is part of the lesson
    snapshot = build_snapshot(ref.quiz, rng or random.SystemRandom())
    attempt = Attempt(
        user_id=user_id,
        course_id=ref.course.id,
        quiz_id=ref.quiz_id,
        kind=ref.kind,
        title=ref.title[:300],
        number=len(state.attempts_at(ref.quiz_id, ref.kind)) + 1,
        status="open",
        snapshot=snapshot,
        pass_score=ref.quiz.pass_score,
        started_at=now,
        deadline_at=now + timedelta(minutes=ref.quiz.time_limit) if ref.quiz.time_limit else None,
        max_points=sum(q["points"] for q in snapshot["questions"]),
    )
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:
        # A second tab started the same quiz at the same moment: share its attempt.
        query = db.select(Attempt).filter_by(user_id=user_id, course_id=ref.course.id, quiz_id=ref.quiz_id)
        attempt = db.session.execute(query.filter_by(status="open")).scalar_one()
    db.session.commit()
    return attempt


# --- saving and submitting ----------------------------------------------------------------


def accepts_answers(attempt: Attempt, now: datetime) -> bool:
    """Return whether answers may still be saved: open, and before the deadline plus grace."""
    return attempt.is_open and (attempt.deadline_at is None or now <= attempt.deadline_at + GRACE)


def seconds_left(attempt: Attempt, now: datetime) -> int | None:
    if attempt.deadline_at is None:
        return None
    return max(0, int((attempt.deadline_at - now).total_seconds()))


def form_values(form: MultiDict, position: int, question: dict) -> list[str]:
    """Return the raw values the quiz form sent for the question at ``position``."""
    if question["type"] == "ordering":
        return [form.get(f"a{position}-{item}", "") for item in range(len(question["options"]))]
    return form.getlist(f"a{position}")


def _store_answers(attempt: Attempt, form: MultiDict, now: datetime) -> int:
    """Save the answers of every question the form says it shows (``q`` fields)."""
    existing = {answer.position: answer for answer in attempt.answers}
    shown = {int(v) for v in form.getlist("q") if SMALL_NUMBER.fullmatch(v) and int(v) < len(attempt.questions)}
    for position in sorted(shown):
        question = attempt.questions[position]
        response = read_response(question, form_values(form, position, question))
        answer = existing.get(position)
        if answer is None:
            attempt.answers.append(
                Answer(
                    position=position,
                    course_id=attempt.course_id,
                    quiz_id=attempt.quiz_id,
                    question_id=question["id"],
                    response=response,
                    saved_at=now,
                )
            )
        elif answer.response != response:
            answer.response = response
            answer.saved_at = now
    return len(shown)


def save_answers(attempt: Attempt, form: MultiDict, now: datetime | None = None) -> datetime:
    """Store the answers sent while the learner works; raise QuizError when too late."""
    now = now or utcnow()
    for retry in (False, True):
        # Lock the attempt while it is open, so a submit in flight waits for this save,
        # and a save that arrives after grading changes nothing.
        if not _lock_open(attempt):
            raise QuizError("Kuis ini sudah dikirim dan dinilai; jawaban tidak dapat diubah lagi.")
        if not accepts_answers(attempt, now):
            db.session.rollback()
            raise QuizError("Waktu pengerjaan sudah habis; jawaban yang tersimpan sebelumnya akan dinilai.")
        try:
            _store_answers(attempt, form, now)
            db.session.commit()
            return now
        except IntegrityError:
            # Two tabs saved the same new answer at once: keep the other one, then apply ours.
            db.session.rollback()
            if retry:
                raise
    return now


def _lock_open(attempt: Attempt) -> bool:
    """Take the attempt's row lock if it is still open; refresh it either way."""
    locked = db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.status == "open")
        .values(status="open")
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(attempt)
    if locked.rowcount != 1:
        db.session.rollback()
        return False
    return True


def submit_attempt(
    attempt: Attempt, course: Course | None, form: MultiDict | None, now: datetime | None = None
) -> bool:
    """Grade the attempt once; return False if it was already graded (double submit, two tabs)."""
    now = now or utcnow()
    in_time = accepts_answers(attempt, now)
    claimed = db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.status == "open")
        .values(status="graded", submitted_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        db.session.refresh(attempt)
        return False
    db.session.refresh(attempt)
    if in_time and form is not None:
        _store_answers(attempt, form, now)
    _grade(attempt, late=not in_time)
    if course is not None:  # None: the course was removed; the attempt is still graded
        _after_grading(attempt, course)
    db.session.commit()
    return True


def _grade(attempt: Attempt, late: bool) -> None:
    answers = {answer.position: answer for answer in attempt.answers}
    total = 0.0
    for position, question in enumerate(attempt.questions):
        answer = answers.get(position)
        if answer is None:  # kept for item analysis: the question was shown and left blank
            answer = Answer(
                position=position,
                course_id=attempt.course_id,
                quiz_id=attempt.quiz_id,
                question_id=question["id"],
                response=None,
            )
            attempt.answers.append(answer)
        result = score(question, answer.response)
        answer.points, answer.correct = result.points, result.correct
        total += result.points
    attempt.points = round(total, 4)
    attempt.percent = round(100 * total / attempt.max_points, 2) if attempt.max_points else 0.0
    attempt.passed = attempt.percent >= attempt.pass_score
    attempt.late = late


def _after_grading(attempt: Attempt, course: Course) -> None:
    """Unlock what a passed attempt earns: a completed lesson, a completed course."""
    if attempt.passed and attempt.kind in (AttemptKind.QUIZ, AttemptKind.POSTTEST):
        db.session.flush()
        apply_rules(load_state(attempt.user_id, course))


def close_expired(user_id: int | None, now: datetime | None = None) -> int:
    """Grade, with what was saved, every open attempt whose time ran out (of one user, or all)."""
    now = now or utcnow()
    query = db.select(Attempt).filter(Attempt.status == "open", Attempt.deadline_at < now - GRACE)
    if user_id is not None:
        query = query.filter(Attempt.user_id == user_id)
    catalog = current_catalog()
    return sum(
        submit_attempt(attempt, catalog.course(attempt.course_id), None, now)
        for attempt in db.session.execute(query).scalars().all()
    )
