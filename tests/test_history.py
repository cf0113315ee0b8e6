"""Riwayat: every attempt under its course, pre-test first, then each lesson's quiz, then the post-test."""

from __future__ import annotations

from tests.quiz_helpers import start, submit

PRETEST = "/kursus/layanan-dasar/ujian/pre-test"
QUIZ = "/kursus/layanan-dasar/prioritas/kuis"


def test_history_groups_attempts_by_course_in_the_order_a_course_is_taken(client, login_as):
    login_as()
    submit(client, start(client, QUIZ), right=False)
    submit(client, start(client, PRETEST), right=False)
    html = client.get("/riwayat").get_data(as_text=True)
    course = html.index('<h2 id="h-layanan-dasar">Layanan Dasar</h2>')
    pretest = html.index(">Pre-test</h3>")
    quiz = html.index(">Kuis pelajaran 2: Prioritas Kerja</h3>")
    assert course < pretest < quiz  # the pre-test is listed first though it was taken last
    assert "Nilai awal" in html and "Belum lulus" in html


def test_history_filters_by_course(client, login_as):
    login_as()
    submit(client, start(client, QUIZ))
    assert "Prioritas Kerja" in client.get("/riwayat?kursus=layanan-dasar").get_data(as_text=True)
    html = client.get("/riwayat?kursus=tidak-ada").get_data(as_text=True)
    assert "Belum ada percobaan pada kursus ini" in html and "Prioritas Kerja" not in html
