"""Run the real app under gunicorn on loopback and drive it like browsers do (stdlib only).

Everything here talks to 127.0.0.1 alone, and every loop is bounded in count and time.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from elearn.config import PROJECT_ROOT

VENV_BIN = Path(sys.executable).parent
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
TOKEN = re.compile(r'name="attempt_token" value="([^"]+)"')
ATTEMPT = re.compile(r"/kuis/(\d+)$")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_env(database_url: str, instance: Path, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": str(instance),
        "SECRET_KEY": "uji-beban-rahasia",
        "COURSES_DIR": str(PROJECT_ROOT / "tests" / "fixtures" / "courses" / "valid"),
        "SESSION_COOKIE_SECURE": "0",
        "LOGIN_RATE_LIMIT_IP": "100000 per minute",
        "LOGIN_RATE_LIMIT": "1000 per minute",
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15",
    }
    env.update(extra)
    return env


def flask(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(VENV_BIN / "flask"), "--app", "wsgi", *args], cwd=PROJECT_ROOT, env=env, check=True)


@contextmanager
def gunicorn(env: dict[str, str], workers: int = 4, timeout: float = 40.0):
    """Serve the app with gunicorn (sync workers) on a free loopback port; yield (base URL, process)."""
    port = free_port()
    log = open(Path(env["INSTANCE_PATH"]) / f"gunicorn-{port}.log", "w")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}", "--timeout", "60", "wsgi:app"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(base + "/masuk", timeout=2) as response:  # noqa: S310 (loopback)
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        else:
            raise RuntimeError(f"gunicorn did not start: {Path(log.name).read_text()[-2000:]}")
        yield base, process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)
        log.close()


def worker_pids(master_pid: int) -> list[int]:
    """Return the pids of gunicorn's workers (the master's children)."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


@dataclass
class Browser:
    """One learner's browser: cookies, and every request's status and time."""

    base: str
    timings: list[tuple[str, int, float]] = field(default_factory=list)  # (step, status, seconds)

    def __post_init__(self) -> None:
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def request(
        self, step: str, path: str, data: dict | list | None = None, timeout: float = 60
    ) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        started = time.perf_counter()
        try:
            with self.opener.open(self.base + path, data=body, timeout=timeout) as response:
                status, text, url = response.status, response.read().decode(), response.url
        except urllib.error.HTTPError as error:
            status, text, url = error.code, error.read().decode(errors="replace"), error.url
        self.timings.append((step, status, time.perf_counter() - started))
        return status, text, url

    def token(self, html: str) -> str:
        match = CSRF.search(html)
        if not match:
            raise AssertionError("no CSRF token on the page")
        return match.group(1)

    def log_in(self, nip: str, password: str) -> tuple[int, str, str]:
        _, html, _ = self.request("login-page", "/masuk")
        return self.request("login", "/masuk", {"csrf_token": self.token(html), "nip": nip, "password": password})
