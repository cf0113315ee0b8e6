"""Bytes over the wire: hashed static names cached for a year, compressed files and pages."""

from __future__ import annotations

import re

from tests.conftest import post

BROTLI = {"Accept-Encoding": "br, gzip"}


def test_pages_link_static_files_by_content_hash_and_they_are_cached_for_a_year(client):
    html = client.get("/masuk").get_data(as_text=True)
    css = re.search(r'href="(/static/css/app\.[0-9a-f]{10}\.css)"', html).group(1)
    response = client.get(css, headers=BROTLI)
    assert response.status_code == 200 and response.headers["Content-Encoding"] == "br"
    assert "immutable" in response.headers["Cache-Control"] and "max-age=315360000" in response.headers["Cache-Control"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    plain = client.get("/static/css/app.css")
    assert plain.status_code == 200 and "immutable" not in plain.headers["Cache-Control"]


def test_pages_are_compressed_and_a_lesson_stays_under_12_kb_on_a_repeat_visit(client, login_as):
    login_as()
    post(client, "/kursus/layanan-dasar/pengantar/selesai")
    plain = client.get("/kursus/layanan-dasar/prioritas")
    compressed = client.get("/kursus/layanan-dasar/prioritas", headers=BROTLI)
    assert compressed.headers["Content-Encoding"] == "br" and "Accept-Encoding" in compressed.headers["Vary"]
    assert len(compressed.data) < len(plain.data) / 2
    # On a repeat visit the browser has the hashed CSS, JS and icon: only the page itself travels.
    assert len(compressed.data) < 12 * 1024
