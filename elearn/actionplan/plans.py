"""The learner's side: write or edit a plan after completing a course, then report on it once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..catalog.model import Course
from ..extensions import db
from ..models import Completion, utcnow
from .models import ActionPlan, ActionPlanObstacle, ActionPlanStep, Obstacle, PlanResult


@dataclass(frozen=True)
class Step:
    """One change the learner will make, as typed in the form."""

    text: str
    target_on: date


@dataclass(frozen=True)
class Report:
    """The learner's follow-up, as typed in the form."""

    result: PlanResult
    helped: str
    obstacles: tuple[Obstacle, ...]
    obstacle_note: str


def plan_of(user_id: int, course_id: str) -> ActionPlan | None:
    """The learner's plan for a course with its steps and obstacles, or None."""
    query = (
        select(ActionPlan)
        .where(ActionPlan.user_id == user_id, ActionPlan.course_id == course_id)
        .options(selectinload(ActionPlan.steps), selectinload(ActionPlan.obstacles))
    )
    return db.session.execute(query).scalar_one_or_none()


def has_completed(user_id: int, course_id: str) -> bool:
    query = select(Completion.id).where(Completion.user_id == user_id, Completion.course_id == course_id)
    return db.session.execute(query).first() is not None


def due_follow_ups(user_id: int, today: date) -> list[ActionPlan]:
    """The learner's plans whose follow-up day has come and that are not yet answered (one query)."""
    query = (
        select(ActionPlan)
        .where(ActionPlan.user_id == user_id, ActionPlan.due_on <= today, ActionPlan.reported_at.is_(None))
        .order_by(ActionPlan.due_on, ActionPlan.id)
    )
    return list(db.session.execute(query).scalars())


def editing_refusal(plan: ActionPlan | None) -> str | None:
    """Why the plan may no longer be edited, or None."""
    if plan is not None and plan.reported:
        return "Rencana aksi ini sudah dilaporkan hasilnya, sehingga tidak dapat diubah lagi."
    return None


def report_refusal(plan: ActionPlan | None, today: date) -> str | None:
    """Why the learner may not report on the plan now, or None."""
    if plan is None:
        return "Anda belum menulis rencana aksi untuk kursus ini."
    if plan.reported:
        return "Hasil rencana aksi ini sudah Anda laporkan."
    if not plan.is_due(today):
        return "Laporan hasil rencana aksi baru dibuka pada tanggal tindak lanjutnya."
    return None


def save_plan(user_id: int, course: Course, steps: list[Step], today: date) -> ActionPlan:
    """Write the learner's plan, or replace its steps while it is not yet reported; commit.

    The follow-up date is set when the plan is first written and kept on later edits.
    """
    plan = plan_of(user_id, course.id)
    if plan is None:
        plan = ActionPlan(
            user_id=user_id,
            course_id=course.id,
            written_on=today,
            due_on=today + timedelta(days=course.follow_up_days),
        )
        db.session.add(plan)
        try:
            db.session.flush()
        except IntegrityError:  # the same form sent twice at once: the other request wrote it
            db.session.rollback()
            plan = plan_of(user_id, course.id)
    if editing_refusal(plan):
        raise ValueError(editing_refusal(plan))
    plan.steps.clear()
    db.session.flush()
    plan.steps.extend(
        ActionPlanStep(position=number, text=step.text, target_on=step.target_on)
        for number, step in enumerate(steps, start=1)
    )
    plan.updated_at = utcnow()
    db.session.commit()
    return plan


def save_report(plan: ActionPlan, report: Report) -> bool:
    """Record the learner's follow-up once; False when it was already recorded (nothing changes)."""
    now = utcnow()
    done = db.session.execute(
        update(ActionPlan)
        .where(ActionPlan.id == plan.id, ActionPlan.reported_at.is_(None))
        .values(
            reported_at=now,
            updated_at=now,
            result=report.result.value,
            helped=report.helped or None,
            obstacle_note=report.obstacle_note or None,
        )
    )
    if done.rowcount != 1:
        db.session.rollback()
        return False
    db.session.add_all(ActionPlanObstacle(plan_id=plan.id, code=code.value) for code in report.obstacles)
    db.session.commit()
    return True


@dataclass(frozen=True)
class PlanCard:
    """What the course page offers about the action plan: the plan, and may I edit or report it."""

    plan: ActionPlan | None
    may_write: bool
    may_report: bool


def plan_card(user_id: int, course_id: str, completed: bool, today: date) -> PlanCard | None:
    """The action plan box of a course page; None before the course is completed (no query then)."""
    if not completed:
        return None
    plan = plan_of(user_id, course_id)
    return PlanCard(plan, editing_refusal(plan) is None, plan is not None and report_refusal(plan, today) is None)
