"""What the discussion pages show, each page in a fixed number of queries whatever the number
of threads and posts: a page of rows, its total, and (for moderators) the open reports."""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import User
from .models import Post, PostReport, Thread, ThreadRead
from .rules import PAGE_SIZE, Place, can_moderate


@dataclass(frozen=True)
class Page:
    number: int
    pages: int
    total: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * PAGE_SIZE


def page_of(total: int, wanted: int) -> Page:
    """The page to show: ``wanted`` kept within 1..last (an old link to a page now gone shows the last)."""
    pages = max(1, -(-total // PAGE_SIZE))
    return Page(min(max(wanted, 1), pages), pages, total)


@dataclass(frozen=True)
class ThreadRow:
    thread: Thread
    posts: int  # visible posts, the opening one included
    unread: int  # posts by others after the user's read mark, in a thread they took part in


def _visible_posts():
    return select(func.count(Post.id)).where(Post.thread_id == Thread.id, Post.hidden_at.is_(None))


def _unread_posts(user_id: int):
    return (
        select(func.count(Post.id))
        .join(ThreadRead, and_(ThreadRead.thread_id == Post.thread_id, ThreadRead.user_id == user_id))
        .where(
            Post.thread_id == Thread.id,
            Post.id > ThreadRead.last_read_post_id,
            Post.hidden_at.is_(None),
            Post.author_id != user_id,
        )
    )


def threads_at(place: Place, user, wanted_page: int) -> tuple[list[ThreadRow], Page]:
    """A page of the threads of a forum or lesson: pinned first, then by latest activity."""
    where = [Thread.course_id == place.course.id]
    where.append(Thread.lesson_id.is_(None) if place.lesson is None else Thread.lesson_id == place.lesson.id)
    if not can_moderate(user):
        where.append(Thread.hidden_at.is_(None))
    total = db.session.execute(select(func.count(Thread.id)).where(*where)).scalar_one()
    page = page_of(total, wanted_page)
    rows = db.session.execute(
        select(
            Thread,
            _visible_posts().scalar_subquery(),
            _unread_posts(user.id).scalar_subquery(),
        )
        .where(*where)
        .options(joinedload(Thread.author).joinedload(User.unit))
        .order_by(Thread.pinned.desc(), Thread.last_post_at.desc(), Thread.id.desc())
        .limit(PAGE_SIZE)
        .offset(page.offset)
    ).all()
    return [ThreadRow(thread, posts, unread) for thread, posts, unread in rows], page


@dataclass(frozen=True)
class ThreadView:
    posts: list[Post]
    page: Page
    reports: dict[int, int]  # post id -> open reports (moderators only)
    read_mark: int | None  # the user's last read post id; None: not taking part


def thread_view(thread: Thread, user, wanted_page: int) -> ThreadView:
    """A page of a thread's posts, oldest first, with who wrote each (name and unit).

    Hidden posts keep their place (learners see a placeholder there), so every reader sees the
    same pages and a link to a post's page holds for everyone.
    """
    total = db.session.execute(select(func.count(Post.id)).where(Post.thread_id == thread.id)).scalar_one()
    page = page_of(total, wanted_page)
    posts = list(
        db.session.execute(
            select(Post)
            .where(Post.thread_id == thread.id)
            .options(joinedload(Post.author).joinedload(User.unit))
            .order_by(Post.id)
            .limit(PAGE_SIZE)
            .offset(page.offset)
        ).scalars()
    )
    reports: dict[int, int] = {}
    if can_moderate(user) and posts:
        reports = dict(
            db.session.execute(
                select(PostReport.post_id, func.count(PostReport.id))
                .where(PostReport.post_id.in_([p.id for p in posts]), PostReport.resolved_at.is_(None))
                .group_by(PostReport.post_id)
            ).all()
        )
    mark = db.session.execute(
        select(ThreadRead.last_read_post_id).where(ThreadRead.user_id == user.id, ThreadRead.thread_id == thread.id)
    ).scalar_one_or_none()
    return ThreadView(posts, page, reports, mark)


def page_of_post(post: Post) -> int:
    """The page of its thread a post is on."""
    before = db.session.execute(
        select(func.count(Post.id)).where(Post.thread_id == post.thread_id, Post.id <= post.id)
    ).scalar_one()
    return max(1, -(-before // PAGE_SIZE))


POST_COUNTS_TTL = 60  # seconds a worker reuses a course's per-lesson post counts


def lesson_post_count(course_id: str, lesson_id: str) -> int:
    """The visible posts in the visible threads of a lesson's discussion (shown on the lesson page).

    The lesson page is the most viewed page and sends 3 statements; the counts of a course's
    lessons are read in one query and kept by each worker for ``POST_COUNTS_TTL`` seconds (a
    post written or moderated in this worker refreshes them at once: ``forget_post_counts``).
    """
    cache = current_app.extensions.setdefault("forum_post_counts", {})
    now = time.monotonic()
    cached = cache.get(course_id)
    if cached is None or cached[0] < now:
        rows = db.session.execute(
            select(Thread.lesson_id, func.count(Post.id))
            .join(Thread, Thread.id == Post.thread_id)
            .where(
                Thread.course_id == course_id,
                Thread.lesson_id.is_not(None),
                Thread.hidden_at.is_(None),
                Post.hidden_at.is_(None),
            )
            .group_by(Thread.lesson_id)
        ).all()
        cached = (now + POST_COUNTS_TTL, dict(rows))
        cache[course_id] = cached
    return cached[1].get(lesson_id, 0)


def forget_post_counts() -> None:
    """Drop this worker's cached post counts (after a post is written, hidden or shown)."""
    current_app.extensions.pop("forum_post_counts", None)


@dataclass(frozen=True)
class NewReplies:
    thread_id: int
    title: str
    course_id: str
    count: int


def new_replies_select():
    """Threads the user (``user_id``) took part in with posts by others they have not read.

    Columns: thread_id, title, course_id, count, latest (the newest such post's id).
    """
    user_id = bindparam("user_id")
    return (
        select(
            Thread.id.label("thread_id"),
            Thread.title,
            Thread.course_id,
            func.count(Post.id).label("count"),
            func.max(Post.id).label("latest"),
        )
        .join(ThreadRead, and_(ThreadRead.thread_id == Thread.id, ThreadRead.user_id == user_id))
        .join(Post, Post.thread_id == Thread.id)
        .where(
            Post.id > ThreadRead.last_read_post_id,
            Post.author_id != user_id,
            Post.hidden_at.is_(None),
            Thread.hidden_at.is_(None),
        )
        .group_by(Thread.id, Thread.title, Thread.course_id)
    )


def new_replies(rows) -> list[NewReplies]:
    """``new_replies_select``'s rows as NewReplies, the thread with the newest post first."""
    rows = sorted(rows, key=lambda row: -row.latest)
    return [NewReplies(row.thread_id, row.title, row.course_id, row.count) for row in rows]


@dataclass(frozen=True)
class ReportedPost:
    post: Post
    count: int
    reasons: list[str]


def report_queue(wanted_page: int) -> tuple[list[ReportedPost], Page]:
    """Posts with open reports, the most recently reported first, with the reasons given."""
    open_reports = PostReport.resolved_at.is_(None)
    total = db.session.execute(select(func.count(func.distinct(PostReport.post_id))).where(open_reports)).scalar_one()
    page = page_of(total, wanted_page)
    summary = (
        select(
            PostReport.post_id,
            func.count(PostReport.id).label("n"),
            func.max(PostReport.id).label("latest"),
        )
        .where(open_reports)
        .group_by(PostReport.post_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Post, summary.c.n)
        .join(summary, summary.c.post_id == Post.id)
        .options(joinedload(Post.author).joinedload(User.unit), joinedload(Post.thread))
        .order_by(summary.c.latest.desc())
        .limit(PAGE_SIZE)
        .offset(page.offset)
    ).all()
    reasons: dict[int, list[str]] = {}
    if rows:
        for post_id, reason in db.session.execute(
            select(PostReport.post_id, PostReport.reason)
            .where(open_reports, PostReport.post_id.in_([post.id for post, _ in rows]))
            .order_by(PostReport.id)
        ):
            if reason:
                reasons.setdefault(post_id, []).append(reason)
    return [ReportedPost(post, n, reasons.get(post.id, [])) for post, n in rows], page
