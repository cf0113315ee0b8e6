"""Profile one learner page in-process with pyinstrument: where a request's time goes.

    .venv/bin/python -m bench.profile [URL-PATH]     (default: a shipped lesson page)

Prints pyinstrument's call tree of 300 views of the page by a learner of the 10,000-staff data
set; the findings are kept in bench/profile-notes.md.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from pyinstrument import Profiler

from bench.run import PASSWORD, make_app, seed
from bench.serve import token
from elearn.catalog import load_catalog
from elearn.config import PROJECT_ROOT


def main() -> int:
    course = load_catalog(PROJECT_ROOT / "courses").courses[0]
    path = sys.argv[1] if len(sys.argv) > 1 else f"/kursus/{course.id}/{course.lessons[1].id}"
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(f"sqlite:///{folder}/profile.sqlite", Path(folder))
        nip, _ = seed(app)
        with app.app_context():
            client = app.test_client()
            html = client.get("/masuk").get_data(as_text=True)
            client.post("/masuk", data={"csrf_token": token(html), "nip": nip, "password": PASSWORD})
            client.get(path)
            profiler = Profiler(interval=0.0005)
            profiler.start()
            for _ in range(300):
                client.get(path)
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False, show_all=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
