"""The quiz form's boundary: the one place that knows its field names.

A quiz page names its fields ``q`` (a question shown on the page, by position), and ``a{i}``
or ``a{i}-{part}`` (what was answered to question ``i``: its own field, or one of its items,
rows or blanks). ``read_submission`` turns a posted form (werkzeug's MultiDict, or the pairs
kept after a lost session) into plain data; nothing below this module imports werkzeug.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

SHOWN_FIELD = "q"
# A field name, not a password:
TOKEN_FIELD = "attempt_token"  # noqa: S105  # nosec B105
_ANSWER_FIELD = re.compile(r"^a([0-9]{1,4})(?:-([0-9]{1,4}))?$")
_POSITION = re.compile(r"[0-9]{1,4}")


def field_name(position: int, part: int | str | None = None) -> str:
    """Return the name of the field of question ``position`` (and of one of its parts)."""
    return f"a{position}" if part is None or part == "" else f"a{position}-{part}"


def is_quiz_field(name: str) -> bool:
    """Whether a posted field carries answers (kept when a session was lost)."""
    return name == SHOWN_FIELD or bool(_ANSWER_FIELD.match(name))


@dataclass
class Submission:
    """What a quiz form sent: which questions it showed, and their values by part."""

    shown: set[int] = field(default_factory=set)
    values: dict[int, dict[str, list[str]]] = field(default_factory=dict)

    def parts(self, position: int) -> dict[str, list[str]]:
        return self.values.get(position, {})


def read_submission(pairs: Iterable[tuple[str, str]]) -> Submission:
    """Return the plain data of a posted quiz form, given its (name, value) pairs."""
    submission = Submission()
    for name, value in pairs:
        if name == SHOWN_FIELD:
            if _POSITION.fullmatch(value):
                submission.shown.add(int(value))
            continue
        match = _ANSWER_FIELD.match(name)
        if match:
            position, part = int(match.group(1)), match.group(2) or ""
            submission.values.setdefault(position, {}).setdefault(part, []).append(value)
    return submission


def read_form(form) -> Submission:
    """Return the plain data of a posted form (werkzeug's MultiDict: repeated names included)."""
    return read_submission(form.items(multi=True))
