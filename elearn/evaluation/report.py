"""The evaluation report: the three Kirkpatrick levels this app can measure, per course, for a scope.

Reaction (level 1, the anonymous survey: means and spread, nothing below MIN_RESPONSES),
learning (level 2, the pre-test to post-test gain with its number of learners) and
behaviour (level 3, the action plans: applied as the learners report, and as their supervisors
confirm, and the obstacles most named). Read for a unit subtree (a supervisor's, or a unit an
admin or trainer chose) or the whole regency, in a fixed number of queries per course, whatever
the number of learners. ``rows`` flattens it for the CSV and XLSX downloads.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..actionplan.models import PlanResult
from ..actionplan.summary import PlanSummary, plan_summary
from ..catalog.model import Course
from ..reports.scope import Scope
from ..reports.unit import CourseFigures, course_figures
from .responses import ReactionSummary, reaction_summary
from .survey import survey_for

HEADER = ("Unit", "Kursus", "Tingkat", "Ukuran", "Nilai", "Jumlah (n)")
REACTION, LEARNING, BEHAVIOUR = "1 Reaksi", "2 Pembelajaran", "3 Perilaku"


@dataclass(frozen=True)
class CourseEvaluation:
    course: Course
    reaction: ReactionSummary
    learning: CourseFigures
    behaviour: PlanSummary

    @property
    def reaction_mean(self) -> float | None:
        """The mean of the statements' means (None below the minimum of responses)."""
        means = [item.mean for item in self.reaction.items if item.shown and item.mean is not None]
        return sum(means) / len(means) if means else None

    @property
    def applied_share(self) -> float | None:
        """Plans done or partly done, of the plans followed up (as the learners report)."""
        summary = self.behaviour
        if not summary.followed_up:
            return None
        applied = summary.results.get(PlanResult.DONE, 0) + summary.results.get(PlanResult.PARTLY, 0)
        return applied / summary.followed_up


def evaluate(scope: Scope, courses: list[Course]) -> list[CourseEvaluation]:
    """Every course's three levels for the people of ``scope``."""
    units = None if scope.root is None else scope.units()
    learning = course_figures(scope, None, [course.id for course in courses])
    return [
        CourseEvaluation(
            course=course,
            reaction=reaction_summary(course.id, units, survey=survey_for(course.path)),
            learning=learning[course.id],
            behaviour=plan_summary(course.id, units),
        )
        for course in courses
    ]


def rows(scope: Scope, evaluations: list[CourseEvaluation]) -> Iterator[list]:
    """One row per figure: unit, course, level, measure, value, n (figures below the minimum are left out)."""
    for found in evaluations:

        def row(level: str, measure: str, value, n=None, title=found.course.title) -> list:
            return [scope.title, title, level, measure, _plain(value), n]

        yield row(REACTION, "Jawaban survei", found.reaction.responses)
        for item in found.reaction.items:
            if item.shown:
                yield row(REACTION, f"{item.item.text}: rata-rata (1-5)", item.mean, item.n)
                yield row(REACTION, f"{item.item.text}: simpangan baku", item.sd, item.n)
        figures = found.learning
        yield row(LEARNING, "Peserta memulai", figures.started)
        yield row(LEARNING, "Peserta selesai", figures.completed)
        yield row(LEARNING, "Rata-rata pre-test", figures.pre_avg, figures.pre_n)
        yield row(LEARNING, "Rata-rata post-test", figures.post_avg, figures.post_n)
        yield row(LEARNING, "Rata-rata peningkatan (post - pre)", figures.gain_avg, figures.gain_n)
        plans = found.behaviour
        yield row(BEHAVIOUR, "Rencana aksi ditulis", plans.written)
        yield row(BEHAVIOUR, "Rencana aksi dilaporkan peserta", plans.followed_up, plans.written)
        for result, count in plans.results.items():
            yield row(BEHAVIOUR, f"Laporan peserta: {result.label} (%)", _percent(count, plans.followed_up), count)
        yield row(BEHAVIOUR, "Dikonfirmasi atasan", plans.confirmed, plans.written)
        yield row(BEHAVIOUR, "Rata-rata penilaian atasan (1-4)", plans.average_rating, plans.confirmed)
        for obstacle, count in plans.obstacles:
            yield row(BEHAVIOUR, f"Hambatan: {obstacle.label}", count)


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _plain(value):
    return round(value, 2) if isinstance(value, float) else value
