"""The web's security rules in one place: response headers, id ranges, idle sessions, body size.

- Every response gets a Content-Security-Policy without inline script or style, and cannot
  be framed; HTML is never cached (it shows names, NIPs and answers), HSTS over HTTPS.
- Ids in URLs are converted by ``IdConverter``: anything a database integer cannot hold is
  a 404, never a crash. Whole numbers in query strings are read by ``int_arg``: one that is
  missing, tampered with or out of bounds is None (ignored), never a crash.
- A login idle for ``IDLE_MINUTES`` ends; the next page asks to log in again (quiz answers
  posted then are kept, see quiz/recovery.py).
- Request bodies are capped by ``MAX_CONTENT_LENGTH`` (64 KB); a view marked
  ``@accepts_upload`` (the staff import) may take ``MAX_UPLOAD_BYTES``. The limit is set
  before CSRF protection reads the form, so an oversized body is a 413, never a 400.
- Templates take a form's CSRF token from ``csrf_token``: Flask-WTF's, signed once per session
  token and worker rather than on every page (the logout form is on every page).
"""

from __future__ import annotations

import time

from flask import Flask, current_app, flash, request, session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_login import logout_user
from flask_wtf.csrf import generate_csrf
from itsdangerous import BadSignature
from werkzeug.routing import IntegerConverter

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
MAX_ID = 2**31 - 1  # PostgreSQL's integer; SQLite holds more, but an id above this never exists
# Every response's headers (a view may set its own instead): (lower-case name, name, value)
HEADERS = tuple(
    (name.lower(), name, value)
    for name, value in (
        ("Content-Security-Policy", CSP),
        ("X-Frame-Options", "DENY"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"),
    )
)
SEEN_KEY = "_seen"
SEEN_EVERY = 300  # seconds: how often the last-activity time is written into the cookie (not every request)


def int_arg(name: str, low: int = 1, high: int = MAX_ID) -> int | None:
    """Return the query argument ``name`` as a whole number in ``low``..``high``, else None."""
    raw = request.args.get(name, "")
    # isdecimal, not isdigit: int() refuses a digit such as '²'; ten digits keep int() cheap
    if not raw.isdecimal() or len(raw) > 10:
        return None
    value = int(raw)
    return value if low <= value <= high else None


def accepts_upload(view):
    """Mark a view whose requests may carry a file up to ``MAX_UPLOAD_BYTES``."""
    view.accepts_upload = True
    return view


class IdConverter(IntegerConverter):
    """``<id:name>``: a positive integer a database id column can hold (else: no route, 404)."""

    def __init__(self, map, *args, **kwargs) -> None:
        super().__init__(map, min=1, max=MAX_ID)


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, with a cookie's signature checked once per worker.

    A browser sends the same cookie on every page until the session changes (every few minutes:
    ``SEEN_EVERY``), and checking its signature (a key derivation, an HMAC, base64 and JSON)
    cost about 25 us of every page. A cookie whose signature was good under this secret key is
    remembered with what it holds and when it was signed, so its age is still checked on every
    request: expiry works as before. A cookie never seen, or signed with another key, is checked
    in full, and a bad one is never remembered.
    """

    VERIFIED = 4096  # per worker: cookies of the sessions seen lately

    def __init__(self) -> None:
        self._serializers: dict[tuple, object] = {}
        self._verified: dict[tuple, tuple[dict, float]] = {}

    def get_signing_serializer(self, app: Flask):
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        serializer = self._serializers.get(keys)
        if serializer is None:
            serializer = self._serializers[keys] = super().get_signing_serializer(app)
        return serializer

    def open_session(self, app: Flask, request) -> SecureCookieSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = app.permanent_session_lifetime.total_seconds()
        key = (app.secret_key, value)
        found = self._verified.get(key)
        if found is None:
            try:
                data, signed = serializer.loads(value, max_age=int(max_age), return_timestamp=True)
            except BadSignature:  # a forged, tampered or expired cookie: a new, empty session
                return self.session_class()
            if len(self._verified) >= self.VERIFIED:
                self._verified.clear()
            found = self._verified[key] = (data, signed.timestamp())
        data, signed_at = found
        if time.time() - signed_at > max_age:  # as itsdangerous's own check
            return self.session_class()
        return self.session_class(_copied(data))  # the page may change it (a flash message)


def _copied(value):
    """A copy of a session's value for one request: its dicts and lists (a flash message is
    appended to one) copied all the way down; the rest the session's JSON holds (strings,
    numbers, bytes, Markup, dates, UUIDs) cannot change. A quarter of ``copy.deepcopy``'s 2 us."""
    kind = type(value)
    if kind is dict:
        return {key: _copied(item) for key, item in value.items()}
    if kind is list:
        return [_copied(item) for item in value]
    if kind is tuple:
        return tuple(_copied(item) for item in value)
    return value


def init_app(app: Flask) -> None:
    app.url_map.converters["id"] = IdConverter
    app.session_interface = SessionInterface()

    @app.after_request
    def security_headers(response):
        """``HEADERS`` (and HSTS over HTTPS, ``no-store`` on pages), each unless the view set its
        own, added in one pass over the response's headers rather than one search per header."""
        headers = response.headers
        present = {name.lower() for name, _ in headers}
        added = [(name, value) for lower, name, value in HEADERS if lower not in present]
        if request.is_secure and "strict-transport-security" not in present:
            added.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
        if request.endpoint != "static" and "cache-control" not in present:
            added.append(("Cache-Control", "no-store"))
        headers.extend(added)
        return response

    @app.before_request
    def upload_limit():
        view = app.view_functions.get(request.endpoint or "")
        if getattr(view, "accepts_upload", False):
            request.max_content_length = app.config["MAX_UPLOAD_BYTES"]

    @app.before_request
    def end_idle_session():
        if request.endpoint == "static" or "_user_id" not in session:
            return None
        now = int(time.time())
        seen = session.get(SEEN_KEY)
        if isinstance(seen, int) and now - seen > app.config["IDLE_MINUTES"] * 60:
            logout_user()
            session.pop(SEEN_KEY, None)
            flash("Sesi Anda berakhir karena lama tidak aktif. Silakan masuk lagi.", "info")
            return None  # the page itself then asks to log in (quiz answers are kept)
        if not isinstance(seen, int) or now - seen >= SEEN_EVERY:
            session[SEEN_KEY] = now
        return None


SIGNED_TOKENS = 10_000  # per worker: one per session seen lately
_signed_tokens: dict[tuple[str, str], str] = {}


def csrf_token() -> str:
    """Flask-WTF's CSRF token for this session, signed once per worker.

    With ``WTF_CSRF_TIME_LIMIT = None`` a token never expires, so the token signed for a
    session's secret is as good on the next page as on this one; signing it again on every page
    (a key derivation, two HMACs, zlib) cost about 25 us of every page. With a time limit set,
    each page signs afresh, as Flask-WTF does.
    """
    if current_app.config["WTF_CSRF_TIME_LIMIT"] is not None:
        return generate_csrf()
    field = current_app.config["WTF_CSRF_FIELD_NAME"]
    key = (current_app.secret_key, session.get(field))
    token = _signed_tokens.get(key)
    if token is None:
        token = generate_csrf()  # makes the session's secret if it has none yet
        if len(_signed_tokens) >= SIGNED_TOKENS:
            _signed_tokens.clear()
        _signed_tokens[(current_app.secret_key, session[field])] = token
    return token
