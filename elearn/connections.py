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
connection of its own rather than through the ORM session (``read_plain``): the session's
bookkeeping for a request (its transaction, identity map and closing) cost more than the
statement itself on SQLite, and most pages read nothing else. The moment the page begins the
session (it writes, or reads ORM objects), that connection goes back to the pool first: a
request holds one connection at a time, and from then on reads go through the session and
see what it wrote.

On PostgreSQL, psycopg's cursors describe a result's columns only when asked (see
cursors.py): describing every column anew on every statement was work nobody read.
"""

from __future__ import annotations

import re
import select
from functools import lru_cache

from flask import Flask, g, has_app_context, has_request_context, request
from sqlalchemy import Executable, Row, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, SessionTransaction

from .extensions import db

READS = ("GET", "HEAD")


_READER = "_read_connection"  # the request's plain connection, in flask.g


def configure(app: Flask) -> None:
    """Before the engine is made: PostgreSQL connections with ``DescribedOnDemand`` cursors
    (unless the settings name a cursor class already). Imported only then: psycopg's library
    is 9 MB of a worker's memory that SQLite does not need."""
    if _psycopg(app):
        from .cursors import DescribedOnDemand

        options = app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
        options.setdefault("connect_args", {}).setdefault("cursor_factory", DescribedOnDemand)


def _psycopg(app: Flask) -> bool:
    """Whether the app's database is PostgreSQL through psycopg, the driver this module watches."""
    return make_url(app.config["SQLALCHEMY_DATABASE_URI"]).drivername == "postgresql+psycopg"


def init_app(app: Flask) -> None:
    """Return each request's plain connection at its end; watch the app's PostgreSQL pool."""
    app.teardown_request(_return_reader)
    app.teardown_appcontext(_return_reader)  # as well, should a later request teardown fail
    if not _psycopg(app):
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


def read_plain(statement: Executable, params: dict) -> list[Row]:
    """The rows of a plain (Core) ``statement`` with ``params``, read for this request.

    A GET or HEAD with no ORM session yet reads on the request's own connection (see the
    module's note); any other request, or one whose session exists, reads through the session,
    after flushing what it holds (as the session would before a query). For reads only: a
    locking read (FOR UPDATE or SHARE) belongs in the session's transaction, which the page's
    write will use.
    """
    if has_request_context() and request.method in READS and not db.session.registry.has():
        reader = g.get(_READER)
        if reader is None:
            reader = db.engine.connect()
            setattr(g, _READER, reader)
        return reader.execute(statement, params).all()
    session = db.session()
    if session.autoflush:
        session.flush()
    return session.connection().execute(statement, params).all()


@event.listens_for(Session, "after_transaction_create")
def _session_takes_over(_session: Session, transaction: SessionTransaction) -> None:
    """A session beginning while the app context holds a plain connection (a request's) gets
    the pool's connection: the plain one goes back first (its reads are finished: every read
    fetches all its rows)."""
    if transaction.parent is None and has_app_context():
        _return_reader()


def _return_reader(_error: BaseException | None = None) -> None:
    reader = g.pop(_READER, None)
    if reader is not None:
        reader.close()
