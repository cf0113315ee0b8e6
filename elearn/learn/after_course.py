"""The dashboard's reading: the learner's state in every course and what follows completed ones.

Each of the learner's completions comes with the survey status and the action plan of its
course (each unique per person and course, so one row per completion): the JP of this year,
the surveys to offer now and the action plans whose follow-up day has come. They are joined
to the completions of the learner's state statement (``progress.state_statement``), so the
dashboard reads progress, completions, attempts, surveys and plans in one statement; read
separately, these were four. The dashboard's fused reading (``DASHBOARD_WITH_USER``) adds its
user and what reaches the learner from others (``learn.from_others``): one statement in all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_

from .. import clock
from ..actionplan.models import ActionPlan
from ..auth.service import ReadWithUser, columns_from
from ..catalog import Course
from ..evaluation.models import SurveyStatus
from ..evaluation.responses import is_due
from ..models import Completion, plain_record
from .from_others import FROM_OTHERS, FromOthersRow
from .progress import CourseState, read_states, record_bounds, state_statement
from .records import year_bounds_utc


@dataclass
class AfterCourse:
    jp_this_year: int = 0
    surveys_due: set[str] = field(default_factory=set)  # course ids whose survey to offer now
    follow_ups: list[PlanFollowUpRecord] = field(default_factory=list)  # plans due for the learner's report


def _same_person_and_course(model):
    return and_(model.user_id == Completion.user_id, model.course_id == Completion.course_id)


# Built once (its cache key is then memoised): the dashboard asks it on every view.
# Read as plain records, as the learner's state is (``progress.read_states``), and only the
# columns the dashboard uses: whether the survey is due, and the plan's follow-up, not its
# texts (a report and a supervisor's comment are up to 1,000 characters each, on every view).
SurveyDueRecord = plain_record(SurveyStatus, keep=("id", "state", "skipped_on"))
PlanFollowUpRecord = plain_record(ActionPlan, keep=("id", "course_id", "written_on", "due_on", "reported_at"))
_AFTER_COMPLETION = (
    (SurveyDueRecord, _same_person_and_course(SurveyStatus)),
    (PlanFollowUpRecord, _same_person_and_course(ActionPlan)),
)
_EXTRAS = (SurveyDueRecord, PlanFollowUpRecord)
_DASHBOARD = state_statement(one_course=False, with_completion=_AFTER_COMPLETION)
_WIDTH = record_bounds(_EXTRAS)[-1][1]  # the state's columns; what reaches from others follows


def _state_row(rest: tuple) -> tuple | None:
    return rest[:_WIDTH] if any(value is not None for value in rest[:_WIDTH]) else None


# The dashboard loads its user with it (registered in the view), and what reaches the learner
# from others (``from_others``) as a fourth part: the whole dashboard in one statement.
DASHBOARD_WITH_USER = ReadWithUser(
    _DASHBOARD,
    state_statement(
        one_course=False,
        with_completion=_AFTER_COMPLETION,
        with_user=True,
        more=(FROM_OTHERS.subquery("from_others"),),
    ),
    lambda _: {},
    row=_state_row,
    also=((FROM_OTHERS, columns_from(_WIDTH, make=FromOthersRow._make)),),
    orm=False,
)


def dashboard_states(
    user_id: int, courses: tuple[Course, ...], survey_day: date, plan_day: date
) -> tuple[dict[str, CourseState], AfterCourse]:
    """The learner's state in every course, keyed by course id, and what follows their completed
    courses: JP this (WIB) year, surveys due on ``survey_day``, plans due by ``plan_day``."""
    states, completions = read_states(_DASHBOARD, {"user_id": user_id}, user_id, courses, _EXTRAS)
    start, end = year_bounds_utc(clock.today_wib().year)
    found = AfterCourse()
    for completion, status, plan in completions:
        if start <= completion.completed_at < end:
            found.jp_this_year += completion.jp
        if is_due(status, True, survey_day):
            found.surveys_due.add(completion.course_id)
        if plan is not None and plan.due_on <= plan_day and plan.reported_at is None:
            found.follow_ups.append(plan)
    found.follow_ups.sort(key=lambda plan: (plan.due_on, plan.id))
    return states, found
