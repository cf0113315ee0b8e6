"""Leaders' and learners' reports: the learning record, the unit dashboard, a person's record."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, StringField
from wtforms.validators import Optional, ValidationError

from .. import clock
from ..actionplan.supervision import waiting_count
from ..auth.access import role_required
from ..auth.nip import clean_nip
from ..extensions import db
from ..library import current_catalog
from ..models import User
from ..security import int_arg
from ..settings import jp_target
from .recommend import person_in, recommend
from .record import as_csv, as_xlsx, learning_record
from .scope import Scope, narrowed, scope_of, unit_paths
from .unit import PAGE_SIZE, below_target, course_figures, jp_distribution, recommendations, summary

bp = Blueprint("reports", __name__)


def this_year() -> int:
    return clock.today_wib().year


# --- the learner's own record ----------------------------------------------------------------------------


@bp.route("/catatan")
@login_required
def record():
    """My learning record: courses completed, JP per year against the target, gains, certificates."""
    catalog = current_catalog()
    return render_template(
        "reports/record.html",
        person=current_user,
        record=learning_record(current_user.id, catalog),
        target=jp_target(),
        year=this_year(),
        own=True,
    )


def _download(person: User, kind: str):
    record = learning_record(person.id, current_catalog())
    stem = f"catatan-belajar-{person.nip}"
    if kind == "csv":
        return (
            as_csv(record),
            200,
            {
                "Content-Type": "text/csv; charset=utf-8",
                "Content-Disposition": f'attachment; filename="{stem}.csv"',
            },
        )
    body = as_xlsx(record, f"Catatan belajar {person.name} (NIP {person.nip})")
    return (
        body,
        200,
        {
            "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Content-Disposition": f'attachment; filename="{stem}.xlsx"',
        },
    )


@bp.route("/catatan.<any(csv, xlsx):kind>")
@login_required
def record_download(kind: str):
    """Download my learning record as CSV or XLSX."""
    return _download(current_user, kind)


# --- the unit dashboard ----------------------------------------------------------------------------------


class RecommendForm(FlaskForm):
    course = SelectField("Kursus", validate_choice=True)
    target = RadioField("Untuk", choices={"unit": "Seluruh unit", "person": "Satu pegawai"}, default="unit")
    unit = SelectField("Unit", coerce=int, validate_choice=True)
    nip = StringField("NIP pegawai", filters=[clean_nip])
    deadline = DateField("Tenggat (opsional)", validators=[Optional()])

    def validate_deadline(self, field) -> None:
        if field.data and field.data < clock.today_wib():
            raise ValidationError("Tenggat tidak boleh sebelum hari ini.")


def _leader_scope() -> Scope:
    scope = scope_of(current_user)
    if scope is None:
        abort(403)
    return scope


def _recommend_form(scope: Scope, units: list[tuple[int, str]]) -> RecommendForm:
    form = RecommendForm()
    form.course.choices = {c.id: c.title for c in current_catalog().courses}
    form.unit.choices = dict(units)
    if scope.root is not None and not form.unit.data:
        form.unit.data = scope.root
    return form


@bp.route("/atasan")
@role_required("supervisor", "admin")
def unit_dashboard():
    """My unit's learning: per course, who is behind the JP target, the spread of JP, recommendations."""
    scope = _leader_scope()
    unit_id = int_arg("unit")
    chosen = narrowed(scope, unit_id)
    if chosen is None:
        abort(404)  # a unit outside my scope: as if it did not exist
    year = int_arg("tahun", 2000, 2100) or this_year()
    page = int_arg("hal", high=100_000) or 1
    catalog = current_catalog()
    course_id = request.args.get("kursus") or None
    courses = [c for c in catalog.courses if course_id in (None, c.id)]
    if course_id and not courses:
        abort(404)
    target = jp_target()
    figures = course_figures(chosen, year, [c.id for c in courses])
    behind, behind_total = below_target(chosen, year, target, page)
    units = unit_paths(scope)
    return render_template(
        "reports/unit.html",
        scope=scope,
        chosen=chosen,
        units=units,
        year=year,
        years=list(range(this_year(), this_year() - 5, -1)),
        course_id=course_id,
        courses=courses,
        all_courses=catalog.courses,
        figures=figures,
        completion_chart=[(c.title, figures[c.id].completed) for c in courses],
        course_titles={c.id: c.title for c in catalog.courses},
        summary=summary(chosen, year, target),
        distribution=jp_distribution(chosen, year, target),
        behind=behind,
        behind_total=behind_total,
        page=page,
        pages=max(1, -(-behind_total // PAGE_SIZE)),
        target=target,
        recommendations=recommendations(scope),
        form=_recommend_form(scope, units),
        plans_waiting=waiting_count(current_user, clock.today_wib()),
    )


@bp.route("/atasan/rekomendasi", methods=["POST"])
@role_required("supervisor", "admin")
def recommend_course():
    """Recommend a course to my unit (or a unit below it) or to one of my people."""
    scope = _leader_scope()
    units = unit_paths(scope)
    form = _recommend_form(scope, units)
    if not form.validate_on_submit():
        errors = [error for field in form for error in field.errors]
        flash("Rekomendasi belum tersimpan: " + (" ".join(errors) or "formulir tidak sah."), "error")
        return redirect(url_for("reports.unit_dashboard"))
    if form.target.data == "person":
        person = person_in(scope, form.nip.data or "")
        if person is None:
            flash("Rekomendasi belum tersimpan: NIP itu bukan pegawai aktif di unit Anda.", "error")
            return redirect(url_for("reports.unit_dashboard"))
        recommend(current_user, form.course.data, form.deadline.data, user_id=person.id)
        flash(f"Kursus direkomendasikan kepada {person.name}.", "success")
    else:
        recommend(current_user, form.course.data, form.deadline.data, unit_id=form.unit.data)
        flash("Kursus direkomendasikan kepada seluruh unit.", "success")
    return redirect(url_for("reports.unit_dashboard"))


def _person_in_scope(user_id: int) -> User:
    scope = _leader_scope()
    if not scope.holds_person(user_id):
        abort(404)  # someone outside my scope: as if they did not exist
    return db.session.get(User, user_id)


@bp.route("/atasan/pegawai/<id:user_id>")
@role_required("supervisor", "admin")
def person(user_id: int):
    """One of my people: their record and certificates (never their answers)."""
    person = _person_in_scope(user_id)
    return render_template(
        "reports/record.html",
        person=person,
        record=learning_record(person.id, current_catalog()),
        target=jp_target(),
        year=this_year(),
        own=False,
    )


@bp.route("/atasan/pegawai/<id:user_id>/catatan.<any(csv, xlsx):kind>")
@role_required("supervisor", "admin")
def person_download(user_id: int, kind: str):
    """Download one of my people's learning record."""
    return _download(_person_in_scope(user_id), kind)
