"""Benchmarks: the course loader and the learner pages, each against a baseline in the same run.

    .venv/bin/python -m bench.run            (or: make bench)

Ratios, not seconds, are the result: they hold across machines.
- loader: parse + check + render + sanitise of every shipped course, against plain
  Python-Markdown converting the same files (the least any Markdown app must do).
- pages: each learner page through the whole app (session, login check, queries,
  templates), against a static file served by the same app, on a database holding
  10,000 staff with a year's worth of progress and attempts.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time

import markdown

from elearn import create_app
from elearn.catalog import load_catalog
from elearn.config import PROJECT_ROOT
from elearn.extensions import db
from elearn.models import Attempt, LessonProgress, Unit, User, utcnow
from elearn.quiz.attempts import build_snapshot

COURSES = PROJECT_ROOT / "courses"
STAFF = 10_000
PASSWORD = "bench-password-1"


def timed(function, repeat: int) -> float:
    """Return the median seconds of ``repeat`` calls."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def bench_loader() -> list[tuple[str, float, float]]:
    files = sorted(COURSES.glob("*/*.md"))

    def baseline():
        for path in files:
            markdown.markdown(path.read_text(encoding="utf-8"), extensions=["tables", "fenced_code"])

    def loader():
        load_catalog(COURSES)

    base = timed(baseline, 5)
    return [(f"load_catalog (4 courses, {len(files)} files)", timed(loader, 5), base)]


def seed(app):
    """10,000 staff in 20 units; 2,000 of them with progress and attempts. Returns (NIP, course)."""
    catalog = load_catalog(COURSES)
    course = catalog.courses[0]
    rng = random.Random(7)
    with app.app_context():
        db.create_all()
        units = [Unit(name=f"Unit {i}") for i in range(20)]
        db.session.add_all(units)
        db.session.flush()
        users = [
            User(
                nip=f"{i:018d}",  # the benchmark needs unique ids, not valid NIPs
                name=f"Pegawai {i}",
                unit_id=units[i % 20].id,
                role="asn",
                password_hash="x",
                must_change_password=False,
            )
            for i in range(STAFF)
        ]
        db.session.add_all(users)
        db.session.flush()
        now = utcnow()
        for user in users[:2000]:
            for lesson in course.lessons[: rng.randint(1, len(course.lessons))]:
                db.session.add(
                    LessonProgress(
                        user_id=user.id, course_id=course.id, lesson_id=lesson.id, read_at=now, completed_at=now
                    )
                )
            quiz = course.lessons[0].quiz
            snapshot = build_snapshot(quiz, rng)
            db.session.add(
                Attempt(
                    user_id=user.id,
                    course_id=course.id,
                    quiz_id=course.lessons[0].id,
                    kind="quiz",
                    title="Kuis",
                    status="graded",
                    snapshot=snapshot,
                    pass_score=70,
                    max_points=sum(q["points"] for q in snapshot["questions"]),
                    percent=80.0,
                    passed=True,
                    points=1,
                    submitted_at=now,
                )
            )
        learner = users[0]
        learner.nip = "198507122010012003"  # the one who logs in needs a valid NIP
        learner.set_password(PASSWORD)
        db.session.commit()
        return learner.nip, course


def bench_pages() -> list[tuple[str, float, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite",
                "SECRET_KEY": "bench",
                "INSTANCE_PATH": tmp,
                "WTF_CSRF_ENABLED": False,
            }
        )
        nip, course = seed(app)
        client = app.test_client()
        response = client.post("/masuk", data={"nip": nip, "password": PASSWORD})
        assert response.status_code == 302, response.status_code
        lesson = course.lessons[1]

        def get(url):
            def call():
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                response.close()

            return call

        base = timed(get("/static/css/app.css"), 50)
        pages = [
            ("dashboard /", "/"),
            ("catalog /kursus", "/kursus"),
            ("course page", f"/kursus/{course.id}/"),
            ("lesson page", f"/kursus/{course.id}/{lesson.id}"),
            ("quiz landing", f"/kursus/{course.id}/{lesson.id}/kuis"),
            ("history /riwayat", "/riwayat"),
        ]
        return [(name, timed(get(url), 50), base) for name, url in pages]


def main() -> int:
    rows = bench_loader() + bench_pages()
    width = max(len(name) for name, _, _ in rows)
    print(f"{'what':<{width}}  {'median':>10}  {'baseline':>10}  ratio")
    for name, value, base in rows:
        print(f"{name:<{width}}  {value * 1000:>8.2f}ms  {base * 1000:>8.2f}ms  {value / base:5.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
