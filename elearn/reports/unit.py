"""The unit dashboard's figures: aggregate SQL over a scope, never a loop over its people.

Every function runs a fixed number of queries, whatever the number of people, and fetches a
bounded number of rows (one per course, per bucket, or one page of people).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, literal, or_, select, union

from ..extensions import db
from ..learn.records import year_bounds_utc
from ..models import EXAM, Attempt, Completion, LessonProgress, Recommendation, Unit, User
from .scope import Scope

PAGE_SIZE = 25


@dataclass
class CourseFigures:
    course_id: str
    started: int = 0
    completed: int = 0
    passed: int = 0  # passed the post-test
    pre_avg: float | None = None
    pre_n: int = 0
    post_avg: float | None = None
    post_n: int = 0
    gain_avg: float | None = None
    gain_n: int = 0


def course_figures(scope: Scope, year: int | None, course_ids: list[str]) -> dict[str, CourseFigures]:
    """Per course: people who started, completed (in ``year``; None: ever), passed the post-test;
    pre/post/gain averages."""
    people = scope.people()
    figures = {course_id: CourseFigures(course_id) for course_id in course_ids}
    started = union(
        select(LessonProgress.course_id, LessonProgress.user_id).where(
            LessonProgress.user_id.in_(people), LessonProgress.course_id.in_(course_ids)
        ),
        select(Attempt.course_id, Attempt.user_id).where(
            Attempt.user_id.in_(people), Attempt.course_id.in_(course_ids)
        ),
    ).subquery()
    for course_id, count in db.session.execute(select(started.c.course_id, func.count()).group_by(started.c.course_id)):
        if course_id in figures:
            figures[course_id].started = count
    completed = select(Completion.course_id, func.count()).where(
        Completion.user_id.in_(people), Completion.course_id.in_(course_ids)
    )
    if year is not None:
        start, end = year_bounds_utc(year)
        completed = completed.where(Completion.completed_at >= start, Completion.completed_at < end)
    for course_id, count in db.session.execute(completed.group_by(Completion.course_id)):
        if course_id in figures:
            figures[course_id].completed = count
    # The first graded pre-test and post-test of each person (the one definition of the gain).
    ranked = (
        select(
            Attempt.user_id,
            Attempt.course_id,
            Attempt.kind,
            Attempt.percent,
            Attempt.passed,
            func.row_number()
            .over(partition_by=(Attempt.user_id, Attempt.course_id, Attempt.kind), order_by=Attempt.number)
            .label("rank"),
        )
        .where(
            Attempt.quiz_id == EXAM,
            Attempt.status == "graded",
            Attempt.user_id.in_(people),
            Attempt.course_id.in_(course_ids),
        )
        .subquery()
    )
    pairs = (
        select(
            ranked.c.course_id,
            func.max(case((ranked.c.kind == "pretest", ranked.c.percent))).label("pre"),
            func.max(case((ranked.c.kind == "posttest", ranked.c.percent))).label("post"),
        )
        .where(ranked.c.rank == 1)
        .group_by(ranked.c.user_id, ranked.c.course_id)
        .subquery()
    )
    gain = pairs.c.post - pairs.c.pre
    rows = db.session.execute(
        select(
            pairs.c.course_id,
            func.avg(pairs.c.pre),
            func.count(pairs.c.pre),
            func.avg(pairs.c.post),
            func.count(pairs.c.post),
            func.avg(gain),
            func.count(gain),
        ).group_by(pairs.c.course_id)
    )
    for course_id, pre, pre_n, post, post_n, gain_avg, gain_n in rows:
        if course_id in figures:
            f = figures[course_id]
            f.pre_avg, f.pre_n, f.post_avg, f.post_n = _round(pre), pre_n, _round(post), post_n
            f.gain_avg, f.gain_n = _round(gain_avg), gain_n
    passed = (
        select(Attempt.course_id, func.count(func.distinct(Attempt.user_id)))
        .where(
            Attempt.kind == "posttest",
            Attempt.passed.is_(True),
            Attempt.user_id.in_(people),
            Attempt.course_id.in_(course_ids),
        )
        .group_by(Attempt.course_id)
    )
    for course_id, count in db.session.execute(passed):
        if course_id in figures:
            figures[course_id].passed = count
    return figures


def _round(value) -> float | None:
    return None if value is None else round(float(value), 1)


def jp_totals(scope: Scope, year: int):
    """A subquery: (user_id, jp) of every active person in the scope, JP completed in ``year`` (WIB)."""
    start, end = year_bounds_utc(year)
    earned = (
        select(Completion.user_id, func.sum(Completion.jp).label("jp"))
        .where(Completion.completed_at >= start, Completion.completed_at < end)
        .group_by(Completion.user_id)
        .subquery()
    )
    return (
        select(User.id.label("user_id"), func.coalesce(earned.c.jp, 0).label("jp"))
        .outerjoin(earned, earned.c.user_id == User.id)
        .where(User.id.in_(scope.people()))
        .subquery()
    )


@dataclass
class Summary:
    people: int
    met: int
    average_jp: float


def summary(scope: Scope, year: int, target: int) -> Summary:
    totals = jp_totals(scope, year)
    people, met, average = db.session.execute(
        select(func.count(), func.sum(case((totals.c.jp >= target, 1), else_=0)), func.avg(totals.c.jp))
    ).one()
    return Summary(people or 0, int(met or 0), _round(average) or 0.0)


BUCKETS = ((0, 0), (1, 4), (5, 9), (10, 14), (15, 19))


def jp_distribution(scope: Scope, year: int, target: int) -> list[tuple[str, int]]:
    """People per band of JP this year: 0, 1-4, ..., and at or above the target."""
    totals = jp_totals(scope, year)
    bands = [(f"{low}" if low == high else f"{low}–{high}", low, high) for low, high in BUCKETS if high < target]
    label = case(
        *[(and_(totals.c.jp >= low, totals.c.jp <= high), literal(name)) for name, low, high in bands],
        else_=literal(f"≥ {target}"),
    )
    counts = dict(db.session.execute(select(label, func.count()).group_by(label)).all())
    names = [name for name, _, _ in bands] + [f"≥ {target}"]
    return [(name, counts.get(name, 0)) for name in names]


@dataclass
class Behind:
    user_id: int
    name: str
    nip: str
    unit: str
    jp: int
    short: int


def below_target(scope: Scope, year: int, target: int, page: int) -> tuple[list[Behind], int]:
    """One page of the people below the target (furthest behind first), and how many they are."""
    totals = jp_totals(scope, year)
    behind = totals.c.jp < target
    total = db.session.execute(select(func.count()).where(behind)).scalar_one()
    rows = db.session.execute(
        select(User.id, User.name, User.nip, Unit.name, totals.c.jp)
        .join(totals, totals.c.user_id == User.id)
        .join(Unit, Unit.id == User.unit_id)
        .where(behind)
        .order_by(totals.c.jp, User.name, User.id)
        .limit(PAGE_SIZE)
        .offset(max(0, page - 1) * PAGE_SIZE)
    ).all()
    return [Behind(uid, name, nip, unit, jp, target - jp) for uid, name, nip, unit, jp in rows], total


@dataclass
class RecommendationRow:
    recommendation: Recommendation
    target: str
    people: int
    done: int


def recommendations(scope: Scope, limit: int = 10) -> list[RecommendationRow]:
    """The latest recommendations made within the scope, with how many of their people completed."""
    units = scope.units()
    recent = db.session.execute(
        select(Recommendation, Unit.name, User.name)
        .outerjoin(Unit, Unit.id == Recommendation.unit_id)
        .outerjoin(User, User.id == Recommendation.user_id)
        .where(or_(Recommendation.unit_id.in_(units), Recommendation.user_id.in_(scope.people(active_only=False))))
        .order_by(Recommendation.created_at.desc(), Recommendation.id.desc())
        .limit(limit)
    ).all()
    rows = []
    for recommendation, unit_name, user_name in recent:  # at most ``limit``: bounded, whatever the people
        target = Scope(recommendation.unit_id, unit_name) if recommendation.unit_id else None
        people = target.people() if target else select(literal(recommendation.user_id))
        counts = db.session.execute(
            select(
                select(func.count()).select_from(people.subquery()).scalar_subquery(),
                select(func.count())
                .select_from(Completion)
                .where(Completion.course_id == recommendation.course_id, Completion.user_id.in_(people))
                .scalar_subquery(),
            )
        ).one()
        rows.append(RecommendationRow(recommendation, unit_name or user_name, counts[0], counts[1]))
    return rows
