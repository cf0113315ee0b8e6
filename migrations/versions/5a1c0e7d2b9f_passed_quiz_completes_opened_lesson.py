"""A passed quiz completes an opened lesson (data only)

The completion rule changed: a lesson with a quiz is complete once the learner opened it
and passed its quiz, whether or not they pressed "Tandai selesai". Rows opened and passed
before the change are brought up to date, completed when their first passing attempt was
submitted. Pages apply the same rule on the next visit; this makes reports right at once.

Revision ID: 5a1c0e7d2b9f
Revises: 043e8e4ffbda
Create Date: 2026-11-30 11:30:00
"""
from alembic import op


revision = "5a1c0e7d2b9f"
down_revision = "043e8e4ffbda"
branch_labels = None
depends_on = None

PASSED = """
    FROM attempts a
    WHERE a.user_id = lesson_progress.user_id
      AND a.course_id = lesson_progress.course_id
      AND a.quiz_id = lesson_progress.lesson_id
      AND a.kind = 'quiz' AND a.status = 'graded' AND a.passed = TRUE
"""


def upgrade():
    op.execute(
        f"UPDATE lesson_progress SET completed_at = (SELECT MIN(a.submitted_at) {PASSED}) "
        f"WHERE completed_at IS NULL AND EXISTS (SELECT 1 {PASSED})"
    )


def downgrade():
    # Completions are never taken back: a learner keeps what the rule granted.
    pass
