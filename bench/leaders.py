"""The leaders' and admins' pages on a demo regency of 1,000 and 10,000 learners: time and statements.

    .venv/bin/python -m bench.leaders        (also part of make bench; alone, it updates that part of RESULTS.md)

In-process (the test client; each request in its own app context, as in production): the
unit dashboard of a supervisor of Dinas Kesehatan (with its 25 puskesmas) and of an admin
(the whole regency), its second page of people behind, and one person's record; the admin
area's pages; the regency's exports (whole regency, this year, each once); and a staff
import of as many rows as the regency has learners (upload with preview, then confirm).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import event

from bench.run import PASSWORD, database, make_app
from bench.serve import token
from elearn.demo import build
from elearn.extensions import db
from elearn.library import current_catalog
from elearn.models import Unit, User

SIZES = tuple(int(size) for size in os.environ.get("BENCH_SIZES", "1000,10000").split(","))
TRANSACTION = re.compile(r"\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)", re.I)


def leader(app, role: str, unit_name: str) -> str:
    """Create a leader with a known password in a top-level unit; return the NIP."""
    with app.app_context():
        unit = db.session.execute(db.select(Unit).filter_by(name=unit_name, parent_id=None)).scalar_one()
        nip = {"supervisor": "197903152005011002", "trainer": "198105102006042003"}.get(role, "197612202003121001")
        user = User(nip=nip, name=f"Bench {role}", unit_id=unit.id, role=role, must_change_password=False)
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        return nip


def measure(app, nip: str, pages: dict[str, str]) -> dict:
    with app.app_context():
        engine = db.engine
    client = app.test_client()
    html = client.get("/masuk").get_data(as_text=True)
    client.post("/masuk", data={"csrf_token": token(html), "nip": nip, "password": PASSWORD})
    sent: list[str] = []

    def record(conn, cursor, statement, *args):
        if not TRANSACTION.match(statement):
            sent.append(statement)

    found = {}
    event.listen(engine, "before_cursor_execute", record)
    try:
        for name, path in pages.items():
            client.get(path)
            times = []
            for _ in range(5):
                sent.clear()
                started = time.perf_counter()
                response = client.get(path)
                times.append(time.perf_counter() - started)
                assert response.status_code == 200, (path, response.status_code)
            found[name] = {"ms": round(1000 * statistics.median(times)), "statements": len(sent)}
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return found


ADMIN_PAGES = {
    "admin home": "/admin/",
    "people": "/admin/pegawai",
    "people search": "/admin/pegawai?q=Sri&status=aktif",
    "units": "/admin/unit",
    "audit log": "/admin/log",
}
EXPORTS = ("riwayat-jp", "kemajuan", "ringkasan-unit")


def admin_client(app, nip: str):
    client = app.test_client()
    html = client.get("/masuk").get_data(as_text=True)
    client.post("/masuk", data={"csrf_token": token(html), "nip": nip, "password": PASSWORD})
    return client


def exports(app, nip: str) -> dict:
    """Each export of the whole regency for this year, once: seconds, rows and bytes."""
    client = admin_client(app, nip)
    found = {}
    for kind in EXPORTS:
        for fmt in ("csv", "xlsx"):
            started = time.perf_counter()
            response = client.get(f"/admin/ekspor/{kind}.{fmt}")
            body = response.get_data()
            seconds = time.perf_counter() - started
            assert response.status_code == 200, (kind, fmt, response.status_code)
            rows = body.count(b"\n") if fmt == "csv" else None
            found[f"{kind}.{fmt}"] = {"s": round(seconds, 2), "kb": round(len(body) / 1024), "lines": rows}
    return found


def staff_import(app, nip: str, size: int) -> dict:
    """A staff file of ``size`` new people in the regency's units: upload and preview, then confirm."""
    with app.app_context():
        names = db.session.execute(db.select(Unit.name).where(Unit.parent_id.is_(None))).scalars().all()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["nip", "nama", "unit", "jabatan", "email", "role"])
    for i in range(size):
        born = date(1960, 1, 1) + timedelta(days=i)
        writer.writerow([f"{born:%Y%m%d}2019031999", f"Pegawai Impor {i}", names[i % len(names)], "Staf", "", "asn"])
    client = admin_client(app, nip)
    html = client.get("/admin/impor").get_data(as_text=True)
    data = out.getvalue().encode()
    started = time.perf_counter()
    response = client.post(
        "/admin/impor",
        data={"csrf_token": token(html), "file": (io.BytesIO(data), "pegawai.csv")},
        content_type="multipart/form-data",
    )
    preview = client.get(response.headers["Location"])
    previewed = time.perf_counter() - started
    assert preview.status_code == 200
    started = time.perf_counter()
    done = client.post(response.headers["Location"] + "/konfirmasi", data={"csrf_token": token(html)})
    confirmed = time.perf_counter() - started
    if done.status_code != 200 or b"Impor selesai" not in done.data:
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        raise RuntimeError(f"the import was not confirmed: {page[page.find('<main') :][:1500]}")
    return {"rows": size, "preview_s": round(previewed, 1), "confirm_s": round(confirmed, 1)}


def trainer_pages() -> dict[str, str]:
    """The trainers' pages of the first course: health, results, and the analysis of its first quiz and exam."""
    course = current_catalog().courses[0]
    lesson = next(lesson for lesson in course.lessons if lesson.quiz)
    base = f"/pelatih/{course.id}"
    return {
        "course health": "/pelatih/",
        "course results": f"{base}/hasil",
        f"analysis {lesson.id} (first attempts)": f"{base}/analisis/{lesson.id}",
        f"analysis {lesson.id} (all attempts)": f"{base}/analisis/{lesson.id}?percobaan=semua",
        "analysis exam (first attempts)": f"{base}/analisis/ujian",
    }


def flagged(app) -> dict:
    """What the analysis of the first course's exam flags: questions per flag, and the answers behind them."""
    from elearn.models import EXAM
    from elearn.trainers.analysis import analyse

    with app.app_context():
        course = current_catalog().courses[0]
        result = analyse(course.id, EXAM, course.exam)
        found: dict = {"course": course.id, "questions": len(result.questions), "flags": {}}
        for stats in result.questions:
            for flag in stats.flags:
                found["flags"].setdefault(str(flag), []).append(
                    {
                        "question": stats.id,
                        "answers": stats.answers,
                        "facility": None if stats.facility is None else round(stats.facility, 2),
                        "discrimination": None if stats.discrimination is None else round(stats.discrimination, 2),
                    }
                )
        return found


def bench_leaders(kind: str) -> dict:
    results = {}
    for size in SIZES:
        with tempfile.TemporaryDirectory() as folder, database(kind, Path(folder)) as url:
            app = make_app(url, Path(folder))
            with app.app_context():
                db.create_all()
                started = time.perf_counter()
                made = build(current_catalog(), size)
                seconds = round(time.perf_counter() - started, 1)
                someone = db.session.execute(
                    db.select(User.id).where(User.role == "asn").order_by(User.id).limit(1)
                ).scalar_one()
            supervisor = leader(app, "supervisor", "Dinas Kesehatan")
            admin = leader(app, "admin", "BKPP Kabupaten Sleman")
            pages = {"unit dashboard": "/atasan", "its page 2": "/atasan?hal=2"}
            row = {"build_s": seconds, "made": made}
            row["supervisor"] = measure(app, supervisor, pages)
            row["admin"] = measure(app, admin, {**pages, "a person's record": f"/atasan/pegawai/{someone}"})
            row["admin area"] = measure(app, admin, ADMIN_PAGES)
            with app.app_context():
                pages_of_trainer = trainer_pages()
            row["trainer area"] = measure(app, leader(app, "trainer", "BKPP Kabupaten Sleman"), pages_of_trainer)
            row["exam analysis flags"] = flagged(app)
            row["exports"] = exports(app, admin)
            row["import"] = staff_import(app, admin, size)
            with app.app_context():
                db.engine.dispose()
            results[size] = row
    return results


def main() -> int:
    """Measure, then replace the leaders' part of bench/results.json and RESULTS.md (the rest stays)."""
    from bench.report import write_markdown
    from bench.run import PROJECT_ROOT, RESULTS

    leaders = {kind: bench_leaders(kind) for kind in ("sqlite", "postgresql")}
    print(json.dumps(leaders, indent=2))
    saved = PROJECT_ROOT / "bench" / "results.json"
    if saved.exists():
        report = json.loads(saved.read_text())
        report["leaders"] = leaders
        saved.write_text(json.dumps(report, indent=2))
        RESULTS.write_text(write_markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
