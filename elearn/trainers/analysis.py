"""Question analysis of one lesson quiz or exam, from the graded attempts: computed in SQL.

For each question, over the chosen attempts (each learner's first graded attempt by default,
or every graded attempt): how many answered, the facility index (mean score / maximum score)
and the discrimination index, as Moodle's quiz statistics compute it: the correlation between
the question's score and the score of the rest of the attempt. For choice questions, how often
each option was picked. Two queries, whatever the number of attempts: one row per question,
and one per (question, combination of options picked).

Questions are matched across edits of the course by their id; options by their text
(``Answer.picks``), so reordering options in the file changes no count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import Float, Select, cast, func, select

from ..catalog.model import Question, Quiz
from ..extensions import db
from ..models import Answer, Attempt
from ..quiz.types.base import option_key

EASY = 0.9  # facility above: too easy
HARD = 0.2  # facility below: too hard
WEAK = 0.2  # discrimination below: does not tell who learned from who did not
MIN_ANSWERS = 10  # fewer answers than this: figures are shown, flags are not (too few to mean much)


class Flag(StrEnum):
    EASY = "terlalu-mudah"
    HARD = "terlalu-sulit"
    WEAK = "daya-beda-rendah"
    NEGATIVE = "daya-beda-negatif"
    UNUSED_DISTRACTOR = "pengecoh-tak-dipilih"

    @property
    def label(self) -> str:
        return FLAG_LABELS[self][0]

    @property
    def meaning(self) -> str:
        return FLAG_LABELS[self][1]


FLAG_LABELS = {
    Flag.EASY: (
        "Terlalu mudah",
        "Hampir semua menjawab benar: soal mungkin menguji hal yang sudah diketahui semua orang, atau kuncinya "
        "tertebak dari bentuk pilihan. Tak apa untuk soal pemanasan; bila soal ini dimaksudkan untuk menguji "
        "pemahaman, buat pengecoh yang lebih masuk akal.",
    ),
    Flag.HARD: (
        "Terlalu sulit",
        "Sedikit yang menjawab benar: periksa dulu kuncinya, lalu apakah materi pelajaran benar-benar "
        "membahasnya dan apakah kalimat soal bisa disalahpahami.",
    ),
    Flag.WEAK: (
        "Daya beda rendah",
        "Peserta yang nilainya tinggi di soal lain tidak lebih sering benar di soal ini: soal mungkin ambigu, "
        "menguji hal di luar materi, atau mudah ditebak.",
    ),
    Flag.NEGATIVE: (
        "Daya beda negatif",
        "Peserta yang nilainya tinggi di soal lain justru lebih sering salah di soal ini: periksa kuncinya "
        "(sering kali kunci yang keliru) dan kata-kata yang menjebak.",
    ),
    Flag.UNUSED_DISTRACTOR: (
        "Pengecoh tidak dipilih",
        "Ada pilihan salah yang tidak dipilih siapa pun: pilihan itu jelas salah bagi semua orang dan tidak "
        "bekerja sebagai pengecoh. Ganti dengan kesalahan yang benar-benar sering terjadi di tempat kerja.",
    ),
}


@dataclass
class OptionCount:
    html: str
    correct: bool
    picked: int
    share: float | None  # of the answers to the question


@dataclass
class QuestionStats:
    id: str
    number: int  # position in the quiz file (0: no longer in the file)
    question: Question | None  # as the file says now; None if removed from it
    answers: int
    facility: float | None
    discrimination: float | None
    options: list[OptionCount] = field(default_factory=list)
    other_picks: int = 0  # picks of options no longer in the file
    flags: list[Flag] = field(default_factory=list)


@dataclass
class Analysis:
    attempts: int
    mean_percent: float | None
    questions: list[QuestionStats]
    all_attempts: bool


def chosen_attempts(course_id: str, quiz_id: str, all_attempts: bool) -> Select:
    """The ids of the graded attempts analysed: each learner's first per kind, or all."""
    graded = (Attempt.course_id == course_id, Attempt.quiz_id == quiz_id, Attempt.status == "graded")
    if all_attempts:
        return select(Attempt.id).where(*graded)
    # A learner's first pre-test and first post-test of an exam both count: each was a first try.
    return select(func.min(Attempt.id)).where(*graded).group_by(Attempt.user_id, Attempt.kind)


def analyse(course_id: str, quiz_id: str, quiz: Quiz, all_attempts: bool = False) -> Analysis:
    """Return the statistics of every question of the quiz that has answers, in the file's order."""
    chosen = chosen_attempts(course_id, quiz_id, all_attempts).subquery()
    x = func.coalesce(Answer.points, 0.0)
    y = func.coalesce(Attempt.points, 0.0) - x  # the rest of the attempt
    xf, yf = cast(x, Float), cast(y, Float)
    # Every query starts from the chosen attempts and reaches their answers through the answers'
    # (attempt_id, position) index: linear in the attempts even when the planner's row estimates
    # are stale (right after a bulk load, before autovacuum has analyzed the tables).
    answers = (
        select()
        .select_from(chosen)
        .join(Attempt, Attempt.id == chosen.c[0])
        .join(Answer, Answer.attempt_id == Attempt.id)  # an attempt's answers are all of its quiz
    )
    rows = db.session.execute(
        answers.add_columns(
            Answer.question_id,
            func.count(),
            func.sum(xf),
            func.sum(xf * xf),
            func.sum(yf),
            func.sum(yf * yf),
            func.sum(xf * yf),
            func.sum(cast(func.coalesce(Answer.max_points, 0.0), Float)),
        ).group_by(Answer.question_id)
    ).all()
    picks = db.session.execute(
        answers.add_columns(Answer.question_id, Answer.picks, func.count())
        .where(Answer.picks.is_not(None))
        .group_by(Answer.question_id, Answer.picks)
    ).all()
    summary = db.session.execute(
        select(func.count(), func.avg(Attempt.percent)).select_from(chosen).join(Attempt, Attempt.id == chosen.c[0])
    ).one()
    picked: dict[str, dict[str, int]] = {}
    for question_id, combination, count in picks:
        tally = picked.setdefault(question_id, {})
        for key in filter(None, (combination or "").split(",")):
            tally[key] = tally.get(key, 0) + count

    order = {q.id: i for i, q in enumerate(quiz.questions, start=1)}
    found = []
    for question_id, n, sx, sxx, sy, syy, sxy, smax in rows:
        question = quiz.question(question_id)
        stats = QuestionStats(
            id=question_id,
            number=order.get(question_id, 0),
            question=question,
            answers=n,
            facility=round(sx / smax, 3) if smax else None,
            discrimination=_correlation(n, sx, sxx, sy, syy, sxy),
        )
        if question is not None and question.type in ("single", "multiple"):
            tally = picked.get(question_id, {})
            keys = [option_key(html) for html in question.options_html]
            stats.options = [
                OptionCount(html, i in question.correct, tally.get(key, 0), round(tally.get(key, 0) / n, 3))
                for i, (html, key) in enumerate(zip(question.options_html, keys, strict=True))
            ]
            stats.other_picks = sum(count for key, count in tally.items() if key not in keys)
        stats.flags = flags(stats)
        found.append(stats)
    found.sort(key=lambda s: (s.number == 0, s.number, s.id))
    mean = summary[1]
    return Analysis(
        attempts=summary[0],
        mean_percent=None if mean is None else round(float(mean), 1),
        questions=found,
        all_attempts=all_attempts,
    )


def _correlation(n: int, sx: float, sxx: float, sy: float, syy: float, sxy: float) -> float | None:
    """Pearson's r from sums; None where it is undefined (fewer than 2 answers, or no variance)."""
    if n < 2:
        return None
    covariance = n * sxy - sx * sy
    spread = (n * sxx - sx * sx) * (n * syy - sy * sy)
    if spread <= 1e-12:
        return None
    return round(max(-1.0, min(1.0, covariance / math.sqrt(spread))), 3)


def flags(stats: QuestionStats) -> list[Flag]:
    """What stands out about a question, once it has enough answers to mean something."""
    if stats.answers < MIN_ANSWERS:
        return []
    found = []
    if stats.facility is not None and stats.facility > EASY:
        found.append(Flag.EASY)
    if stats.facility is not None and stats.facility < HARD:
        found.append(Flag.HARD)
    if stats.discrimination is not None:
        if stats.discrimination < 0:
            found.append(Flag.NEGATIVE)
        elif stats.discrimination < WEAK:
            found.append(Flag.WEAK)
    if any(not option.correct and option.picked == 0 for option in stats.options):
        found.append(Flag.UNUSED_DISTRACTOR)
    return found
