"""Action plans (rencana aksi), their steps and the obstacles named at follow-up

Revision ID: cfa0b5ebe703
Revises: c4d8a1e6f3b2
Create Date: 2026-11-30 14:52:52.077987

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "cfa0b5ebe703"
down_revision = "c4d8a1e6f3b2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "action_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.String(length=100), nullable=False),
        sa.Column("written_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("reported_at", sa.DateTime(), nullable=True),
        sa.Column("result", sa.String(length=10), nullable=True),
        sa.Column("helped", sa.String(length=1000), nullable=True),
        sa.Column("obstacle_note", sa.String(length=1000), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(), nullable=True),
        sa.Column("confirmed_by", sa.Integer(), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("comment", sa.String(length=1000), nullable=True),
        sa.CheckConstraint(
            "result IS NULL OR result IN ('done', 'partly', 'not_yet')", name=op.f("ck_action_plans_result")
        ),
        sa.CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 4", name=op.f("ck_action_plans_rating")),
        sa.ForeignKeyConstraint(
            ["confirmed_by"], ["users.id"], name=op.f("fk_action_plans_confirmed_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_action_plans_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_plans")),
        sa.UniqueConstraint("user_id", "course_id", name=op.f("uq_action_plans_user_id_course_id")),
    )
    with op.batch_alter_table("action_plans", schema=None) as batch_op:
        batch_op.create_index("ix_action_plans_course_due", ["course_id", "due_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_action_plans_due_on"), ["due_on"], unique=False)

    op.create_table(
        "action_plan_obstacles",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.CheckConstraint(
            "code IN ('workload', 'no_support', 'moved', 'no_budget', 'no_tools', 'procedure')",
            name=op.f("ck_action_plan_obstacles_code"),
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["action_plans.id"],
            name=op.f("fk_action_plan_obstacles_plan_id_action_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("plan_id", "code", name=op.f("pk_action_plan_obstacles")),
    )
    with op.batch_alter_table("action_plan_obstacles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_plan_obstacles_code"), ["code"], unique=False)

    op.create_table(
        "action_plan_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("target_on", sa.Date(), nullable=False),
        sa.CheckConstraint("position BETWEEN 1 AND 3", name=op.f("ck_action_plan_steps_position")),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["action_plans.id"], name=op.f("fk_action_plan_steps_plan_id_action_plans"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_plan_steps")),
        sa.UniqueConstraint("plan_id", "position", name=op.f("uq_action_plan_steps_plan_id_position")),
    )


def downgrade():
    op.drop_table("action_plan_steps")
    with op.batch_alter_table("action_plan_obstacles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_plan_obstacles_code"))

    op.drop_table("action_plan_obstacles")
    with op.batch_alter_table("action_plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_plans_due_on"))
        batch_op.drop_index("ix_action_plans_course_due")

    op.drop_table("action_plans")
