"""Attempts: start, save, submit and grade, with the rules for limits, time and exams.

Every rule about who may start which quiz lives in ``check_can_start``; grading happens
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
from ..formatting import skor
from ..learn.progress import course_progress, refresh_completion
from ..library import current_catalog
from ..models import EXAM, Answer, Attempt, utcnow
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


def best_attempt(attempts: list[Attempt]) -> Attempt | None:
    """Return the graded attempt with the highest score (the earliest among equals)."""
    graded = [a for a in attempts if not a.is_open]
    return max(graded, key=lambda a: (a.percent or 0, -a.number), default=None)


def attempts_left(ref: QuizRef, attempts: list[Attempt]) -> int | None:
    """Return how many more attempts may be started (None: no limit)."""
    if ref.attempt_limit is None:
        return None
    return max(0, ref.attempt_limit - len(attempts))


def check_can_start(user_id: int, ref: QuizRef, attempts: list[Attempt]) -> None:
    """Raise QuizError if the user may not start a new attempt at this quiz now."""
    if ref.kind == "pretest":
        if attempts:
            raise QuizError("Pre-test hanya dapat dikerjakan satu kali.")
        progress = course_progress(user_id, ref.course)
        if progress.completed or attempts_of(user_id, ref.course.id, EXAM, "posttest"):
            raise QuizError("Pre-test hanya ditawarkan sebelum Anda menyelesaikan pelajaran pertama.")
    if ref.kind == "posttest":
        if not course_progress(user_id, ref.course).all_lessons_complete:
            raise QuizError("Post-test terbuka setelah semua pelajaran selesai.")
        if any(a.passed for a in attempts):
            raise QuizError("Anda sudah lulus post-test kursus ini.")
    left = attempts_left(ref, attempts)
    if left == 0:
        best = best_attempt(attempts)
        result = f" Nilai terbaik Anda {skor(best.percent)}." if best else ""
        raise QuizError(f"Batas {ref.attempt_limit} kali percobaan sudah tercapai.{result}")


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
    return data


def start_attempt(user_id: int, ref: QuizRef, now: datetime | None = None, rng: random.Random | None = None) -> Attempt:
    """Return the user's open attempt at this quiz, or start a new one if the rules allow."""
    now = now or utcnow()
    close_expired(user_id, now)
    attempts = attempts_of(user_id, ref.course.id, ref.quiz_id)
    current = next((a for a in attempts if a.is_open), None)
    if current is not None and current.kind == ref.kind:
        return current
    same_kind = [a for a in attempts if a.kind == ref.kind]
    check_can_start(user_id, ref, same_kind)
    if current is not None:
        # A pre-test left open when the post-test starts is graded with what was saved.
        submit_attempt(current, ref.course, None, now)
    snapshot = build_snapshot(ref.quiz, rng or random.SystemRandom())
    attempt = Attempt(
        user_id=user_id,
        course_id=ref.course.id,
        quiz_id=ref.quiz_id,
        kind=ref.kind,
        title=ref.title[:300],
        number=len(same_kind) + 1,
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
    if attempt.passed and attempt.kind in ("quiz", "posttest"):
        db.session.flush()
        refresh_completion(attempt.user_id, course)


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


@dataclass
class ExamSummary:
    """Where a learner stands with a course exam: pre-test, post-test, and what is open."""

    pretest: Attempt | None = None
    posttest: Attempt | None = None  # the best graded post-test
    open_attempt: Attempt | None = None
    can_pretest: bool = False
    can_posttest: bool = False
    posttest_note: str | None = None

    @property
    def gain(self) -> float | None:
        """Post-test minus pre-test score, in points of 100."""
        if self.pretest is None or self.posttest is None or self.pretest.is_open:
            return None
        return round(self.posttest.percent - self.pretest.percent, 1)


def exam_summary(user_id: int, course: Course) -> ExamSummary | None:
    """Return the learner's pre-test and post-test state for a course (None: no exam)."""
    if course.exam is None:
        return None
    attempts = attempts_of(user_id, course.id, EXAM)
    pre = [a for a in attempts if a.kind == "pretest"]
    post = [a for a in attempts if a.kind == "posttest"]
    summary = ExamSummary(
        pretest=pre[0] if pre else None,
        posttest=best_attempt(post),
        open_attempt=next((a for a in attempts if a.is_open), None),
    )
    for kind, flag in (("pretest", "can_pretest"), ("posttest", "can_posttest")):
        try:
            check_can_start(user_id, exam(course, kind), pre if kind == "pretest" else post)
            setattr(summary, flag, True)
        except QuizError as error:
            if kind == "posttest":
                summary.posttest_note = error.message
    return summary
