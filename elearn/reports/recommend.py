"""Courses a supervisor recommends: to their unit (and the units below it) or to one person."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from sqlalchemy import bindparam, or_, select

from ..admin import audit
from ..extensions import db
from ..models import Completion, Recommendation, User
from .scope import Scope, ancestors_of


def recommend(by: User, course_id: str, deadline: date | None, unit_id: int | None = None, user_id: int | None = None):
    """Record a recommendation (the caller has checked the target lies in the supervisor's scope)."""
    recommendation = Recommendation(
        course_id=course_id, unit_id=unit_id, user_id=user_id, deadline=deadline, created_by=by.id
    )
    db.session.add(recommendation)
    db.session.flush()
    target = f"unit {unit_id}" if unit_id else f"pegawai {user_id}"
    audit.record(
        "recommendation.create",
        "recommendation",
        recommendation.id,
        f"Kursus {course_id} direkomendasikan kepada {target}",
        after={"course": course_id, "unit_id": unit_id, "user_id": user_id, "deadline": str(deadline or "")},
    )
    db.session.commit()
    return recommendation


class Recommended(NamedTuple):
    """A course recommended to a learner: the nearest deadline, and whether they completed it."""

    course_id: str
    deadline: date | None
    done: bool


def recommendations_select():
    """The recommendations that reach a learner (``user_id``): theirs, or their unit's or any
    unit's above, each with the id of the learner's completion of the course or None; the
    nearest deadline first, at most 20. Columns: course_id, deadline, created_at, done.

    The learner's unit is read in the statement, from their row: one parameter, so the
    dashboard can read this with its other readings (``learn.from_others``).
    """
    unit_id = select(User.unit_id).where(User.id == bindparam("user_id")).scalar_subquery()
    return (
        select(
            Recommendation.course_id,
            Recommendation.deadline,
            Recommendation.created_at,
            Completion.id.label("done"),
        )
        .outerjoin(
            Completion,
            (Completion.user_id == bindparam("user_id")) & (Completion.course_id == Recommendation.course_id),
        )
        .where(
            or_(
                Recommendation.user_id == bindparam("user_id"),
                Recommendation.unit_id.in_(ancestors_of(unit_id)),
            )
        )
        .order_by(*RECOMMENDATION_ORDER)
        .limit(20)
    )


RECOMMENDATION_ORDER = (Recommendation.deadline.is_(None), Recommendation.deadline, Recommendation.created_at.desc())


def recommended(rows) -> list[Recommended]:
    """One line per course from ``recommendations_select``'s rows: the nearest deadline first."""
    rows = sorted(rows, key=lambda row: (row.deadline is None, row.deadline or date.min, -row.created_at.timestamp()))
    seen, result = set(), []
    for row in rows:
        if row.course_id not in seen:
            seen.add(row.course_id)
            result.append(Recommended(row.course_id, row.deadline, row.done is not None))
    return result


def person_in(scope: Scope, nip: str) -> User | None:
    """The active person with this NIP, if they are in the scope."""
    return db.session.execute(
        select(User).where(User.nip == nip, User.active, User.id.in_(scope.people()))
    ).scalar_one_or_none()
