"""The leaders' pages on a demo regency of 1,000 and 10,000 learners: time and statements.

    .venv/bin/python -m bench.leaders        (also part of make bench)

In-process (the test client; each request in its own app context, as in production): the
unit dashboard of a supervisor of Dinas Kesehatan (with its 25 puskesmas) and of an admin
(the whole regency), its second page of people behind, and one person's record.
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import event

from bench.run import PASSWORD, database, make_app
from bench.serve import token
from elearn.demo import build
from elearn.extensions import db
from elearn.library import current_catalog
from elearn.models import Unit, User

SIZES = (1_000, 10_000)
TRANSACTION = re.compile(r"\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)", re.I)


def leader(app, role: str, unit_name: str) -> str:
    """Create a leader with a known password in a top-level unit; return the NIP."""
    with app.app_context():
        unit = db.session.execute(db.select(Unit).filter_by(name=unit_name, parent_id=None)).scalar_one()
        nip = "197903152005011002" if role == "supervisor" else "197612202003121001"
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
            with app.app_context():
                db.engine.dispose()
            results[size] = row
    return results


def main() -> int:
    report = {kind: bench_leaders(kind) for kind in ("sqlite", "postgresql")}
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
