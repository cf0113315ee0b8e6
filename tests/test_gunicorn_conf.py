"""gunicorn refuses several workers that would each count failed logins on their own."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from elearn.config import PROJECT_ROOT

GUNICORN = Path(sys.executable).with_name("gunicorn")


def run(tmp_path, workers: int, storage: str | None) -> subprocess.CompletedProcess:
    env = {**os.environ, "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"}
    env.pop("RATELIMIT_STORAGE_URI", None)
    if storage:
        env["RATELIMIT_STORAGE_URI"] = storage
    command = [str(GUNICORN), "-w", str(workers), "-b", "127.0.0.1:0", "wsgi:app"]
    process = subprocess.Popen(
        command,
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=4)
        return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
    except subprocess.TimeoutExpired:  # it started and kept serving: stop it and its workers
        os.killpg(process.pid, signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=20)
        return subprocess.CompletedProcess(command, -1, stdout, stderr)


def test_several_workers_with_per_process_login_limits_refuse_to_start(tmp_path):
    refused = run(tmp_path, workers=2, storage=None)
    assert refused.returncode == 4
    assert "RATELIMIT_STORAGE_URI=redis://" in refused.stderr


def test_one_worker_or_a_shared_store_starts(tmp_path):
    assert run(tmp_path, workers=1, storage=None).returncode == -1
    assert run(tmp_path, workers=2, storage="redis://127.0.0.1:6379/15").returncode == -1
