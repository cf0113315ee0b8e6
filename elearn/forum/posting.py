"""Writing in the discussions: a new thread, a reply, a read mark, a report. Each is one transaction.

A post carries the nonce of the form it was typed in (unique per author): sending the same
form twice finds the first post, even when both requests arrive together (the unique
constraint decides; the loser rolls back and returns the winner's post).
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import utcnow
from .models import Post, PostReport, Thread, ThreadRead
from .reading import forget_post_counts
from .render import render_post
from .rules import Place


def _sent_before(author_id: int, nonce: str) -> Post | None:
    return db.session.execute(select(Post).where(Post.author_id == author_id, Post.nonce == nonce)).scalar_one_or_none()


def _follow(user_id: int, thread_id: int, post_id: int) -> None:
    """Make the writer a participant who has read the thread up to their own post."""
    mark = db.session.get(ThreadRead, (user_id, thread_id))
    if mark is None:
        db.session.add(ThreadRead(user_id=user_id, thread_id=thread_id, last_read_post_id=post_id))
    else:
        mark.last_read_post_id = max(mark.last_read_post_id, post_id)


def _commit_or_earlier(author_id: int, nonce: str, post: Post) -> Post:
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        earlier = _sent_before(author_id, nonce)
        if earlier is None:
            raise
        return earlier
    forget_post_counts()
    return post


def start_thread(place: Place, user, title: str, body: str, nonce: str) -> Post:
    """Open a thread with its first post; return that post (the earlier one for a resent form)."""
    earlier = _sent_before(user.id, nonce)
    if earlier is not None:
        return earlier
    now = utcnow()
    thread = Thread(
        course_id=place.course.id,
        lesson_id=place.lesson_id,
        title=title,
        author_id=user.id,
        created_at=now,
        last_post_at=now,
    )
    post = Post(thread=thread, author_id=user.id, nonce=nonce, body=body, body_html=render_post(body), created_at=now)
    db.session.add_all([thread, post])
    db.session.flush()
    _follow(user.id, thread.id, post.id)
    return _commit_or_earlier(user.id, nonce, post)


def reply(thread: Thread, user, body: str, nonce: str) -> Post:
    """Add a reply to a thread; return it (the earlier one for a resent form)."""
    earlier = _sent_before(user.id, nonce)
    if earlier is not None:
        return earlier
    now = utcnow()
    post = Post(
        thread_id=thread.id, author_id=user.id, nonce=nonce, body=body, body_html=render_post(body), created_at=now
    )
    db.session.add(post)
    thread.last_post_at = now
    db.session.flush()
    _follow(user.id, thread.id, post.id)
    return _commit_or_earlier(user.id, nonce, post)


def mark_read(thread: Thread, user_id: int, upto: int) -> bool:
    """Move a participant's read mark up to post ``upto`` of the thread (never back); False if not taking part."""
    mark = db.session.get(ThreadRead, (user_id, thread.id))
    if mark is None:
        return False
    last = db.session.execute(
        select(func.max(Post.id)).where(Post.thread_id == thread.id, Post.id <= upto)
    ).scalar_one_or_none()
    if last is not None and last > mark.last_read_post_id:
        mark.last_read_post_id = last
        db.session.commit()
    return True


def report_refusal(post: Post, user) -> str | None:
    """Why the user may not report this post, or None."""
    if post.author_id == user.id:
        return "Pesan Anda sendiri tidak perlu dilaporkan."
    if post.is_hidden:
        return "Pesan ini sudah disembunyikan moderator."
    already = db.session.execute(
        select(PostReport.id).where(PostReport.post_id == post.id, PostReport.reporter_id == user.id)
    ).first()
    if already is not None:
        return "Anda sudah melaporkan pesan ini. Moderator akan meninjaunya."
    return None


def report(post: Post, user, reason: str) -> None:
    """Report a post to the moderators (once per person and post)."""
    db.session.add(PostReport(post_id=post.id, reporter_id=user.id, reason=reason))
    try:
        db.session.commit()
    except IntegrityError:  # the same report sent twice at once: one is enough
        db.session.rollback()
