"""Settings an admin may change, read through one helper each (environment values as defaults)."""

from __future__ import annotations

from flask import current_app


def jp_target() -> int:
    """Return the yearly JP target every learner's record is measured against."""
    return int(current_app.config["JP_TARGET"])
