"""Full-text search over the published lessons: an SQLite FTS5 index built with the catalog.

The index lives in memory, is built once per catalog (that is, once per file change) and
is read-only afterwards; it is derived from the files like the catalog itself. Each lesson
is indexed per section (the text under each ``##``/``###`` heading), so a result links to
the heading where the words are. Only published courses are indexed: a course hidden for
errors is never found.
"""

from __future__ import annotations

import html
import re
import sqlite3
import threading
from dataclasses import dataclass

import nh3

from .model import Catalog, Course, Lesson

_HEADING = re.compile(r'<h([23]) id="([^"]+)">(.*?)</h\1>', re.DOTALL)
_WORD = re.compile(r"\w+", re.UNICODE)
MARK_START, MARK_END = "\ue000", "\ue001"  # private-use characters: never in a course text
MAX_TERMS = 8
MAX_QUERY = 100


@dataclass(frozen=True)
class Hit:
    """One search result: where it is, and a snippet with the words marked (safe HTML)."""

    course_id: str
    course_title: str
    lesson_id: str | None  # None: the course overview
    lesson_title: str | None
    anchor: str | None  # the heading's id, None: the top of the page
    heading: str | None
    snippet_html: str


def plain_text(fragment: str) -> str:
    """Return the visible text of sanitised HTML, with spaces where blocks met."""
    text = nh3.clean(fragment.replace("<", " <"), tags=set())
    return " ".join(html.unescape(text).split())


def sections(lesson_html: str) -> list[tuple[str | None, str | None, str]]:
    """Split a lesson's HTML at its h2/h3 headings: (anchor, heading, text) per section."""
    result = []
    anchor, heading, start = None, None, 0
    for match in _HEADING.finditer(lesson_html):
        result.append((anchor, heading, plain_text(lesson_html[start : match.start()])))
        anchor, heading, start = match.group(2), plain_text(match.group(3)), match.end()
    result.append((anchor, heading, plain_text(lesson_html[start:])))
    return [(a, h, text) for a, h, text in result if text or h]


def fts_query(text: str) -> str | None:
    """Turn what a person typed into an FTS5 query: every word must match, as a prefix."""
    words = _WORD.findall(text[:MAX_QUERY].casefold())[:MAX_TERMS]
    if not words:
        return None
    return " ".join(f'"{word}"*' for word in words)


class SearchIndex:
    """An in-memory FTS5 index of one catalog's published courses."""

    def __init__(self, catalog: Catalog) -> None:
        self._lock = threading.Lock()
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute(
            "CREATE VIRTUAL TABLE sections USING fts5("
            "title, heading, body, course_id UNINDEXED, course_title UNINDEXED, lesson_id UNINDEXED, "
            "anchor UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')"
        )
        rows = []
        for course in catalog.courses:
            rows.extend(_course_rows(course))
        self._db.executemany(
            "INSERT INTO sections (title, heading, body, course_id, course_title, lesson_id, anchor) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        self._db.commit()
        self.size = len(rows)

    def search(self, text: str, limit: int = 30) -> list[Hit]:
        """Return the best sections for ``text``, best first (titles weigh most, then headings)."""
        query = fts_query(text)
        if query is None:
            return []
        # Only constants are formatted in; what the person typed goes in as a parameter (B608).
        sql = (
            "SELECT course_id, course_title, lesson_id, title, anchor, heading, "  # noqa: S608  # nosec B608
            f"snippet(sections, -1, '{MARK_START}', '{MARK_END}', '…', 18) "
            "FROM sections WHERE sections MATCH ? ORDER BY bm25(sections, 8.0, 4.0, 1.0) LIMIT ?"
        )
        with self._lock:
            rows = self._db.execute(sql, (query, limit)).fetchall()
        return [
            Hit(
                course_id=course_id,
                course_title=course_title,
                lesson_id=lesson_id or None,
                lesson_title=title if lesson_id else None,
                anchor=anchor or None,
                heading=heading or None,
                snippet_html=_marked(snippet),
            )
            for course_id, course_title, lesson_id, title, anchor, heading, snippet in rows
        ]


def _course_rows(course: Course) -> list[tuple]:
    rows = [
        (course.title, "", plain_text(course.overview_html) + " " + course.summary, course.id, course.title, "", "")
    ]
    for lesson in course.lessons:
        rows.extend(_lesson_rows(course, lesson))
    return rows


def _lesson_rows(course: Course, lesson: Lesson) -> list[tuple]:
    return [
        (lesson.title, heading or "", text, course.id, course.title, lesson.id, anchor or "")
        for anchor, heading, text in sections(lesson.html)
    ]


def _marked(snippet: str) -> str:
    """Escape a snippet, then turn the match markers into <mark> elements."""
    return html.escape(snippet).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
