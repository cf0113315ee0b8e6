"""The reaction survey's tables, kept apart so that no answer can be traced to a person.

``SurveyStatus`` says only whether a person answered or skipped a course's survey (so nobody
is asked twice). ``SurveyResponse`` holds the answers with the course, the unit (for per-unit
reports) and the month, and nothing else: no user id, no address, no timestamp, and a random
primary key rather than a sequence, so that neither its id nor its answers' ids order it
against the status rows written in the same transaction.
"""

from __future__ import annotations

import secrets
from datetime import date
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db


def new_response_id() -> str:
    return secrets.token_hex(16)


class SurveyState(StrEnum):
    ANSWERED = "answered"
    SKIPPED_ONCE = "skipped_once"  # asked again once, a day later at the earliest
    SKIPPED_TWICE = "skipped_twice"  # never asked again


class SurveyStatus(db.Model):
    """That one person answered or skipped one course's survey: the guard against asking twice."""

    __tablename__ = "survey_status"
    __table_args__ = (
        UniqueConstraint("user_id", "course_id"),
        CheckConstraint("state IN ('answered', 'skipped_once', 'skipped_twice')", name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    course_id: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(20))
    # The day of the last skip (to ask again a day later); None once answered, so the day
    # of an answer is not recorded next to the person.
    skipped_on: Mapped[date | None]


class SurveyResponse(db.Model):
    """One anonymous set of answers to a course's survey."""

    __tablename__ = "survey_responses"
    __table_args__ = (Index("ix_survey_responses_course", "course_id", "unit_id"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_response_id)
    course_id: Mapped[str] = mapped_column(String(100))
    # The respondent's unit when answering (reports per unit show nothing below 5 responses).
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    month: Mapped[date]  # the first day of the month answered in: no finer time is kept

    answers: Mapped[list[SurveyAnswer]] = relationship(cascade="all, delete-orphan")


class SurveyAnswer(db.Model):
    """The answer to one item: a score 1..5, or the text of an open question."""

    __tablename__ = "survey_answers"
    __table_args__ = (
        CheckConstraint("score IS NULL OR (score >= 1 AND score <= 5)", name="score"),
        Index("ix_survey_answers_item", "item_id", "score"),
    )

    # No sequence here either: (response, item) is the key.
    response_id: Mapped[str] = mapped_column(ForeignKey("survey_responses.id", ondelete="CASCADE"), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    score: Mapped[int | None] = mapped_column(SmallInteger)
    text: Mapped[str | None] = mapped_column(Text)
