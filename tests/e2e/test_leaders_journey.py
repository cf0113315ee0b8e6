"""Leaders and certificates in a real browser: a supervisor finds who is behind; a learner's
certificate verifies from its QR link on a logged-out page; the print view fits one page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from elearn.extensions import db
from elearn.models import Completion
from tests.e2e.conftest import log_in
from tests.e2e.layout import layout_problems, screenshot
from tests.e2e.test_accessibility import violations
from tests.e2e.test_quiz_journey import answer, current_attempt, submit
from tests.factories import make_unit, make_user

VIEWPORTS = {"phone": {"width": 360, "height": 800}, "desktop": {"width": 1280, "height": 800}}


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_supervisor_finds_who_is_below_the_target_and_opens_a_record(page, tmp_path, viewport):
    page.set_viewport_size(VIEWPORTS[viewport])
    health = make_unit("Dinas Kesehatan")
    clinic = make_unit("Puskesmas Depok I", parent=health)
    behind = make_user(name="Tri Rahayu", unit="Dinas Kesehatan")
    behind.unit_id = clinic.id
    done = make_user(name="Sari Lestari", unit="Dinas Kesehatan")
    db.session.add(Completion(user_id=done.id, course_id="layanan-dasar", jp=25))
    db.session.commit()
    log_in(page, make_user(role="supervisor", name="Kepala Dinas", unit="Dinas Kesehatan").nip)
    page.get_by_role("link", name="Unit saya").click()
    expect(page.get_by_role("heading", name="Pembelajaran di Dinas Kesehatan")).to_be_visible()
    section = page.locator("section", has=page.get_by_role("heading", name=re.compile("Belum mencapai 20 JP")))
    expect(section).to_contain_text("Tri Rahayu")
    expect(section).not_to_contain_text("Sari Lestari")
    assert layout_problems(page) + violations(page) == []
    screenshot(page, tmp_path, f"leader-{viewport}-unit")
    section.get_by_role("link", name="Tri Rahayu").click()
    expect(page.get_by_role("heading", name="Catatan belajar: Tri Rahayu")).to_be_visible()
    assert layout_problems(page) + violations(page) == []
    screenshot(page, tmp_path, f"leader-{viewport}-person")


def test_a_learner_gets_a_certificate_that_verifies_logged_out_and_prints_on_one_page(page, browser, tmp_path):
    log_in(page, make_user(name="Sri Wahyuni").nip)
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
    page.get_by_role("link", name="Catatan", exact=True).click()
    page.get_by_role("link", name=re.compile(r"Sertifikat ELS")).click()
    expect(page.locator(".certificate-name")).to_have_text("Sri Wahyuni")
    assert layout_problems(page) + violations(page) == []
    screenshot(page, tmp_path, "certificate")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1  # the print view fits one A4 landscape page
    link = page.locator(".certificate-qr a").get_attribute("href")

    stranger = browser.new_context(base_url=page.url.split("/sertifikat")[0])
    public = stranger.new_page()
    public.goto(link)
    expect(public.get_by_text("Sertifikat ini asli dan berlaku")).to_be_visible()
    expect(public.locator("dl")).to_contain_text("Sri Wahyuni")
    assert violations(public) == []
    stranger.close()
