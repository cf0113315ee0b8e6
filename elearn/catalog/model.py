"""The course library as frozen, plain data: what the loader builds and everything else reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from .messages import message

LEVELS = ("dasar", "menengah", "lanjut")


class ReviewPolicy(StrEnum):
    """When a lesson quiz's review shows the correct answers and the explanations."""

    IMMEDIATELY = "immediately"  # right after every attempt
    # Once passed, or no attempt left (the default). A policy name, not a password:
    AFTER_PASS = "after-pass"  # noqa: S105  # nosec B105
    NEVER = "never"  # only right/wrong and the feedback on the options picked


@dataclass(frozen=True)
class Problem:
    """One problem (or item-writing warning) in a course file, reported as ``path:line: message``.

    ``code`` is the stable name of its kind (see ``catalog/messages.py``); ``message`` its
    Indonesian text.
    """

    path: str
    line: int
    code: str
    message: str

    @classmethod
    def of(cls, path: str, line: int, code: str, **params: object) -> Problem:
        """Return the problem ``code`` with its catalogue message filled in with ``params``."""
        return cls(path, line, code, message(code, **params))

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"

    def as_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "code": self.code, "message": self.message}


@dataclass(frozen=True)
class Silence:
    """A ``<!-- abaikan CODE: reason -->`` marker: one warning silenced for one question (or quiz)."""

    code: str
    reason: str
    line: int


@dataclass(frozen=True)
class Question:
    """A quiz question as the trainer wrote it, with its answer key."""

    id: str
    type: str
    text: str  # the heading text, Markdown source
    points: int
    line: int
    prompt_html: str = ""  # heading text and body, sanitised HTML
    options: tuple[str, ...] = ()  # Markdown source of each option (choice, ordering)
    options_html: tuple[str, ...] = ()
    correct: tuple = ()  # see COURSE-FORMAT.md: indexes, strings, (value, tolerance) or items
    feedback: tuple[str | None, ...] = ()
    feedback_html: tuple[str | None, ...] = ()
    explanation: str | None = None
    explanation_html: str | None = None
    extra: dict = field(default_factory=dict, compare=False)  # what the question's type needs to show it
    json: dict = field(default_factory=dict, compare=False)  # what the type adds to the checker's --json
    silenced: tuple[Silence, ...] = ()  # item-writing warnings the trainer silenced, with the reason

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "type": self.type,
            "points": self.points,
            "text": self.text,
            "options": list(self.options),
            "correct": [list(c) if isinstance(c, tuple) else c for c in self.correct],
            "explanation": self.explanation,
            "feedback": list(self.feedback),
            **self.json,
        }


@dataclass(frozen=True)
class Quiz:
    """A lesson quiz or a course exam: its settings and question pool."""

    questions: tuple[Question, ...]
    pass_score: int = 70
    attempts: int | None = None
    shuffle: bool = True
    title: str | None = None
    time_limit: int | None = None  # minutes; exams only
    questions_per_attempt: int | None = None  # exams only
    intro_html: str = ""
    review: ReviewPolicy = ReviewPolicy.AFTER_PASS  # lesson quizzes only
    silenced: tuple[Silence, ...] = ()  # markers under the '## Kuis' heading: warnings about the whole quiz

    @property
    def total_points(self) -> int:
        return sum(q.points for q in self.questions)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def as_dict(self, exam: bool = False) -> dict:
        data = {
            "pass_score": self.pass_score,
            "attempts": self.attempts,
            "questions": [q.as_dict() for q in self.questions],
        }
        if not exam:
            data["review"] = str(self.review)
        if exam:
            data.update(
                title=self.title,
                time_limit=self.time_limit,
                questions_per_attempt=self.questions_per_attempt,
            )
        return data


@dataclass(frozen=True)
class Heading:
    """An entry of a lesson's table of contents."""

    level: int
    id: str
    title: str


@dataclass(frozen=True)
class Lesson:
    """One lesson file: its rendered text and its optional quiz."""

    id: str
    number: int
    title: str
    minutes: int
    words: int
    html: str
    path: str
    objectives: tuple[str, ...] = ()
    toc: tuple[Heading, ...] = ()
    quiz: Quiz | None = None

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "minutes": self.minutes,
            "quiz": self.quiz.as_dict() if self.quiz else None,
        }


@dataclass(frozen=True)
class Course:
    """A course folder: overview, ordered lessons and optional exam."""

    id: str
    title: str
    summary: str
    jp: int
    path: str
    order: int | None = None
    level: str | None = None
    competency: str | None = None
    objectives: tuple[str, ...] = ()
    pass_score: int = 70
    authors: tuple[str, ...] = ()
    follow_up_days: int = 30  # days from an action plan to its follow-up
    overview_html: str = ""
    lessons: tuple[Lesson, ...] = ()
    exam: Quiz | None = None

    def lesson(self, lesson_id: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.id == lesson_id), None)

    def neighbours(self, lesson_id: str) -> tuple[Lesson | None, Lesson | None]:
        """Return the lessons before and after ``lesson_id``."""
        ids = [lesson.id for lesson in self.lessons]
        i = ids.index(lesson_id)
        before = self.lessons[i - 1] if i > 0 else None
        after = self.lessons[i + 1] if i + 1 < len(ids) else None
        return before, after

    @property
    def minutes(self) -> int:
        return sum(lesson.minutes for lesson in self.lessons)

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "jp": self.jp,
            "lessons": [lesson.as_dict() for lesson in self.lessons],
            "exam": self.exam.as_dict(exam=True) if self.exam else None,
        }


@dataclass(frozen=True)
class BrokenCourse:
    """A course folder with problems: hidden from learners, listed for trainers."""

    id: str
    title: str
    path: str
    problems: tuple[Problem, ...]
    partial: Course | None = None  # what could be read, for the trainers' preview (never for learners)


@dataclass(frozen=True)
class Catalog:
    """Every valid course, ordered for the catalog, plus the broken ones, all problems and all warnings."""

    courses: tuple[Course, ...] = ()
    broken: tuple[BrokenCourse, ...] = ()
    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()  # item-writing warnings of every course that could be read
    _by_id: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id.update({course.id: course for course in self.courses})

    def course(self, course_id: str) -> Course | None:
        return self._by_id.get(course_id)
