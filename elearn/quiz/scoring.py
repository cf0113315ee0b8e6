"""Scoring a response to one question: pure functions, no Flask, no database.

A question here is a flat dict of a shown question (``ShownQuestion.as_scoring_dict()``),
with its options in the order the learner saw them. ``correct`` uses that order:

- single:   [shown index of the right option]
- multiple: [shown indexes of the right options]
- short:    [accepted answers]
- numeric:  [value, tolerance] (and ``unit``)
- ordering: [the rank (1..n) of each shown item in the correct order]
- matching: [the shown index of the right-hand item of each shown left item]
- cloze:    [accepted answers, or [value, tolerance], per blank] (and ``kinds``)

A response is what the learner gave, already read by the question's type: an int (single),
a list of ints (multiple), a str (short, numeric), a list of ranks (ordering), a list of
chosen indexes (matching) or a list of typed texts (cloze); None or empty means not answered.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Scorer = Callable[[dict, Any], float]  # returns the fraction of the points earned, 0..1
SCORERS: dict[str, Scorer] = {}


def scorer(kind: str):
    """Register a scoring function for a question type."""

    def register(function: Scorer) -> Scorer:
        SCORERS[kind] = function
        return function

    return register


@dataclass(frozen=True)
class Score:
    points: float
    max_points: int
    correct: bool  # full points

    @classmethod
    def of(cls, points: int, fraction: float) -> Score:
        """Return the score of ``fraction`` (clamped to 0..1) of a question worth ``points``."""
        fraction = min(1.0, max(0.0, fraction))
        return cls(points=round(points * fraction, 4), max_points=points, correct=fraction >= 1.0)


def given(response: Any) -> bool:
    """Whether a response holds anything to score."""
    return response not in (None, "", [])


def score(question: dict, response: Any) -> Score:
    """Return the points a response earns for a question."""
    fraction = SCORERS[question["type"]](question, response) if given(response) else 0.0
    return Score.of(question["points"], fraction)


@scorer("single")
def score_single(question: dict, response: Any) -> float:
    return 1.0 if response == question["correct"][0] else 0.0


@scorer("multiple")
def score_multiple(question: dict, response: Any) -> float:
    right_options = set(question["correct"])
    picked = set(response)
    right = len(picked & right_options)
    wrong = len(picked - right_options)
    return max(0.0, (right - wrong) / len(right_options))


def normalise_text(text: str) -> str:
    """Fold case and spaces: ' Aparatur  Sipil ' -> 'aparatur sipil'."""
    return " ".join(str(text).split()).casefold()


@scorer("short")
def score_short(question: dict, response: Any) -> float:
    given = normalise_text(response)
    return 1.0 if given and any(given == normalise_text(answer) for answer in question["correct"]) else 0.0


_NUMBER = re.compile(r"^[-+]?(\d+([.,]\d+)*)$")
PERCENT = ("%", "persen")


def strip_unit(text: str, unit: str | None = None) -> str:
    """Return a typed answer without a trailing percent sign or the question's unit.

    '25%', '25 %' and '25 persen' are 25; with the unit 'jam', '37,5 jam' and '37,5 Jam'
    are 37,5. Any other trailing text is left, so the answer does not read as a number.
    """
    text = " ".join(str(text).split())
    folded = text.casefold()
    suffixes = [unit.casefold()] if unit else []
    if unit in (None, *PERCENT):
        suffixes += PERCENT
    for suffix in sorted(suffixes, key=len, reverse=True):
        if folded.endswith(suffix) and len(folded) > len(suffix):
            return text[: -len(suffix)].rstrip()
    return text


def read_numbers(text: str, unit: str | None = None) -> list[float]:
    """Return every reading of a typed number: '3,5' and '3.5' are 3.5; '1.500' is 1.5 or 1500.

    Indonesian writing uses '.' to group thousands and ',' for decimals, English writing the
    reverse. The rule, as the trainers' guide documents it:

    - a comma alone is the decimal separator ('37,5'), and so is a dot alone followed by
      anything but exactly three digits ('3.5', '2.75');
    - with both, the last one is the decimal separator ('1.500,25' and '1,500.25');
    - a single kind of separator followed by groups of exactly three digits ('1.250',
      '1,250', '1.500.000') may mean either, so both readings are offered, and the answer
      counts as right when either is within the tolerance.

    A trailing '%' (or 'persen') and the question's unit are ignored (``strip_unit``).
    An answer with any other text is no number: it reads as nothing.
    """
    text = "".join(strip_unit(text, unit).split())
    if not _NUMBER.match(text):
        return []
    sign = -1.0 if text.startswith("-") else 1.0
    digits = text.lstrip("+-")
    readings = []
    if "," in digits and "." in digits:
        # 1.500,25 (Indonesian) or 1,500.25 (English): the last separator is the decimal one.
        decimal = "," if digits.rfind(",") > digits.rfind(".") else "."
        group = "." if decimal == "," else ","
        readings.append(digits.replace(group, "").replace(decimal, "."))
    elif digits.count(",") == 1:
        readings.append(digits.replace(",", "."))
    elif digits.count(".") == 1:
        readings.append(digits)
    separators = {ch for ch in digits if ch in ".,"}
    if len(separators) == 1 and all(len(part) == 3 for part in re.split(r"[.,]", digits)[1:]):
        readings.append(re.sub(r"[.,]", "", digits))  # 1.500 or 1.500.000 grouped by thousands
    if not separators:
        readings.append(digits)
    values = []
    for reading in readings:
        try:
            value = sign * float(reading)
        except ValueError:
            continue
        if math.isfinite(value):
            values.append(value)
    return values


@scorer("numeric")
def score_numeric(question: dict, response: Any) -> float:
    value, tolerance = question["correct"]
    # A small epsilon so that 3.14 +- 0.01 accepts 3.15 despite binary floating point.
    limit = float(tolerance) + 1e-9 * max(1.0, abs(float(value)))
    readings = read_numbers(response, question.get("unit"))
    return 1.0 if any(abs(given - float(value)) <= limit for given in readings) else 0.0


@scorer("ordering")
def score_ordering(question: dict, response: Any) -> float:
    return 1.0 if list(response) == list(question["correct"]) else 0.0


@scorer("matching")
def score_matching(question: dict, response: Any) -> float:
    pairs = question["correct"]
    right = sum(1 for row, pick in enumerate(response) if row < len(pairs) and pick == pairs[row])
    return right / len(pairs) if pairs else 0.0


def blank_is_right(question: dict, blank: int, given: str) -> bool:
    """Whether the text typed into one blank of a fill-in-the-blank question is accepted."""
    if not given:
        return False
    if question["kinds"][blank] == "number":
        value, tolerance = question["correct"][blank]
        return score_numeric({"correct": [value, tolerance]}, given) == 1.0
    return score_short({"correct": question["correct"][blank]}, given) == 1.0


@scorer("cloze")
def score_cloze(question: dict, response: Any) -> float:
    blanks = len(question["correct"])
    right = sum(1 for blank, given in enumerate(response[:blanks]) if blank_is_right(question, blank, given))
    return right / blanks if blanks else 0.0
