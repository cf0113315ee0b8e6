"""How requests use pooled PostgreSQL connections: cheap on reads, safe on writes.

Two things a page would otherwise pay in round trips on every request:

1. **Noticing a dead connection.** When PostgreSQL restarts (or ends an idle session), it
   tells each client and closes the socket, so an idle connection that has anything to read
   is dead. Looking at the socket costs a system call; the pool's usual ping
   (``pool_pre_ping``) costs a round trip. A connection found dead is replaced before the page
   uses it (SQLAlchemy's documented checkout hook: raise ``DisconnectionError``).
2. **A transaction around reads.** A GET runs its statements in autocommit mode: no BEGIN and
   no ROLLBACK, and psycopg keeps its prepared statements (a ROLLBACK makes it deallocate them
   all, so every page was planned afresh). Under READ COMMITTED each statement sees its own
   snapshot either way, so reads see the same data. The moment a statement would change
   something (an INSERT, UPDATE or DELETE, a SAVEPOINT, a locking read) or needs a transaction
   to live in (a server-side cursor streaming an export), the connection leaves
   autocommit first: from there on the request runs in one transaction, committed or rolled
   back exactly as before. A GET that records something (a lesson opened the first time, a
   completion caught up) keeps its savepoints and its atomic commit.

SQLite needs neither: a file has no connection to lose, and its driver begins a transaction
only before a write.

On both databases, a GET reads its plain (Core) statements, the user's among them, on a
connection of its own rather than through the ORM session (``read_rows``): the session's
bookkeeping for a request (its transaction, identity map and closing) cost more than the
statement itself on SQLite, and most pages read nothing else. The moment the page begins the
session (it writes, or reads ORM objects), that connection goes back to the pool first: a
request holds one connection at a time, and from then on reads go through the session and
see what it wrote.

On PostgreSQL, psycopg's cursors describe a result's columns only when asked
(``DescribedOnDemand``): SQLAlchemy reads a statement's columns from its compiled form and
asks the cursor only whether the result has any, so describing every column anew on every
statement (a page's one statement has up to 57) was work nobody read.
"""

from __future__ import annotations

import re
import select
from collections.abc import Sequence
from functools import lru_cache

import psycopg
from flask import Flask, g, has_app_context, has_request_context, request
from sqlalchemy import Executable, Row, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, SessionTransaction

from .extensions import db

READS = ("GET", "HEAD")


_READER = "_read_connection"  # the request's plain connection, in flask.g


def configure(app: Flask) -> None:
    """Before the engine is made: PostgreSQL connections with ``DescribedOnDemand`` cursors
    (unless the settings name a cursor class already)."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg"):
        options = app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
        options.setdefault("connect_args", {}).setdefault("cursor_factory", DescribedOnDemand)


def init_app(app: Flask) -> None:
    """Return each request's plain connection at its end; watch the app's PostgreSQL pool."""
    app.teardown_request(_return_reader)
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        return
    with app.app_context():
        engine = db.engine
    event.listen(engine.pool, "checkout", _on_checkout)
    event.listen(engine, "before_cursor_execute", _transaction_before_a_write)


def _on_checkout(dbapi_connection, _record, _proxy) -> None:
    """Refuse a connection the server has hung up on (the pool then opens a new one); hand
    the rest out in autocommit mode for a GET, in a transaction for everything else."""
    if dbapi_connection.closed or dbapi_connection.broken:
        raise DisconnectionError("connection closed")
    poller = select.poll()
    poller.register(dbapi_connection.fileno(), select.POLLIN | select.POLLERR | select.POLLHUP)
    if poller.poll(0):  # an idle connection is sent nothing, unless it is being closed
        raise DisconnectionError("connection closed by the server")
    dbapi_connection.autocommit = has_request_context() and request.method in READS


def _transaction_before_a_write(conn, cursor, statement: str, _parameters, _context, _executemany) -> None:
    dbapi_connection = conn.connection.dbapi_connection
    # A server-side cursor (a streamed export: psycopg names it) lives in a transaction too.
    if dbapi_connection.autocommit and (not _only_reads(statement) or getattr(cursor, "name", None)):
        dbapi_connection.autocommit = False  # psycopg begins a transaction with this statement


@lru_cache(maxsize=1024)  # the same few statement strings, from SQLAlchemy's compiled cache
def _only_reads(statement: str) -> bool:
    """A SELECT (or a WITH ... SELECT) that neither changes rows nor locks them."""
    return _READ.match(statement) is not None and _CHANGE_OR_LOCK.search(statement) is None


_READ = re.compile(r"\s*(SELECT|WITH)\b", re.IGNORECASE)
_CHANGE_OR_LOCK = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE|SHARE)\b", re.IGNORECASE)  # FOR UPDATE/SHARE too


def read_rows(statement: Executable, params: dict) -> list[Row]:
    """The rows of a plain (Core) ``statement`` with ``params``, read for this request.

    A GET or HEAD whose ORM session has not begun reads on the request's own connection (see
    the module's note); any other request, or one whose session exists, reads through the
    session, after flushing what it holds (as the session would before a query).
    """
    if has_request_context() and request.method in READS and not db.session.registry.has():
        reader = g.get(_READER)
        if reader is None:
            reader = g._read_connection = db.engine.connect()
        return reader.execute(statement, params).all()
    session = db.session()
    if session.autoflush:
        session.flush()
    return session.connection().execute(statement, params).all()


@event.listens_for(Session, "after_transaction_create")
def _session_takes_over(_session: Session, transaction: SessionTransaction) -> None:
    """A session beginning in a request gets the pool's connection: the request's plain
    connection goes back first (its reads are finished: every read fetches all its rows)."""
    if transaction.parent is None and has_app_context():
        _return_reader()


def _return_reader(_error: BaseException | None = None) -> None:
    reader = g.pop(_READER, None)
    if reader is not None:
        reader.close()


class DescribedOnDemand(psycopg.Cursor):
    """psycopg's cursor, with a result's ``description`` made when it is first read."""

    @property
    def description(self) -> Sequence | None:
        result = self.pgresult
        if result is None or not result.nfields:  # no columns: psycopg's own answer is cheap
            return super().description
        return _Description(self, result)


class _Description(Sequence):
    """The columns of ``result`` as psycopg describes them, made on first use. Read it before
    the cursor runs its next statement, as SQLAlchemy does (a later reading is an error, never
    another statement's columns)."""

    __slots__ = ("_columns", "_cursor", "_result")

    def __init__(self, cursor: psycopg.Cursor, result) -> None:
        self._cursor, self._result, self._columns = cursor, result, None

    def _made(self) -> list:
        if self._columns is None:
            if self._cursor.pgresult is not self._result:
                raise psycopg.InterfaceError("the cursor's description was read after its next statement")
            self._columns = psycopg.Cursor.description.fget(self._cursor)
        return self._columns

    def __len__(self) -> int:
        return self._result.nfields

    def __getitem__(self, index):
        return self._made()[index]
