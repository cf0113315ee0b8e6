"""The app's one clock: every "now" comes from ``now()``, so a test can move time in one place.

Tests replace ``now`` with ``monkeypatch.setattr(clock, "now", ...)``; every caller looks it up
through the module (``clock.now()``), never imports the function itself.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")


def now() -> datetime:
    """Return the current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def today_wib() -> date:
    """Return today's date in Sleman (Asia/Jakarta)."""
    return now().astimezone(WIB).date()
