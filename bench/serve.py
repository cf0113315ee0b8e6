"""Serving and loading for the benchmarks: gunicorn on loopback, wrk, and browsers in threads.

Every server listens on 127.0.0.1 only; every load is bounded in count and time.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

BIN = Path(sys.executable).parent
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
TOKEN = re.compile(r'name="attempt_token" value="([^"]+)"')
USER_AGENT = "elearn-bench/1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(module: str, cwd: Path, env: dict[str, str], workers: int = 2, log: Path | None = None):
    """Serve ``module`` (e.g. ``wsgi:app``) with sync workers; yield (base URL, master pid)."""
    port = free_port()
    out = open(log or os.devnull, "w")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(  # noqa: S603
        [str(BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}", "--timeout", "120", module],
        cwd=cwd,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(base + "/", timeout=2):  # noqa: S310 (loopback)
                    break
            except urllib.error.HTTPError:
                break  # it answers
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        else:
            raise RuntimeError(f"{module} did not start")
        yield base, process.pid
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        out.close()


def worker_rss_mb(master: int) -> float:
    """Return the largest resident memory of the master's workers, in MB."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    sizes = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return round(max(sizes), 1) if sizes else 0.0


def wrk_available() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise SystemExit("wrk is needed: apt-get install wrk (make bench installs it on Debian)")
    return found


class Run(NamedTuple):
    rate: float  # requests per second
    bad: int  # responses other than 2xx and 3xx
    requests: int


def wrk(url: str, seconds: int, connections: int, cookie: str | None = None) -> Run:
    """Run wrk against ``url``: its rate, its responses other than 2xx/3xx, its requests."""
    # The same User-Agent as the browser that logged in: Flask-Login's strong session protection
    # ties the session to it, and a mismatch would measure redirects to the login page.
    command = [wrk_available(), "-t2", f"-c{connections}", f"-d{seconds}s", "-H", f"User-Agent: {USER_AGENT}", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds + 30).stdout  # noqa: S603
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    return Run(rate, int(bad.group(1)) if bad else 0, requests)


class Browser:
    """A learner's browser for scripted visits (cookies kept), timing each request."""

    def __init__(self, base: str, cookies: dict[str, str] | None = None) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        for name, value in (cookies or {}).items():
            self.jar.set_cookie(
                http.cookiejar.Cookie(
                    0, name, value, None, False, "127.0.0.1", True, False, "/", True, False, None, True, None, None, {}
                )
            )
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.opener.addheaders = [("User-Agent", USER_AGENT)]

    def open(self, path: str, data: dict | list | None = None) -> tuple[int, str, str, float]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        started = time.perf_counter()
        try:
            with self.opener.open(self.base + path, data=body, timeout=60) as response:
                status, text, url = response.status, response.read().decode(), response.url
        except urllib.error.HTTPError as error:
            status, text, url = error.code, error.read().decode(errors="replace"), error.url
        return status, text, url, time.perf_counter() - started

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def check_page(base: str, path: str, cookie: str, expect: str, status: int = 200) -> int:
    """Return the size of ``path`` fetched as wrk will (same cookie and User-Agent, no redirect
    followed); raise unless it answers ``status`` with a page holding ``expect``."""
    opener = urllib.request.build_opener(_NoRedirect())
    request = urllib.request.Request(base + path, headers={"Cookie": cookie, "User-Agent": USER_AGENT})  # noqa: S310
    try:
        with opener.open(request, timeout=30) as response:
            body, found = response.read().decode(), response.status
    except urllib.error.HTTPError as error:
        if error.code != status:
            raise RuntimeError(f"{path}: {error.code} {error.headers.get('Location')}") from None
        body, found = error.read().decode(), error.code
    if found != status or expect not in body:
        raise RuntimeError(f"{path}: {found}, {expect!r} not in the page")
    return len(body)


def token(html: str) -> str:
    match = CSRF.search(html)
    if not match:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1)
