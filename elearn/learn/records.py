"""What a learner has earned: course completions and the JP they credit."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func

from .. import clock
from ..extensions import db
from ..models import Completion


def year_bounds_utc(year: int) -> tuple[datetime, datetime]:
    """Return the start of ``year`` and of the next year in WIB, as naive UTC datetimes."""
    start = datetime(year, 1, 1, tzinfo=clock.WIB).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
    end = datetime(year + 1, 1, 1, tzinfo=clock.WIB).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
    return start, end


def jp_this_year(user_id: int, year: int | None = None) -> int:
    """Return the JP credited to the user by courses completed in this (WIB) year."""
    year = year or clock.today_wib().year
    start, end = year_bounds_utc(year)
    total = db.session.execute(
        db.select(func.coalesce(func.sum(Completion.jp), 0)).where(
            Completion.user_id == user_id, Completion.completed_at >= start, Completion.completed_at < end
        )
    ).scalar_one()
    return int(total)
