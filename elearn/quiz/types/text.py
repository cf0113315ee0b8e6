"""Numeric and short-answer questions: one or more ``= answer`` lines, typed into a text field.

A single ``=`` line holding a number (optionally ``+- tolerance`` and a unit) makes a
numeric question: ``correct`` is ``[value, tolerance]`` and ``extra["unit"]`` the unit.
Otherwise it is a short answer: ``correct`` holds the accepted texts. The response is the
typed text.
"""

from __future__ import annotations

import math
import re
from typing import Any

from ..scoring import score_numeric, score_short
from ..snapshot import ShownQuestion
from . import register
from .base import Parsed, Parts, QuestionBlock, QuestionType

EQUALS = re.compile(r"^=\s*(.*?)\s*$")
NUMBER = r"[-+]?\d+(?:[.,]\d+)?"
UNIT = r"%|[^\W\d_][^\d+±=]{0,29}?"  # '%', or a word or two: 'jam', 'hari kerja', 'km/jam'
NUMERIC = re.compile(rf"^({NUMBER})(?:\s*(?:\+-|±|\+/-)\s*({NUMBER}))?(?:\s*({UNIT}))?$")
TOLERANCE = re.compile(r"(\+-|±|\+/-)")
MAX_TYPED = 500


def to_number(text: str) -> int | float:
    """Return a number written with a decimal comma or dot ('3,5' -> 3.5; '20' -> 20)."""
    value = float(text.replace(",", "."))
    return int(value) if value.is_integer() and "." not in text and "," not in text else value


def _answers(block: QuestionBlock) -> list[tuple[int, str]]:
    found = []
    for number, raw in block.answers:
        if not raw.strip():
            continue
        match = EQUALS.match(raw)
        if match:
            found.append((number, match.group(1)))
        else:
            block.problem(number, "answer-line-unrecognised", label=block.label)
    return found


def _typed(parts: Parts) -> str:
    values = parts.get("", [])
    return values[0].strip()[:MAX_TYPED] if values else ""


@register
class Numeric(QuestionType):
    name = "numeric"
    label = "angka"
    answer_start = EQUALS

    def accepts(self, block: QuestionBlock) -> bool:
        starts = block.answer_starts(self.all_answer_starts)
        return (
            len(starts) == 1 and bool(EQUALS.match(starts[0])) and bool(NUMERIC.match(EQUALS.match(starts[0]).group(1)))
        )

    def parse(self, block: QuestionBlock) -> Parsed | None:
        answers = _answers(block)
        if not answers:
            return None
        number, text = answers[0]
        match = NUMERIC.match(text)
        value, tolerance = to_number(match.group(1)), to_number(match.group(2) or "0")
        unit = " ".join(match.group(3).split()) if match.group(3) else None
        if not all(math.isfinite(x) for x in (value, tolerance)) or len(text) > 40:
            block.problem(number, "numeric-too-long", label=block.label)
        elif tolerance < 0:
            block.problem(number, "numeric-negative-tolerance", label=block.label)
        return Parsed(correct=(value, tolerance), extra={"unit": unit} if unit else {}, json={"unit": unit})

    def read_response(self, shown: ShownQuestion, parts: Parts) -> Any:
        return _typed(parts)

    def score(self, shown: ShownQuestion, response: Any) -> float:
        return score_numeric(shown.as_scoring_dict(), response)


@register
class ShortAnswer(QuestionType):
    name = "short"
    label = "isian singkat"
    answer_start = EQUALS

    def parse(self, block: QuestionBlock) -> Parsed | None:
        answers = _answers(block)
        for number, answer in answers:
            if not answer:
                block.problem(number, "short-answer-empty", label=block.label)
            elif TOLERANCE.search(answer):
                block.problem(number, "short-answer-tolerance", label=block.label)
        return Parsed(correct=tuple(answer for _, answer in answers))

    def read_response(self, shown: ShownQuestion, parts: Parts) -> Any:
        return _typed(parts)

    def score(self, shown: ShownQuestion, response: Any) -> float:
        return score_short(shown.as_scoring_dict(), response)
