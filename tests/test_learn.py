"""Learner pages and progress: catalog, course, lesson, marking done, the completion rule."""

from __future__ import annotations

from elearn.catalog import load_catalog
from elearn.extensions import db
from elearn.learn.progress import lesson_is_complete
from elearn.models import LessonProgress
from tests.conftest import VALID_COURSES, login, post
from tests.factories import make_user


def progress_rows(user_id: int) -> dict[str, LessonProgress]:
    rows = db.session.execute(db.select(LessonProgress).filter_by(user_id=user_id)).scalars()
    return {row.lesson_id: row for row in rows}


def test_catalog_shows_a_card_per_course(client, login_as):
    login_as()
    html = client.get("/kursus").get_data(as_text=True)
    assert "Layanan Dasar" in html and "2 JP" in html and "2 pelajaran" in html and "Belum dimulai" in html


def test_dashboard_invites_to_the_catalog_before_any_course(client, login_as):
    login_as()
    html = client.get("/").get_data(as_text=True)
    assert "Anda belum memulai kursus apa pun" in html and "0</strong> dari 20 JP" in html


def test_course_page_shows_overview_objectives_and_lessons(client, login_as):
    login_as()
    html = client.get("/kursus/layanan-dasar/").get_data(as_text=True)
    assert "Kursus ini dipakai oleh tes otomatis." in html
    assert "Memahami layanan dasar" in html
    assert "Pengantar Layanan" in html and "Prioritas Kerja" in html
    assert 'src="/kursus/layanan-dasar/assets/bagan.svg"' in html


def test_lesson_page_renders_text_toc_and_navigation(client, login_as):
    login_as()
    html = client.get("/kursus/layanan-dasar/pengantar").get_data(as_text=True)
    assert '<h2 id="mengapa-layanan-penting">' in html
    assert "Pelajaran 1 dari 2" in html and "± 5 menit" in html
    assert "Tandai selesai" in html
    assert 'rel="next" href="/kursus/layanan-dasar/prioritas"' in html


def test_opening_a_lesson_records_the_first_visit_once(client, login_as):
    user = login_as()
    client.get("/kursus/layanan-dasar/pengantar")
    first = progress_rows(user.id)["pengantar"].first_opened_at
    client.get("/kursus/layanan-dasar/pengantar")
    rows = progress_rows(user.id)
    assert len(rows) == 1 and rows["pengantar"].first_opened_at == first
    assert rows["pengantar"].completed_at is None


def test_marking_a_lesson_without_quiz_done_completes_it(client, login_as):
    user = login_as()
    client.get("/kursus/layanan-dasar/pengantar")
    response = post(client, "/kursus/layanan-dasar/pengantar/selesai")
    assert response.status_code == 302 and response.headers["Location"] == "/kursus/layanan-dasar/prioritas"
    row = progress_rows(user.id)["pengantar"]
    assert row.read_at and row.completed_at
    html = client.get("/").get_data(as_text=True)
    assert "1 dari 2 pelajaran selesai" in html and 'value="50"' in html
    assert "Lanjut ke pelajaran 2: Prioritas Kerja" in html


def test_a_lesson_with_a_quiz_is_not_completed_by_marking_it_read(client, login_as):
    user = login_as()
    response = post(client, "/kursus/layanan-dasar/prioritas/selesai")
    assert response.headers["Location"] == "/kursus/layanan-dasar/prioritas/kuis"
    row = progress_rows(user.id)["prioritas"]
    assert row.read_at is not None and row.completed_at is None
    html = client.get("/kursus/layanan-dasar/prioritas").get_data(as_text=True)
    assert "Pelajaran ini selesai setelah Anda lulus kuisnya" in html and "Kerjakan kuis: Prioritas Kerja" in html


def test_marking_done_twice_keeps_the_first_time(client, login_as):
    user = login_as()
    post(client, "/kursus/layanan-dasar/pengantar/selesai")
    first = progress_rows(user.id)["pengantar"].completed_at
    post(client, "/kursus/layanan-dasar/pengantar/selesai")
    assert progress_rows(user.id)["pengantar"].completed_at == first


def test_mark_done_without_csrf_is_rejected(client, login_as):
    user = login_as()
    assert client.post("/kursus/layanan-dasar/pengantar/selesai").status_code == 400
    assert progress_rows(user.id) == {}


def test_completion_rule():
    """An opened lesson is complete when marked read or, if it has a quiz, when the quiz is passed."""
    course = load_catalog(VALID_COURSES).course("layanan-dasar")
    plain, quizzed = course.lessons
    assert lesson_is_complete(plain, read=True, quiz_passed=False)
    assert not lesson_is_complete(plain, read=False, quiz_passed=False)
    assert not lesson_is_complete(quizzed, read=True, quiz_passed=False)
    assert lesson_is_complete(quizzed, read=False, quiz_passed=True)
    assert lesson_is_complete(quizzed, read=True, quiz_passed=True)


def test_progress_is_per_user(app, client, login_as):
    login_as()
    post(client, "/kursus/layanan-dasar/pengantar/selesai")
    other = app.test_client()
    login(other, make_user(name="Budi").nip)
    assert "Belum dimulai" in other.get("/kursus").get_data(as_text=True)


def test_unknown_course_or_lesson_is_a_404_in_indonesian(client, login_as):
    login_as()
    for url in ("/kursus/tidak-ada/", "/kursus/layanan-dasar/tidak-ada", "/kursus/layanan-dasar/tidak-ada/selesai"):
        response = client.get(url) if not url.endswith("selesai") else post(client, url)
        assert response.status_code == 404
        assert "Halaman tidak ditemukan" in response.get_data(as_text=True)


def test_course_assets_are_served_and_cannot_escape_the_folder(client, login_as):
    login_as()
    response = client.get("/kursus/layanan-dasar/assets/bagan.svg")
    assert response.status_code == 200 and b"<svg" in response.data
    response.close()
    assert client.get("/kursus/layanan-dasar/assets/../course.md").status_code == 404
    assert client.get("/kursus/layanan-dasar/assets/%2e%2e/course.md").status_code == 404


def test_broken_courses_are_listed_for_trainers_and_hidden_from_learners(editable_courses):
    app, courses = editable_courses
    broken = courses / "rusak"
    broken.mkdir()
    (broken / "course.md").write_text("---\ntitle: Kursus Rusak\nsummary: S\njp: 1\n---\n")
    (broken / "01-a.md").write_text("---\ntitle: A\nwarna: biru\n---\n")
    learner, trainer = app.test_client(), app.test_client()
    login(learner, make_user().nip)
    login(trainer, make_user(role="trainer", name="Pelatih").nip)
    assert "Kursus Rusak" not in learner.get("/kursus").get_data(as_text=True)
    assert learner.get("/kursus/rusak/").status_code == 404
    assert learner.get("/pelatih/").status_code == 403
    html = trainer.get("/pelatih/").get_data(as_text=True)
    # the path is the one in the course library, never the server's
    assert "Kursus Rusak" in html
    assert "<code>rusak/01-a.md:3</code>: kunci front matter &#39;warna&#39; tidak dikenal" in html
    assert str(courses) not in html
    # fixing the file brings the course back without a restart
    (broken / "01-a.md").write_text("---\ntitle: A\n---\nTeks.\n")
    assert "Kursus Rusak" in learner.get("/kursus").get_data(as_text=True)


def test_error_pages_speak_indonesian(client, login_as):
    login_as()
    assert "Halaman tidak ditemukan" in client.get("/tidak-ada").get_data(as_text=True)
    response = client.get("/pelatih/")
    assert response.status_code == 403 and "Akses ditolak" in response.get_data(as_text=True)


def test_server_error_page(app, client, login_as):
    @app.route("/rusak-uji")
    def broken_view():
        raise RuntimeError("boom")

    app.testing = False
    app.config["PROPAGATE_EXCEPTIONS"] = False
    login_as()
    response = client.get("/rusak-uji")
    assert response.status_code == 500 and "Terjadi kesalahan pada server" in response.get_data(as_text=True)


def test_course_assets_cannot_run_script_as_the_site(client, login_as):
    login_as()
    response = client.get("/kursus/layanan-dasar/assets/bagan.svg")
    assert response.headers["Content-Security-Policy"].startswith("sandbox")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "private" in response.headers["Cache-Control"]
