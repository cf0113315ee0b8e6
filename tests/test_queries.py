"""Queries per page: few, and a GET that changes nothing writes nothing; static files touch no database."""

from __future__ import annotations

import contextlib
import re

import pytest
from flask import g
from flask_login import current_user
from sqlalchemy import event

from elearn.extensions import db
from elearn.learn.progress import AttemptRecord, load_state, load_states
from elearn.library import current_catalog
from elearn.models import Attempt, Completion, LessonProgress, Outcome
from tests.conftest import login, post
from tests.factories import make_user
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
    # the user with the learner's state (its discussion's post count is cached)
    "/kursus/layanan-dasar/prioritas": 1,
    "/": 1,  # the user with the state, what follows completed courses, recommendations and new replies
    "/kursus": 1,
    "/kursus/layanan-dasar/": 1,
    QUIZ: 1,
    "/kursus/layanan-dasar/ujian/pre-test": 1,
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
    assert len(sent) == limit, (url, len(sent), sent)


@pytest.mark.parametrize("url", ["/kursus/layanan-dasar/prioritas", "/", "/kursus", "/kursus/layanan-dasar/", QUIZ])
def test_learner_pages_read_the_learners_rows_as_plain_records(learner_with_history, url):
    """The learner's progress, completions and attempts are shown from plain records: the ORM
    builds no object of them on a view that changes nothing."""
    client, _ = learner_with_history
    client.get(url)
    loaded = []

    def record(target, _context):
        loaded.append(type(target).__name__)

    for model in (LessonProgress, Completion, Attempt):
        event.listen(model, "load", record)
    try:
        assert client.get(url).status_code == 200
    finally:
        for model in (LessonProgress, Completion, Attempt):
            event.remove(model, "load", record)
    assert loaded == [], url


def test_an_attempt_record_says_what_its_row_says(app, learner_with_history):
    """Every mapped column but the snapshot, and the row's properties, on the plain record."""
    _, failed = learner_with_history
    with app.app_context():
        row = db.session.get(Attempt, failed.id)
        plain = AttemptRecord._make(getattr(row, name) for name in AttemptRecord._fields)
        assert "snapshot" not in AttemptRecord._fields
        assert set(AttemptRecord._fields) == {c.key for c in Attempt.__table__.c} - {"snapshot"}
        assert (plain.is_open, plain.is_exam, plain.outcome) == (row.is_open, row.is_exam, row.outcome)
        assert plain.outcome is Outcome.FAILED
        assert not hasattr(plain, "__dict__")  # a tuple: nothing set on it could pass for saved


def test_the_review_and_take_pages_send_few_statements(learner_with_history):
    """Each reads the attempt with the user; another learner's attempt stays a 404."""
    client, failed = learner_with_history
    review = f"/kuis/{failed.id}/hasil"  # reading the id outside: the test's own query does not count
    with statements() as sent:
        assert client.get(review).status_code == 200
    assert writes(sent) == [] and len(sent) == 3, sent  # the user with the attempt, its answers, the state
    take = f"/kuis/{start(client, QUIZ).id}"
    client.get(take)
    with statements() as sent:
        assert client.get(take).status_code == 200
    assert writes(sent) == [] and len(sent) == 1, sent  # the user with the attempt and the answers saved so far


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


def test_the_dashboard_reads_of_plans_and_surveys_only_what_it_shows(app, client, login_as):
    """A plan's report and a supervisor's comment (up to 1,000 characters each) stay in the
    database: the dashboard reads the plan's dates, and whether the survey is due."""
    from datetime import date

    from elearn.actionplan.models import ActionPlan
    from elearn.learn.after_course import DASHBOARD_WITH_USER
    from tests.test_actionplan import make_plan

    user = login_as()
    db.session.add(Completion(user_id=user.id, course_id="layanan-dasar", jp=2))
    db.session.commit()
    make_plan(user, date(2020, 2, 1))
    sql = str(DASHBOARD_WITH_USER.fused.compile(db.engine))
    for text in ("helped", "obstacle_note", "comment", "result"):
        assert getattr(ActionPlan, text) is not None and f"action_plans.{text}" not in sql
    page = client.get("/").get_data(as_text=True)
    assert "Laporkan hasil" in page and "tindak lanjut 1 Februari 2020" in page


def test_a_plain_record_of_chosen_columns_names_a_column_the_model_lacks_and_keeps_the_key():
    from elearn.actionplan.models import ActionPlan
    from elearn.models import plain_record

    record = plain_record(ActionPlan, keep=("due_on", "id"))
    assert record._fields == ("id", "due_on")  # in the table's order
    with pytest.raises(ValueError, match=r"no column.*'due_date'"):
        plain_record(ActionPlan, keep=("id", "due_date"))
    with pytest.raises(ValueError, match="primary key"):  # a row is told from none by it
        plain_record(ActionPlan, keep=("due_on",))


# --- pages that read the user with the learner's state --------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/kursus", "/kursus/layanan-dasar/", "/kursus/layanan-dasar/prioritas", QUIZ])
def test_a_page_read_with_its_user_still_refuses_a_stale_or_deactivated_login(client, login_as, url):
    user = login_as()
    assert client.get(url).status_code == 200
    user.session_token = "ended-elsewhere"  # "log out everywhere" on another device
    db.session.commit()
    response = client.get(url)
    assert response.status_code == 302 and "/masuk" in response.headers["Location"], url
    login_as_again = login_as()  # a fresh learner, then deactivated by an admin
    assert client.get(url).status_code == 200
    login_as_again.active = False
    db.session.commit()
    response = client.get(url)
    assert response.status_code == 302 and "/masuk" in response.headers["Location"], url


def test_an_unknown_course_on_a_page_read_with_the_user_is_a_404(learner_with_history):
    client, _ = learner_with_history
    for url in ("/kursus/tidak-ada/", "/kursus/tidak-ada/prioritas", "/kursus/layanan-dasar/tidak-ada"):
        with statements() as sent:
            assert client.get(url).status_code == 404, url
        assert len(sent) == 1, (url, sent)  # the user (with an empty or unused state); nothing after


def test_rows_read_with_the_user_serve_one_reading_of_their_own_statement(app, learner_with_history):
    """The state read with the user stands in for the page's first reading of that very statement
    with agreeing parameters; a second reading, or one after the session wrote, goes to the database."""
    client, _ = learner_with_history
    cookie = {"Cookie": f"session={client.get_cookie('session').value}"}
    course = current_catalog().course("layanan-dasar")

    @contextlib.contextmanager
    def course_page():
        with app.test_request_context("/kursus/layanan-dasar/", headers=cookie, environ_base=client.environ_base):
            g.pop("_login_user", None)  # the test's app context is shared: load the user afresh
            app.preprocess_request()  # loads the user, with the state of layanan-dasar
            yield

    with course_page():
        with statements() as sent:
            first = load_state(current_user.id, course)
        assert sent == [] and first.started
        with statements() as sent:
            again = load_state(current_user.id, course)
        assert len(sent) == 1 and again.completed == first.completed
    with course_page():
        with statements() as sent:
            every = load_states(current_user.id, current_catalog().courses)  # not the statement read with the user
            one = load_state(current_user.id, course)
        assert len(sent) == 1 and every[course.id].completed == one.completed == first.completed
    with course_page():
        db.session.add(LessonProgress(user_id=current_user.id, course_id=course.id, lesson_id="baru"))
        db.session.flush()  # a write: what was read with the user may be out of date
        with statements() as sent:
            load_state(current_user.id, course)
        assert len(sent) == 1
        db.session.rollback()
    with course_page(), statements() as sent:
        load_states(current_user.id, (course,), course_id="another-course")  # parameters that disagree
    assert len(sent) == 1


def test_the_learners_state_read_as_plain_records_sees_changes_not_flushed_yet(app, learner_with_history):
    """Read on the connection, not through the ORM, the state still sees the session's pending
    changes (flushed first, as the ORM would)."""
    course = current_catalog().course("layanan-dasar")
    user = db.session.execute(db.select(LessonProgress.user_id)).scalars().first()
    with app.test_request_context("/"):
        row = db.session.execute(db.select(LessonProgress).filter_by(user_id=user, lesson_id="pengantar")).scalar_one()
        row.completed_at = None  # pending: not flushed
        assert not load_state(user, course).is_complete("pengantar")
        db.session.rollback()


def test_an_attempt_read_with_the_user_is_still_only_its_owners(learner_with_history, app):
    _, failed = learner_with_history
    other = app.test_client()
    login(other, make_user().nip)
    for url in (f"/kuis/{failed.id}", f"/kuis/{failed.id}/hasil", "/kuis/2147483647"):
        with statements() as sent:
            assert other.get(url).status_code == 404, url
        assert len(sent) == 1, (url, sent)  # the user with no attempt found: nothing more
    for url in (f"/kuis/{failed.id}/simpan", f"/kuis/{failed.id}/kirim"):
        assert post(other, url).status_code == 404, url
