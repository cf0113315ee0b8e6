"""Every shipped course can be completed in the browser, from pre-test to JP."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from elearn.catalog import load_catalog
from elearn.config import PROJECT_ROOT
from tests.e2e.conftest import log_in
from tests.e2e.test_quiz_journey import answer, current_attempt, submit
from tests.factories import make_user

COURSES = load_catalog(PROJECT_ROOT / "courses").courses


@pytest.fixture
def app_config():
    return {"COURSES_DIR": str(PROJECT_ROOT / "courses")}


@pytest.mark.parametrize("course", COURSES, ids=lambda c: c.id)
def test_a_shipped_course_can_be_completed(page, course):
    log_in(page, make_user().nip)
    page.goto(f"/kursus/{course.id}/")
    page.get_by_role("link", name="Kerjakan pre-test").click()
    page.get_by_role("button", name="Mulai Pre-test").click()
    answer(page, current_attempt(page), right=False)
    submit(page)

    for lesson in course.lessons:
        page.goto(f"/kursus/{course.id}/{lesson.id}")
        expect(page.get_by_role("heading", level=1)).to_have_text(lesson.title)
        if lesson.quiz:
            page.get_by_role("link", name=f"Kerjakan kuis: {lesson.title}").click()
            page.get_by_role("button", name="Mulai kuis").click()
            answer(page, current_attempt(page), right=True)
            submit(page)
            expect(page.get_by_role("heading", name="Nilai Anda: 100")).to_be_visible()
        else:
            page.get_by_role("button", name="Tandai selesai").click()

    page.goto(f"/kursus/{course.id}/")
    page.get_by_role("link", name="Kerjakan post-test").click()
    page.get_by_role("button", name="Mulai Post-test").click()
    attempt = current_attempt(page)
    assert len(attempt.questions) == course.exam.questions_per_attempt
    answer(page, attempt, right=True)
    submit(page)
    page.goto(f"/kursus/{course.id}/")
    expect(page.get_by_role("heading", name="Kursus selesai")).to_be_visible()
    expect(page.locator(".exam-grid")).to_contain_text(re.compile(r"Peningkatan\+"))
    page.goto("/")
    expect(page.locator(".jp-figure")).to_contain_text(f"{course.jp} dari 20 JP")
