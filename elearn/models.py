"""Database tables: learner state only. Course content lives in files (see catalog/)."""

from __future__ import annotations

import secrets
from collections import namedtuple
from datetime import UTC, date, datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, inspect, text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from . import clock
from .extensions import db
from .quiz.snapshot import ShownQuestion, Snapshot

ROLES = ("asn", "trainer", "supervisor", "admin")
ROLE_LABELS = {"asn": "ASN", "trainer": "Pelatih", "supervisor": "Atasan", "admin": "Admin"}


def utcnow() -> datetime:
    """Return the current time in UTC as a naive datetime (how every time is stored)."""
    return clock.now().astimezone(UTC).replace(tzinfo=None)


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class Unit(db.Model):
    """A unit kerja (dinas, kapanewon, puskesmas, ...) in a tree.

    A name is unique within its parent: real trees repeat "Sekretariat" under each dinas.
    """

    __tablename__ = "units"
    __table_args__ = (
        UniqueConstraint("parent_id", "name"),
        # Among the top-level units too (NULL parents are all distinct to a UNIQUE constraint).
        Index(
            "uq_units_root_name",
            "name",
            unique=True,
            sqlite_where=text("parent_id IS NULL"),
            postgresql_where=text("parent_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)

    parent: Mapped[Unit | None] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"<Unit {self.name}>"


class Account(UserMixin):
    """What a login is, for Flask-Login and the pages: the ``User`` row, or the ``CurrentUser``
    a page reads (``auth.service``); either has ``id``, ``role``, ``active``, ``session_token``."""

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


def plain_record(
    model: type, omit: tuple[str, ...] = (), base: tuple[type, ...] = (), keep: tuple[str, ...] | None = None
) -> type:
    """A named tuple of ``model``'s mapped columns (less ``omit``; only ``keep`` if given), in
    their order, with the columns themselves as ``columns``: to select them, and to hold a row.

    A page that only shows rows reads them so: the ORM builds and tracks no object (on the
    learner pages that was about 0.2 ms of each). Nothing set on a record is saved, so code
    that changes a row loads the ORM's first. ``base``: mixins with ``__slots__ = ()`` whose
    properties the model shares (``AttemptFacts``). ``keep`` must hold the primary key: a
    reading that outer-joins the model tells a row from none by its first column.
    """
    mapper = inspect(model)
    if keep is not None:
        unknown = sorted(set(keep) - {a.key for a in mapper.column_attrs})
        if unknown:
            raise ValueError(f"{model.__name__} has no column {unknown}")
        if not {column.key for column in mapper.primary_key} <= set(keep):
            raise ValueError(f"a record of chosen {model.__name__} columns needs its primary key")
    attributes = [a for a in mapper.column_attrs if a.key not in omit and (keep is None or a.key in keep)]
    fields = namedtuple(f"{model.__name__}Record", [a.key for a in attributes])
    return type(fields.__name__, (fields, *base), {"__slots__": (), "columns": tuple(a.columns[0] for a in attributes)})


class User(Account, db.Model):
    """An account: an ASN, trainer, supervisor or admin, identified by NIP."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('asn', 'trainer', 'supervisor', 'admin')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    nip: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    position: Mapped[str] = mapped_column(String(200), default="")
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="asn")
    password_hash: Mapped[str] = mapped_column(String(255))
    # Part of the login cookie; changing it ends every session of the user.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    must_change_password: Mapped[bool] = mapped_column(default=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    unit: Mapped[Unit] = relationship()

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def set_initial_password(self, password: str) -> None:
        """Store a generated initial password, which must be replaced at first login.

        It is random (about 59 bits: 12 characters of 31), so a light hash is as safe as
        scrypt is for a chosen one: 2^59 guesses of 1,000 PBKDF2 rounds are millennia of a GPU
        rig's time. An import of 10,000 staff then hashes in about 3 s, not the half hour
        scrypt's 0.17 s a hash would cost.
        """
        self.password_hash = generate_password_hash(password, method="pbkdf2:sha256:1000")
        self.must_change_password = True

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def end_sessions(self) -> None:
        """Invalidate every login cookie issued so far."""
        self.session_token = new_session_token()

    def __repr__(self) -> str:
        return f"<User {self.nip} {self.role}>"


class LessonProgress(db.Model):
    """What one user did with one lesson: first opened, marked read, completed."""

    __tablename__ = "lesson_progress"
    __table_args__ = (
        UniqueConstraint("user_id", "course_id", "lesson_id"),
        Index("ix_lesson_progress_course", "course_id", "lesson_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    course_id: Mapped[str] = mapped_column(String(100))
    lesson_id: Mapped[str] = mapped_column(String(100))
    first_opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]


class Completion(db.Model):
    """A course completed by a user: when, the JP credited, and the final score."""

    __tablename__ = "completions"
    __table_args__ = (UniqueConstraint("user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[str] = mapped_column(String(100), index=True)
    completed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    jp: Mapped[int]
    final_score: Mapped[float | None]


EXAM = "@exam"  # Attempt.quiz_id of a course exam; lesson ids never start with '@'


class AttemptKind(StrEnum):
    QUIZ = "quiz"  # a lesson's quiz
    PRETEST = "pretest"  # the course exam before the lessons: a baseline, never passed or failed
    POSTTEST = "posttest"  # the course exam after the lessons: passing it completes the course


class Outcome(StrEnum):
    """What a learner is told about an attempt."""

    OPEN = "open"
    BASELINE = "baseline"
    PASSED = "passed"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]


OUTCOME_LABELS = {
    Outcome.OPEN: "Sedang dikerjakan",
    Outcome.BASELINE: "Nilai awal",
    Outcome.PASSED: "Lulus",
    Outcome.FAILED: "Belum lulus",
}


class AttemptFacts:
    """What an attempt says of itself: the ``Attempt`` row's and its plain reading's alike
    (``learn.progress`` reads the learner's attempts as ``plain_record``s)."""

    __slots__ = ()

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    @property
    def is_exam(self) -> bool:
        return self.quiz_id == EXAM

    @property
    def outcome(self) -> Outcome:
        """Open, a pre-test's baseline score, passed or not yet passed."""
        if self.is_open:
            return Outcome.OPEN
        if self.kind == AttemptKind.PRETEST:
            return Outcome.BASELINE
        return Outcome.PASSED if self.passed else Outcome.FAILED


class Attempt(AttemptFacts, db.Model):
    """One try at a lesson quiz or a course exam, with the questions as they were shown.

    ``snapshot`` keeps the drawn questions, their option order, answers and points as the
    course files said when the attempt started, so editing a course never changes history.
    """

    __tablename__ = "attempts"
    __table_args__ = (
        CheckConstraint("kind IN ('quiz', 'pretest', 'posttest')", name="kind"),
        CheckConstraint("status IN ('open', 'graded')", name="status"),
        Index("ix_attempts_user_course", "user_id", "course_id", "quiz_id"),
        # At most one open attempt per learner and quiz: two tabs share it.
        Index(
            "uq_attempts_one_open",
            "user_id",
            "course_id",
            "quiz_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    course_id: Mapped[str] = mapped_column(String(100))
    quiz_id: Mapped[str] = mapped_column(String(100))  # lesson id, or EXAM
    kind: Mapped[str] = mapped_column(String(10), default="quiz")
    title: Mapped[str] = mapped_column(String(300))
    number: Mapped[int] = mapped_column(default=1)  # 1st, 2nd, ... try of this learner at this quiz
    status: Mapped[str] = mapped_column(String(10), default="open")
    # Part of the quiz form: answers recovered after a lost session must carry it.
    token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    snapshot: Mapped[dict] = mapped_column(JSON)
    pass_score: Mapped[int]
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    deadline_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    points: Mapped[float | None]
    max_points: Mapped[int]
    percent: Mapped[float | None]
    passed: Mapped[bool | None]
    late: Mapped[bool] = mapped_column(default=False)  # graded after its deadline with what was saved

    answers: Mapped[list[Answer]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan", order_by="Answer.position"
    )

    @property
    def questions(self) -> list[ShownQuestion]:
        """The questions as this attempt showed them (any snapshot version; parsed once)."""
        cached = self.__dict__.get("_questions")
        if cached is None or cached[0] is not self.snapshot:
            cached = (self.snapshot, Snapshot.from_json(self.snapshot).questions)
            self.__dict__["_questions"] = cached
        return cached[1]


class Answer(db.Model):
    """A learner's answer to one question of an attempt, and what it scored."""

    __tablename__ = "answers"
    __table_args__ = (
        UniqueConstraint("attempt_id", "position"),
        Index("ix_answers_question", "course_id", "quiz_id", "question_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    position: Mapped[int]  # index of the question in the attempt's snapshot
    course_id: Mapped[str] = mapped_column(String(100))
    quiz_id: Mapped[str] = mapped_column(String(100))
    question_id: Mapped[str] = mapped_column(String(100))
    response: Mapped[dict | list | str | int | None] = mapped_column(JSON)
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)
    points: Mapped[float | None]
    correct: Mapped[bool | None]
    # Set when graded, for the question analysis to aggregate in SQL: the question's points as
    # shown, and for a choice question the options picked (see QuestionType.picks), which
    # stay the same options when a course file reorders them.
    max_points: Mapped[float | None]
    picks: Mapped[str | None] = mapped_column(String(400))

    attempt: Mapped[Attempt] = relationship(back_populates="answers")


class Certificate(db.Model):
    """The certificate of one completion: what it said when issued, and whether it still holds.

    ``number`` (ELS/2026/000123) is for people to read and quote; ``code`` is the random part of
    the verification link, so numbers cannot be enumerated to find certificates. A completion
    has at most one certificate that is not revoked; after a revocation a new one may be issued.
    """

    __tablename__ = "certificates"
    __table_args__ = (
        Index(
            "uq_certificates_one_valid",
            "completion_id",
            unique=True,
            sqlite_where=text("revoked_at IS NULL"),
            postgresql_where=text("revoked_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(30), unique=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    completion_id: Mapped[int] = mapped_column(ForeignKey("completions.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[str] = mapped_column(String(100))
    # As at issue: later renames of the person or the course change no certificate.
    name: Mapped[str] = mapped_column(String(200))
    nip: Mapped[str] = mapped_column(String(18))
    course_title: Mapped[str] = mapped_column(String(300))
    jp: Mapped[int]
    completed_on: Mapped[date]
    issuer: Mapped[str] = mapped_column(String(200))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(String(500))
    revoked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class Recommendation(db.Model):
    """A course a supervisor recommends to their unit (and the units below it) or to one person."""

    __tablename__ = "recommendations"
    __table_args__ = (CheckConstraint("(unit_id IS NULL) <> (user_id IS NULL)", name="one_target"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[str] = mapped_column(String(100))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    deadline: Mapped[date | None]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEvent(db.Model):
    """One admin action: who, when, from where, what, and the values before and after.

    Written by ``elearn.admin.audit.record`` in the same transaction as the change it
    describes; nothing in the app edits or deletes these rows.
    """

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    actor_name: Mapped[str] = mapped_column(String(200))  # kept if the account is ever removed
    address: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40), index=True)
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[str | None] = mapped_column(String(64))
    summary: Mapped[str] = mapped_column(String(500))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)


class Setting(db.Model):
    """A setting an admin changed in the app (else the environment's value holds)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(String(500))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class ImportBatch(db.Model):
    """An uploaded staff file between its preview and its confirmation (any worker may confirm it)."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), default=new_session_token, unique=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    filename: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)  # the file as CSV text (an XLSX is converted on upload)
    fingerprint: Mapped[str] = mapped_column(String(64))  # of the previewed plan: confirm only that
    confirmed_at: Mapped[datetime | None]


from .actionplan.models import ActionPlan, ActionPlanObstacle, ActionPlanStep  # noqa: E402, F401
from .evaluation.models import SurveyAnswer, SurveyResponse, SurveyStatus  # noqa: E402, F401 (registers the tables)
from .forum.models import Post, PostReport, Thread, ThreadRead  # noqa: E402, F401 (tables of the forum package)
