"""Learner pages: dashboard, catalog, course overview, lesson, assets."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, send_from_directory, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from ..auth.access import role_required
from ..library import current_catalog
from ..quiz.attempts import attempts_of, best_attempt, exam_summary
from .progress import catch_up, completion_of, course_progress, mark_read, open_lesson, progress_by_course
from .records import completions_by_course, jp_this_year

bp = Blueprint("learn", __name__)
ASSET_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"


def _course_or_404(course_id: str):
    course = current_catalog().course(course_id)
    if course is None:
        abort(404)
    return course


@bp.route("/")
@login_required
def dashboard():
    """Show my courses with progress, where to continue, and my JP this year."""
    catalog = current_catalog()
    progress = progress_by_course(current_user.id, catalog.courses)
    completions = completions_by_course(current_user.id)
    mine = [p for p in progress.values() if p.started or p.course.id in completions]
    jp = jp_this_year(current_user.id)
    return render_template(
        "learn/dashboard.html",
        mine=mine,
        completions=completions,
        jp=jp,
        jp_target=current_app.config["JP_TARGET"],
        course_count=len(catalog.courses),
    )


@bp.route("/kursus")
@login_required
def catalog():
    """List every course that is ready to study, with my progress."""
    courses = current_catalog().courses
    return render_template("learn/catalog.html", courses=courses, progress=progress_by_course(current_user.id, courses))


@bp.route("/kursus/<course_id>/")
@login_required
def course(course_id: str):
    """Show a course's overview, objectives and lessons with done marks."""
    course = _course_or_404(course_id)
    catch_up(current_user.id, course)
    return render_template(
        "learn/course.html",
        course=course,
        progress=course_progress(current_user.id, course),
        exam=exam_summary(current_user.id, course),
        completion=completion_of(current_user.id, course.id),
    )


@bp.route("/kursus/<course_id>/<lesson_id>")
@login_required
def lesson(course_id: str, lesson_id: str):
    """Show a lesson's text, its contents, and the way on."""
    course = _course_or_404(course_id)
    lesson = course.lesson(lesson_id)
    if lesson is None:
        abort(404)
    open_lesson(current_user.id, course, lesson)
    catch_up(current_user.id, course)
    before, after = course.neighbours(lesson.id)
    quiz_attempts = attempts_of(current_user.id, course.id, lesson.id) if lesson.quiz else []
    return render_template(
        "learn/lesson.html",
        course=course,
        lesson=lesson,
        before=before,
        after=after,
        progress=course_progress(current_user.id, course),
        quiz_best=best_attempt(quiz_attempts),
        form=FlaskForm(),
    )


@bp.route("/kursus/<course_id>/<lesson_id>/selesai", methods=["POST"])
@login_required
def mark_done(course_id: str, lesson_id: str):
    """Mark a lesson as read; it completes now, or once its quiz is passed."""
    course = _course_or_404(course_id)
    lesson = course.lesson(lesson_id)
    if lesson is None:
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    row = mark_read(current_user.id, course, lesson)
    if row.completed_at:
        flash(f"Pelajaran “{lesson.title}” selesai.", "success")
        after = course.neighbours(lesson.id)[1]
        if after:
            return redirect(url_for("learn.lesson", course_id=course.id, lesson_id=after.id))
        return redirect(url_for("learn.course", course_id=course.id))
    flash("Bacaan ditandai selesai. Langkah berikutnya: kerjakan kuis pelajaran ini.", "info")
    return redirect(url_for("quiz.lesson_quiz_page", course_id=course.id, lesson_id=lesson.id))


@bp.route("/kursus/<course_id>/assets/<path:filename>")
@login_required
def asset(course_id: str, filename: str):
    """Serve an image or attachment from a course's assets/ folder."""
    course = _course_or_404(course_id)
    response = send_from_directory(f"{course.path}/assets", filename, max_age=3600)
    # A trainer's SVG or HTML opened on its own must not run script as this site.
    response.headers["Content-Security-Policy"] = ASSET_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.cache_control.public = False
    response.cache_control.private = True
    if not (response.mimetype or "").startswith("image/"):
        response.headers["Content-Disposition"] = "attachment"
    return response


@bp.route("/kursus-bermasalah")
@role_required("trainer", "admin")
def problems():
    """List courses hidden from learners because of errors, with every problem."""
    return render_template("learn/problems.html", broken=current_catalog().broken)
