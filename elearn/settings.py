"""Settings an admin may change without a deploy, read through one helper each.

The value an admin saved (table ``settings``) wins; else the environment's (``config.py``).
Each worker keeps the saved values for ``SETTINGS_TTL`` seconds (derived state, like the
course catalog), so a change reaches every worker within that time and a page costs no
query for them; the worker that saves a change sees it at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import select

from .connections import read_plain
from .extensions import db
from .models import Setting, utcnow


@dataclass(frozen=True)
class Definition:
    key: str
    config: str  # the environment's value, as read into app.config
    label: str
    parse: Callable[[str], Any]
    hint: str


def _jp(raw: str) -> int:
    raw = raw.strip()
    if not raw.isdecimal() or len(raw) > 3 or not 1 <= int(raw) <= 200:
        raise ValueError("target JP harus bilangan bulat 1-200")
    return int(raw)


def _text(raw: str) -> str:
    value = " ".join(raw.split())
    if not 3 <= len(value) <= 200:
        raise ValueError("isi 3-200 karakter")
    return value


DEFINITIONS = {
    d.key: d
    for d in (
        Definition(
            "jp_target", "JP_TARGET", "Target JP per tahun", _jp, "Jam pelajaran minimal per pegawai per tahun."
        ),
        Definition("cert_issuer", "CERT_ISSUER", "Penerbit sertifikat", _text, "Nama lembaga di sertifikat."),
        Definition("cert_signatory", "CERT_SIGNATORY", "Penanda tangan sertifikat", _text, "Jabatan (dan nama)."),
        Definition(
            "organiser", "ORGANISER", "Penyelenggara (ekspor)", _text, "Penyelenggara di ekspor riwayat diklat."
        ),
    )
}


_SAVED = select(Setting.__table__.c.key, Setting.__table__.c.value)


def _saved() -> dict[str, str]:
    app = current_app._get_current_object()
    cached = app.extensions.get("settings_cache")
    now = time.monotonic()
    if cached is None or cached[0] < now:
        rows = dict(read_plain(_SAVED, {}))
        cached = (now + app.config["SETTINGS_TTL"], rows)
        app.extensions["settings_cache"] = cached
    return cached[1]


def value(key: str) -> Any:
    """Return a setting: the value an admin saved, else the environment's."""
    definition = DEFINITIONS[key]
    saved = _saved().get(key)
    if saved is not None:
        try:
            return definition.parse(saved)
        except ValueError:
            pass  # a value saved by an older rule: fall back to the environment's
    return current_app.config[definition.config]


def change(key: str, raw: str, by_id: int) -> tuple[Any, Any]:
    """Save a setting (not committed); return (before, after). Raises ValueError with the reason."""
    definition = DEFINITIONS[key]
    new = definition.parse(raw)
    old = value(key)
    row = db.session.get(Setting, key)
    if row is None:
        row = Setting(key=key)
        db.session.add(row)
    row.value, row.updated_at, row.updated_by = str(new), utcnow(), by_id
    current_app.extensions.pop("settings_cache", None)
    return old, new


def jp_target() -> int:
    """Return the yearly JP target every learner's record is measured against."""
    return value("jp_target")


def certificate_issuer() -> str:
    """Return the body named as the issuer on certificates."""
    return value("cert_issuer")


def certificate_signatory() -> str:
    """Return who signs certificates (a title, or a title and a name)."""
    return value("cert_signatory")


def organiser() -> str:
    """Return the organiser named in the regency's exports of completed courses."""
    return value("organiser")
