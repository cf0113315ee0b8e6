"""Action plans: written after a course, asked about from the follow-up day (WIB) until answered,
confirmed by the right supervisor only, and counted in figures with a fixed number of queries."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from elearn import clock
from elearn.actionplan.models import ActionPlan, ActionPlanObstacle, ActionPlanStep, Obstacle, PlanResult
from elearn.actionplan.summary import plan_summary
from elearn.actionplan.supervision import waiting_count, waiting_for
from elearn.catalog.load import load_catalog
from elearn.extensions import db
from elearn.models import Completion, Unit, User
from elearn.reports.scope import Scope
from tests.conftest import login, post
from tests.factories import make_unit, make_user
from tests.test_queries import statements

COURSE = "layanan-dasar"
WRITE = f"/kursus/{COURSE}/rencana-aksi"
REPORT = f"/kursus/{COURSE}/rencana-aksi/hasil"
STEP = "Menyusun daftar prioritas pekerjaan setiap Senin pagi"


@pytest.fixture
def at(monkeypatch):
    """Move the app's clock: at(datetime in UTC)."""

    def _at(moment: datetime) -> None:
        monkeypatch.setattr(clock, "now", lambda: moment.replace(tzinfo=UTC))

    return _at


def member(name: str, unit: Unit, role: str = "asn") -> User:
    user = make_user(name=name, role=role, unit=unit.name)
    user.unit_id = unit.id
    db.session.commit()
    return user


def complete(user: User, course_id: str = COURSE) -> None:
    db.session.add(Completion(user_id=user.id, course_id=course_id, jp=2))
    db.session.commit()


def make_plan(user: User, due_on: date, course_id: str = COURSE, text: str = STEP, **fields) -> ActionPlan:
    plan = ActionPlan(
        user_id=user.id, course_id=course_id, written_on=due_on - timedelta(days=30), due_on=due_on, **fields
    )
    plan.steps.append(ActionPlanStep(position=1, text=text, target_on=due_on))
    db.session.add(plan)
    db.session.commit()
    return plan


def plan_form(text: str = STEP, when: str = "2026-03-20", **more) -> dict:
    return {"step1": text, "date1": when, **more}


@pytest.fixture
def completer(app, client, at):
    """A logged-in learner who completed the course, on 10 March 2026 at 00.30 WIB."""
    at(datetime(2026, 3, 9, 17, 30))  # 9 March in UTC, already 10 March in Sleman
    user = make_user(name="Dewi Lestari")
    complete(user)
    login(client, user.nip)
    return user


# --- the learner writes a plan ---------------------------------------------------------------------------


def test_the_follow_up_date_is_the_plan_date_in_wib_plus_the_course_period(client, completer):
    response = post(client, WRITE, plan_form())
    assert response.status_code == 302
    plan = db.session.execute(db.select(ActionPlan)).scalar_one()
    assert (plan.written_on, plan.due_on) == (date(2026, 3, 10), date(2026, 4, 9))
    assert [(s.position, s.text, s.target_on) for s in plan.steps] == [(1, STEP, date(2026, 3, 20))]
    page = client.get(f"/kursus/{COURSE}/").get_data(as_text=True)
    assert "Kami akan menanyakan hasilnya mulai 9 April 2026" in page


def test_a_course_with_its_own_period_sets_the_follow_up_date(editable_courses, at):
    app, courses = editable_courses
    course_md = courses / COURSE / "course.md"
    course_md.write_text(course_md.read_text().replace("pass_score: 70\n", "pass_score: 70\nfollow_up_days: 60\n"))
    client = app.test_client()
    at(datetime(2026, 3, 10, 3, 0))
    user = make_user()
    complete(user)
    login(client, user.nip)
    assert post(client, WRITE, plan_form()).status_code == 302
    assert db.session.execute(db.select(ActionPlan.due_on)).scalar_one() == date(2026, 5, 9)


@pytest.mark.parametrize("days", ["5", "366", "tiga puluh", "true"])
def test_the_course_checker_refuses_a_period_outside_7_to_365_days(editable_courses, days):
    _app, courses = editable_courses
    course_md = courses / COURSE / "course.md"
    course_md.write_text(course_md.read_text().replace("pass_score: 70\n", f"pass_score: 70\nfollow_up_days: {days}\n"))
    problems = load_catalog(courses).problems
    assert any("follow_up_days" in p.message and "7 sampai 365" in p.message for p in problems), problems


def test_no_plan_before_the_course_is_completed(client, login_as):
    login_as()
    assert client.get(WRITE).status_code == 404
    assert post(client, WRITE, plan_form()).status_code == 404
    assert client.get(REPORT).status_code == 404
    assert db.session.execute(db.select(ActionPlan)).first() is None


def test_bad_input_is_explained_in_indonesian_and_keeps_what_was_typed(client, completer):
    response = post(client, WRITE, {"step1": "Rapat", "date1": "2026-03-20", "step2": STEP, "date2": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "minimal 10 karakter" in html
    assert "Pilih tanggal target untuk perubahan ini." in html
    assert STEP in html  # nothing typed is lost
    response = post(client, WRITE, plan_form(when="2025-12-31"))
    assert "antara hari ini dan satu tahun ke depan" in response.get_data(as_text=True)
    response = post(client, WRITE, {"step1": "", "date1": ""})
    assert "paling sedikit satu perubahan" in response.get_data(as_text=True)
    response = post(client, WRITE, plan_form(when="31-31-2026"))
    assert "Tanggal tidak valid" in response.get_data(as_text=True)
    assert db.session.execute(db.select(ActionPlan)).first() is None


def test_editing_before_the_follow_up_keeps_the_date_and_replaces_the_steps(client, completer, at):
    post(client, WRITE, plan_form())
    at(datetime(2026, 3, 20, 2, 0))
    second = "Membagikan catatan rapat kepada tim paling lambat sehari setelahnya"
    assert "Menyusun daftar" in client.get(WRITE).get_data(as_text=True)  # the form shows the plan
    post(client, WRITE, {"step1": second, "date1": "2026-04-01", "step3": STEP, "date3": "2026-05-01"})
    plan = db.session.execute(db.select(ActionPlan)).scalar_one()
    assert plan.due_on == date(2026, 4, 9)
    assert [(s.position, s.text) for s in plan.steps] == [(1, second), (2, STEP)]


def test_one_plan_per_learner_and_course(app):
    user = make_user()
    make_plan(user, date(2026, 4, 9))
    db.session.add(ActionPlan(user_id=user.id, course_id=COURSE, written_on=date.today(), due_on=date.today()))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


# --- the follow-up reminder ------------------------------------------------------------------------------


def reminded(client) -> bool:
    return "Bagaimana rencana aksi Anda?" in client.get("/").get_data(as_text=True)


def test_the_reminder_appears_on_the_follow_up_day_in_wib_and_not_before(client, completer, at):
    post(client, WRITE, plan_form())  # follow-up on 9 April 2026
    at(datetime(2026, 4, 8, 16, 59))  # 8 April 23.59 WIB
    assert not reminded(client)
    assert client.get(REPORT).status_code == 302  # not open yet
    at(datetime(2026, 4, 8, 17, 0))  # 9 April 00.00 WIB, still 8 April in UTC
    assert reminded(client)
    at(datetime(2026, 6, 1, 5, 0))  # and every day after, until answered
    assert reminded(client)


def test_the_reminder_is_gone_once_answered_and_a_second_answer_changes_nothing(client, completer, at):
    post(client, WRITE, plan_form())
    at(datetime(2026, 4, 10, 1, 0))
    data = {"result": "partly", "helped": "Contoh dari kursus", "obstacles": ["workload", "moved"]}
    response = post(client, REPORT, data)
    assert response.status_code == 302
    assert not reminded(client)
    response = post(client, REPORT, {"result": "done", "obstacles": ["no_budget"]}, follow_redirects=True)
    assert "sudah Anda laporkan" in response.get_data(as_text=True)
    plan = db.session.execute(db.select(ActionPlan)).scalar_one()
    assert plan.result == "partly"
    assert sorted(o.code for o in plan.obstacles) == ["moved", "workload"]
    at(datetime(2026, 5, 10, 1, 0))
    assert not reminded(client)
    response = post(client, WRITE, plan_form(when="2026-06-01"), follow_redirects=True)
    assert "tidak dapat diubah lagi" in response.get_data(as_text=True)  # no edits after the report
    assert db.session.get(ActionPlan, plan.id).steps[0].target_on == date(2026, 3, 20)


def test_a_report_needs_a_result_and_refuses_unknown_obstacles(client, completer, at):
    post(client, WRITE, plan_form())
    at(datetime(2026, 4, 10, 1, 0))
    response = post(client, REPORT, {"helped": "Dukungan tim"})
    assert "Pilih salah satu" in response.get_data(as_text=True)
    assert "Dukungan tim" in response.get_data(as_text=True)
    response = post(client, REPORT, {"result": "done", "obstacles": ["alien"]})
    assert "Pilih hambatan dari daftar yang tersedia." in response.get_data(as_text=True)
    assert db.session.execute(db.select(ActionPlan.reported_at)).scalar_one() is None


# --- who confirms ----------------------------------------------------------------------------------------


@pytest.fixture
def regency(app):
    """Dinas A (supervisor Ani) > Bidang (no supervisor) > Seksi (supervisor Budi); Dinas C (supervisor Citra).

    Plans due on 1 April 2026 for: Xena (Dinas A), Yudi (Bidang), Zaki (Seksi), Budi, Ani, Wati (Dinas C).
    """
    dinas = make_unit("Dinas A")
    bidang = make_unit("Bidang", parent=dinas)
    seksi = make_unit("Seksi", parent=bidang)
    other = make_unit("Dinas C")
    people = {
        "ani": member("Ani", dinas, "supervisor"),
        "budi": member("Budi", seksi, "supervisor"),
        "citra": member("Citra", other, "supervisor"),
        "xena": member("Xena", dinas),
        "yudi": member("Yudi", bidang),
        "zaki": member("Zaki", seksi),
        "wati": member("Wati", other),
    }
    due = date(2026, 4, 1)
    plans = {name: make_plan(people[name], due) for name in ("xena", "yudi", "zaki", "budi", "ani", "wati")}
    return people, plans


def confirmable(supervisor: User) -> set[str]:
    rows, total = waiting_for(supervisor, date(2026, 4, 1))
    assert total == len(rows)
    return {row.name for row in rows}


def test_a_supervisor_confirms_their_unit_and_units_below_without_a_supervisor_of_their_own(regency):
    people, _ = regency
    assert confirmable(people["ani"]) == {"Xena", "Yudi", "Budi"}  # Budi's own plan goes one unit up
    assert confirmable(people["budi"]) == {"Zaki"}  # never Budi's own
    assert confirmable(people["citra"]) == {"Wati"}
    assert waiting_count(people["ani"], date(2026, 4, 1)) == 3
    assert waiting_count(people["ani"], date(2026, 3, 31)) == 0  # not due yet
    assert waiting_count(people["xena"], date(2026, 4, 1)) == 0  # not a supervisor


def test_two_supervisors_of_a_unit_may_each_confirm_but_not_each_other(regency):
    people, _plans = regency
    second = member("Ana", make_unit("Dinas A"), "supervisor")
    make_plan(second, date(2026, 4, 1))
    assert confirmable(second) == {"Xena", "Yudi", "Budi"}
    assert confirmable(people["ani"]) == {"Xena", "Yudi", "Budi"}  # Ana's plan: nobody above Dinas A


def test_a_unit_without_a_supervisor_goes_to_the_nearest_one_above_and_stops_when_it_has_one(regency):
    people, _ = regency
    member("Bayu", make_unit("Bidang", parent=make_unit("Dinas A")), "supervisor")
    bayu = db.session.execute(db.select(User).filter_by(name="Bayu")).scalar_one()
    assert confirmable(bayu) == {"Yudi", "Budi"}
    assert confirmable(people["ani"]) == {"Xena"}


def test_an_inactive_supervisor_does_not_hold_the_unit(regency):
    people, _ = regency
    people["budi"].active = False
    db.session.commit()
    assert confirmable(people["ani"]) == {"Xena", "Yudi", "Zaki"}  # Budi's inactive: his plan leaves the list too


def test_a_supervisor_reaches_only_the_plans_they_confirm_whatever_id_is_typed(app, regency, at):
    people, plans = regency
    at(datetime(2026, 4, 2, 3, 0))
    client = app.test_client()
    login(client, people["budi"].nip)
    for name in ("xena", "yudi", "budi", "ani", "wati"):
        url = f"/atasan/rencana-aksi/{plans[name].id}"
        assert client.get(url).status_code == 404, name
        assert post(client, url, {"rating": "4"}).status_code == 404, name
    assert client.get("/atasan/rencana-aksi/2147483647").status_code == 404
    assert client.get("/atasan/rencana-aksi/99999999999").status_code == 404
    assert db.session.execute(db.select(ActionPlan).where(ActionPlan.confirmed_at.is_not(None))).first() is None
    assert client.get(f"/atasan/rencana-aksi/{plans['zaki'].id}").status_code == 200


def test_the_supervisor_confirms_once_with_a_scale_and_a_comment(app, regency, at):
    people, plans = regency
    client = app.test_client()
    login(client, people["ani"].nip)
    url = f"/atasan/rencana-aksi/{plans['xena'].id}"
    at(datetime(2026, 3, 31, 16, 0))  # 31 March 23.00 WIB: not yet
    assert "Konfirmasi baru dibuka" in client.get(url).get_data(as_text=True)
    post(client, url, {"rating": "3"})
    assert db.session.get(ActionPlan, plans["xena"].id).confirmed_at is None
    at(datetime(2026, 4, 1, 2, 0))
    response = post(client, url, {"rating": "7", "comment": "Baik"})
    assert "Pilih salah satu tingkat penerapan." in response.get_data(as_text=True)
    response = post(client, url, {"rating": "3", "comment": "Daftar prioritas sudah rutin dibagikan."})
    assert response.status_code == 302
    plan = db.session.get(ActionPlan, plans["xena"].id)
    assert (plan.rating, plan.comment, plan.confirmed_by) == (
        3,
        "Daftar prioritas sudah rutin dibagikan.",
        people["ani"].id,
    )
    other = app.test_client()
    login(other, member("Ana", make_unit("Dinas A"), "supervisor").nip)
    response = post(other, url, {"rating": "1"}, follow_redirects=True)
    assert "sudah dikonfirmasi" in response.get_data(as_text=True)
    assert db.session.get(ActionPlan, plans["xena"].id).rating == 3
    assert confirmable(people["ani"]) == {"Yudi", "Budi"}  # gone from the waiting list


def test_the_unit_dashboard_counts_and_the_list_shows_the_subtree_with_text_escaped(app, regency, at):
    people, _plans = regency
    make_plan(
        member("Eko", make_unit("Seksi", parent=make_unit("Bidang", parent=make_unit("Dinas A")))),
        date(2026, 5, 1),
        text="<script>alert(1)</script> rapat",
    )
    at(datetime(2026, 4, 2, 3, 0))
    client = app.test_client()
    login(client, people["ani"].nip)
    dashboard = client.get("/atasan").get_data(as_text=True)
    assert "Menunggu konfirmasi Anda</a>: <strong>3</strong>" in dashboard
    waiting = client.get("/atasan/rencana-aksi").get_data(as_text=True)
    assert {"Xena", "Yudi", "Budi"} <= set(_names(waiting)) and "Zaki" not in _names(waiting)
    open_ = client.get("/atasan/rencana-aksi?tampil=terbuka").get_data(as_text=True)
    assert set(_names(open_)) == {"Ani", "Xena", "Yudi", "Zaki", "Budi", "Eko"}  # the subtree, not Dinas C
    assert "<script>alert(1)</script>" not in open_ and "&lt;script&gt;" in open_
    budi = app.test_client()
    login(budi, people["budi"].nip)
    assert set(_names(budi.get("/atasan/rencana-aksi?tampil=terbuka").get_data(as_text=True))) == {
        "Zaki",
        "Budi",
        "Eko",
    }


def _names(html: str) -> list[str]:
    return re.findall(r'<h3 class="card-title">([^<]+)</h3>', html)


def test_the_open_list_is_paginated(app, at):
    unit = make_unit("Dinas Besar")
    boss = member("Kepala", unit, "supervisor")
    for number in range(27):
        make_plan(member(f"Pegawai {number:02d}", unit), date(2026, 4, 1) + timedelta(days=number))
    client = app.test_client()
    login(client, boss.nip)
    first = client.get("/atasan/rencana-aksi?tampil=terbuka").get_data(as_text=True)
    second = client.get("/atasan/rencana-aksi?tampil=terbuka&hal=2").get_data(as_text=True)
    assert len(_names(first)) == 25 and set(_names(second)) == {"Pegawai 25", "Pegawai 26"}
    assert "Halaman 2 dari 2" in second
    assert client.get("/atasan/rencana-aksi?tampil=terbuka&hal=-1").status_code == 200
    beyond = client.get("/atasan/rencana-aksi?tampil=terbuka&hal=99").get_data(as_text=True)
    assert "Halaman 2 dari 2" in beyond and "Pegawai 26" in beyond


# --- figures ---------------------------------------------------------------------------------------------


def _followed(plan: ActionPlan, result: PlanResult, obstacles=(), rating=None) -> None:
    plan.reported_at = datetime(2026, 4, 2)
    plan.result = result.value
    plan.obstacles = [ActionPlanObstacle(code=o.value) for o in obstacles]
    if rating:
        plan.confirmed_at, plan.rating = datetime(2026, 4, 3), rating
    db.session.commit()


@pytest.fixture
def figures(app):
    """Six plans in two units and two courses, followed up and confirmed by hand:

    Dinas A (layanan-dasar): p1 done [workload] rated 4; p2 partly [workload, no_support] rated 2;
    p3 not yet [moved]; p4 not followed up. Dinas A (other course): p5 done rated 3.
    Dinas C (layanan-dasar): p6 not yet [workload].
    """
    a, c = make_unit("Dinas A"), make_unit("Dinas C")
    due = date(2026, 4, 1)
    p = [make_plan(member(f"P{n}", a), due) for n in range(1, 5)]
    p.append(make_plan(member("P5", a), due, course_id="jenis-soal"))
    p.append(make_plan(member("P6", c), due))
    _followed(p[0], PlanResult.DONE, [Obstacle.WORKLOAD], rating=4)
    _followed(p[1], PlanResult.PARTLY, [Obstacle.WORKLOAD, Obstacle.NO_SUPPORT], rating=2)
    _followed(p[2], PlanResult.NOT_YET, [Obstacle.MOVED])
    _followed(p[4], PlanResult.DONE, rating=3)
    _followed(p[5], PlanResult.NOT_YET, [Obstacle.WORKLOAD])
    return a, c


def test_figures_for_everyone_match_a_hand_count(figures):
    s = plan_summary()
    assert (s.written, s.followed_up, s.confirmed) == (6, 5, 3)
    assert s.results == {PlanResult.DONE: 2, PlanResult.PARTLY: 1, PlanResult.NOT_YET: 2}
    assert s.result_shares[PlanResult.DONE] == pytest.approx(2 / 5)
    assert s.confirmed_share == pytest.approx(3 / 6)
    assert s.ratings == {1: 0, 2: 1, 3: 1, 4: 1}
    assert s.average_rating == pytest.approx(3.0)
    assert s.obstacles == [(Obstacle.WORKLOAD, 3), (Obstacle.MOVED, 1), (Obstacle.NO_SUPPORT, 1)]


def test_figures_per_course_and_unit_match_a_hand_count(figures):
    a, c = figures
    s = plan_summary(course_id=COURSE, unit_ids=[a.id])
    assert (s.written, s.followed_up, s.confirmed) == (4, 3, 2)
    assert s.results == {PlanResult.DONE: 1, PlanResult.PARTLY: 1, PlanResult.NOT_YET: 1}
    assert s.followed_up_share == pytest.approx(3 / 4)
    assert s.rating_shares == {1: 0.0, 2: 0.5, 3: 0.0, 4: 0.5}
    assert s.obstacles == [(Obstacle.WORKLOAD, 2), (Obstacle.MOVED, 1), (Obstacle.NO_SUPPORT, 1)]
    s = plan_summary(unit_ids=Scope(c.id, "Dinas C").units())
    assert (s.written, s.followed_up, s.confirmed, s.obstacles) == (1, 1, 0, [(Obstacle.WORKLOAD, 1)])
    assert s.average_rating is None and s.confirmed_share == 0.0
    empty = plan_summary(course_id="tidak-ada")
    assert (empty.written, empty.followed_up_share, empty.result_shares[PlanResult.DONE]) == (0, None, None)


def test_figures_and_the_lists_send_the_same_queries_for_few_and_many_plans(app, at):
    unit = make_unit("Dinas Besar")
    boss = member("Kepala", unit, "supervisor")
    client = app.test_client()
    login(client, boss.nip)
    at(datetime(2026, 6, 1, 3, 0))
    client.get("/atasan")  # settings are read once per app: not part of what is compared
    unit_id = unit.id
    counts = []
    for batch in (3, 12):
        for number in range(batch):
            plan = make_plan(member(f"Pegawai {batch}-{number}", unit), date(2026, 4, 1))
            _followed(plan, PlanResult.PARTLY, [Obstacle.WORKLOAD, Obstacle.NO_TOOLS], rating=2 if number % 2 else None)
        with statements() as sent:
            plan_summary(unit_ids=[unit_id])
        pages = []
        for url in ("/atasan/rencana-aksi", "/atasan/rencana-aksi?tampil=terbuka", "/atasan"):
            with statements() as page:
                assert client.get(url).status_code == 200
            pages.append(len(page))
        counts.append((len(sent), *pages))
    assert counts[0] == counts[1]
    assert counts[0][0] == 2


def test_the_demo_regency_has_plans_some_followed_up_and_confirmed(app):
    from elearn.demo import build
    from elearn.library import current_catalog

    made = build(current_catalog(), 400, seed=7)
    s = plan_summary()
    assert s.written == made["action_plans"] > 0
    assert 0 < s.confirmed < s.followed_up < s.written
    # Named obstacles, most named first (which one leads depends on the day the demo is built).
    counts = [count for _, count in s.obstacles]
    assert counts and all(count > 0 for count in counts) and counts == sorted(counts, reverse=True)
    assert Obstacle.WORKLOAD in dict(s.obstacles)
    no_steps = db.select(ActionPlan.id).where(~ActionPlan.steps.any())
    assert db.session.execute(no_steps).first() is None
    confirmed_before_report = db.select(ActionPlan.id).where(
        ActionPlan.confirmed_at.is_not(None), ActionPlan.reported_at.is_(None)
    )
    assert db.session.execute(confirmed_before_report).first() is None
