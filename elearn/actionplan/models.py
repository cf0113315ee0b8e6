"""Tables of the action plans: the plan, its one to three steps, the obstacles named at follow-up."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import utcnow

MAX_STEPS = 3
DEFAULT_FOLLOW_UP_DAYS = 30


class PlanResult(StrEnum):
    """What the learner reports at follow-up."""

    DONE = "done"
    PARTLY = "partly"
    NOT_YET = "not_yet"

    @property
    def label(self) -> str:
        return RESULT_LABELS[self]


RESULT_LABELS = {
    PlanResult.DONE: "Sudah terlaksana",
    PlanResult.PARTLY: "Sebagian terlaksana",
    PlanResult.NOT_YET: "Belum terlaksana",
}


class Obstacle(StrEnum):
    """Common obstacles a learner may tick at follow-up (anything else goes in the free text)."""

    WORKLOAD = "workload"
    NO_SUPPORT = "no_support"
    MOVED = "moved"
    NO_BUDGET = "no_budget"
    NO_TOOLS = "no_tools"
    PROCEDURE = "procedure"

    @property
    def label(self) -> str:
        return OBSTACLE_LABELS[self]


OBSTACLE_LABELS = {
    Obstacle.WORKLOAD: "Beban kerja terlalu padat",
    Obstacle.NO_SUPPORT: "Kurang dukungan atasan atau rekan kerja",
    Obstacle.MOVED: "Pindah tugas atau jabatan",
    Obstacle.NO_BUDGET: "Tidak ada anggaran",
    Obstacle.NO_TOOLS: "Sarana atau aplikasi belum mendukung",
    Obstacle.PROCEDURE: "Terbentur aturan atau prosedur",
}

# The supervisor's scale of how well the person applied the plan.
RATINGS = {
    1: "Belum menerapkan",
    2: "Menerapkan sebagian kecil",
    3: "Menerapkan sebagian besar",
    4: "Menerapkan sepenuhnya",
}


class ActionPlan(db.Model):
    """One learner's action plan for one course, its follow-up report and its confirmation.

    ``due_on`` is the plan's date in WIB plus the course's follow-up period, fixed when the
    plan is first written: from that day the learner is asked what happened (until answered)
    and the supervisor may confirm.
    """

    __tablename__ = "action_plans"
    __table_args__ = (
        UniqueConstraint("user_id", "course_id"),
        CheckConstraint("result IS NULL OR result IN ('done', 'partly', 'not_yet')", name="result"),
        CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 4", name="rating"),
        Index("ix_action_plans_course_due", "course_id", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    course_id: Mapped[str] = mapped_column(String(100))
    written_on: Mapped[date]
    due_on: Mapped[date] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The learner's follow-up.
    reported_at: Mapped[datetime | None]
    result: Mapped[str | None] = mapped_column(String(10))
    helped: Mapped[str | None] = mapped_column(String(1000))
    obstacle_note: Mapped[str | None] = mapped_column(String(1000))
    # The supervisor's confirmation.
    confirmed_at: Mapped[datetime | None]
    confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    rating: Mapped[int | None]
    comment: Mapped[str | None] = mapped_column(String(1000))

    steps: Mapped[list[ActionPlanStep]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="ActionPlanStep.position"
    )
    obstacles: Mapped[list[ActionPlanObstacle]] = relationship(cascade="all, delete-orphan")

    @property
    def reported(self) -> bool:
        return self.reported_at is not None

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

    def is_due(self, today: date) -> bool:
        return today >= self.due_on

    @property
    def result_label(self) -> str:
        return PlanResult(self.result).label if self.result else ""

    @property
    def rating_label(self) -> str:
        return RATINGS.get(self.rating, "") if self.rating else ""

    @property
    def obstacle_labels(self) -> list[str]:
        return [Obstacle(o.code).label for o in sorted(self.obstacles, key=lambda o: list(Obstacle).index(o.code))]


class ActionPlanStep(db.Model):
    """One concrete change the learner will make at work, and by when."""

    __tablename__ = "action_plan_steps"
    __table_args__ = (
        UniqueConstraint("plan_id", "position"),
        CheckConstraint("position BETWEEN 1 AND 3", name="position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("action_plans.id", ondelete="CASCADE"))
    position: Mapped[int]
    text: Mapped[str] = mapped_column(String(300))
    target_on: Mapped[date]

    plan: Mapped[ActionPlan] = relationship(back_populates="steps")


class ActionPlanObstacle(db.Model):
    """An obstacle ticked at follow-up: a row each, so the report counts them in SQL."""

    __tablename__ = "action_plan_obstacles"
    __table_args__ = (
        CheckConstraint(
            "code IN ('workload', 'no_support', 'moved', 'no_budget', 'no_tools', 'procedure')", name="code"
        ),
    )

    plan_id: Mapped[int] = mapped_column(ForeignKey("action_plans.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(String(20), primary_key=True, index=True)
