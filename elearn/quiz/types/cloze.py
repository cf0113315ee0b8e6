"""Fill in the blanks: the question's text holds ``[[answer]]``, ``[[answer|other]]``, ``[[30]]``
or ``[[37,5 +- 0,5]]``; there is no answer list.

Each blank is read as a short answer (case and spaces ignored) or, when it holds one number,
as a numeric answer (Indonesian number reading, optional tolerance). ``correct`` holds, per
blank, its accepted texts or ``[value, tolerance]``; ``extra["kinds"]`` says which. The text
around the blanks is rendered once with placeholders and kept as segments, so the answers
never reach the page. Points × correct blanks / blanks.
"""

from __future__ import annotations

import re
from typing import Any

from ..scoring import blank_is_right, score_cloze
from ..snapshot import ShownQuestion
from . import register
from .base import Parsed, Parts, QuestionBlock, QuestionType
from .text import NUMBER, to_number

BLANKS = re.compile(r"\[\[(.*?)\]\]")
NUMBER_BLANK = re.compile(rf"^({NUMBER})(?:\s*(?:\+-|±|\+/-)\s*({NUMBER}))?$")
PLACEHOLDER = "\ue000{}\ue001"  # private-use characters: never in a course text
PLACEHOLDERS = re.compile("\ue000(\\d+)\ue001")
MAX_TYPED = 200


@register
class Cloze(QuestionType):
    name = "cloze"
    label = "isian rumpang"

    def accepts(self, block: QuestionBlock) -> bool:
        return not block.answers and bool(BLANKS.search(block.text + "\n" + block.prompt))

    def parse(self, block: QuestionBlock) -> Parsed | None:
        source = block.text if not block.prompt else f"{block.text}\n\n{block.prompt}"
        correct: list[tuple] = []
        kinds: list[str] = []

        def placeholder(match: re.Match) -> str:
            content = match.group(1).strip()
            number = NUMBER_BLANK.match(content.replace(" ", "")) if "|" not in content else None
            if number:
                kinds.append("number")
                correct.append((to_number(number.group(1)), to_number(number.group(2) or "0")))
            else:
                accepted = tuple(a.strip() for a in content.split("|"))
                if not all(accepted):
                    block.problem(block.line, "cloze-blank-empty", label=block.label, number=len(kinds) + 1)
                kinds.append("text")
                correct.append(accepted)
            return PLACEHOLDER.format(len(kinds) - 1)

        html = block.renderer.block(BLANKS.sub(placeholder, source))
        segments = PLACEHOLDERS.split(html)[::2]
        if len(segments) != len(kinds) + 1:
            block.problem(block.line, "cloze-blank-in-link", label=block.label)
            return None
        return Parsed(
            correct=tuple(correct),
            extra={"segments": segments, "kinds": kinds},
            prompt_html=" ____ ".join(segments),
        )

    def read_response(self, shown: ShownQuestion, parts: Parts) -> Any:
        count = len(shown.extra["kinds"])
        typed = [(parts.get(str(blank)) or [""])[0].strip()[:MAX_TYPED] for blank in range(count)]
        return typed if any(typed) else None

    def is_answered(self, shown: ShownQuestion, response: Any) -> bool:
        return bool(response) and any(response)

    def score(self, shown: ShownQuestion, response: Any) -> float:
        return score_cloze(shown.as_scoring_dict(), response)

    def review(self, shown: ShownQuestion, response: Any) -> dict[str, Any]:
        scoring = shown.as_scoring_dict()
        blanks = []
        for blank, kind in enumerate(shown.extra["kinds"]):
            given = response[blank] if isinstance(response, list) and blank < len(response) else ""
            blanks.append({"given": given, "ok": blank_is_right(scoring, blank, given), "kind": kind})
        return {"blanks": blanks}
