"""What an attacker's probe found, each fixed: ids, headers, cookies, idle sessions, passwords,
login lockout, assets, remote images, body size, a stale token on autosave."""

from __future__ import annotations

import re
import time

import pytest
from flask import request
from sqlalchemy import text

from elearn import create_app
from elearn.catalog import load_catalog
from elearn.config import PROJECT_ROOT
from elearn.extensions import db
from elearn.security import HEADERS, SEEN_KEY, int_arg
from tests.conftest import csrf_token, login, post
from tests.factories import PASSWORD, make_user
from tests.quiz_helpers import start

QUIZ = "/kursus/layanan-dasar/prioritas/kuis"
TOO_BIG = ("2147483648", "9223372036854775808", "99999999999999999999999", "0")


# --- 1. ids the database cannot hold ---------------------------------------------------------------


@pytest.mark.parametrize("attempt_id", TOO_BIG)
def test_attempt_ids_out_of_the_databases_range_are_404(client, login_as, attempt_id):
    login_as()
    for method, path in (("get", ""), ("get", "/hasil"), ("post", "/simpan"), ("post", "/kirim")):
        response = getattr(client, method)(f"/kuis/{attempt_id}{path}")
        assert response.status_code == 404, (method, path, response.status_code)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("hal=7", 7),
        ("hal=100000", 100_000),
        ("", None),
        ("hal=", None),
        ("hal=abc", None),
        ("hal=0", None),
        ("hal=-1", None),
        ("hal=+7", None),
        ("hal=%207", None),
        ("hal=%C2%B2", None),  # '²' is a digit to str.isdigit, but not to int()
        ("hal=100001", None),
        ("hal=" + "9" * 5000, None),
    ],
)
def test_a_tampered_or_out_of_bounds_number_in_a_query_string_is_none_never_a_crash(app, query, expected):
    with app.test_request_context(f"/?{query}"):
        assert int_arg("hal", high=100_000) == expected


# --- 3. headers and cookies --------------------------------------------------------------------------


def test_every_page_gets_the_security_headers_and_no_caching(client, login_as):
    login_as()
    for url in ("/masuk", "/", "/kursus/layanan-dasar/pengantar", "/tidak-ada"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["Cache-Control"] == "no-store", url
        assert "Strict-Transport-Security" not in headers  # plain HTTP here
        assert headers["Permissions-Policy"].startswith("camera=()")
        for name in (*(name for _, name, _ in HEADERS), "Cache-Control"):
            assert len(headers.getlist(name)) == 1, (url, name)


def test_course_assets_are_private_and_https_gets_hsts(client, login_as):
    login_as()
    asset = client.get("/kursus/layanan-dasar/assets/bagan.svg")
    assert "private" in asset.headers["Cache-Control"] and asset.headers["Content-Security-Policy"].startswith(
        "sandbox"
    )
    assert len(asset.headers.getlist("Content-Security-Policy")) == 1  # the asset's own, not the pages' as well
    assert len(asset.headers.getlist("Cache-Control")) == 1
    secure = client.get("/masuk", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_no_template_carries_inline_script_or_style():
    for path in (PROJECT_ROOT / "templates").rglob("*.html"):
        source = path.read_text(encoding="utf-8")
        assert "style=" not in source and "<style" not in source, path
        assert "<script>" not in source and " onclick=" not in source, path


def test_cookies_are_secure_outside_development(tmp_path, monkeypatch):
    """Outside development (make run) session cookies are HTTPS-only, HttpOnly and SameSite=Lax."""
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    monkeypatch.delenv("ELEARN_ENV", raising=False)
    production = create_app({"INSTANCE_PATH": str(tmp_path / "p"), "SECRET_KEY": "x"})
    assert production.config["SESSION_COOKIE_SECURE"] is True
    assert (
        production.config["SESSION_COOKIE_HTTPONLY"] is True and production.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    )
    monkeypatch.setenv("ELEARN_ENV", "development")
    development = create_app({"INSTANCE_PATH": str(tmp_path / "d"), "SECRET_KEY": "x"})
    assert development.config["SESSION_COOKIE_SECURE"] is False


def test_an_idle_session_ends(client, login_as):
    login_as()
    assert client.get("/").status_code == 200
    with client.session_transaction() as session:
        session[SEEN_KEY] = int(time.time()) - 61 * 60
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/masuk")
    assert "lama tidak aktif" in client.get("/masuk").get_data(as_text=True)


# --- 4. passwords --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("password", "terlalu umum"),
        ("12345678", "terlalu umum"),
        ("11111111", "terlalu mudah ditebak"),
        ("aaaaaaaa", "terlalu mudah ditebak"),
        ("qwertyui", "terlalu umum"),
        ("sleman123", "terlalu umum"),
        ("Bismillah2026!", "terlalu umum"),
        ("abcdefghij", "urutan tombol atau huruf"),
        ("01011990aa", "tanggal lahir"),
        ("rina astuti", "nama Anda"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(client, login_as, new, message):
    user = login_as(nip="199001012015011001")
    data = {"current": PASSWORD, "new": new, "confirm": new}
    html = post(client, "/akun/kata-sandi", data).get_data(as_text=True)
    assert message in html
    db.session.refresh(user)
    assert user.check_password(PASSWORD)


def test_the_nip_is_refused_and_a_passphrase_accepted(client, login_as):
    user = login_as()
    html = post(client, "/akun/kata-sandi", {"current": PASSWORD, "new": user.nip, "confirm": user.nip})
    assert "NIP" in html.get_data(as_text=True)
    good = "kopi tubruk di pagi hari"
    response = post(client, "/akun/kata-sandi", {"current": PASSWORD, "new": good, "confirm": good})
    assert response.status_code == 302


@pytest.fixture
def app_config():
    return {"PASSWORD_RATE_LIMIT": "3 per 15 minutes", "LOGIN_RATE_LIMIT": "5 per minute"}


def test_wrong_current_passwords_are_rate_limited(client, login_as):
    login_as()
    wrong = {"current": "bukan-sandinya", "new": "kopi tubruk pagi", "confirm": "kopi tubruk pagi"}
    codes = [post(client, "/akun/kata-sandi", wrong).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_limits_are_checked_by_the_views_that_carry_them_not_before_every_request(app, client):
    """The limiter's hook before every request is taken out (no app-wide limits): the
    certificate check's own limit still answers 429 after 60 lookups a minute."""
    from elearn.extensions import limiter

    hooks = app.before_request_funcs.get(None, [])
    assert not [h for h in hooks if getattr(h, "__func__", None) is type(limiter)._check_request_limit]
    codes = [client.get("/verifikasi?nomor=X&kode=Y").status_code for _ in range(61)]
    assert codes[:60] == [200] * 60 and codes[60] == 429


# --- 2. a lockout an attacker cannot turn against the owner -----------------------------------------------


def test_an_attackers_failures_lock_the_attacker_out_not_the_owner_on_their_browser(app, client):
    owner = make_user()
    assert login(client, owner.nip).status_code == 302  # the owner's usual browser
    client.post("/keluar", data={"csrf_token": csrf_token(client, "/")})
    attacker = app.test_client()
    codes = [login(attacker, owner.nip, "tebakan-salah").status_code for _ in range(6)]
    assert codes[:5] == [200] * 5 and codes[5] == 429
    assert login(attacker, owner.nip).status_code == 429  # the right password does not help the attacker
    assert login(client, owner.nip).status_code == 302  # the owner's browser still logs in


def test_a_forged_device_cookie_is_ignored(app, client):
    owner = make_user()
    client.set_cookie("perangkat", "palsu.tanda")
    codes = [login(client, owner.nip, "tebakan-salah").status_code for _ in range(6)]
    assert codes[5] == 429


# --- 5. course assets and remote images -------------------------------------------------------------------


def test_asset_symlinks_out_of_assets_are_not_served(editable_courses):
    app, courses = editable_courses
    assets = courses / "layanan-dasar" / "assets"
    (assets / "kunci.md").symlink_to(courses / "layanan-dasar" / "exam.md")
    (assets / "dalam.svg").symlink_to(assets / "bagan.svg")
    client = app.test_client()
    login(client, make_user().nip)
    assert client.get("/kursus/layanan-dasar/assets/kunci.md").status_code == 404
    assert client.get("/kursus/layanan-dasar/assets/dalam.svg").status_code == 200  # inside assets/: fine


def test_remote_images_are_a_checker_error_and_never_rendered(tmp_path):
    from tests.test_catalog_load import codes_of, write_course

    write_course(tmp_path, {"01-a.md": "---\ntitle: A\n---\n\n![piksel](https://pelacak.example/p.gif)\n"})
    assert "image-remote" in [code for _, _, code in codes_of(tmp_path)]
    from elearn.catalog.render import Renderer

    html = Renderer().block('![x](//pelacak.example/p.gif) <img src="https://pelacak.example/q.gif">')
    assert "pelacak" not in html


# --- 6 and 7. body size, a stale token on autosave ------------------------------------------------------------


def test_oversized_bodies_are_refused(client, login_as):
    login_as()
    attempt = start(client, QUIZ)
    big = {"csrf_token": csrf_token(client), "attempt_token": attempt.token, "q": "3", "a3": "x" * 200_000}
    response = client.post(f"/kuis/{attempt.id}/simpan", data=big)
    assert response.status_code == 413 and "Kiriman terlalu besar" in response.get_data(as_text=True)


def test_a_stale_token_on_autosave_says_reload_not_session_ended(client, login_as):
    login_as()
    attempt = start(client, QUIZ)
    response = client.post(
        f"/kuis/{attempt.id}/simpan", data={"csrf_token": "basi", "attempt_token": attempt.token, "q": "3", "a3": "x"}
    )
    assert response.status_code == 400
    body = response.get_json()
    assert body["reload"] is True and "Muat ulang" in body["error"] and "Sesi" not in body["error"]


def test_the_shipped_courses_have_no_two_item_ordering_question():
    catalog = load_catalog(PROJECT_ROOT / "courses")
    assert catalog.problems == ()
    for course in catalog.courses:
        quizzes = [lesson.quiz for lesson in course.lessons if lesson.quiz] + [course.exam]
        for quiz in quizzes:
            assert all(len(q.options) >= 3 for q in quiz.questions if q.type == "ordering")


# --- SQLite as a real default ---------------------------------------------------------------------------------


def test_sqlite_runs_with_wal_a_busy_timeout_and_foreign_keys(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite settings only")
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 15000
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


@pytest.mark.parametrize("page", ["-5", "%C2%B2", "99999999999999999999", "0"])
def test_page_numbers_of_discussions_and_action_plans_never_crash(client, login_as, page):
    login_as("supervisor")
    for url in ("/diskusi/layanan-dasar/", "/atasan/rencana-aksi", "/atasan"):
        assert client.get(f"{url}?hal={page}").status_code == 200, url


# --- CSRF tokens signed once per session ------------------------------------------------------------------


def _page_token(client, page: str = "/") -> str:
    html = client.get(page).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_a_sessions_csrf_token_is_signed_once_and_still_works(client, login_as):
    login_as()
    token = _page_token(client)
    time.sleep(1.1)  # the signature carries the time in seconds: signed again, it would differ
    assert _page_token(client, "/kursus") == token  # reused, not signed again
    response = client.post("/keluar", data={"csrf_token": token})
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]
    assert client.get("/").status_code == 302  # logged out by that very token


def test_a_forged_or_other_sessions_token_is_still_refused(app, client, login_as):
    login_as()
    other = app.test_client()
    login(other, make_user().nip)
    theirs = _page_token(other)
    assert _page_token(client) != theirs  # each session its own
    assert client.post("/keluar", data={"csrf_token": theirs}).status_code == 400
    assert client.get("/").status_code == 200  # still logged in


def test_with_a_time_limit_each_page_signs_afresh(app_factory, login_as):
    limited = app_factory(WTF_CSRF_TIME_LIMIT=3600)
    client = limited.test_client()
    login(client, make_user().nip)
    first = _page_token(client)
    time.sleep(1.1)  # the signature carries the time in seconds
    assert _page_token(client) != first


# --- session cookies checked once per worker ------------------------------------------------------------


def test_a_remembered_session_cookie_is_still_copied_checked_for_age_and_never_forged(app, monkeypatch):
    interface = app.session_interface
    cookie = interface.get_signing_serializer(app).dumps({"_user_id": "7:abc", "_flashes": [("info", "Halo")]})
    name = app.config["SESSION_COOKIE_NAME"]

    def opened(value: str):
        with app.test_request_context("/", headers={"Cookie": f"{name}={value}"}):
            return interface.open_session(app, request)

    first = opened(cookie)
    first["_flashes"].append(("error", "changed by a page"))
    first["_user_id"] = "8:other"
    assert dict(opened(cookie)) == {"_user_id": "7:abc", "_flashes": [("info", "Halo")]}  # remembered, unchanged
    tampered = cookie[:-2] + ("AA" if not cookie.endswith("AA") else "BB")
    assert dict(opened(tampered)) == {}
    other_key = app.secret_key
    app.secret_key = "another secret"
    try:
        assert dict(opened(cookie)) == {}  # signed under another key: checked again, refused
    finally:
        app.secret_key = other_key
    lifetime = app.permanent_session_lifetime.total_seconds()
    later = time.time() + lifetime + 5
    monkeypatch.setattr(time, "time", lambda: later)
    assert dict(opened(cookie)) == {}  # too old, though remembered
