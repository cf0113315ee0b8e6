"""What a question type is: one class that reads its questions from a course file, shows
them in an attempt, reads the learner's response, scores it and lays out its review.

Pure: no Flask, no database, no werkzeug. The parser (catalog), the engine (attempts),
the review and the templates ask the registry (``elearn.quiz.types``) for the type of a
question instead of branching on its name.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from ...catalog.model import Question
from ..snapshot import ShownQuestion

SMALL_NUMBER = re.compile(r"[0-9]{1,4}")  # str.isdigit() also takes '²', which int() refuses

# What the learner sent for one question: each field's values by part ("" for the question's
# own field; "0", "1", ... for its items, blanks or rows). See quiz/forms.py.
Parts = dict[str, list[str]]


def small_index(value: str, limit: int, start: int = 0) -> int | None:
    """Return ``value`` as an int in [start, limit), or None for anything else (tampering)."""
    if not SMALL_NUMBER.fullmatch(value):
        return None
    number = int(value)
    return number if start <= number < limit else None


class Renders(Protocol):
    def block(self, text: str) -> str: ...
    def inline(self, text: str) -> str: ...


@dataclass
class QuestionBlock:
    """A question as written in a course file, split into prompt, answer lines and explanation."""

    line: int  # the heading's line
    label: str  # 'soal "..."', for messages
    text: str  # the heading text (Markdown)
    prompt: str  # Markdown between the heading and the answers
    answers: list[tuple[int, str]]  # the answer lines as written, with their line numbers
    problem: Callable[..., None]  # records a problem of the file: (line, code, **the message's parameters)
    renderer: Renders

    def answer_starts(self, patterns: list[re.Pattern]) -> list[str]:
        """Return the answer lines that start an answer of any of ``patterns``."""
        return [raw for _, raw in self.answers if any(p.match(raw) for p in patterns)]


@dataclass
class Parsed:
    """What a type read from a question's answers (the generic fields are added by the parser)."""

    correct: tuple = ()
    options: tuple[str, ...] = ()  # Markdown of each option or item
    options_html: tuple[str, ...] = ()
    feedback: tuple[str | None, ...] = ()
    feedback_html: tuple[str | None, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)  # what the type needs to show it
    json: dict[str, Any] = field(default_factory=dict)  # what the checker's --json adds
    prompt_html: str | None = None  # when the type renders the prompt itself


class QuestionType:
    """One kind of question. Subclasses set ``name`` and ``label`` and override what differs."""

    name: ClassVar[str]
    label: ClassVar[str]  # in Indonesian, for trainers
    # A line that starts this type's answers; the parser's answer section begins at the first
    # line that starts any registered type's answers.
    answer_start: ClassVar[re.Pattern | None] = None
    # The other types' answer lines, for accepts(); set by the registry.
    all_answer_starts: ClassVar[list[re.Pattern]] = []

    @property
    def template(self) -> str:
        """The partial with the macros ``take(q, i, saved, number)``, ``review(q, item, reveal)`` and ``key(q)``
        (the question's key laid out for its trainers)."""
        return f"quiz/types/{self.name}.html"

    # --- the course file -------------------------------------------------------------------

    def accepts(self, block: QuestionBlock) -> bool:
        """Whether this type reads the block: every line that starts an answer starts one of ours."""
        starts = block.answer_starts(self.all_answer_starts)
        return bool(starts) and self.answer_start is not None and all(self.answer_start.match(s) for s in starts)

    def parse(self, block: QuestionBlock) -> Parsed | None:
        """Read the answers; record every problem with ``block.problem``; None if unusable."""
        raise NotImplementedError

    # --- an attempt ------------------------------------------------------------------------

    def show(self, question: Question, shuffle: bool, rng: random.Random) -> ShownQuestion:
        """Return the question as this attempt shows it (options ordered, key in shown order)."""
        return ShownQuestion(
            id=question.id,
            type=question.type,
            points=question.points,
            prompt_html=question.prompt_html,
            explanation_html=question.explanation_html,
            correct=list(question.correct),
            extra=dict(question.extra),
        )

    def read_response(self, shown: ShownQuestion, parts: Parts) -> Any:
        """Turn what the form sent into a response; tampered values are dropped, never an error."""
        raise NotImplementedError

    def is_answered(self, shown: ShownQuestion, response: Any) -> bool:
        """Whether the learner gave any answer at all."""
        return response not in (None, "", [])

    def score(self, shown: ShownQuestion, response: Any) -> float:
        """Return the fraction of the points earned (0..1), from the pure scorer of this type."""
        raise NotImplementedError

    def review(self, shown: ShownQuestion, response: Any) -> dict[str, Any]:
        """Return what the review template needs beyond the question and the response."""
        return {}

    # --- the question analysis -------------------------------------------------------------

    def picks(self, shown: ShownQuestion, response: Any) -> str | None:
        """The options a response picked, as stored for counting (``Answer.picks``); None: not a choice."""
        return None


def option_key(option_html: str) -> str:
    """A short, stable name of an option: the same text gives the same key in any order."""
    return hashlib.sha256(option_html.encode()).hexdigest()[:10]


def picks_text(keys: list[str]) -> str:
    """Picked option keys as stored: sorted, comma-separated ('' for none)."""
    return ",".join(sorted(keys))


def shuffled(count: int, rng: random.Random, avoid_identity: bool = False) -> list[int]:
    """Return a random order of ``count`` positions (never the written order, if asked and possible)."""
    order = list(range(count))
    rng.shuffle(order)
    while avoid_identity and count > 1 and order == sorted(order):
        rng.shuffle(order)
    return order
