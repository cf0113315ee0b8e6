"""Moderation by trainers and admins: pin, lock and hide threads, hide posts, close reports.

Every action goes into the audit trail (elearn.admin.audit) in the same transaction, with the
reason given and the state before and after.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import update

from ..admin import audit
from ..extensions import db
from ..models import utcnow
from .models import Post, PostReport, Thread
from .reading import forget_post_counts


class ThreadAction(StrEnum):
    PIN = "pin"
    UNPIN = "unpin"
    LOCK = "lock"
    UNLOCK = "unlock"
    HIDE = "hide"
    UNHIDE = "unhide"


class PostAction(StrEnum):
    HIDE = "hide"
    UNHIDE = "unhide"
    DISMISS = "dismiss"  # close the reports, keep the post


THREAD_DONE = {
    ThreadAction.PIN: "Topik disematkan di atas.",
    ThreadAction.UNPIN: "Topik tidak lagi disematkan.",
    ThreadAction.LOCK: "Topik dikunci: tidak ada balasan baru.",
    ThreadAction.UNLOCK: "Topik dibuka kembali untuk balasan.",
    ThreadAction.HIDE: "Topik disembunyikan dari peserta.",
    ThreadAction.UNHIDE: "Topik ditampilkan kembali.",
}
POST_DONE = {
    PostAction.HIDE: "Pesan disembunyikan dari peserta.",
    PostAction.UNHIDE: "Pesan ditampilkan kembali.",
    PostAction.DISMISS: "Laporan atas pesan ini ditutup; pesan tetap tampil.",
}
NEEDS_REASON = {ThreadAction.HIDE, PostAction.HIDE}


def _thread_state(thread: Thread) -> dict:
    return {
        "pinned": thread.pinned,
        "locked": thread.locked,
        "hidden": thread.is_hidden,
        "reason": thread.hidden_reason,
    }


def _post_state(post: Post) -> dict:
    return {"hidden": post.is_hidden, "reason": post.hidden_reason}


def _close_reports(post_id: int, moderator_id: int) -> None:
    db.session.execute(
        update(PostReport)
        .where(PostReport.post_id == post_id, PostReport.resolved_at.is_(None))
        .values(resolved_at=utcnow(), resolved_by=moderator_id)
    )


def moderate_thread(thread: Thread, action: ThreadAction, reason: str, moderator) -> None:
    """Apply a moderator's action to a thread and record it."""
    before = _thread_state(thread)
    if action in (ThreadAction.PIN, ThreadAction.UNPIN):
        thread.pinned = action is ThreadAction.PIN
    elif action in (ThreadAction.LOCK, ThreadAction.UNLOCK):
        thread.locked = action is ThreadAction.LOCK
    elif action is ThreadAction.HIDE:
        thread.hidden_at, thread.hidden_reason, thread.hidden_by = utcnow(), reason, moderator.id
    else:
        thread.hidden_at = thread.hidden_reason = thread.hidden_by = None
    summary = f"Topik “{thread.title}”: {THREAD_DONE[action]}"
    if reason:
        summary += f" Alasan: {reason}"
    audit.record(f"forum.thread_{action}", "forum_thread", thread.id, summary, before, _thread_state(thread))
    db.session.commit()
    forget_post_counts()


def moderate_post(post: Post, action: PostAction, reason: str, moderator) -> None:
    """Apply a moderator's action to a post (hiding or dismissing closes its open reports) and record it."""
    before = _post_state(post)
    if action is PostAction.HIDE:
        post.hidden_at, post.hidden_reason, post.hidden_by = utcnow(), reason, moderator.id
        _close_reports(post.id, moderator.id)
    elif action is PostAction.UNHIDE:
        post.hidden_at = post.hidden_reason = post.hidden_by = None
    else:
        _close_reports(post.id, moderator.id)
    author = post.author.name if post.author else "-"
    summary = f"Pesan #{post.id} oleh {author} di topik #{post.thread_id}: {POST_DONE[action]}"
    if reason:
        summary += f" Alasan: {reason}"
    audit.record(f"forum.post_{action}", "forum_post", post.id, summary, before, _post_state(post))
    db.session.commit()
    forget_post_counts()
