"""An answer's points as shown and the options it picked, for the question analysis

Revision ID: b7e5a3c1f208
Revises: 9e4b2c7a1d35
Create Date: 2026-11-30 14:30:00

Graded answers from before are filled in from their attempt's snapshot, so the analysis
covers every attempt ever made.
"""

import hashlib
import json

import sqlalchemy as sa
from alembic import op

revision = "b7e5a3c1f208"
down_revision = "9e4b2c7a1d35"
branch_labels = None
depends_on = None

CHOICE_TYPES = ("single", "multiple")
BATCH = 500


def upgrade():
    with op.batch_alter_table("answers") as batch:
        batch.add_column(sa.Column("max_points", sa.Double(), nullable=True))
        batch.add_column(sa.Column("picks", sa.String(length=400), nullable=True))
    _fill_in()


def downgrade():
    with op.batch_alter_table("answers") as batch:
        batch.drop_column("picks")
        batch.drop_column("max_points")


def _key(option_html: str) -> str:
    # The same as elearn.quiz.types.base.option_key, frozen here as migrations must be.
    return hashlib.sha256(option_html.encode()).hexdigest()[:10]


def _picked(options: list, response) -> list[int]:
    if isinstance(response, str):
        response = json.loads(response) if response not in ("", "null") else None
    if isinstance(response, bool) or response is None:
        return []
    values = [response] if isinstance(response, int) else response if isinstance(response, list) else []
    return [i for i in values if isinstance(i, int) and not isinstance(i, bool) and 0 <= i < len(options)]


def _fill_in():
    conn = op.get_bind()
    attempts = sa.table("attempts", sa.column("id"), sa.column("status"), sa.column("snapshot", sa.JSON))
    answers = sa.table(
        "answers",
        sa.column("id"),
        sa.column("attempt_id"),
        sa.column("position"),
        sa.column("response", sa.JSON),
        sa.column("max_points"),
        sa.column("picks"),
    )
    last = 0
    while True:
        rows = conn.execute(
            sa.select(attempts.c.id, attempts.c.snapshot)
            .where(attempts.c.status == "graded", attempts.c.id > last)
            .order_by(attempts.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        last = rows[-1][0]
        snapshots = {attempt_id: snapshot for attempt_id, snapshot in rows}
        found = conn.execute(
            sa.select(answers.c.id, answers.c.attempt_id, answers.c.position, answers.c.response).where(
                answers.c.attempt_id.in_(list(snapshots))
            )
        ).all()
        updates = []
        for answer_id, attempt_id, position, response in found:
            snapshot = snapshots[attempt_id]
            if isinstance(snapshot, str):
                snapshot = json.loads(snapshot)
            questions = (snapshot or {}).get("questions", [])
            if position >= len(questions):
                continue
            question = questions[position]
            picks = None
            if question.get("type") in CHOICE_TYPES:
                options = question.get("options") or []
                picks = ",".join(sorted(_key(options[i]) for i in _picked(options, response)))
            updates.append({"answer_id": answer_id, "max_points": question.get("points"), "picks": picks})
        if updates:
            conn.execute(
                answers.update()
                .where(answers.c.id == sa.bindparam("answer_id"))
                .values(max_points=sa.bindparam("max_points"), picks=sa.bindparam("picks")),
                updates,
            )
