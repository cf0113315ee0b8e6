"""Static files: content-hashed names, a year's immutable cache, gzip and brotli, served by WhiteNoise.

At start-up every file of ``static/`` is copied to a build folder under a name that carries
its content hash (``css/app.css`` -> ``css/app.3f2a1b9c0d.css``), with ``.gz`` and ``.br``
siblings. ``url_for('static', ...)`` returns the hashed name, and WhiteNoise, wrapped around
the app, serves those names before Flask sees the request: a page view costs no request for
its stylesheet or script until they change, and a static request never reaches the app
(nor its database). The build is content-addressed, so workers starting together write
identical files (atomically) and an existing file is never rewritten.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import tempfile
from pathlib import Path

import brotli
from flask import Flask
from whitenoise import WhiteNoise

HASHED = re.compile(r"\.[0-9a-f]{10}\.[A-Za-z0-9]+$")
COMPRESSIBLE = {".css", ".js", ".svg", ".json", ".txt", ".html"}
SHORT_MAX_AGE = 3600  # unhashed names (an old page's link) may change


def _write_atomically(path: Path, data: bytes) -> None:
    if path.exists():
        return  # content-addressed: it is already right
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(temporary, 0o644)
    os.replace(temporary, path)


def build(source: Path, target: Path) -> dict[str, str]:
    """Copy every file of ``source`` under its hashed name into ``target``; return name -> hashed name."""
    manifest = {}
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        relative = path.relative_to(source).as_posix()
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()[:10]
        hashed = f"{relative[: -len(path.suffix)] if path.suffix else relative}.{digest}{path.suffix}"
        _write_atomically(target / hashed, data)
        if path.suffix in COMPRESSIBLE:
            _write_atomically(target / (hashed + ".gz"), gzip.compress(data, compresslevel=9, mtime=0))
            _write_atomically(target / (hashed + ".br"), brotli.compress(data, quality=11))
        manifest[relative] = hashed
    return manifest


def init_app(app: Flask) -> None:
    source = Path(app.static_folder)
    target = Path(app.config.get("STATIC_BUILD") or Path(app.instance_path) / "static-build")
    manifest = build(source, target)
    app.extensions["static_manifest"] = manifest

    @app.url_defaults
    def hashed_static_names(endpoint, values):
        if endpoint == "static" and values.get("filename") in manifest:
            values["filename"] = manifest[values["filename"]]

    def security_headers(headers, path, url):
        headers["X-Content-Type-Options"] = "nosniff"

    files = WhiteNoise(
        app.wsgi_app,
        max_age=SHORT_MAX_AGE,
        immutable_file_test=lambda path, url: bool(HASHED.search(url)),
        add_headers_function=security_headers,
    )
    files.add_files(str(source), prefix="static/")  # the plain names too, cached for an hour
    files.add_files(str(target), prefix="static/")
    app.wsgi_app = files
