"""The reaction survey after a course: who answered or skipped, and the anonymous answers

Revision ID: c4d8a1e6f3b2
Revises: d24328c4e3a8
Create Date: 2026-11-30 15:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "c4d8a1e6f3b2"
down_revision = "d24328c4e3a8"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "survey_status",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.String(length=100), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("skipped_on", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "state IN ('answered', 'skipped_once', 'skipped_twice')", name=op.f("ck_survey_status_state")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_survey_status_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_status")),
        sa.UniqueConstraint("user_id", "course_id", name=op.f("uq_survey_status_user_id_course_id")),
    )
    op.create_table(
        "survey_responses",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("course_id", sa.String(length=100), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("month", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_survey_responses_unit_id_units"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_responses")),
    )
    op.create_index("ix_survey_responses_course", "survey_responses", ["course_id", "unit_id"], unique=False)
    op.create_table(
        "survey_answers",
        sa.Column("response_id", sa.String(length=32), nullable=False),
        sa.Column("item_id", sa.String(length=40), nullable=False),
        sa.Column("score", sa.SmallInteger(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.CheckConstraint("score IS NULL OR (score >= 1 AND score <= 5)", name=op.f("ck_survey_answers_score")),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["survey_responses.id"],
            name=op.f("fk_survey_answers_response_id_survey_responses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("response_id", "item_id", name=op.f("pk_survey_answers")),
    )
    op.create_index("ix_survey_answers_item", "survey_answers", ["item_id", "score"], unique=False)


def downgrade():
    op.drop_index("ix_survey_answers_item", table_name="survey_answers")
    op.drop_table("survey_answers")
    op.drop_index("ix_survey_responses_course", table_name="survey_responses")
    op.drop_table("survey_responses")
    op.drop_table("survey_status")
