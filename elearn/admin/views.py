"""The personnel agency's admin area: people, units, the staff import, the audit log, exports, settings."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import delete, func, select
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from .. import clock
from ..auth.access import role_required
from ..auth.nip import clean_nip, nip_problem
from ..extensions import db, refresh_statistics
from ..library import current_catalog
from ..models import ROLE_LABELS, AuditEvent, ImportBatch, Unit, User, utcnow
from ..reports.scope import Scope
from ..security import accepts_upload, int_arg
from ..settings import DEFINITIONS, change, jp_target, organiser, value
from . import audit, exports, people, units
from .importing import (
    ImportFileError,
    apply_import,
    file_text,
    passwords_csv,
    plan_import,
    read_rows,
    record_import,
    template_csv,
    template_xlsx,
)

bp = Blueprint("admin", __name__, url_prefix="/admin")
LOG_PAGE = 50
BATCH_KEPT = timedelta(days=30)


@bp.before_request
@role_required("admin")
def admins_only():
    """Every page here is for admins (403 for others, the login page for nobody)."""
    return None


def _unit_choices(blank: str | None = None) -> dict:
    choices = {row.unit.id: row.path for row in units.tree()}
    return ({"": blank} | choices) if blank is not None else choices


# --- overview ----------


@bp.route("/")
def home():
    """The admin area's front page: counts and the way to each task."""
    counts = dict(db.session.execute(select(User.active, func.count()).group_by(User.active)).all())
    return render_template(
        "admin/home.html",
        active=counts.get(True, 0),
        inactive=counts.get(False, 0),
        unit_count=db.session.execute(select(func.count(Unit.id))).scalar_one(),
        latest=db.session.execute(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(5)).scalars().all(),
    )


# --- people ----------


def _stripped(value: str | None) -> str:
    """A form filter: surrounding spaces removed, a missing field an empty string."""
    return (value or "").strip()


class PersonForm(FlaskForm):
    nip = StringField("NIP", filters=[clean_nip], validators=[DataRequired("NIP wajib diisi.")])
    name = StringField("Nama", filters=[_stripped], validators=[DataRequired("Nama wajib diisi."), Length(max=200)])
    position = StringField("Jabatan", filters=[_stripped], validators=[Length(max=200)])
    email = StringField(
        "Email", filters=[_stripped], validators=[Optional(), Email("Email tidak valid."), Length(max=254)]
    )
    unit = SelectField("Unit", coerce=int, validate_choice=True)
    role = SelectField("Peran", choices=ROLE_LABELS, validate_choice=True)

    def validate_nip(self, field) -> None:
        if problem := nip_problem(field.data):
            raise ValidationError(problem)


@bp.route("/pegawai")
def people_list():
    """Search people by NIP or name; filter by unit, role and status."""
    page = int_arg("hal", high=100_000) or 1
    role = request.args.get("peran") or None
    status = request.args.get("status") or None
    found = people.search(request.args.get("q", ""), int_arg("unit"), role, status, page)
    return render_template(
        "admin/people.html",
        found=found,
        page=page,
        pages=max(1, -(-found.total // people.PAGE_SIZE)),
        unit_choices=_unit_choices(),
        roles=ROLE_LABELS,
        args=request.args,
    )


@bp.route("/pegawai/baru", methods=["GET", "POST"])
def person_new():
    """Create an account; its initial password is shown once."""
    form = PersonForm()
    form.unit.choices = _unit_choices()
    if form.validate_on_submit():
        try:
            user, password = people.create(
                form.nip.data,
                form.name.data,
                form.unit.data,
                form.role.data,
                form.position.data,
                form.email.data or None,
            )
        except people.PeopleError as error:
            form.nip.errors.append(str(error))
        else:
            db.session.commit()
            return render_template("admin/password.html", user=user, password=password, created=True)
    return render_template("admin/person_form.html", form=form, user=None)


@bp.route("/pegawai/<id:user_id>", methods=["GET", "POST"])
def person_edit(user_id: int):
    """Edit an account: name, position, email, unit and role."""
    user = db.get_or_404(User, user_id)
    form = PersonForm(obj=user if request.method == "GET" else None)
    form.unit.choices = _unit_choices()
    if request.method == "GET":
        form.unit.data = user.unit_id
    form.nip.data = user.nip  # the NIP identifies the account: it is not edited here
    if form.validate_on_submit():
        try:
            changed = people.update(
                user,
                current_user._get_current_object(),
                name=form.name.data,
                position=form.position.data,
                email=form.email.data or None,
                role=form.role.data,
                unit_id=form.unit.data,
            )
        except people.PeopleError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash("Perubahan disimpan." if changed else "Tidak ada yang berubah.", "success" if changed else "info")
            return redirect(url_for("admin.person_edit", user_id=user.id))
    history = (
        db.session.execute(
            select(AuditEvent)
            .where(AuditEvent.target_type == "user", AuditEvent.target_id == str(user.id))
            .order_by(AuditEvent.id.desc())
            .limit(20)
        )
        .scalars()
        .all()
    )
    return render_template("admin/person_form.html", form=form, user=user, history=history, action=FlaskForm())


@bp.route("/pegawai/<id:user_id>/status", methods=["POST"])
def person_status(user_id: int):
    """Deactivate or reactivate an account."""
    user = db.get_or_404(User, user_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        people.set_active(user, request.form.get("aktif") == "1", current_user._get_current_object())
    except people.PeopleError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(f"Akun {user.name} {'aktif' if user.active else 'dinonaktifkan'}.", "success")
    return redirect(url_for("admin.person_edit", user_id=user.id))


@bp.route("/pegawai/<id:user_id>/kata-sandi", methods=["POST"])
def person_password(user_id: int):
    """Give an account a new initial password (shown once) and end its sessions."""
    user = db.get_or_404(User, user_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    password = people.reset_password(user)
    db.session.commit()
    return render_template("admin/password.html", user=user, password=password, created=False)


# --- units ----------


class UnitForm(FlaskForm):
    name = StringField("Nama unit", validators=[DataRequired("Nama wajib diisi."), Length(max=200)])
    parent = SelectField("Induk", validate_choice=False)


class MergeForm(FlaskForm):
    target = SelectField("Gabungkan ke", coerce=int, validate_choice=True)


class TreeImportForm(FlaskForm):
    file = FileField("Berkas CSV (kolom nama,induk)")


def _parent(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdecimal() and len(raw) <= 10 else None


@bp.route("/unit", methods=["GET", "POST"])
def unit_list():
    """The unit tree with the number of people in each; create a unit; import a tree."""
    form = UnitForm()
    form.parent.choices = _unit_choices("(tanpa induk)")
    if form.validate_on_submit():
        try:
            unit = units.create(form.name.data, _parent(form.parent.data))
        except units.UnitError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(f"Unit '{unit.name}' dibuat.", "success")
            return redirect(url_for("admin.unit_list"))
    return render_template("admin/units.html", rows=units.tree(), form=form, tree_form=TreeImportForm())


@bp.route("/unit/<id:unit_id>", methods=["GET", "POST"])
def unit_edit(unit_id: int):
    """Rename a unit, move it under another, or merge it into another."""
    unit = db.get_or_404(Unit, unit_id)
    form = UnitForm(obj=unit if request.method == "GET" else None)
    choices = _unit_choices("(tanpa induk)")
    form.parent.choices = choices
    merge = MergeForm()
    merge.target.choices = {key: path for key, path in choices.items() if key not in ("", unit.id)}
    if request.method == "GET":
        form.parent.data = str(unit.parent_id or "")
    if request.form.get("aksi") == "ubah" and form.validate_on_submit():
        try:
            units.change(unit, form.name.data, _parent(form.parent.data))
        except units.UnitError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash("Unit disimpan.", "success")
            return redirect(url_for("admin.unit_list"))
    if request.form.get("aksi") == "gabung" and merge.validate_on_submit():
        target = db.get_or_404(Unit, merge.target.data)
        try:
            moved = units.merge(unit, target)
        except units.UnitError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(f"Unit digabung ke '{target.name}': {moved} pegawai dipindah.", "success")
            return redirect(url_for("admin.unit_list"))
    count = db.session.execute(select(func.count()).where(User.unit_id == unit.id)).scalar_one()
    return render_template("admin/unit_form.html", unit=unit, form=form, merge=merge, people_count=count)


@bp.route("/unit/impor", methods=["POST"])
@accepts_upload
def unit_import():
    """Create units from a CSV with columns nama,induk; nothing is created while a row is bad."""
    form = TreeImportForm()
    if not form.validate_on_submit() or not form.file.data:
        flash("Pilih berkas CSV lebih dulu.", "error")
        return redirect(url_for("admin.unit_list"))
    result = units.import_tree(file_text(form.file.data.filename or "", form.file.data.read()))
    if result.errors:
        db.session.rollback()
        flash("Tidak ada unit yang dibuat: " + "; ".join(result.errors[:20]), "error")
    else:
        db.session.commit()
        flash(f"{len(result.created)} unit baru dibuat.", "success")
    return redirect(url_for("admin.unit_list"))


# --- the staff import: upload, preview, confirm --------------------------------------------------------------


class UploadForm(FlaskForm):
    file = FileField("Berkas pegawai (CSV atau XLSX)")


@bp.route("/impor", methods=["GET", "POST"])
@accepts_upload
def import_upload():
    """Upload a staff file; the next page previews every row before anything is written."""
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        if not upload or not upload.filename:
            form.file.errors.append("Pilih berkas CSV atau XLSX.")
        else:
            try:
                text = file_text(upload.filename, upload.read())
            except ImportFileError as error:
                form.file.errors.append(str(error))
            else:
                rows, errors = read_rows(text)
                plan = plan_import(rows, errors, by=current_user)
                batch = ImportBatch(
                    created_by=current_user.id,
                    filename=upload.filename[:200],
                    content=text,
                    fingerprint=plan.fingerprint,
                )
                db.session.add(batch)
                # an uploaded file holds names and NIPs: kept for a month (its preview, a late confirm), then gone
                db.session.execute(delete(ImportBatch).where(ImportBatch.created_at < utcnow() - BATCH_KEPT))
                db.session.commit()
                return redirect(url_for("admin.import_preview", token=batch.token))
    return render_template("admin/import.html", form=form)


def _batch(token: str) -> ImportBatch:
    batch = db.session.execute(select(ImportBatch).filter_by(token=token)).scalar_one_or_none()
    if batch is None:
        abort(404)
    return batch


@bp.route("/impor/<token>")
def import_preview(token: str):
    """Every row as new, changed (with what changes) or bad; units to be created. Writes nothing."""
    batch = _batch(token)
    rows, errors = read_rows(batch.content)
    plan = plan_import(rows, errors, by=current_user)
    db.session.rollback()  # the plan only read (and the unit lookups flushed nothing): keep it so
    return render_template(
        "admin/import_preview.html",
        batch=batch,
        plan=plan,
        stale=plan.fingerprint != batch.fingerprint,
        form=FlaskForm(),
    )


@bp.route("/impor/<token>/konfirmasi", methods=["POST"])
def import_confirm(token: str):
    """Apply the previewed import in one transaction; show the new initial passwords once."""
    batch = _batch(token)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if batch.confirmed_at is not None:
        flash("Impor ini sudah dikonfirmasi sebelumnya.", "info")
        return redirect(url_for("admin.people_list"))
    rows, errors = read_rows(batch.content)
    plan = plan_import(rows, errors, by=current_user)
    if plan.errors:
        flash("Perbaiki baris yang bermasalah, lalu unggah lagi: tidak ada yang diimpor.", "error")
        return redirect(url_for("admin.import_preview", token=token))
    if plan.fingerprint != batch.fingerprint:
        batch.fingerprint = plan.fingerprint
        db.session.commit()
        flash("Data berubah sejak pratinjau dibuat. Periksa pratinjau yang baru, lalu konfirmasi lagi.", "info")
        return redirect(url_for("admin.import_preview", token=token))
    result = apply_import(plan)
    batch.confirmed_at = utcnow()
    record_import(batch.filename, result)
    db.session.commit()
    refresh_statistics("users", "units")
    return render_template(
        "admin/import_done.html", result=result, form=FlaskForm(), passwords_csv=passwords_csv(result.created)
    )


@bp.route("/impor/kata-sandi.csv", methods=["POST"])
@accepts_upload  # 10,000 new accounts' passwords are about 600 KB
def import_passwords():
    """Echo the initial passwords of the confirmation page back as a CSV download (they are stored nowhere)."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    return (
        "\ufeff" + request.form.get("csv", ""),
        200,
        {
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": 'attachment; filename="kata-sandi-awal.csv"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/impor/templat.<any(csv, xlsx):kind>")
def import_template(kind: str):
    """The staff file template."""
    if kind == "csv":
        return (
            template_csv(),
            200,
            {
                "Content-Type": "text/csv; charset=utf-8",
                "Content-Disposition": 'attachment; filename="templat-pegawai.csv"',
            },
        )
    return (
        template_xlsx(),
        200,
        {
            "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Content-Disposition": 'attachment; filename="templat-pegawai.xlsx"',
        },
    )


# --- the audit log ----------


@bp.route("/log")
def audit_log():
    """Every admin action, newest first; filter by kind of action and by who did it."""
    page = int_arg("hal", high=100_000) or 1
    query = select(AuditEvent)
    action = request.args.get("aksi") or None
    if action in audit.ACTIONS:
        query = query.where(AuditEvent.action == action)
    actor = " ".join(request.args.get("oleh", "").split())[:100]
    if actor:
        query = query.where(func.lower(AuditEvent.actor_name).contains(actor.lower(), autoescape=True))
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    events = (
        db.session.execute(query.order_by(AuditEvent.id.desc()).limit(LOG_PAGE).offset((page - 1) * LOG_PAGE))
        .scalars()
        .all()
    )
    return render_template(
        "admin/log.html",
        events=events,
        total=total,
        page=page,
        pages=max(1, -(-total // LOG_PAGE)),
        actions=audit.ACTIONS,
        args=request.args,
    )


# --- exports ----------


EXPORTS = {
    "riwayat-jp": ("Riwayat JP (satu baris per kursus selesai)", exports.JP_COLUMNS),
    "kemajuan": ("Kemajuan setiap pegawai di setiap kursus", exports.PROGRESS_COLUMNS),
    "ringkasan-unit": ("Ringkasan per unit", exports.SUMMARY_COLUMNS),
}


def _export_scope() -> Scope:
    unit_id = int_arg("unit")
    if unit_id is None:
        return Scope(None, "Seluruh Kabupaten Sleman")
    unit = db.get_or_404(Unit, unit_id)
    return Scope(unit.id, unit.name)


def this_year() -> int:
    return clock.today_wib().year


@bp.route("/ekspor")
def export_page():
    """Choose an export, a year and a unit."""
    return render_template(
        "admin/exports.html",
        exports=EXPORTS,
        unit_choices=_unit_choices(),
        year=this_year(),
        years=list(range(this_year(), this_year() - 6, -1)),
    )


@bp.route("/ekspor/<any('riwayat-jp', 'kemajuan', 'ringkasan-unit'):kind>.<any(csv, xlsx):fmt>")
def export(kind: str, fmt: str):
    """Stream one of the regency's exports as CSV or XLSX."""
    scope = _export_scope()
    year = int_arg("tahun", 2000, 2100) or this_year()
    catalog = current_catalog()
    title, header = EXPORTS[kind]
    if kind == "riwayat-jp":
        rows = exports.jp_record(scope, year, catalog, organiser())
    elif kind == "kemajuan":
        rows = exports.progress(scope, catalog)
    else:
        paths = {row.unit.id: row.path for row in units.tree() if scope.root is None or scope.holds_unit(row.unit.id)}
        rows = exports.unit_summary(scope, year, jp_target(), paths)
    name = f"{kind}-{year}{'-unit-' + str(scope.root) if scope.root else ''}"
    return exports.as_download(fmt, name, title, header, rows)


# --- settings ----------


class SettingsForm(FlaskForm):
    jp_target = StringField(DEFINITIONS["jp_target"].label)
    cert_issuer = StringField(DEFINITIONS["cert_issuer"].label)
    cert_signatory = StringField(DEFINITIONS["cert_signatory"].label)
    organiser = StringField(DEFINITIONS["organiser"].label)


@bp.route("/pengaturan", methods=["GET", "POST"])
def settings_page():
    """Change the settings an admin may change without a deploy; each change goes in the audit log."""
    form = SettingsForm()
    if request.method == "GET":
        for key in DEFINITIONS:
            getattr(form, key).data = str(value(key))
    if form.validate_on_submit():
        changed, failed = [], False
        for key, definition in DEFINITIONS.items():
            raw = getattr(form, key).data or ""
            if raw.strip() == str(value(key)):
                continue
            try:
                before, after = change(key, raw, current_user.id)
            except ValueError as error:
                getattr(form, key).errors.append(f"{definition.label}: {error}")
                failed = True
                continue
            if before != after:
                changed.append(definition.label)
                audit.record(
                    "setting.change",
                    "setting",
                    key,
                    f"{definition.label}: {before} → {after}",
                    before={key: before},
                    after={key: after},
                )
        if failed:
            db.session.rollback()
        else:
            db.session.commit()
            flash("Pengaturan disimpan: " + ", ".join(changed) if changed else "Tidak ada yang berubah.", "success")
            return redirect(url_for("admin.settings_page"))
    return render_template("admin/settings.html", form=form, definitions=DEFINITIONS)
