"""A demo regency: Sleman's unit tree, thousands of staff, and a year of their learning.

``flask demo --learners 10000`` builds it in well under a minute with bulk inserts, so the
leaders' pages can be tried (and measured) at the regency's real size. Every generated
person gets an unusable password: only the four demo accounts log in. Generated attempts
carry a compact snapshot (question ids, types, points and keys, no text): nobody can open
them, and the reports read scores, not snapshots.
"""

from __future__ import annotations

import hashlib
import random
from datetime import datetime, timedelta
from itertools import count

from sqlalchemy import bindparam, insert, select
from werkzeug.security import generate_password_hash

from .actionplan.demo import add_plans
from .catalog import Catalog, Course, Quiz
from .certificates.service import new_code, wib_date
from .evaluation.demo import add_survey_answers
from .extensions import db, refresh_statistics
from .models import EXAM, Answer, Attempt, Certificate, Completion, LessonProgress, Unit, User, utcnow
from .quiz.types.base import option_key, picks_text
from .settings import certificate_issuer

DINAS = (
    "Dinas Pendidikan",
    "Dinas Kesehatan",
    "Dinas Sosial",
    "Dinas Pekerjaan Umum, Perumahan, dan Kawasan Permukiman",
    "Dinas Kependudukan dan Pencatatan Sipil",
    "Dinas Komunikasi dan Informatika",
    "Dinas Pertanian, Pangan, dan Perikanan",
    "Dinas Pariwisata",
    "Dinas Perhubungan",
    "Dinas Lingkungan Hidup",
    "Dinas Koperasi dan UKM",
    "Dinas Perindustrian dan Perdagangan",
    "Dinas Tenaga Kerja",
    "Dinas Kebudayaan",
    "Dinas Pemuda dan Olahraga",
    "Dinas Perpustakaan dan Kearsipan",
    "Dinas Pemberdayaan Masyarakat dan Kalurahan",
    "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
)
BADAN = (
    "BKPP Kabupaten Sleman",
    "Badan Perencanaan Pembangunan Daerah",
    "Badan Keuangan dan Aset Daerah",
    "Badan Penanggulangan Bencana Daerah",
    "Badan Kesatuan Bangsa dan Politik",
)
OTHER = ("Sekretariat Daerah", "Sekretariat DPRD", "Inspektorat Daerah", "Satuan Polisi Pamong Praja")
KAPANEWON = (
    "Berbah",
    "Cangkringan",
    "Depok",
    "Gamping",
    "Godean",
    "Kalasan",
    "Minggir",
    "Mlati",
    "Moyudan",
    "Ngaglik",
    "Ngemplak",
    "Pakem",
    "Prambanan",
    "Seyegan",
    "Sleman",
    "Tempel",
    "Turi",
)
PUSKESMAS = (
    "Berbah",
    "Cangkringan",
    "Depok I",
    "Depok II",
    "Depok III",
    "Gamping I",
    "Gamping II",
    "Godean I",
    "Godean II",
    "Kalasan",
    "Minggir",
    "Mlati I",
    "Mlati II",
    "Moyudan",
    "Ngaglik I",
    "Ngaglik II",
    "Ngemplak I",
    "Ngemplak II",
    "Pakem",
    "Prambanan",
    "Seyegan",
    "Sleman",
    "Tempel I",
    "Tempel II",
    "Turi",
)
FIRST = (
    "Sri",
    "Agus",
    "Budi",
    "Dwi",
    "Eko",
    "Endang",
    "Sari",
    "Tri",
    "Wahyu",
    "Yuli",
    "Rini",
    "Hadi",
    "Ratna",
    "Dewi",
    "Bambang",
    "Joko",
    "Siti",
    "Ani",
    "Heru",
    "Nur",
    "Retno",
    "Slamet",
    "Wulan",
    "Fajar",
    "Galih",
    "Putri",
    "Rizki",
    "Anita",
    "Bayu",
    "Citra",
    "Dian",
    "Erna",
    "Feri",
    "Gita",
    "Hendra",
    "Indah",
    "Kusuma",
)
LAST = (
    "Wibowo",
    "Susanto",
    "Hartono",
    "Lestari",
    "Rahayu",
    "Saputra",
    "Wijaya",
    "Utami",
    "Kurniawan",
    "Pratama",
    "Handayani",
    "Setiawan",
    "Nugroho",
    "Purnomo",
    "Santoso",
    "Widodo",
    "Haryanto",
    "Prasetyo",
    "Maharani",
    "Astuti",
    "Suryani",
    "Hidayat",
    "Permata",
    "Wulandari",
    "Sulistyowati",
    "Firmansyah",
    "Anggraini",
)


def unit_tree() -> list[tuple[str, str | None]]:
    """(name, parent name) of the demo regency's units, parents first."""
    units: list[tuple[str, str | None]] = [(name, None) for name in OTHER + DINAS + BADAN]
    units += [(f"Kapanewon {name}", None) for name in KAPANEWON]
    for parent in DINAS + BADAN:
        units += [("Sekretariat", parent), ("Bidang Pelayanan", parent)]
    units += [(f"Puskesmas {name}", "Dinas Kesehatan") for name in PUSKESMAS]
    units += [("Sekretariat Kapanewon", f"Kapanewon {name}") for name in KAPANEWON]
    return units


def _nips(rng: random.Random, n: int) -> list[str]:
    seen: set[str] = set()
    serial = count(1)
    while len(seen) < n:
        born = datetime(rng.randint(1966, 1999), rng.randint(1, 12), rng.randint(1, 28))
        start = born.year + rng.randint(21, 26)
        nip = f"{born:%Y%m%d}{min(start, 2025)}{rng.randint(1, 12):02d}{rng.choice('12')}{next(serial) % 1000:03d}"
        seen.add(nip)
    return sorted(seen, key=lambda _: rng.random())


def _compact_snapshot(quiz: Quiz, rng: random.Random) -> tuple[dict, list]:
    questions = list(quiz.questions)
    if quiz.questions_per_attempt:
        questions = rng.sample(questions, quiz.questions_per_attempt)
    snapshot = {
        "version": 2,
        "questions": [
            {"id": q.id, "type": q.type, "points": q.points, "prompt_html": "", "correct": []} for q in questions
        ],
    }
    return snapshot, questions


def build(catalog: Catalog, learners: int, seed: int = 2026) -> dict[str, int]:
    """Add a demo regency of ``learners`` staff with their learning; return what was made."""
    rng = random.Random(seed)
    units: dict[tuple[str, int | None], int] = {}
    names_to_id: dict[str, int] = {}
    for name, parent in unit_tree():
        parent_id = names_to_id.get(parent) if parent else None
        existing = db.session.execute(
            select(Unit.id).where(
                Unit.name == name, Unit.parent_id.is_(None) if parent_id is None else Unit.parent_id == parent_id
            )
        ).scalar_one_or_none()
        unit_id = (
            existing
            or db.session.execute(insert(Unit).values(name=name, parent_id=parent_id).returning(Unit.id)).scalar_one()
        )
        units[(name, parent_id)] = unit_id
        if parent is None:
            names_to_id[name] = unit_id
    unit_ids = list(units.values())
    unusable = generate_password_hash(rng.randbytes(16).hex(), method="pbkdf2:sha256:1")
    taken = set(db.session.execute(select(User.nip)).scalars())
    nips = [nip for nip in _nips(rng, learners + len(unit_ids) + len(taken)) if nip not in taken][
        : learners + len(unit_ids)
    ]
    now = utcnow()
    people = []
    for i, nip in enumerate(nips):
        supervisor = i < len(unit_ids)
        people.append(
            {
                "nip": nip,
                "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                "unit_id": unit_ids[i] if supervisor else rng.choice(unit_ids),
                "role": "supervisor" if supervisor else "asn",
                "position": "Kepala Unit" if supervisor else "Staf",
                "password_hash": unusable,
                "session_token": rng.randbytes(18).hex(),
                "must_change_password": False,
                "active": rng.random() > 0.01,
                "created_at": now,
            }
        )
    db.session.execute(insert(User), people)
    ids = db.session.execute(select(User.id, User.name, User.nip).where(User.nip.in_(nips))).all()

    progress, attempts, answers, completions = [], [], [], []
    courses = list(catalog.courses)
    this_year = now.year
    for user_id, _name, _nip in ids:
        for course in rng.sample(courses, k=min(len(courses), rng.choice((0, 1, 1, 2, 2, 3)))):
            _learn(rng, user_id, course, now, this_year, progress, attempts, answers, completions)
    if progress:
        db.session.execute(insert(LessonProgress), _by_nulls(progress))
    attempt_ids = _insert_attempts(attempts)
    for answer in answers:
        answer["attempt_id"] = attempt_ids[answer.pop("key")]
    answers = _by_nulls(answers)
    for chunk in range(0, len(answers), 20000):
        db.session.execute(insert(Answer), answers[chunk : chunk + 20000])
    if completions:
        db.session.execute(insert(Completion), completions)
    certificates = _certificates(catalog, [c["user_id"] for c in completions])
    unit_of = {person["nip"]: person["unit_id"] for person in people}
    surveys = add_survey_answers(catalog, completions, {uid: unit_of[nip] for uid, _name, nip in ids}, seed)
    plans = add_plans(catalog, completions, now, seed)
    db.session.commit()
    refresh_statistics("units", "users", "lesson_progress", "attempts", "answers", "completions", "certificates")
    return {
        "units": len(unit_ids),
        "people": len(ids),
        "progress": len(progress),
        "attempts": len(attempts),
        "answers": len(answers),
        "completions": len(completions),
        "certificates": certificates,
        "survey_responses": surveys,
        "action_plans": plans,
    }


def _learn(rng, user_id: int, course: Course, now, this_year: int, progress, attempts, answers, completions) -> None:
    """One person's way through one course: how far, which attempts, and maybe a completion."""
    start = now - timedelta(days=rng.randint(5, 500))
    lessons = course.lessons[: rng.randint(1, len(course.lessons))]
    done = len(lessons) == len(course.lessons) and rng.random() < 0.75
    skill = rng.gauss(0, 10)

    def attempt(quiz_id: str, kind: str, quiz: Quiz, number: int, percent: float, at) -> float:
        snapshot, questions = _compact_snapshot(quiz, rng)
        rows, points = _answers(rng, questions, max(0.0, min(100.0, percent)), kind, quiz.pass_score)
        most = sum(q.points for q in questions)
        score = round(100 * points / most, 2) if most else 0.0
        key = len(attempts)
        attempts.append(
            {
                "user_id": user_id,
                "course_id": course.id,
                "quiz_id": quiz_id,
                "kind": kind,
                "title": course.title,
                "number": number,
                "status": "graded",
                "token": rng.randbytes(8).hex(),
                "snapshot": snapshot,
                "pass_score": quiz.pass_score,
                "started_at": at,
                "submitted_at": at + timedelta(minutes=12),
                "points": points,
                "max_points": most,
                "percent": score,
                "passed": kind != "pretest" and score >= quiz.pass_score,
                "late": False,
            }
        )
        for position, (question, right, picks) in enumerate(rows):
            answers.append(
                {
                    "key": key,
                    "position": position,
                    "course_id": course.id,
                    "quiz_id": quiz_id,
                    "question_id": question.id,
                    "response": None,
                    "saved_at": at,
                    "points": float(question.points) if right else 0.0,
                    "max_points": float(question.points),
                    "picks": picks,
                    "correct": right,
                }
            )
        return score

    if course.exam and rng.random() < 0.7:
        attempt(EXAM, "pretest", course.exam, 1, rng.gauss(48, 15) + skill, start)
    for index, lesson in enumerate(lessons):
        at = start + timedelta(days=index)
        complete = index < len(lessons) - 1 or done or rng.random() < 0.5
        progress.append(
            {
                "user_id": user_id,
                "course_id": course.id,
                "lesson_id": lesson.id,
                "first_opened_at": at,
                "read_at": at if lesson.quiz is None and complete else None,
                "completed_at": at if complete else None,
            }
        )
        if lesson.quiz:
            tries = rng.choice((1, 1, 2, 3))
            for number in range(1, tries + 1):
                passing = number == tries and complete
                score = (
                    rng.uniform(lesson.quiz.pass_score, 100) if passing else rng.uniform(20, lesson.quiz.pass_score - 1)
                )
                attempt(lesson.id, "quiz", lesson.quiz, number, score, at)
    if done and course.exam:
        finished = start + timedelta(days=len(lessons) + rng.randint(0, 20))
        finished = min(finished, now - timedelta(hours=1))
        first = attempt(EXAM, "posttest", course.exam, 1, rng.gauss(76, 12) + skill, finished)
        final = first
        if first < course.exam.pass_score:
            final = attempt(
                EXAM, "posttest", course.exam, 2, rng.uniform(course.exam.pass_score, 95), finished + timedelta(days=1)
            )
        completions.append(
            {
                "user_id": user_id,
                "course_id": course.id,
                "completed_at": finished + timedelta(days=1),
                "jp": course.jp,
                "final_score": round(max(first, final), 2),
            }
        )


def _trait(question_id: str, salt: str) -> float:
    """A fixed number in [0, 1) for a question: its difficulty, its distractors' pull, same on every build."""
    return int(hashlib.sha256(f"{salt}:{question_id}".encode()).hexdigest()[:8], 16) / 2**32


def _answers(rng, questions: list, percent: float, kind: str, pass_score: int) -> tuple[list, float]:
    """Each question right or wrong, as a learner at ``percent`` would do on questions of varied difficulty.

    Easy questions are right more often than hard ones; a wrong choice picks the options that
    tempt most, and some distractors tempt nobody (what the question analysis should find). The
    attempt's points are the sum of its answers', and a try meant to pass (or fail) does.
    """
    rows = []
    for question in questions:
        ease = (_trait(question.id, "ease") - 0.5) * 0.6  # -0.3 .. +0.3
        rows.append([question, rng.random() < min(0.98, max(0.02, percent / 100 + ease))])
    most = sum(q.points for q in questions) or 1
    meant_to_pass = kind != "pretest" and percent >= pass_score

    def score() -> float:
        return 100 * sum(q.points for q, right in rows if right) / most

    if kind != "pretest":
        # flip the easiest wrong (or hardest right) answers until the try passes (or fails) as meant
        by_ease = sorted(rows, key=lambda row: _trait(row[0].id, "ease"), reverse=meant_to_pass)
        for row in by_ease:
            if (score() >= pass_score) == meant_to_pass:
                break
            if row[1] != meant_to_pass:
                row[1] = meant_to_pass
    found = []
    for question, right in rows:
        picks = None
        if question.type in ("single", "multiple"):
            keys = [option_key(html) for html in question.options_html]
            if right:
                chosen = [keys[i] for i in question.correct]
            else:
                wrong = [i for i in range(len(keys)) if i not in question.correct]
                pull = [_trait(f"{question.id}:{i}", "pull") ** 3 for i in wrong]  # some pull almost nobody
                pull = [p if p > 0.02 else 0.0 for p in pull]
                chosen = [keys[rng.choices(wrong, weights=pull)[0]]] if wrong and sum(pull) else []
            picks = picks_text(chosen)
        found.append((question, right, picks))
    return found, round(sum(q.points for q, right, _ in found if right), 2)


def _by_nulls(rows: list[dict]) -> list[dict]:
    """The rows with the same empty columns next to each other.

    SQLAlchemy sends a bulk insert in one batch per run of rows whose empty values fall in the
    same columns; interleaved, a list of 200,000 answers became tens of thousands of statements
    (on PostgreSQL the demo of 10,000 learners took minutes instead of seconds).
    """
    return sorted(rows, key=lambda row: tuple(key for key, value in row.items() if value is None))


def _insert_attempts(attempts: list[dict]) -> list[int]:
    """Insert the attempts (grouped by their empty columns, see ``_by_nulls``); return their ids in the given order."""
    order = sorted(range(len(attempts)), key=lambda i: tuple(k for k, v in attempts[i].items() if v is None))
    ids = [0] * len(attempts)
    for chunk in range(0, len(order), 5000):
        positions = order[chunk : chunk + 5000]
        result = db.session.execute(
            insert(Attempt).returning(Attempt.id, sort_by_parameter_order=True), [attempts[i] for i in positions]
        )
        for position, attempt_id in zip(positions, result.scalars(), strict=True):
            ids[position] = attempt_id
    return ids


def _certificates(catalog: Catalog, user_ids: list[int]) -> int:
    """Issue the certificates of the generated completions (bulk; numbers from the ids)."""
    rows = db.session.execute(
        select(Completion, User.name, User.nip)
        .join(User, User.id == Completion.user_id)
        .where(Completion.user_id.in_(set(user_ids)))
    ).all()
    if not rows:
        return 0
    issuer = certificate_issuer()
    values = []
    for completion, name, nip in rows:
        course = catalog.course(completion.course_id)
        values.append(
            {
                "code": new_code(),
                "user_id": completion.user_id,
                "completion_id": completion.id,
                "course_id": completion.course_id,
                "name": name,
                "nip": nip,
                "course_title": course.title if course else completion.course_id,
                "jp": completion.jp,
                "completed_on": wib_date(completion.completed_at),
                "issuer": issuer,
                "issued_at": completion.completed_at,
            }
        )
    inserted = db.session.execute(
        insert(Certificate).returning(Certificate.id, Certificate.completed_on, sort_by_parameter_order=True), values
    ).all()
    db.session.execute(
        Certificate.__table__.update().where(Certificate.id == bindparam("cid")).values(number=bindparam("new_number")),
        [{"cid": cid, "new_number": f"ELS/{on.year}/{cid:06d}"} for cid, on in inserted],
    )
    return len(inserted)
