"""The header at desktop width: brand, search and account on one row, the menu on its own row
below, for every role (4 to 8 menu items), however long the account's name."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import log_in
from tests.e2e.layout import layout_problems, screenshot
from tests.factories import make_user

ROWS_JS = """
() => {
  const box = (selector) => document.querySelector(selector).getBoundingClientRect();
  const brand = box('.brand'), account = box('.account'), nav = box('.site-nav');
  const search = document.querySelector('.site-search');
  const name = document.querySelector('.account-name');
  const lineHeight = parseFloat(getComputedStyle(name).lineHeight) || 24;
  const sameRow = (a, b) => a.top < b.bottom && a.bottom > b.top;
  return {
    brandAndAccount: sameRow(brand, account),
    searchWithThem: search === null || sameRow(brand, search.getBoundingClientRect()),
    menuBelow: nav.top >= Math.max(brand.bottom, account.bottom) - 1,
    menuOneLine: nav.height < 2 * 40,
    nameLines: Math.round(name.getBoundingClientRect().height / lineHeight),
  };
}
"""


@pytest.mark.parametrize("role", ["asn", "supervisor", "trainer", "admin"])
def test_the_header_at_1280_px_keeps_its_two_rows_for_every_role_and_a_long_name(browser, live_server, tmp_path, role):
    user = make_user(role=role, name="Dr. Raden Ayu Kusumawardhani Setyaningrum, S.Kom., M.Kom.")
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=live_server, locale="id-ID")
    page = context.new_page()
    try:
        log_in(page, user.nip)
        screenshot(page, tmp_path, f"header-1280-{role}")
        found = page.evaluate(ROWS_JS)
        assert found == {
            "brandAndAccount": True,
            "searchWithThem": True,
            "menuBelow": True,
            "menuOneLine": True,
            "nameLines": 1,
        }, found
        assert layout_problems(page) == []
        page.locator(".account-menu summary").click()
        assert page.locator(".account-full-name").inner_text() == user.name  # the whole name, in the panel
    finally:
        context.close()


MENU_ROWS_JS = """
() => new Set([...document.querySelectorAll('.site-nav li')].map(li => Math.round(li.getBoundingClientRect().top))).size
"""


@pytest.mark.parametrize(("role", "rows"), [("asn", 1), ("supervisor", 2)])
def test_the_menu_on_a_360_px_phone_gives_a_learner_one_row(browser, live_server, tmp_path, role, rows):
    """A learner's four items fit one row (none left alone on a second); a supervisor's six wrap."""
    user = make_user(role=role)
    context = browser.new_context(viewport={"width": 360, "height": 800}, base_url=live_server, locale="id-ID")
    page = context.new_page()
    try:
        log_in(page, user.nip)
        screenshot(page, tmp_path, f"header-360-{role}")
        assert page.evaluate(MENU_ROWS_JS) == rows
        assert layout_problems(page) == []
    finally:
        context.close()
