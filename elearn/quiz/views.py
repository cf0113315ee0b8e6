"""Quiz pages: the landing page of a quiz, taking an attempt, autosave, submit, review, history."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import bindparam, exists, true
from sqlalchemy.orm import aliased

from ..auth.service import ReadWithUser, columns_from, execute_or_read_with_user, read_with_user, select_with_user
from ..evaluation.responses import due_surveys, today
from ..extensions import db
from ..learn.progress import (
    ONE_COURSE_WITH_USER,
    best_attempt,
    lesson_step,
    load_state,
    next_step,
    numbered_parts,
    tracked,
)
from ..learn.steps import step_action
from ..library import current_catalog
from ..models import Answer, Attempt, AttemptFacts, AttemptKind, User, plain_record, utcnow
from ..urls import url_for
from .attempts import (
    QuizError,
    QuizRef,
    accepts_answers,
    close_expired,
    exam,
    lesson_quiz,
    save_answers,
    seconds_left,
    start_attempt,
    submit_attempt,
)
from .forms import SHOWN_FIELD, TOKEN_FIELD, field_name, read_form
from .history import attempt_history, course_choices
from .recovery import take_pending_answers
from .review import reveal_for, review_items
from .snapshot import ShownQuestion, Snapshot
from .types import question_type

bp = Blueprint("quiz", __name__)

# The quiz and exam landings read the learner's state first: the user comes with it.
read_with_user("quiz.lesson_quiz_page", ONE_COURSE_WITH_USER)
read_with_user("quiz.exam_page", ONE_COURSE_WITH_USER)


@bp.record_once
def _template_globals(state) -> None:
    """The quiz form's field names and each question type's macros, for the quiz templates
    (globals, so the types' partials see them too)."""
    environment = state.app.jinja_env

    def question_macros(question_or_template) -> object:
        """The macros of a question type's partial (``take``, ``review``, ``key``).

        The partials use only their arguments and these globals, so each is made into a
        module once (Jinja keeps it with the template). An ``{% import %}`` per question
        made the module again for every question of every page, a quarter of a quiz page.
        """
        name = question_or_template
        if not isinstance(name, str):
            name = question_type(question_or_template.type).template
        return environment.get_template(name).module

    environment.globals.update(
        quiz_field=field_name,
        SHOWN_FIELD=SHOWN_FIELD,
        TOKEN_FIELD=TOKEN_FIELD,
        question_macros=question_macros,
    )


EXAM_SLUGS = {"pre-test": "pretest", "post-test": "posttest"}
KIND_SLUGS = {kind: slug for slug, kind in EXAM_SLUGS.items()}


def _course_or_404(course_id: str):
    course = current_catalog().course(course_id)
    if course is None:
        abort(404)
    return course


def _lesson_ref(course_id: str, lesson_id: str) -> QuizRef:
    course = _course_or_404(course_id)
    lesson = course.lesson(lesson_id)
    ref = lesson_quiz(course, lesson) if lesson else None
    if ref is None:
        abort(404)
    return ref


def _exam_ref(course_id: str, slug: str) -> QuizRef:
    ref = exam(_course_or_404(course_id), EXAM_SLUGS.get(slug, ""))
    if ref is None:
        abort(404)
    return ref


class ShownAttempt(plain_record(Attempt, base=(AttemptFacts,))):
    """An attempt as the quiz page shows it: a plain record, with its snapshot, not the ORM's
    object (the page only reads it; what changes it loads the ORM's, see ``take``)."""

    __slots__ = ()

    @property
    def questions(self) -> list[ShownQuestion]:
        """The questions as the attempt showed them (parsed on each use: ask once)."""
        return Snapshot.from_json(self.snapshot).questions


# Built once (their cache keys are then memoised): every view of an attempt reads it.
_OWN_ATTEMPT = db.select(Attempt).where(Attempt.id == bindparam("attempt_id"), Attempt.user_id == bindparam("user_id"))
_attempts, _answers = Attempt.__table__.c, Answer.__table__.c
_SHOWN_ATTEMPT = db.select(*ShownAttempt.columns).where(
    _attempts.id == bindparam("attempt_id"), _attempts.user_id == bindparam("user_id")
)
_SAVED_RESPONSES = db.select(_answers.position, _answers.response).where(_answers.attempt_id == bindparam("attempt_id"))


def _attempt_with_user(shown: bool) -> ReadWithUser:
    """An attempt's pages read it with their user, in one statement: the attempt (part 1) and,
    on the quiz page (``shown``), its saved answers (part 2, only if the attempt is the user's).

    The quiz page reads plain columns (a ``ShownAttempt``); autosave, submit and review, which
    change the attempt or follow its relationships, the ORM's ``Attempt``.
    """
    attempt_id = bindparam("attempt_id")
    part = numbered_parts(2 if shown else 1)
    width = len(ShownAttempt.columns)
    fused = select_with_user(part.c.n, *(ShownAttempt.columns if shown else (Attempt,))).join(part, true())
    fused = fused.outerjoin(Attempt, (part.c.n == 1) & (Attempt.id == attempt_id) & (Attempt.user_id == User.id))
    if not shown:
        return ReadWithUser(
            _OWN_ATTEMPT,
            fused.where(User.id == bindparam("user_id")),
            lambda args: {"attempt_id": args.get("attempt_id")},
            row=columns_from(1, 2),
        )
    owned = aliased(Attempt)
    fused = fused.add_columns(_answers.position, _answers.response).outerjoin(
        Answer,
        (part.c.n == 2)
        & (Answer.attempt_id == attempt_id)
        & exists().where(owned.id == attempt_id, owned.user_id == User.id),
    )
    return ReadWithUser(
        _SHOWN_ATTEMPT,
        fused.where(User.id == bindparam("user_id")),
        lambda args: {"attempt_id": args.get("attempt_id")},
        row=columns_from(1, 1 + width),
        also=((_SAVED_RESPONSES, columns_from(1 + width)),),
        orm=False,
    )


read_with_user("quiz.take", _attempt_with_user(shown=True))
for _endpoint in ("quiz.autosave", "quiz.submit", "quiz.review"):
    read_with_user(_endpoint, _attempt_with_user(shown=False))


def _own_attempt(attempt_id: int, shown: bool = False) -> Attempt | ShownAttempt:
    """Return the current user's attempt (``shown``: as the quiz page reads it); anybody else's
    is a 404, never a 403 that confirms it exists."""
    params = {"attempt_id": attempt_id, "user_id": current_user.id}
    rows = execute_or_read_with_user(_SHOWN_ATTEMPT if shown else _OWN_ATTEMPT, params, orm=not shown)
    if not rows:
        abort(404)
    return ShownAttempt._make(rows[0]) if shown else rows[0][0]


def _landing(ref: QuizRef, start_url: str):
    now = utcnow()
    state = load_state(current_user.id, ref.course)
    if any(attempt.is_open and not accepts_answers(attempt, now) for attempt in state.attempts):
        close_expired(current_user.id, now)  # time ran out: graded with what was saved, before it is shown
        state = load_state(current_user.id, ref.course)
    attempts = state.attempts_at(ref.quiz_id, ref.kind)
    current = next((a for a in attempts if a.is_open), None)
    refusal = None if current else state.refusal(ref.kind, ref.lesson)
    passed = any(a.passed for a in attempts) and ref.kind != AttemptKind.PRETEST
    best = best_attempt(attempts)
    step = next_step(state)
    return render_template(
        "quiz/landing.html",
        ref=ref,
        attempts=attempts,
        best=best,
        best_reveal=reveal_for(best, state) if best else None,
        left=state.attempts_left(ref.quiz_id, ref.kind, ref.attempt_limit),
        current=current,
        refusal=refusal,
        # Once passed (or refused), the way forward is the course's next step; a retry stays possible.
        start_is_primary=current is None and refusal is None and not passed,
        action=step_action(step, ref.course),
        start_url=start_url,
    )


def _start(ref: QuizRef, back_url: str):
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        attempt = start_attempt(current_user.id, ref)
    except QuizError as error:
        flash(error.message, "error")
        return redirect(back_url)
    return redirect(url_for("quiz.take", attempt_id=attempt.id))


@bp.route("/kursus/<course_id>/<lesson_id>/kuis")
@login_required
def lesson_quiz_page(course_id: str, lesson_id: str):
    """Show a lesson quiz: its rules, my attempts and the start button."""
    ref = _lesson_ref(course_id, lesson_id)
    return _landing(ref, url_for("quiz.start_lesson_quiz", course_id=course_id, lesson_id=lesson_id))


@bp.route("/kursus/<course_id>/<lesson_id>/kuis/mulai", methods=["POST"])
@login_required
def start_lesson_quiz(course_id: str, lesson_id: str):
    """Start (or continue) an attempt at a lesson quiz."""
    ref = _lesson_ref(course_id, lesson_id)
    return _start(ref, url_for("quiz.lesson_quiz_page", course_id=course_id, lesson_id=lesson_id))


@bp.route("/kursus/<course_id>/ujian/<slug>")
@login_required
def exam_page(course_id: str, slug: str):
    """Show the course exam as pre-test or post-test."""
    ref = _exam_ref(course_id, slug)
    return _landing(ref, url_for("quiz.start_exam", course_id=course_id, slug=slug))


@bp.route("/kursus/<course_id>/ujian/<slug>/mulai", methods=["POST"])
@login_required
def start_exam(course_id: str, slug: str):
    """Start (or continue) the pre-test or post-test."""
    ref = _exam_ref(course_id, slug)
    return _start(ref, url_for("quiz.exam_page", course_id=course_id, slug=slug))


@bp.route("/kuis/<id:attempt_id>")
@login_required
def take(attempt_id: int):
    """Show an open attempt with the answers saved so far; a graded one goes to its review."""
    attempt = _own_attempt(attempt_id, shown=True)
    now = utcnow()
    if attempt.is_open and not accepts_answers(attempt, now):
        close_expired(current_user.id, now)
        attempt = tracked(Attempt, attempt)  # as graded
    if not attempt.is_open:
        take_pending_answers(attempt)  # too late to apply; drop them
        return redirect(url_for("quiz.review", attempt_id=attempt.id))
    pending = take_pending_answers(attempt)
    if pending is not None:
        attempt = tracked(Attempt, attempt)
        try:
            save_answers(attempt, pending, now)
            flash("Jawaban yang Anda kirim saat sesi berakhir sudah dipulihkan. Periksa, lalu kirim lagi.", "info")
        except QuizError as error:
            flash(error.message, "error")
            return redirect(url_for("quiz.review", attempt_id=attempt.id))
    saved = dict(execute_or_read_with_user(_SAVED_RESPONSES, {"attempt_id": attempt.id}, orm=False))
    return render_template(
        "quiz/take.html",
        attempt=attempt,
        questions=attempt.questions,
        saved=saved,
        seconds_left=seconds_left(attempt, now),
        back_url=_back_url(attempt),
    )


@bp.route("/kuis/<id:attempt_id>/simpan", methods=["POST"])
@login_required
def autosave(attempt_id: int):
    """Store the answers of an open attempt (sent in the background as the learner works)."""
    attempt = _own_attempt(attempt_id)
    if request.form.get(TOKEN_FIELD) != attempt.token:
        return jsonify(error="Formulir ini bukan milik percobaan tersebut."), 400
    try:
        saved_at = save_answers(attempt, read_form(request.form))
    except QuizError as error:
        return jsonify(error=error.message, closed=True), 409
    return jsonify(saved_at=saved_at.isoformat() + "Z")


@bp.route("/kuis/<id:attempt_id>/kirim", methods=["POST"])
@login_required
def submit(attempt_id: int):
    """Grade the attempt once and show the result; a repeated submit just shows the result."""
    attempt = _own_attempt(attempt_id)
    if request.form.get(TOKEN_FIELD) != attempt.token:
        abort(400)
    course = current_catalog().course(attempt.course_id)
    if submit_attempt(attempt, course, read_form(request.form)):
        if attempt.late:
            flash("Waktu sudah habis saat kuis dikirim; yang dinilai adalah jawaban yang tersimpan sebelumnya.", "info")
    else:
        flash("Kuis ini sudah dikirim sebelumnya. Berikut hasilnya.", "info")
    return redirect(url_for("quiz.review", attempt_id=attempt.id))


@bp.route("/kuis/<id:attempt_id>/hasil")
@login_required
def review(attempt_id: int):
    """Show a graded attempt: the score, each question as the review policy allows, the next step."""
    attempt = _own_attempt(attempt_id)
    if attempt.is_open:
        close_expired(current_user.id)
        if attempt.is_open:
            return redirect(url_for("quiz.take", attempt_id=attempt.id))
    course = current_catalog().course(attempt.course_id)
    state = load_state(current_user.id, course) if course else None
    lesson = course.lesson(attempt.quiz_id) if course else None
    # After a lesson quiz: retry it until passed, then on; after an exam: the course's next step.
    step = (lesson_step(state, lesson) if lesson else next_step(state)) if state else None
    return render_template(
        "quiz/review.html",
        attempt=attempt,
        items=review_items(attempt),
        reveal=reveal_for(attempt, state),
        course=course,
        action=step_action(step, course) if step else None,
        survey_due=bool(attempt.is_exam and state and state.completion)
        and course.id in due_surveys(current_user.id, [course.id], today()),
    )


@bp.route("/riwayat")
@login_required
def history():
    """List all my attempts, grouped by course, optionally for one course."""
    close_expired(current_user.id)
    catalog = current_catalog()
    chosen = request.args.get("kursus") or None
    groups = attempt_history(current_user.id, catalog, chosen)
    return render_template(
        "quiz/history.html", groups=groups, chosen=chosen, courses=course_choices(current_user.id, catalog)
    )


def _back_url(attempt: Attempt) -> str:
    if attempt.is_exam:
        return url_for("quiz.exam_page", course_id=attempt.course_id, slug=KIND_SLUGS[attempt.kind])
    return url_for("quiz.lesson_quiz_page", course_id=attempt.course_id, lesson_id=attempt.quiz_id)
