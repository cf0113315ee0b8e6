"""Ordering: a numbered list in the right order, shown shuffled; a rank is chosen for each item.

``correct`` holds the right rank (1..n) of each shown item; ``extra["answer_html"]`` the
items in the right order. The response is the rank chosen for each shown item (None where
none was chosen). Full points only for the whole order.
"""

from __future__ import annotations

import random
import re
from typing import Any

from ...catalog.model import Question
from ..scoring import score_ordering
from ..snapshot import ShownQuestion
from . import register
from .base import Parsed, Parts, QuestionBlock, QuestionType, shuffled, small_index

ORDERED = re.compile(r"^\d{1,3}[.)]\s+(.*\S)\s*$")


@register
class Ordering(QuestionType):
    name = "ordering"
    label = "urutan"
    answer_start = ORDERED

    def parse(self, block: QuestionBlock) -> Parsed | None:
        items: list[tuple[int, list[str]]] = []
        for number, raw in block.answers:
            if not raw.strip():
                continue
            if match := ORDERED.match(raw):
                items.append((number, [match.group(1)]))
            elif items and raw.startswith("  "):
                items[-1][1].append(raw.strip())
            else:
                block.problem(number, "answer-line-unrecognised", label=block.label)
        texts = tuple(" ".join(words) for _, words in items)
        if len(items) < 3:
            # Two items are always shown in the one wrong order, which gives the answer away.
            block.problem(block.line, "ordering-too-few-items", label=block.label)
        seen: set[str] = set()
        for (number, _), text in zip(items, texts, strict=True):
            key = " ".join(text.lower().split())
            if key in seen:
                block.problem(number, "answer-duplicate", label=block.label, text=text[:60])
            seen.add(key)
        return Parsed(correct=texts, options=texts, options_html=tuple(block.renderer.inline(t) for t in texts))

    def show(self, question: Question, shuffle: bool, rng: random.Random) -> ShownQuestion:
        order = shuffled(len(question.options), rng, avoid_identity=True)  # never shown already in order
        shown = super().show(question, shuffle, rng)
        shown.options = [question.options_html[i] for i in order]
        shown.correct = [i + 1 for i in order]
        shown.extra["answer_html"] = list(question.options_html)
        return shown

    def read_response(self, shown: ShownQuestion, parts: Parts) -> Any:
        count = len(shown.options)
        if any(str(item) not in parts for item in range(count)):
            return None  # a browser always sends every item's field: this is tampered
        ranks = [small_index((parts[str(item)] or [""])[0], count + 1, start=1) for item in range(count)]
        return ranks if any(rank is not None for rank in ranks) else None

    def is_answered(self, shown: ShownQuestion, response: Any) -> bool:
        return bool(response) and all(rank is not None for rank in response)

    def score(self, shown: ShownQuestion, response: Any) -> float:
        return score_ordering(shown.as_scoring_dict(), response)

    def review(self, shown: ShownQuestion, response: Any) -> dict[str, Any]:
        order: list[str] = []
        if isinstance(response, list):
            ranked = sorted((rank, i) for i, rank in enumerate(response) if rank is not None)
            order = [shown.options[i] for _, i in ranked]
        return {"learner_order": order}
