"""Every kind of page passes axe-core (WCAG 2.0-2.2 A and AA) and the layout checks, on a phone and a desktop."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.e2e.conftest import log_in
from tests.e2e.layout import layout_problems, screenshot
from tests.e2e.test_quiz_journey import answer, current_attempt, submit
from tests.factories import make_user

AXE = Axe()
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
OPTIONS = {"runOnly": {"type": "tag", "values": TAGS}}
VIEWPORTS = {"phone": {"width": 360, "height": 800}, "desktop": {"width": 1280, "height": 800}}


def violations(page: Page) -> list[str]:
    results = AXE.run(page, options=OPTIONS)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_pages_have_no_accessibility_violations_and_fit_the_screen(page, tmp_path, viewport):
    page.set_viewport_size(VIEWPORTS[viewport])
    found = {}

    def check(name: str) -> None:
        found[name] = violations(page) + layout_problems(page)
        screenshot(page, tmp_path, f"a11y-{viewport}-{name.strip('/').replace('/', '_') or 'home'}")

    page.goto("/masuk")
    check("/masuk")
    log_in(page, make_user().nip)
    page.goto("/kursus/layanan-dasar/ujian/pre-test")
    page.get_by_role("button", name="Mulai Pre-test").click()
    answer(page, current_attempt(page), right=False)
    submit(page)
    check("pretest-result")
    page.goto("/kursus/layanan-dasar/prioritas/kuis")
    page.get_by_role("button", name="Mulai kuis").click()
    check("quiz")
    answer(page, current_attempt(page), right=False)
    submit(page)
    assert re.search(r"/hasil$", page.url)
    check("review")
    for url in (
        "/",
        "/kursus",
        "/kursus/layanan-dasar/",
        "/kursus/layanan-dasar/pengantar",
        "/kursus/layanan-dasar/prioritas/kuis",
        "/kursus/layanan-dasar/ujian/pre-test",
        "/riwayat",
        "/cari?q=layanan",
        "/cari",
        "/akun/kata-sandi",
        "/tidak-ada",
    ):
        page.goto(url)
        check(url)
    assert {name: v for name, v in found.items() if v} == {}
