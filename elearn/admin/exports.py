"""The regency's exports: progress per person and course, the JP record, and a summary per unit.

Each is one query streamed from the database in batches (``yield_per``), written out as CSV row
by row, or as XLSX through openpyxl's write-only workbook into a spooled temporary file: the
whole regency never sits in memory at once. ``as_download`` sends either as a file download (the
evaluation report's download uses it too).
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator

from flask import Response, send_file, stream_with_context
from openpyxl import Workbook
from sqlalchemy import and_, case, func, select

from ..catalog import Catalog
from ..certificates.service import wib_date
from ..extensions import db
from ..learn.records import year_bounds_utc
from ..models import EXAM, Attempt, Certificate, Completion, LessonProgress, Unit, User
from ..reports.scope import Scope
from ..reports.unit import jp_totals

BATCH = 1000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _first_activity():
    """(user_id, course_id, first day of activity): the first lesson opened or the first attempt."""
    opened = select(LessonProgress.user_id, LessonProgress.course_id, LessonProgress.first_opened_at.label("at"))
    tried = select(Attempt.user_id, Attempt.course_id, Attempt.started_at.label("at"))
    both = opened.union_all(tried).subquery()
    return (
        select(both.c.user_id, both.c.course_id, func.min(both.c.at).label("first"))
        .group_by(both.c.user_id, both.c.course_id)
        .subquery()
    )


JP_COLUMNS = (
    "NIP", "Nama", "Unit", "Nama diklat", "Penyelenggara", "Tanggal mulai", "Tanggal selesai", "Tahun", "JP",
    "Nomor sertifikat",
)  # fmt: skip


def jp_record(scope: Scope, year: int | None, catalog: Catalog, organiser: str) -> Iterator[list]:
    """One row per completed course: what a personnel system needs to record it in an employee's history."""
    first = _first_activity()
    query = (
        select(User.nip, User.name, Unit.name, Completion.course_id, first.c.first, Completion.completed_at,
               Completion.jp, Certificate.number)
        .join(User, User.id == Completion.user_id)
        .join(Unit, Unit.id == User.unit_id)
        .outerjoin(first, and_(first.c.user_id == Completion.user_id, first.c.course_id == Completion.course_id))
        .outerjoin(Certificate, and_(Certificate.completion_id == Completion.id, Certificate.revoked_at.is_(None)))
        .where(Completion.user_id.in_(scope.people(active_only=False)))
        .order_by(Unit.name, User.name, Completion.completed_at)
    )  # fmt: skip
    if year:
        start, end = year_bounds_utc(year)
        query = query.where(Completion.completed_at >= start, Completion.completed_at < end)
    titles = {course.id: course.title for course in catalog.courses}
    for nip, name, unit, course_id, began, ended, jp, number in db.session.execute(
        query.execution_options(yield_per=BATCH)
    ):
        finished = wib_date(ended)
        yield [nip, name, unit, titles.get(course_id, course_id), organiser,
               (wib_date(began) if began else finished).isoformat(), finished.isoformat(), finished.year, jp,
               number or ""]  # fmt: skip


PROGRESS_COLUMNS = (
    "NIP", "Nama", "Unit", "Status pegawai", "Kursus", "Pelajaran selesai", "Jumlah pelajaran", "Pre-test",
    "Post-test pertama", "Tanggal mulai", "Tanggal selesai",
)  # fmt: skip


def progress(scope: Scope, catalog: Catalog) -> Iterator[list]:
    """One row per person and course they started: lessons done, first pre/post-test, dates."""
    first = _first_activity()
    lessons = (
        select(LessonProgress.user_id, LessonProgress.course_id,
               func.count(LessonProgress.completed_at).label("done"))
        .group_by(LessonProgress.user_id, LessonProgress.course_id)
        .subquery()
    )  # fmt: skip
    ranked = (
        select(Attempt.user_id, Attempt.course_id, Attempt.kind, Attempt.percent,
               func.row_number().over(partition_by=(Attempt.user_id, Attempt.course_id, Attempt.kind),
                                      order_by=Attempt.number).label("rank"))
        .where(Attempt.quiz_id == EXAM, Attempt.status == "graded")
        .subquery()
    )  # fmt: skip
    exams = (
        select(ranked.c.user_id, ranked.c.course_id,
               func.max(case((ranked.c.kind == "pretest", ranked.c.percent))).label("pre"),
               func.max(case((ranked.c.kind == "posttest", ranked.c.percent))).label("post"))
        .where(ranked.c.rank == 1)
        .group_by(ranked.c.user_id, ranked.c.course_id)
        .subquery()
    )  # fmt: skip
    query = (
        select(User.nip, User.name, Unit.name, User.active, first.c.course_id, lessons.c.done, exams.c.pre,
               exams.c.post, first.c.first, Completion.completed_at)
        .join(User, User.id == first.c.user_id)
        .join(Unit, Unit.id == User.unit_id)
        .outerjoin(lessons, and_(lessons.c.user_id == first.c.user_id, lessons.c.course_id == first.c.course_id))
        .outerjoin(exams, and_(exams.c.user_id == first.c.user_id, exams.c.course_id == first.c.course_id))
        .outerjoin(Completion, and_(Completion.user_id == first.c.user_id, Completion.course_id == first.c.course_id))
        .where(first.c.user_id.in_(scope.people(active_only=False)))
        .order_by(Unit.name, User.name, first.c.course_id)
    )  # fmt: skip
    courses = {course.id: course for course in catalog.courses}
    for nip, name, unit, active, course_id, done, pre, post, began, ended in db.session.execute(
        query.execution_options(yield_per=BATCH)
    ):
        course = courses.get(course_id)
        yield [nip, name, unit, "aktif" if active else "nonaktif", course.title if course else course_id, done or 0,
               len(course.lessons) if course else "", pre, post, wib_date(began).isoformat() if began else "",
               wib_date(ended).isoformat() if ended else ""]  # fmt: skip


SUMMARY_COLUMNS = ("Unit", "Pegawai aktif", "Mencapai target JP", "Rata-rata JP", "Tahun", "Target JP")


def unit_summary(scope: Scope, year: int, target: int, paths: dict[int, str]) -> Iterator[list]:
    """One row per unit of the scope: active people, how many met the target, their average JP."""
    totals = jp_totals(scope, year)
    query = (
        select(User.unit_id, func.count(), func.sum(case((totals.c.jp >= target, 1), else_=0)), func.avg(totals.c.jp))
        .join(totals, totals.c.user_id == User.id)
        .group_by(User.unit_id)
    )
    rows = {unit_id: (people, met, average) for unit_id, people, met, average in db.session.execute(query)}
    for unit_id, path in sorted(paths.items(), key=lambda item: item[1].casefold()):
        people, met, average = rows.get(unit_id, (0, 0, None))
        yield [path, people, int(met or 0), round(float(average), 1) if average is not None else 0, year, target]


def as_csv(header, rows: Iterator[list]) -> Iterator[str]:
    """CSV for Excel, streamed: a byte-order mark, the header, then each row as it comes."""
    out = io.StringIO()
    writer = csv.writer(out)
    out.write("\ufeff")
    writer.writerow(header)
    for number, row in enumerate(rows):
        writer.writerow(row)
        if number % 500 == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def as_xlsx(title: str, header, rows: Iterator[list]):
    """An XLSX written row by row into a spooled temporary file; returned rewound."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append(list(header))
    for row in rows:
        sheet.append(row)
    spool = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 (send_file closes it)
    workbook.save(spool)
    spool.seek(0)
    return spool


def as_download(fmt: str, name: str, title: str, header, rows: Iterator[list]) -> Response:
    """Return ``rows`` as the attachment ``name``.csv (streamed) or ``name``.xlsx (a sheet called ``title``)."""
    if fmt == "csv":
        response = Response(
            stream_with_context(as_csv(header, rows)),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    else:
        xlsx = as_xlsx(title, header, rows)
        response = send_file(xlsx, mimetype=XLSX_TYPE, as_attachment=True, download_name=f"{name}.xlsx")
    # Names and NIPs: never stored by a cache. send_file's own "no-cache" would otherwise keep
    # security.py's "no-store" off the XLSX.
    response.headers["Cache-Control"] = "no-store"
    return response
