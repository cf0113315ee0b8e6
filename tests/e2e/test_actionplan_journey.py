"""An action plan in a real browser: a learner completes a course and writes a plan; thirty days
later (the app's clock moved) the dashboard asks what happened and the learner reports; the
supervisor finds it waiting on the unit page and confirms it. Phone and desktop widths."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from elearn import clock
from elearn.actionplan.models import ActionPlan
from elearn.extensions import db
from tests.e2e.conftest import log_in
from tests.e2e.layout import layout_problems, screenshot
from tests.e2e.test_accessibility import violations
from tests.e2e.test_quiz_journey import answer, current_attempt, submit
from tests.factories import make_user

VIEWPORTS = {"phone": {"width": 360, "height": 800}, "desktop": {"width": 1280, "height": 800}}
STEP = "Mengirim ringkasan prioritas mingguan kepada tim setiap Senin pagi"


def checked(page, tmp_path, name: str) -> None:
    assert layout_problems(page) + violations(page) == [], name
    screenshot(page, tmp_path, name)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_plan_is_written_reported_thirty_days_later_and_confirmed(page, browser, monkeypatch, tmp_path, viewport):
    page.set_viewport_size(VIEWPORTS[viewport])
    start = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)  # 10 March 2026, 09.00 WIB
    monkeypatch.setattr(clock, "now", lambda: start)
    learner = make_user(name="Dewi Lestari", unit="Dinas Sosial")
    boss = make_user(role="supervisor", name="Kepala Dinas Sosial", unit="Dinas Sosial")
    log_in(page, learner.nip)

    # Complete the course by its one primary path.
    page.goto("/kursus/layanan-dasar/pengantar")
    page.get_by_role("button", name="Tandai selesai").click()
    page.get_by_role("link", name="Kerjakan kuis: Prioritas Kerja").click()
    page.get_by_role("button", name="Mulai kuis").click()
    answer(page, current_attempt(page), right=True)
    submit(page)
    page.get_by_role("link", name="Kerjakan post-test").click()
    page.get_by_role("button", name="Mulai Post-test").click()
    answer(page, current_attempt(page), right=True)
    submit(page)

    # Write the plan from the course page.
    page.goto("/kursus/layanan-dasar/")
    page.get_by_role("link", name="Tulis rencana aksi").click()
    expect(page.get_by_role("heading", name="Rencana aksi: Layanan Dasar")).to_be_visible()
    page.get_by_role("button", name="Simpan rencana aksi").click()  # empty: told what is missing
    expect(page.get_by_text("Tuliskan paling sedikit satu perubahan")).to_be_visible()
    checked(page, tmp_path, f"plan-{viewport}-form")
    page.get_by_label("Apa yang akan Anda ubah?").first.fill(STEP)
    page.get_by_label("Target tanggal").first.fill("2026-03-23")
    page.get_by_role("button", name="Simpan rencana aksi").click()
    expect(page.get_by_text("Rencana aksi tersimpan")).to_be_visible()
    expect(page.locator(".plan-card")).to_contain_text(STEP)
    expect(page.locator(".plan-card")).to_contain_text("mulai 9 April 2026")
    checked(page, tmp_path, f"plan-{viewport}-course")
    page.goto("/")
    expect(page.get_by_text("Bagaimana rencana aksi Anda?")).to_have_count(0)

    # Thirty days later the dashboard asks.
    monkeypatch.setattr(clock, "now", lambda: start + timedelta(days=30))
    page.goto("/")
    expect(page.get_by_role("heading", name="Bagaimana rencana aksi Anda?")).to_be_visible()
    checked(page, tmp_path, f"plan-{viewport}-dashboard")
    page.get_by_role("link", name="Laporkan hasil: Layanan Dasar").click()
    page.get_by_label("Sebagian terlaksana").check()
    page.get_by_label("Apa yang membantu?").fill("Tim ikut menyusun prioritas bersama.")
    page.get_by_label("Beban kerja terlalu padat").check()
    checked(page, tmp_path, f"plan-{viewport}-report")
    page.get_by_role("button", name="Kirim hasil").click()
    expect(page.get_by_text("hasil rencana aksi Anda tersimpan")).to_be_visible()
    page.goto("/")
    expect(page.get_by_text("Bagaimana rencana aksi Anda?")).to_have_count(0)  # never twice

    # The supervisor confirms.
    base_url = "/".join(page.url.split("/", 3)[:3])
    other = browser.new_context(viewport=VIEWPORTS[viewport], base_url=base_url, locale="id-ID")
    boss_page = other.new_page()
    boss_page.set_default_timeout(10_000)
    log_in(boss_page, boss.nip)
    boss_page.get_by_role("link", name="Unit saya").click()
    expect(boss_page.locator(".plan-waiting")).to_contain_text("1")
    boss_page.get_by_role("link", name="Menunggu konfirmasi Anda").click()
    expect(boss_page.get_by_role("heading", name="Dewi Lestari")).to_be_visible()
    checked(boss_page, tmp_path, f"plan-{viewport}-waiting")
    boss_page.get_by_role("link", name="Konfirmasi rencana aksi Dewi Lestari").click()
    expect(boss_page.get_by_text("Beban kerja terlalu padat")).to_be_visible()
    checked(boss_page, tmp_path, f"plan-{viewport}-confirm")
    boss_page.get_by_label("Menerapkan sebagian besar").check()
    boss_page.get_by_label("Catatan atasan (opsional)").fill("Daftar prioritas sekarang dibahas tiap Senin.")
    boss_page.get_by_role("button", name="Simpan konfirmasi").click()
    expect(boss_page.get_by_text("Konfirmasi untuk rencana aksi Dewi Lestari tersimpan.")).to_be_visible()
    expect(boss_page.get_by_text("Tidak ada rencana aksi yang menunggu konfirmasi Anda.")).to_be_visible()

    # The evaluation report of the supervisor's unit shows it.
    boss_page.get_by_role("link", name="Evaluasi").click()
    boss_page.get_by_label("Kursus", exact=True).select_option("layanan-dasar")
    boss_page.get_by_role("button", name="Tampilkan").click()
    report = boss_page.locator("#k-layanan-dasar")
    expect(report).to_contain_text("Dikonfirmasi atasan")
    expect(report).to_contain_text("Atasan: Menerapkan sebagian besar")
    expect(report).to_contain_text("Beban kerja terlalu padat: 1")
    checked(boss_page, tmp_path, f"plan-{viewport}-evaluation")
    other.close()

    plan = db.session.execute(db.select(ActionPlan)).scalar_one()
    assert (plan.result, plan.rating, plan.confirmed_by) == ("partly", 3, boss.id)
    page.goto("/kursus/layanan-dasar/")
    expect(page.locator(".plan-card")).to_contain_text("Menerapkan sebagian besar")
