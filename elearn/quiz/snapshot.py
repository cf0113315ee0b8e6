"""The questions of an attempt as they were shown: a declared, versioned structure.

An attempt stores its snapshot as JSON (``Attempt.snapshot``). Version 1 (before this
module) was a plain ``{"questions": [...]}`` whose type-specific keys (``answer_html`` of
ordering, ``unit`` of numeric) sat beside the common ones; version 2 keeps them under
``extra``. Both load into the same ``ShownQuestion``, so attempts written by any version
load and review the same way. Pure: no Flask, no database.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

SNAPSHOT_VERSION = 2


@dataclass
class ShownQuestion:
    """One question of an attempt: what the learner saw, in the order they saw it, and its key.

    ``options`` are the shown items of a choice, ordering or matching question (HTML), in shown
    order; ``correct`` is the key in terms of that order (see each question type); ``feedback``
    the feedback of each shown option (choice only); ``extra`` what a type needs beyond these.
    """

    id: str
    type: str
    points: int
    prompt_html: str
    options: list[str] = field(default_factory=list)
    correct: list = field(default_factory=list)
    explanation_html: str | None = None
    feedback: list[str | None] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict:
        data = asdict(self)
        if self.feedback is None:
            del data["feedback"]
        return data

    @classmethod
    def from_json(cls, data: dict) -> ShownQuestion:
        """Load a stored question of any snapshot version (unknown keys of version 1 go to extra)."""
        known = {f.name for f in fields(cls)}
        extra = dict(data.get("extra") or {})
        extra.update({key: value for key, value in data.items() if key not in known})
        values = {key: value for key, value in data.items() if key in known and key != "extra"}
        return cls(**values, extra=extra)

    def as_scoring_dict(self) -> dict:
        """The flat dict the pure scorers read (``type``, ``points``, ``correct`` and the extras)."""
        return {**self.extra, "type": self.type, "points": self.points, "correct": self.correct}


@dataclass
class Snapshot:
    """Every question of one attempt, in shown order."""

    questions: list[ShownQuestion]
    version: int = SNAPSHOT_VERSION

    def to_json(self) -> dict:
        return {"version": self.version, "questions": [q.to_json() for q in self.questions]}

    @classmethod
    def from_json(cls, data: dict) -> Snapshot:
        return cls(
            questions=[ShownQuestion.from_json(q) for q in data.get("questions", [])],
            version=int(data.get("version", 1)),
        )

    @property
    def max_points(self) -> int:
        return sum(q.points for q in self.questions)
