"""Who a leader may see: the people of a unit and of every unit below it, decided in SQL.

A supervisor's scope is their own unit's subtree; an admin's is the whole regency. Every
report query is filtered by ``people_in`` (a subquery), never by a Python loop over users.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import Select, select

from ..extensions import db
from ..models import Unit, User


@dataclass(frozen=True)
class Scope:
    """A unit subtree (``root`` None: the whole regency)."""

    root: int | None
    title: str

    def units(self) -> Select:
        """A subquery of the ids of every unit in the scope."""
        return self._units

    @cached_property
    def _units(self) -> Select:
        # One CTE object per scope: a statement that uses the scope twice renders it once.
        if self.root is None:
            return select(Unit.id)
        tree = select(Unit.id).where(Unit.id == self.root).cte("subtree", recursive=True)
        tree = tree.union_all(select(Unit.id).where(Unit.parent_id == tree.c.id))
        return select(tree.c.id)

    def people(self, active_only: bool = True) -> Select:
        """A subquery of the ids of every person in the scope (active ones only, by default)."""
        query = select(User.id).where(User.unit_id.in_(self.units()))
        return query.where(User.active) if active_only else query

    def holds_unit(self, unit_id: int) -> bool:
        query = select(Unit.id).where(Unit.id == unit_id, Unit.id.in_(self.units()))
        return db.session.execute(query).first() is not None

    def holds_person(self, user_id: int) -> bool:
        query = select(User.id).where(User.id == user_id, User.unit_id.in_(self.units()))
        return db.session.execute(query).first() is not None


def scope_of(user) -> Scope | None:
    """The scope a user leads: admins the regency, supervisors their unit's subtree, others none."""
    if user.role == "admin":
        return Scope(None, "Seluruh Kabupaten Sleman")
    if user.role == "supervisor":
        return Scope(user.unit_id, user.unit.name)
    return None


def narrowed(scope: Scope, unit_id: int | None) -> Scope | None:
    """The scope narrowed to a sub-unit chosen in a filter; None when the unit lies outside it."""
    if unit_id is None:
        return scope
    if not scope.holds_unit(unit_id):
        return None
    unit = db.session.get(Unit, unit_id)
    return Scope(unit.id, unit.name)


def ancestors_of(unit_id) -> Select:
    """A subquery of a unit's id (a number or an SQL expression) and the ids of every unit above it."""
    chain = select(Unit.id, Unit.parent_id).where(Unit.id == unit_id).cte("ancestors", recursive=True)
    chain = chain.union_all(select(Unit.id, Unit.parent_id).where(Unit.id == chain.c.parent_id))
    return select(chain.c.id)


def unit_paths(scope: Scope) -> list[tuple[int, str]]:
    """(id, "Dinas Kesehatan › Sekretariat") of every unit in the scope, for a filter list."""
    rows = db.session.execute(select(Unit.id, Unit.name, Unit.parent_id).where(Unit.id.in_(scope.units()))).all()
    names = {uid: (name, parent) for uid, name, parent in rows}

    def path(uid: int) -> str:
        parts, seen = [], set()
        while uid in names and uid not in seen:
            seen.add(uid)
            name, parent = names[uid]
            parts.append(name)
            if uid == scope.root:
                break
            uid = parent
        return " › ".join(reversed(parts))

    return sorted(((uid, path(uid)) for uid in names), key=lambda item: item[1].casefold())
