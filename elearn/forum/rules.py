"""Who may do what in the discussions, and where a discussion lives (the one place that decides)."""

from __future__ import annotations

from dataclasses import dataclass

from ..catalog.model import Course, Lesson
from ..library import current_catalog
from .models import Thread

MODERATOR_ROLES = ("trainer", "admin")
PAGE_SIZE = 20  # posts on a thread page, threads on a forum page


def can_moderate(user) -> bool:
    """Trainers and admins pin, lock and hide; they also see what is hidden, and why."""
    return user.is_authenticated and user.role in MODERATOR_ROLES


@dataclass(frozen=True)
class Place:
    """Where threads live: a course's forum (``lesson`` None) or one lesson's discussion."""

    course: Course
    lesson: Lesson | None
    published: bool

    @property
    def lesson_id(self) -> str | None:
        return self.lesson.id if self.lesson else None

    @property
    def title(self) -> str:
        return f"Diskusi: {self.lesson.title}" if self.lesson else "Berbagi praktik baik"


def find_course(course_id: str, user) -> tuple[Course, bool] | None:
    """The course with this id the user may discuss (published; hidden ones for moderators), or None."""
    catalog = current_catalog()
    course = catalog.course(course_id)
    if course is not None:
        return course, True
    if can_moderate(user):
        broken = next((b for b in catalog.broken if b.id == course_id), None)
        if broken is not None and broken.partial is not None:
            return broken.partial, False
    return None


def find_place(course_id: str, lesson_id: str | None, user) -> Place | None:
    """The forum or lesson discussion a URL names, or None when the user may not see it."""
    found = find_course(course_id, user)
    if found is None:
        return None
    course, published = found
    lesson = None
    if lesson_id is not None:
        lesson = course.lesson(lesson_id)
        if lesson is None:
            return None
    return Place(course, lesson, published)


def place_of(thread: Thread, user) -> Place | None:
    """Where a thread lives, or None when the user may not read it (hidden thread, hidden course).

    A thread whose lesson has since been removed from the course stays readable under the course.
    """
    if thread.is_hidden and not can_moderate(user):
        return None
    found = find_course(thread.course_id, user)
    if found is None:
        return None
    course, published = found
    lesson = course.lesson(thread.lesson_id) if thread.lesson_id else None
    return Place(course, lesson, published)


def reply_refusal(thread: Thread, user) -> str | None:
    """Why the user may not reply in the thread, or None when they may."""
    if thread.locked and not can_moderate(user):
        return "Topik ini dikunci moderator: balasan baru tidak dapat dikirim."
    return None
