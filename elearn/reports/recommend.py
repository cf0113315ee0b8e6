"""Courses a supervisor recommends: to their unit (and the units below it) or to one person."""

from __future__ import annotations

from datetime import date

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


# Built once (its cache key is then memoised): the dashboard asks it on every view.
_RECOMMENDED_FOR = (
    select(Recommendation, Completion.id)
    .outerjoin(
        Completion,
        (Completion.user_id == bindparam("user_id")) & (Completion.course_id == Recommendation.course_id),
    )
    .where(
        or_(
            Recommendation.user_id == bindparam("user_id"),
            Recommendation.unit_id.in_(ancestors_of(bindparam("unit_id"))),
        )
    )
    .order_by(Recommendation.deadline.is_(None), Recommendation.deadline, Recommendation.created_at.desc())
    .limit(20)
)


def recommended_for(user: User) -> list[tuple[Recommendation, bool]]:
    """The recommendations that reach a learner (theirs, or their unit's or any unit's above), with done marks."""
    rows = db.session.execute(_RECOMMENDED_FOR, {"user_id": user.id, "unit_id": user.unit_id}).all()
    seen, result = set(), []
    for recommendation, completion_id in rows:  # one line per course: the nearest deadline first
        if recommendation.course_id not in seen:
            seen.add(recommendation.course_id)
            result.append((recommendation, completion_id is not None))
    return result


def person_in(scope: Scope, nip: str) -> User | None:
    """The active person with this NIP, if they are in the scope."""
    return db.session.execute(
        select(User).where(User.nip == nip, User.active, User.id.in_(scope.people()))
    ).scalar_one_or_none()
