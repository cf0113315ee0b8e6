"""What the dashboard asks of a learner after their courses, read in one statement.

Each of the learner's completions with the survey status and the action plan of its course
(each unique per person and course, so one row per completion): the JP of this year, the
surveys to offer now and the action plans whose follow-up day has come. Read separately, these
were three statements on every dashboard view of a learner with a completed course.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, bindparam, select

from .. import clock
from ..actionplan.models import ActionPlan
from ..evaluation.models import SurveyStatus
from ..evaluation.responses import is_due
from ..extensions import db
from ..models import Completion
from .records import year_bounds_utc


@dataclass
class AfterCourse:
    jp_this_year: int = 0
    surveys_due: set[str] = field(default_factory=set)  # course ids whose survey to offer now
    follow_ups: list[ActionPlan] = field(default_factory=list)  # plans due for the learner's report


def _same_person_and_course(model):
    return and_(model.user_id == Completion.user_id, model.course_id == Completion.course_id)


# Built once (its cache key is then memoised): the dashboard asks it on every view.
_AFTER_COURSE = (
    select(Completion, SurveyStatus, ActionPlan)
    .outerjoin(SurveyStatus, _same_person_and_course(SurveyStatus))
    .outerjoin(ActionPlan, _same_person_and_course(ActionPlan))
    .where(Completion.user_id == bindparam("user_id"))
)


def after_course(user_id: int, survey_day: date, plan_day: date) -> AfterCourse:
    """The learner's JP this (WIB) year, surveys due on ``survey_day`` and plans due by ``plan_day``."""
    rows = db.session.execute(_AFTER_COURSE, {"user_id": user_id}).all()
    start, end = year_bounds_utc(clock.today_wib().year)
    found = AfterCourse()
    for completion, status, plan in rows:
        if start <= completion.completed_at < end:
            found.jp_this_year += completion.jp
        if is_due(status, True, survey_day):
            found.surveys_due.add(completion.course_id)
        if plan is not None and plan.due_on <= plan_day and plan.reported_at is None:
            found.follow_ups.append(plan)
    found.follow_ups.sort(key=lambda plan: (plan.due_on, plan.id))
    return found
