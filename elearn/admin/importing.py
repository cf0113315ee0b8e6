"""Importing staff from a CSV file: every bad row reported, nothing half-imported.

Columns: ``nip,nama,unit,jabatan,email,role``. Importing the same file twice changes
nothing. New accounts get a random initial password, returned so the admin can hand
them out; the user must choose their own at first login.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from ..auth.nip import clean_nip, nip_problem
from ..auth.service import random_password
from ..extensions import db
from ..models import ROLES, Unit, User

COLUMNS = ("nip", "nama", "unit", "jabatan", "email", "role")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class RowError:
    row: int  # the line of the CSV file, header = 1
    message: str

    def __str__(self) -> str:
        return f"baris {self.row}: {self.message}"


@dataclass
class StaffRow:
    row: int
    nip: str
    name: str
    unit: str
    position: str
    email: str | None
    role: str


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    created: list[tuple[User, str]] = field(default_factory=list)  # user, initial password
    updated: list[User] = field(default_factory=list)
    unchanged: int = 0
    skipped: int = 0
    units_created: list[str] = field(default_factory=list)
    imported: bool = False


def read_rows(text: str) -> tuple[list[StaffRow], list[RowError]]:
    """Parse and check the CSV text; return the good rows and an error per bad row."""
    errors: list[RowError] = []
    rows: list[StaffRow] = []
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","  # Excel in Indonesian uses ';'
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        errors.append(RowError(1, "kolom tidak ada: " + ", ".join(missing) + f" (kolom wajib: {','.join(COLUMNS)})"))
        return rows, errors
    reader.fieldnames = header
    seen: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        if None in record:
            errors.append(RowError(line, "jumlah kolom lebih banyak dari judul kolom"))
            continue
        values = {key: (record.get(key) or "").strip() for key in COLUMNS}
        if not any(values.values()):
            continue
        nip = clean_nip(values["nip"])
        problems = []
        if problem := nip_problem(nip):
            problems.append(problem)
        elif nip in seen:
            problems.append(f"NIP {nip} sudah ada di baris {seen[nip]}")
        if not values["nama"]:
            problems.append("nama wajib diisi")
        if not values["unit"]:
            problems.append("unit wajib diisi")
        role = values["role"].lower()  # blank: "asn" for a new account, unchanged for an existing one
        if role and role not in ROLES:
            problems.append(f"role '{values['role']}' tidak dikenal (pilih: {', '.join(ROLES)})")
        if values["email"] and (not EMAIL.match(values["email"]) or len(values["email"]) > 254):
            problems.append(f"email '{values['email'][:60]}' tidak valid")
        for column, label in (("nama", "nama"), ("unit", "unit"), ("jabatan", "jabatan")):
            if len(values[column]) > 200:
                problems.append(f"{label} lebih dari 200 karakter")
        if problems:
            errors.append(RowError(line, "; ".join(problems)))
            continue
        seen[nip] = line
        rows.append(
            StaffRow(line, nip, values["nama"], values["unit"], values["jabatan"], values["email"] or None, role)
        )
    return rows, errors


def import_staff(text: str, skip_invalid: bool = False) -> ImportResult:
    """Create or update the accounts of a staff CSV in one transaction.

    Nothing is written while any row is bad, unless ``skip_invalid``.
    """
    rows, errors = read_rows(text)
    result = ImportResult(errors=errors, skipped=len(errors))
    if errors and (not skip_invalid or any(error.row == 1 for error in errors)):
        return result
    # Rows name top-level units (names repeat lower in the tree, e.g. "Sekretariat").
    units = {unit.name: unit for unit in db.session.execute(db.select(Unit).filter_by(parent_id=None)).scalars()}
    existing = {
        user.nip: user
        for user in db.session.execute(db.select(User).where(User.nip.in_([row.nip for row in rows]))).scalars()
    }
    for row in rows:
        unit = units.get(row.unit)
        if unit is None:
            unit = units[row.unit] = Unit(name=row.unit)
            db.session.add(unit)
            result.units_created.append(row.unit)
        user = existing.get(row.nip)
        if user is None:
            password = random_password()
            user = User(
                nip=row.nip,
                name=row.name,
                unit=unit,
                position=row.position,
                email=row.email,
                role=row.role or "asn",
                must_change_password=True,
            )
            user.set_initial_password(password)
            db.session.add(user)
            result.created.append((user, password))
            continue
        changes = {"name": row.name, "position": row.position, "email": row.email, "role": row.role or user.role}
        changed = user.unit is not unit or any(getattr(user, key) != value for key, value in changes.items())
        if changed:
            for key, value in changes.items():
                setattr(user, key, value)
            user.unit = unit
            result.updated.append(user)
        else:
            result.unchanged += 1
    db.session.commit()
    result.imported = True
    return result


def passwords_csv(created: list[tuple[User, str]]) -> str:
    """Return the initial passwords of new accounts as CSV for the admin to hand out."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["nip", "nama", "unit", "kata_sandi_awal"])
    for user, password in created:
        writer.writerow([user.nip, user.name, user.unit.name, password])
    return out.getvalue()
