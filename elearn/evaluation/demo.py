"""Survey answers for the demo regency: plausible, deterministic, inserted in bulk."""

from __future__ import annotations

import hashlib
import random
from datetime import date

from sqlalchemy import insert

from ..catalog import Catalog
from ..extensions import db
from .models import SurveyAnswer, SurveyResponse, SurveyState, SurveyStatus
from .survey import survey_for

# Original sentences, as learners might write them; a response draws at most one.
OPEN_ANSWERS = (
    "Contoh kasusnya dekat dengan pekerjaan di kantor kami.",
    "Kuisnya membantu, tetapi beberapa soal terasa menjebak.",
    "Pelajarannya agak panjang untuk dibaca di sela pekerjaan.",
    "Mohon ditambah contoh dari pelayanan di kapanewon.",
    "Materi tentang langkah praktis paling berguna bagi saya.",
    "Bisa dibuka lewat ponsel, jadi mudah belajar di perjalanan.",
    "Sebaiknya ada ringkasan satu halaman yang bisa dicetak.",
    "Penjelasannya runtut dan bahasanya mudah dipahami.",
    "Saya ingin ada video singkat untuk bagian yang sulit.",
    "Sudah saya terapkan dalam rapat tim minggu lalu.",
    "Beberapa istilah perlu dijelaskan lebih sederhana.",
    "Waktu ujian cukup, soalnya sesuai dengan isi pelajaran.",
)


def _lean(*parts: str) -> float:
    """A stable number in -0.5..0.5 for a course or an item, so each has its own character."""
    digest = hashlib.sha256("/".join(parts).encode()).digest()
    return digest[0] / 255 - 0.5


def add_survey_answers(catalog: Catalog, completions: list[dict], unit_of: dict[int, int], seed: int) -> int:
    """Answer, skip or ignore the survey of each completion; return how many responses were stored."""
    rng = random.Random(seed)
    courses = {course.id: course for course in catalog.courses}
    statuses, responses, answers = [], [], []
    for completion in completions:
        course = courses.get(completion["course_id"])
        if course is None:
            continue
        roll = rng.random()
        if roll < 0.3:
            continue  # never opened the invitation
        if roll < 0.4:
            state = SurveyState.SKIPPED_ONCE if roll < 0.35 else SurveyState.SKIPPED_TWICE
            done_on = completion["completed_at"].date()
            statuses.append(
                {"user_id": completion["user_id"], "course_id": course.id, "state": state, "skipped_on": done_on}
            )
            continue
        statuses.append({"user_id": completion["user_id"], "course_id": course.id, "state": SurveyState.ANSWERED})
        survey = survey_for(course.path)
        response_id = rng.randbytes(16).hex()
        at = completion["completed_at"]
        responses.append(
            {
                "id": response_id,
                "course_id": course.id,
                "unit_id": unit_of.get(completion["user_id"]),
                "month": date(at.year, at.month, 1),
            }
        )
        mood = rng.gauss(0, 0.6)
        for item in survey.likert:
            centre = 3.9 + _lean(course.id) + 0.8 * _lean(course.id, item.id) + mood
            score = max(1, min(5, round(rng.gauss(centre, 0.7))))
            answers.append({"response_id": response_id, "item_id": item.id, "score": score, "text": None})
        for item in survey.open:
            if rng.random() < 0.35:
                text = rng.choice(OPEN_ANSWERS)
                answers.append({"response_id": response_id, "item_id": item.id, "score": None, "text": text})
    rng.shuffle(responses)  # stored in no order that follows the status rows
    if statuses:
        db.session.execute(insert(SurveyStatus), statuses)
    if responses:
        db.session.execute(insert(SurveyResponse), responses)
    for chunk in range(0, len(answers), 20000):
        db.session.execute(insert(SurveyAnswer), answers[chunk : chunk + 20000])
    return len(responses)
