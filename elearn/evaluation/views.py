"""The reaction survey: the learner's form and skip, and the trainers' report per course."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from ..auth.access import role_required
from ..extensions import db
from ..library import current_catalog, current_library
from ..models import Completion
from ..trainers.views import _course_or_404 as _trainer_course_or_404
from .models import SurveyState
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
