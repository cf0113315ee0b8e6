"""Quizzes in a real browser: fail and retry, reload mid-quiz, a whole course to its JP."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from elearn.extensions import db
from elearn.models import Attempt
from tests.e2e.conftest import log_in
from tests.factories import make_user
from tests.quiz_helpers import answer_fields


def current_attempt(page: Page) -> Attempt:
    attempt_id = int(re.search(r"/kuis/(\d+)", page.url).group(1))
    db.session.expire_all()
    return db.session.get(Attempt, attempt_id)


def answer(page: Page, attempt: Attempt, right: bool) -> None:
    """Answer every question of the attempt on the page, right or wrong, as the form helper would."""
    for i, q in enumerate(attempt.questions):
        field = page.locator(f"#soal-{i + 1}")
        for name, value in answer_fields(i, q, right).items():
            target = field.locator(f"[name='{name}']")
            kind = target.first.evaluate("element => element.type")
            if kind == "radio":
                field.locator(f"[name='{name}'][value='{value}']").check()
            elif kind == "checkbox":
                for box in target.all():
                    box.set_checked(box.get_attribute("value") in value)
            elif kind.startswith("select"):
                target.select_option(value)
            else:
                target.fill(value)


def submit(page: Page) -> None:
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Kirim jawaban").click()
    page.wait_for_url(re.compile(r"/hasil$"))


def test_fail_a_lesson_quiz_retry_and_pass_then_the_lesson_is_complete(page):
    log_in(page, make_user().nip)
    page.goto("/kursus/layanan-dasar/prioritas")
    page.get_by_role("link", name="Kerjakan kuis: Prioritas Kerja").click()
    expect(page.get_by_role("heading", name="Kuis: Prioritas Kerja")).to_be_visible()
    page.get_by_role("button", name="Mulai kuis").click()
    answer(page, current_attempt(page), right=False)
    submit(page)
    expect(page.get_by_role("heading", name="Nilai Anda: 0")).to_be_visible()
    expect(page.get_by_text("Daftar tugas justru membantu.")).to_be_visible()  # feedback on the wrong pick
    expect(page.get_by_text("Kunci jawaban dan pembahasan tampil setelah Anda lulus")).to_be_visible()
    page.get_by_role("link", name="Coba lagi kuis: Prioritas Kerja").click()
    page.get_by_role("button", name="Coba lagi").click()
    answer(page, current_attempt(page), right=True)
    submit(page)
    expect(page.get_by_role("heading", name="Nilai Anda: 100")).to_be_visible()
    expect(page.get_by_text("Pembahasan per soal")).to_be_visible()  # the key, now that it is passed
    page.goto("/kursus/layanan-dasar/")
    expect(page.locator(".lesson-list li").nth(1)).to_contain_text("Selesai")


def test_reloading_in_the_middle_of_a_quiz_keeps_the_answers(page):
    log_in(page, make_user().nip)
    page.goto("/kursus/layanan-dasar/prioritas/kuis")
    page.get_by_role("button", name="Mulai kuis").click()
    attempt = current_attempt(page)
    page.locator("#soal-1 input[name='a0'][value='1']").check()
    page.locator("#soal-4 input.text").fill("Aparatur Sipil Negara")
    page.locator("#soal-5 select").first.select_option("2")
    expect(page.locator("#save-status")).to_contain_text("Tersimpan", timeout=5000)
    page.reload()
    expect(page.locator("#soal-1 input[name='a0'][value='1']")).to_be_checked()
    expect(page.locator("#soal-4 input.text")).to_have_value("Aparatur Sipil Negara")
    expect(page.locator("#soal-5 select").first).to_have_value("2")
    assert current_attempt(page).id == attempt.id


def test_two_tabs_on_one_quiz_do_not_overwrite_each_other(page):
    log_in(page, make_user().nip)
    page.goto("/kursus/layanan-dasar/prioritas/kuis")
    page.get_by_role("button", name="Mulai kuis").click()
    other = page.context.new_page()
    other.goto(page.url)  # the second tab loads before the first one answers anything
    page.locator("#soal-1 input[name='a0'][value='1']").check()
    expect(page.locator("#save-status")).to_contain_text("Tersimpan", timeout=5000)
    other.locator("#soal-4 input.text").fill("ASN")
    expect(other.locator("#save-status")).to_contain_text("Tersimpan", timeout=5000)
    page.reload()
    expect(page.locator("#soal-1 input[name='a0'][value='1']")).to_be_checked()
    expect(page.locator("#soal-4 input.text")).to_have_value("ASN")
    other.close()
