"""Searching the library: an FTS5 index of published lessons, ranked, with marked snippets."""

from __future__ import annotations

import shutil
import time

from elearn.catalog import load_catalog
from elearn.catalog.search import SearchIndex, fts_query, sections
from tests.conftest import VALID_COURSES, login
from tests.factories import make_user

SERVICE = """---
title: Standar Pelayanan
---

## Maklumat pelayanan

Maklumat dipajang di loket agar warga tahu janji layanan (waktu < 5 hari) dan haknya.

## Pengaduan

Pengaduan dijawab dalam lima hari kerja. Maklumat juga menyebut jalur pengaduan.
"""


def index_of(root) -> SearchIndex:
    return SearchIndex(load_catalog(root))


def library_with_service_lesson(tmp_path):
    root = tmp_path / "courses"
    shutil.copytree(VALID_COURSES, root)
    (root / "layanan-dasar" / "03-standar-pelayanan.md").write_text(SERVICE)
    return root


def test_a_lesson_is_split_at_its_headings():
    lesson = load_catalog(VALID_COURSES).course("layanan-dasar").lessons[0]
    assert [(anchor, heading) for anchor, heading, _ in sections(lesson.html)] == [
        ("mengapa-layanan-penting", "Mengapa layanan penting")
    ]


def test_what_people_type_becomes_a_safe_prefix_query():
    assert fts_query('matriks "Eisenhower" OR *') == '"matriks"* "eisenhower"* "or"*'
    assert fts_query("  ?! ") is None


def test_results_link_to_the_heading_with_the_words_marked(tmp_path):
    hits = index_of(library_with_service_lesson(tmp_path)).search("pengaduan lima")
    assert len(hits) == 1
    hit = hits[0]
    assert (hit.course_id, hit.lesson_id, hit.anchor, hit.heading) == (
        "layanan-dasar",
        "standar-pelayanan",
        "pengaduan",
        "Pengaduan",
    )
    assert "<mark>lima</mark>" in hit.snippet_html and "<mark>Pengaduan</mark>" in hit.snippet_html


def test_a_heading_match_ranks_above_a_mention_in_the_text(tmp_path):
    hits = index_of(library_with_service_lesson(tmp_path)).search("maklumat")
    assert [hit.anchor for hit in hits] == ["maklumat-pelayanan", "pengaduan"]


def test_snippets_escape_the_lesson_text(tmp_path):
    hit = index_of(library_with_service_lesson(tmp_path)).search("janji")[0]
    assert "waktu &lt; 5 hari" in hit.snippet_html and "< 5" not in hit.snippet_html


def test_a_word_prefix_is_enough_and_accents_do_not_matter(tmp_path):
    index = index_of(library_with_service_lesson(tmp_path))
    assert index.search("makl") and index.search("MAKLUMAT")


def test_courses_hidden_for_errors_are_never_found(tmp_path):
    root = library_with_service_lesson(tmp_path)
    (root / "layanan-dasar" / "04-rusak.md").write_text("---\ntitle: R\nwarna: biru\n---\nMaklumat.\n")
    assert index_of(root).search("maklumat") == []


def test_the_search_page_finds_lessons_and_is_rebuilt_after_a_file_change(app_factory, tmp_path):
    root = library_with_service_lesson(tmp_path)
    app = app_factory(COURSES_DIR=str(root))
    with app.app_context():
        client = app.test_client()
        login(client, make_user().nip)
        html = client.get("/cari?q=pengaduan").get_data(as_text=True)
        assert 'href="/kursus/layanan-dasar/standar-pelayanan#pengaduan"' in html
        assert "<mark>Pengaduan</mark>" in html
        lesson = root / "layanan-dasar" / "03-standar-pelayanan.md"
        time.sleep(0.01)
        lesson.write_text(SERVICE.replace("Pengaduan dijawab", "Keluhan dijawab").replace("## Pengaduan", "## Keluhan"))
        html = client.get("/cari?q=keluhan").get_data(as_text=True)
        assert 'href="/kursus/layanan-dasar/standar-pelayanan#keluhan"' in html


def test_the_search_page_escapes_the_query_and_needs_a_login(client, login_as):
    assert client.get("/cari?q=a").status_code == 302
    login_as()
    html = client.get("/cari?q=<script>alert(1)</script>").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "Tidak ada pelajaran yang memuat" in html
    assert "Ketik satu kata atau lebih" in client.get("/cari").get_data(as_text=True)
