"""Small factories that build database state for tests."""

from __future__ import annotations

import itertools

from elearn.extensions import db
from elearn.models import Unit, User

PASSWORD = "rahasia-uji-123"
_sequence = itertools.count(1)


def make_nip(born: str = "19900101", appointed: str = "201501", sex: str = "1") -> str:
    """Return a valid, unique NIP."""
    return f"{born}{appointed}{sex}{next(_sequence) % 1000:03d}"


def make_unit(name: str = "Dinas Kesehatan", parent: Unit | None = None) -> Unit:
    unit = db.session.execute(
        db.select(Unit).filter_by(name=name, parent_id=parent.id if parent else None)
    ).scalar_one_or_none()
    if unit is None:
        unit = Unit(name=name, parent=parent)
        db.session.add(unit)
        db.session.commit()
    return unit


def make_user(
    role: str = "asn",
    name: str = "Rina Astuti",
    unit: str = "Dinas Kesehatan",
    password: str = PASSWORD,
    must_change_password: bool = False,
    nip: str | None = None,
) -> User:
    user = User(
        nip=nip or make_nip(),
        name=name,
        role=role,
        unit=make_unit(unit),
        position="Staf",
        must_change_password=must_change_password,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user
