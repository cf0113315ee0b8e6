"""The evaluation report: reaction, learning and behaviour per course, for a unit subtree.

Figures against values worked out by hand on a small data set; a supervisor sees only their
subtree (another unit's id is a 404); open answers only for trainers and admins; the small-count
rule; the downloads hold the same figures and nothing that names a person; the statements sent
do not grow with the data.
"""

from __future__ import annotations

import csv
import io
import math
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from elearn.actionplan.models import ActionPlanObstacle, PlanResult
from elearn.evaluation.report import evaluate
from elearn.extensions import db
from elearn.library import current_catalog
from elearn.reports.scope import Scope
from tests.conftest import login
from tests.factories import make_unit, make_user
from tests.test_actionplan import make_plan, member
from tests.test_evaluation import responses
from tests.test_queries import statements

COURSE = "layanan-dasar"
PAGE = "/evaluasi"


@pytest.fixture
def regency(app):
    """Dinas Kesehatan (with Puskesmas Depok I below it) and Dinas Pendidikan, with answers and plans.

    Survey, 'relevansi': Dinas Kesehatan's subtree 5, 4, 4, 3, 5 (three in the office, two in
    the puskesmas, one of them with an open answer); Dinas Pendidikan 1, 1.
    Plans: in Dinas Kesehatan's subtree, one done and confirmed 4, one partly done (workload),
    one not reported yet; in Dinas Pendidikan, one not yet (workload, no budget), confirmed 1.
    """
    health = make_unit("Dinas Kesehatan")
    puskesmas = make_unit("Puskesmas Depok I", parent=health)
    education = make_unit("Dinas Pendidikan")
    responses(COURSE, health, [{"relevansi": 5}, {"relevansi": 4}, {"relevansi": 4}])
    responses(COURSE, puskesmas, [{"relevansi": 3}, {"relevansi": 5, "saran": "Tambahkan contoh surat dinas."}])
    responses(COURSE, education, [{"relevansi": 1}, {"relevansi": 1}])
    reported = datetime(2026, 4, 10, 3, 0)
    done = make_plan(member("Sri Wahyuni", health), date(2026, 4, 9), result=PlanResult.DONE.value)
    done.reported_at, done.confirmed_at, done.rating = reported, reported, 4
    partly = make_plan(member("Agus Salim", puskesmas), date(2026, 4, 9), result=PlanResult.PARTLY.value)
    partly.reported_at = reported
    partly.obstacles.append(ActionPlanObstacle(code="workload"))
    make_plan(member("Rina Marlina", puskesmas), date(2026, 4, 9))
    late = make_plan(member("Budi Santoso", education), date(2026, 4, 9), result=PlanResult.NOT_YET.value)
    late.reported_at, late.confirmed_at, late.rating = reported, reported, 1
    late.obstacles += [ActionPlanObstacle(code="workload"), ActionPlanObstacle(code="no_budget")]
    db.session.commit()
    return {"health": health, "puskesmas": puskesmas, "education": education}


def course_of(evaluations, course_id=COURSE):
    return next(e for e in evaluations if e.course.id == course_id)


def test_the_figures_of_a_subtree_match_values_worked_out_by_hand(app, regency):
    course = current_catalog().course(COURSE)
    found = evaluate(Scope(regency["health"].id, "Dinas Kesehatan"), [course])[0]
    relevance = next(item for item in found.reaction.items if item.item.id == "relevansi")
    assert found.reaction.responses == 5 and relevance.shown
    assert relevance.mean == pytest.approx(4.2)
    assert relevance.sd == pytest.approx(math.sqrt(0.7))  # squares 0.64+0.04+0.04+1.44+0.64 over n-1 = 4
    assert relevance.distribution == (0, 0, 1, 2, 2)
    plans = found.behaviour
    assert (plans.written, plans.followed_up, plans.confirmed) == (3, 2, 1)
    assert found.applied_share == 1.0  # done and partly, of the two reported
    assert plans.average_rating == 4
    assert [(o.value, n) for o, n in plans.obstacles] == [("workload", 1)]


def test_the_whole_regency_adds_the_other_unit(app, regency):
    found = evaluate(Scope(None, "Seluruh Kabupaten Sleman"), [current_catalog().course(COURSE)])[0]
    relevance = next(item for item in found.reaction.items if item.item.id == "relevansi")
    assert found.reaction.responses == 7 and relevance.mean == pytest.approx(23 / 7)
    plans = found.behaviour
    assert (plans.written, plans.followed_up, plans.confirmed) == (4, 3, 2)
    assert found.applied_share == pytest.approx(2 / 3)
    assert plans.average_rating == pytest.approx(2.5)
    assert dict((o.value, n) for o, n in plans.obstacles) == {"workload": 2, "no_budget": 1}


def test_a_group_of_fewer_than_five_answers_shows_no_reaction_figures(app, regency):
    found = evaluate(Scope(regency["education"].id, "Dinas Pendidikan"), [current_catalog().course(COURSE)])[0]
    assert found.reaction.responses == 2 and not found.reaction.shown and found.reaction_mean is None
    assert all(not item.shown and item.mean is None for item in found.reaction.items)


def test_a_supervisor_sees_their_subtree_and_a_404_for_another_unit(app, client, regency):
    supervisor = make_user(role="supervisor", name="Kepala Dinkes", unit="Dinas Kesehatan")
    login(client, supervisor.nip)
    page = client.get(PAGE).get_data(as_text=True)
    assert "Evaluasi pelatihan: Dinas Kesehatan" in page and "Puskesmas Depok I" in page
    assert "Dinas Pendidikan" not in page
    assert client.get(f"{PAGE}?unit={regency['puskesmas'].id}").status_code == 200
    for unit in (regency["education"].id, 2**31 - 1, 99999999999, "abc"):
        response = client.get(f"{PAGE}?unit={unit}")
        assert response.status_code in (404, 200), unit
        if response.status_code == 200:  # an id that is not a number is ignored, never a crash
            assert "Dinas Pendidikan" not in response.get_data(as_text=True)
    assert client.get(f"{PAGE}?unit={regency['education'].id}").status_code == 404
    assert client.get(f"{PAGE}/laporan.csv?unit={regency['education'].id}").status_code == 404
    assert client.get(f"{PAGE}?kursus=tidak-ada").status_code == 404


def test_open_answers_are_for_trainers_and_admins_only(app, client, regency):
    supervisor = make_user(role="supervisor", name="Kepala Dinkes", unit="Dinas Kesehatan")
    login(client, supervisor.nip)
    assert "Tambahkan contoh surat dinas." not in client.get(f"{PAGE}?kursus={COURSE}").get_data(as_text=True)
    trainer = app.test_client()
    login(trainer, make_user(role="trainer", name="Dewi Pelatih", unit="BKPP Kabupaten Sleman").nip)
    assert "Tambahkan contoh surat dinas." in trainer.get(f"{PAGE}?kursus={COURSE}").get_data(as_text=True)


def test_learners_cannot_open_the_report(client, regency):
    login(client, make_user(name="Peserta Biasa").nip)
    assert client.get(PAGE).status_code == 403
    assert client.get(f"{PAGE}/laporan.xlsx").status_code == 403


def test_the_downloads_hold_the_figures_and_no_name(app, regency):
    admin = app.test_client()
    login(admin, make_user(role="admin", name="Admin BKPP", unit="BKPP Kabupaten Sleman").nip)
    text = admin.get(f"{PAGE}/laporan.csv?kursus={COURSE}&unit={regency['health'].id}").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["Unit", "Kursus", "Tingkat", "Ukuran", "Nilai", "Jumlah (n)"]
    figures = {row[3]: (row[4], row[5]) for row in rows[1:]}
    assert figures["Jawaban survei"] == ("5", "")
    relevance = next(key for key in figures if key.endswith(": rata-rata (1-5)"))
    assert figures[relevance] == ("4.2", "5")
    assert figures["Rencana aksi ditulis"] == ("3", "")
    assert figures["Dikonfirmasi atasan"] == ("1", "3")
    assert figures["Hambatan: Beban kerja terlalu padat"] == ("1", "")
    for name in ("Sri Wahyuni", "Agus Salim", "Rina Marlina", "Budi Santoso", "Tambahkan contoh"):
        assert name not in text
    workbook = load_workbook(io.BytesIO(admin.get(f"{PAGE}/laporan.xlsx?kursus={COURSE}").data), read_only=True)
    cells = [row for row in workbook.active.iter_rows(values_only=True)]
    assert cells[0] == ("Unit", "Kursus", "Tingkat", "Ukuran", "Nilai", "Jumlah (n)")
    title = current_catalog().course(COURSE).title
    assert ("Seluruh Kabupaten Sleman", title, "1 Reaksi", "Jawaban survei", 7) in [row[:5] for row in cells]


def test_the_report_sends_as_many_statements_for_more_answers_and_plans(app, regency):
    admin = app.test_client()
    login(admin, make_user(role="admin", name="Admin BKPP", unit="BKPP Kabupaten Sleman").nip)
    admin.get(PAGE)
    with statements() as before:
        assert admin.get(PAGE).status_code == 200
    responses(COURSE, regency["health"], [{"relevansi": 4, "kejelasan": 3}] * 40)
    for number in range(20):
        make_plan(member(f"Pegawai {number}", regency["puskesmas"]), date(2026, 5, 1), result=PlanResult.DONE.value)
    with statements() as after:
        assert admin.get(PAGE).status_code == 200
    assert len(after) == len(before), (len(before), len(after))


def test_the_report_page_writes_nothing(app, regency):
    trainer = app.test_client()
    login(trainer, make_user(role="trainer", name="Dewi Pelatih", unit="BKPP Kabupaten Sleman").nip)
    trainer.get(PAGE)
    with statements() as sent:
        trainer.get(PAGE)
    assert not [s for s in sent if s.lstrip().split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]
