"""The admin area: people, units, the staff import with its preview, the audit log, exports, settings."""

from __future__ import annotations

import csv
import html
import io
import time
from datetime import date, timedelta

import pytest
from openpyxl import Workbook, load_workbook

from elearn.admin.audit import record
from elearn.extensions import db
from elearn.models import AuditEvent, Completion, ImportBatch, Unit, User
from tests.conftest import csrf_token, login
from tests.factories import make_unit, make_user
from tests.test_queries import statements

HEADER = "nip,nama,unit,jabatan,email,role\n"
GOOD = (
    "198507122010012003,Sri Wahyuni,Kapanewon Depok,Pengadministrasi Umum,,asn\n"
    "197903152005011002,Bambang Hartono,Kapanewon Depok,Panewu,bambang@slemankab.go.id,supervisor\n"
)


@pytest.fixture
def admin(app):
    """A logged-in admin's client, and the admin."""
    client = app.test_client()
    user = make_user(role="admin", name="Admin BKPP", unit="BKPP Kabupaten Sleman")
    login(client, user.nip)
    return client, user


def post(client, url: str, data: dict | None = None, **kwargs):
    return client.post(url, data={"csrf_token": csrf_token(client, "/akun/kata-sandi"), **(data or {})}, **kwargs)


def upload(client, text: str | bytes, name: str = "pegawai.csv"):
    data = text.encode() if isinstance(text, str) else text
    return post(client, "/admin/impor", {"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def counts() -> tuple[int, int, int]:
    return tuple(
        db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()
        for model in (User, Unit, AuditEvent)
    )


def events(action: str) -> list[AuditEvent]:
    return db.session.execute(db.select(AuditEvent).filter_by(action=action).order_by(AuditEvent.id)).scalars().all()


# --- the import: upload, preview, confirm --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("12345,Nama,Dinas,,,asn", "NIP harus 18 digit"),
        ("198507122010012003,Kedua,Dinas,,,asn", "sudah ada di baris 2"),
        ("199001012015011001,Nama,Dinas,,,ketua", "role 'ketua' tidak dikenal"),
        ("199001012015011001,,Dinas,,,asn", "nama wajib diisi"),
        ("199001012015011001,Nama,,,,asn", "unit wajib diisi"),
        ("199001012015011001,Nama,Dinas,,bukan-email,asn", "email 'bukan-email' tidak valid"),
    ],
)
def test_the_preview_reports_each_kind_of_bad_row_with_its_line_and_writes_nothing(admin, row, message):
    client, _ = admin
    before = counts()
    text = HEADER + GOOD.splitlines()[0] + "\n" + row + "\n"
    preview = client.get(upload(client, text).headers["Location"]).get_data(as_text=True)
    assert "Baris 3</strong>" in preview and message in html.unescape(preview)
    assert "Konfirmasi impor" not in preview
    assert counts() == before  # nothing but the batch itself was written
    assert db.session.execute(db.select(db.func.count(ImportBatch.id))).scalar_one() == 1


def test_a_good_file_is_previewed_then_imported_in_one_step_with_passwords_shown_once(admin):
    client, _ = admin
    response = upload(client, HEADER + GOOD)
    token = response.headers["Location"].rsplit("/", 1)[1]
    preview = client.get(response.headers["Location"]).get_data(as_text=True)
    assert (
        "Akun baru<strong>2</strong>" in preview
        and "Kapanewon Depok" in preview
        and "Unit baru yang akan dibuat" in preview
    )
    assert db.session.execute(db.select(User).filter_by(nip="198507122010012003")).scalar_one_or_none() is None
    done = post(client, f"/admin/impor/{token}/konfirmasi").get_data(as_text=True)
    assert "2 akun baru" in done and done.count("<code>") >= 2
    sri = db.session.execute(db.select(User).filter_by(nip="198507122010012003")).scalar_one()
    assert sri.must_change_password and sri.unit.name == "Kapanewon Depok"
    password = done.split("<code>")[1].split("</code>")[0]
    assert sri.check_password(password) and password not in str(
        db.session.execute(db.select(ImportBatch.content)).scalar_one()
    )
    echoed = html.unescape(done.split('name="csv" value="')[1].split('"')[0])
    download = post(client, "/admin/impor/kata-sandi.csv", {"csv": echoed})
    assert "attachment" in download.headers["Content-Disposition"]
    table = list(csv.DictReader(io.StringIO(download.get_data(as_text=True).lstrip("\ufeff"))))
    assert table[0] == {"nip": sri.nip, "nama": "Sri Wahyuni", "unit": "Kapanewon Depok", "kata_sandi_awal": password}
    again = post(client, f"/admin/impor/{token}/konfirmasi")
    assert again.status_code == 302  # a double-click confirms nothing twice
    assert db.session.execute(db.select(db.func.count(User.id))).scalar_one() == 3
    event = events("import.confirm")[0]
    assert event.after["created"] == ["198507122010012003", "197903152005011002"]


def test_re_importing_the_same_file_changes_nothing_and_a_change_is_shown_field_by_field(admin):
    client, _ = admin
    token = upload(client, HEADER + GOOD).headers["Location"].rsplit("/", 1)[1]
    post(client, f"/admin/impor/{token}/konfirmasi")
    same = client.get(upload(client, HEADER + GOOD).headers["Location"]).get_data(as_text=True)
    assert "Tidak berubah<strong>2</strong>" in same and "tidak ada yang perlu diimpor" in same.lower()
    changed = GOOD.replace("Panewu,", "Panewu Anom,")
    preview = client.get(upload(client, HEADER + changed).headers["Location"]).get_data(as_text=True)
    assert "jabatan: Panewu → Panewu Anom" in preview


def test_a_preview_made_stale_by_another_change_is_shown_again_before_anything_is_written(admin):
    client, _ = admin
    token = upload(client, HEADER + GOOD).headers["Location"].rsplit("/", 1)[1]
    make_user(nip="198507122010012003", name="Sudah Ada", unit="Kapanewon Depok")  # someone else was faster
    response = post(client, f"/admin/impor/{token}/konfirmasi")
    assert response.headers["Location"].endswith(token)
    assert "Data berubah sejak" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.execute(db.select(db.func.count(User.id))).scalar_one() == 2


def test_xlsx_semicolons_a_bom_and_windows_1252_are_read(admin):
    client, _ = admin
    workbook = Workbook()
    sheet = workbook.active
    for line in (HEADER + GOOD).splitlines():
        sheet.append(line.split(","))
    out = io.BytesIO()
    workbook.save(out)
    for data, name in (
        (out.getvalue(), "pegawai.xlsx"),
        (("\ufeff" + HEADER + GOOD).replace(",", ";").encode(), "excel.csv"),
        ((HEADER + GOOD).replace("Sri Wahyuni", "Sri Wahyuní").encode("cp1252"), "ansi.csv"),
    ):
        preview = client.get(upload(client, data, name).headers["Location"]).get_data(as_text=True)
        assert "Akun baru<strong>2</strong>" in preview, name
    assert "tidak dapat dibaca" in upload(client, b"bukan zip", "rusak.xlsx").get_data(as_text=True)


def test_a_unit_path_in_the_file_reaches_a_unit_below_another(admin):
    client, _ = admin
    health = make_unit("Dinas Kesehatan")
    clinic = make_unit("Puskesmas Depok I", parent=health)
    text = HEADER + "198507122010012003,Sri,Dinas Kesehatan / Puskesmas Depok I,Perawat,,\n"
    token = upload(client, text).headers["Location"].rsplit("/", 1)[1]
    post(client, f"/admin/impor/{token}/konfirmasi")
    assert db.session.execute(db.select(User).filter_by(nip="198507122010012003")).scalar_one().unit_id == clinic.id


def test_an_import_cannot_take_the_admin_role_from_the_importer(admin):
    client, me = admin
    text = HEADER + GOOD + f"{me.nip},{me.name},BKPP Kabupaten Sleman,,,asn\n"
    preview = client.get(upload(client, text).headers["Location"]).get_data(as_text=True)
    assert "Baris 4</strong>" in preview and "melepas peran admin Anda sendiri" in preview
    assert "Konfirmasi impor" not in preview
    db.session.refresh(me)
    assert me.role == "admin"


def test_a_10000_row_file_is_previewed_and_imported_in_seconds(admin, capsys):
    client, _ = admin
    lines = [HEADER.strip()]
    for i in range(10_000):
        born = date(1960, 1, 1) + timedelta(days=i)  # a distinct valid NIP for each row, none of them the admin's
        lines.append(f"{born:%Y%m%d}2015011001,Pegawai {i},Unit {i % 40},Staf,,asn")
    text = "\n".join(lines) + "\n"
    started = time.perf_counter()
    response = upload(client, text)
    preview = client.get(response.headers["Location"]).get_data(as_text=True)
    previewed = time.perf_counter() - started
    assert "Akun baru<strong>10000</strong>" in preview, preview[preview.find("<main") :][:3000]
    started = time.perf_counter()
    post(client, response.headers["Location"] + "/konfirmasi")
    imported = time.perf_counter() - started
    assert db.session.execute(db.select(db.func.count(User.id))).scalar_one() == 10_001
    with capsys.disabled():
        print(f"\nIMPORT 10,000 rows: upload and preview {previewed:.1f} s, confirm {imported:.1f} s")


# --- people ----------


def test_the_last_active_admin_and_ones_own_admin_role_are_protected(admin):
    client, me = admin
    response = post(
        client, f"/admin/pegawai/{me.id}", {"name": me.name, "unit": me.unit_id, "role": "asn", "nip": me.nip}
    )
    assert "tidak dapat melepas peran admin Anda sendiri" in response.get_data(as_text=True)
    db.session.refresh(me)
    assert me.role == "admin"
    post(client, f"/admin/pegawai/{me.id}/status", {"aktif": "0"})
    db.session.refresh(me)
    assert me.active
    other = make_user(role="admin", name="Admin Dua")
    post(client, f"/admin/pegawai/{other.id}/status", {"aktif": "0"})
    db.session.refresh(other)
    assert not other.active  # another admin may be deactivated while one stays active


def test_a_deactivated_person_cannot_log_in_and_leaves_the_behind_list_but_keeps_completions(app, admin):
    client, _ = admin
    person = make_user(name="Tri Rahayu", unit="BKPP Kabupaten Sleman")
    db.session.add(Completion(user_id=person.id, course_id="layanan-dasar", jp=2))
    db.session.commit()
    own = app.test_client()
    login(own, person.nip)
    assert own.get("/").status_code == 200

    def behind() -> str:
        page = client.get("/atasan").get_data(as_text=True)
        return page.split('id="behind-title"')[1].split("</section>")[0]

    assert "Tri Rahayu" in behind()
    post(client, f"/admin/pegawai/{person.id}/status", {"aktif": "0"}, follow_redirects=True)
    assert own.get("/").status_code == 302  # the open session ends too
    refused = login(app.test_client(), person.nip)  # the login form again, saying why
    assert refused.status_code == 200 and "Akun Anda sudah dinonaktifkan" in refused.get_data(as_text=True)
    wrong = login(app.test_client(), person.nip, "salah-sekali-123")
    assert "NIP atau kata sandi salah" in wrong.get_data(as_text=True)  # a stranger learns nothing more
    assert "Tri Rahayu" not in behind()
    assert db.session.execute(db.select(Completion).filter_by(user_id=person.id)).scalar_one()
    event = events("user.deactivate")[0]
    assert (event.before, event.after, event.actor_name) == ({"active": True}, {"active": False}, "Admin BKPP")


def test_editing_a_person_records_before_and_after_and_a_reset_password_is_shown_once(app, admin):
    client, _ = admin
    person = make_user(name="Nama Lama")
    unit = make_unit("Dinas Sosial")
    data = {
        "nip": person.nip,
        "name": "Nama Baru",
        "position": "Analis",
        "email": "",
        "unit": unit.id,
        "role": "supervisor",
    }
    post(client, f"/admin/pegawai/{person.id}", data)
    event = events("user.update")[0]
    assert event.before["name"] == "Nama Lama" and event.after["name"] == "Nama Baru"
    assert event.after["role"] == "supervisor" and event.after["unit_id"] == unit.id
    page = post(client, f"/admin/pegawai/{person.id}/kata-sandi").get_data(as_text=True)
    password = page.split('class="password-once">')[1].split("<")[0]
    db.session.refresh(person)
    assert person.check_password(password) and person.must_change_password
    assert events("user.password_reset")


def test_search_by_nip_prefix_or_name_with_filters(admin):
    client, _ = admin
    make_user(name="Sri Wahyuni", nip="198507122010012003")
    make_user(name="Budi Santoso", nip="199001012015011555", role="supervisor")
    assert "Sri Wahyuni" in client.get("/admin/pegawai?q=19850712").get_data(as_text=True)
    html = client.get("/admin/pegawai?q=santo&peran=supervisor").get_data(as_text=True)
    assert "Budi Santoso" in html and "Sri Wahyuni" not in html
    assert "Sri Wahyuni" not in client.get("/admin/pegawai?status=nonaktif").get_data(as_text=True)
    assert client.get("/admin/pegawai?q=%25&hal=x&unit=-1").status_code == 200
    office = make_unit("Dinas Pendidikan")
    school = make_unit("SD Negeri Depok 1", parent=office)
    teacher = make_user(name="Guru Kelas", unit="Dinas Pendidikan")
    teacher.unit_id = school.id
    db.session.commit()
    html = client.get(f"/admin/pegawai?unit={office.id}").get_data(as_text=True)
    assert "Guru Kelas" in html and "Sri Wahyuni" not in html  # a unit's filter holds its sub-units


# --- units ----------


def test_a_move_that_would_make_a_cycle_is_refused(admin):
    client, _ = admin
    health = make_unit("Dinas Kesehatan")
    clinic = make_unit("Puskesmas Depok I", parent=health)
    response = post(
        client, f"/admin/unit/{health.id}", {"aksi": "ubah", "name": "Dinas Kesehatan", "parent": clinic.id}
    )
    assert "ke bawah dirinya sendiri" in response.get_data(as_text=True)
    db.session.refresh(health)
    assert health.parent_id is None
    post(client, f"/admin/unit/{health.id}", {"aksi": "ubah", "name": "Dinas Kesehatan", "parent": health.id})
    db.session.refresh(health)
    assert health.parent_id is None


def test_merging_moves_people_and_sub_units_and_is_audited(admin):
    client, _ = admin
    old = make_unit("Kantor Lama")
    new = make_unit("Kantor Baru")
    child = make_unit("Seksi A", parent=old)
    person = make_user(name="Pindah", unit="Kantor Lama")
    old_id, new_id, child_id, person_id = old.id, new.id, child.id, person.id
    post(client, f"/admin/unit/{old_id}", {"aksi": "gabung", "target": new_id})
    db.session.expire_all()
    assert db.session.get(Unit, old_id) is None
    assert db.session.get(User, person_id).unit_id == new_id and db.session.get(Unit, child_id).parent_id == new_id
    assert events("unit.merge")[0].after["people"] == 1


def test_the_unit_tree_is_imported_from_csv(admin):
    client, _ = admin
    text = "nama,induk\nDinas Kesehatan,\nPuskesmas Mlati I,Dinas Kesehatan\nSekretariat,Dinas Kesehatan\n"
    post(
        client,
        "/admin/unit/impor",
        {"file": (io.BytesIO(text.encode()), "unit.csv")},
        content_type="multipart/form-data",
    )
    health = db.session.execute(db.select(Unit).filter_by(name="Dinas Kesehatan", parent_id=None)).scalar_one()
    below = db.session.execute(db.select(Unit.name).filter_by(parent_id=health.id)).scalars().all()
    assert sorted(below) == ["Puskesmas Mlati I", "Sekretariat"]


# --- exports and settings ----------


def test_the_jp_record_export_has_what_a_personnel_system_needs(admin):
    from tests.test_leaders import complete_course

    client, _ = admin
    learner_client = client.application.test_client()
    learner = make_user(name="Sri Wahyuni", unit="Kapanewon Depok")
    login(learner_client, learner.nip)
    complete_course(learner_client)
    text = client.get("/admin/ekspor/riwayat-jp.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["NIP", "Nama", "Unit", "Nama diklat", "Penyelenggara", "Tanggal mulai", "Tanggal selesai",
                       "Tahun", "JP", "Nomor sertifikat"]  # fmt: skip
    nip, name, unit, course, organiser, began, ended, year, jp, number = rows[1]
    assert (nip, name, unit, course, organiser, jp) == (learner.nip, "Sri Wahyuni", "Kapanewon Depok", "Layanan Dasar",
                                                       "BKPP Kabupaten Sleman", "2")  # fmt: skip
    assert began <= ended and ended.startswith(year) and number.startswith("ELS/")
    sheet = load_workbook(io.BytesIO(client.get("/admin/ekspor/kemajuan.xlsx").data)).active
    assert sheet.cell(1, 1).value == "NIP" and sheet.cell(2, 1).value == learner.nip and sheet.cell(2, 6).value == 2
    summary = list(csv.reader(io.StringIO(client.get("/admin/ekspor/ringkasan-unit.csv").get_data(as_text=True))))
    depok = next(row for row in summary if row[0] == "Kapanewon Depok")
    assert depok[1] == "1" and depok[2] == "0" and float(depok[3]) == 2.0


@pytest.mark.parametrize("url", ["/admin/ekspor/kemajuan.csv", "/admin/ekspor/kemajuan.xlsx", "/evaluasi/laporan.xlsx"])
def test_spreadsheet_downloads_are_attachments_no_cache_may_store(admin, url):
    client, _ = admin
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    assert response.headers["Cache-Control"] == "no-store"


def test_settings_change_without_a_deploy_and_are_audited(app, admin):
    client, _ = admin
    data = {
        "jp_target": "24",
        "cert_issuer": "BKPP Kabupaten Sleman",
        "cert_signatory": "Kepala BKPP",
        "organiser": "BKPP",
    }
    post(client, "/admin/pengaturan", data)
    learner = app.test_client()
    login(learner, make_user().nip)
    assert "dari 24 JP" in learner.get("/").get_data(as_text=True)
    changes = {e.target_id: (e.before, e.after) for e in events("setting.change")}
    assert changes["jp_target"] == ({"jp_target": 20}, {"jp_target": 24}) and "cert_issuer" not in changes
    bad = post(client, "/admin/pengaturan", {**data, "jp_target": "nol"}).get_data(as_text=True)
    assert "Target JP per tahun: target JP harus bilangan bulat 1-200" in bad


def test_nobody_edits_or_deletes_the_audit_log(app):
    log_rules = [rule for rule in app.url_map.iter_rules() if "log" in rule.rule]
    assert all(rule.methods <= {"GET", "HEAD", "OPTIONS"} for rule in log_rules)


# --- scale ----------


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/pegawai",
        "/admin/pegawai?q=a&peran=asn&status=aktif",
        "/admin/unit",
        "/admin/log",
        "/admin/ekspor",
        "/admin/ekspor/riwayat-jp.csv",
        "/admin/ekspor/kemajuan.csv",
        "/admin/ekspor/ringkasan-unit.csv",
    ],
)
def test_admin_pages_send_as_many_statements_at_any_size(app, admin, url):
    from elearn.demo import build
    from elearn.library import current_catalog

    client, _ = admin
    counts = []
    for learners in (30, 300):
        build(current_catalog(), learners, seed=learners)
        for n in range(learners):
            record("user.update", "user", n, f"Akun {n} diubah", before={"name": "a"}, after={"name": "b"})
        db.session.commit()
        client.get(url)
        with statements() as sent:
            assert client.get(url).status_code == 200
        counts.append(len(sent))
    assert counts[0] == counts[1], counts
