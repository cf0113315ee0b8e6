"""The supervisor's side: whose plans a supervisor confirms, the lists they see, the confirmation.

Who confirms a plan: a supervisor of the learner's unit, or else of the nearest unit above it
that has one; any of them may confirm. A supervisor's own plan goes to the nearest unit
*above* theirs, never to themselves or their own unit's other supervisors. In SQL: from the
supervisor's unit, walk down the tree but stop at every unit that has a supervisor of its own
(``covered_units``); the supervisor confirms the plans of ordinary staff in those units and of
supervisors whose unit's parent is one of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select, update
from sqlalchemy.orm import aliased, selectinload

from ..extensions import db
from ..models import Unit, User, utcnow
from ..reports.scope import Scope
from .models import ActionPlan

PAGE_SIZE = 25


def covered_units(unit_id: int) -> Select:
    """A subquery of the units whose nearest supervised unit (at or above) is ``unit_id``."""
    boss = aliased(User)
    supervised = exists().where(boss.unit_id == Unit.id, boss.role == "supervisor", boss.active)
    tree = select(Unit.id).where(Unit.id == unit_id).cte("covered", recursive=True)
    tree = tree.union_all(select(Unit.id).where(Unit.parent_id == tree.c.id, ~supervised))
    return select(tree.c.id)


def _confirmed_by(supervisor: User) -> ColumnElement[bool]:
    """A condition on ``User`` (the learner): this supervisor is one who confirms their plans."""
    if supervisor.role != "supervisor":
        return User.id.is_(None)  # nobody: only supervisors confirm
    covered = covered_units(supervisor.unit_id)
    children_of_covered = select(Unit.id).where(Unit.parent_id.in_(covered))
    return and_(
        User.id != supervisor.id,
        or_(
            and_(User.role != "supervisor", User.unit_id.in_(covered)),
            and_(User.role == "supervisor", User.unit_id.in_(children_of_covered)),
        ),
    )


@dataclass(frozen=True)
class PlanRow:
    """A plan in a supervisor's list, with who wrote it."""

    plan: ActionPlan
    name: str
    nip: str
    unit: str


def _rows(query: Select, page: int) -> tuple[list[PlanRow], int]:
    total = db.session.execute(query.with_only_columns(func.count(ActionPlan.id)).order_by(None)).scalar_one()
    page_query = (
        query.order_by(ActionPlan.due_on, ActionPlan.id)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
        .options(selectinload(ActionPlan.steps), selectinload(ActionPlan.obstacles))
    )
    rows = [PlanRow(plan, name, nip, unit) for plan, name, nip, unit in db.session.execute(page_query)]
    return rows, total


def _plans_with_people() -> Select:
    return select(ActionPlan, User.name, User.nip, Unit.name).join(User, User.id == ActionPlan.user_id).join(Unit)


def waiting_for(supervisor: User, today: date, page: int = 1) -> tuple[list[PlanRow], int]:
    """The plans due and not yet confirmed that this supervisor confirms: a page of rows, and the total."""
    query = _plans_with_people().where(
        _confirmed_by(supervisor), User.active, ActionPlan.due_on <= today, ActionPlan.confirmed_at.is_(None)
    )
    return _rows(query, page)


def waiting_count(supervisor: User, today: date) -> int:
    """How many plans wait for this supervisor's confirmation (one query)."""
    if supervisor.role != "supervisor":
        return 0
    query = (
        select(func.count(ActionPlan.id))
        .join(User, User.id == ActionPlan.user_id)
        .where(_confirmed_by(supervisor), User.active, ActionPlan.due_on <= today, ActionPlan.confirmed_at.is_(None))
    )
    return db.session.execute(query).scalar_one()


def open_plans(scope: Scope, page: int = 1) -> tuple[list[PlanRow], int]:
    """The plans in a leader's scope that are not yet confirmed, earliest follow-up first."""
    query = _plans_with_people().where(ActionPlan.user_id.in_(scope.people()), ActionPlan.confirmed_at.is_(None))
    return _rows(query, page)


def plan_for(supervisor: User, plan_id: int) -> PlanRow | None:
    """A plan this supervisor confirms (or has confirmed), with who wrote it; None for any other id."""
    query = _plans_with_people().where(ActionPlan.id == plan_id, _confirmed_by(supervisor), User.active)
    rows, _ = _rows(query, 1)
    return rows[0] if rows else None


def confirm_refusal(plan: ActionPlan, today: date) -> str | None:
    """Why the plan may not be confirmed now, or None."""
    if plan.confirmed:
        return "Rencana aksi ini sudah dikonfirmasi."
    if not plan.is_due(today):
        return "Konfirmasi baru dibuka pada tanggal tindak lanjut rencana aksi ini."
    return None


def confirm(plan: ActionPlan, supervisor: User, rating: int, comment: str) -> bool:
    """Record the supervisor's confirmation once; False when someone confirmed it first."""
    done = db.session.execute(
        update(ActionPlan)
        .where(ActionPlan.id == plan.id, ActionPlan.confirmed_at.is_(None))
        .values(confirmed_at=utcnow(), confirmed_by=supervisor.id, rating=rating, comment=comment or None)
    )
    if done.rowcount != 1:
        db.session.rollback()
        return False
    db.session.commit()
    return True
