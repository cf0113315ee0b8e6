"""The unit tree: create, rename, move (never into itself), merge, import; each change audited."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from sqlalchemy import func, select, update

from ..extensions import db
from ..models import Recommendation, SurveyResponse, Unit, User
from ..reports.scope import Scope
from . import audit

MAX_NAME = 200
PATH_SEPARATOR = "/"


class UnitError(Exception):
    """A rule refuses the change; the message (Indonesian) says why."""


@dataclass
class UnitRow:
    unit: Unit
    path: str
    depth: int
    people: int  # active people in this unit itself


def tree() -> list[UnitRow]:
    """Every unit with its path and its number of active people, in tree order (two queries)."""
    units = db.session.execute(select(Unit)).scalars().all()
    counts = dict(
        db.session.execute(select(User.unit_id, func.count()).where(User.active).group_by(User.unit_id)).all()
    )
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    rows: list[UnitRow] = []

    def walk(parent_id: int | None, prefix: str, depth: int) -> None:
        for unit in sorted(children.get(parent_id, []), key=lambda u: u.name.casefold()):
            path = f"{prefix} › {unit.name}" if prefix else unit.name
            rows.append(UnitRow(unit, path, depth, counts.get(unit.id, 0)))
            walk(unit.id, path, depth + 1)

    walk(None, "", 0)
    return rows


def _clean(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise UnitError("Nama unit wajib diisi.")
    if len(name) > MAX_NAME or PATH_SEPARATOR in name:
        raise UnitError(f"Nama unit paling panjang {MAX_NAME} karakter dan tanpa '{PATH_SEPARATOR}'.")
    return name


def _sibling(name: str, parent_id: int | None, other_than: int | None = None) -> Unit | None:
    same_parent = Unit.parent_id.is_(None) if parent_id is None else Unit.parent_id == parent_id
    query = select(Unit).where(func.lower(Unit.name) == name.lower(), same_parent)
    if other_than is not None:
        query = query.where(Unit.id != other_than)
    return db.session.execute(query).scalars().first()


def create(name: str, parent_id: int | None) -> Unit:
    name = _clean(name)
    if parent_id is not None and db.session.get(Unit, parent_id) is None:
        raise UnitError("Unit induk tidak ditemukan.")
    if _sibling(name, parent_id):
        raise UnitError(f"Sudah ada unit '{name}' di bawah induk yang sama.")
    unit = Unit(name=name, parent_id=parent_id)
    db.session.add(unit)
    db.session.flush()
    audit.record("unit.create", "unit", unit.id, f"Unit '{name}' dibuat", after={"name": name, "parent_id": parent_id})
    return unit


def change(unit: Unit, name: str, parent_id: int | None) -> None:
    """Rename and/or move a unit (not committed); refuses a move into itself or below itself."""
    name = _clean(name)
    if parent_id is not None:
        if db.session.get(Unit, parent_id) is None:
            raise UnitError("Unit induk tidak ditemukan.")
        if Scope(unit.id, unit.name).holds_unit(parent_id):
            raise UnitError("Unit tidak dapat dipindah ke bawah dirinya sendiri atau unit di bawahnya.")
    if _sibling(name, parent_id, other_than=unit.id):
        raise UnitError(f"Sudah ada unit '{name}' di bawah induk yang sama.")
    before = {"name": unit.name, "parent_id": unit.parent_id}
    unit.name, unit.parent_id = name, parent_id
    after = {"name": unit.name, "parent_id": unit.parent_id}
    if before != after:
        audit.record("unit.update", "unit", unit.id, f"Unit '{before['name']}' diubah", before=before, after=after)


def merge(source: Unit, target: Unit) -> int:
    """Move everything of ``source`` (people, sub-units, recommendations, survey answers) into ``target``,
    then remove it."""
    if source.id == target.id:
        raise UnitError("Pilih unit tujuan yang lain.")
    if Scope(source.id, source.name).holds_unit(target.id):
        raise UnitError("Unit tidak dapat digabung ke unit di bawahnya sendiri.")
    children = db.session.execute(select(Unit).where(Unit.parent_id == source.id)).scalars().all()
    for child in children:
        if _sibling(child.name, target.id):
            raise UnitError(f"Unit tujuan sudah punya sub-unit '{child.name}': ganti dulu salah satu namanya.")
    moved = db.session.execute(
        update(User)
        .where(User.unit_id == source.id)
        .values(unit_id=target.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    for child in children:
        child.parent_id = target.id
    for model in (Recommendation, SurveyResponse):  # survey answers keep counting for the merged unit
        db.session.execute(
            update(model)
            .where(model.unit_id == source.id)
            .values(unit_id=target.id)
            .execution_options(synchronize_session=False)
        )
    audit.record(
        "unit.merge",
        "unit",
        source.id,
        f"Unit '{source.name}' digabung ke '{target.name}' ({moved} pegawai, {len(children)} sub-unit dipindah)",
        before={"unit": source.name, "id": source.id},
        after={"into": target.name, "id": target.id, "people": moved},
    )
    db.session.flush()
    db.session.delete(source)
    return moved


def resolve(path: str, create_missing: bool = False, created: list[str] | None = None) -> Unit | None:
    """The unit at a path "Dinas Kesehatan / Puskesmas Depok I" (a plain name: a top-level unit)."""
    parent_id, unit = None, None
    parts = [" ".join(part.split()) for part in path.split(PATH_SEPARATOR)]
    for depth, part in enumerate(parts):
        unit = _sibling(part, parent_id)
        if unit is None:
            if not create_missing:
                return None
            unit = Unit(name=part, parent_id=parent_id)
            db.session.add(unit)
            db.session.flush()
            if created is not None:
                created.append(" / ".join(parts[: depth + 1]))
        parent_id = unit.id
    return unit


@dataclass
class TreeImport:
    created: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def import_tree(text: str) -> TreeImport:
    """Create the units of a CSV with columns ``nama,induk`` (an induk may be a path); nothing on any error."""
    result = TreeImport()
    sample = text[:2048]
    reader = csv.DictReader(io.StringIO(text), delimiter=";" if sample.count(";") > sample.count(",") else ",")
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    if "nama" not in header or "induk" not in header:
        result.errors.append("baris 1: kolom wajib: nama,induk")
        return result
    reader.fieldnames = header
    rows = []
    for record in reader:
        name, parent = (record.get("nama") or "").strip(), (record.get("induk") or "").strip()
        if not name and not parent:
            continue
        try:
            rows.append((reader.line_num, _clean(name), parent))
        except UnitError as error:
            result.errors.append(f"baris {reader.line_num}: {error}")
    if result.errors:
        return result
    for line, name, parent in rows:
        path = f"{parent} {PATH_SEPARATOR} {name}" if parent else name
        try:
            resolve(path, create_missing=True, created=result.created)
        except UnitError as error:
            result.errors.append(f"baris {line}: {error}")
    if result.created:
        audit.record(
            "unit.import",
            "unit",
            None,
            f"{len(result.created)} unit dibuat dari berkas",
            after={"units": result.created[:200]},
        )
    return result
