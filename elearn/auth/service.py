"""Authentication rules: checking credentials, changing passwords, ending sessions."""

from __future__ import annotations

import secrets

from sqlalchemy import bindparam
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


def load_user(cookie_id: str) -> User | None:
    """Return the user of a login cookie ``"<id>:<session token>"`` if the token is current."""
    user_id, _, token = cookie_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    if len(user_id) > 10:
        return None
    row = db.session.execute(_CURRENT_USER, {"user_id": int(user_id)}).first()
    if row is None:
        return None
    user, unit = row
    set_committed_value(user, "unit", unit)
    if not user.active or not secrets.compare_digest(user.session_token, token):
        return None
    return user
