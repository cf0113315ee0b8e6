"""Action plan pages: the learner writes and reports; the supervisor lists and confirms."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectMultipleField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from .. import clock
from ..auth.access import role_required
from ..formatting import tanggal
from ..library import current_catalog
from ..reports.scope import scope_of
from ..security import int_arg
from .models import MAX_STEPS, OBSTACLE_LABELS, RATINGS, RESULT_LABELS, Obstacle, PlanResult
from .plans import (
    Report,
    Step,
    editing_refusal,
    has_completed,
    plan_of,
    report_refusal,
    save_plan,
    save_report,
)
from .supervision import PAGE_SIZE, confirm, confirm_refusal, open_plans, plan_for, waiting_for

bp = Blueprint("actionplan", __name__)
STEP_MIN, STEP_MAX = 10, 300
TEXT_MAX = 1000


class DateInput(DateField):
    """A date field whose parse error speaks Indonesian."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError("Tanggal tidak valid; pilih tanggal dari kalender.") from error


class PlanForm(FlaskForm):
    """One to three changes, each with the date it will be done by."""

    step1 = TextAreaField("Perubahan 1", validators=[Optional(), Length(max=STEP_MAX)])
    date1 = DateInput("Target tanggal perubahan 1", validators=[Optional()])
    step2 = TextAreaField("Perubahan 2 (opsional)", validators=[Optional(), Length(max=STEP_MAX)])
    date2 = DateInput("Target tanggal perubahan 2", validators=[Optional()])
    step3 = TextAreaField("Perubahan 3 (opsional)", validators=[Optional(), Length(max=STEP_MAX)])
    date3 = DateInput("Target tanggal perubahan 3", validators=[Optional()])

    def rows(self) -> list[tuple]:
        return [(self[f"step{n}"], self[f"date{n}"]) for n in range(1, MAX_STEPS + 1)]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        today = clock.today_wib()
        latest = today + timedelta(days=365)
        steps = 0
        for text, when in self.rows():
            words = (text.data or "").strip()
            if words and len(words) < STEP_MIN:
                text.errors.append(f"Tuliskan perubahan yang konkret, minimal {STEP_MIN} karakter.")
                valid = False
            if words and not when.data and not when.errors:
                when.errors.append("Pilih tanggal target untuk perubahan ini.")
                valid = False
            if when.data and not words:
                text.errors.append("Tuliskan perubahannya, atau kosongkan tanggalnya.")
                valid = False
            if when.data and not today <= when.data <= latest:
                when.errors.append("Tanggal target harus antara hari ini dan satu tahun ke depan.")
                valid = False
            steps += bool(words)
        if steps == 0:
            self.step1.errors.append("Tuliskan paling sedikit satu perubahan yang akan Anda lakukan.")
            valid = False
        return valid

    def steps(self) -> list[Step]:
        return [Step(text.data.strip(), when.data) for text, when in self.rows() if (text.data or "").strip()]


class ChoiceField(RadioField):
    """Radio buttons whose every refusal (nothing, or a value not offered) is one Indonesian message."""

    def __init__(self, label, message: str, **kwargs) -> None:
        super().__init__(label, validators=[InputRequired(message)], **kwargs)
        self.message = message

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(self.message) from error

    def pre_validate(self, form) -> None:
        if self.data not in {self.coerce(choice.value) for choice in self.iter_choices()}:
            raise ValidationError(self.message)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:
        offered = {self.coerce(choice.value) for choice in self.iter_choices()}
        if any(value not in offered for value in self.data or ()):
            raise ValidationError("Pilih hambatan dari daftar yang tersedia.")


class ReportForm(FlaskForm):
    """What happened to the plan: the result, what helped, what got in the way."""

    result = ChoiceField(
        "Apakah rencana aksi Anda terlaksana?",
        "Pilih salah satu: sudah, sebagian, atau belum terlaksana.",
        choices=dict(RESULT_LABELS),
    )
    helped = TextAreaField("Apa yang membantu?", validators=[Optional(), Length(max=TEXT_MAX)])
    obstacles = MultiCheckboxField("Apa yang menghambat?", choices=dict(OBSTACLE_LABELS))
    obstacle_note = TextAreaField("Hambatan lain", validators=[Optional(), Length(max=TEXT_MAX)])

    def report(self) -> Report:
        return Report(
            result=PlanResult(self.result.data),
            helped=(self.helped.data or "").strip(),
            obstacles=tuple(Obstacle(code) for code in self.obstacles.data or ()),
            obstacle_note=(self.obstacle_note.data or "").strip(),
        )


class ConfirmForm(FlaskForm):
    """The supervisor's judgement of how well the person applied the plan."""

    rating = ChoiceField(
        "Seberapa jauh pegawai ini menerapkan rencana aksinya?",
        "Pilih salah satu tingkat penerapan.",
        choices=dict(RATINGS),
        coerce=int,
    )
    comment = TextAreaField("Catatan atasan (opsional)", validators=[Optional(), Length(max=TEXT_MAX)])


def _completed_course_or_404(course_id: str):
    course = current_catalog().course(course_id)
    if course is None or not has_completed(current_user.id, course.id):
        abort(404)  # a plan follows a completed course; before that there is nothing to plan
    return course


def _errors() -> None:
    flash("Isian belum tersimpan. Periksa bagian yang ditandai di bawah.", "error")


@bp.route("/kursus/<course_id>/rencana-aksi", methods=["GET", "POST"])
@login_required
def write(course_id: str):
    """Write or edit my action plan for a course I completed."""
    course = _completed_course_or_404(course_id)
    plan = plan_of(current_user.id, course.id)
    refusal = editing_refusal(plan)
    if refusal:
        flash(refusal, "info")
        return redirect(url_for("learn.course", course_id=course.id))
    form = PlanForm()
    if request.method == "GET" and plan is not None:
        for step in plan.steps:
            form[f"step{step.position}"].data = step.text
            form[f"date{step.position}"].data = step.target_on
    if form.validate_on_submit():
        try:
            plan = save_plan(current_user.id, course, form.steps(), clock.today_wib())
        except ValueError as error:  # reported meanwhile, in another tab
            flash(str(error), "error")
            return redirect(url_for("learn.course", course_id=course.id))
        flash(f"Rencana aksi tersimpan. Kami akan menanyakan hasilnya mulai {tanggal(plan.due_on)}.", "success")
        return redirect(url_for("learn.course", course_id=course.id))
    if form.is_submitted():
        _errors()
    days = plan.due_on - plan.written_on if plan else timedelta(days=course.follow_up_days)
    return render_template(
        "actionplan/write.html",
        course=course,
        plan=plan,
        form=form,
        days=days.days,
        today=clock.today_wib(),
        latest=clock.today_wib() + timedelta(days=365),
    )


@bp.route("/kursus/<course_id>/rencana-aksi/hasil", methods=["GET", "POST"])
@login_required
def report(course_id: str):
    """Tell what happened to my action plan, once its follow-up day has come."""
    course = _completed_course_or_404(course_id)
    plan = plan_of(current_user.id, course.id)
    refusal = report_refusal(plan, clock.today_wib())
    if refusal:
        flash(refusal, "info")
        return redirect(url_for("learn.course", course_id=course.id))
    form = ReportForm()
    if form.validate_on_submit():
        if save_report(plan, form.report()):
            flash("Terima kasih, hasil rencana aksi Anda tersimpan dan diteruskan kepada atasan.", "success")
        else:
            flash("Hasil rencana aksi ini sudah Anda laporkan sebelumnya.", "info")
        return redirect(url_for("learn.course", course_id=course.id))
    if form.is_submitted():
        _errors()
    return render_template("actionplan/report.html", course=course, plan=plan, form=form)


def _page_arg() -> int:
    return int_arg("hal", high=999_999) or 1


@bp.route("/atasan/rencana-aksi")
@role_required("supervisor", "admin")
def plans():
    """The action plans of my unit: those waiting for my confirmation, or every open one."""
    scope = scope_of(current_user)
    view = request.args.get("tampil")
    if view not in ("menunggu", "terbuka"):
        view = "menunggu" if current_user.role == "supervisor" else "terbuka"
    page = _page_arg()
    today = clock.today_wib()

    def fetch(page: int):
        return waiting_for(current_user, today, page) if view == "menunggu" else open_plans(scope, page)

    rows, total = fetch(page)
    if not rows and page > 1 and total:  # past the last page (an old link): show the last one
        page = -(-total // PAGE_SIZE)
        rows, total = fetch(page)
    titles = {c.id: c.title for c in current_catalog().courses}
    return render_template(
        "actionplan/plans.html",
        scope=scope,
        view=view,
        rows=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        titles=titles,
        today=today,
    )


@bp.route("/atasan/rencana-aksi/<id:plan_id>", methods=["GET", "POST"])
@role_required("supervisor")
def confirm_plan(plan_id: int):
    """Confirm how well one of my people applied their action plan."""
    row = plan_for(current_user, plan_id)
    if row is None:
        abort(404)  # not a plan I confirm: as if it did not exist
    plan = row.plan
    today = clock.today_wib()
    refusal = confirm_refusal(plan, today)
    form = ConfirmForm()
    if request.method == "POST":
        if refusal:
            flash(refusal, "info")
            return redirect(url_for("actionplan.confirm_plan", plan_id=plan.id))
        if form.validate_on_submit():
            if confirm(plan, current_user, form.rating.data, (form.comment.data or "").strip()):
                flash(f"Konfirmasi untuk rencana aksi {row.name} tersimpan.", "success")
            else:
                flash("Rencana aksi ini sudah dikonfirmasi oleh atasan lain.", "info")
            return redirect(url_for("actionplan.plans"))
        _errors()
    course = current_catalog().course(plan.course_id)
    return render_template(
        "actionplan/confirm.html",
        row=row,
        plan=plan,
        course_title=course.title if course else plan.course_id,
        form=form,
        refusal=refusal,
    )
