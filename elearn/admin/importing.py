"""Importing staff from a CSV file: every bad row reported, nothing half-imported.

Columns: ``nip,nama,unit,jabatan,email,role``; a unit is a top-level unit's name or a path
in the tree ("Dinas Kesehatan / Puskesmas Depok I"). Importing the same file twice changes
nothing. ``plan_import`` says what an import would do without writing (the browser's
preview); ``apply_import`` does it. New accounts get a random initial password, returned so the admin can hand
them out; the user must choose their own at first login.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass, field

from sqlalchemy.orm import joinedload

from ..auth.nip import clean_nip, nip_problem
from ..auth.service import random_password
from ..extensions import db, refresh_statistics
from ..models import ROLES, Unit, User
from .units import resolve

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


@dataclass
class Change:
    row: StaffRow
    user: User | None  # None: a new account
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (label, before, after)


@dataclass
class ImportPlan:
    """What an import would do, before anything is written: the preview, and what confirm applies."""

    errors: list[RowError] = field(default_factory=list)
    new: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: int = 0
    new_units: list[str] = field(default_factory=list)

    @property
    def fingerprint(self) -> str:
        """A digest of everything the plan would write: confirm applies only the plan that was shown."""
        data = [[e.row, e.message] for e in self.errors] + [
            [c.row.nip, c.row.name, c.row.unit, c.row.position, c.row.email, c.row.role, c.fields]
            for c in self.new + self.changed
        ]
        data.append(sorted(self.new_units))
        return hashlib.sha256(json.dumps(data, default=str).encode()).hexdigest()


def plan_import(rows: list[StaffRow], errors: list[RowError], by: User | None = None) -> ImportPlan:
    """Compare the rows with the accounts and units there are now; write nothing.

    A row may not take the admin role from the person importing (``by``), nor from the last
    active admins: such a row is an error like any other.
    """
    plan = ImportPlan(errors=list(errors))
    existing = {
        user.nip: user
        for user in db.session.execute(
            db.select(User).options(joinedload(User.unit)).where(User.nip.in_([row.nip for row in rows]))
        ).scalars()
    }
    units: dict[str, Unit | None] = {}
    for row in rows:
        if row.unit not in units:
            units[row.unit] = resolve(row.unit)
            if units[row.unit] is None:
                plan.new_units.append(row.unit)
        unit = units[row.unit]
        user = existing.get(row.nip)
        if user is None:
            plan.new.append(Change(row, None))
            continue
        fields = []
        for label, before, after in (
            ("nama", user.name, row.name),
            ("jabatan", user.position, row.position),
            ("email", user.email or "", row.email or ""),
            ("peran", user.role, row.role or user.role),
        ):
            if (before or "") != (after or ""):
                fields.append((label, before or "", after or ""))
        if unit is None or unit.id != user.unit_id:
            fields.append(("unit", user.unit.name, row.unit))
        if fields:
            plan.changed.append(Change(row, user, fields))
        else:
            plan.unchanged += 1
    _keep_admins(plan, by)
    return plan


def _keep_admins(plan: ImportPlan, by: User | None) -> None:
    demoting = [
        change
        for change in plan.changed
        if change.user.role == "admin" and change.row.role and change.row.role != "admin"
    ]
    if not demoting:
        return
    active_admins = db.session.execute(
        db.select(db.func.count(User.id)).where(User.role == "admin", User.active.is_(True))
    ).scalar_one()
    none_left = active_admins <= sum(1 for change in demoting if change.user.active)
    for change in demoting:
        if by is not None and change.user.id == by.id:
            message = "baris ini akan melepas peran admin Anda sendiri; minta admin lain mengubahnya"
        elif none_left:
            message = "baris ini akan meninggalkan aplikasi tanpa admin aktif"
        else:
            continue
        plan.changed.remove(change)
        plan.errors.append(RowError(change.row.row, message))
    plan.errors.sort(key=lambda error: error.row)


def apply_import(plan: ImportPlan) -> ImportResult:
    """Write a plan's new and changed accounts and its new units (not committed)."""
    result = ImportResult(errors=plan.errors, skipped=len(plan.errors), unchanged=plan.unchanged)
    units: dict[str, Unit] = {}

    def unit_of(path: str) -> Unit:
        if path not in units:
            units[path] = resolve(path, create_missing=True, created=result.units_created)
        return units[path]

    for change in plan.new:
        row = change.row
        password = random_password()
        user = User(
            nip=row.nip,
            name=row.name,
            unit=unit_of(row.unit),
            position=row.position,
            email=row.email,
            role=row.role or "asn",
            must_change_password=True,
        )
        user.set_initial_password(password)
        db.session.add(user)
        result.created.append((user, password))
    for change in plan.changed:
        row, user = change.row, change.user
        user.name, user.position, user.email = row.name, row.position, row.email
        if row.role and row.role != user.role:
            user.role = row.role
            user.end_sessions()
        user.unit = unit_of(row.unit)
        result.updated.append(user)
    result.imported = True
    return result


def import_staff(text: str, skip_invalid: bool = False, source: str = "berkas") -> ImportResult:
    """Create or update the accounts of a staff file in one transaction (the command line's import).

    Nothing is written while any row is bad, unless ``skip_invalid``. Recorded in the audit log
    like an import confirmed in the browser.
    """
    rows, errors = read_rows(text)
    if errors and (not skip_invalid or any(error.row == 1 for error in errors)):
        return ImportResult(errors=errors, skipped=len(errors))
    plan = plan_import(rows, errors)
    if plan.errors and not skip_invalid:
        return ImportResult(errors=plan.errors, skipped=len(plan.errors))
    result = apply_import(plan)
    record_import(source, result)
    db.session.commit()
    refresh_statistics("users", "units")
    return result


def record_import(source: str, result: ImportResult) -> None:
    """The audit event of an import: who was created or changed, which units are new."""
    from .audit import record

    record(
        "import.confirm",
        "import",
        None,
        f"Impor '{source}': {len(result.created)} akun baru, {len(result.updated)} diubah, "
        f"{len(result.units_created)} unit baru",
        after={
            "created": [user.nip for user, _ in result.created][:500],
            "updated": [user.nip for user in result.updated][:500],
            "units": result.units_created[:200],
        },
    )


def passwords_csv(created: list[tuple[User, str]]) -> str:
    """Return the initial passwords of new accounts as CSV for the admin to hand out."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["nip", "nama", "unit", "kata_sandi_awal"])
    for user, password in created:
        writer.writerow([user.nip, user.name, user.unit.name, password])
    return out.getvalue()


class ImportFileError(Exception):
    """The uploaded file cannot be read; the message (Indonesian) says why."""


def file_text(filename: str, data: bytes) -> str:
    """The uploaded staff file as CSV text: CSV in UTF-8 (with or without BOM) or Windows-1252, or XLSX."""
    if filename.lower().endswith(".xlsx"):
        return _xlsx_text(data)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's "CSV (Comma delimited)" on Windows saves in the ANSI code page, not UTF-8.
        return data.decode("cp1252", errors="replace")


def _xlsx_text(data: bytes) -> str:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, KeyError, ValueError, OSError):
        raise ImportFileError(
            "Berkas XLSX tidak dapat dibaca. Simpan ulang dari Excel sebagai 'Buku Kerja Excel (.xlsx)'."
        ) from None
    sheet = workbook.worksheets[0]
    out = io.StringIO()
    writer = csv.writer(out)
    for values in sheet.iter_rows(values_only=True):
        writer.writerow([_cell(value) for value in values])
    workbook.close()
    return out.getvalue()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a number Excel stored (an 18-digit NIP loses digits: the check reports it)
    return str(value)


def template_csv() -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerow(["198507122010012003", "Sri Wahyuni", "Kapanewon Depok", "Pengadministrasi Umum", "", "asn"])
    writer.writerow(["199001012015011001", "Budi Santoso", "Dinas Kesehatan / Puskesmas Depok I", "Perawat", "", ""])
    return out.getvalue()


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Pegawai"
    sheet.append(list(COLUMNS))
    for row in csv.reader(io.StringIO(template_csv().lstrip("\ufeff"))):
        if row and row[0] != "nip":
            sheet.append(row)
    for cell in sheet["A"]:
        cell.number_format = "@"  # the NIP as text: 18 digits do not fit Excel's numbers
    for column, width in zip("ABCDEF", (22, 28, 40, 28, 28, 12), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
