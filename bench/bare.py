"""The baseline: a bare Flask app returning a fixed page, served like the real one.

``GET /`` returns a fixed HTML page of BARE_BYTES (default: the size of a shipped lesson page);
``POST /`` answers a small JSON object, as autosave does.
"""

from __future__ import annotations

import os

from flask import Flask, jsonify

app = Flask(__name__)
SIZE = int(os.environ.get("BARE_BYTES", "30000"))
PARAGRAPH = "<p>" + "x" * 76 + "</p>\n"
PAGE = (
    "<!doctype html><html lang='id'><head><title>Dasar</title></head><body><main>"
    + PARAGRAPH * (SIZE // len(PARAGRAPH))
    + "</main></body></html>"
).encode()


@app.get("/")
def page():
    return PAGE, 200, {"Content-Type": "text/html; charset=utf-8"}


@app.post("/")
def post():
    return jsonify(saved_at="2026-01-01T00:00:00Z")
