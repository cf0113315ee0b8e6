"""Migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from elearn import create_app
from elearn.extensions import db


@pytest.fixture
def empty_database(database_url, tmp_path):
    """Yield the URL of a new, empty database of the same kind as the test database."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite'}"
        return
    name = f"elearn_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_upgrade_from_empty_matches_the_models_and_downgrades(empty_database, tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database, "SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path)})
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
        assert diff == []
        downgrade(revision="base")
        upgrade()
        db.engine.dispose()


def test_upgrading_completes_opened_lessons_whose_quiz_was_passed(empty_database, tmp_path):
    """The completion-rule migration credits a passed quiz without a read mark, and nothing else."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database, "SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path)})
    with app.app_context():
        upgrade(revision="043e8e4ffbda")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO units (id, name) VALUES (1, 'Dinas')"))
            conn.execute(
                text(
                    "INSERT INTO users (id, nip, name, unit_id, role, password_hash, session_token, "
                    "must_change_password, active, created_at, position) VALUES "
                    "(1, '199001012015011001', 'A', 1, 'asn', 'x', 't', FALSE, TRUE, '2026-01-01', '')"
                )
            )
            for lesson in ("passed", "failed", "unopened-passed"):
                if lesson != "unopened-passed":
                    conn.execute(
                        text(
                            "INSERT INTO lesson_progress (user_id, course_id, lesson_id, first_opened_at) "
                            "VALUES (1, 'c', :lesson, '2026-01-01')"
                        ),
                        {"lesson": lesson},
                    )
                conn.execute(
                    text(
                        "INSERT INTO attempts (user_id, course_id, quiz_id, kind, title, number, status, token, "
                        "snapshot, pass_score, started_at, submitted_at, max_points, passed, late) VALUES "
                        "(1, 'c', :lesson, 'quiz', 'K', 1, 'graded', 't', '{}', 70, '2026-01-02', '2026-01-03', "
                        "1, :passed, FALSE)"
                    ),
                    {"lesson": lesson, "passed": lesson != "failed"},
                )
        upgrade()
        with db.engine.connect() as conn:
            rows = dict(conn.execute(text("SELECT lesson_id, completed_at FROM lesson_progress")).all())
        assert rows["passed"] is not None and str(rows["passed"]).startswith("2026-01-03")
        assert rows["failed"] is None
        assert "unopened-passed" not in rows
        db.engine.dispose()


def test_upgrading_fills_in_the_points_and_picks_of_graded_answers(empty_database, tmp_path):
    """Answers graded before the analysis columns existed get them from their attempt's snapshot."""
    import json

    from elearn.quiz.types.base import option_key

    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database, "SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path)})
    snapshot = {
        "version": 2,
        "questions": [
            {"id": "satu", "type": "single", "points": 1, "prompt_html": "", "options": ["<b>A</b>", "B", "C"]},
            {"id": "dua", "type": "multiple", "points": 2, "prompt_html": "", "options": ["X", "Y", "Z"]},
            {"id": "tiga", "type": "short", "points": 3, "prompt_html": ""},
            {"id": "empat", "type": "single", "points": 1, "prompt_html": "", "options": ["P", "Q"]},
        ],
    }
    with app.app_context():
        upgrade(revision="9e4b2c7a1d35")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO units (id, name) VALUES (1, 'Dinas')"))
            conn.execute(
                text(
                    "INSERT INTO users (id, nip, name, unit_id, role, password_hash, session_token, "
                    "must_change_password, active, created_at, position) VALUES "
                    "(1, '199001012015011001', 'A', 1, 'asn', 'x', 't', FALSE, TRUE, '2026-01-01', '')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO attempts (id, user_id, course_id, quiz_id, kind, title, number, status, token, "
                    "snapshot, pass_score, started_at, submitted_at, max_points, passed, late) VALUES "
                    "(1, 1, 'c', 'l', 'quiz', 'K', 1, 'graded', 't', :snapshot, 70, '2026-01-02', '2026-01-03', "
                    "7, TRUE, FALSE)"
                ),
                {"snapshot": json.dumps(snapshot)},
            )
            for position, question, response in (
                (0, "satu", "2"),
                (1, "dua", "[2, 0]"),
                (2, "tiga", '"jawab"'),
                (3, "empat", "null"),
            ):
                conn.execute(
                    text(
                        "INSERT INTO answers (attempt_id, position, course_id, quiz_id, question_id, response, "
                        "saved_at, points) VALUES (1, :position, 'c', 'l', :question, :response, '2026-01-02', 0)"
                    ),
                    {"position": position, "question": question, "response": response},
                )
        upgrade()
        with db.engine.connect() as conn:
            rows = {
                question: (points, picks)
                for question, points, picks in conn.execute(
                    text("SELECT question_id, max_points, picks FROM answers")
                ).all()
            }
        assert rows["satu"] == (1, option_key("C"))
        assert rows["dua"] == (2, ",".join(sorted([option_key("X"), option_key("Z")])))
        assert rows["tiga"] == (3, None)
        assert rows["empat"] == (1, "")
        db.engine.dispose()
