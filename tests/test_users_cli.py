"""`flask users create` and `flask users import`."""

from __future__ import annotations

import csv
from pathlib import Path

from elearn.extensions import db
from elearn.models import AuditEvent, Unit, User
from tests.conftest import login
from tests.factories import make_user

HEADER = "nip,nama,unit,jabatan,email,role\n"
GOOD = (
    "198507122010012003,Sri Wahyuni,Kapanewon Depok,Pengadministrasi Umum,sri@example.go.id,asn\n"
    "197903152005011002,Bambang Hartono,Kapanewon Depok,Panewu,,supervisor\n"
    "198811042014022001,Dewi Lestari,Dinas Kesehatan,Perawat,,\n"
)


def users() -> dict[str, User]:
    return {u.nip: u for u in db.session.execute(db.select(User)).scalars()}


def write(tmp_path, text: str, name: str = "pegawai.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_create_user_with_password(runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--nip",
            "198507122010012003",
            "--name",
            "Sri",
            "--unit",
            "Kapanewon Depok",
            "--role",
            "asn",
            "--password",
            "sandi-awal-123",
        ]
    )
    assert result.exit_code == 0, result.output
    user = users()["198507122010012003"]
    assert user.unit.name == "Kapanewon Depok" and user.check_password("sandi-awal-123")
    assert user.must_change_password is True


def test_create_user_asks_for_the_password_when_not_given(runner):
    args = ["users", "create", "--nip", "198507122010012003", "--name", "Sri", "--unit", "Dinas"]
    result = runner.invoke(args=args, input="sandi-awal-123\nsandi-awal-123\n")
    assert result.exit_code == 0, result.output
    assert users()["198507122010012003"].check_password("sandi-awal-123")


def test_create_user_rejects_a_bad_nip_and_a_duplicate(runner):
    bad = runner.invoke(
        args=["users", "create", "--nip", "123", "--name", "X", "--unit", "U", "--password", "sandi-awal-123"]
    )
    assert bad.exit_code != 0 and "NIP harus 18 digit" in bad.output
    args = [
        "users",
        "create",
        "--nip",
        "198507122010012003",
        "--name",
        "X",
        "--unit",
        "U",
        "--password",
        "sandi-awal-123",
    ]
    assert runner.invoke(args=args).exit_code == 0
    again = runner.invoke(args=args)
    assert again.exit_code != 0 and "sudah terdaftar" in again.output


def test_import_creates_accounts_units_and_a_password_file(runner, tmp_path):
    path = write(tmp_path, HEADER + GOOD)
    result = runner.invoke(args=["users", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "3 akun baru" in result.output and "2 unit baru" in result.output
    found = users()
    assert found["197903152005011002"].role == "supervisor"
    assert found["198811042014022001"].role == "asn"
    assert all(u.must_change_password for u in found.values())
    with (tmp_path / "pegawai-kata-sandi.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert [r["nip"] for r in rows] == ["198507122010012003", "197903152005011002", "198811042014022001"]
    assert found[rows[0]["nip"]].check_password(rows[0]["kata_sandi_awal"])
    # random initial passwords get a light hash so 10,000 staff import in seconds
    assert found[rows[0]["nip"]].password_hash.startswith("pbkdf2:sha256:1000$")
    assert (tmp_path / "pegawai-kata-sandi.csv").stat().st_mode & 0o077 == 0


def test_importing_the_same_file_twice_changes_nothing(runner, tmp_path):
    path = write(tmp_path, HEADER + GOOD)
    runner.invoke(args=["users", "import", str(path)])
    before = {nip: (u.password_hash, u.session_token, u.unit_id) for nip, u in users().items()}
    (tmp_path / "pegawai-kata-sandi.csv").unlink()
    result = runner.invoke(args=["users", "import", str(path)])
    assert result.exit_code == 0 and "0 akun baru, 0 diperbarui, 3 tidak berubah" in result.output
    assert {nip: (u.password_hash, u.session_token, u.unit_id) for nip, u in users().items()} == before
    assert not (tmp_path / "pegawai-kata-sandi.csv").exists()
    assert db.session.execute(db.select(db.func.count(Unit.id))).scalar() == 2


def test_import_updates_changed_rows(runner, tmp_path):
    runner.invoke(args=["users", "import", str(write(tmp_path, HEADER + GOOD))])
    moved = GOOD.replace("Dewi Lestari,Dinas Kesehatan,Perawat", "Dewi Lestari,Puskesmas Depok I,Perawat Ahli")
    result = runner.invoke(args=["users", "import", str(write(tmp_path, HEADER + moved))])
    assert "1 diperbarui" in result.output
    dewi = users()["198811042014022001"]
    assert dewi.unit.name == "Puskesmas Depok I" and dewi.position == "Perawat Ahli"


def test_bad_rows_are_reported_and_nothing_is_imported(runner, tmp_path):
    bad = (
        "12345,Tanpa NIP Benar,Dinas,Staf,,asn\n"
        "198507122010012003,,Dinas,Staf,,asn\n"
        "199001012015011001,Andi,Dinas,Staf,bukan-email,kepala\n"
        "198507122010012003,Ganda,Dinas,Staf,,asn\n"
    )
    result = runner.invoke(args=["users", "import", str(write(tmp_path, HEADER + GOOD + bad))])
    assert result.exit_code == 1
    out = result.output
    assert "baris 5: NIP harus 18 digit" in out
    assert "baris 6: NIP 198507122010012003 sudah ada di baris 2; nama wajib diisi" in out
    assert "baris 7: role 'kepala' tidak dikenal" in out and "email 'bukan-email' tidak valid" in out
    assert "baris 8: NIP 198507122010012003 sudah ada di baris 2" in out
    assert "Tidak ada yang diimpor: 4 baris bermasalah" in out
    assert users() == {}


def test_skip_invalid_imports_the_good_rows(runner, tmp_path):
    text = HEADER + GOOD + "12345,Salah,Dinas,Staf,,asn\n"
    result = runner.invoke(args=["users", "import", str(write(tmp_path, text)), "--skip-invalid"])
    assert result.exit_code == 0 and "3 akun baru" in result.output and "1 baris dilewati" in result.output
    assert len(users()) == 3


def test_missing_columns_are_named(runner, tmp_path):
    result = runner.invoke(args=["users", "import", str(write(tmp_path, "nip,nama\n1,2\n")), "--skip-invalid"])
    assert result.exit_code == 1 and "baris 1: kolom tidak ada: unit, jabatan, email, role" in result.output


def test_semicolon_csv_from_excel_is_read(runner, tmp_path):
    text = (HEADER + GOOD).replace(",", ";")
    result = runner.invoke(args=["users", "import", str(write(tmp_path, "\ufeff" + text))])
    assert result.exit_code == 0 and "3 akun baru" in result.output


def test_a_windows_excel_csv_is_read_as_its_code_page(runner, tmp_path):
    path = tmp_path / "excel.csv"  # Excel's "CSV (Comma delimited)" on Windows: cp1252, not UTF-8
    path.write_bytes((HEADER + "198507122010012003,Sri Wahyuní,Dinas,Staf,,asn\n").encode("cp1252"))
    result = runner.invoke(args=["users", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert users()["198507122010012003"].name == "Sri Wahyuní"


def test_a_file_that_is_no_spreadsheet_is_explained(runner, tmp_path):
    path = tmp_path / "pegawai.xlsx"
    path.write_bytes(b"this is not a zip file")
    result = runner.invoke(args=["users", "import", str(path)])
    assert result.exit_code == 1 and "Error" in result.output and "xlsx" in result.output.lower()


def test_demo_creates_one_account_per_role_once(runner):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert sorted(u.role for u in users().values()) == ["admin", "asn", "supervisor", "trainer"]
    second = runner.invoke(args=["demo"])
    assert len(users()) == 4
    line = next(line for line in first.output.splitlines() if "ASN" in line)
    assert line in second.output  # the same password is shown again


def test_the_demo_accounts_file_names_each_accounts_role_and_name(app, runner):
    runner.invoke(args=["demo"])
    lines = (Path(app.instance_path) / "demo-accounts.txt").read_text().splitlines()
    assert lines[0].startswith("#") and len(lines) == 5
    trainer = next(line for line in lines if "Pelatih" in line)
    nip, password, role, name = trainer.split(maxsplit=3)
    assert (nip, role, name) == ("198811042014022001", "Pelatih", "Dewi Lestari")
    assert users()[nip].check_password(password)


def test_a_blank_role_keeps_the_role_an_account_has(runner, tmp_path):
    runner.invoke(args=["users", "import", str(write(tmp_path, HEADER + GOOD))])
    blank = GOOD.replace(",,supervisor", ",,")
    result = runner.invoke(args=["users", "import", str(write(tmp_path, HEADER + blank))])
    assert result.exit_code == 0 and "0 diperbarui" in result.output
    assert users()["197903152005011002"].role == "supervisor"


def test_overlong_fields_are_row_errors(runner, tmp_path):
    text = HEADER + "198507122010012003," + "N" * 201 + ",Dinas,Staf,,asn\n"
    result = runner.invoke(args=["users", "import", str(write(tmp_path, text))])
    assert result.exit_code == 1 and "baris 2: nama lebih dari 200 karakter" in result.output


def test_reset_password_gives_a_new_initial_password_and_ends_sessions(runner, app):
    user = make_user()
    browser = app.test_client()
    login(browser, user.nip)
    result = runner.invoke(args=["users", "reset-password", "--nip", user.nip])
    assert result.exit_code == 0, result.output
    password = result.output.split(": ", 1)[1].splitlines()[0]
    changed = users()[user.nip]
    assert changed.check_password(password) and changed.must_change_password
    assert browser.get("/").status_code == 302
    unknown = runner.invoke(args=["users", "reset-password", "--nip", "199001012015011999"])
    assert unknown.exit_code != 0 and "tidak terdaftar" in unknown.output


def test_the_command_line_leaves_the_same_trace_in_the_audit_log(runner, tmp_path):
    path = tmp_path / "pegawai.csv"
    path.write_text(HEADER + "198507122010012003,Sri Wahyuni,Dinas,Staf,,asn\n")
    assert runner.invoke(args=["users", "import", str(path)]).exit_code == 0
    assert runner.invoke(args=["users", "reset-password", "--nip", "198507122010012003"]).exit_code == 0
    events = db.session.execute(db.select(AuditEvent).order_by(AuditEvent.id)).scalars().all()
    assert [e.action for e in events] == ["import.confirm", "user.password_reset"]
    assert events[0].actor_name == "sistem (perintah flask)" and events[0].after["created"] == ["198507122010012003"]
    assert "pegawai.csv (perintah flask)" in events[0].summary
