"""The reaction survey in a real browser: a learner completes a course, is invited, forgets a
statement, is told which, answers, and is not asked again; the trainer reads the report. At
phone and desktop width, with the layout and accessibility checks."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from elearn.evaluation.models import SurveyAnswer, SurveyResponse
from elearn.extensions import db
from tests.e2e.conftest import log_in
from tests.e2e.layout import layout_problems, screenshot
from tests.e2e.test_accessibility import violations
from tests.e2e.test_quiz_journey import answer, current_attempt, submit
from tests.factories import make_user

VIEWPORTS = {"phone": {"width": 360, "height": 800}, "desktop": {"width": 1280, "height": 800}}
TAKING = re.compile(r"/kuis/\d+$")


def complete_the_course(page) -> None:
    """Press the primary button (and answer every quiz right) until the course is complete."""
    page.goto("/kursus/layanan-dasar/")
    for _ in range(25):
        if page.get_by_role("heading", name="Kursus selesai").is_visible():
            return
        if TAKING.search(urlsplit(page.url).path):
            answer(page, current_attempt(page), right=True)
            submit(page)
            continue
        page.locator("main .button-primary").first.click()
        page.wait_for_load_state()
    pytest.fail("the course was not completed")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_learner_completes_a_course_and_answers_the_survey(page, tmp_path, viewport):
    page.set_viewport_size(VIEWPORTS[viewport])
    learner = make_user(name="Sri Wahyuni", unit="Kapanewon Depok")
    log_in(page, learner.nip)
    complete_the_course(page)

    invite = page.locator(".survey-invite")
    expect(invite).to_contain_text("Bagaimana kursus “Layanan Dasar” menurut Anda?")
    assert layout_problems(page) + violations(page) == []
    screenshot(page, tmp_path, f"survey-{viewport}-invite")
    invite.get_by_role("link", name=re.compile("^Isi survei")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Survei kepuasan: Layanan Dasar")
    assert layout_problems(page) + violations(page) == []
    screenshot(page, tmp_path, f"survey-{viewport}-form")

    statements = page.locator("fieldset.survey-item")
    expect(statements).to_have_count(4)
    for index, value in enumerate(("5", "4", "4")):  # the fourth is forgotten
        statements.nth(index).locator(f"input[value='{value}']").check()
    page.get_by_label(re.compile("Apa yang paling berguna")).fill("Contoh loketnya mirip kantor kami.")
    page.get_by_role("button", name="Kirim survei").click()
    expect(page.locator(".flash-error")).to_contain_text("Survei belum terkirim")
    forgotten = statements.nth(3)
    expect(forgotten.locator(".field-error")).to_have_text("Pilih salah satu nilai dari 1 sampai 5.")
    expect(statements.nth(0).locator("input[value='5']")).to_be_checked()  # nothing given is lost
    expect(page.get_by_label(re.compile("Apa yang paling berguna"))).to_have_value("Contoh loketnya mirip kantor kami.")
    assert layout_problems(page) + violations(page) == []
    screenshot(page, tmp_path, f"survey-{viewport}-error")

    forgotten.get_by_text("Ragu-ragu").click()
    page.get_by_role("button", name="Kirim survei").click()
    expect(page.get_by_text("Terima kasih! Jawaban survei Anda tersimpan tanpa nama.")).to_be_visible()
    expect(page.locator(".survey-invite")).to_have_count(0)
    page.get_by_role("link", name="Beranda", exact=True).click()
    expect(page.locator(".survey-invite")).to_have_count(0)
    stored = db.session.execute(db.select(SurveyResponse)).scalar_one()
    assert {a.item_id: a.score for a in stored.answers if a.score} == {
        "relevansi": 5,
        "kejelasan": 4,
        "kuis": 4,
        "durasi": 3,
    }


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_learner_skips_from_the_dashboard_and_a_trainer_reads_the_report(page, tmp_path, viewport):
    page.set_viewport_size(VIEWPORTS[viewport])
    from elearn.models import Completion

    learner = make_user(name="Sri Wahyuni")
    db.session.add(Completion(user_id=learner.id, course_id="layanan-dasar", jp=2))
    for i in range(7):
        response = SurveyResponse(course_id="layanan-dasar", unit_id=learner.unit_id, month=date(2026, 11, 1))
        response.answers = [
            SurveyAnswer(item_id=item, score=1 + (i + n) % 5)
            for n, item in enumerate(("relevansi", "kejelasan", "kuis", "durasi"))
        ]
        response.answers.append(SurveyAnswer(item_id="saran", text=f"Masukan panjang nomor {i} " * 6))
        db.session.add(response)
    db.session.commit()
    log_in(page, learner.nip)
    invite = page.locator(".survey-invite")
    expect(invite).to_have_count(1)
    assert layout_problems(page) + violations(page) == []
    screenshot(page, tmp_path, f"survey-{viewport}-dashboard")
    invite.get_by_role("button", name=re.compile("^Lewati")).click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_text("Kami akan menawarkannya sekali lagi lain hari.")).to_be_visible()
    expect(page.locator(".survey-invite")).to_have_count(0)

    page.context.clear_cookies()  # another person on another device
    log_in(page, make_user(role="trainer", name="Dewi Pelatih", unit="BKPP Kabupaten Sleman").nip)
    page.goto("/pelatih/layanan-dasar/")
    page.get_by_role("link", name="Survei kepuasan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Survei kepuasan: Layanan Dasar")
    expect(page.locator(".survey-open li")).to_have_count(7)
    expect(page.get_by_text("Sri Wahyuni")).to_have_count(0)
    assert layout_problems(page) + violations(page) == []
    screenshot(page, tmp_path, f"survey-{viewport}-report")
