"""Answers that arrive when the session is gone are kept, not thrown away.

A quiz form posted after the login expired fails the CSRF check or the login check. Its
answers go into the (signed) session cookie, and once the learner has logged in again
the attempt page saves them. They are applied only to the attempt whose secret token the
form carried, so a forged form from another site cannot plant answers.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import jsonify, redirect, request, session, url_for

from ..models import Attempt
from .forms import TOKEN_FIELD, Submission, is_quiz_field, read_submission

PENDING = "pending_answers"
QUIZ_POSTS = {"quiz.submit", "quiz.autosave"}
MAX_VALUE = 500


MAX_STASH = 3000  # characters of answers kept; a cookie holds about 4 KB in all


def is_quiz_post() -> bool:
    """A quiz form posted from this site (another site's forged post is not kept)."""
    return request.method == "POST" and request.endpoint in QUIZ_POSTS and _same_origin()


def _same_origin() -> bool:
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    origin = request.headers.get("Origin") or request.headers.get("Referer")
    if origin is None:
        return True  # old browsers and tests send neither; the attempt token still guards
    return urlsplit(origin).netloc == request.host


def keep_posted_answers():
    """Stash the posted answers in the session; return the response for the browser."""
    attempt_id = (request.view_args or {}).get("attempt_id")
    fields, size = [], 0
    for key, value in request.form.items(multi=True):
        if is_quiz_field(key):
            value = value[:MAX_VALUE]
            size += len(key) + len(value) + 8
            if size > MAX_STASH:
                break
            fields.append((key, value))
    session[PENDING] = {"attempt": attempt_id, "token": request.form.get(TOKEN_FIELD, ""), "fields": fields}
    target = url_for("quiz.take", attempt_id=attempt_id)
    if request.endpoint == "quiz.autosave":
        return jsonify(error="Sesi Anda telah berakhir. Masuk lagi untuk melanjutkan.", login=True), 401
    return redirect(url_for("auth.login", next=target))


def take_pending_answers(attempt: Attempt) -> Submission | None:
    """Pop the stashed answers if they belong to this attempt; None otherwise."""
    pending = session.get(PENDING)
    if not pending or pending.get("attempt") != attempt.id:
        return None
    session.pop(PENDING, None)
    if pending.get("token") != attempt.token:
        return None
    return read_submission((str(name), str(value)) for name, value in pending.get("fields", []))
