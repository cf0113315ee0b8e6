"""Authentication rules: checking credentials, changing passwords, ending sessions."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from flask import g, has_request_context, request
from sqlalchemy import Executable, bindparam
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import Unit, User, utcnow

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


# Built once: the statement's cache key is then computed once, not on every request. The unit
# comes along, since every page's frame shows it (one query instead of two): loaded as a second
# entity and set as the user's loaded ``unit``, which costs less than a ``joinedload``.
_CURRENT_USER = db.select(User, Unit).outerjoin(Unit, User.unit_id == Unit.id).where(User.id == bindparam("user_id"))


@dataclass(frozen=True)
class ReadWithUser:
    """A page's first statement, read in the same round trip as its user.

    ``fused`` is ``plain`` with the user and their unit selected first (every row carries
    them); ``params`` gives the statement's parameters, besides ``user_id``, from the URL's
    arguments.
    """

    plain: Executable
    fused: Executable
    params: Callable[[dict], dict]


_READ_WITH_USER: dict[str, ReadWithUser] = {}


def read_with_user(endpoint: str, reading: ReadWithUser) -> None:
    """Have the pages of ``endpoint`` load their user with ``reading`` (see ``load_user``)."""
    _READ_WITH_USER[endpoint] = reading


def load_user(cookie_id: str) -> User | None:
    """Return the user of a login cookie ``"<id>:<session token>"`` if the token is current.

    A page registered with ``read_with_user`` loads the user with its first statement (the
    learner's state, on most learner pages): one round trip instead of two. Its rows are kept
    for the page, which takes them from ``rows_read_with_user``, and only for a user whose
    token is current.
    """
    user_id, _, token = cookie_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    if len(user_id) > 10:
        return None
    reading = _READ_WITH_USER.get(request.endpoint or "") if has_request_context() else None
    if reading is None:
        row = db.session.execute(_CURRENT_USER, {"user_id": int(user_id)}).first()
    else:
        params = {**reading.params(request.view_args or {}), "user_id": int(user_id)}
        rows = db.session.execute(reading.fused, params).all()
        row = rows[0] if rows else None
    if row is None:
        return None
    user, unit = row[0], row[1]
    set_committed_value(user, "unit", unit)
    if not user.active or not secrets.compare_digest(user.session_token, token):
        return None
    if reading is not None:  # rows with nothing but the user (outer joins that found nothing) are not the page's
        g.read_with_user = (reading.plain, params, [row[2:] for row in rows if any(e is not None for e in row[2:])])
    return user


def rows_read_with_user(statement: Executable, params: dict) -> list | None:
    """The rows of ``statement`` with ``params`` if they came with the user, else None (once:
    a second reading of the same statement, after a write, goes to the database)."""
    if not has_request_context():
        return None
    found = g.pop("read_with_user", None)
    if found is None or found[0] is not statement or found[1] != params:
        return None
    return found[2]
