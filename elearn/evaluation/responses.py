"""Who is asked the survey, recording an answer or a skip, and the aggregates of the answers.

The rules live here: a learner is asked after completing a course; "Lewati" asks again once,
a day later at the earliest; never after a second skip or an answer. An answer writes a
status row (the person) and a response row (the answers) that share nothing but the course.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from .. import clock
from ..extensions import db
from ..models import Unit
from .models import SurveyAnswer, SurveyResponse, SurveyState, SurveyStatus
from .survey import ItemKind, Survey, SurveyItem

MIN_RESPONSES = 5  # below this, a group's answers are not broken down at all
MAX_OPEN_ANSWER = 2000


def today() -> date:
    """The date in Sleman (WIB)."""
    return clock.today_wib()


# --- asking ----------------------------------------------------------------------------------


def statuses_of(user_id: int, course_id: str | None = None) -> dict[str, SurveyStatus]:
    """A learner's survey status rows, keyed by course id (one query)."""
    query = db.select(SurveyStatus).filter_by(user_id=user_id)
    if course_id is not None:
        query = query.filter_by(course_id=course_id)
    return {status.course_id: status for status in db.session.execute(query).scalars()}


def is_due(status: SurveyStatus | None, completed: bool, on: date) -> bool:
    """Whether to invite the learner to a course's survey now."""
    if not completed:
        return False
    if status is None:
        return True
    return status.state == SurveyState.SKIPPED_ONCE and status.skipped_on is not None and status.skipped_on < on


def due_surveys(user_id: int, completed: list[str], on: date) -> set[str]:
    """Of the courses the learner completed, those whose survey to offer now (one query, none if none)."""
    if not completed:
        return set()
    statuses = statuses_of(user_id)
    return {course_id for course_id in completed if is_due(statuses.get(course_id), True, on)}


def refusal(status: SurveyStatus | None, completed: bool) -> str | None:
    """Why the survey form cannot be filled in, or None if it can (also after skipping)."""
    if not completed:
        return "Survei kursus ini dapat diisi setelah Anda menyelesaikan kursusnya."
    if status is not None and status.state == SurveyState.ANSWERED:
        return "Anda sudah mengisi survei kursus ini. Terima kasih atas masukan Anda."
    return None


@dataclass
class FormResult:
    """The answers read from the form, and a message per item that is missing or wrong."""

    scores: dict[str, int] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def read_form(survey: Survey, form) -> FormResult:
    """Read the answers from a submitted form: every statement rated 1..5, open questions optional."""
    result = FormResult()
    for item in survey.items:
        raw = (form.get(item.id) or "").strip()
        if item.kind is ItemKind.OPEN:
            raw = raw.replace("\r\n", "\n")
            if len(raw) > MAX_OPEN_ANSWER:
                result.texts[item.id] = raw
                result.errors[item.id] = (
                    f"Jawaban terlalu panjang ({len(raw)} karakter, paling banyak {MAX_OPEN_ANSWER})."
                )
            elif raw:
                result.texts[item.id] = raw
        elif raw in ("1", "2", "3", "4", "5"):
            result.scores[item.id] = int(raw)
        else:
            result.errors[item.id] = "Pilih salah satu nilai dari 1 sampai 5."
    return result


def record_answers(user_id: int, unit_id: int | None, course_id: str, answers: FormResult, on: date) -> bool:
    """Store one anonymous response and mark the person as having answered; False if they had already.

    One transaction: the status row is the guard (unique per person and course, or a
    compare-and-set from a skipped state), so a double submit stores one response.
    """
    status = statuses_of(user_id, course_id).get(course_id)
    if status is None:
        db.session.add(SurveyStatus(user_id=user_id, course_id=course_id, state=SurveyState.ANSWERED))
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()
            return False
    else:
        changed = db.session.execute(
            update(SurveyStatus)
            .where(SurveyStatus.id == status.id, SurveyStatus.state != SurveyState.ANSWERED)
            .values(state=SurveyState.ANSWERED, skipped_on=None)
            .execution_options(synchronize_session=False)
        ).rowcount
        if changed != 1:
            db.session.rollback()
            return False
    response = SurveyResponse(course_id=course_id, unit_id=unit_id, month=on.replace(day=1))
    response.answers = [SurveyAnswer(item_id=item_id, score=score) for item_id, score in answers.scores.items()]
    response.answers += [SurveyAnswer(item_id=item_id, text=text) for item_id, text in answers.texts.items()]
    db.session.add(response)
    db.session.commit()
    return True


def record_skip(user_id: int, course_id: str, on: date) -> SurveyState | None:
    """Note that the learner skipped the survey (the first time: ask again later); the state after."""
    status = statuses_of(user_id, course_id).get(course_id)
    if status is None:
        db.session.add(
            SurveyStatus(user_id=user_id, course_id=course_id, state=SurveyState.SKIPPED_ONCE, skipped_on=on)
        )
        try:
            db.session.commit()
        except IntegrityError:  # a second tab got there first
            db.session.rollback()
            return None
        return SurveyState.SKIPPED_ONCE
    if status.state == SurveyState.SKIPPED_ONCE:
        status.state = SurveyState.SKIPPED_TWICE
        status.skipped_on = on
        db.session.commit()
    return SurveyState(status.state)


# --- aggregates ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemSummary:
    """One statement's figures in a group; ``shown`` False (and no figures) below MIN_RESPONSES."""

    item: SurveyItem
    n: int
    shown: bool
    mean: float | None = None
    sd: float | None = None  # sample standard deviation (n - 1)
    distribution: tuple[int, ...] | None = None  # how many answered 1, 2, 3, 4, 5

    @property
    def percents(self) -> tuple[float, ...]:
        if not self.distribution or not self.n:
            return ()
        return tuple(100 * count / self.n for count in self.distribution)


@dataclass(frozen=True)
class ReactionSummary:
    """A course's survey answers in a group of learners (the whole regency, or some units)."""

    course_id: str
    responses: int
    items: tuple[ItemSummary, ...]
    open_answers: dict[str, list[str]]  # item id -> answers in alphabetical order; empty below the minimum

    @property
    def shown(self) -> bool:
        return self.responses >= MIN_RESPONSES


def item_figures(item: SurveyItem, distribution: list[int]) -> ItemSummary:
    """Mean, spread and distribution of one statement's scores (hidden below the minimum)."""
    n = sum(distribution)
    if n < MIN_RESPONSES:
        return ItemSummary(item, n, False)
    mean = sum(score * count for score, count in zip(range(1, 6), distribution, strict=True)) / n
    squares = sum(count * (score - mean) ** 2 for score, count in zip(range(1, 6), distribution, strict=True))
    return ItemSummary(item, n, True, mean, math.sqrt(squares / (n - 1)), tuple(distribution))


def _items(survey: Survey | None, found: set[str], kind: ItemKind) -> list[SurveyItem]:
    """The survey's items of a kind, or (without a survey) every item id the answers name."""
    if survey is not None:
        return [item for item in survey.items if item.kind is kind]
    return [SurveyItem(item_id, kind, item_id) for item_id in sorted(found)]


def reaction_summary(
    course_id: str, unit_ids: list[int] | None = None, survey: Survey | None = None
) -> ReactionSummary:
    """Each statement's n, mean, spread and 1..5 distribution, and the open answers (three queries).

    ``unit_ids`` limits it to learners who answered while in those units (None: everyone).
    ``survey`` gives the items and their order (from the files); without it, every item id
    found in the answers. Fewer than MIN_RESPONSES responses: no figures and no open answers.
    """
    where = [SurveyResponse.course_id == course_id]
    if unit_ids is not None:
        where.append(SurveyResponse.unit_id.in_(unit_ids))
    responses = db.session.execute(db.select(func.count()).select_from(SurveyResponse).where(*where)).scalar_one()
    if responses < MIN_RESPONSES:
        hidden = [ItemSummary(item, 0, False) for item in (survey.likert if survey else ())]
        return ReactionSummary(course_id, responses, tuple(hidden), {})
    rows = db.session.execute(
        db.select(SurveyAnswer.item_id, SurveyAnswer.score, func.count())
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(*where, SurveyAnswer.score.is_not(None))
        .group_by(SurveyAnswer.item_id, SurveyAnswer.score)
    ).all()
    counts: dict[str, list[int]] = {}
    for item_id, score, count in rows:
        counts.setdefault(item_id, [0] * 5)[score - 1] = count
    likert = _items(survey, set(counts), ItemKind.LIKERT)
    summaries = tuple(item_figures(item, counts.get(item.id, [0] * 5)) for item in likert)
    texts = db.session.execute(
        db.select(SurveyAnswer.item_id, SurveyAnswer.text)
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(*where, SurveyAnswer.text.is_not(None))
        .order_by(SurveyAnswer.item_id, SurveyAnswer.text)
    ).all()
    open_answers: dict[str, list[str]] = {}
    for item_id, text in texts:
        open_answers.setdefault(item_id, []).append(text)
    wanted = {item.id for item in _items(survey, set(open_answers), ItemKind.OPEN)}
    return ReactionSummary(course_id, responses, summaries, {k: v for k, v in open_answers.items() if k in wanted})


@dataclass(frozen=True)
class UnitReaction:
    """One unit's responses to a course's survey: its mean per statement, or nothing below the minimum."""

    unit_id: int | None
    name: str
    responses: int
    means: dict[str, float]  # item id -> mean; empty when not shown

    @property
    def shown(self) -> bool:
        return self.responses >= MIN_RESPONSES


def reaction_by_unit(course_id: str) -> list[UnitReaction]:
    """Each unit's responses and (from MIN_RESPONSES on) its mean per statement (two queries).

    A unit is named with its parent ("Dinas Kesehatan › Sekretariat"): names repeat in the tree.
    """
    parent = aliased(Unit)
    counted = db.session.execute(
        db.select(SurveyResponse.unit_id, Unit.name, parent.name, func.count())
        .outerjoin(Unit, Unit.id == SurveyResponse.unit_id)
        .outerjoin(parent, parent.id == Unit.parent_id)
        .where(SurveyResponse.course_id == course_id)
        .group_by(SurveyResponse.unit_id, Unit.name, parent.name)
    ).all()
    large = [unit_id for unit_id, _name, _parent, count in counted if count >= MIN_RESPONSES and unit_id is not None]
    means: dict[int, dict[str, float]] = {}
    if large:
        rows = db.session.execute(
            db.select(SurveyResponse.unit_id, SurveyAnswer.item_id, func.avg(SurveyAnswer.score))
            .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
            .where(
                SurveyResponse.course_id == course_id,
                SurveyResponse.unit_id.in_(large),
                SurveyAnswer.score.is_not(None),
            )
            .group_by(SurveyResponse.unit_id, SurveyAnswer.item_id)
            .having(func.count() >= MIN_RESPONSES)
        ).all()
        for unit_id, item_id, mean in rows:
            means.setdefault(unit_id, {})[item_id] = float(mean)
    found = [
        UnitReaction(
            unit_id,
            (f"{parent_name} › {name}" if parent_name else name) if name else "(unit dihapus)",
            count,
            means.get(unit_id, {}) if count >= MIN_RESPONSES else {},
        )
        for unit_id, name, parent_name, count in counted
    ]
    return sorted(found, key=lambda unit: (-unit.responses, unit.name))
