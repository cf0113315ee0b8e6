"""Figures on action plans for the evaluation report (Kirkpatrick level 3): two queries, any size."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, case, func, select

from ..extensions import db
from ..models import User
from .models import RATINGS, ActionPlan, ActionPlanObstacle, Obstacle, PlanResult


@dataclass(frozen=True)
class PlanSummary:
    """How many plans were written, followed up and confirmed, and what they said.

    Shares are fractions (0..1) or None when there is nothing to divide by: results are shares
    of the plans followed up, ``confirmed_share`` of the plans written, ratings shares of the
    plans confirmed.
    """

    written: int
    followed_up: int
    results: dict[PlanResult, int]
    confirmed: int
    ratings: dict[int, int]
    obstacles: list[tuple[Obstacle, int]]  # most named first; only those named at least once

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        return part / whole if whole else None

    @property
    def followed_up_share(self) -> float | None:
        return self._share(self.followed_up, self.written)

    @property
    def result_shares(self) -> dict[PlanResult, float | None]:
        return {result: self._share(count, self.followed_up) for result, count in self.results.items()}

    @property
    def confirmed_share(self) -> float | None:
        return self._share(self.confirmed, self.written)

    @property
    def rating_shares(self) -> dict[int, float | None]:
        return {rating: self._share(count, self.confirmed) for rating, count in self.ratings.items()}

    @property
    def average_rating(self) -> float | None:
        if not self.confirmed:
            return None
        return sum(rating * count for rating, count in self.ratings.items()) / self.confirmed


def _filtered(query: Select, course_id: str | None, unit_ids: Iterable[int] | Select | None) -> Select:
    if course_id is not None:
        query = query.where(ActionPlan.course_id == course_id)
    if unit_ids is not None:
        query = query.where(ActionPlan.user_id.in_(select(User.id).where(User.unit_id.in_(unit_ids))))
    return query


def plan_summary(course_id: str | None = None, unit_ids: Iterable[int] | Select | None = None) -> PlanSummary:
    """The figures for one course (or all) among the people of some units (or everyone).

    ``unit_ids`` is a list of unit ids or a subquery of them, e.g. ``Scope.units()`` for a
    unit and everything below it.
    """
    counted = [
        func.count(ActionPlan.id),
        func.count(ActionPlan.reported_at),
        *(func.count(case((ActionPlan.result == result.value, 1))) for result in PlanResult),
        func.count(ActionPlan.confirmed_at),
        *(func.count(case((ActionPlan.rating == rating, 1))) for rating in RATINGS),
    ]
    row = db.session.execute(_filtered(select(*counted), course_id, unit_ids)).one()
    written, followed_up, *rest = row
    results = dict(zip(PlanResult, rest[: len(PlanResult)], strict=True))
    confirmed = rest[len(PlanResult)]
    ratings = dict(zip(RATINGS, rest[len(PlanResult) + 1 :], strict=True))
    named = func.count(ActionPlanObstacle.plan_id)
    obstacle_query = _filtered(
        select(ActionPlanObstacle.code, named).join(ActionPlan).group_by(ActionPlanObstacle.code),
        course_id,
        unit_ids,
    ).order_by(named.desc(), ActionPlanObstacle.code)
    obstacles = [(Obstacle(code), count) for code, count in db.session.execute(obstacle_query)]
    return PlanSummary(written, followed_up, results, confirmed, ratings, obstacles)
