"""What reaches a learner's dashboard from other people, read in one statement.

The courses their supervisors recommend (``reports.recommend``) and the new replies in the
discussions they took part in (``forum.reading``): each module keeps its own query and rules;
the dashboard reads both in one UNION ALL, itself read in the same statement as the
dashboard's user and the learner's state (``after_course.DASHBOARD_WITH_USER``).
"""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass

from sqlalchemy import Date, DateTime, Integer, String, literal_column, null, select, union_all

from ..auth.service import execute_or_read_with_user
from ..forum.reading import NewReplies, new_replies, new_replies_select
from ..reports.recommend import Recommended, recommendations_select, recommended


@dataclass(frozen=True)
class FromOthers:
    recommended: list[Recommended]
    new_replies: list[NewReplies]


def _statement():
    """Both parts in one column layout (the first part's column types apply to every row):
    part, course_id, deadline, created_at, done, thread_id, title, count, latest."""
    recommendations = recommendations_select().subquery("recommended")
    replies = new_replies_select().subquery("replies")
    return union_all(
        select(
            literal_column("1").label("part"),
            recommendations.c.course_id,
            recommendations.c.deadline,
            recommendations.c.created_at,
            recommendations.c.done,
            null().cast(Integer).label("thread_id"),
            null().cast(String).label("title"),
            null().cast(Integer).label("count"),
            null().cast(Integer).label("latest"),
        ),
        select(
            literal_column("2"),
            replies.c.course_id,
            null().cast(Date),
            null().cast(DateTime),
            null().cast(Integer),
            replies.c.thread_id,
            replies.c.title,
            replies.c.count,
            replies.c.latest,
        ),
    )


# Built once (its cache key is then memoised): every dashboard view reads it, with the user and
# the learner's state (``after_course.DASHBOARD_WITH_USER``) or on its own.
FROM_OTHERS = _statement()
FromOthersRow = namedtuple("FromOthersRow", [column.key for column in FROM_OTHERS.selected_columns])


def from_others(user_id: int) -> FromOthers:
    """The recommendations that reach the learner and their new replies (one statement)."""
    rows = execute_or_read_with_user(FROM_OTHERS, {"user_id": user_id}, orm=False)
    return FromOthers(
        recommended=recommended(row for row in rows if row.part == 1),
        new_replies=new_replies(row for row in rows if row.part == 2),
    )
