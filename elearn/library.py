"""The app's read-only course catalog, rebuilt from the files when one of them changes.

This, and the search index built from it, is the only state the process keeps. Each request may look (at most every
CATALOG_CHECK_SECONDS) at the files' sizes and modification times; Markdown is parsed and
rendered only when that signature changed, never per request.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from flask import Flask, current_app

from .catalog import Catalog, load_catalog
from .catalog.search import SearchIndex


class CourseLibrary:
    """Holds the current Catalog of one courses folder."""

    def __init__(self, folder: str, asset_prefix: str, check_seconds: float) -> None:
        self.folder = Path(folder).resolve()
        self.asset_prefix = asset_prefix
        self.check_seconds = check_seconds
        self._lock = threading.Lock()
        self._signature: tuple = ()
        self._checked_at = 0.0
        self._catalog = Catalog()
        self._search = SearchIndex(self._catalog)
        self.reload()

    def signature(self) -> tuple:
        """Return the (path, size, mtime) of every file below the folder, sorted."""
        entries = []
        for dirpath, dirnames, filenames in os.walk(self.folder):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                try:
                    stat = os.stat(os.path.join(dirpath, name))
                except OSError:
                    continue
                entries.append((dirpath, name, stat.st_size, stat.st_mtime_ns))
        entries.append(("", "", 0, int(self.folder.exists())))
        return tuple(sorted(entries))

    def reload(self) -> Catalog:
        """Rebuild the catalog from the files now."""
        with self._lock:
            self._signature = self.signature()
            catalog = load_catalog(self.folder, self.asset_prefix)
            self._search = SearchIndex(catalog)
            self._catalog = catalog
            self._checked_at = time.monotonic()
            return self._catalog

    @property
    def catalog(self) -> Catalog:
        """Return the catalog, rebuilt first if a course file changed."""
        now = time.monotonic()
        if now - self._checked_at >= self.check_seconds:
            self._checked_at = now
            if self.signature() != self._signature:
                return self.reload()
        return self._catalog

    def last_changes(self) -> dict[str, float]:
        """Each course folder's newest file time (a Unix timestamp), from the last look at the files."""
        newest: dict[str, float] = {}
        for dirpath, _name, _size, mtime_ns in self._signature:
            if not dirpath:
                continue
            parts = Path(dirpath).relative_to(self.folder).parts
            course = parts[0] if parts else ""
            newest[course] = max(newest.get(course, 0.0), mtime_ns / 1e9)
        return newest

    def relative(self, path: str) -> str:
        """A path below the library as trainers know it (``manajemen-waktu/02-x.md``), never the server's."""
        try:
            return Path(path).resolve().relative_to(self.folder).as_posix()
        except ValueError:
            return Path(path).name

    @property
    def search_index(self) -> SearchIndex:
        """Return the search index of the current catalog (rebuilt with it)."""
        self.catalog  # noqa: B018 (a property read: rebuilds both when a file changed)
        return self._search


def init_app(app: Flask) -> None:
    root = app.config.get("APPLICATION_ROOT", "/").rstrip("/")
    app.extensions["course_library"] = CourseLibrary(
        app.config["COURSES_DIR"],
        asset_prefix=root + "/kursus/{course}/assets/",
        check_seconds=app.config["CATALOG_CHECK_SECONDS"],
    )


def current_catalog() -> Catalog:
    """Return the catalog of the current app."""
    return current_app.extensions["course_library"].catalog


def current_library() -> CourseLibrary:
    """Return the course library of the current app (its folder, its files' times)."""
    return current_app.extensions["course_library"]


def current_search() -> SearchIndex:
    """Return the search index of the current app's catalog."""
    return current_app.extensions["course_library"].search_index
