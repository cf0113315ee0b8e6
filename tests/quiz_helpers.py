"""Helpers that fill in quiz forms the way a browser would."""

from __future__ import annotations

import re

from elearn.extensions import db
from elearn.models import Attempt
from elearn.quiz.forms import SHOWN_FIELD, TOKEN_FIELD, field_name
from tests.conftest import csrf_token, post

ATTEMPT_URL = re.compile(r"/kuis/(\d+)$")


def form_for(attempt: Attempt, right: bool = True) -> dict[str, list[str] | str]:
    """Return quiz form fields answering every question right (or every one wrong)."""
    data: dict[str, list[str] | str] = {
        TOKEN_FIELD: attempt.token,
        SHOWN_FIELD: [str(i) for i in range(len(attempt.questions))],
    }
    for i, q in enumerate(attempt.questions):
        data.update(answer_fields(i, q, right))
    return data


def answer_fields(i: int, q, right: bool) -> dict[str, list[str] | str]:
    """Return the fields answering shown question ``q`` at position ``i`` right (or wrong)."""
    kind, correct = q.type, q.correct
    if kind == "single":
        return {field_name(i): str(correct[0] if right else next(x for x in range(len(q.options)) if x not in correct))}
    if kind == "multiple":
        wrong = [x for x in range(len(q.options)) if x not in correct]
        return {field_name(i): [str(x) for x in (correct if right else wrong)]}
    if kind == "short":
        return {field_name(i): correct[0] if right else "jawaban keliru"}
    if kind == "numeric":
        return {field_name(i): str(correct[0]).replace(".", ",") if right else "-999"}
    if kind == "ordering":
        ranks = correct if right else list(reversed(correct))
        return {field_name(i, item): str(rank) for item, rank in enumerate(ranks)}
    if kind == "matching":
        count = len(q.extra["choices_html"])
        picks = correct if right else [(c + 1) % count for c in correct]
        return {field_name(i, row): str(pick) for row, pick in enumerate(picks)}
    if kind == "cloze":
        kinds = q.extra["kinds"]
        typed = [str(c[0]).replace(".", ",") if k == "number" else c[0] for c, k in zip(correct, kinds, strict=True)]
        return {field_name(i, blank): (text if right else "keliru") for blank, text in enumerate(typed)}
    raise AssertionError(f"no helper for question type {kind}")


def start(client, url: str) -> Attempt:
    """Press the start button of a quiz landing page; return the attempt it opened."""
    response = post(client, url + "/mulai", page=url)
    assert response.status_code == 302, response.get_data(as_text=True)
    match = ATTEMPT_URL.search(response.headers["Location"])
    assert match, response.headers["Location"]
    return db.session.get(Attempt, int(match.group(1)))


def submit(client, attempt: Attempt, right: bool = True, **extra):
    data = {**form_for(attempt, right), "csrf_token": csrf_token(client, "/akun/kata-sandi"), **extra}
    return client.post(f"/kuis/{attempt.id}/kirim", data=data)
