"""Gunicorn settings, read from the project folder (gunicorn loads ./gunicorn.conf.py by default).

With more than one worker, each worker would count failed logins on its own unless the
limits live in a shared store, so a password guesser would get workers x the limit. The
server therefore refuses to start that way, with a message saying what to set.
"""

import os
import sys

MEMORY = "memory://"

# A worker silent this long is restarted. Pages answer in well under a second, but an admin
# confirming a staff import of the whole regency (10,000 new accounts, about 10 s with their
# initial passwords) must not be cut off at gunicorn's default of 30 s on a busy server.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))


def on_starting(server):
    storage = os.environ.get("RATELIMIT_STORAGE_URI", MEMORY)
    if server.cfg.workers > 1 and storage.startswith(MEMORY):
        message = (
            f"E-Learning ASN Sleman tidak dijalankan: {server.cfg.workers} worker gunicorn menghitung batas "
            "percobaan masuk sendiri-sendiri bila RATELIMIT_STORAGE_URI=memory://. Setel "
            "RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379 (penyimpanan bersama), atau jalankan satu worker (-w 1)."
        )
        print(message, file=sys.stderr, flush=True)
        sys.exit(4)


# Python's garbage collector, tuned once a worker has loaded the app. The app's own objects
# (the routes, templates, the course library) live as long as the worker: frozen, a full
# collection no longer walks them. A page builds a few thousand short-lived objects (rows,
# template output), which freed by reference counting need no collection at all: the
# youngest generation is collected every 50,000 allocations instead of every 700, the
# default sized for small scripts. Measured by `make bench` (bench/RESULTS.md).
GC_THRESHOLD = (50_000, 20, 20)


def post_worker_init(worker):
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)
