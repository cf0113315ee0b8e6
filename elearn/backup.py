"""Online backups and restores of the database: SQLite's backup API, PostgreSQL's pg_dump.

A backup is consistent while the app keeps running and writing: SQLite copies one
snapshot page by page; pg_dump reads in one repeatable-read transaction.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import URL, make_url


class BackupError(Exception):
    """A backup or restore could not be made; the message (Indonesian) says why."""


def _sqlite_path(url: URL) -> str:
    if not url.database or url.database == ":memory:":
        raise BackupError("Basis data SQLite di memori tidak dapat dicadangkan.")
    return url.database


def _pg_command(name: str) -> str:
    command = shutil.which(name)
    if command is None:
        raise BackupError(f"Perintah {name} tidak ditemukan: pasang paket postgresql-client.")
    return command


def _pg_url(url: URL) -> str:
    """The URL as libpq understands it (without SQLAlchemy's +driver)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def backup(database_url: str, target: Path) -> Path:
    """Write a consistent copy of the database to ``target``; return it."""
    url = make_url(database_url)
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(_sqlite_path(url))
        copy = sqlite3.connect(target)
        try:
            with copy:
                source.backup(copy)
        finally:
            copy.close()
            source.close()
    elif url.get_backend_name() == "postgresql":
        _run([_pg_command("pg_dump"), "--format=custom", "--no-owner", "--file", str(target), _pg_url(url)])
    else:
        raise BackupError(f"Basis data {url.get_backend_name()} tidak didukung untuk pencadangan.")
    os.chmod(target, 0o600)  # it holds everyone's results
    return target


def restore(database_url: str, source: Path) -> None:
    """Replace the database's content with a backup made by ``backup``."""
    url = make_url(database_url)
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"Berkas cadangan {source} tidak ada.")
    if url.get_backend_name() == "sqlite":
        backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        live = sqlite3.connect(_sqlite_path(url))
        try:
            with live:
                backup_db.backup(live)
        finally:
            live.close()
            backup_db.close()
    elif url.get_backend_name() == "postgresql":
        command = [_pg_command("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction"]
        _run([*command, "--dbname", _pg_url(url), str(source)])
    else:
        raise BackupError(f"Basis data {url.get_backend_name()} tidak didukung untuk pemulihan.")


def _run(command: list[str]) -> None:
    # A fixed program with our own arguments, never a shell:
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603  # nosec B603
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} gagal: {result.stderr.strip()[:500]}")
