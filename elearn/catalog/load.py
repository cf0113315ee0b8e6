"""A courses folder -> Catalog, with the problems of every file.

A course with any problem is kept out of ``Catalog.courses`` (learners never see it) and
listed in ``Catalog.broken``; it never stops the other courses from loading.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path

from .itemcheck import course_warnings
from .model import BrokenCourse, Catalog, Course, Lesson, Problem, Quiz, ReviewPolicy
from .parse import (
    COURSE_KEYS,
    EXAM_KEYS,
    LESSON_KEYS,
    MAX_ID,
    Source,
    check_asset_links,
    check_lesson_text,
    count_words,
    estimate_minutes,
    front_matter,
    parse_quiz_section,
    read_text,
    split_quiz,
)
from .render import Renderer

COURSE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LESSON_FILE = re.compile(r"^(\d+)-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
DEFAULT_ASSET_PREFIX = "assets/"
RESERVED_LESSON_IDS = {"assets", "ujian"}  # the web app's own paths below a course


def load_catalog(root: str | os.PathLike, asset_prefix: str = DEFAULT_ASSET_PREFIX) -> Catalog:
    """Load every course below ``root`` (or ``root`` itself, if it is one course folder).

    ``asset_prefix`` may contain ``{course}``; links to ``assets/x`` become prefix + ``x``.
    Problems name files by ``root`` as it was given, so a relative root gives relative paths.
    """
    root = Path(root)
    if not root.is_dir():
        problem = Problem.of(str(root), 1, "courses-folder-missing")
        return Catalog(problems=(problem,))
    if (root / "course.md").is_file():
        folders = [root]
    else:
        folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    courses: list[Course] = []
    broken: list[BrokenCourse] = []
    problems: list[Problem] = []
    warnings: list[Problem] = []
    for folder in folders:
        try:
            course, course_problems = load_course(folder, asset_prefix)
        except Exception as exc:  # one unforeseen file must not take down the whole catalog
            course, course_problems = None, [Problem.of(str(folder), 1, "course-unreadable", error=repr(exc))]
        problems.extend(course_problems)
        if course is not None:  # a hidden course's readable part too: the trainer fixes both at once
            warnings.extend(course_warnings(course))
        if course_problems or course is None:
            title = course.title if course else folder.name
            broken.append(BrokenCourse(folder.name, title, str(folder), tuple(course_problems), course))
        else:
            courses.append(course)
    courses.sort(key=lambda c: (c.order is None, c.order or 0, c.title.lower()))
    return Catalog(courses=tuple(courses), broken=tuple(broken), problems=tuple(problems), warnings=tuple(warnings))


def load_course(folder: Path, asset_prefix: str = DEFAULT_ASSET_PREFIX) -> tuple[Course | None, list[Problem]]:
    """Parse one course folder; return the course (None if unusable) and its problems."""
    problems: list[Problem] = []
    renderer = Renderer(asset_prefix.replace("{course}", folder.name))
    if not COURSE_ID.match(folder.name) or len(folder.name) > MAX_ID:
        problems.append(Problem.of(str(folder), 1, "course-folder-name", limit=MAX_ID))
    course_file = folder / "course.md"
    if not course_file.is_file():
        problems.append(Problem.of(str(course_file), 1, "course-md-missing"))
        return None, problems

    source = Source(course_file, str(course_file))
    meta: dict = {}
    overview_html = ""
    text = read_text(source)
    if text is not None:
        meta, body, first = front_matter(source, text, COURSE_KEYS, ("title", "summary", "jp"))
        check_asset_links(source, body, first, folder)
        overview_html = renderer.block("\n".join(body))
    problems.extend(source.problems)
    pass_score = meta.get("pass_score", 70)
    quiz_defaults = {"pass_score": pass_score, "review": meta.get("review", ReviewPolicy.AFTER_PASS)}

    lessons: list[Lesson] = []
    seen: dict[str, str] = {}
    lesson_files = []
    for path in sorted(folder.glob("*.md")):
        if path.name in ("course.md", "exam.md"):
            continue
        match = LESSON_FILE.match(path.name)
        if not match:
            problems.append(Problem.of(str(path), 1, "lesson-file-name"))
            continue
        if match.group(2) in RESERVED_LESSON_IDS or len(match.group(2)) > MAX_ID:
            problems.append(
                Problem.of(
                    str(path),
                    1,
                    "lesson-id-reserved",
                    lesson_id=match.group(2)[:40],
                    reserved=", ".join(sorted(RESERVED_LESSON_IDS)),
                    limit=MAX_ID,
                )
            )
            continue
        lesson_files.append((int(match.group(1)), match.group(2), path))
    for number, lesson_id, path in sorted(lesson_files):
        if lesson_id in seen:
            problems.append(Problem.of(str(path), 1, "lesson-id-duplicate", lesson_id=lesson_id, other=seen[lesson_id]))
            continue
        seen[lesson_id] = path.name
        lesson, lesson_problems = load_lesson(path, number, lesson_id, folder, renderer, quiz_defaults)
        problems.extend(lesson_problems)
        if lesson:
            lessons.append(lesson)
    if not lesson_files:
        problems.append(Problem.of(str(course_file), 1, "course-no-lessons"))

    exam = None
    exam_file = folder / "exam.md"
    if exam_file.is_file():
        exam, exam_problems = load_exam(exam_file, folder, renderer, pass_score)
        problems.extend(exam_problems)

    if "title" not in meta:
        return None, problems
    course = Course(
        id=folder.name,
        title=meta["title"],
        summary=meta.get("summary", ""),
        jp=meta.get("jp", 0),
        path=str(folder),
        order=meta.get("order"),
        level=meta.get("level"),
        competency=meta.get("competency"),
        objectives=meta.get("objectives", ()),
        pass_score=pass_score,
        authors=meta.get("authors", ()),
        follow_up_days=meta.get("follow_up_days", 30),
        overview_html=overview_html,
        lessons=tuple(lessons),
        exam=exam,
    )
    return course, problems


def load_lesson(
    path: Path, number: int, lesson_id: str, folder: Path, renderer: Renderer, quiz_defaults: dict
) -> tuple[Lesson | None, list[Problem]]:
    """Parse one lesson file with its optional quiz."""
    source = Source(path, str(path))
    text = read_text(source)
    if text is None:
        return None, source.problems
    meta, body, first = front_matter(source, text, LESSON_KEYS, ("title",))
    check_asset_links(source, body, first, folder)
    quiz_at = split_quiz(body)
    lesson_lines = body if quiz_at is None else body[:quiz_at]
    check_lesson_text(source, lesson_lines, first)
    quiz: Quiz | None = None
    if quiz_at is not None:
        settings = {**quiz_defaults, **meta}
        quiz = parse_quiz_section(source, body[quiz_at + 1 :], first + quiz_at + 1, first + quiz_at, renderer, settings)
    lesson_text = "\n".join(lesson_lines)
    html, toc = renderer.document(lesson_text)
    words = count_words(lesson_text)
    if source.problems or "title" not in meta:
        return None, source.problems
    minutes = meta.get("minutes") or estimate_minutes(words, len(quiz.questions) if quiz else 0)
    lesson = Lesson(
        id=lesson_id,
        number=number,
        title=meta["title"],
        minutes=minutes,
        words=words,
        html=html,
        path=str(path),
        objectives=meta.get("objectives", ()),
        toc=toc,
        quiz=quiz,
    )
    return lesson, []


def load_exam(path: Path, folder: Path, renderer: Renderer, pass_score: int) -> tuple[Quiz | None, list[Problem]]:
    """Parse exam.md: settings in front matter, the question pool after ``## Kuis``."""
    source = Source(path, str(path))
    text = read_text(source)
    if text is None:
        return None, source.problems
    meta, body, first = front_matter(source, text, EXAM_KEYS, ())
    check_asset_links(source, body, first, folder)
    quiz_at = split_quiz(body)
    if quiz_at is None:
        source.problem(first, "exam-no-quiz-heading")
        return None, source.problems
    settings = {"pass_score": pass_score, "attempts": 3, "title": "Ujian", **meta}
    quiz = parse_quiz_section(source, body[quiz_at + 1 :], first + quiz_at + 1, first + quiz_at, renderer, settings)
    intro = "\n".join(body[:quiz_at]).strip()
    if quiz is not None:
        draw = quiz.questions_per_attempt
        if draw is not None and draw > len(quiz.questions):
            lines = text.split("\n")
            line = next((i + 1 for i, t in enumerate(lines) if t.startswith("questions_per_attempt")), 1)
            source.problem(line, "exam-draw-exceeds-pool", draw=draw, pool=len(quiz.questions))
        elif intro:
            quiz = replace(quiz, intro_html=renderer.block(intro))
    return (None if source.problems else quiz), source.problems
