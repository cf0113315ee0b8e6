"""Flask commands: ``courses check``, ``courses import-gift``, ``users create``, ``users import``, ``demo``."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from .admin import audit, people
from .admin.importing import ImportFileError, file_text, import_staff, passwords_csv
from .auth.nip import clean_nip, nip_problem
from .auth.passwords import password_problem
from .auth.service import random_password
from .backup import BackupError, backup, restore
from .catalog import load_catalog
from .catalog.gift_import import GiftImportError, import_gift
from .certificates.service import issue_missing
from .demo import build as build_regency
from .evaluation.survey import check_survey_files
from .extensions import db
from .forum.demo import seed_discussions
from .library import current_catalog
from .models import ROLES, Unit, User
from .quiz.attempts import close_expired

courses_cli = AppGroup("courses", help="Periksa dan kelola berkas kursus.")
users_cli = AppGroup("users", help="Kelola akun pengguna.")
quizzes_cli = AppGroup("quizzes", help="Kelola percobaan kuis.")


@quizzes_cli.command("close-expired")
def quizzes_close_expired() -> None:
    """Grade every exam attempt left open past its time limit (for cron, before reports)."""
    click.echo(f"{close_expired(None)} percobaan yang melewati batas waktu dinilai.")


@courses_cli.command("check")
@click.argument("path", required=False)
@click.option("--json", "as_json", is_flag=True, help="Cetak hasil sebagai satu objek JSON.")
def courses_check(path: str | None, as_json: bool) -> None:
    """Check a courses folder (default: the configured one): problems, then warnings; exit 1 on a problem."""
    root = path or _display_path(current_app.config["COURSES_DIR"])
    catalog = load_catalog(root)
    folders = [course.path for course in catalog.courses] + [broken.path for broken in catalog.broken]
    problems = [*catalog.problems, *check_survey_files(root, folders)]
    if as_json:
        data = {
            "courses": [course.as_dict() for course in catalog.courses],
            "errors": [problem.as_dict() for problem in problems],
            "warnings": [warning.as_dict() for warning in catalog.warnings],
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for problem in problems:
            click.echo(f"{problem} [{problem.code}]")
        for warning in catalog.warnings:
            click.echo(f"{warning.path}:{warning.line}: peringatan: {warning.message} [{warning.code}]")
        lessons = sum(len(course.lessons) for course in catalog.courses)
        questions = sum(
            len(lesson.quiz.questions) if lesson.quiz else 0 for course in catalog.courses for lesson in course.lessons
        ) + sum(len(course.exam.questions) for course in catalog.courses if course.exam)
        total = len(catalog.courses) + len(catalog.broken)
        click.echo(
            f"{total} kursus diperiksa: {len(catalog.courses)} baik, {len(catalog.broken)} bermasalah; "
            f"{lessons} pelajaran, {questions} soal; {len(problems)} masalah, "
            f"{len(catalog.warnings)} peringatan penulisan soal"
        )
    sys.exit(1 if problems else 0)


@courses_cli.command("import-gift")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--course", "course_id", required=True, help="Id kursus (nama foldernya).")
@click.option("--lesson", required=True, help="Id pelajaran, atau 'ujian' untuk bank soal exam.md.")
@click.option("--dry-run", is_flag=True, help="Cetak Markdown hasilnya saja, tanpa menulis berkas.")
def courses_import_gift(file: Path, course_id: str, lesson: str, dry_run: bool) -> None:
    """Append the questions of a Moodle GIFT file to a lesson's quiz (or the exam); report what was skipped."""
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise click.ClickException(f"{file} bukan teks UTF-8: simpan ulang sebagai UTF-8 lalu impor lagi.") from None
    courses_dir = Path(current_app.config["COURSES_DIR"])
    try:
        outcome = import_gift(courses_dir, course_id, lesson, text, dry_run=dry_run)
    except GiftImportError as error:
        click.echo(str(error), err=True)
        for problem in error.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    result = outcome.result
    target = _display_path(str(outcome.target))
    if dry_run:
        click.echo(outcome.markdown, nl=False)
        summary = f"{len(result.converted)} soal dapat dikonversi untuk {target} (uji coba: tidak ada yang ditulis)."
    elif outcome.written:
        summary = (
            f"{len(result.converted)} soal dikonversi dan ditambahkan ke {target}; pemeriksa tidak menemukan masalah."
        )
    else:
        summary = f"Tidak ada soal yang dapat dikonversi; {target} tidak diubah."
    report = [summary]
    if result.skipped:
        report.append(f"{len(result.skipped)} soal dilewati:")
        report += [f'  {file.name} baris {s.line} "{s.title}": {s.reason}' for s in result.skipped]
    if result.notes:
        report.append("Catatan:")
        report += [f'  {file.name} baris {n.line} "{n.title}": {n.message}' for n in result.notes]
    for line in report:
        click.echo(line, err=dry_run)
    sys.exit(0 if result.converted else 1)


def _display_path(folder: str) -> str:
    """Return ``folder`` relative to the working directory when it lies below it."""
    try:
        return os.path.relpath(folder) if Path(folder).resolve().is_relative_to(Path.cwd()) else folder
    except ValueError:
        return folder


def _unit(name: str) -> Unit:
    # A top-level unit of that name (names repeat lower in the tree, e.g. "Sekretariat").
    unit = db.session.execute(db.select(Unit).filter_by(name=name, parent_id=None)).scalar_one_or_none()
    if unit is None:
        unit = Unit(name=name)
        db.session.add(unit)
    return unit


@users_cli.command("create")
@click.option("--nip", required=True, help="NIP 18 digit.")
@click.option("--name", required=True, help="Nama lengkap.")
@click.option("--unit", required=True, help="Unit kerja (dibuat bila belum ada).")
@click.option("--role", type=click.Choice(ROLES), default="asn", show_default=True)
@click.option("--position", default="", help="Jabatan.")
@click.option("--email", default=None)
@click.option("--password", default=None, help="Kata sandi (ditanyakan bila tidak diisi).")
def users_create(nip, name, unit, role, position, email, password) -> None:
    """Create an account; the user must choose their own password at first login."""
    nip = clean_nip(nip)
    if problem := nip_problem(nip):
        raise click.BadParameter(problem, param_hint="--nip")
    for value, hint in ((name, "--name"), (unit, "--unit"), (position, "--position")):
        if len(value) > 200:
            raise click.BadParameter("paling banyak 200 karakter", param_hint=hint)
    if db.session.execute(db.select(User).filter_by(nip=nip)).scalar_one_or_none():
        raise click.ClickException(f"NIP {nip} sudah terdaftar.")
    if password is None:
        password = click.prompt("Kata sandi", hide_input=True, confirmation_prompt="Ulangi kata sandi")
    if problem := password_problem(password, nip, name):
        raise click.BadParameter(problem, param_hint="--password")
    user = User(nip=nip, name=name, unit=_unit(unit), role=role, position=position, email=email)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", "user", user.id, f"Akun {nip} ({name}) dibuat", after={"role": role, "unit": unit})
    db.session.commit()
    click.echo(f"Akun {nip} ({name}, {role}) dibuat. Kata sandi harus diganti saat pertama masuk.")


@users_cli.command("reset-password")
@click.option("--nip", required=True, help="NIP akun yang lupa kata sandi.")
def users_reset_password(nip: str) -> None:
    """Give an account a new random initial password and end its sessions."""
    nip = clean_nip(nip)
    user = db.session.execute(db.select(User).filter_by(nip=nip)).scalar_one_or_none()
    if user is None:
        raise click.ClickException(f"NIP {nip} tidak terdaftar.")
    password = people.reset_password(user)  # recorded in the audit log
    db.session.commit()
    click.echo(f"Kata sandi awal baru untuk {user.name} (NIP {nip}): {password}")
    click.echo("Serahkan langsung kepada pemiliknya; ia wajib menggantinya saat masuk.")


@users_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--skip-invalid", is_flag=True, help="Impor baris yang benar, lewati yang salah.")
@click.option(
    "--passwords-out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Berkas CSV kata sandi awal (bawaan: NAMA-kata-sandi.csv di samping FILE).",
)
def users_import(file: Path, skip_invalid: bool, passwords_out: Path | None) -> None:
    """Import staff from a CSV or XLSX file with columns nip,nama,unit,jabatan,email,role."""
    try:
        text = file_text(file.name, file.read_bytes())
    except ImportFileError as error:
        raise click.ClickException(str(error)) from None
    result = import_staff(text, skip_invalid=skip_invalid, source=f"{file.name} (perintah flask)")
    for error in result.errors:
        click.echo(f"{file}: {error}", err=True)
    if not result.imported:
        click.echo(
            f"Tidak ada yang diimpor: {len(result.errors)} baris bermasalah. "
            "Perbaiki, atau jalankan lagi dengan --skip-invalid.",
            err=True,
        )
        sys.exit(1)
    click.echo(
        f"{len(result.created)} akun baru, {len(result.updated)} diperbarui, {result.unchanged} tidak berubah, "
        f"{result.skipped} baris dilewati; {len(result.units_created)} unit baru."
    )
    if result.created:
        out = passwords_out or file.with_name(file.stem + "-kata-sandi.csv")
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(passwords_csv(result.created))
        click.echo(f"Kata sandi awal akun baru ditulis ke {out} (serahkan kepada pemiliknya, lalu hapus berkasnya).")


DEMO_ACCOUNTS = (
    # nip, name, role, unit, position
    ("198507122010012003", "Sri Wahyuni", "asn", "Kapanewon Depok", "Pengadministrasi Umum"),
    ("197903152005011002", "Bambang Hartono", "supervisor", "Kapanewon Depok", "Panewu"),
    ("198811042014022001", "Dewi Lestari", "trainer", "BKPP Kabupaten Sleman", "Widyaiswara"),
    ("197612202003121001", "Agus Prasetyo", "admin", "BKPP Kabupaten Sleman", "Analis SDM Aparatur"),
)


def create_demo_accounts() -> list[tuple[User, str | None]]:
    """Create one demo account per role, once; return each with its new password (None if it existed)."""
    accounts = []
    for nip, name, role, unit, position in DEMO_ACCOUNTS:
        user = db.session.execute(db.select(User).filter_by(nip=nip)).scalar_one_or_none()
        if user is not None:
            accounts.append((user, None))
            continue
        password = random_password()
        user = User(nip=nip, name=name, role=role, unit=_unit(unit), position=position, must_change_password=False)
        user.set_password(password)
        db.session.add(user)
        db.session.flush()
        accounts.append((user, password))
    db.session.commit()
    return accounts


@click.command("demo")
@click.option(
    "--learners", type=click.IntRange(0, 50_000), default=0, help="Juga buat unit dan N pegawai beserta belajarnya."
)
def demo(learners: int) -> None:
    """Create one demo account per role (once) and print how to log in; --learners N adds a demo regency."""
    if learners:
        started = time.perf_counter()
        made = build_regency(current_catalog(), learners)
        click.echo(
            f"Data demo: {made['units']} unit, {made['people']} pegawai, {made['progress']} kemajuan pelajaran, "
            f"{made['attempts']} percobaan, {made['answers']} jawaban, {made['completions']} kursus selesai, "
            f"{made['certificates']} sertifikat, {made['survey_responses']} jawaban survei, "
            f"{made['action_plans']} rencana aksi "
            f"({time.perf_counter() - started:.1f} detik)."
        )
    accounts = create_demo_accounts()
    threads = seed_discussions(current_catalog(), [user for user, _ in accounts])
    if threads:
        click.echo(f"Diskusi demo: {threads} topik di forum kursus dan diskusi pelajaran.")
    path = Path(current_app.instance_path) / "demo-accounts.txt"
    saved = {}
    if path.exists():
        for line in path.read_text().splitlines():
            if line.startswith("#"):
                continue
            nip, _, rest = line.partition(" ")
            saved[nip] = rest.split(" ", 1)[0]
    for user, password in accounts:
        if password:
            saved[user.nip] = password
    lines = []
    click.echo("Akun demo (masuk di http://127.0.0.1:5000/masuk):")
    for user, _ in accounts:
        shown = saved.get(user.nip)
        if not shown or not user.check_password(shown):
            shown = "(sudah diganti)"
        line = f"{user.nip} {shown:<16} {user.role_label:<8} {user.name}"
        lines.append(line)
        click.echo(f"  {user.role_label:<8} NIP {user.nip}  kata sandi {shown:<16} {user.name}")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write("# NIP, kata sandi, peran, nama (akun demo; jangan dipakai di server sungguhan)\n")
        handle.writelines(line + "\n" for line in lines)


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path) -> None:
    """Write a consistent copy of the database to PATH while the app keeps running."""
    try:
        backup(current_app.config["SQLALCHEMY_DATABASE_URI"], path)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Cadangan ditulis ke {path} ({path.stat().st_size:,} bita).")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Jangan bertanya lagi (semua data sekarang diganti isi cadangan).")
def restore_command(path: Path, yes: bool) -> None:
    """Replace the database's content with the backup in PATH (stop the app first)."""
    if not yes:
        click.confirm(f"Semua data sekarang akan diganti dengan isi {path}. Lanjutkan?", abort=True)
    db.session.remove()
    db.engine.dispose()
    try:
        restore(current_app.config["SQLALCHEMY_DATABASE_URI"], path)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Basis data dipulihkan dari {path}. Jalankan 'flask --app wsgi db upgrade' bila cadangannya lebih lama."
    )


certificates_cli = AppGroup("certificates", help="Kelola sertifikat.")


@certificates_cli.command("issue-missing")
def certificates_issue_missing() -> None:
    """Issue certificates for completions that have none (e.g. completed before certificates existed)."""
    titles = {course.id: course.title for course in current_catalog().courses}
    issued = issue_missing(None, titles)
    db.session.commit()
    click.echo(f"{issued} sertifikat diterbitkan.")


def init_app(app: Flask) -> None:
    app.cli.add_command(courses_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(quizzes_cli)
    app.cli.add_command(demo)
    app.cli.add_command(certificates_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
