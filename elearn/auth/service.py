"""Authentication rules: checking credentials, changing passwords, ending sessions."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from flask import g, has_request_context, request
from flask_login import current_user
from sqlalchemy import Executable, bindparam, event
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from ..connections import read_plain
from ..extensions import db
from ..models import Account, Unit, User, utcnow

# Checked against when no scrypt check happened, so that a login takes about as long for
# an unknown NIP, or an account still on its light initial hash, as for any other account.
_DUMMY_HASH = generate_password_hash(secrets.token_hex(8))


class InactiveAccountError(Exception):
    """The NIP and password are right, but an admin has deactivated the account."""


def authenticate(nip: str, password: str) -> User | None:
    """Return the active user with this NIP and password, or None.

    Raises InactiveAccountError for a deactivated account's right password: only its owner learns
    why they cannot log in (anyone else sees the same refusal as for a wrong password).
    """
    user = db.session.execute(db.select(User).filter_by(nip=nip)).scalar_one_or_none()
    if user is None or not user.password_hash.startswith("scrypt:"):
        check_password_hash(_DUMMY_HASH, password)
    if user is None or not user.check_password(password):
        return None
    if not user.active:
        raise InactiveAccountError
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def change_password(user: User, new_password: str) -> None:
    """Set a new password chosen by the user and end all their other sessions."""
    user.set_password(new_password)
    user.must_change_password = False
    user.end_sessions()
    db.session.commit()


def end_all_sessions(user: User) -> None:
    """Log the user out everywhere (a new session token invalidates every cookie)."""
    user.end_sessions()
    db.session.commit()


def random_password() -> str:
    """Return an initial password that is easy to read out and type: 3 groups of 4."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3))


class CurrentUser(Account):
    """The logged-in user as every page sees them: read as plain columns, not as an ORM object.

    Loading a ``User`` through the ORM on every request cost more than the rest of the user's
    loading (about 0.15 ms of each page). A page reads these fields; a page that changes the
    account itself loads its row (``own_account``). Equal to the ``User`` of the same login
    (Flask-Login compares ``get_id``).
    """

    __slots__ = ("active", "id", "must_change_password", "name", "nip", "role", "session_token", "unit", "unit_id")

    def __init__(self, row) -> None:
        (self.id, self.nip, self.name, self.role, self.unit_id, self.session_token) = row[:6]
        (self.must_change_password, self.active) = row[6:8]
        self.unit = UnitName(self.unit_id, row[8])

    def __repr__(self) -> str:
        return f"<CurrentUser {self.nip} {self.role}>"


class UnitName(NamedTuple):
    id: int
    name: str | None


# The columns of a ``CurrentUser``, in its order; a statement that selects them outer-joins
# ``Unit`` on the user's unit. Built once: the statement's cache key is then computed once.
# The table's columns, not the mapped attributes: on its own the statement is then plain Core,
# which skips the ORM's work on the statement and its result.
_users, _units = User.__table__.c, Unit.__table__.c
USER_COLUMNS = (
    _users.id,
    _users.nip,
    _users.name,
    _users.role,
    _users.unit_id,
    _users.session_token,
    _users.must_change_password,
    _users.active,
    _units.name.label("user_unit_name"),
)
_WIDTH = len(USER_COLUMNS)


def select_with_user(*entities):
    """A statement from ``users`` selecting ``USER_COLUMNS``, then ``entities`` (joins to add)."""
    return db.select(*USER_COLUMNS, *entities).select_from(User).outerjoin(Unit, User.unit_id == Unit.id)


_CURRENT_USER = select_with_user().where(User.id == bindparam("user_id"))


def own_account() -> User:
    """The logged-in user's own row, for a page that changes the account (password, logout)."""
    return db.session.get_one(User, current_user.id)


def _not_only_the_user(rest: tuple) -> tuple | None:
    return rest if any(value is not None for value in rest) else None


def columns_from(start: int, stop: int | None = None, make: Callable[[tuple], tuple] = tuple):
    """How to take a part's row out of a fused row's columns after the user's: the columns
    ``start`` to ``stop``, made into ``make``, where the first of them is not empty (a part's
    columns are outer-joined on its number, so they are empty in every other part's rows)."""

    def take(rest: tuple) -> tuple | None:
        return make(rest[start:stop]) if rest[start] is not None else None

    return take


@dataclass(frozen=True)
class ReadWithUser:
    """A page's first reading (or readings), in the same round trip as its user.

    ``fused`` selects ``USER_COLUMNS`` first (every row carries them), then what ``plain``
    selects; ``params`` gives its parameters, besides ``user_id``, from the URL's arguments.
    ``also``: further statements the fused one answers too, each with how to take its row out
    of a fused row's columns after the user's (None: a row of another part). The plain
    statement's rows are the fused rows with something besides the user (an outer join that
    found nothing is not the page's row), unless ``row`` says otherwise.
    """

    plain: Executable
    fused: Executable
    params: Callable[[dict], dict]
    row: Callable[[tuple], tuple | None] = _not_only_the_user
    also: tuple[tuple[Executable, Callable[[tuple], tuple | None]], ...] = ()
    orm: bool = True  # False: plain Core statements (table columns), run on the connection


_READ_WITH_USER: dict[str, ReadWithUser] = {}


def read_with_user(endpoint: str, reading: ReadWithUser) -> None:
    """Have the pages of ``endpoint`` load their user with ``reading`` (see ``load_user``)."""
    _READ_WITH_USER[endpoint] = reading


def load_user(cookie_id: str) -> CurrentUser | None:
    """Return the user of a login cookie ``"<id>:<session token>"`` if the token is current.

    A page registered with ``read_with_user`` loads the user with its first statement (the
    learner's state, on most learner pages): one round trip instead of two. Its rows are kept
    for the page, which reads them with ``execute_or_read_with_user``, and only for a user
    whose token is current.
    """
    user_id, _, token = cookie_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    if len(user_id) > 10:
        return None
    reading = _READ_WITH_USER.get(request.endpoint or "") if has_request_context() else None
    if reading is None:
        rows = read_plain(_CURRENT_USER, {"user_id": int(user_id)})
        row = rows[0] if rows else None
    else:
        params = {**reading.params(request.view_args or {}), "user_id": int(user_id)}
        rows = _execute(reading.fused, params, reading.orm)
        row = rows[0] if rows else None
    if row is None:
        return None
    user = CurrentUser(row)
    if not user.active or not secrets.compare_digest(user.session_token, token):
        return None
    if reading is not None:
        kept = {}
        for statement, take in ((reading.plain, reading.row), *reading.also):
            taken = (take(row[_WIDTH:]) for row in rows)
            kept[statement] = [found for found in taken if found is not None]
        g.read_with_user = (params, kept)
    return user


def execute_or_read_with_user(statement: Executable, params: dict, orm: bool = True) -> list:
    """The rows of ``statement`` with ``params``: those read with the user if they came with it,
    else from the database (``orm``: False for a plain Core statement, see ``ReadWithUser``).

    The rows read with the user serve once per statement: a second reading goes to the
    database, and so does every reading after the session has written anything
    (``_forget_after_a_write``) or with parameters that disagree with the fused reading's.
    """
    found = g.get("read_with_user") if has_request_context() else None
    if found is not None:
        fused_params, kept = found
        rows = kept.pop(statement, None)
        if rows is not None and all(fused_params.get(name, _MISSING) == value for name, value in params.items()):
            return rows
    return _execute(statement, params, orm)


def _execute(statement: Executable, params: dict, orm: bool) -> list:
    if orm:
        return db.session.execute(statement, params).all()
    # A Core statement skips the session's ORM handling (and on a GET, the session itself)
    return read_plain(statement, params)


_MISSING = object()


@event.listens_for(Session, "after_flush")
def _forget_after_a_write(_session, _context) -> None:
    """Rows read with the user describe the database before the page wrote: not after."""
    if has_request_context():
        g.pop("read_with_user", None)
