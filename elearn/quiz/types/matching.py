"""Matching: pairs ``- left => right``, plus ``- => right`` for a right-hand item that matches nothing.

Shown as one choice of right-hand items per left item, the right side shuffled (and never
lined up with the left). ``correct`` holds, for each shown left item, the shown index of its
right-hand item; the response holds the chosen index per left item (None where none was
chosen). Points × correct pairs / pairs.
"""

from __future__ import annotations

import random
import re
from typing import Any

from ...catalog.model import Question
from ...catalog.search import plain_text
from ..scoring import score_matching
from ..snapshot import ShownQuestion
from . import register
from .base import Parsed, Parts, QuestionBlock, QuestionType, shuffled, small_index

PAIR = re.compile(r"^[-*+]\s+(?![(\[][ xX][)\]]\s)(.*?)\s*=>\s*(.*?)\s*$")
ITEM = re.compile(r"^[-*+]\s+\S")


@register
class Matching(QuestionType):
    name = "matching"
    label = "menjodohkan"
    answer_start = PAIR

    def parse(self, block: QuestionBlock) -> Parsed | None:
        pairs: list[tuple[int, str, str]] = []
        distractors: list[str] = []
        for number, raw in block.answers:
            if not raw.strip():
                continue
            match = PAIR.match(raw)
            if match is None:
                code = "matching-item-without-pair" if ITEM.match(raw) else "answer-line-unrecognised"
                block.problem(number, code, label=block.label)
                continue
            left, right = match.group(1), match.group(2)
            if not right:
                block.problem(number, "matching-right-empty", label=block.label)
            elif not left:
                distractors.append(right)
            else:
                pairs.append((number, left, right))
        if len(pairs) < 2:
            block.problem(block.line, "matching-too-few-pairs", label=block.label)
        seen: dict[str, int] = {}
        for number, left, _ in pairs:
            key = " ".join(left.lower().split())
            if key in seen:
                block.problem(number, "matching-left-duplicate", label=block.label, left=left[:60], first=seen[key])
            seen.setdefault(key, number)
        rights: list[str] = []
        for right in [r for _, _, r in pairs] + distractors:
            if right not in rights:
                rights.append(right)
        render = block.renderer
        lefts = tuple(left for _, left, _ in pairs)
        rights_html = [render.inline(r) for r in rights]
        return Parsed(
            correct=tuple(right for _, _, right in pairs),
            options=lefts,
            options_html=tuple(render.inline(left) for left in lefts),
            extra={
                "rights_html": rights_html,
                "rights_text": [plain_text(h) for h in rights_html],
                "pair_right": [rights.index(right) for _, _, right in pairs],
            },
            json={"distractors": [d for d in distractors if d not in {r for _, _, r in pairs}]},
        )

    def show(self, question: Question, shuffle: bool, rng: random.Random) -> ShownQuestion:
        extra = question.extra
        lefts = shuffled(len(question.options), rng) if shuffle else list(range(len(question.options)))
        count = len(extra["rights_html"])
        while True:
            choices = shuffled(count, rng)
            correct = [choices.index(extra["pair_right"][i]) for i in lefts]
            if count < 2 or correct != list(range(len(correct))):  # never lined up with the left side
                break
        shown = super().show(question, shuffle, rng)
        shown.options = [question.options_html[i] for i in lefts]
        shown.correct = correct
        shown.extra = {
            "choices_html": [extra["rights_html"][j] for j in choices],
            "choices_text": [extra["rights_text"][j] for j in choices],
        }
        return shown

    def read_response(self, shown: ShownQuestion, parts: Parts) -> Any:
        count = len(shown.extra["choices_html"])
        if any(str(row) not in parts for row in range(len(shown.options))):
            return None  # a browser always sends every row's field: this is tampered
        picks = [small_index((parts[str(row)] or [""])[0], count) for row in range(len(shown.options))]
        return picks if any(pick is not None for pick in picks) else None

    def is_answered(self, shown: ShownQuestion, response: Any) -> bool:
        return bool(response) and any(pick is not None for pick in response)

    def score(self, shown: ShownQuestion, response: Any) -> float:
        return score_matching(shown.as_scoring_dict(), response)

    def review(self, shown: ShownQuestion, response: Any) -> dict[str, Any]:
        choices = shown.extra["choices_html"]
        rows = []
        for row, left in enumerate(shown.options):
            pick = response[row] if isinstance(response, list) and row < len(response) else None
            rows.append(
                {
                    "left": left,
                    "chosen": choices[pick] if pick is not None else None,
                    "right": choices[shown.correct[row]],
                    "ok": pick == shown.correct[row],
                }
            )
        return {"rows": rows}
