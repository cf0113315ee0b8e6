"""Discussions: lesson and course threads, their posts, reports to moderators, read marks

Revision ID: d24328c4e3a8
Revises: b7e5a3c1f208
Create Date: 2026-11-30 14:51:21
"""

from alembic import op
import sqlalchemy as sa


revision = "d24328c4e3a8"
down_revision = "b7e5a3c1f208"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "forum_threads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.String(length=100), nullable=False),
        sa.Column("lesson_id", sa.String(length=100), nullable=True),
        sa.Column("title", sa.String(length=150), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_post_at", sa.DateTime(), nullable=False),
        sa.Column("pinned", sa.Boolean(), nullable=False),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("hidden_at", sa.DateTime(), nullable=True),
        sa.Column("hidden_reason", sa.String(length=300), nullable=True),
        sa.Column("hidden_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_forum_threads_author_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["hidden_by"], ["users.id"], name=op.f("fk_forum_threads_hidden_by_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forum_threads")),
    )
    with op.batch_alter_table("forum_threads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_forum_threads_author_id"), ["author_id"], unique=False)
        batch_op.create_index(
            "ix_forum_threads_place", ["course_id", "lesson_id", "pinned", "last_post_at"], unique=False
        )

    op.create_table(
        "forum_posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("hidden_at", sa.DateTime(), nullable=True),
        sa.Column("hidden_reason", sa.String(length=300), nullable=True),
        sa.Column("hidden_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_forum_posts_author_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["hidden_by"], ["users.id"], name=op.f("fk_forum_posts_hidden_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"], ["forum_threads.id"], name=op.f("fk_forum_posts_thread_id_forum_threads"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forum_posts")),
        sa.UniqueConstraint("author_id", "nonce", name=op.f("uq_forum_posts_author_id_nonce")),
    )
    with op.batch_alter_table("forum_posts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_forum_posts_author_id"), ["author_id"], unique=False)
        batch_op.create_index("ix_forum_posts_thread", ["thread_id", "id"], unique=False)

    op.create_table(
        "forum_reads",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("last_read_post_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["thread_id"], ["forum_threads.id"], name=op.f("fk_forum_reads_thread_id_forum_threads"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_forum_reads_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "thread_id", name=op.f("pk_forum_reads")),
    )
    op.create_table(
        "forum_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("resolved_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["post_id"], ["forum_posts.id"], name=op.f("fk_forum_reports_post_id_forum_posts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["reporter_id"], ["users.id"], name=op.f("fk_forum_reports_reporter_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by"], ["users.id"], name=op.f("fk_forum_reports_resolved_by_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forum_reports")),
        sa.UniqueConstraint("post_id", "reporter_id", name=op.f("uq_forum_reports_post_id_reporter_id")),
    )
    with op.batch_alter_table("forum_reports", schema=None) as batch_op:
        batch_op.create_index("ix_forum_reports_open", ["resolved_at", "post_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_forum_reports_reporter_id"), ["reporter_id"], unique=False)


def downgrade():
    with op.batch_alter_table("forum_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_forum_reports_reporter_id"))
        batch_op.drop_index("ix_forum_reports_open")

    op.drop_table("forum_reports")
    op.drop_table("forum_reads")
    with op.batch_alter_table("forum_posts", schema=None) as batch_op:
        batch_op.drop_index("ix_forum_posts_thread")
        batch_op.drop_index(batch_op.f("ix_forum_posts_author_id"))

    op.drop_table("forum_posts")
    with op.batch_alter_table("forum_threads", schema=None) as batch_op:
        batch_op.drop_index("ix_forum_threads_place")
        batch_op.drop_index(batch_op.f("ix_forum_threads_author_id"))

    op.drop_table("forum_threads")
