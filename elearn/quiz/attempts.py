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

from ..catalog import Course, Lesson, Question, Quiz
from ..extensions import db
from ..learn.progress import apply_rules, load_state, open_lesson, tracked
from ..library import current_catalog
from ..models import EXAM, Answer, Attempt, AttemptKind, utcnow
from .forms import Submission
from .snapshot import Snapshot
from .types import grade, question_type

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


def draw(quiz: Quiz, rng: random.Random, seen: frozenset[str] = frozenset()) -> list[Question]:
    """Return the questions of a new attempt: all of them, or a random draw, unseen ones first.

    With ``questions_per_attempt``, questions whose id is not in ``seen`` (those of the
    learner's pre-test, when the post-test is drawn) are drawn first and seen ones only to
    fill up, so the gain measures learning rather than memory of the pre-test.
    """
    pool = list(quiz.questions)
    count = quiz.questions_per_attempt
    if count and count < len(pool):
        unseen = [q for q in pool if q.id not in seen]
        picked = rng.sample(unseen, min(count, len(unseen)))
        if len(picked) < count:
            picked += rng.sample([q for q in pool if q.id in seen], count - len(picked))
        chosen = {q.id for q in picked}
        pool = [q for q in pool if q.id in chosen]
    if quiz.shuffle:
        rng.shuffle(pool)
    return pool


def build_snapshot(quiz: Quiz, rng: random.Random, seen: frozenset[str] = frozenset()) -> Snapshot:
    """Draw and order the questions and options of a new attempt, with their answer key."""
    return Snapshot([question_type(q.type).show(q, quiz.shuffle, rng) for q in draw(quiz, rng, seen)])


def start_attempt(user_id: int, ref: QuizRef, now: datetime | None = None, rng: random.Random | None = None) -> Attempt:
    """Return the user's open attempt at this quiz, or start a new one if the rules allow."""
    now = now or utcnow()
    close_expired(user_id, now)
    state = load_state(user_id, ref.course)
    current = tracked(Attempt, state.open_attempt(ref.quiz_id))  # the ORM's: it is returned, or graded
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
    pretest = tracked(Attempt, state.pretest) if ref.kind == AttemptKind.POSTTEST else None  # with its questions
    seen = frozenset(q.id for q in pretest.questions) if pretest is not None else frozenset()
    snapshot = build_snapshot(ref.quiz, rng or random.SystemRandom(), seen)
    attempt = Attempt(
        user_id=user_id,
        course_id=ref.course.id,
        quiz_id=ref.quiz_id,
        kind=ref.kind,
        title=ref.title[:300],
        number=len(state.attempts_at(ref.quiz_id, ref.kind)) + 1,
        status="open",
        snapshot=snapshot.to_json(),
        pass_score=ref.quiz.pass_score,
        started_at=now,
        deadline_at=now + timedelta(minutes=ref.quiz.time_limit) if ref.quiz.time_limit else None,
        max_points=snapshot.max_points,
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


def _store_answers(attempt: Attempt, submission: Submission, now: datetime) -> int:
    """Save the answers of every question the form says it shows."""
    existing = {answer.position: answer for answer in attempt.answers}
    questions = attempt.questions
    shown = sorted(p for p in submission.shown if p < len(questions))
    for position in shown:
        question = questions[position]
        response = question_type(question.type).read_response(question, submission.parts(position))
        answer = existing.get(position)
        if answer is None:
            attempt.answers.append(
                Answer(
                    position=position,
                    course_id=attempt.course_id,
                    quiz_id=attempt.quiz_id,
                    question_id=question.id,
                    response=response,
                    saved_at=now,
                )
            )
        elif answer.response != response:
            answer.response = response
            answer.saved_at = now
    return len(shown)


def save_answers(attempt: Attempt, submission: Submission, now: datetime | None = None) -> datetime:
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
            _store_answers(attempt, submission, now)
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
    attempt: Attempt, course: Course | None, submission: Submission | None, now: datetime | None = None
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
    if in_time and submission is not None:
        _store_answers(attempt, submission, now)
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
                question_id=question.id,
                response=None,
            )
            attempt.answers.append(answer)
        result = grade(question, answer.response)
        answer.points, answer.correct = result.points, result.correct
        answer.max_points = question.points
        answer.picks = question_type(question.type).picks(question, answer.response)
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
