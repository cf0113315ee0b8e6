"""Single choice (radio buttons; true/false is one) and multiple choice (checkboxes).

Written as a list of ``- (x)`` / ``- ( )`` or ``- [x]`` / ``- [ ]`` options; a blockquote
indented 2 spaces under an option is its feedback. ``correct`` holds the shown indexes of
the right options; the response is a shown index (single) or a sorted list of them (multiple).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any

from ...catalog.model import Question
from ..scoring import score_multiple, score_single
from ..snapshot import ShownQuestion
from . import register
from .base import (
    Parsed,
    Parts,
    QuestionBlock,
    QuestionType,
    option_key,
    picks_text,
    shuffled,
    small_index,
)

RADIO = re.compile(r"^[-*+]\s+\(([ xX])\)\s+(.*\S)\s*$")
CHECK = re.compile(r"^[-*+]\s+\[([ xX])\]\s+(.*\S)\s*$")
FEEDBACK = re.compile(r"^\s{2,}>\s?(.*)$")
TRUE_FALSE = {"benar", "salah"}


@dataclass
class _Option:
    line: int
    radio: bool
    correct: bool
    text: list[str]
    feedback: list[str] = field(default_factory=list)


def is_true_false(options: tuple[str, ...] | list[str]) -> bool:
    return len(options) == 2 and {o.casefold() for o in options} == TRUE_FALSE


class ChoiceType(QuestionType):
    radio: bool

    def parse(self, block: QuestionBlock) -> Parsed | None:
        options: list[_Option] = []
        current: _Option | None = None
        for number, raw in block.answers:
            if not raw.strip():
                continue
            if match := RADIO.match(raw) or CHECK.match(raw):
                current = _Option(number, bool(RADIO.match(raw)), match.group(1) in "xX", [match.group(2)])
                options.append(current)
            elif current is not None and (match := FEEDBACK.match(raw)):
                current.feedback.append(match.group(1))
            elif current is not None and raw.startswith("  ") and not current.feedback:
                current.text.append(raw.strip())
            else:
                block.problem(number, "answer-line-unrecognised", label=block.label)
        if len({o.radio for o in options}) > 1:
            block.problem(block.line, "choice-mixed-markers", label=block.label)
            return None
        texts = tuple(" ".join(o.text) for o in options)
        correct = tuple(i for i, o in enumerate(options) if o.correct)
        if len(options) < 2:
            block.problem(block.line, "choice-too-few-options", label=block.label)
        if not correct:
            marker = "(x)" if self.radio else "[x]"
            block.problem(block.line, "choice-no-correct", label=block.label, marker=marker)
        if self.radio and len(correct) > 1:
            block.problem(block.line, "choice-several-correct", label=block.label, count=len(correct))
        seen: set[str] = set()
        for option, text in zip(options, texts, strict=True):
            key = " ".join(text.lower().split())
            if key in seen:
                block.problem(option.line, "answer-duplicate", label=block.label, text=text[:60])
            seen.add(key)
        feedback = tuple(" ".join(o.feedback).strip() or None for o in options)
        render = block.renderer
        return Parsed(
            correct=correct,
            options=texts,
            options_html=tuple(render.inline(t) for t in texts),
            feedback=feedback,
            feedback_html=tuple(render.inline(f) if f else None for f in feedback),
        )

    def show(self, question: Question, shuffle: bool, rng: random.Random) -> ShownQuestion:
        count = len(question.options)
        keep = not shuffle or is_true_false(question.options)  # Benar before Salah, always
        order = list(range(count)) if keep else shuffled(count, rng)
        shown = super().show(question, shuffle, rng)
        shown.options = [question.options_html[i] for i in order]
        shown.correct = sorted(order.index(i) for i in question.correct)
        shown.feedback = [question.feedback_html[i] for i in order]
        return shown

    def review(self, shown: ShownQuestion, response: Any) -> dict[str, Any]:
        return {"picked": _picked(shown, response)}

    def picks(self, shown: ShownQuestion, response: Any) -> str:
        return picks_text([option_key(shown.options[i]) for i in _picked(shown, response)])


def _picked(shown: ShownQuestion, response: Any) -> set[int]:
    """The shown positions a response picked (valid ones only)."""
    if isinstance(response, int) and not isinstance(response, bool):
        picked = {response}
    elif isinstance(response, list):
        picked = {i for i in response if isinstance(i, int) and not isinstance(i, bool)}
    else:
        picked = set()
    return {i for i in picked if 0 <= i < len(shown.options)}


@register
class SingleChoice(ChoiceType):
    name = "single"
    label = "pilihan tunggal"
    answer_start = RADIO
    radio = True

    def accepts(self, block: QuestionBlock) -> bool:
        # A block that mixes ( ) and [ ] is ours to report.
        starts = block.answer_starts(self.all_answer_starts)
        return any(RADIO.match(s) for s in starts) and all(RADIO.match(s) or CHECK.match(s) for s in starts)

    def read_response(self, shown: ShownQuestion, parts: Parts) -> Any:
        picks = [i for i in (small_index(v, len(shown.options)) for v in parts.get("", [])) if i is not None]
        return picks[0] if len(picks) == 1 else None

    def score(self, shown: ShownQuestion, response: Any) -> float:
        return score_single(shown.as_scoring_dict(), response)


@register
class MultipleChoice(ChoiceType):
    name = "multiple"
    label = "pilihan ganda"
    answer_start = CHECK
    radio = False

    def read_response(self, shown: ShownQuestion, parts: Parts) -> Any:
        return sorted({i for i in (small_index(v, len(shown.options)) for v in parts.get("", [])) if i is not None})

    def score(self, shown: ShownQuestion, response: Any) -> float:
        return score_multiple(shown.as_scoring_dict(), response)
