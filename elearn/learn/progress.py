"""Learner progress through a course: the completion rules and the one next-step rule.

A learner's state in a course is loaded once (``load_state``: one statement; ``load_states``
does every course in the same one) and handed to plain rules:

- ``lesson_is_complete``: when an opened lesson counts as done;
- ``CourseState.pretest_refusal`` / ``posttest_refusal`` / ``quiz_refusal``: whether an
  attempt may start, and if not, why (in Indonesian);
- ``next_step``: the one way forward that every page offers.

Nothing here writes unless a rule finds something to record (``apply_rules``), so a page
view that changes nothing writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

from sqlalchemy import and_, bindparam, literal_column, select, true, union_all
from sqlalchemy.exc import IntegrityError

from ..auth.service import ReadWithUser, execute_or_read_with_user, select_with_user
from ..catalog import Course, Lesson
from ..certificates import service as certificates
from ..extensions import db
from ..formatting import skor
from ..models import EXAM, Attempt, AttemptFacts, AttemptKind, Completion, LessonProgress, User, plain_record, utcnow


def lesson_is_complete(lesson: Lesson, read: bool, quiz_passed: bool) -> bool:
    """An opened lesson is complete once its quiz is passed or, if it has none, once marked read.

    Passing the quiz is proof enough of study: a learner who passes it never sees the lesson
    reported as unfinished for want of pressing "Tandai selesai".
    """
    return quiz_passed if lesson.quiz is not None else read


class StepKind(StrEnum):
    PRETEST = "pretest"  # the optional baseline, offered before the first lesson
    LESSON = "lesson"  # read a lesson
    READ = "read"  # mark the lesson one is reading as read (a lesson without a quiz)
    QUIZ = "quiz"  # take (or continue, or retry) a lesson's quiz
    POSTTEST = "posttest"
    DONE = "done"
    EXHAUSTED = "exhausted"  # post-test attempts used up without a pass: nothing left to do here


class LessonStatus(StrEnum):
    """A lesson as the learner's lists show it, saying what is left to do."""

    NEW = "new"
    OPENED = "opened"  # opened; no quiz to take, not marked read yet
    QUIZ_TODO = "quiz-todo"  # opened; its quiz not taken yet
    QUIZ_FAILED = "quiz-failed"  # its quiz taken, not passed yet
    DONE = "done"

    @property
    def label(self) -> str:
        return LESSON_STATUS_LABELS[self]


LESSON_STATUS_LABELS = {
    LessonStatus.NEW: "",
    LessonStatus.OPENED: "Dibuka",
    LessonStatus.QUIZ_TODO: "Kuis belum dikerjakan",
    LessonStatus.QUIZ_FAILED: "Kuis belum lulus",
    LessonStatus.DONE: "Selesai",
}


@dataclass(frozen=True)
class NextStep:
    """Where a learner goes next in a course."""

    kind: StepKind
    lesson: Lesson | None = None
    attempt: Attempt | None = None  # an open attempt to continue
    retry: bool = False  # a quiz or post-test already tried and not passed
    note: str | None = None  # why there is no way forward (EXHAUSTED)


@dataclass
class CourseState:
    """Everything one learner did in one course, loaded once per request."""

    course: Course
    user_id: int
    # Plain records as read (``read_states``); the ORM's objects where a rule wrote them.
    rows: dict[str, ProgressRecord | LessonProgress] = field(default_factory=dict)
    attempts: list[AttemptRecord | Attempt] = field(default_factory=list)  # oldest first; no snapshots
    completion: CompletionRecord | Completion | None = None

    # --- lessons ---------------------------------------------------------------------------

    def row(self, lesson_id: str) -> LessonProgress | None:
        return self.rows.get(lesson_id)

    def is_opened(self, lesson_id: str) -> bool:
        return lesson_id in self.rows

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
        return bool(self.rows) or bool(self.attempts) or self.completion is not None

    @property
    def all_lessons_complete(self) -> bool:
        return self.total > 0 and self.completed == self.total

    def lesson_status(self, lesson: Lesson) -> LessonStatus:
        if self.is_complete(lesson.id):
            return LessonStatus.DONE
        if not self.is_opened(lesson.id):
            return LessonStatus.NEW
        if lesson.quiz is None:
            return LessonStatus.OPENED
        graded = [a for a in self.attempts_at(lesson.id) if not a.is_open]
        return LessonStatus.QUIZ_FAILED if graded else LessonStatus.QUIZ_TODO

    def next_lesson(self) -> Lesson | None:
        """Return the first lesson that is not complete yet."""
        return next((lesson for lesson in self.course.lessons if not self.is_complete(lesson.id)), None)

    # --- attempts --------------------------------------------------------------------------

    def attempts_at(self, quiz_id: str, kind: str | None = None) -> list[Attempt]:
        return [a for a in self.attempts if a.quiz_id == quiz_id and (kind is None or a.kind == kind)]

    def open_attempt(self, quiz_id: str) -> Attempt | None:
        return next((a for a in self.attempts if a.quiz_id == quiz_id and a.is_open), None)

    def quiz_passed(self, lesson_id: str) -> bool:
        return any(a.passed for a in self.attempts_at(lesson_id, AttemptKind.QUIZ))

    @property
    def pretest(self) -> Attempt | None:
        """The pre-test attempt (there is at most one)."""
        return next(iter(self.attempts_at(EXAM, AttemptKind.PRETEST)), None)

    @property
    def graded_pretest(self) -> Attempt | None:
        pre = self.pretest
        return pre if pre is not None and not pre.is_open else None

    @property
    def first_posttest(self) -> Attempt | None:
        """The first graded post-test: the one the gain is measured with."""
        return next((a for a in self.posttests if not a.is_open), None)

    @property
    def posttests(self) -> list[Attempt]:
        return self.attempts_at(EXAM, AttemptKind.POSTTEST)

    @property
    def posttest_passed(self) -> bool:
        return any(a.passed for a in self.posttests)

    @property
    def gain(self) -> float | None:
        """The learner's pre-test to post-test gain (see ``learning_gain``)."""
        return learning_gain(self.attempts_at(EXAM))

    def attempts_left(self, quiz_id: str, kind: str, limit: int | None) -> int | None:
        """Return how many more attempts may be started (None: no limit)."""
        if limit is None:
            return None
        return max(0, limit - len(self.attempts_at(quiz_id, kind)))

    def _limit_refusal(self, quiz_id: str, kind: str, limit: int | None) -> str | None:
        if self.attempts_left(quiz_id, kind, limit) != 0:
            return None
        best = best_attempt(self.attempts_at(quiz_id, kind))
        result = f" Nilai terbaik Anda {skor(best.percent)}." if best else ""
        return f"Batas {limit} kali percobaan sudah tercapai.{result}"

    def pretest_refusal(self) -> str | None:
        """Why the pre-test may not start now, or None if it may."""
        if self.course.exam is None:
            return "Kursus ini tidak memiliki ujian."
        if self.pretest is not None:
            return "Pre-test hanya dapat dikerjakan satu kali."
        if self.completed or self.posttests:
            return "Pre-test hanya ditawarkan sebelum Anda menyelesaikan pelajaran pertama."
        return None

    def posttest_refusal(self) -> str | None:
        """Why the post-test may not start now, or None if it may."""
        exam = self.course.exam
        if exam is None:
            return "Kursus ini tidak memiliki ujian."
        if not self.all_lessons_complete:
            return "Post-test terbuka setelah semua pelajaran selesai."
        if self.posttest_passed:
            return "Anda sudah lulus post-test kursus ini."
        return self._limit_refusal(EXAM, AttemptKind.POSTTEST, exam.attempts)

    def quiz_refusal(self, lesson: Lesson) -> str | None:
        """Why a new attempt at a lesson's quiz may not start now, or None if it may."""
        if lesson.quiz is None:
            return "Pelajaran ini tidak memiliki kuis."
        return self._limit_refusal(lesson.id, AttemptKind.QUIZ, lesson.quiz.attempts)

    def refusal(self, kind: str, lesson: Lesson | None = None) -> str | None:
        """Why a new attempt of ``kind`` may not start now, or None if it may."""
        if kind == AttemptKind.PRETEST:
            return self.pretest_refusal()
        if kind == AttemptKind.POSTTEST:
            return self.posttest_refusal()
        return self.quiz_refusal(lesson) if lesson is not None else "Kuis tidak ditemukan."


def best_attempt(attempts: list[Attempt]) -> Attempt | None:
    """Return the graded attempt with the highest score (the earliest among equals)."""
    graded = [a for a in attempts if not a.is_open]
    return max(graded, key=lambda a: (a.percent or 0, -a.number), default=None)


def learning_gain(exam_attempts: list[Attempt]) -> float | None:
    """Return the first graded post-test's score minus the first graded pre-test's, in points of 100.

    The one definition of the gain that every page and report shows: a learner counts only
    with both; later post-test attempts after a failure do not inflate it.
    """
    graded = sorted((a for a in exam_attempts if not a.is_open), key=lambda a: a.number)
    pre = next((a for a in graded if a.kind == AttemptKind.PRETEST), None)
    post = next((a for a in graded if a.kind == AttemptKind.POSTTEST), None)
    if pre is None or post is None:
        return None
    return round(post.percent - pre.percent, 1)


def next_step(state: CourseState) -> NextStep:
    """Return the one next step of a learner in a course; every page's way forward uses it."""
    course = state.course
    if state.completion is not None:
        return NextStep(StepKind.DONE)
    open_exam = state.open_attempt(EXAM)
    if open_exam is not None:
        return NextStep(StepKind(open_exam.kind), attempt=open_exam)
    if not state.rows and state.pretest_refusal() is None:
        return NextStep(StepKind.PRETEST)
    lesson = state.next_lesson()
    if lesson is not None:
        if lesson.quiz is not None and state.is_opened(lesson.id):
            tried = state.attempts_at(lesson.id)
            if tried:  # an attempt under way, or one to try again: the quiz is where to go
                return NextStep(StepKind.QUIZ, lesson, attempt=state.open_attempt(lesson.id), retry=True)
        return NextStep(StepKind.LESSON, lesson)
    if course.exam is None or state.posttest_passed:
        return NextStep(StepKind.DONE)
    refusal = state.posttest_refusal()
    if refusal is not None:
        return NextStep(StepKind.EXHAUSTED, note=refusal)
    return NextStep(StepKind.POSTTEST, retry=bool(state.posttests))


def lesson_step(state: CourseState, lesson: Lesson) -> NextStep:
    """Return what finishes ``lesson``: its quiz, or marking it read; once done, the course's next step."""
    if state.is_complete(lesson.id):
        return next_step(state)
    if lesson.quiz is None:
        return NextStep(StepKind.READ, lesson)
    tried = bool(state.attempts_at(lesson.id))
    return NextStep(StepKind.QUIZ, lesson, attempt=state.open_attempt(lesson.id), retry=tried)


# --- loading ----------------------------------------------------------------------------------


def numbered_parts(count: int):
    """A subquery of the numbers 1 to ``count`` (column ``n``): a statement crossed with it reads
    several tables in one, each number outer-joining one of them (see ``state_statement``)."""
    return union_all(*(select(literal_column(str(n)).label("n")) for n in range(1, count + 1))).subquery("part")


# The learner's rows as the pages read them: plain records, not ORM objects (``plain_record``).
ProgressRecord = plain_record(LessonProgress)
CompletionRecord = plain_record(Completion)
# The snapshot (the questions, kilobytes each) is not needed for any rule.
AttemptRecord = plain_record(Attempt, omit=("snapshot",), base=(AttemptFacts,))
STATE_RECORDS = (ProgressRecord, CompletionRecord, AttemptRecord)  # the three parts, in order


def state_statement(one_course: bool, with_completion: tuple = (), with_user: bool = False, more: tuple = ()):
    """Build the statement of ``load_states`` once, with bound parameters.

    ``with_completion``: (record, join condition) pairs outer-joined to each completion, read
    in the same statement (the dashboard's survey status and action plan of each completed
    course; see ``learn/after_course.py``); ``record`` is a ``plain_record`` of the model.

    One statement reads three tables: the learner's own row crossed with the numbers 1 to 3,
    each number outer-joining one table, so the rows are the progress rows, then the
    completions, then the attempts, each with the other tables' columns empty. One round trip
    instead of two on every learner page. It selects table columns, read into plain records
    (``read_states``): the ORM builds no object for a page that only shows them.

    ``with_user``: the learner's ``auth.service.USER_COLUMNS`` come first in every row, so a
    page loads its user with its state (``auth.service.read_with_user``). ``more``: subqueries
    of the page's further readings (taking the ``user_id`` parameter only), each a part of its
    own after the three, its columns last (the dashboard's, ``learn.after_course``).

    Built once because a statement built per request costs more than running it (coercing
    each clause and computing its cache key); a built one has its cache key memoised.
    """
    user_id = bindparam("user_id")
    course_id = bindparam("course_id")
    part = numbered_parts(3 + len(more))
    progress_on = and_(part.c.n == 1, LessonProgress.user_id == User.id)
    completion_on = and_(part.c.n == 2, Completion.user_id == User.id)
    attempt_on = and_(part.c.n == 3, Attempt.user_id == User.id)
    if one_course:
        progress_on &= LessonProgress.course_id == course_id
        completion_on &= Completion.course_id == course_id
        attempt_on &= Attempt.course_id == course_id
    records = (*STATE_RECORDS, *(record for record, _ in with_completion))
    columns = [column for record in records for column in record.columns]
    columns += [column for subquery in more for column in subquery.c]
    statement = select_with_user(*columns) if with_user else db.select(*columns).select_from(User)
    statement = statement.join(part, true()).outerjoin(LessonProgress, progress_on).outerjoin(Completion, completion_on)
    for record, on in with_completion:
        statement = statement.outerjoin(record.columns[0].table, on)
    for number, subquery in enumerate(more, start=4):
        statement = statement.outerjoin(subquery, part.c.n == number)
    return (
        statement.outerjoin(Attempt, attempt_on)
        .where(User.id == user_id)
        .order_by(part.c.n, Attempt.course_id, Attempt.quiz_id, Attempt.number)
    )


_ONE_COURSE = state_statement(one_course=True)
_EVERY_COURSE = state_statement(one_course=False)

# For the pages whose first read is the learner's state (registered in their views).
ONE_COURSE_WITH_USER = ReadWithUser(
    _ONE_COURSE,
    state_statement(one_course=True, with_user=True),
    lambda args: {"course_id": args.get("course_id")},
    orm=False,
)
EVERY_COURSE_WITH_USER = ReadWithUser(
    _EVERY_COURSE, state_statement(one_course=False, with_user=True), lambda _: {}, orm=False
)


def load_state(user_id: int, course: Course) -> CourseState:
    """Return one learner's state in one course (one statement)."""
    return load_states(user_id, (course,), course_id=course.id)[course.id]


def load_states(user_id: int, courses: tuple[Course, ...], course_id: str | None = None) -> dict[str, CourseState]:
    """Return one learner's state in every given course, keyed by course id (one statement)."""
    if course_id is not None:
        statement, params = _ONE_COURSE, {"user_id": user_id, "course_id": course_id}
    else:
        statement, params = _EVERY_COURSE, {"user_id": user_id}
    states, _ = read_states(statement, params, user_id, courses)
    return states


def read_states(statement, params: dict, user_id: int, courses: tuple[Course, ...], extras: tuple = ()):
    """Run a ``state_statement``; return the states by course id and every completion record of
    the learner, each with its ``extras`` records (the statement's ``with_completion``, in
    order; None where there is none), courses gone included."""
    states = {course.id: CourseState(course, user_id) for course in courses}
    completions = []
    bounds = record_bounds(extras)
    (progress_at, _), (completion_at, completion_end), (attempt_at, attempt_end) = bounds[:3]
    for found in execute_or_read_with_user(statement, params, orm=False):
        if found[progress_at] is not None:
            row = ProgressRecord._make(found[progress_at:completion_at])
            state = states.get(row.course_id)
            if state is not None and state.course.lesson(row.lesson_id) is not None:
                state.rows[row.lesson_id] = row
        elif found[completion_at] is not None:
            completion = CompletionRecord._make(found[completion_at:completion_end])
            completions.append(
                (
                    completion,
                    *(
                        r._make(found[a:b]) if found[a] is not None else None
                        for r, (a, b) in zip(extras, bounds[3:], strict=True)
                    ),
                )
            )
            if completion.course_id in states:
                states[completion.course_id].completion = completion
        elif found[attempt_at] is not None:
            attempt = AttemptRecord._make(found[attempt_at:attempt_end])
            if attempt.course_id in states:
                states[attempt.course_id].attempts.append(attempt)
    return states, completions


@lru_cache(maxsize=8)  # a few layouts, one per state statement
def record_bounds(extras: tuple = ()) -> tuple[tuple[int, int], ...]:
    """Where each record's columns lie in a state statement's row: (start, stop) of each of
    ``STATE_RECORDS``, then of each of ``extras`` (a fused reading's further parts start at
    the last stop)."""
    bounds, start = [], 0
    for record in (*STATE_RECORDS, *extras):
        bounds.append((start, start + len(record._fields)))
        start += len(record._fields)
    return tuple(bounds)


def tracked(model, row):
    """``row`` as the ORM's object of ``model``, to change it: a plain record is loaded by id."""
    return row if row is None or isinstance(row, model) else db.session.get_one(model, row.id)


# --- recording ----------------------------------------------------------------------------------


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


def open_lesson(state: CourseState, lesson: Lesson) -> bool:
    """Record that the learner opened the lesson (the first time only); return whether it wrote."""
    if state.is_opened(lesson.id):
        return False
    state.rows[lesson.id] = get_or_create_progress(state.user_id, state.course.id, lesson.id)
    return True


def mark_read(user_id: int, course: Course, lesson: Lesson) -> CourseState:
    """Record that the user read the lesson, apply the rules, commit; return the new state."""
    row = get_or_create_progress(user_id, course.id, lesson.id)
    row.read_at = row.read_at or utcnow()
    db.session.flush()
    state = load_state(user_id, course)
    apply_rules(state)
    db.session.commit()
    return state


def apply_rules(state: CourseState) -> bool:
    """Record what the completion rules now grant; return whether anything was written.

    Runs after a read mark and a graded attempt, and whenever a page shows progress, so a
    pass recorded while a course was hidden, or a quiz a trainer removed, never leaves a
    learner stuck. Never un-completes anything.
    """
    changed = False
    now = utcnow()
    for lesson in state.course.lessons:
        row = state.row(lesson.id)
        if row is None or row.completed_at is not None:
            continue
        if lesson_is_complete(lesson, read=row.read_at is not None, quiz_passed=state.quiz_passed(lesson.id)):
            row = state.rows[lesson.id] = tracked(LessonProgress, row)
            row.completed_at = now
            changed = True
    if state.completion is None and course_is_complete(state):
        state.completion = _credit(state)
        changed = True
    if changed:
        db.session.flush()
    return changed


def course_is_complete(state: CourseState) -> bool:
    """A course is complete when every lesson is complete and, if it has an exam, the post-test is passed."""
    return state.all_lessons_complete and (state.course.exam is None or state.posttest_passed)


def _credit(state: CourseState) -> Completion:
    """Credit the course's JP once, on the day the completion rule is first met, with its certificate."""
    best = best_attempt([a for a in state.posttests if a.passed])
    completion = Completion(
        user_id=state.user_id,
        course_id=state.course.id,
        jp=state.course.jp,
        final_score=best.percent if best else None,
        completed_at=utcnow(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(completion)
    except IntegrityError:  # credited by a concurrent request
        return db.session.execute(
            db.select(Completion).filter_by(user_id=state.user_id, course_id=state.course.id)
        ).scalar_one()
    certificates.issue(completion, db.session.get(User, state.user_id), state.course.title)
    return completion


def refresh(user_id: int, course: Course) -> CourseState:
    """Load the learner's state and apply the rules (not committed); return the state."""
    state = load_state(user_id, course)
    apply_rules(state)
    return state


def catch_up(state: CourseState) -> None:
    """Apply the completion rules before a page shows progress; commit only a change."""
    if apply_rules(state):
        db.session.commit()
