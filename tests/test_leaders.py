"""Leaders and records: scoping in the unit tree, certificates, verification, exports, query counts."""

from __future__ import annotations

import csv
import io
import re
import threading
from datetime import date, datetime, timedelta

import pytest
from openpyxl import load_workbook

from elearn.certificates import service
from elearn.extensions import db
from elearn.learn.from_others import from_others
from elearn.models import Certificate, Completion, Recommendation, Unit, User
from tests.conftest import csrf_token, login, post
from tests.factories import make_unit, make_user
from tests.quiz_helpers import start, submit
from tests.test_queries import statements

PRETEST = "/kursus/layanan-dasar/ujian/pre-test"
POSTTEST = "/kursus/layanan-dasar/ujian/post-test"
QUIZ = "/kursus/layanan-dasar/prioritas/kuis"


def complete_course(client) -> None:
    submit(client, start(client, PRETEST), right=False)
    post(client, "/kursus/layanan-dasar/pengantar/selesai")
    submit(client, start(client, QUIZ))
    submit(client, start(client, POSTTEST))


@pytest.fixture
def tree(app):
    """Dinas Kesehatan > Puskesmas Depok I, and Dinas Sosial beside it; a Sekretariat under each dinas."""
    health = make_unit("Dinas Kesehatan")
    clinic = make_unit("Puskesmas Depok I", parent=health)
    social = make_unit("Dinas Sosial")
    make_unit("Sekretariat", parent=health)
    make_unit("Sekretariat", parent=social)  # the same name under another parent is fine
    return {"health": health, "clinic": clinic, "social": social}


def supervisor_client(app, unit: str = "Dinas Kesehatan"):
    client = app.test_client()
    boss = make_user(role="supervisor", name="Kepala Dinas", unit=unit)
    login(client, boss.nip)
    return client, boss


def person(name: str, unit: Unit) -> User:
    user = make_user(name=name, unit=unit.name)
    user.unit_id = unit.id
    db.session.commit()
    return user


# --- the unit tree ------------------------------------------------------------------------------------------


def test_a_unit_name_is_unique_within_its_parent_only(tree):
    from sqlalchemy.exc import IntegrityError

    names = db.session.execute(db.select(Unit.name).filter_by(name="Sekretariat")).scalars().all()
    assert len(names) == 2
    db.session.add(Unit(name="Sekretariat", parent_id=tree["health"].id))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    db.session.add(Unit(name="Dinas Sosial"))  # two top-level units may not share a name either
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


# --- scoping -----------------------------------------------------------------------------------------------------


def test_a_supervisor_sees_their_subtree_and_nobody_else(app, tree):
    inside = person("Ani Puskesmas", tree["clinic"])
    outside = person("Budi Sosial", tree["social"])
    client, _ = supervisor_client(app)
    html = client.get("/atasan").get_data(as_text=True)
    assert "Ani Puskesmas" in html and "Budi Sosial" not in html
    assert client.get(f"/atasan/pegawai/{inside.id}").status_code == 200
    for url in (
        f"/atasan/pegawai/{outside.id}",
        f"/atasan/pegawai/{outside.id}/catatan.csv",
        f"/atasan/pegawai/{outside.id}/catatan.xlsx",
        f"/atasan?unit={tree['social'].id}",
        "/atasan/pegawai/2147483648",
        "/atasan/pegawai/9999999",
    ):
        assert client.get(url).status_code == 404, url
    assert client.get("/atasan?unit=abc&tahun=x&hal=-1").status_code == 200  # tampered filters are ignored


def test_learners_and_trainers_have_no_unit_dashboard(app, client, login_as):
    login_as()
    assert client.get("/atasan").status_code == 403
    assert client.get("/atasan/pegawai/1").status_code == 403


def test_an_admin_sees_the_whole_regency(app, tree):
    person("Ani Puskesmas", tree["clinic"])
    person("Budi Sosial", tree["social"])
    client = app.test_client()
    login(client, make_user(role="admin", name="Admin BKPP", unit="BKPP Kabupaten Sleman").nip)
    html = client.get("/atasan").get_data(as_text=True)
    assert "Ani Puskesmas" in html and "Budi Sosial" in html and "Seluruh Kabupaten Sleman" in html


def test_certificates_are_seen_by_their_owner_their_supervisors_and_admins_only(app, tree):
    owner_client = app.test_client()
    owner = person("Ani Puskesmas", tree["clinic"])
    login(owner_client, owner.nip)
    complete_course(owner_client)
    certificate = db.session.execute(db.select(Certificate)).scalar_one()
    url = f"/sertifikat/{certificate.code}"
    assert owner_client.get(url).status_code == 200
    boss, _ = supervisor_client(app)
    assert boss.get(url).status_code == 200 and boss.get(url + ".pdf").status_code == 200
    stranger_boss, _ = supervisor_client(app, unit="Dinas Sosial")
    assert stranger_boss.get(url).status_code == 404 and stranger_boss.get(url + ".pdf").status_code == 404
    colleague = app.test_client()
    login(colleague, person("Rekan", tree["clinic"]).nip)
    assert colleague.get(url).status_code == 404


# --- certificates -------------------------------------------------------------------------------------------------


def test_completing_a_course_issues_exactly_one_certificate(client, login_as):
    user = login_as(name="Sri Wahyuni")
    complete_course(client)
    certificate = db.session.execute(db.select(Certificate)).scalar_one()
    assert re.fullmatch(r"ELS/\d{4}/\d{6}", certificate.number) and service.CODE.match(certificate.code)
    assert (certificate.name, certificate.nip, certificate.course_title, certificate.jp) == (
        "Sri Wahyuni",
        user.nip,
        "Layanan Dasar",
        2,
    )
    client.get("/kursus/layanan-dasar/")  # catching up again issues nothing more
    assert db.session.execute(db.select(db.func.count(Certificate.id))).scalar_one() == 1
    html = client.get("/catatan").get_data(as_text=True)
    assert certificate.number in html


def test_a_certificate_keeps_what_it_said_when_issued(client, login_as):
    user = login_as(name="Nama Lama")
    complete_course(client)
    user.name = "Nama Baru"
    db.session.commit()
    certificate = db.session.execute(db.select(Certificate)).scalar_one()
    assert "Nama Lama" in client.get(f"/sertifikat/{certificate.code}").get_data(as_text=True)


def test_concurrent_issues_for_one_completion_make_one_valid_certificate(app, login_as, client):
    login_as()
    complete_course(client)
    completion = db.session.execute(db.select(Completion)).scalar_one()
    existing = db.session.execute(db.select(Certificate)).scalar_one()
    service.revoke(existing, "uji", db.session.get(User, completion.user_id))
    db.session.commit()
    completion_id = completion.id  # read here: an ORM object is not for sharing between threads
    barrier = threading.Barrier(4, timeout=30)
    made, failed = [], []

    def issue_again():
        try:
            with app.app_context():
                own = db.session.get(Completion, completion_id)
                user = db.session.get(User, own.user_id)
                barrier.wait()
                certificate = service.issue(own, user, "Layanan Dasar")
                db.session.commit()
                made.append(certificate is not None)
        except Exception as error:  # reported below: a thread's exception would otherwise only warn
            barrier.abort()
            failed.append(repr(error))

    threads = [threading.Thread(target=issue_again) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failed, failed
    db.session.expire_all()
    valid = db.session.execute(db.select(Certificate).filter_by(revoked_at=None)).scalars().all()
    assert len(valid) == 1 and made.count(True) == 1
    numbers = db.session.execute(db.select(Certificate.number)).scalars().all()
    assert len(numbers) == len(set(numbers)) == 2


def test_verification_valid_revoked_unknown_malformed_and_tampered(app, client, login_as):
    login_as(name="Sri Wahyuni")
    complete_course(client)
    certificate = db.session.execute(db.select(Certificate)).scalar_one()
    public = app.test_client()  # nobody logged in
    valid = public.get(f"/verifikasi/{certificate.code}").get_data(as_text=True)
    assert "Sertifikat ini asli dan berlaku" in valid and "Sri Wahyuni" in valid and certificate.nip not in valid
    by_form = public.get(f"/verifikasi?nomor={certificate.number}&kode={certificate.code}").get_data(as_text=True)
    assert "asli dan berlaku" in by_form
    other = "ELS/2026/999999" if certificate.number != "ELS/2026/999999" else "ELS/2026/999998"
    tampered = public.get(f"/verifikasi?nomor={other}&kode={certificate.code}").get_data(as_text=True)
    assert "tidak ditemukan" in tampered and "Sri Wahyuni" not in tampered
    assert "tidak ditemukan" in public.get("/verifikasi/ABCDEFGHJK").get_data(as_text=True)
    assert "tidak sesuai format" in public.get("/verifikasi?nomor=ELS-1&kode=<script>").get_data(as_text=True)
    assert "tidak sesuai format" in public.get("/verifikasi/bukan-kode").get_data(as_text=True)
    admin = app.test_client()
    login(admin, make_user(role="admin", name="Admin").nip)
    response = post(admin, f"/sertifikat/{certificate.code}/cabut", {"reason": "Data kelulusan keliru"})
    assert response.status_code == 302
    revoked = public.get(f"/verifikasi/{certificate.code}").get_data(as_text=True)
    assert "sudah tidak berlaku" in revoked and "dicabut pada" in revoked


def test_only_admins_revoke_and_a_new_certificate_gets_a_new_number(app, client, login_as):
    user = login_as()
    complete_course(client)
    first = db.session.execute(db.select(Certificate)).scalar_one()
    assert post(client, f"/sertifikat/{first.code}/cabut", {"reason": "saya sendiri"}).status_code == 403
    admin = app.test_client()
    login(admin, make_user(role="admin", name="Admin").nip)
    assert "Alasan 5-500" in (
        admin.post(
            f"/sertifikat/{first.code}/cabut", data={"csrf_token": csrf_token(admin, "/akun/kata-sandi"), "reason": "x"}
        ).get_data(as_text=True)
        + admin.get(f"/sertifikat/{first.code}").get_data(as_text=True)
    )
    post(admin, f"/sertifikat/{first.code}/cabut", {"reason": "Diterbitkan ulang"})
    assert service.issue_missing(user.id, {"layanan-dasar": "Layanan Dasar"}) == 1
    db.session.commit()
    numbers = db.session.execute(db.select(Certificate.number).order_by(Certificate.id)).scalars().all()
    assert len(numbers) == 2 and numbers[0] != numbers[1]


def test_the_certificate_pdf_is_one_a4_landscape_page(client, login_as):
    login_as()
    complete_course(client)
    certificate = db.session.execute(db.select(Certificate)).scalar_one()
    response = client.get(f"/sertifikat/{certificate.code}.pdf")
    assert response.headers["Content-Type"] == "application/pdf" and response.data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", response.data)) == 1
    assert re.search(rb"/MediaBox\s*\[\s*0 0 841\.\d+ 595\.\d+", response.data)  # A4 landscape, in points


# --- the learning record --------------------------------------------------------------------------------------------


def test_jp_per_year_is_counted_in_wib_across_new_year(client, login_as):
    user = login_as()
    for course_id, moment in (("a", datetime(2025, 12, 31, 16, 59)), ("b", datetime(2025, 12, 31, 17, 30))):
        db.session.add(Completion(user_id=user.id, course_id=course_id, jp=3, completed_at=moment))
    db.session.commit()
    html = client.get("/catatan").get_data(as_text=True)
    years = dict(re.findall(r"<tr><td>(\d{4})</td><td>(\d+)</td>", html))
    assert years["2025"] == "3" and years["2026"] == "3"  # 23.59 WIB on 31 December, and 00.30 WIB on 1 January


def test_record_exports_read_back_cell_by_cell(client, login_as):
    user = login_as()
    complete_course(client)
    certificate = db.session.execute(db.select(Certificate)).scalar_one()
    text = client.get("/catatan.csv").get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:4] == ["Kursus", "Tanggal selesai", "Tahun", "JP"]
    assert rows[1][0] == "Layanan Dasar" and rows[1][3] == "2" and rows[1][8] == certificate.number
    assert float(rows[1][5]) == 0.0 and float(rows[1][6]) == 100.0 and float(rows[1][7]) == 100.0
    workbook = load_workbook(io.BytesIO(client.get("/catatan.xlsx").data))
    sheet = workbook.active
    assert sheet.cell(1, 1).value == f"Catatan belajar {user.name} (NIP {user.nip})"
    assert [sheet.cell(2, c).value for c in (1, 4, 9)] == ["Kursus", "JP", "Nomor sertifikat"]
    assert [sheet.cell(3, c).value for c in (1, 4, 9)] == ["Layanan Dasar", 2, certificate.number]
    assert sheet.cell(3, 8).value == 100.0


# --- recommendations ------------------------------------------------------------------------------------------------


def test_a_recommendation_reaches_the_unit_below_and_shows_who_has_done_it(app, tree):
    learner = person("Ani Puskesmas", tree["clinic"])
    client, _ = supervisor_client(app)
    response = post(
        client,
        "/atasan/rekomendasi",
        {"course": "layanan-dasar", "target": "unit", "unit": str(tree["health"].id), "deadline": "2099-12-31"},
    )
    assert response.status_code == 302
    learner_client = app.test_client()
    login(learner_client, learner.nip)
    html = learner_client.get("/").get_data(as_text=True)
    assert "Disarankan oleh atasan" in html and "Layanan Dasar" in html and "31 Desember 2099" in html
    assert "0</strong>/" in client.get("/atasan").get_data(as_text=True)


def test_a_recommendation_cannot_target_someone_outside_the_unit(app, tree):
    outsider = person("Budi Sosial", tree["social"])
    client, _ = supervisor_client(app)
    data = {"course": "layanan-dasar", "target": "person", "unit": str(tree["health"].id), "nip": outsider.nip}
    post(client, "/atasan/rekomendasi", data)
    assert db.session.execute(db.select(Recommendation)).scalars().all() == []
    data = {"course": "layanan-dasar", "target": "unit", "unit": str(tree["social"].id)}
    post(client, "/atasan/rekomendasi", data)  # a unit outside the scope is not among the choices
    assert db.session.execute(db.select(Recommendation)).scalars().all() == []


# --- scale ---------------------------------------------------------------------------------------------


def test_the_unit_dashboard_sends_as_many_statements_at_any_size(app, runner):
    from elearn.demo import build
    from elearn.library import current_catalog

    client, _ = supervisor_client(app, unit="Dinas Kesehatan")
    counts = []
    for learners in (30, 300):
        build(current_catalog(), learners, seed=learners)
        client.get("/atasan")
        with statements() as sent:
            assert client.get("/atasan?hal=2").status_code == 200
        counts.append(len(sent))
    assert counts[0] == counts[1], counts


def test_flask_demo_builds_a_regency(runner):
    result = runner.invoke(args=["demo", "--learners", "120"])
    assert result.exit_code == 0, result.output
    assert "sertifikat" in result.output and "Akun demo" in result.output
    assert "jawaban survei" in result.output
    people = db.session.execute(db.select(db.func.count(User.id))).scalar_one()
    assert people >= 120 + 4
    assert db.session.execute(db.select(db.func.count(Certificate.id))).scalar_one() > 0
    health = db.session.execute(db.select(Unit).filter_by(name="Dinas Kesehatan", parent_id=None)).scalar_one()
    clinics = db.session.execute(db.select(db.func.count(Unit.id)).filter_by(parent_id=health.id)).scalar_one()
    assert clinics >= 25


def test_after_the_demo_build_postgresql_knows_the_new_row_counts(runner):
    """A bulk load leaves the planner believing the tables are empty until autovacuum runs."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("planner statistics are a PostgreSQL matter")
    assert runner.invoke(args=["demo", "--learners", "60"]).exit_code == 0
    analyzed = db.session.execute(
        db.text(
            "SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL "
            "AND relname IN ('users', 'attempts', 'answers', 'lesson_progress')"
        )
    ).scalars()
    assert sorted(analyzed) == ["answers", "attempts", "lesson_progress", "users"]


def test_the_dashboard_reads_recommendations_in_order_once_per_course_and_only_those_that_reach(app, tree, monkeypatch):
    """The dashboard's one statement for recommendations and new replies (learn/from_others.py)."""
    learner = person("Ani Puskesmas", tree["clinic"])
    elsewhere = person("Budi Sosial", tree["social"])
    now = datetime(2026, 11, 1, 8, 0)

    def recommend(course: str, deadline: date | None, age_days: int, **target) -> None:
        db.session.add(
            Recommendation(course_id=course, deadline=deadline, created_at=now - timedelta(days=age_days), **target)
        )

    recommend("etika", None, 1, user_id=learner.id)  # no deadline: after every dated one
    recommend("layanan-dasar", date(2099, 6, 1), 5, unit_id=tree["clinic"].id)
    recommend("layanan-dasar", date(2099, 3, 1), 9, unit_id=tree["health"].id)  # from the unit above: nearer
    recommend("waktu", date(2099, 3, 1), 2, unit_id=tree["health"].id)  # same deadline, newer: first
    recommend("sosial", date(2099, 1, 1), 1, unit_id=tree["social"].id)  # another dinas: not for her
    recommend("pribadi", date(2099, 1, 1), 0, user_id=elsewhere.id)  # someone else's; newer than "sosial"
    db.session.add(Completion(user_id=learner.id, course_id="waktu", jp=2))
    db.session.commit()
    learner_id = learner.id  # read outside: the test's own query does not count
    with statements() as sent:
        found = from_others(learner_id)
    assert len(sent) == 1
    assert [(r.course_id, r.deadline, r.done) for r in found.recommended] == [
        ("waktu", date(2099, 3, 1), True),
        ("layanan-dasar", date(2099, 3, 1), False),
        ("etika", None, False),
    ]
    assert found.new_replies == []
    assert [r.course_id for r in from_others(elsewhere.id).recommended] == ["pribadi", "sosial"]

    # The dashboard reads the same with its user and the learner's state, in one statement.
    import elearn.learn.views as views

    seen = []
    monkeypatch.setattr(views, "from_others", lambda user_id: seen.append(from_others(user_id)) or seen[-1])
    for who, expected in ((learner, found), (elsewhere, from_others(elsewhere.id))):
        client = app.test_client()
        login(client, who.nip)
        client.get("/")
        with statements() as sent:
            assert client.get("/").status_code == 200
        assert len(sent) == 1, sent
        assert seen.pop() == expected, who.name
