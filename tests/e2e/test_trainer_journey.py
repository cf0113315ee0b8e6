"""The trainers' area in a real browser: a broken lesson file seen on the health page with its
line, fixed, and the course published again without a restart; the analysis of a quiz of the
demo data set; the trainers' pages at phone and desktop width."""

from __future__ import annotations

import re
import shutil

import pytest
from playwright.sync_api import expect

from elearn.demo import build
from elearn.library import current_catalog
from tests.conftest import VALID_COURSES
from tests.e2e.conftest import log_in
from tests.e2e.layout import layout_problems, screenshot
from tests.e2e.test_accessibility import violations
from tests.factories import make_user

COURSES = {}


@pytest.fixture
def app_config(tmp_path):
    """The app serves a copy of the fixture courses that the test edits, checked at every request."""
    courses = tmp_path / "courses"
    shutil.copytree(VALID_COURSES, courses)
    COURSES["path"] = courses
    return {"COURSES_DIR": str(courses), "CATALOG_CHECK_SECONDS": 0}


def test_a_trainer_breaks_a_lesson_sees_the_line_fixes_it_and_the_course_is_back(page, tmp_path):
    lesson = COURSES["path"] / "layanan-dasar" / "02-prioritas.md"
    good = lesson.read_text()
    log_in(page, make_user(role="trainer", name="Dewi Pelatih", unit="BKPP Kabupaten Sleman").nip)
    page.get_by_role("link", name="Pelatih", exact=True).click()
    expect(page.get_by_role("heading", name="Kesehatan kursus", level=1)).to_be_visible()

    lesson.write_text(good.replace("- (x) Memilah tugas menurut penting dan mendesak", "- ( ) Memilah tugas"))
    page.reload()
    card = page.locator("#kursus-layanan-dasar")
    expect(card.locator(".status")).to_have_text("Disembunyikan")
    expect(card.locator(".problem-list.errors")).to_contain_text(re.compile(r"layanan-dasar/02-prioritas\.md:\d+"))
    assert layout_problems(page) + violations(page) == []
    screenshot(page, tmp_path, "trainer-health-broken")

    lesson.write_text(good)
    page.reload()
    expect(card.locator(".status")).to_have_text("Tampil")
    expect(card.locator(".problem-list.errors")).to_have_count(0)
    card.get_by_role("link", name="Prioritas Kerja").click()
    expect(page.locator(".key-panel").first).to_be_visible()
    expect(page.locator("fieldset.preview-take").first.get_by_role("radio").first).to_be_disabled()
    assert layout_problems(page) + violations(page) == []
    screenshot(page, tmp_path, "trainer-lesson-preview")


def test_a_trainer_reads_the_analysis_of_a_quiz_of_the_demo_data_set(app, page, tmp_path):
    build(current_catalog(), 150, seed=7)
    log_in(page, make_user(role="trainer", name="Dewi Pelatih", unit="BKPP Kabupaten Sleman").nip)
    page.goto("/pelatih/layanan-dasar/hasil")
    expect(page.get_by_role("heading", name=re.compile("Hasil: "))).to_be_visible()
    assert layout_problems(page) + violations(page) == []
    screenshot(page, tmp_path, "trainer-results")
    page.get_by_role("link", name=re.compile("Analisis soal.*Prioritas")).click()
    expect(page.get_by_role("heading", name=re.compile("Analisis soal: Kuis: .*Prioritas"))).to_be_visible()
    expect(page.locator(".analysis-item").first).to_contain_text("Indeks kemudahan")
    assert layout_problems(page) + violations(page) == []
    screenshot(page, tmp_path, "trainer-analysis")
    page.get_by_label("Percobaan", exact=True).select_option("semua")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page).to_have_url(re.compile("percobaan=semua"))


@pytest.mark.parametrize("width", [360, 1280])
def test_the_trainer_pages_fit_and_pass_the_accessibility_check(page, tmp_path, width):
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, make_user(role="trainer", name="Dewi Pelatih", unit="BKPP Kabupaten Sleman").nip)
    page.goto("/pelatih/")
    warnings = page.locator("#kursus-layanan-dasar details.warnings")
    warnings.locator("summary").click()  # the item-writing warnings, opened: long lines must wrap at 360 px
    expect(warnings.locator(".warning-list li")).to_have_count(1)
    expect(warnings.locator(".warning-list")).to_contain_text("[exam-pool-small]")
    assert layout_problems(page) + violations(page) == []
    screenshot(page, tmp_path, f"trainer-{width}-health-warnings")
    for path in (
        "/pelatih/",
        "/pelatih/layanan-dasar/",
        "/pelatih/layanan-dasar/pelajaran/prioritas",
        "/pelatih/layanan-dasar/ujian",
        "/pelatih/layanan-dasar/hasil",
        "/pelatih/layanan-dasar/analisis/prioritas",
    ):
        page.goto(path)
        assert layout_problems(page) + violations(page) == [], path
        screenshot(page, tmp_path, f"trainer-{width}-{path.strip('/').replace('/', '-')}")
