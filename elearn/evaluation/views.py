"""The reaction survey: the learner's form and skip, and the trainers' report per course."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from ..actionplan.models import RATINGS
from ..admin.exports import as_download
from ..auth.access import role_required
from ..extensions import db
from ..library import current_catalog, current_library
from ..models import Completion
from ..reports.scope import Scope, narrowed, unit_paths
from ..security import int_arg
from ..trainers.views import _course_or_404 as _trainer_course_or_404
from .models import SurveyState
from .report import HEADER as REPORT_HEADER
from .report import evaluate
from .report import rows as report_rows
from .responses import (
    MAX_OPEN_ANSWER,
    MIN_RESPONSES,
    FormResult,
    reaction_by_unit,
    reaction_summary,
    read_form,
    record_answers,
    record_skip,
    refusal,
    statuses_of,
    today,
)
from .survey import SCALE, check_survey_files, survey_for

bp = Blueprint("evaluation", __name__)
BACK = {"beranda": "learn.dashboard"}  # where "Lewati" returns to, by name (never a URL from the form)


def _published_course_or_404(course_id: str):
    course = current_catalog().course(course_id)
    if course is None:
        abort(404)
    return course


def _completed(course_id: str) -> bool:
    found = db.session.execute(db.select(Completion.id).filter_by(user_id=current_user.id, course_id=course_id)).first()
    return found is not None


def _render_form(course, survey, answers: FormResult | None = None, status: int = 200):
    return (
        render_template(
            "evaluation/form.html",
            course=course,
            survey=survey,
            answers=answers or FormResult(),
            scale=SCALE,
            max_open=MAX_OPEN_ANSWER,
            form=FlaskForm(),
        ),
        status,
    )


@bp.route("/kursus/<course_id>/survei")
@login_required
def survey(course_id: str):
    """The survey form of a course I completed (or why it cannot be filled in)."""
    course = _published_course_or_404(course_id)
    reason = refusal(statuses_of(current_user.id, course.id).get(course.id), _completed(course.id))
    if reason:
        flash(reason, "info")
        return redirect(url_for("learn.course", course_id=course.id))
    return _render_form(course, survey_for(course.path))


@bp.route("/kursus/<course_id>/survei/kirim", methods=["POST"])
@login_required
def submit(course_id: str):
    """Store my answers anonymously (once), or show the form again with what is missing."""
    course = _published_course_or_404(course_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    reason = refusal(statuses_of(current_user.id, course.id).get(course.id), _completed(course.id))
    if reason:
        flash(reason, "info")
        return redirect(url_for("learn.course", course_id=course.id))
    survey = survey_for(course.path)
    answers = read_form(survey, request.form)
    if answers.errors:
        flash(
            "Survei belum terkirim: lengkapi bagian yang ditandai, jawaban Anda yang lain tetap tersimpan di formulir.",
            "error",
        )
        return _render_form(course, survey, answers, 422)
    if record_answers(current_user.id, current_user.unit_id, course.id, answers, today()):
        flash("Terima kasih! Jawaban survei Anda tersimpan tanpa nama.", "success")
    else:
        flash("Anda sudah mengisi survei kursus ini. Terima kasih atas masukan Anda.", "info")
    return redirect(url_for("learn.course", course_id=course.id))


@bp.route("/kursus/<course_id>/survei/lewati", methods=["POST"])
@login_required
def skip(course_id: str):
    """Skip the survey for now (asked once more later), or for good the second time."""
    course = _published_course_or_404(course_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if _completed(course.id):
        state = record_skip(current_user.id, course.id, today())
        if state == SurveyState.SKIPPED_ONCE:
            flash("Survei dilewati. Kami akan menawarkannya sekali lagi lain hari.", "info")
        elif state == SurveyState.SKIPPED_TWICE:
            flash("Survei dilewati dan tidak akan ditawarkan lagi.", "info")
    back = BACK.get(request.form.get("kembali", ""))
    return redirect(url_for(back) if back else url_for("learn.course", course_id=course.id))


@bp.route("/pelatih/<course_id>/survei")
@role_required("trainer", "admin")
def course_report(course_id: str):
    """The survey's figures for a course: per statement, per unit, and the open answers (no names)."""
    found = _trainer_course_or_404(course_id)
    survey = survey_for(found.course.path)
    library = current_library()
    problems = [
        f"{library.relative(p.path)}:{p.line}: {p.message}"
        for p in check_survey_files(library.folder, [found.course.path])
    ]
    return render_template(
        "evaluation/report.html",
        found=found,
        course=found.course,
        survey=survey,
        summary=reaction_summary(found.course.id, survey=survey),
        units=reaction_by_unit(found.course.id),
        problems=problems,
        scale=SCALE,
        min_responses=MIN_RESPONSES,
    )


# --- the evaluation report (reaction, learning, behaviour) ----------------------------------------------

EVALUATORS = ("supervisor", "trainer", "admin")


def _evaluation_scope() -> Scope:
    """Supervisors see their unit's subtree; trainers and admins the whole regency."""
    if current_user.role == "supervisor":
        return Scope(current_user.unit_id, current_user.unit.name)
    return Scope(None, "Seluruh Kabupaten Sleman")


def _evaluation_request():
    """The scope, the unit chosen in it, and the courses asked for (404 for a unit or course out of reach)."""
    scope = _evaluation_scope()
    chosen = narrowed(scope, int_arg("unit"))
    if chosen is None:
        abort(404)  # a unit outside the reader's subtree: as if it did not exist
    catalog = current_catalog()
    course_id = request.args.get("kursus") or None
    courses = [course for course in catalog.courses if course_id in (None, course.id)]
    if course_id and not courses:
        abort(404)
    return scope, chosen, course_id, courses, catalog


@bp.route("/evaluasi")
@role_required(*EVALUATORS)
def evaluation():
    """The evaluation report of every course (or one), for the reader's unit subtree or a unit in it."""
    scope, chosen, course_id, courses, catalog = _evaluation_request()
    return render_template(
        "evaluation/evaluation.html",
        scope=scope,
        chosen=chosen,
        units=unit_paths(scope),
        course_id=course_id,
        all_courses=catalog.courses,
        evaluations=evaluate(chosen, courses),
        open_answers=current_user.role in ("trainer", "admin"),
        scale=SCALE,
        min_responses=MIN_RESPONSES,
        ratings=RATINGS,
    )


@bp.route("/evaluasi/laporan.<any(csv, xlsx):fmt>")
@role_required(*EVALUATORS)
def evaluation_download(fmt: str):
    """The same report as one row per figure, for a spreadsheet or an agency's evaluation file."""
    _scope, chosen, course_id, courses, _catalog = _evaluation_request()
    figures = report_rows(chosen, evaluate(chosen, courses))
    name = f"evaluasi-{course_id or 'semua-kursus'}{'-unit-' + str(chosen.root) if chosen.root else ''}"
    return as_download(fmt, name, "Evaluasi pelatihan", REPORT_HEADER, figures)
