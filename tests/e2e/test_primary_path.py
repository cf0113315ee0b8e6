"""A learner goes through a whole course pressing only the primary button, on a phone and a desktop."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.e2e.layout import layout_problems, screenshot
from tests.e2e.test_quiz_journey import answer, current_attempt, submit
from tests.factories import make_user

VIEWPORTS = {"phone": {"width": 360, "height": 800}, "desktop": {"width": 1280, "height": 800}}
TAKING = re.compile(r"/kuis/\d+$")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_course_from_start_to_jp_by_pressing_only_the_primary_button(page, tmp_path, viewport):
    page.set_viewport_size(VIEWPORTS[viewport])
    log_in(page, make_user(name="Sri Wahyuni").nip)
    page.goto("/kursus/layanan-dasar/")
    problems: dict[str, list[str]] = {}
    visited = []
    for number in range(25):
        path = urlsplit(page.url).path
        visited.append(path)
        screenshot(page, tmp_path, f"path-{viewport}-{number:02d}-{path.strip('/').replace('/', '_') or 'home'}")
        problems[path] = layout_problems(page)
        if page.get_by_role("heading", name="Kursus selesai").is_visible():
            break
        if TAKING.search(path):
            attempt = current_attempt(page)
            answer(page, attempt, right=attempt.kind != "pretest")  # a low baseline, then learn
            submit(page)
            continue
        page.locator("main .button-primary").first.click()
        page.wait_for_load_state()
    else:
        pytest.fail(f"no completion after {len(visited)} pages: {visited}")

    assert {path: found for path, found in problems.items() if found} == {}
    # pre-test, its result, the lesson without quiz, the one with quiz, its quiz, post-test: in that order
    assert [p for p in visited if p.endswith(("pre-test", "pengantar", "prioritas", "post-test"))] == [
        "/kursus/layanan-dasar/ujian/pre-test",
        "/kursus/layanan-dasar/pengantar",
        "/kursus/layanan-dasar/prioritas",
        "/kursus/layanan-dasar/ujian/post-test",
    ]
    expect(page.locator(".exam-grid")).to_contain_text("Peningkatan+100")
    page.get_by_role("link", name="Beranda", exact=True).click()
    expect(page.locator(".jp-figure")).to_contain_text("2 dari 20 JP")


def test_the_pretest_result_is_a_baseline_not_a_failure(page):
    log_in(page, make_user().nip)
    page.goto("/kursus/layanan-dasar/ujian/pre-test")
    page.get_by_role("button", name="Mulai Pre-test").click()
    answer(page, current_attempt(page), right=False)
    submit(page)
    expect(page.get_by_role("heading", name="Nilai awal Anda: 0")).to_be_visible()
    expect(page.get_by_text("Belum lulus")).to_have_count(0)
    expect(page.locator("main .button-primary").first).to_have_text("Mulai belajar: Pengantar Layanan")
    page.goto("/riwayat")
    expect(page.locator(".attempt .status")).to_have_text("Nilai awal")


def test_the_unanswered_counter_follows_typing(page):
    log_in(page, make_user().nip)
    page.goto("/kursus/layanan-dasar/prioritas/kuis")
    page.get_by_role("button", name="Mulai kuis").click()
    counter = page.locator("#unanswered")
    expect(counter).to_have_text("6 soal belum dijawab.")
    page.locator("#soal-4 input.text").press_sequentially("ASN")  # typing, without leaving the field
    expect(counter).to_have_text("5 soal belum dijawab.")


def test_a_number_that_cannot_be_read_is_flagged_while_typing(page):
    log_in(page, make_user().nip)
    page.goto("/kursus/layanan-dasar/prioritas/kuis")
    page.get_by_role("button", name="Mulai kuis").click()
    field = page.locator("#soal-3 input.number")
    field.press_sequentially("dua puluh")
    expect(page.locator("#soal-3 .number-msg")).to_contain_text("tidak terbaca sebagai angka")
    expect(field).to_have_attribute("aria-invalid", "true")
    field.fill("")
    field.press_sequentially("20 JP")  # the unit the question declares
    expect(page.locator("#soal-3 .number-msg")).to_have_text("")
    field.fill("")
    field.press_sequentially("20 jp")
    expect(field).to_have_attribute("aria-invalid", "false")
    field.fill("")
    field.press_sequentially("20 jam")  # not the question's unit: the server would not read it either
    expect(field).to_have_attribute("aria-invalid", "true")
