"""Discussion pages: a course's forum ("Berbagi praktik baik"), each lesson's discussion, a
thread with its replies, reports, moderation and the moderators' queue of reported posts.

Any logged-in staff member reads and writes (in published courses; moderators also in hidden
ones). Posting is limited per account (FORUM_RATE_LIMIT); a refused post comes back in its form.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..auth.access import role_required
from ..extensions import db, limiter
from . import moderation, posting
from .forms import PostModerationForm, ReadForm, ReplyForm, ReportForm, ThreadForm, ThreadModerationForm
from .models import Post, Thread
from .moderation import POST_DONE, THREAD_DONE, PostAction, ThreadAction
from .reading import page_of_post, report_queue, thread_view, threads_at
from .rules import MODERATOR_ROLES, Place, can_moderate, find_place, place_of, reply_refusal

bp = Blueprint("forum", __name__, url_prefix="/diskusi")


def _post_limit() -> str:
    return current_app.config["FORUM_RATE_LIMIT"]


def _author_key() -> str:
    return f"forum:{current_user.id}"


def _anonymous() -> bool:
    return not current_user.is_authenticated  # sent to the login page before anything counts


def _posted(response) -> bool:
    """Only a post that was written counts toward the limit (a form with an error does not)."""
    return response.status_code == 302


# New threads and replies share one budget per account.
posting_limit = limiter.shared_limit(
    _post_limit, scope="forum-post", key_func=_author_key, methods=["POST"], deduct_when=_posted, exempt_when=_anonymous
)


def _page_arg() -> int:
    return request.args.get("hal", 1, type=int) or 1


def _place_or_404(course_id: str, lesson_id: str | None = None) -> Place:
    place = find_place(course_id, lesson_id, current_user)
    if place is None:
        abort(404)
    return place


def _thread_or_404(thread_id: int) -> tuple[Thread, Place]:
    thread = db.session.get(Thread, thread_id)
    place = place_of(thread, current_user) if thread is not None else None
    if place is None:
        abort(404)
    return thread, place


def _post_or_404(post_id: int) -> tuple[Post, Thread, Place]:
    post = db.session.get(Post, post_id)
    if post is None:
        abort(404)
    thread, place = _thread_or_404(post.thread_id)
    return post, thread, place


def _forum_url(place: Place) -> str:
    if place.lesson is None:
        return url_for("forum.course_forum", course_id=place.course.id)
    return url_for("forum.lesson_forum", course_id=place.course.id, lesson_id=place.lesson.id)


def _post_url(post: Post) -> str:
    return url_for("forum.thread", thread_id=post.thread_id, hal=page_of_post(post), _anchor=f"pesan-{post.id}")


def _render_forum(place: Place, form: ThreadForm, status: int = 200, problem: str | None = None):
    rows, page = threads_at(place, current_user, _page_arg())
    return (
        render_template(
            "forum/forum.html",
            place=place,
            rows=rows,
            page=page,
            form=form,
            problem=problem,
            forum_url=_forum_url(place),
            moderator=can_moderate(current_user),
        ),
        status,
    )


def _render_thread(thread: Thread, place: Place, form: ReplyForm, status: int = 200, problem: str | None = None):
    view = thread_view(thread, current_user, _page_arg())
    unread_here = view.read_mark is not None and any(
        post.id > view.read_mark and post.author_id != current_user.id for post in view.posts
    )
    return (
        render_template(
            "forum/thread.html",
            thread=thread,
            place=place,
            view=view,
            form=form,
            problem=problem,
            refusal=reply_refusal(thread, current_user),
            unread_here=unread_here,
            forum_url=_forum_url(place),
            moderator=can_moderate(current_user),
        ),
        status,
    )


def _new_thread(place: Place):
    form = ThreadForm()
    if form.validate_on_submit():
        post = posting.start_thread(place, current_user, form.title.data, form.body.data, form.nonce.data)
        flash("Topik Anda sudah terbit. Rekan dapat membalasnya.", "success")
        return redirect(_post_url(post))
    return _render_forum(place, form, 400 if request.method == "POST" else 200)


@bp.route("/<course_id>/", methods=["GET", "POST"])
@login_required
@posting_limit
def course_forum(course_id: str):
    """A course's forum for sharing good practice: its threads, and a form to open one."""
    return _new_thread(_place_or_404(course_id))


@bp.route("/<course_id>/pelajaran/<lesson_id>", methods=["GET", "POST"])
@login_required
@posting_limit
def lesson_forum(course_id: str, lesson_id: str):
    """A lesson's discussion: its threads, and a form to ask or share something about the lesson."""
    return _new_thread(_place_or_404(course_id, lesson_id))


@bp.route("/topik/<id:thread_id>")
@login_required
def thread(thread_id: int):
    """A thread's posts, 20 a page, with who wrote each and when; the reply form at the end."""
    thread, place = _thread_or_404(thread_id)
    return _render_thread(thread, place, ReplyForm())


@bp.route("/topik/<id:thread_id>/balas", methods=["POST"])
@login_required
@posting_limit
def reply(thread_id: int):
    """Add a reply to a thread, then show it."""
    thread, place = _thread_or_404(thread_id)
    form = ReplyForm()
    refusal = reply_refusal(thread, current_user)
    if refusal:
        return _render_thread(thread, place, form, 403, refusal)
    if not form.validate_on_submit():
        return _render_thread(thread, place, form, 400)
    post = posting.reply(thread, current_user, form.body.data, form.nonce.data)
    flash("Balasan Anda terkirim.", "success")
    return redirect(_post_url(post))


@bp.route("/topik/<id:thread_id>/dibaca", methods=["POST"])
@login_required
def mark_read(thread_id: int):
    """Mark a thread read up to the last post shown (the page's script sends it; the button without script)."""
    thread, _place = _thread_or_404(thread_id)
    form = ReadForm()
    if not form.validate_on_submit():
        abort(400)
    taking_part = posting.mark_read(thread, current_user.id, form.upto.data)
    if request.accept_mimetypes.best == "application/json":
        return jsonify(ok=taking_part)
    if taking_part:
        flash("Balasan di topik ini ditandai sudah dibaca.", "success")
    return redirect(
        request.referrer if _same_thread(request.referrer, thread) else url_for("forum.thread", thread_id=thread.id)
    )


def _same_thread(referrer: str | None, thread: Thread) -> bool:
    """Back to the very page the button was on (its page number), never to another site."""
    prefix = request.host_url + url_for("forum.thread", thread_id=thread.id).lstrip("/")
    return bool(referrer) and (referrer == prefix or referrer.startswith(prefix + "?"))


@bp.route("/pesan/<id:post_id>/laporkan", methods=["POST"])
@login_required
def report_post(post_id: int):
    """Report a post to the moderators, with an optional reason."""
    post, _thread, _place = _post_or_404(post_id)
    form = ReportForm()
    if not form.validate_on_submit():
        flash(
            " ".join(form.reason.errors) or "Laporan tidak dapat dikirim. Muat ulang halaman, lalu coba lagi.", "error"
        )
        return redirect(_post_url(post))
    refusal = posting.report_refusal(post, current_user)
    if refusal:
        flash(refusal, "info")
    else:
        posting.report(post, current_user, form.reason.data)
        flash("Terima kasih. Laporan Anda sudah diterima dan akan ditinjau moderator.", "success")
    return redirect(_post_url(post))


def _moderation_problem(form) -> str:
    if form.action.errors:
        return "Tindakan moderasi tidak dikenal. Muat ulang halaman, lalu coba lagi."
    return " ".join(form.reason.errors) or "Permintaan tidak valid. Muat ulang halaman, lalu coba lagi."


@bp.route("/topik/<id:thread_id>/moderasi", methods=["POST"])
@role_required(*MODERATOR_ROLES)
def moderate_thread(thread_id: int):
    """Pin, lock or hide a thread (and undo it); a hiding needs a reason, all go to the audit trail."""
    thread, _place = _thread_or_404(thread_id)
    form = ThreadModerationForm()
    if not form.validate_on_submit():
        flash(_moderation_problem(form), "error")
    else:
        action = ThreadAction(form.action.data)
        moderation.moderate_thread(thread, action, form.reason.data, current_user)
        flash(THREAD_DONE[action], "success")
    return redirect(url_for("forum.thread", thread_id=thread.id))


@bp.route("/pesan/<id:post_id>/moderasi", methods=["POST"])
@role_required(*MODERATOR_ROLES)
def moderate_post(post_id: int):
    """Hide a post with a reason, show it again, or close its reports; recorded in the audit trail."""
    post, _thread, _place = _post_or_404(post_id)
    form = PostModerationForm()
    back = request.form.get("back") == "laporan"
    if not form.validate_on_submit():
        flash(_moderation_problem(form), "error")
    else:
        action = PostAction(form.action.data)
        moderation.moderate_post(post, action, form.reason.data, current_user)
        flash(POST_DONE[action], "success")
    return redirect(url_for("forum.reports") if back else _post_url(post))


@bp.route("/laporan")
@role_required(*MODERATOR_ROLES)
def reports():
    """The moderators' queue: reported posts, most recently reported first, with the reasons."""
    rows, page = report_queue(_page_arg())
    return render_template("forum/reports.html", rows=rows, page=page)


@bp.errorhandler(429)
def too_many_posts(error):
    """Posting too often: the form again, with what was typed and when to try again."""
    expiry = error.limit.limit.get_expiry() if getattr(error, "limit", None) else 60
    when = "Tunggu sekitar satu menit" if expiry <= 60 else "Batas harian tercapai; coba lagi besok"
    problem = (
        f"Anda mengirim terlalu banyak pesan dalam waktu singkat. {when}, lalu kirim lagi. "
        "Teks Anda masih ada di bawah."
    )
    args = request.view_args or {}
    if request.endpoint == "forum.reply":
        thread = db.session.get(Thread, args["thread_id"])
        place = place_of(thread, current_user) if thread is not None else None
        if place is not None:
            return _render_thread(thread, place, ReplyForm(), 429, problem)
    elif request.endpoint in ("forum.course_forum", "forum.lesson_forum"):
        place = find_place(args["course_id"], args.get("lesson_id"), current_user)
        if place is not None:
            return _render_forum(place, ThreadForm(), 429, problem)
    return render_template("errors/error.html", code=429, title="Terlalu banyak pesan", message=problem), 429
