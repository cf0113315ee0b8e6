"""Known devices: a signed cookie naming the NIPs that have logged in successfully on a browser.

The per-NIP login limit exists to stop password guessing against one account; counted
naively, it also lets anyone lock the owner out by typing wrong passwords for their NIP.
Following OWASP's "device cookie" advice, a browser where the NIP has logged in before is
exempt from that NIP's limit (the per-address limit still applies): the attacker, who has
no such cookie, is stopped; the owner on their usual browser is not.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

COOKIE = "perangkat"
KEEP = 5  # NIPs remembered per browser (a shared office computer)
MAX_AGE = 365 * 24 * 3600


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="known-device")


def _tag(nip: str) -> str:
    """A keyed hash of the NIP, so the cookie does not show which accounts used the browser."""
    key = current_app.secret_key.encode() if isinstance(current_app.secret_key, str) else current_app.secret_key
    return hmac.new(key, nip.encode(), hashlib.sha256).hexdigest()[:20]


def _known() -> list[str]:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return []
    try:
        tags = _serializer().loads(raw)
    except BadSignature:
        return []
    return [t for t in tags if isinstance(t, str)][:KEEP] if isinstance(tags, list) else []


def is_known_device(nip: str) -> bool:
    """Whether this browser has logged in as ``nip`` before."""
    return bool(nip) and _tag(nip) in _known()


def remember_device(response: Response, nip: str) -> Response:
    """Add ``nip`` to this browser's known-device cookie."""
    tags = [_tag(nip)] + [t for t in _known() if t != _tag(nip)]
    response.set_cookie(
        COOKIE,
        _serializer().dumps(tags[:KEEP]),
        max_age=MAX_AGE,
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        samesite="Lax",
    )
    return response
