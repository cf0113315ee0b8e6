"""make bench: honest figures, each a ratio to a baseline measured in the same run.

    .venv/bin/python -m bench.run        (make bench; a few minutes; writes bench/RESULTS.md)

- Pages (GET, logged in): the app and a bare Flask app returning a fixed page of a lesson's
  size, both under gunicorn with 2 sync workers, loaded by wrk with the same connections and
  duration, interleaved (each page between two runs of the bare page, its ratio taken to their
  mean) and repeated; medians of the rounds.
- Autosave and submit (POST, a distinct learner each, every submit checked stored exactly
  once) against the bare app's POST, with the same Python load generator and concurrency.
- An exam morning: 1,000 learners, already logged in, start the same pre-test within a minute.
- The course library: 1,000 generated lessons loaded cold against plain Python-Markdown on the
  same files, and the warm check that finds nothing changed.
- Statements per page, worker memory and bytes per page over the wire.
Each on SQLite and PostgreSQL (database ``bench_<random>``, dropped afterwards).

BENCH_BEFORE=<folder of another checkout> measures that code too, beside this one (the
"before" column of RESULTS.md); BENCH_QUICK=1 shortens every run (a smoke test).
"""

from __future__ import annotations

import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import markdown
from flask import session
from flask_login import login_user
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from bench.report import FRAME
from bench.serve import Browser, check_page, gunicorn, token, worker_rss_mb, wrk
from elearn import create_app
from elearn.catalog import load_catalog
from elearn.config import PROJECT_ROOT
from elearn.extensions import db
from elearn.library import CourseLibrary
from elearn.models import Attempt, LessonProgress, Unit, User, utcnow
from elearn.quiz.attempts import build_snapshot

QUICK = os.environ.get("BENCH_QUICK") == "1"
SECONDS = 2 if QUICK else 4
ROUNDS = 2 if QUICK else 3
CONNECTIONS = 16
WORKERS = 2
STAFF = 10_000
BURST = 200 if QUICK else 1000
BURST_WINDOW = 15 if QUICK else 60
POSTERS = 100 if QUICK else 200
SECRET = "bench-secret"
PASSWORD = "kopi tubruk di pagi hari"
COURSES = PROJECT_ROOT / "courses"
PG_ADMIN = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
RESULTS = PROJECT_ROOT / "bench" / "RESULTS.md"


# --- data -----------------------------------------------------------------------------------------


@contextmanager
def database(kind: str, folder: Path):
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'bench.sqlite'}"
        return
    name = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def app_env(url: str, folder: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "INSTANCE_PATH": str(folder),
        "SECRET_KEY": SECRET,
        "COURSES_DIR": str(COURSES),
        "SESSION_COOKIE_SECURE": "0",
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/14",
        "LOGIN_RATE_LIMIT_IP": "100000 per minute",
    }


def make_app(url: str, folder: Path):
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": SECRET,
            "INSTANCE_PATH": str(folder),
            "COURSES_DIR": str(COURSES),
            "SESSION_COOKIE_SECURE": False,  # the benchmark speaks plain HTTP on loopback
        }
    )


def seed(app) -> tuple[str, list[int]]:
    """10,000 staff in 20 units, 2,000 with a course half done; returns (the bench learner's NIP, other ids)."""
    course = load_catalog(COURSES).courses[0]
    rng = random.Random(7)
    with app.app_context():
        db.create_all()
        units = [Unit(name=f"Unit {i}") for i in range(20)]
        db.session.add_all(units)
        db.session.flush()
        users = [
            User(
                nip=f"{i:018d}",
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
            snapshot = build_snapshot(course.lessons[0].quiz, rng)
            db.session.add(
                Attempt(
                    user_id=user.id,
                    course_id=course.id,
                    quiz_id=course.lessons[0].id,
                    kind="quiz",
                    title="Kuis",
                    status="graded",
                    snapshot=snapshot.to_json(),
                    pass_score=70,
                    max_points=snapshot.max_points,
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
        return learner.nip, [u.id for u in users[2000:]]


def forged_sessions(app, user_ids: list[int]) -> list[tuple[int, str]]:
    """(id, session cookie) of learners who logged in earlier (a login lasts hours; no scrypt is re-run)."""
    cookies = []
    serializer = app.session_interface.get_signing_serializer(app)
    with app.app_context():
        users = db.session.execute(db.select(User).where(User.id.in_(user_ids))).scalars().all()
        for user in users:
            with app.test_request_context(
                "/", environ_base={"REMOTE_ADDR": "127.0.0.1"}, headers={"User-Agent": "elearn-bench/1"}
            ):
                login_user(user)
                cookies.append((user.id, serializer.dumps(dict(session))))
    return cookies


# --- pages under load -----------------------------------------------------------------------------------


def log_in(base: str, nip: str) -> Browser:
    browser = Browser(base)
    _, html, _, _ = browser.open("/masuk")
    status, _, url, _ = browser.open("/masuk", {"csrf_token": token(html), "nip": nip, "password": PASSWORD})
    assert status == 200 and not url.endswith("/masuk"), (status, url)
    return browser


def open_quiz(browser: Browser, course_id: str, lesson_id: str) -> str:
    _, html, _, _ = browser.open(f"/kursus/{course_id}/{lesson_id}/kuis")
    status, _, url, _ = browser.open(f"/kursus/{course_id}/{lesson_id}/kuis/mulai", {"csrf_token": token(html)})
    assert status == 200 and re.search(r"/kuis/\d+$", url), (status, url)
    return url.removeprefix(browser.base)


def bench_pages(app_base: str, bare_base: str, nip: str, course) -> dict:
    browser = log_in(app_base, nip)
    lesson = course.lessons[1]
    take = open_quiz(browser, course.id, lesson.id)
    pages = {
        "lesson": (f"/kursus/{course.id}/{lesson.id}", lesson.title),
        "catalog": ("/kursus", "Katalog kursus"),
        "dashboard": ("/", "Jam pelajaran tahun ini"),
        "course": (f"/kursus/{course.id}/", "Daftar pelajaran"),
        "quiz take": (take, "Kirim jawaban"),
    }
    cookie = browser.cookie_header()
    sizes = {name: check_page(app_base, path, cookie, expect) for name, (path, expect) in pages.items()}
    # The frame alone, for scale (no target): a logged-in page that only reads its user and
    # draws the header and footer every page has (a path no route serves: a 404).
    pages[FRAME] = ("/halaman-yang-tidak-ada", "Halaman tidak ditemukan")
    sizes[FRAME] = check_page(app_base, pages[FRAME][0], cookie, pages[FRAME][1], status=404)
    # Each page is measured between two runs of the bare page and taken as a ratio to their
    # mean: this machine's throughput drifts by a fifth within minutes, and a baseline measured
    # once per round left the pages measured furthest from it off by as much.
    bare, found, errors = [], {name: [] for name in pages}, 0
    for _ in range(ROUNDS):
        previous = wrk(bare_base + "/", SECONDS, CONNECTIONS).rate
        bare.append(previous)
        for name, (path, expect) in pages.items():
            run = wrk(app_base + path, SECONDS, CONNECTIONS, cookie)
            following = wrk(bare_base + "/", SECONDS, CONNECTIONS).rate
            found[name].append((run.rate, (previous + following) / 2))
            bare.append(following)
            if name == FRAME:  # every answer a 404 (a 500 is caught in the server's log, see bench_database)
                errors += run.requests - run.bad
                check_page(app_base, path, cookie, expect, status=404)
            else:
                errors += run.bad
            previous = following
    return {
        "bare_rps": round(statistics.median(bare)),
        "pages": {
            name: {
                "rps": round(statistics.median(rate for rate, _ in runs)),
                "bare_rps": round(statistics.median(around for _, around in runs)),
                "ratio": round(statistics.median(rate / around for rate, around in runs), 3),
                "bytes": sizes[name],
            }
            for name, runs in found.items()
        },
        "errors": errors,
    }


def server_errors(log: Path) -> int:
    """Requests that ended in an exception, as Flask logs them (a 500 page)."""
    return log.read_text(errors="replace").count("Exception on ")


def run_learners(tasks, concurrency: int, window: float = 0.0) -> tuple[list[float], int, float]:
    """Run callables (each returns seconds or raises); arrivals spread over ``window`` seconds."""
    times, failures = [], 0
    lock = threading.Lock()
    started = time.perf_counter()
    rng = random.Random(3)
    offsets = sorted(rng.uniform(0, window) for _ in tasks) if window else [0.0] * len(tasks)

    def run(item):
        nonlocal failures
        offset, task = item
        delay = started + offset - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        try:
            seconds = task()
            with lock:
                times.append(seconds)
        except Exception:
            with lock:
                failures += 1

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(run, zip(offsets, tasks, strict=True)))
    return times, failures, time.perf_counter() - started


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] if ordered else float("nan")


def bench_posts(app_base: str, bare_base: str, cookies: list[tuple[int, str]], course, url: str) -> dict:
    """Autosave and submit of distinct learners (CONNECTIONS at a time) against the bare app's POST."""
    lesson = course.lessons[1]
    learners = []
    ids = {user_id for user_id, _ in cookies}
    for _, cookie in cookies:
        browser = Browser(app_base, {"session": cookie})
        take = open_quiz(browser, course.id, lesson.id)
        _, html, _, _ = browser.open(take)
        learners.append(
            (
                browser,
                take,
                {
                    "csrf_token": token(html),
                    "attempt_token": re.search(r'name="attempt_token" value="([^"]+)"', html).group(1),
                },
            )
        )

    def post(browser, path, data, expect):
        def call():
            status, _, final, seconds = browser.open(path, data)
            if status != 200 or not final.endswith(expect):
                raise RuntimeError(status)
            return seconds

        return call

    bare_browser = Browser(bare_base)
    bare_tasks = [post(bare_browser, "/", {"x": "1"}, "/") for _ in range(len(learners) * 5)]
    _, bare_failures, bare_elapsed = run_learners(bare_tasks, CONNECTIONS)
    saves = [
        post(b, f"{take}/simpan", {**form, "q": "0", "a0": str(i % 2)}, "/simpan")
        for i in range(5)
        for b, take, form in learners
    ]
    save_times, save_failures, save_elapsed = run_learners(saves, CONNECTIONS)
    submits = [post(b, f"{take}/kirim", {**form, "q": "0", "a0": "0"}, "/hasil") for b, take, form in learners]
    submit_times, submit_failures, submit_elapsed = run_learners(submits, CONNECTIONS)
    engine = create_engine(url)
    with engine.connect() as conn:
        per_user = conn.execute(
            text(
                "SELECT user_id, count(*), sum(CASE WHEN status = 'graded' THEN 1 ELSE 0 END) FROM attempts "
                "WHERE quiz_id = :quiz GROUP BY user_id"
            ),
            {"quiz": lesson.id},
        ).all()
    engine.dispose()
    stored_once = sum(1 for user_id, count, graded in per_user if user_id in ids and count == 1 and graded == 1)
    bare_rate = len(bare_tasks) / bare_elapsed
    return {
        "bare_post_rps": round(bare_rate),
        "autosave": {
            "rps": round(len(saves) / save_elapsed),
            "ratio": round(len(saves) / save_elapsed / bare_rate, 3),
            "p95_ms": round(1000 * p95(save_times)),
            "errors": save_failures,
        },
        "submit": {
            "rps": round(len(submits) / submit_elapsed),
            "ratio": round(len(submits) / submit_elapsed / bare_rate, 3),
            "p95_ms": round(1000 * p95(submit_times)),
            "errors": submit_failures,
            "stored_exactly_once": f"{stored_once} of {len(learners)}",
        },
        "bare_errors": bare_failures,
    }


def bench_burst(app_base: str, cookies: list[str], course, url: str) -> dict:
    """1,000 learners, already logged in, start the same pre-test within a minute."""

    def learner(cookie):
        def visit():
            browser = Browser(app_base, {"session": cookie})
            status, html, _, landing = browser.open(f"/kursus/{course.id}/ujian/pre-test")
            if status != 200:
                raise RuntimeError(status)
            status, _, final, start = browser.open(
                f"/kursus/{course.id}/ujian/pre-test/mulai", {"csrf_token": token(html)}
            )
            if status != 200 or not re.search(r"/kuis/\d+$", final):
                raise RuntimeError(status)
            return max(landing, start)

        return visit

    times, failures, _ = run_learners([learner(c) for _, c in cookies], concurrency=100, window=BURST_WINDOW)
    engine = create_engine(url)
    with engine.connect() as conn:
        opened = conn.execute(
            text("SELECT count(DISTINCT user_id), count(*) FROM attempts WHERE kind = 'pretest'")
        ).one()
    engine.dispose()
    return {
        "learners": len(cookies),
        "window_s": BURST_WINDOW,
        "errors": failures,
        "p95_ms": round(1000 * p95(times)),
        "max_ms": round(1000 * max(times)) if times else None,
        "attempts": f"{opened[1]} for {opened[0]} learners",
    }


# --- in-process figures -------------------------------------------------------------------------------------


def statements_and_bytes(app, nip: str, course) -> dict:
    """Statements the app sends per page (not BEGIN/COMMIT), and compressed bytes over the wire.

    Requests run outside any app context of ours, each in its own, as in production (a shared
    context would keep the user and the session's objects between requests and undercount).
    """
    lesson = course.lessons[1]
    pages = {
        "lesson": f"/kursus/{course.id}/{lesson.id}",
        "catalog": "/kursus",
        "dashboard": "/",
        "course": f"/kursus/{course.id}/",
        "quiz landing": f"/kursus/{course.id}/{lesson.id}/kuis",
        "history": "/riwayat",
        "search": "/cari?q=prioritas",
    }
    found = {}
    with app.app_context():
        engine = db.engine
    client = app.test_client()
    html = client.get("/masuk").get_data(as_text=True)
    client.post("/masuk", data={"csrf_token": token(html), "nip": nip, "password": PASSWORD})
    sent: list[str] = []

    def record(conn, cursor, statement, *args):
        if not re.match(r"\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)", statement, re.I):
            sent.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        for name, path in pages.items():
            client.get(path)  # a first view may record the visit
            sent.clear()
            response = client.get(path, headers={"Accept-Encoding": "br, gzip"})
            assert response.status_code == 200, (path, response.status_code)
            writes = [s for s in sent if s.lstrip().split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]
            found[name] = {"statements": len(sent), "writes": len(writes), "bytes": len(response.data)}
        assets = static_urls(client, pages["lesson"])
        sent.clear()
        first = sum(len(client.get(url, headers={"Accept-Encoding": "br, gzip"}).data) for url in assets)
        found["lesson"]["first_visit_bytes"] = found["lesson"]["bytes"] + first
        found["static_file_statements"] = len(sent)
    finally:
        event.remove(engine, "before_cursor_execute", record)
        engine.dispose()
    return found


def static_urls(client, page: str) -> list[str]:
    html = client.get(page).get_data(as_text=True)
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def bench_library() -> dict:
    """1,000 generated lessons: loaded cold, against plain Python-Markdown of the same files; the warm check."""
    sources = sorted(p for p in COURSES.glob("*/[0-9]*.md"))
    overview = next(COURSES.glob("*/course.md")).read_text()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for number in range(1000):
            course = root / f"kursus-{number // 10:03d}"
            course.mkdir(exist_ok=True)
            (course / "course.md").write_text(overview)
            source = sources[number % len(sources)]
            (course / f"{number % 10 + 1:02d}-pelajaran-{number:04d}.md").write_text(
                re.sub(r"!\[[^\]]*\]\(assets/[^)]*\)", "", source.read_text())
            )
        files = sorted(root.glob("*/*.md"))

        def plain():
            for path in files:
                markdown.markdown(path.read_text(encoding="utf-8"), extensions=["tables", "fenced_code"])

        base = min(timed(plain) for _ in range(2))
        cold = min(timed(lambda: load_catalog(root)) for _ in range(2))
        catalog = load_catalog(root)
        library = CourseLibrary(str(root), "/kursus/{course}/assets/", check_seconds=0)
        warm = min(timed(lambda: library.catalog) for _ in range(5))
        return {
            "lessons": 1000,
            "files": len(files),
            "courses_ok": len(catalog.courses),
            "plain_markdown_s": round(base, 2),
            "cold_load_s": round(cold, 2),
            "cold_ratio": round(cold / base, 2),
            "warm_check_ms": round(1000 * warm, 1),
        }


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


# --- one database ----------------------------------------------------------------------------------------------


def bench_database(kind: str, trees: dict[str, Path]) -> dict:
    course = load_catalog(COURSES).courses[0]
    results = {}
    with tempfile.TemporaryDirectory() as folder, database(kind, Path(folder)) as url:
        folder = Path(folder)
        app = make_app(url, folder)
        nip, others = seed(app)
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", "db", "stamp", "head"],
            cwd=PROJECT_ROOT,
            env=app_env(url, folder),
            check=True,
            capture_output=True,
        )
        cookies = forged_sessions(app, others[: BURST + POSTERS * len(trees)])
        with gunicorn("bench.bare:app", PROJECT_ROOT, app_env(url, folder), WORKERS) as (bare_base, _):
            for label, tree in trees.items():
                with gunicorn("wsgi:app", tree, app_env(url, folder), WORKERS, folder / f"{label}.log") as (
                    base,
                    master,
                ):
                    figures = bench_pages(base, bare_base, nip, course)
                    figures["errors"] += server_errors(folder / f"{label}.log")
                    figures["worker_rss_mb"] = worker_rss_mb(master)
                    mine = cookies[BURST + POSTERS * list(trees).index(label) :][:POSTERS]
                    figures["posts"] = bench_posts(base, bare_base, mine, course, url)
                    if label == "after":
                        figures["burst"] = bench_burst(base, cookies[:BURST], course, url)
                    results[label] = figures
        results["in_process"] = statements_and_bytes(make_app(url, folder), nip, course)
    return results


def main() -> int:
    trees = {"after": PROJECT_ROOT}
    if os.environ.get("BENCH_BEFORE"):
        trees = {"before": Path(os.environ["BENCH_BEFORE"]).resolve(), **trees}
    report = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "settings": {
            "seconds": SECONDS,
            "rounds": ROUNDS,
            "connections": CONNECTIONS,
            "workers": WORKERS,
            "staff": STAFF,
            "quick": QUICK,
        },
        "library": bench_library(),
    }
    for kind in ("sqlite", "postgresql"):
        print(f"== {kind}", file=sys.stderr)
        report[kind] = bench_database(kind, trees)
    from bench.leaders import bench_leaders

    report["leaders"] = {kind: bench_leaders(kind) for kind in ("sqlite", "postgresql")}
    (PROJECT_ROOT / "bench" / "results.json").write_text(json.dumps(report, indent=2))
    from bench.report import write_markdown

    RESULTS.write_text(write_markdown(report))
    print(RESULTS.read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
