"""The question-type registry: a type's name -> the one object that knows everything about it.

Adding a type means a class here (its parse rule, snapshot, response, score and review), its
template ``templates/quiz/types/<name>.html`` and a scorer in ``quiz/scoring.py``; nothing else
branches on the type. Registration order is the order the parser tries types in.
"""

from __future__ import annotations

from typing import Any

from ..scoring import Score, given
from .base import QuestionBlock, QuestionType

_REGISTRY: dict[str, QuestionType] = {}


def register(cls: type[QuestionType]) -> type[QuestionType]:
    """Register a question type (usable as a class decorator)."""
    _REGISTRY[cls.name] = cls()
    _refresh_answer_starts()
    return cls


def unregister(name: str) -> None:
    """Remove a registered type (tests register toy types)."""
    _REGISTRY.pop(name, None)
    _refresh_answer_starts()


def _refresh_answer_starts() -> None:
    QuestionType.all_answer_starts = [t.answer_start for t in _REGISTRY.values() if t.answer_start is not None]


def question_type(name: str) -> QuestionType:
    """Return the registered type called ``name`` (KeyError for an unknown one)."""
    return _REGISTRY[name]


def registered() -> list[QuestionType]:
    """Return every registered type, in the order the parser tries them."""
    return list(_REGISTRY.values())


def type_for(block: QuestionBlock) -> QuestionType | None:
    """Return the first registered type that reads the block's answers, if any."""
    return next((t for t in _REGISTRY.values() if t.accepts(block)), None)


def grade(shown, response: Any) -> Score:
    """Return the points a response earns, scored by the question's own type."""
    fraction = question_type(shown.type).score(shown, response) if given(response) else 0.0
    return Score.of(shown.points, fraction)


# The built-in types, in the order the parser tries them.
from . import choice, cloze, matching, ordering, text  # noqa: E402, F401 (registration)

__all__ = ["QuestionBlock", "QuestionType", "grade", "question_type", "register", "registered", "type_for"]
