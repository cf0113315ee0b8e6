"""A learner's record: completed courses with JP, score, gain and certificate; JP per year."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from openpyxl import Workbook
from sqlalchemy.orm import defer

from ..catalog import Catalog
from ..certificates.service import wib_date
from ..extensions import db
from ..learn.progress import learning_gain
from ..models import EXAM, Attempt, Certificate, Completion


@dataclass
class RecordRow:
    course_id: str
    title: str
    completed_on: date
    year: int
    jp: int
    final_score: float | None
    pretest: float | None
    posttest: float | None
    gain: float | None
    certificate: Certificate | None


@dataclass
class Record:
    rows: list[RecordRow] = field(default_factory=list)
    jp_by_year: dict[int, int] = field(default_factory=dict)  # newest year first

    @property
    def total_jp(self) -> int:
        return sum(self.jp_by_year.values())


def learning_record(user_id: int, catalog: Catalog) -> Record:
    """Return a learner's record (three queries, whatever the number of courses)."""
    completions = (
        db.session.execute(db.select(Completion).filter_by(user_id=user_id).order_by(Completion.completed_at.desc()))
        .scalars()
        .all()
    )
    exams = (
        db.session.execute(db.select(Attempt).options(defer(Attempt.snapshot)).filter_by(user_id=user_id, quiz_id=EXAM))
        .scalars()
        .all()
    )
    certificates = {
        c.completion_id: c
        for c in db.session.execute(db.select(Certificate).filter_by(user_id=user_id, revoked_at=None)).scalars()
    }
    record = Record()
    for completion in completions:
        course = catalog.course(completion.course_id)
        certificate = certificates.get(completion.id)
        attempts = [a for a in exams if a.course_id == completion.course_id]
        graded = sorted((a for a in attempts if not a.is_open), key=lambda a: a.number)
        pre = next((a.percent for a in graded if a.kind == "pretest"), None)
        post = next((a.percent for a in graded if a.kind == "posttest"), None)
        completed_on = wib_date(completion.completed_at)
        record.rows.append(
            RecordRow(
                course_id=completion.course_id,
                title=course.title if course else (certificate.course_title if certificate else completion.course_id),
                completed_on=completed_on,
                year=completed_on.year,
                jp=completion.jp,
                final_score=completion.final_score,
                pretest=pre,
                posttest=post,
                gain=learning_gain(attempts),
                certificate=certificate,
            )
        )
        record.jp_by_year[completed_on.year] = record.jp_by_year.get(completed_on.year, 0) + completion.jp
    record.jp_by_year = dict(sorted(record.jp_by_year.items(), reverse=True))
    return record


COLUMNS = (
    "Kursus",
    "Tanggal selesai",
    "Tahun",
    "JP",
    "Nilai akhir",
    "Pre-test",
    "Post-test pertama",
    "Peningkatan",
    "Nomor sertifikat",
)


def export_rows(record: Record) -> list[list[Any]]:
    return [
        [
            row.title,
            row.completed_on.isoformat(),
            row.year,
            row.jp,
            row.final_score,
            row.pretest,
            row.posttest,
            row.gain,
            row.certificate.number if row.certificate else "",
        ]
        for row in record.rows
    ]


def as_csv(record: Record) -> str:
    """CSV for Excel: UTF-8 with a byte-order mark, comma-separated, decimal points."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(export_rows(record))
    return out.getvalue()


def as_xlsx(record: Record, title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Catatan belajar")
    sheet.append([title])
    sheet.append(list(COLUMNS))
    for row in export_rows(record):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
