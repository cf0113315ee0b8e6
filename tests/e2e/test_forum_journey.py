"""Discussions in a real browser: two learners talk in a lesson's discussion, one sees the new
reply on the dashboard, reports a post, and a trainer hides it; every page checked for layout
and accessibility at phone and desktop width."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.e2e.layout import layout_problems, screenshot
from tests.e2e.test_accessibility import violations
from tests.factories import make_user


def checked(page, tmp_path, name: str) -> None:
    assert layout_problems(page) + violations(page) == [], name
    screenshot(page, tmp_path, name)


@pytest.mark.parametrize("width", [360, 1280])
def test_two_learners_talk_in_a_lesson_and_a_trainer_hides_a_post(browser, live_server, page, tmp_path, width):
    size = {"width": width, "height": 800}
    page.set_viewport_size(size)
    rina = make_user(name="Rina Astuti", unit="Dinas Kesehatan")
    budi = make_user(name="Budi Santoso", unit="Kapanewon Depok")
    trainer = make_user(role="trainer", name="Dewi Pelatih", unit="BKPP Kabupaten Sleman")

    # Rina asks a question from the lesson page.
    log_in(page, rina.nip)
    page.goto("/kursus/layanan-dasar/pengantar")
    expect(page.locator(".discussion-link")).to_contain_text("0 pesan")
    page.get_by_role("link", name="Diskusi pelajaran ini").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Diskusi: "))
    page.get_by_label("Judul topik").fill("Bagaimana menyusun prioritas layanan?")
    page.get_by_label("Isi pesan").fill("Di puskesmas kami antrean pagi **sangat panjang**. Ada saran?")
    checked(page, tmp_path, f"forum-{width}-lesson-discussion")
    page.get_by_role("button", name="Terbitkan topik").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bagaimana menyusun prioritas layanan?")
    expect(page.locator(".post-body strong")).to_have_text("sangat panjang")

    # Budi, in his own browser, finds it from the same lesson and replies.
    other = browser.new_context(viewport=size, base_url=live_server, locale="id-ID")
    budi_page = other.new_page()
    budi_page.set_default_timeout(10_000)
    log_in(budi_page, budi.nip)
    budi_page.goto("/kursus/layanan-dasar/pengantar")
    expect(budi_page.locator(".discussion-link")).to_contain_text("1 pesan")
    budi_page.get_by_role("link", name="Diskusi pelajaran ini").click()
    budi_page.get_by_role("link", name="Bagaimana menyusun prioritas layanan?").click()
    expect(budi_page.locator(".post-author").first).to_contain_text("Rina Astuti")
    expect(budi_page.locator(".post-author").first).to_contain_text("Dinas Kesehatan")
    budi_page.get_by_label("Balasan Anda").fill(
        "Kami membagi loket: satu khusus lansia dan [ini panduannya](https://example.com/panduan)."
    )
    budi_page.get_by_role("button", name="Kirim balasan").click()
    expect(budi_page.locator(".flash-success")).to_have_text("Balasan Anda terkirim.")
    expect(budi_page.locator(".post-body a")).to_have_attribute("rel", "nofollow ugc noopener")
    budi_page.get_by_label("Balasan Anda").fill("Pesan kedua yang tidak pantas.")
    budi_page.get_by_role("button", name="Kirim balasan").click()
    expect(budi_page.locator(".post")).to_have_count(3)
    checked(budi_page, tmp_path, f"forum-{width}-thread-learner")

    # Rina sees the new replies on her dashboard; opening the thread marks them read.
    page.goto("/")
    expect(page.get_by_role("heading", name="Balasan baru di diskusi Anda (2)")).to_be_visible()
    checked(page, tmp_path, f"forum-{width}-dashboard")
    page.get_by_role("link", name="Bagaimana menyusun prioritas layanan?").click()
    expect(page.locator(".post").nth(1)).to_contain_text("Budi Santoso")
    thread_url = page.url.split("#")[0]
    expect(page.locator("form.read-form")).to_be_hidden()  # the script sent the read mark
    page.locator(".post").nth(2).locator("summary", has_text="Laporkan").click()
    page.locator(".post").nth(2).get_by_label("Alasan melaporkan (opsional)").fill("Tidak sopan")
    page.locator(".post").nth(2).get_by_role("button", name="Kirim laporan ke moderator").click()
    expect(page.locator(".flash-success")).to_contain_text("Laporan Anda sudah diterima")
    page.goto("/")
    expect(page.get_by_text("Balasan baru di diskusi Anda")).to_have_count(0)

    # The trainer finds the report in the queue and hides the post with a reason.
    third = browser.new_context(viewport=size, base_url=live_server, locale="id-ID")
    mod = third.new_page()
    mod.set_default_timeout(10_000)
    log_in(mod, trainer.nip)
    mod.get_by_role("link", name="Pelatih", exact=True).click()
    mod.get_by_role("link", name="Laporan diskusi").click()
    expect(mod.locator(".post-body")).to_have_text("Pesan kedua yang tidak pantas.")
    checked(mod, tmp_path, f"forum-{width}-reports")
    mod.get_by_label("Alasan menyembunyikan").fill("Bahasa tidak pantas")
    mod.get_by_role("button", name="Sembunyikan pesan").click()
    expect(mod.locator(".flash-success")).to_have_text("Pesan disembunyikan dari peserta.")
    mod.goto(thread_url)
    expect(mod.locator(".hidden-note")).to_have_text("Disembunyikan dari peserta. Alasan: Bahasa tidak pantas")
    mod.locator(".moderation-panel summary").click()
    checked(mod, tmp_path, f"forum-{width}-thread-moderator")

    # Both learners now see the placeholder in its place, not the text.
    for learner_page in (page, budi_page):
        learner_page.goto(thread_url)
        expect(learner_page.get_by_text("Pesan ini disembunyikan moderator.")).to_be_visible()
        expect(learner_page.get_by_text("Pesan kedua yang tidak pantas.")).to_have_count(0)
    page.goto("/diskusi/layanan-dasar/")
    checked(page, tmp_path, f"forum-{width}-course-forum")
    other.close()
    third.close()
