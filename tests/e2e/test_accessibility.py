"""Every kind of page passes the axe-core accessibility rules (WCAG 2.1 A and AA)."""

from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.e2e.conftest import log_in
from tests.e2e.test_quiz_journey import answer, current_attempt, submit
from tests.factories import make_user

AXE = Axe()
OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def violations(page: Page) -> list[str]:
    results = AXE.run(page, options=OPTIONS)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


def test_pages_have_no_accessibility_violations(page):
    found = {}
    page.goto("/masuk")
    found["/masuk"] = violations(page)
    log_in(page, make_user().nip)
    for url in (
        "/",
        "/kursus",
        "/kursus/layanan-dasar/",
        "/kursus/layanan-dasar/pengantar",
        "/kursus/layanan-dasar/prioritas/kuis",
        "/riwayat",
        "/akun/kata-sandi",
        "/tidak-ada",
    ):
        page.goto(url)
        found[url] = violations(page)
    page.goto("/kursus/layanan-dasar/prioritas/kuis")
    page.get_by_role("button", name="Mulai kuis").click()
    found["quiz"] = violations(page)
    answer(page, current_attempt(page), right=False)
    submit(page)
    assert re.search(r"/hasil$", page.url)
    found["review"] = violations(page)
    assert {url: v for url, v in found.items() if v} == {}
