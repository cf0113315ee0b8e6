"""Action plans for the demo regency: part of the completers wrote one; some followed up, some confirmed.

Deterministic (seeded), plausible (results lean on the supervisor's rating, obstacles on the
result), and bulk-inserted like the rest of ``flask demo``.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import insert

from ..catalog import Catalog
from ..certificates.service import wib_date
from ..extensions import db
from .models import ActionPlan, ActionPlanObstacle, ActionPlanStep, Obstacle, PlanResult

STEPS = (
    "Menyusun daftar prioritas pekerjaan setiap Senin pagi dan membahasnya singkat dengan tim",
    "Membalas setiap surat masuk paling lambat dua hari kerja dan mencatatnya di buku agenda",
    "Menyiapkan lembar informasi layanan yang mudah dibaca untuk warga di meja depan",
    "Membuat catatan hasil rapat yang dibagikan kepada peserta pada hari yang sama",
    "Memeriksa ulang data sebelum dikirim ke unit lain dengan daftar periksa sederhana",
    "Menyediakan waktu tanpa gangguan satu jam setiap pagi untuk pekerjaan yang menuntut konsentrasi",
    "Meminta masukan warga setelah pelayanan melalui formulir singkat dan membacanya tiap pekan",
    "Menyimpan berkas kerja di folder bersama dengan penamaan yang disepakati tim",
    "Mengajarkan satu hal dari kursus ini kepada rekan kerja dalam apel pagi",
    "Menyusun jadwal tindak lanjut pengaduan agar tidak ada yang terlewat lebih dari sepekan",
)
HELPED = (
    "Atasan memberi waktu khusus untuk mencobanya.",
    "Rekan satu seksi ikut menjalankan dan saling mengingatkan.",
    "Contoh dan templat dari kursus langsung bisa dipakai.",
    "Ada aplikasi kantor yang mendukung.",
)
NOTES = (
    "Sempat ada tugas tambahan menjelang akhir tahun anggaran.",
    "Perlu persetujuan dari unit lain yang belum keluar.",
    "Jaringan internet kantor sering terputus.",
)
SHARE_WRITTEN, SHARE_REPORTED, SHARE_CONFIRMED = 0.4, 0.7, 0.6
# Result -> (weights of the supervisor's rating 1..4, chance of naming an obstacle).
RATING_WEIGHTS = {
    PlanResult.DONE: ((0.02, 0.1, 0.38, 0.5), 0.2),
    PlanResult.PARTLY: ((0.1, 0.45, 0.4, 0.05), 0.8),
    PlanResult.NOT_YET: ((0.6, 0.35, 0.05, 0.0), 0.95),
}
OBSTACLE_WEIGHTS = (5, 3, 1, 2, 2, 1)  # workload is named most, as in practice


def add_plans(catalog: Catalog, completions: list[dict], now: datetime, seed: int = 2026) -> int:
    """Insert action plans for part of the generated ``completions``; return how many."""
    rng = random.Random(seed)
    today = wib_date(now)
    plans, details = [], []
    for completion in completions:
        course = catalog.course(completion["course_id"])
        if course is None or rng.random() >= SHARE_WRITTEN:
            continue
        written = wib_date(completion["completed_at"]) + timedelta(days=rng.randint(0, 2))
        if written > today:
            continue
        due = written + timedelta(days=course.follow_up_days)
        plan = {
            "user_id": completion["user_id"],
            "course_id": course.id,
            "written_on": written,
            "due_on": due,
            "created_at": now,
            "updated_at": now,
        }
        steps = [
            {"position": n, "text": text, "target_on": written + timedelta(days=rng.randint(7, 28))}
            for n, text in enumerate(rng.sample(STEPS, k=rng.choice((1, 2, 2, 3))), start=1)
        ]
        obstacles: list[str] = []
        if due <= today and rng.random() < SHARE_REPORTED:
            result = rng.choices(list(PlanResult), weights=(45, 35, 20))[0]
            ratings, obstacle_chance = RATING_WEIGHTS[result]
            reported = datetime.combine(due + timedelta(days=rng.randint(0, 10)), datetime.min.time()) + timedelta(
                hours=2
            )
            plan |= {"reported_at": min(reported, now), "result": result.value}
            if rng.random() < 0.6:
                plan["helped"] = rng.choice(HELPED)
            if rng.random() < obstacle_chance:
                picked = rng.choices(list(Obstacle), weights=OBSTACLE_WEIGHTS, k=rng.choice((1, 1, 2)))
                obstacles = sorted({o.value for o in picked})
                if rng.random() < 0.2:
                    plan["obstacle_note"] = rng.choice(NOTES)
            if rng.random() < SHARE_CONFIRMED:
                plan |= {
                    "confirmed_at": min(plan["reported_at"] + timedelta(days=rng.randint(1, 14)), now),
                    "rating": rng.choices((1, 2, 3, 4), weights=ratings)[0],
                }
        plans.append(plan)
        details.append((steps, obstacles))
    if not plans:
        return 0
    # Every row the same keys (one executemany): the unset follow-up fields as NULL.
    keys = ("reported_at", "result", "helped", "obstacle_note", "confirmed_at", "rating")
    plans = [dict.fromkeys(keys) | plan for plan in plans]
    ids = []
    for chunk in range(0, len(plans), 5000):
        result = db.session.execute(
            insert(ActionPlan).returning(ActionPlan.id, sort_by_parameter_order=True), plans[chunk : chunk + 5000]
        )
        ids += list(result.scalars())
    steps = [step | {"plan_id": pid} for pid, (plan_steps, _) in zip(ids, details, strict=True) for step in plan_steps]
    named = [{"plan_id": pid, "code": code} for pid, (_, codes) in zip(ids, details, strict=True) for code in codes]
    db.session.execute(insert(ActionPlanStep), steps)
    if named:
        db.session.execute(insert(ActionPlanObstacle), named)
    return len(ids)
