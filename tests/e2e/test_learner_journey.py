"""A learner's first session in a real browser: log in, open a lesson, mark it done."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.factories import make_user


def test_learner_logs_in_reads_a_lesson_and_sees_progress_move(page, tmp_path):
    user = make_user(name="Sri Wahyuni")
    log_in(page, user.nip)
    expect(page.get_by_role("heading", name="Halo, Sri Wahyuni")).to_be_visible()

    page.get_by_role("link", name="Katalog", exact=True).click()
    page.get_by_role("link", name="Layanan Dasar").click()
    page.get_by_role("link", name="Pengantar Layanan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pengantar Layanan")
    page.screenshot(path=str(tmp_path / "lesson.png"), full_page=True)

    page.get_by_role("button", name="Tandai selesai").click()
    expect(page).to_have_url(re.compile(r"/kursus/layanan-dasar/prioritas$"))
    expect(page.get_by_text("Pelajaran “Pengantar Layanan” selesai.")).to_be_visible()

    page.get_by_role("link", name="Beranda", exact=True).click()
    bar = page.get_by_role("progressbar", name="Kemajuan Layanan Dasar")
    expect(bar).to_have_attribute("value", "50")
    expect(page.get_by_text("1 dari 2 pelajaran selesai")).to_be_visible()


def test_wrong_password_shows_a_message_and_the_form_again(page):
    user = make_user()
    log_in(page, user.nip, "bukan-sandinya")
    expect(page.get_by_text("NIP atau kata sandi salah.")).to_be_visible()
    expect(page.get_by_label("NIP")).to_have_value(user.nip)


def test_phone_layout_has_no_horizontal_scroll(page):
    user = make_user()
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, user.nip)
    for url in ("/", "/kursus", "/kursus/layanan-dasar/", "/kursus/layanan-dasar/pengantar"):
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{url} is {width}px wide"
