"""Discussion tables: threads of a course (its forum) or of one lesson, their posts, reports
of posts to the moderators, and how far each participant has read each thread.

Imported at the end of elearn/models.py, so the app, the migrations and the tests see them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import User, utcnow

TITLE_MAX = 150
BODY_MAX = 5000
REASON_MAX = 300


class Thread(db.Model):
    """A topic in a course's forum (``lesson_id`` None) or in one lesson's discussion.

    ``last_post_at`` is kept with every reply so a forum page sorts by activity with an index,
    not by aggregating every post of the course.
    """

    __tablename__ = "forum_threads"
    __table_args__ = (Index("ix_forum_threads_place", "course_id", "lesson_id", "pinned", "last_post_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[str] = mapped_column(String(100))
    lesson_id: Mapped[str | None] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_post_at: Mapped[datetime] = mapped_column(default=utcnow)
    pinned: Mapped[bool] = mapped_column(default=False)
    locked: Mapped[bool] = mapped_column(default=False)
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[str | None] = mapped_column(String(REASON_MAX))
    hidden_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Post(db.Model):
    """One message in a thread: its Markdown as written and the sanitised HTML made from it once.

    ``nonce`` comes from the form the message was typed in: a second submit of the same form
    (a double click, a resend after a timeout) finds the first post instead of adding one.
    """

    __tablename__ = "forum_posts"
    __table_args__ = (
        UniqueConstraint("author_id", "nonce"),
        Index("ix_forum_posts_thread", "thread_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("forum_threads.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    nonce: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[str | None] = mapped_column(String(REASON_MAX))
    hidden_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    thread: Mapped[Thread] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class PostReport(db.Model):
    """A post someone reported to the moderators; open until a moderator hides the post or dismisses it."""

    __tablename__ = "forum_reports"
    __table_args__ = (
        UniqueConstraint("post_id", "reporter_id"),
        Index("ix_forum_reports_open", "resolved_at", "post_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("forum_posts.id", ondelete="CASCADE"))
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(REASON_MAX), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class ThreadRead(db.Model):
    """A participant of a thread and the last post of it they have read.

    The row is made when the person writes in the thread (that is what taking part means);
    the dashboard counts the posts after ``last_read_post_id`` by others.
    """

    __tablename__ = "forum_reads"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("forum_threads.id", ondelete="CASCADE"), primary_key=True)
    last_read_post_id: Mapped[int] = mapped_column(default=0)
