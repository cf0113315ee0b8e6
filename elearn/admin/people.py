"""People: search, create, edit, (de)activate, reset passwords; every change in the audit log.

The rules that keep the regency manageable: the last active admin cannot lose the role or be
deactivated, and no admin removes their own admin role or deactivates themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ..auth.service import random_password
from ..extensions import db
from ..models import ROLE_LABELS, Unit, User
from ..reports.scope import Scope
from . import audit

PAGE_SIZE = 50
FIELDS = ("name", "position", "email", "role", "unit_id")
LABELS = {"name": "nama", "position": "jabatan", "email": "email", "role": "peran", "unit_id": "unit"}


class PeopleError(Exception):
    """A rule refuses the change; the message (Indonesian) says why."""


@dataclass
class Found:
    people: list[tuple[User, str]]  # the user and their unit's name
    total: int


def search(
    text: str = "", unit_id: int | None = None, role: str | None = None, status: str | None = None, page: int = 1
) -> Found:
    """One page of people by NIP (prefix) or name (any part), unit (with its sub-units), role and status;
    and how many match."""
    query = select(User, Unit.name).join(Unit, Unit.id == User.unit_id)
    text = " ".join(text.split())[:100]
    if text:
        digits = "".join(text.split())
        if digits.isdigit():
            query = query.where(User.nip.startswith(digits, autoescape=True))
        else:
            query = query.where(func.lower(User.name).contains(text.lower(), autoescape=True))
    if unit_id:
        query = query.where(User.unit_id.in_(Scope(unit_id, "").units()))
    if role in ROLE_LABELS:
        query = query.where(User.role == role)
    if status in ("aktif", "nonaktif"):
        query = query.where(User.active.is_(status == "aktif"))
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = db.session.execute(
        query.order_by(User.name, User.id).limit(PAGE_SIZE).offset(max(0, page - 1) * PAGE_SIZE)
    ).all()
    return Found([(user, unit) for user, unit in rows], total)


def _active_admins() -> int:
    return db.session.execute(select(func.count()).where(User.role == "admin", User.active)).scalar_one()


def _snapshot(user: User) -> dict:
    return {key: getattr(user, key) for key in FIELDS} | {"active": user.active}


def create(
    nip: str, name: str, unit_id: int, role: str, position: str = "", email: str | None = None
) -> tuple[User, str]:
    """Create an account with an initial password to hand over (not committed)."""
    if db.session.execute(select(User.id).where(User.nip == nip)).first():
        raise PeopleError(f"NIP {nip} sudah terdaftar.")
    password = random_password()
    user = User(nip=nip, name=name, unit_id=unit_id, role=role, position=position, email=email or None)
    user.set_initial_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", "user", user.id, f"Akun {nip} ({name}) dibuat", after=_snapshot(user))
    return user, password


def update(user: User, by: User, **changes) -> list[str]:
    """Change an account's fields (not committed); return what changed, in words."""
    if user.id == by.id and changes.get("role", user.role) != "admin" and user.role == "admin":
        raise PeopleError("Anda tidak dapat melepas peran admin Anda sendiri.")
    if user.role == "admin" and changes.get("role", "admin") != "admin" and user.active and _active_admins() <= 1:
        raise PeopleError("Ini admin aktif terakhir: tetapkan admin lain lebih dulu.")
    before = _snapshot(user)
    for key, new in changes.items():
        if key in FIELDS:
            setattr(user, key, new)
    after = _snapshot(user)
    changed = [key for key in FIELDS if before[key] != after[key]]
    if changed:
        if "role" in changed:
            user.end_sessions()  # new rights take effect at the next login
        described = ", ".join(LABELS[key] for key in changed)
        audit.record(
            "user.update",
            "user",
            user.id,
            f"Akun {user.nip} ({user.name}): {described} diubah",
            before={key: before[key] for key in changed},
            after={key: after[key] for key in changed},
        )
    return changed


def set_active(user: User, active: bool, by: User) -> None:
    """Deactivate (no login; out of the 'who is behind' lists; completions stay) or reactivate (not committed)."""
    if user.active == active:
        return
    if not active and user.id == by.id:
        raise PeopleError("Anda tidak dapat menonaktifkan akun Anda sendiri.")
    if not active and user.role == "admin" and _active_admins() <= 1:
        raise PeopleError("Ini admin aktif terakhir: tetapkan admin lain lebih dulu.")
    user.active = active
    if not active:
        user.end_sessions()
    action = "user.reactivate" if active else "user.deactivate"
    verb = "diaktifkan lagi" if active else "dinonaktifkan"
    audit.record(
        action,
        "user",
        user.id,
        f"Akun {user.nip} ({user.name}) {verb}",
        before={"active": not active},
        after={"active": active},
    )


def reset_password(user: User) -> str:
    """Give the account a new initial password and end its sessions (not committed); return the password."""
    password = random_password()
    user.set_initial_password(password)
    user.end_sessions()
    audit.record("user.password_reset", "user", user.id, f"Kata sandi {user.nip} ({user.name}) diatur ulang")
    return password
