"""Every route, for every role, against one table of what each may do; a new route without a
row fails here. Object-level: no role reaches another person's attempt by editing the URL."""

from __future__ import annotations

import pytest

from elearn.certificates.service import issue
from elearn.extensions import db
from elearn.forum.posting import start_thread
from elearn.forum.rules import find_place
from elearn.models import Attempt, Completion, ImportBatch
from tests.conftest import csrf_token, login
from tests.factories import make_user
from tests.quiz_helpers import start, submit

ROLES = ("anonymous", "asn", "supervisor", "trainer", "admin")
OK, LOGIN, FORBIDDEN = "ok", "login", "forbidden"
LEARNER = dict.fromkeys(ROLES[1:], OK) | {"anonymous": LOGIN}
EVERYONE = dict.fromkeys(ROLES, OK)
TRAINERS = {"anonymous": LOGIN, "asn": FORBIDDEN, "supervisor": FORBIDDEN, "trainer": OK, "admin": OK}
LEADERS = {"anonymous": LOGIN, "asn": FORBIDDEN, "supervisor": OK, "trainer": FORBIDDEN, "admin": OK}
SUPERVISORS = {"anonymous": LOGIN, "asn": FORBIDDEN, "supervisor": OK, "trainer": FORBIDDEN, "admin": FORBIDDEN}
EVALUATORS = {"anonymous": LOGIN, "asn": FORBIDDEN, "supervisor": OK, "trainer": OK, "admin": OK}
ADMINS = {"anonymous": LOGIN, "asn": FORBIDDEN, "supervisor": FORBIDDEN, "trainer": FORBIDDEN, "admin": OK}

# endpoint -> (method, URL with sample values, expected outcome per role)
MATRIX = {
    "auth.login": ("GET", "/masuk", EVERYONE),
    "auth.logout": ("POST", "/keluar", dict.fromkeys(ROLES, LOGIN)),  # logging out ends on the login page
    "auth.password": ("GET", "/akun/kata-sandi", LEARNER),
    "learn.asset": ("GET", "/kursus/layanan-dasar/assets/bagan.svg", LEARNER),
    "learn.catalog": ("GET", "/kursus", LEARNER),
    "learn.course": ("GET", "/kursus/layanan-dasar/", LEARNER),
    "learn.dashboard": ("GET", "/", LEARNER),
    "learn.lesson": ("GET", "/kursus/layanan-dasar/pengantar", LEARNER),
    "learn.mark_done": ("POST", "/kursus/layanan-dasar/pengantar/selesai", LEARNER),
    "trainer.health": ("GET", "/pelatih/", TRAINERS),
    "trainer.course": ("GET", "/pelatih/layanan-dasar/", TRAINERS),
    "trainer.lesson": ("GET", "/pelatih/layanan-dasar/pelajaran/prioritas", TRAINERS),
    "trainer.exam": ("GET", "/pelatih/layanan-dasar/ujian", TRAINERS),
    "trainer.results": ("GET", "/pelatih/layanan-dasar/hasil", TRAINERS),
    "trainer.analysis": ("GET", "/pelatih/layanan-dasar/analisis/prioritas?percobaan=semua", TRAINERS),
    "trainer.analysis_csv": ("GET", "/pelatih/layanan-dasar/analisis/ujian/unduh.csv", TRAINERS),
    "evaluation.survey": ("GET", "/kursus/layanan-dasar/survei", LEARNER),
    "evaluation.submit": ("POST", "/kursus/layanan-dasar/survei/kirim", LEARNER),
    "evaluation.skip": ("POST", "/kursus/layanan-dasar/survei/lewati", LEARNER),
    "evaluation.course_report": ("GET", "/pelatih/layanan-dasar/survei", TRAINERS),
    "evaluation.evaluation": ("GET", "/evaluasi", EVALUATORS),
    "evaluation.evaluation_download": ("GET", "/evaluasi/laporan.csv", EVALUATORS),
    "learn.search": ("GET", "/cari?q=layanan", LEARNER),
    "quiz.autosave": ("POST", "/kuis/{own}/simpan", LEARNER),
    "quiz.exam_page": ("GET", "/kursus/layanan-dasar/ujian/pre-test", LEARNER),
    "quiz.history": ("GET", "/riwayat", LEARNER),
    "quiz.lesson_quiz_page": ("GET", "/kursus/layanan-dasar/prioritas/kuis", LEARNER),
    "quiz.review": ("GET", "/kuis/{own_graded}/hasil", LEARNER),
    "quiz.start_exam": ("POST", "/kursus/layanan-dasar/ujian/pre-test/mulai", LEARNER),
    "quiz.start_lesson_quiz": ("POST", "/kursus/layanan-dasar/prioritas/kuis/mulai", LEARNER),
    "quiz.submit": ("POST", "/kuis/{own}/kirim", LEARNER),
    "quiz.take": ("GET", "/kuis/{own}", LEARNER),
    "static": ("GET", "/static/css/app.css", EVERYONE),
    "reports.record": ("GET", "/catatan", LEARNER),
    "reports.record_download": ("GET", "/catatan.xlsx", LEARNER),
    "reports.unit_dashboard": ("GET", "/atasan", LEADERS),
    "reports.recommend_course": ("POST", "/atasan/rekomendasi", LEADERS),
    "reports.person": ("GET", "/atasan/pegawai/{me}", LEADERS),
    "reports.person_download": ("GET", "/atasan/pegawai/{me}/catatan.csv", LEADERS),
    "certificates.show": ("GET", "/sertifikat/{certificate}", LEARNER),
    "certificates.pdf": ("GET", "/sertifikat/{certificate}.pdf", LEARNER),
    "certificates.revoke": ("POST", "/sertifikat/{certificate}/cabut", ADMINS),
    "certificates.verify": ("GET", "/verifikasi?nomor=ELS/2026/000001&kode=ABCDEFGHJK", EVERYONE),
    "certificates.verify_link": ("GET", "/verifikasi/ABCDEFGHJK", EVERYONE),
    "admin.home": ("GET", "/admin/", ADMINS),
    "admin.people_list": ("GET", "/admin/pegawai?q=19", ADMINS),
    "admin.person_new": ("POST", "/admin/pegawai/baru", ADMINS),
    "admin.person_edit": ("POST", "/admin/pegawai/{other}", ADMINS),
    "admin.person_status": ("POST", "/admin/pegawai/{other}/status", ADMINS),
    "admin.person_password": ("POST", "/admin/pegawai/{other}/kata-sandi", ADMINS),
    "admin.unit_list": ("POST", "/admin/unit", ADMINS),
    "admin.unit_edit": ("POST", "/admin/unit/{unit}", ADMINS),
    "admin.unit_import": ("POST", "/admin/unit/impor", ADMINS),
    "admin.import_upload": ("POST", "/admin/impor", ADMINS),
    "admin.import_preview": ("GET", "/admin/impor/{batch}", ADMINS),
    "admin.import_confirm": ("POST", "/admin/impor/{batch}/konfirmasi", ADMINS),
    "admin.import_passwords": ("POST", "/admin/impor/kata-sandi.csv", ADMINS),
    "admin.import_template": ("GET", "/admin/impor/templat.xlsx", ADMINS),
    "admin.audit_log": ("GET", "/admin/log?aksi=user.update", ADMINS),
    "admin.export_page": ("GET", "/admin/ekspor", ADMINS),
    "admin.export": ("GET", "/admin/ekspor/riwayat-jp.xlsx?tahun=2026", ADMINS),
    "admin.settings_page": ("POST", "/admin/pengaturan", ADMINS),
    "forum.course_forum": ("GET", "/diskusi/layanan-dasar/", LEARNER),
    "forum.lesson_forum": ("GET", "/diskusi/layanan-dasar/pelajaran/pengantar", LEARNER),
    "forum.thread": ("GET", "/diskusi/topik/{thread}", LEARNER),
    "forum.reply": ("POST", "/diskusi/topik/{thread}/balas", LEARNER),
    "forum.mark_read": ("POST", "/diskusi/topik/{thread}/dibaca", LEARNER),
    "forum.report_post": ("POST", "/diskusi/pesan/{post}/laporkan", LEARNER),
    "forum.moderate_thread": ("POST", "/diskusi/topik/{thread}/moderasi", TRAINERS),
    "forum.moderate_post": ("POST", "/diskusi/pesan/{post}/moderasi", TRAINERS),
    "forum.reports": ("GET", "/diskusi/laporan", TRAINERS),
    "actionplan.write": ("POST", "/kursus/layanan-dasar/rencana-aksi", LEARNER),
    "actionplan.report": ("POST", "/kursus/layanan-dasar/rencana-aksi/hasil", LEARNER),
    "actionplan.plans": ("GET", "/atasan/rencana-aksi?tampil=terbuka", LEADERS),
    "actionplan.confirm_plan": ("POST", "/atasan/rencana-aksi/1", SUPERVISORS),
}
ATTEMPT_ROUTES = [
    ("GET", "/kuis/{id}"),
    ("GET", "/kuis/{id}/hasil"),
    ("POST", "/kuis/{id}/simpan"),
    ("POST", "/kuis/{id}/kirim"),
]


def certificate_of(user):
    """A completion of the user's, with its certificate."""
    completion = Completion(user_id=user.id, course_id="layanan-dasar", jp=2)
    db.session.add(completion)
    db.session.flush()
    certificate = issue(completion, user, "Layanan Dasar")
    db.session.commit()
    return certificate


def import_batch(user) -> str:
    """The token of an uploaded staff file awaiting confirmation."""
    batch = ImportBatch(created_by=user.id, filename="pegawai.csv", content="nip,nama,unit\n", fingerprint="x")
    db.session.add(batch)
    db.session.commit()
    return batch.token


def forum_thread(user) -> dict:
    """A thread by someone else in the course forum: the ids of it and its first post."""
    writer = make_user(name="Penulis Forum")
    first = start_thread(find_place("layanan-dasar", None, writer), writer, "Topik uji", "Isi.", f"auth-{user.id}")
    return {"thread": first.thread_id, "post": first.id}


def test_every_route_has_a_row_in_the_matrix(app):
    assert {rule.endpoint for rule in app.url_map.iter_rules()} == set(MATRIX)


def outcome(response) -> str:
    location = response.headers.get("Location", "")
    if response.status_code == 403:
        return FORBIDDEN
    if (response.status_code == 302 and "/masuk" in location) or response.status_code == 401:
        return LOGIN
    assert response.status_code < 500, response.status_code
    return OK


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_matrix_says(app, role):
    client = app.test_client()
    urls = {}
    if role != "anonymous":
        user = make_user(role=role)
        login(client, user.nip)
        own = start(client, "/kursus/layanan-dasar/prioritas/kuis")
        graded = start(client, "/kursus/layanan-dasar/ujian/pre-test")
        submit(client, graded)
        urls = {"own": own.id, "own_graded": graded.id, "me": user.id, "certificate": certificate_of(user).code}
        urls |= {"other": make_user(name="Rekan").id, "unit": user.unit_id, "batch": import_batch(user)}
        urls |= forum_thread(user)
    else:
        someone = make_user(name="Pemilik")
        other = app.test_client()
        login(other, someone.nip)
        own = start(other, "/kursus/layanan-dasar/prioritas/kuis").id
        urls = {"own": own, "own_graded": 1, "me": someone.id, "certificate": certificate_of(someone).code}
        urls |= {"other": someone.id, "unit": someone.unit_id, "batch": import_batch(someone)}
        urls |= forum_thread(someone)
    found = {}
    for endpoint, (method, url, expected) in MATRIX.items():
        if endpoint == "auth.logout":
            continue  # checked last: it ends the session
        target = url.format(**urls)
        if method == "GET":
            response = client.get(target)
        else:
            token = csrf_token(client) if role == "anonymous" else csrf_token(client, "/akun/kata-sandi")
            response = client.post(target, data={"csrf_token": token})
        found[endpoint] = outcome(response)
        assert found[endpoint] == expected[role], (endpoint, role, response.status_code)
    method, url, expected = MATRIX["auth.logout"]
    token = csrf_token(client) if role == "anonymous" else csrf_token(client, "/akun/kata-sandi")
    assert outcome(client.post(url, data={"csrf_token": token})) == expected[role]
    assert outcome(client.get("/")) == LOGIN  # and the session is over


@pytest.mark.parametrize("role", ROLES[1:])
def test_no_role_reaches_another_persons_attempt(app, role):
    owner_client = app.test_client()
    login(owner_client, make_user(name="Pemilik").nip)
    theirs = start(owner_client, "/kursus/layanan-dasar/prioritas/kuis")
    client = app.test_client()
    login(client, make_user(role=role, name="Orang Lain").nip)
    token = csrf_token(client, "/akun/kata-sandi")
    for method, url in ATTEMPT_ROUTES:
        target = url.format(id=theirs.id)
        data = {"csrf_token": token, "attempt_token": theirs.token, "q": "0", "a0": "0"}
        response = client.get(target) if method == "GET" else client.post(target, data=data)
        assert response.status_code == 404, (role, method, url, response.status_code)
    db.session.expire_all()
    untouched = db.session.get(Attempt, theirs.id)
    assert untouched.is_open and untouched.answers == []
