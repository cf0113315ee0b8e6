"""Matching and fill-in-the-blank questions answered on a 360 px phone with the keyboard alone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import FIXTURES
from tests.e2e.conftest import log_in
from tests.e2e.layout import layout_problems, screenshot
from tests.e2e.test_accessibility import violations
from tests.e2e.test_quiz_journey import current_attempt
from tests.factories import make_user


@pytest.fixture
def app_config():
    return {"COURSES_DIR": str(FIXTURES / "courses" / "types")}


def tab_to(page: Page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        if page.evaluate(f"document.activeElement && document.activeElement.matches({selector!r})"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_matching_and_blanks_with_the_keyboard_alone_on_a_phone(page, tmp_path):
    page.set_viewport_size({"width": 360, "height": 800})
    log_in(page, make_user().nip)
    page.goto("/kursus/jenis-soal/nilai-dasar/kuis")
    tab_to(page, "button.button-primary")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/kuis/\d+$"))
    attempt = current_attempt(page)
    matching = attempt.questions[0]
    assert matching.type == "matching"
    assert layout_problems(page) + violations(page) == []
    screenshot(page, tmp_path, "types-phone-take")

    tab_to(page, "select[name='a0-0']")
    for row, choice in enumerate(matching.correct):
        expect(page.locator(f"select[name='a0-{row}']")).to_be_focused()
        for _ in range(choice + 1):  # past "– pilih –" to the right-hand item
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Tab")
    tab_to(page, "input[name='a1-0']")
    page.keyboard.type("Komisi Pemberantasan Korupsi")
    page.keyboard.press("Tab")
    page.keyboard.type("30")
    tab_to(page, "input[name='a2-0']")
    page.keyboard.type("37,5")
    tab_to(page, "input[name='a3']")
    page.keyboard.press("Space")  # Benar, the first option (true/false keeps its order)
    expect(page.locator("#unanswered")).to_have_text("Semua soal sudah dijawab.")
    tab_to(page, "#submit-quiz")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/hasil$"))
    expect(page.get_by_role("heading", name="Nilai Anda: 100")).to_be_visible()
    assert layout_problems(page) + violations(page) == []
    screenshot(page, tmp_path, "types-phone-review")
