"""The admin area in a real browser: a staff import with one bad row, fixed and confirmed; a
deactivated person who can no longer log in; the admin pages at phone and desktop width."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.e2e.layout import layout_problems, screenshot
from tests.e2e.test_accessibility import violations
from tests.factories import PASSWORD, make_user

HEADER = "nip,nama,unit,jabatan,email,role\n"
SRI = "198507122010012003,Sri Wahyuni,Kapanewon Depok,Pengadministrasi Umum,,asn\n"
BAMBANG = "197903152005011002,Bambang Hartono,Kapanewon Depok,Panewu,bambang@slemankab.go.id,supervisor\n"
BAD = "19790315200501100,Dwi Lestari,Kapanewon Depok,Staf,,asn\n"  # one digit short
DWI = "199204182019032007,Dwi Lestari,Kapanewon Depok,Staf,,asn\n"


def choose_file(page, text: str, name: str = "pegawai.csv") -> None:
    page.get_by_label("Berkas pegawai (CSV atau XLSX)").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": text.encode()}
    )
    page.get_by_role("button", name="Unggah dan lihat pratinjau").click()


def test_an_admin_imports_a_file_with_a_bad_row_fixes_it_and_finds_the_new_people(page, tmp_path):
    log_in(page, make_user(role="admin", name="Admin BKPP", unit="BKPP Kabupaten Sleman").nip)
    page.get_by_role("link", name="Admin", exact=True).click()
    page.get_by_role("navigation", name="Menu admin").get_by_role("link", name="Impor").click()
    choose_file(page, HEADER + SRI + BAD + BAMBANG)
    problems = page.locator(".problem-list")
    expect(problems).to_contain_text("Baris 3")
    expect(problems).to_contain_text("NIP harus 18 digit")
    expect(page.get_by_role("button", name="Konfirmasi impor")).to_have_count(0)
    assert layout_problems(page) + violations(page) == []
    screenshot(page, tmp_path, "admin-import-bad-row")

    page.get_by_role("link", name="Unggah berkas lain").click()
    choose_file(page, HEADER + SRI + DWI + BAMBANG)
    expect(page.locator(".summary-grid")).to_contain_text("Akun baru3")
    expect(page.get_by_role("heading", name=re.compile("Unit baru yang akan dibuat"))).to_be_visible()
    page.get_by_role("button", name="Konfirmasi impor").click()
    expect(page.get_by_role("heading", name="Impor selesai")).to_be_visible()
    assert layout_problems(page) + violations(page) == []
    screenshot(page, tmp_path, "admin-import-done")
    shown = page.locator("table.data tbody tr").filter(has_text="Sri Wahyuni").locator("code").inner_text()
    with page.expect_download() as download:
        page.get_by_role("button", name="Unduh kata sandi awal (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    assert {row["nama"]: row["kata_sandi_awal"] for row in rows}["Sri Wahyuni"] == shown

    page.get_by_role("link", name="Ke daftar pegawai").click()
    page.get_by_label("NIP atau nama").fill("wahyuni")
    page.locator("main").get_by_role("button", name="Cari").click()
    expect(page.locator("main")).to_contain_text("Sri Wahyuni")
    expect(page.locator("main")).not_to_contain_text("Bambang Hartono")

    context = page.context.browser.new_context(base_url=page.url.split("/admin")[0], locale="id-ID")
    newcomer = context.new_page()
    log_in(newcomer, "198507122010012003", shown)
    expect(newcomer.get_by_role("heading", name=re.compile("Ganti kata sandi|Buat kata sandi"))).to_be_visible()
    context.close()


def test_a_deactivated_person_can_no_longer_log_in(page, browser):
    person = make_user(name="Tri Rahayu", unit="Dinas Sosial")
    log_in(page, make_user(role="admin", name="Admin BKPP", unit="BKPP Kabupaten Sleman").nip)
    page.goto("/admin/pegawai")
    page.get_by_label("NIP atau nama").fill(person.nip)
    page.locator("main").get_by_role("button", name="Cari").click()
    page.get_by_role("link", name="Tri Rahayu").click()
    page.get_by_role("button", name="Nonaktifkan").click()
    expect(page.locator(".flash")).to_contain_text("dinonaktifkan")
    expect(page.locator("main")).to_contain_text("Nonaktif")
    expect(page.get_by_role("button", name="Aktifkan lagi")).to_be_visible()

    context = browser.new_context(base_url=page.url.split("/admin")[0], locale="id-ID")
    own = context.new_page()
    log_in(own, person.nip, PASSWORD)
    expect(own).to_have_url(re.compile("/masuk"))
    expect(own.locator(".flash, .form-error, [role=alert]").first).to_be_visible()
    context.close()


@pytest.mark.parametrize("width", [360, 1280])
def test_the_admin_pages_fit_and_pass_the_accessibility_check(page, tmp_path, width):
    page.set_viewport_size({"width": width, "height": 800})
    make_user(name="Sri Wahyuni", unit="Kapanewon Depok")
    log_in(page, make_user(role="admin", name="Admin BKPP", unit="BKPP Kabupaten Sleman").nip)
    for path in (
        "/admin/",
        "/admin/pegawai",
        "/admin/pegawai/baru",
        "/admin/unit",
        "/admin/impor",
        "/admin/ekspor",
        "/admin/log",
        "/admin/pengaturan",
    ):
        page.goto(path)
        assert layout_problems(page) + violations(page) == [], path
        screenshot(page, tmp_path, f"admin-{width}-{path.strip('/').replace('/', '-') or 'home'}")
