"""Queries per page: few, and a GET that changes nothing writes nothing; static files touch no database."""

from __future__ import annotations

import contextlib
import re

import pytest
from sqlalchemy import event

from elearn.extensions import db
from tests.conftest import post
from tests.quiz_helpers import start, submit

QUIZ = "/kursus/layanan-dasar/prioritas/kuis"
TRANSACTION = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)", re.I)


@contextlib.contextmanager
def statements():
    """Collect the SQL statements the app sends (not BEGIN/COMMIT, not the pool's liveness check)."""
    sent: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if not TRANSACTION.match(statement):
            sent.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


def writes(sent: list[str]) -> list[str]:
    return [s for s in sent if s.lstrip().split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]


@pytest.fixture
def learner_with_history(client, login_as):
    """A learner with a pre-test, a read lesson and a failed quiz; returns (client, graded attempt)."""
    login_as()
    submit(client, start(client, "/kursus/layanan-dasar/ujian/pre-test"), right=False)
    post(client, "/kursus/layanan-dasar/pengantar/selesai")
    failed = start(client, QUIZ)
    submit(client, failed, right=False)
    client.get("/kursus/layanan-dasar/prioritas")  # opened before: the measured view writes nothing
    return client, failed


# The limits are 3 for the lesson page and 5 for every learner page; these are what
# the pages send today, so a statement added anywhere shows up here.
PAGES = {
    "/kursus/layanan-dasar/prioritas": 2,  # the user, the learner's state (its discussion's post count is cached)
    "/": 4,  # the user, the state with what follows completed courses, recommendations, new replies
    "/kursus": 2,
    "/kursus/layanan-dasar/": 2,
    QUIZ: 2,
    "/kursus/layanan-dasar/ujian/pre-test": 2,
    "/riwayat": 4,
    "/cari?q=layanan": 1,
}


@pytest.mark.parametrize(("url", "limit"), PAGES.items())
def test_learner_pages_send_few_statements_and_write_nothing(learner_with_history, url, limit):
    client, _ = learner_with_history
    client.get(url)  # a first view may catch up on a rule; the second changes nothing
    with statements() as sent:
        assert client.get(url).status_code == 200
    assert writes(sent) == [], url
    assert len(sent) <= limit, (url, len(sent), sent)


def test_the_review_and_take_pages_send_few_statements(learner_with_history):
    client, failed = learner_with_history
    review = f"/kuis/{failed.id}/hasil"  # reading the id outside: the test's own query does not count
    with statements() as sent:
        assert client.get(review).status_code == 200
    assert writes(sent) == [] and len(sent) <= 4, sent  # the user, the attempt, its answers, the state
    take = f"/kuis/{start(client, QUIZ).id}"
    client.get(take)
    with statements() as sent:
        assert client.get(take).status_code == 200
    assert writes(sent) == [] and len(sent) <= 3, sent  # the user, the attempt, the answers saved so far


def test_static_files_never_touch_the_database(learner_with_history):
    client, _ = learner_with_history
    with statements() as sent:
        response = client.get("/static/css/app.css")
        assert response.status_code == 200
    assert sent == []


def test_the_dashboard_of_a_learner_with_completed_courses_sends_no_more(client, login_as):
    """Surveys to offer, action plans due and the JP of the year come from one statement, however many courses."""
    from datetime import date

    from elearn.evaluation.models import SurveyState, SurveyStatus
    from elearn.models import Completion
    from tests.test_actionplan import make_plan

    user = login_as()
    client.get("/")
    with statements() as before:
        assert client.get("/").status_code == 200
    db.session.add(Completion(user_id=user.id, course_id="layanan-dasar", jp=2))
    db.session.add(Completion(user_id=user.id, course_id="kursus-yang-sudah-dihapus", jp=3))
    db.session.add(
        SurveyStatus(
            user_id=user.id,
            course_id="layanan-dasar",
            state=SurveyState.SKIPPED_ONCE.value,
            skipped_on=date(2020, 1, 1),
        )
    )
    db.session.commit()
    make_plan(user, date(2020, 2, 1))
    with statements() as after:
        page = client.get("/").get_data(as_text=True)
    assert len(after) == len(before) <= 4, (len(before), len(after), after)
    assert "Bagaimana rencana aksi Anda?" in page  # the plan is due
    assert "survei" in page.lower()  # skipped long ago: offered once more
