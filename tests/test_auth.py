"""Login, logout, password change, sessions, CSRF, redirects and rate limiting."""

from __future__ import annotations

import socket

import pytest
from flask.globals import request_ctx

from elearn.extensions import db, limiter
from elearn.models import User
from tests.conftest import csrf_token, login, post
from tests.factories import PASSWORD, make_nip, make_user


def test_login_with_nip_and_password_opens_the_dashboard(client):
    user = make_user()
    response = login(client, user.nip)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Halo, Rina Astuti" in client.get("/").get_data(as_text=True)


def test_login_accepts_a_nip_typed_with_spaces(client):
    user = make_user()
    spaced = f"{user.nip[:8]} {user.nip[8:14]} {user.nip[14]} {user.nip[15:]}"
    assert login(client, spaced).status_code == 302


def test_wrong_password_is_refused_with_a_message(client):
    user = make_user()
    response = login(client, user.nip, "salah-sandi")
    assert response.status_code == 200
    assert "NIP atau kata sandi salah." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_unknown_nip_gets_the_same_message(client):
    response = login(client, "199001012015011999")
    assert "NIP atau kata sandi salah." in response.get_data(as_text=True)


def test_malformed_nip_is_explained(client):
    response = login(client, "12345")
    assert "NIP harus 18 digit" in response.get_data(as_text=True)


def test_inactive_user_cannot_log_in(client):
    user = make_user()
    user.active = False
    db.session.commit()
    refused = login(client, user.nip).get_data(as_text=True)
    assert "Akun Anda sudah dinonaktifkan" in refused  # its owner learns why
    assert "NIP atau kata sandi salah." in login(client, user.nip, "bukan-sandinya").get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_pages_require_login_and_come_back_after_it(client):
    user = make_user()
    response = client.get("/kursus")
    assert response.status_code == 302 and response.headers["Location"] == "/masuk?next=/kursus"
    response = login(client, user.nip, next="/kursus")
    assert response.headers["Location"] == "/kursus"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "http:/evil", "\\\\evil"],
)
def test_next_cannot_redirect_outside_the_site(client, target):
    user = make_user()
    response = login(client, user.nip, next=target)
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_a_form_without_csrf_token_is_rejected(client):
    user = make_user()
    response = client.post("/masuk", data={"nip": user.nip, "password": PASSWORD})
    assert response.status_code == 400
    assert "token keamanan" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_logout_needs_post_with_csrf(client, login_as):
    login_as()
    assert client.get("/keluar").status_code == 405
    assert client.post("/keluar").status_code == 400
    response = post(client, "/keluar")
    assert response.status_code == 302 and client.get("/").status_code == 302


def test_logout_ends_the_session_on_other_devices(app, login_as):
    user = login_as()
    phone = app.test_client()
    assert login(phone, user.nip).status_code == 302
    laptop = app.test_client()
    assert login(laptop, user.nip).status_code == 302
    assert post(laptop, "/keluar").status_code == 302
    assert phone.get("/").status_code == 302  # the phone's cookie no longer works


def test_changing_the_password_ends_other_sessions_but_keeps_this_one(app, client):
    user = make_user()
    other = app.test_client()
    login(other, user.nip)
    login(client, user.nip)
    response = post(
        client, "/akun/kata-sandi", {"current": PASSWORD, "new": "sandi-baru-2026", "confirm": "sandi-baru-2026"}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert other.get("/").status_code == 302
    fresh = app.test_client()
    assert login(fresh, user.nip, "sandi-baru-2026").status_code == 302


@pytest.mark.parametrize(
    ("current", "new", "confirm", "message"),
    [
        ("keliru", "sandi-baru-2026", "sandi-baru-2026", "Kata sandi saat ini salah."),
        (PASSWORD, "pendek", "pendek", "minimal 8 karakter"),
        (PASSWORD, "sandi-baru-2026", "sandi-lain-2026", "tidak sama"),
        (PASSWORD, PASSWORD, PASSWORD, "harus berbeda"),
    ],
)
def test_password_change_errors_are_explained(client, login_as, current, new, confirm, message):
    login_as()
    response = post(client, "/akun/kata-sandi", {"current": current, "new": new, "confirm": confirm})
    assert response.status_code == 200 and message in response.get_data(as_text=True)


def test_new_account_must_choose_its_own_password_first(client):
    user = make_user(must_change_password=True)
    response = login(client, user.nip, next="/kursus")
    assert response.headers["Location"].startswith("/akun/kata-sandi")
    assert client.get("/kursus").headers["Location"].startswith("/akun/kata-sandi")
    token = csrf_token(client, "/akun/kata-sandi")
    data = {
        "csrf_token": token,
        "current": PASSWORD,
        "new": "pilihan-saya-1",
        "confirm": "pilihan-saya-1",
        "next": "/kursus",
    }
    response = client.post("/akun/kata-sandi", data=data)
    assert response.headers["Location"] == "/kursus"
    assert client.get("/kursus").status_code == 200
    changed = db.session.get(User, user.id)
    assert changed.must_change_password is False and changed.password_hash.startswith("scrypt:")


def test_passwords_are_stored_hashed(client):
    user = make_user()
    assert PASSWORD not in user.password_hash and user.check_password(PASSWORD)


def redis_available() -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", 6379)) == 0


@pytest.mark.parametrize(
    "storage",
    [
        "memory://",
        pytest.param(
            "redis://127.0.0.1:6379",
            marks=pytest.mark.skipif(not redis_available(), reason="Redis is not running on 127.0.0.1:6379"),
        ),
    ],
)
def test_login_is_rate_limited(app_factory, storage):
    """Redis shares the count between gunicorn workers; memory:// counts per process."""
    app = app_factory(LOGIN_RATE_LIMIT="3 per minute", RATELIMIT_STORAGE_URI=storage)
    with app.app_context():
        limiter.reset()
        client = app.test_client()
        codes = [login(client, "199001012015011999", "salah").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        assert "Terlalu banyak percobaan" in login(client, "199001012015011999").get_data(as_text=True)
        limiter.reset()


def test_the_limiter_runs_after_a_request_only_where_a_view_checked_a_limit(app, client):
    """Its headers and deductions where a limit was checked; no per-request state elsewhere."""
    states = []

    @app.teardown_request
    def look(_error):  # registered last: runs before the limiter's own end of the request
        states.append(hasattr(request_ctx._get_current_object(), "_limiter_request_context"))

    user = make_user()
    response = login(client, user.nip)
    assert response.status_code == 302 and "X-RateLimit-Limit" in response.headers
    assert states[-1] is True
    states.clear()
    for page in ("/", "/kursus", "/halaman-yang-tidak-ada"):
        client.get(page)
    assert states == [False] * 3
    release = type(limiter)._Limiter__release_context  # its end of the request is wrapped too
    assert not any(getattr(hook, "__func__", None) is release for hook in app.teardown_request_funcs[None])


def test_successful_logins_do_not_count_toward_the_limit(app_factory):
    app = app_factory(LOGIN_RATE_LIMIT_IP="3 per minute")
    with app.app_context():
        users = [make_user(name=f"Pegawai {i}") for i in range(5)]
        codes = [login(app.test_client(), user.nip).status_code for user in users]
        assert codes == [302] * 5  # one office behind one address logs in freely


def test_behind_a_proxy_the_limit_counts_each_client(app_factory):
    app = app_factory(LOGIN_RATE_LIMIT_IP="2 per minute", TRUSTED_PROXIES=1)
    with app.app_context():

        def fail(client_address: str) -> int:
            client = app.test_client()
            headers = {"X-Forwarded-For": client_address}
            token = csrf_token(client)
            data = {"nip": make_nip(), "password": "salah", "csrf_token": token}
            return client.post("/masuk", data=data, headers=headers).status_code

        assert [fail("10.0.0.1") for _ in range(3)] == [200, 200, 429]
        assert fail("10.0.0.2") == 200


def test_a_deactivated_user_is_logged_out(client):
    user = make_user()
    login(client, user.nip)
    user.active = False
    db.session.commit()
    assert client.get("/").status_code == 302
