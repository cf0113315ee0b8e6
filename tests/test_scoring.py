"""Scoring every question type, pure functions over snapshot questions."""

from __future__ import annotations

import pytest

from elearn.quiz.scoring import SCORERS, read_numbers, score
from elearn.quiz.snapshot import ShownQuestion
from elearn.quiz.types import question_type, registered


def q(kind: str, correct, options=(), points=1) -> dict:
    return {"type": kind, "correct": list(correct), "options": list(options), "points": points}


def shown(question: dict) -> ShownQuestion:
    return ShownQuestion.from_json({"id": "x", "prompt_html": "", **question})


def read_response(question: dict, values: list[str]):
    """Read form values as the question's type does (an ordering question sends one per shown item)."""
    if question["type"] == "ordering":
        parts = {str(item): [value] for item, value in enumerate(values)}
    else:
        parts = {"": values}
    return question_type(question["type"]).read_response(shown(question), parts)


def is_answered(question: dict, response) -> bool:
    return question_type(question["type"]).is_answered(shown(question), response)


SINGLE = q("single", [2], ["a", "b", "c"])
MULTI = q("multiple", [0, 2], ["a", "b", "c", "d"], points=2)
SHORT = q("short", ["Aparatur Sipil Negara", "ASN"])
NUMERIC = q("numeric", [3.5, 0])
TOLERANT = q("numeric", [42, 2])
ORDER = q("ordering", [3, 1, 2], ["c", "a", "b"], points=2)


def test_every_question_type_has_a_scorer():
    assert set(SCORERS) == {"single", "multiple", "short", "numeric", "ordering", "matching", "cloze"}
    assert set(SCORERS) == {t.name for t in registered()}


@pytest.mark.parametrize(("response", "points"), [(2, 1), (0, 0), (None, 0)])
def test_single_choice_is_all_or_nothing(response, points):
    assert score(SINGLE, response).points == points


@pytest.mark.parametrize(
    ("response", "points", "correct"),
    [
        ([0, 2], 2, True),
        ([0], 1, False),  # 1 right of 2: half
        ([0, 1], 0, False),  # 1 right, 1 wrong: (1-1)/2
        ([0, 2, 1], 1, False),  # (2-1)/2
        ([1, 3], 0, False),  # never below zero
        ([], 0, False),
    ],
)
def test_multiple_choice_partial_credit(response, points, correct):
    result = score(MULTI, response)
    assert result.points == points and result.correct is correct and result.max_points == 2


@pytest.mark.parametrize(
    ("response", "right"),
    [
        ("aparatur sipil negara", True),
        ("  Aparatur   Sipil  Negara ", True),
        ("asn", True),
        ("ASN.", False),
        ("", False),
        ("Aparatur Negara", False),
    ],
)
def test_short_answer_ignores_case_and_spacing(response, right):
    assert score(SHORT, response).correct is right


@pytest.mark.parametrize(
    ("response", "right"),
    [("3,5", True), ("3.5", True), (" 3,50 ", True), ("3", False), ("tiga", False), ("", False), ("3,5,1", False)],
)
def test_numeric_accepts_the_decimal_comma(response, right):
    assert score(NUMERIC, response).correct is right


@pytest.mark.parametrize(
    ("response", "right"), [("40", True), ("44", True), ("44,0", True), ("44.1", False), ("39", False)]
)
def test_numeric_tolerance(response, right):
    assert score(TOLERANT, response).correct is right


def test_numeric_reads_thousands_the_indonesian_way():
    assert 1500 in read_numbers("1.500") and 1.5 in read_numbers("1.500")
    assert read_numbers("1.500.000") == [1500000]
    assert read_numbers("1.500,5") == [1500.5]
    assert read_numbers("-2,5") == [-2.5]
    assert read_numbers("1e5") == [] and read_numbers("nan") == []
    assert score(q("numeric", [1500, 0]), "1.500").correct


def test_ordering_needs_the_whole_order():
    assert score(ORDER, [3, 1, 2]).points == 2
    assert score(ORDER, [1, 3, 2]).points == 0
    assert score(ORDER, [3, 1, None]).points == 0
    assert score(ORDER, [3, 3, 2]).points == 0


def test_reading_responses_drops_tampered_values():
    assert read_response(SINGLE, ["1"]) == 1
    assert read_response(SINGLE, ["7"]) is None  # option index out of range
    assert read_response(SINGLE, ["-1"]) is None
    assert read_response(SINGLE, ["abc"]) is None
    assert read_response(SINGLE, ["0", "1"]) is None  # a radio cannot send two
    assert read_response(MULTI, ["0", "2", "2", "9", "x"]) == [0, 2]
    assert read_response(SHORT, ["  ASN  "]) == "ASN"
    assert len(read_response(SHORT, ["x" * 5000])) == 500
    assert read_response(ORDER, ["2", "1", "3"]) == [2, 1, 3]
    assert read_response(ORDER, ["2", "9", ""]) == [2, None, None]
    assert read_response(ORDER, ["1", "2"]) is None  # wrong number of items
    assert read_response(ORDER, ["", "", ""]) is None


def test_answered_means_something_was_given():
    assert not is_answered(SINGLE, None) and is_answered(SINGLE, 0)
    assert not is_answered(MULTI, []) and not is_answered(SHORT, "")
    assert not is_answered(ORDER, [1, None, 2]) and is_answered(ORDER, [1, 3, 2])


@pytest.mark.parametrize(
    ("typed", "unit", "readings"),
    [
        ("25%", None, [25.0]),
        ("25 %", None, [25.0]),
        ("25 persen", None, [25.0]),
        ("37,5 jam", "jam", [37.5]),
        ("37,5 Jam", "jam", [37.5]),
        ("37,5jam", "jam", [37.5]),
        ("10 hari kerja", "hari kerja", [10.0]),
        ("12,5%", "%", [12.5]),
        ("37,5 menit", "jam", []),  # another unit is no number: not silently read as 37,5
        ("25% jam", "jam", []),
        ("jam", "jam", []),
        ("%", None, []),
        ("dua puluh", None, []),
    ],
)
def test_numeric_answers_may_carry_a_percent_sign_or_the_questions_unit(typed, unit, readings):
    assert read_numbers(typed, unit) == readings


@pytest.mark.parametrize(
    ("typed", "answer", "right"),
    [
        # The documented rule: one kind of separator followed by groups of exactly three
        # digits is read both ways, and counts when either reading is within the tolerance.
        ("1.250", [1.25, 0], True),
        ("1.250", [1250, 0], True),
        ("1,250", [1.25, 0], True),
        ("1,250", [1250, 0], True),
        ("1.25", [1250, 0], False),  # two digits after the dot: only a decimal reading
        ("1.2500", [1250, 0], False),
        ("1.250,5", [1250.5, 0], True),  # both separators: the last one is the decimal one
        ("1,250.5", [1250.5, 0], True),
        ("1.250,5", [1.2505, 0], False),
    ],
)
def test_ambiguous_separators_follow_the_documented_rule(typed, answer, right):
    question = {"type": "numeric", "points": 1, "correct": answer}
    assert score(question, typed).correct is right


def test_a_numeric_question_with_a_unit_scores_the_number_with_or_without_it():
    question = {"type": "numeric", "points": 1, "correct": [37.5, 0], "unit": "jam"}
    assert score(question, "37,5").correct and score(question, "37,5 jam").correct
    assert not score(question, "37,5 menit").correct
