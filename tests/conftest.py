"""Fixtures: app, client, runner, a database per session cleaned after each test, login helpers.

Set TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) to run the
suite against PostgreSQL; by default it runs on a SQLite file.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from hypothesis import settings
from sqlalchemy import create_engine

from elearn import create_app
from elearn.extensions import db, limiter
from tests.factories import PASSWORD, make_user

# The same examples on every run of `make test` and CI, so a red build is never luck; set
# HYPOTHESIS_PROFILE=explore to search new ones (what it finds becomes a fixed example).
settings.register_profile("fixed", derandomize=True, database=None)
settings.register_profile("explore", max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fixed"))

FIXTURES = Path(__file__).parent / "fixtures"
VALID_COURSES = FIXTURES / "courses" / "valid"
CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite")


@pytest.fixture(scope="session")
def _schema(database_url):
    """Create the tables once per test session (and drop what an earlier run left)."""
    engine = create_engine(database_url)
    db.metadata.drop_all(engine)
    db.metadata.create_all(engine)
    engine.dispose()
    yield
    engine = create_engine(database_url)
    db.metadata.drop_all(engine)
    engine.dispose()


class IsolatedClient(FlaskClient):
    """A test client whose requests run in their own app context, as in production.

    The test itself holds an app context (for factories and queries); without this, every
    request would share it, and with it ``g`` (where Flask-Login keeps the user) and the
    database session. After each request the test's session forgets what it cached.
    """

    def open(self, *args, **kwargs):
        context = contextvars.Context()
        response = context.run(super().open, *args, **kwargs)
        context.run(response.get_data)  # buffer it (a streamed body, in its request's context), so files close at once
        context.run(response.close)
        with contextlib.suppress(RuntimeError):  # RuntimeError: the test holds no app context
            db.session.expire_all()
        return response


STATIC_BUILD = Path(tempfile.gettempdir()) / "elearn-test-static"  # content-addressed: shared by every test app


def make_app(database_url: str, tmp_path: Path, **overrides):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "COURSES_DIR": str(VALID_COURSES),
        "CATALOG_CHECK_SECONDS": 0,
        "LOGIN_RATE_LIMIT": "1000 per minute",
        "LOGIN_RATE_LIMIT_IP": "1000 per minute",
        "RATELIMIT_STORAGE_URI": "memory://",
        "SESSION_COOKIE_SECURE": False,  # the test client and the browser tests speak plain HTTP
        "STATIC_BUILD": str(STATIC_BUILD),
        "SETTINGS_TTL": 3600,  # settings are read once per test app (a change clears it)
    }
    config.update(overrides)
    config.setdefault("INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app(config)
    app.test_client_class = IsolatedClient
    return app


@pytest.fixture
def app_config() -> dict:
    """Settings a test module may override by redefining this fixture."""
    return {}


@pytest.fixture
def app(database_url, tmp_path, _schema, app_config):
    app = make_app(database_url, tmp_path, **app_config)
    with app.app_context():
        limiter.reset()
        yield app
        _empty_database()


def _empty_database() -> None:
    """Delete every row the test wrote and close the app's connections."""
    db.session.rollback()
    db.session.remove()
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()
    db.session.remove()
    db.engine.dispose()


@pytest.fixture
def app_factory(database_url, tmp_path, _schema):
    """Build extra apps with other settings; their rows and connections are cleaned up."""
    apps = []

    def _factory(**overrides):
        app = make_app(database_url, tmp_path, **overrides)
        apps.append(app)
        return app

    yield _factory
    for app in apps:
        with app.app_context():
            _empty_database()


@pytest.fixture
def editable_courses(app_factory, tmp_path):
    """An app serving a copy of the fixture courses that the test may edit: (app, courses dir)."""
    courses = tmp_path / "courses"
    shutil.copytree(VALID_COURSES, courses)
    app = app_factory(COURSES_DIR=str(courses))
    with app.app_context():
        yield app, courses


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def csrf_token(client, page: str = "/masuk") -> str:
    """Return the CSRF token of the client's session, read from a page with a form."""
    response = client.get(page)
    if response.status_code == 302 and page == "/masuk":  # logged in already
        response = client.get("/akun/kata-sandi")
    html = response.get_data(as_text=True)
    match = CSRF_FIELD.search(html)
    assert match, f"no CSRF token on {page}"
    return match.group(1) or match.group(2)


def login(client, nip: str, password: str = PASSWORD, **extra):
    return client.post("/masuk", data={"nip": nip, "password": password, "csrf_token": csrf_token(client), **extra})


def post(client, url: str, data: dict | None = None, page: str = "/akun/kata-sandi", **kwargs):
    """POST a form as a logged-in browser would, with the session's CSRF token."""
    return client.post(url, data={"csrf_token": csrf_token(client, page), **(data or {})}, **kwargs)


@pytest.fixture
def login_as(client):
    """Log the test client in as a new user of the given role; return the user."""

    def _login_as(role: str = "asn", **kwargs):
        user = make_user(role=role, **kwargs)
        response = login(client, user.nip)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return _login_as
