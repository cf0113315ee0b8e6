"""The registry is the only place a question type has to be known: a toy type, registered in
this test alone (its class, template and parse rule here), is written in a course file,
started, autosaved, submitted and reviewed without any other file knowing it."""

from __future__ import annotations

import re
import shutil

import pytest
from jinja2 import ChoiceLoader, DictLoader

from elearn.quiz import types
from elearn.quiz.types.base import Parsed, QuestionType
from tests.conftest import FIXTURES, csrf_token, login
from tests.factories import make_user
from tests.quiz_helpers import start

ANSWER = re.compile(r"^~\s+(.*\S)\s*$")
TEMPLATE = """
{% macro take(q, i, saved, number) %}
<div class="prose question-text">{{ q.prompt_html|safe }}</div>
<label for="{{ quiz_field(i) }}">Jawaban mainan</label>
<input class="text" id="{{ quiz_field(i) }}" name="{{ quiz_field(i) }}" value="{{ saved or '' }}">
{% endmacro %}
{% macro review(q, item, reveal) %}
<p>Mainan dijawab: {{ item.response }}{% if reveal.key %}; kunci: {{ q.correct[0] }}{% endif %}</p>
{% endmacro %}
{% macro key(q) %}<p>Kunci mainan: {{ q.correct[0] }}</p>{% endmacro %}
"""
TOY_LESSON = """---
title: Mainan
shuffle: false
review: immediately
---

Teks.

## Kuis

### Kata sandi mainan? {#q-mainan points=2}
~ kenari

> Kata sandinya burung.
"""


class Toy(QuestionType):
    """Answered with one word, case ignored; written as a '~ answer' line."""

    name = "toy"
    label = "mainan"
    answer_start = ANSWER

    def parse(self, block):
        words = [ANSWER.match(raw).group(1) for _, raw in block.answers if ANSWER.match(raw)]
        return Parsed(correct=tuple(words[:1]))

    def read_response(self, shown, parts):
        values = parts.get("", [])
        return values[0].strip().casefold()[:50] if values else ""

    def score(self, shown, response):
        return 1.0 if response == shown.correct[0].casefold() else 0.0


@pytest.fixture
def toy_app(app_factory, tmp_path):
    types.register(Toy)
    courses = tmp_path / "courses"
    shutil.copytree(FIXTURES / "courses" / "types", courses)
    (courses / "jenis-soal" / "02-mainan.md").write_text(TOY_LESSON)
    try:
        app = app_factory(COURSES_DIR=str(courses))
        app.jinja_env.loader = ChoiceLoader([DictLoader({"quiz/types/toy.html": TEMPLATE}), app.jinja_env.loader])
        with app.app_context():
            yield app
    finally:
        types.unregister("toy")


def test_a_type_registered_in_a_test_alone_goes_from_file_to_review(toy_app):
    client = toy_app.test_client()
    login(client, make_user().nip)
    attempt = start(client, "/kursus/jenis-soal/mainan/kuis")
    assert attempt.questions[0].type == "toy"
    html = client.get(f"/kuis/{attempt.id}").get_data(as_text=True)
    assert "Jawaban mainan" in html and "kenari" not in html
    token = {"csrf_token": csrf_token(client), "attempt_token": attempt.token}
    saved = client.post(f"/kuis/{attempt.id}/simpan", data={**token, "q": "0", "a0": "KENARI"})
    assert saved.status_code == 200
    assert 'value="kenari"' in client.get(f"/kuis/{attempt.id}").get_data(as_text=True)
    client.post(f"/kuis/{attempt.id}/kirim", data=token)  # a form showing no question: grades what was saved
    review = client.get(f"/kuis/{attempt.id}/hasil").get_data(as_text=True)
    assert "Nilai Anda: 100" in review and "Mainan dijawab: kenari; kunci: kenari" in review
    assert "Kata sandinya burung." in review

    trainer = toy_app.test_client()  # and its trainers check it in the preview, with its key
    login(trainer, make_user(role="trainer", name="Pelatih").nip)
    preview = trainer.get("/pelatih/jenis-soal/pelajaran/mainan").get_data(as_text=True)
    assert "Kunci mainan: kenari" in preview and "Jawaban mainan" in preview and "mainan · 2 poin" in preview
