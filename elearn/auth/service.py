"""Authentication rules: checking credentials, changing passwords, ending sessions."""

from __future__ import annotations

import secrets

from ..extensions import db
from ..models import User, utcnow

# A hash to compare against when the NIP is unknown, so both paths take the same time.
_DUMMY_HASH = None


def authenticate(nip: str, password: str) -> User | None:
    """Return the active user with this NIP and password, or None."""
    global _DUMMY_HASH
    user = db.session.execute(db.select(User).filter_by(nip=nip)).scalar_one_or_none()
    if user is None:
        if _DUMMY_HASH is None:
            _DUMMY_HASH = User(password_hash="")
            _DUMMY_HASH.set_password(secrets.token_hex(8))
        _DUMMY_HASH.check_password(password)
        return None
    if not user.check_password(password) or not user.active:
        return None
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


def load_user(cookie_id: str) -> User | None:
    """Return the user of a login cookie ``"<id>:<session token>"`` if the token is current."""
    user_id, _, token = cookie_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not secrets.compare_digest(user.session_token, token):
        return None
    return user
