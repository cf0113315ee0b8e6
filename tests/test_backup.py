"""flask backup / flask restore: a consistent online copy, taken while attempts are being written."""

from __future__ import annotations

import threading

from sqlalchemy import create_engine, text

from elearn import create_app
from elearn.extensions import db
from elearn.models import Attempt, utcnow
from tests.factories import make_user
from tests.test_migrations import empty_database  # noqa: F401 (a fixture)


def graded_attempt(user_id: int, number: int) -> Attempt:
    return Attempt(
        user_id=user_id,
        course_id="layanan-dasar",
        quiz_id="prioritas",
        kind="quiz",
        title="Kuis",
        number=number,
        status="graded",
        snapshot={"version": 2, "questions": []},
        pass_score=60,
        max_points=1,
        points=1,
        percent=100.0,
        passed=True,
        submitted_at=utcnow(),
    )


def test_a_backup_taken_during_writes_restores_every_attempt_graded_before_it(
    app,
    runner,
    tmp_path,
    empty_database,  # noqa: F811 (the fixture)
):
    user = make_user()
    for number in range(1, 51):
        db.session.add(graded_attempt(user.id, number))
    db.session.commit()
    stop = threading.Event()
    written = []

    def keep_writing():
        with app.app_context():
            number = 1000
            while not stop.is_set():
                number += 1
                db.session.add(graded_attempt(user.id, number))
                db.session.commit()
                written.append(number)
            db.session.remove()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        while len(written) < 5:  # the writer is under way
            stop.wait(0.01)
        before = set(db.session.execute(db.select(Attempt.id).filter_by(status="graded")).scalars())
        target = tmp_path / "cadangan.bin"
        result = runner.invoke(args=["backup", str(target)])
        assert result.exit_code == 0, result.output
    finally:
        stop.set()
        writer.join()
    assert len(written) > 5 and (target.stat().st_mode & 0o777) == 0o600

    restored = create_app(
        {"SQLALCHEMY_DATABASE_URI": empty_database, "SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path)}
    )
    with restored.app_context():
        result = restored.test_cli_runner().invoke(args=["restore", str(target), "--yes"])
        assert result.exit_code == 0, result.output
        engine = create_engine(empty_database)
        with engine.connect() as conn:
            rows = dict(conn.execute(text("SELECT id, status FROM attempts")).all())
            assert conn.execute(text("SELECT count(*) FROM users")).scalar() >= 1
        engine.dispose()
        db.engine.dispose()
    assert before <= set(rows) and all(rows[i] == "graded" for i in before)


def test_restore_refuses_a_missing_file_and_asks_before_replacing(runner, tmp_path):
    assert runner.invoke(args=["restore", str(tmp_path / "tidak-ada.bin")]).exit_code != 0
    target = tmp_path / "c.bin"
    runner.invoke(args=["backup", str(target)])
    answer = runner.invoke(args=["restore", str(target)], input="n\n")
    assert answer.exit_code != 0 and "Lanjutkan?" in answer.output
