"""Helpers that fill in quiz forms the way a browser would."""

from __future__ import annotations

import re

from elearn.extensions import db
from elearn.models import Attempt
from tests.conftest import csrf_token, post

ATTEMPT_URL = re.compile(r"/kuis/(\d+)$")


def form_for(attempt: Attempt, right: bool = True) -> dict[str, list[str] | str]:
    """Return quiz form fields answering every question right (or every one wrong)."""
    data: dict[str, list[str] | str] = {
        "attempt_token": attempt.token,
        "q": [str(i) for i in range(len(attempt.questions))],
    }
    for i, q in enumerate(attempt.questions):
        kind, correct = q["type"], q["correct"]
        if kind == "single":
            data[f"a{i}"] = str(correct[0] if right else next(x for x in range(len(q["options"])) if x not in correct))
        elif kind == "multiple":
            wrong = [x for x in range(len(q["options"])) if x not in correct]
            data[f"a{i}"] = [str(x) for x in (correct if right else wrong)]
        elif kind == "short":
            data[f"a{i}"] = correct[0] if right else "jawaban keliru"
        elif kind == "numeric":
            data[f"a{i}"] = str(correct[0]).replace(".", ",") if right else "-999"
        elif kind == "ordering":
            ranks = correct if right else list(reversed(correct))
            for item, rank in enumerate(ranks):
                data[f"a{i}-{item}"] = str(rank)
    return data


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
