"""Connections (elearn/connections.py): a GET reads without the ORM session, and a request holds
one connection at a time; on PostgreSQL, a page that only reads runs without a transaction,
the moment it writes it runs in one, and a connection the server closed is replaced."""

from __future__ import annotations

import contextlib
import subprocess
import sys

import psycopg
import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import event, select
from sqlalchemy import text as sa_text
from sqlalchemy.orm import Session

from elearn.config import PROJECT_ROOT
from elearn.connections import _only_reads
from elearn.extensions import db
from elearn.models import LessonProgress
from tests.conftest import csrf_token

LESSON = "/kursus/layanan-dasar/prioritas"


@pytest.mark.parametrize(
    ("statement", "reads"),
    [
        ("SELECT users.id FROM users WHERE users.id = %(id)s", True),
        ("  select 1", True),
        ("WITH RECURSIVE ancestors(id) AS (SELECT units.id FROM units) SELECT id FROM ancestors", True),
        ("SELECT users.updated_at FROM users", True),  # a column's name is not a write
        ("SELECT attempts.id FROM attempts WHERE attempts.id = %(id)s FOR UPDATE", False),
        ("SELECT units.id FROM units FOR NO KEY UPDATE", False),
        ("SELECT units.id FROM units FOR SHARE", False),
        ("INSERT INTO lesson_progress (user_id) VALUES (%(user_id)s)", False),
        ("UPDATE users SET name=%(name)s", False),
        ("DELETE FROM answers", False),
        ("WITH gone AS (DELETE FROM answers RETURNING id) SELECT count(*) FROM gone", False),
        ("SAVEPOINT sa_savepoint_1", False),
        ("ANALYZE users", False),
    ],
)
def test_only_plain_reads_run_outside_a_transaction(statement, reads):
    assert _only_reads(statement) is reads


@contextlib.contextmanager
def connection_use():
    """Record the sessions that begin and the most connections the app holds at once."""
    use = {"sessions": 0, "held": 0, "most": 0, "order": []}

    def begun(_session, transaction):
        if transaction.parent is None:
            use["sessions"] += 1
            use["order"].append("session")

    def out(*_):
        use["order"].append("checkout")
        use["held"] += 1
        use["most"] = max(use["most"], use["held"])

    def back(*_):
        use["held"] -= 1

    listeners = [(Session, "after_transaction_create", begun), (db.engine.pool, "checkout", out)]
    listeners.append((db.engine.pool, "checkin", back))
    for target, name, listener in listeners:
        event.listen(target, name, listener)
    try:
        yield use
    finally:
        for target, name, listener in listeners:
            event.remove(target, name, listener)


def test_a_page_that_only_reads_begins_no_orm_session(client, login_as):
    login_as()
    client.get(LESSON)  # the first view records the lesson as opened
    db.session.remove()  # the test's own session goes, so that only the requests' use is counted
    with connection_use() as use:
        for page in (LESSON, "/", "/kursus", "/kursus/layanan-dasar/", "/halaman-yang-tidak-ada"):
            assert client.get(page).status_code in (200, 404), page
    assert use["sessions"] == 0
    assert use["most"] == 1 and use["held"] == 0  # each request's connection went back


def test_a_page_that_reads_then_writes_holds_one_connection_at_a_time(client, login_as):
    user_id = login_as().id
    db.session.remove()
    with connection_use() as use:
        assert client.get(LESSON).status_code == 200  # reads the user and course, then records the lesson
    assert use["sessions"] >= 1 and use["most"] == 1
    db.session.remove()
    rows = db.session.execute(select(LessonProgress.lesson_id).filter_by(user_id=user_id)).scalars().all()
    assert rows == ["prioritas"]


def test_a_post_reads_through_its_session(client, login_as):
    login_as()
    token = csrf_token(client)
    db.session.remove()
    with connection_use() as use:
        response = client.post("/kursus/layanan-dasar/pengantar/selesai", data={"csrf_token": token})
    assert response.status_code == 302
    assert use["order"][0] == "session"  # its first connection is the session's: no plain one before it
    assert use["most"] == 1


@pytest.fixture
def postgresql(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's driver begins a transaction only before a write already")


@contextlib.contextmanager
def transaction_states():
    """Record, for each statement the app sends, the connection's state after it: True when
    the statement left a transaction open on the server."""
    seen: list[tuple[str, bool]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        status = conn.connection.dbapi_connection.info.transaction_status
        seen.append((statement.split()[0].upper(), status != TransactionStatus.IDLE))

    event.listen(db.engine, "after_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "after_cursor_execute", record)


def test_a_page_that_only_reads_opens_no_transaction(postgresql, client, login_as):
    login_as()
    client.get(LESSON)  # the first view records the lesson as opened
    db.session.remove()
    with transaction_states() as seen:
        assert client.get(LESSON).status_code == 200
        assert client.get("/").status_code == 200
    assert seen and all(not in_transaction for _, in_transaction in seen), seen


def test_a_page_that_records_something_does_it_in_one_committed_transaction(postgresql, client, login_as):
    user_id = login_as().id
    db.session.remove()
    with transaction_states() as seen:
        assert client.get(LESSON).status_code == 200  # the first view: the lesson is recorded as opened
    kinds = [kind for kind, _ in seen]
    first_write = next(i for i, kind in enumerate(kinds) if kind in ("SAVEPOINT", "INSERT"))
    last_write = max(i for i, kind in enumerate(kinds) if kind in ("SAVEPOINT", "INSERT", "UPDATE", "RELEASE"))
    assert all(in_transaction for _, in_transaction in seen[first_write : last_write + 1]), seen  # one transaction
    assert seen[0] == ("SELECT", False)  # the reads before it opened none
    db.session.remove()
    with db.engine.connect() as other:  # another connection sees it: committed
        rows = other.execute(select(LessonProgress.lesson_id).filter_by(user_id=user_id)).scalars().all()
    assert rows == ["prioritas"]


def test_a_post_still_runs_in_a_transaction(postgresql, client, login_as):
    login_as()
    token = csrf_token(client)
    db.session.remove()
    with transaction_states() as seen:
        client.post("/kursus/layanan-dasar/pengantar/selesai", data={"csrf_token": token})
    assert seen and all(in_transaction for _, in_transaction in seen), seen


def test_a_connection_the_server_closed_is_replaced_before_a_page_uses_it(postgresql, client, login_as):
    """As after a restart of PostgreSQL: no learner meets an error page for it."""
    login_as()
    assert client.get("/").status_code == 200
    db.session.remove()  # the test's own connection goes back to the pool too
    with db.engine.connect() as admin:  # the server ends every other backend of this database
        admin.execute(
            sa_text(
                "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    assert client.get("/").status_code == 200
    assert client.get("/kursus").status_code == 200
    db.session.remove()
    db.engine.dispose()


def test_postgresql_cursors_describe_a_result_as_psycopg_does_when_asked(postgresql):
    from elearn.cursors import DescribedOnDemand

    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        assert isinstance(cursor, DescribedOnDemand)
        statement = "SELECT 1 AS one, 'x'::text AS two, now() AS three"
        cursor.execute(statement)
        described = cursor.description
        unread = cursor.description
        own = psycopg.Cursor(raw.driver_connection)
        own.execute(statement)
        assert len(described) == 3
        assert [tuple(column) for column in described] == [tuple(column) for column in own.description]
        assert described[1].name == "two"
        cursor.execute("SELECT 2 AS other")
        assert described[0].name == "one"  # read before: kept
        with pytest.raises(psycopg.InterfaceError):
            unread[0]  # first read after the next statement: an error, not the other statement's columns
        cursor.execute("SET search_path TO public")  # no result columns: as psycopg says
        assert cursor.description is None
    finally:
        raw.close()


def test_a_page_on_postgresql_describes_no_columns(postgresql, client, login_as, monkeypatch):
    """SQLAlchemy takes a statement's columns from its compiled form once it has described them."""
    login_as()
    pages = ("/", LESSON, "/kursus")
    for page in pages:  # each statement's first run describes its columns for the compiled form
        assert client.get(page).status_code == 200
    made = []
    own = psycopg.Cursor.description
    monkeypatch.setattr(psycopg.Cursor, "description", property(lambda cursor: made.append(1) or own.fget(cursor)))
    db.session.remove()
    for page in pages:
        assert client.get(page).status_code == 200
    assert made == []


def test_a_sqlite_worker_does_not_load_psycopg(tmp_path):
    """psycopg's library is about 9 MB of a worker's memory; SQLite needs none of it."""
    script = (
        "import sys; from elearn import create_app; "
        f"create_app({{'SQLALCHEMY_DATABASE_URI': 'sqlite:///{tmp_path}/x.sqlite', 'INSTANCE_PATH': '{tmp_path}'}}); "
        "print('psycopg' in sys.modules)"
    )
    found = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=PROJECT_ROOT)
    assert found.stdout.strip() == "False", found.stderr
