"""Learner pages: dashboard, catalog, course overview, lesson, assets."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, abort, flash, redirect, render_template, request, send_from_directory, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.security import safe_join

from .. import clock
from ..actionplan.plans import plan_card
from ..auth.service import read_with_user
from ..catalog.search import MAX_QUERY
from ..evaluation.responses import due_surveys, today
from ..extensions import db
from ..forum.reading import lesson_post_count
from ..library import current_catalog, current_search
from ..settings import jp_target
from .after_course import DASHBOARD_WITH_USER, dashboard_states
from .from_others import from_others
from .progress import (
    EVERY_COURSE_WITH_USER,
    ONE_COURSE_WITH_USER,
    CourseState,
    NextStep,
    StepKind,
    apply_rules,
    best_attempt,
    catch_up,
    lesson_step,
    load_state,
    load_states,
    mark_read,
    next_step,
    open_lesson,
)
from .steps import Action, step_action

bp = Blueprint("learn", __name__)
TRAINER_ROLES = ("trainer", "admin")

# These pages read the learner's state first: the user comes with it (one round trip for both).
read_with_user("learn.dashboard", DASHBOARD_WITH_USER)
read_with_user("learn.catalog", EVERY_COURSE_WITH_USER)
read_with_user("learn.course", ONE_COURSE_WITH_USER)
read_with_user("learn.lesson", ONE_COURSE_WITH_USER)
ASSET_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"


def _course_or_404(course_id: str):
    course = current_catalog().course(course_id)
    if course is None:
        abort(404)
    return course


def _lesson_or_404(course, lesson_id: str):
    lesson = course.lesson(lesson_id)
    if lesson is None:
        abort(404)
    return lesson


@dataclass(frozen=True)
class CourseItem:
    """A course on the dashboard: the learner's state in it and the way forward."""

    state: CourseState
    step: NextStep
    action: Action | None


@bp.route("/")
@login_required
def dashboard():
    """Show my courses with progress, the next step in each, and my JP this year."""
    catalog = current_catalog()
    states, after = dashboard_states(current_user.id, catalog.courses, today(), clock.today_wib())
    if any([apply_rules(state) for state in states.values()]):
        db.session.commit()
    items = []
    for state in states.values():
        if state.started:
            step = next_step(state)
            items.append(CourseItem(state, step, step_action(step, state.course)))
    # Courses under way first, finished ones last.
    items.sort(key=lambda item: item.step.kind is StepKind.DONE)
    others = from_others(current_user.id)
    recommended = [
        (recommendation, recommendation.done, catalog.course(recommendation.course_id))
        for recommendation in others.recommended
        if catalog.course(recommendation.course_id) is not None
    ]
    completed = [state for state in states.values() if state.completion]
    return render_template(
        "learn/dashboard.html",
        items=items,
        surveys_due=[state.course for state in completed if state.course.id in after.surveys_due],
        recommended=recommended,
        jp=after.jp_this_year,
        jp_target=jp_target(),
        course_count=len(catalog.courses),
        new_replies=others.new_replies,
        follow_ups=[(plan, catalog.course(plan.course_id)) for plan in after.follow_ups],
    )


@bp.route("/kursus")
@login_required
def catalog():
    """List every course that is ready to study, with my progress."""
    courses = current_catalog().courses
    return render_template("learn/catalog.html", courses=courses, states=load_states(current_user.id, courses))


@bp.route("/kursus/<course_id>/")
@login_required
def course(course_id: str):
    """Show a course's overview, my progress, the pre/post-test scores and the next step."""
    course = _course_or_404(course_id)
    state = load_state(current_user.id, course)
    catch_up(state)
    step = next_step(state)
    return render_template(
        "learn/course.html",
        course=course,
        state=state,
        step=step,
        action=step_action(step, course) if step.kind is not StepKind.DONE else None,
        pretest_open=step.kind is not StepKind.PRETEST and state.pretest_refusal() is None,
        survey_due=bool(state.completion) and course.id in due_surveys(current_user.id, [course.id], today()),
        plan_card=plan_card(current_user.id, course.id, state.completion is not None, clock.today_wib()),
    )


@bp.route("/kursus/<course_id>/<lesson_id>")
@login_required
def lesson(course_id: str, lesson_id: str):
    """Show a lesson's text, its contents, and the one way on."""
    course = _course_or_404(course_id)
    lesson = _lesson_or_404(course, lesson_id)
    state = load_state(current_user.id, course)
    opened = open_lesson(state, lesson)
    if apply_rules(state) or opened:
        db.session.commit()
    before, after = course.neighbours(lesson.id)
    step = lesson_step(state, lesson)
    return render_template(
        "learn/lesson.html",
        course=course,
        lesson=lesson,
        number=course.lessons.index(lesson) + 1,
        before=before,
        after=after,
        state=state,
        step=step,
        action=step_action(step, course),
        quiz_best=best_attempt(state.attempts_at(lesson.id)) if lesson.quiz else None,
        discussion_posts=lesson_post_count(course.id, lesson.id),
    )


@bp.route("/kursus/<course_id>/<lesson_id>/selesai", methods=["POST"])
@login_required
def mark_done(course_id: str, lesson_id: str):
    """Mark a lesson as read, then go on to the next step."""
    course = _course_or_404(course_id)
    lesson = _lesson_or_404(course, lesson_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    state = mark_read(current_user.id, course, lesson)
    if state.is_complete(lesson.id):
        flash(f"Pelajaran “{lesson.title}” selesai.", "success")
    step = lesson_step(state, lesson)  # the lesson's quiz if it has one, else the course's next step
    action = step_action(step, course)
    if action is None or action.method != "get" or step.kind is StepKind.DONE:
        return redirect(url_for("learn.course", course_id=course.id))
    return redirect(action.url)


@bp.route("/cari")
@login_required
def search():
    """Find lessons by words in their titles, headings and text (published courses only)."""
    query = request.args.get("q", "").strip()[:MAX_QUERY]
    hits = current_search().search(query) if query else []
    return render_template("learn/search.html", query=query, hits=hits)


@bp.route("/kursus/<course_id>/assets/<path:filename>")
@login_required
def asset(course_id: str, filename: str):
    """Serve an image or attachment from a course's assets/ folder (a hidden course's to its trainers)."""
    catalog = current_catalog()
    course = catalog.course(course_id)
    if course is None and current_user.role in TRAINER_ROLES:
        course = next((b for b in catalog.broken if b.id == course_id), None)  # for the preview
    if course is None:
        abort(404)
    folder = Path(course.path, "assets").resolve()
    target = safe_join(str(folder), filename)
    # Symbolic links are followed only to files inside the course's own assets/ folder: a
    # link to ../exam.md, or anywhere else, would otherwise serve it.
    if target is None or not Path(target).resolve().is_relative_to(folder) or not Path(target).is_file():
        abort(404)
    response = send_from_directory(folder, filename, max_age=3600)
    # A trainer's SVG or HTML opened on its own must not run script as this site.
    response.headers["Content-Security-Policy"] = ASSET_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.cache_control.public = False
    response.cache_control.private = True
    if not (response.mimetype or "").startswith("image/"):
        response.headers["Content-Disposition"] = "attachment"
    return response
