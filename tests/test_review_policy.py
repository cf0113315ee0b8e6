"""What a lesson quiz's review shows after a failed, a passed and a last attempt, per review policy."""

from __future__ import annotations

import re

import pytest

from tests.conftest import login
from tests.factories import make_user
from tests.quiz_helpers import start, submit

QUIZ = "/kursus/layanan-dasar/prioritas/kuis"
KEY = ["Matriks Eisenhower memetakan tugas", "(kunci)", "A.S.N.", "Urutan yang benar", "Pembahasan per soal"]
FEEDBACK = ["Jam lembur dicatat bagian kepegawaian.", "Daftar tugas justru membantu."]


def review_html(client, attempt) -> str:
    return client.get(f"/kuis/{attempt.id}/hasil").get_data(as_text=True)


def shows_key(html: str) -> bool:
    return any(secret in html for secret in KEY)


def with_policy(courses, policy: str | None) -> None:
    path = courses / "layanan-dasar" / "02-prioritas.md"
    text = re.sub(r"\nreview: .*", "", path.read_text())
    if policy:
        text = text.replace("shuffle: false\n", f"shuffle: false\nreview: {policy}\n")
    path.write_text(text)


@pytest.fixture
def learner(editable_courses):
    app, courses = editable_courses
    client = app.test_client()
    login(client, make_user().nip)
    return client, courses


def test_after_a_failed_attempt_marks_and_feedback_but_no_key(learner):
    client, _ = learner
    failed = start(client, QUIZ)
    submit(client, failed, right=False)
    html = review_html(client, failed)
    assert "Salah" in html and all(feedback in html for feedback in FEEDBACK)
    assert not shows_key(html)
    assert "Kunci jawaban dan pembahasan tampil setelah Anda lulus kuis ini" in html


def test_once_passed_every_review_of_the_quiz_shows_the_key(learner):
    client, _ = learner
    failed = start(client, QUIZ)
    submit(client, failed, right=False)
    passed = start(client, QUIZ)
    submit(client, passed)
    assert shows_key(review_html(client, passed))
    assert shows_key(review_html(client, failed))  # the earlier failure too, now that it is passed


def test_the_last_allowed_attempt_shows_the_key_even_when_failed(learner):
    client, _ = learner  # the quiz allows 3 attempts
    for number in range(1, 4):
        attempt = start(client, QUIZ)
        submit(client, attempt, right=False)
        assert shows_key(review_html(client, attempt)) is (number == 3)


def test_immediately_shows_the_key_after_a_failure(learner):
    client, courses = learner
    with_policy(courses, "immediately")
    failed = start(client, QUIZ)
    submit(client, failed, right=False)
    assert shows_key(review_html(client, failed))


def test_never_keeps_the_key_even_after_a_pass(learner):
    client, courses = learner
    with_policy(courses, "never")
    passed = start(client, QUIZ)
    submit(client, passed)
    html = review_html(client, passed)
    assert "Benar" in html and not shows_key(html)
    assert "Kunci jawaban kuis ini tidak ditampilkan" in html


def test_the_quiz_page_never_shows_the_key_before_submission_under_any_policy(learner):
    client, courses = learner
    for policy in ("immediately", "after-pass", "never"):
        with_policy(courses, policy)
        attempt = start(client, QUIZ)
        html = client.get(f"/kuis/{attempt.id}").get_data(as_text=True)
        assert not shows_key(html) and not any(feedback in html for feedback in FEEDBACK)
        submit(client, attempt)
