"""The trainers' pages: course health, a preview of every course as learners see it (with the
keys), each course's results, and the analysis of each quiz's questions.

Nothing here writes: a trainer's preview records no progress and no attempt.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass

from flask import Blueprint, Response, abort, render_template, request

from ..auth.access import role_required
from ..catalog.model import Course, Quiz
from ..catalog.search import plain_text
from ..library import current_catalog, current_library
from ..models import EXAM
from ..quiz.snapshot import ShownQuestion
from ..quiz.types import question_type
from .analysis import FLAG_LABELS, MIN_ANSWERS, Flag, analyse
from .health import course_health
from .results import course_results

bp = Blueprint("trainer", __name__, url_prefix="/pelatih")
EXAM_SLUG = "ujian"  # the exam in URLs (a reserved lesson id, so never a lesson's)


@bp.before_request
@role_required("trainer", "admin")
def trainers_only():
    """Every page here is for trainers and admins."""


@dataclass
class TrainerCourse:
    """A course as its trainers may see it: a published one, or what could be read of a hidden one."""

    course: Course
    published: bool
    problems: int


def _course_or_404(course_id: str) -> TrainerCourse:
    catalog = current_catalog()
    course = catalog.course(course_id)
    if course is not None:
        return TrainerCourse(course, True, 0)
    broken = next((b for b in catalog.broken if b.id == course_id), None)
    if broken is None or broken.partial is None:
        abort(404)
    return TrainerCourse(broken.partial, False, len(broken.problems))


def _quiz_or_404(course: Course, quiz_id: str) -> tuple[Quiz, str]:
    """The quiz a URL names (a lesson's, or the exam's), and its title."""
    if quiz_id == EXAM_SLUG:
        if course.exam is None:
            abort(404)
        return course.exam, "Ujian (pre-test dan post-test)"
    lesson = course.lesson(quiz_id)
    if lesson is None or lesson.quiz is None:
        abort(404)
    return lesson.quiz, f"Kuis: {lesson.title}"


@dataclass
class PreviewQuestion:
    number: int
    source: object  # the Question as written
    shown: ShownQuestion
    template: str
    label: str


def _preview(quiz: Quiz) -> list[PreviewQuestion]:
    """Every question of the pool in the file's order, shown as a learner would see it (unshuffled)."""
    rng = random.Random(0)
    found = []
    for number, question in enumerate(quiz.questions, start=1):
        qtype = question_type(question.type)
        found.append(PreviewQuestion(number, question, qtype.show(question, False, rng), qtype.template, qtype.label))
    return found


@bp.route("/")
def health():
    """Every course: published or hidden with its errors, last change, size, pool, warnings."""
    return render_template("trainer/health.html", rows=course_health(current_catalog(), current_library()))


@bp.route("/<course_id>/")
def course(course_id: str):
    """A course's overview as learners see it, with the way to each lesson, quiz and the exam."""
    found = _course_or_404(course_id)
    return render_template("trainer/course.html", found=found, course=found.course, exam_slug=EXAM_SLUG)


@bp.route("/<course_id>/pelajaran/<lesson_id>")
def lesson(course_id: str, lesson_id: str):
    """A lesson as learners read it, then its quiz laid out for checking: every question with its key."""
    found = _course_or_404(course_id)
    lesson = found.course.lesson(lesson_id)
    if lesson is None:
        abort(404)
    before, after = found.course.neighbours(lesson.id)
    return render_template(
        "trainer/lesson.html",
        found=found,
        course=found.course,
        lesson=lesson,
        number=found.course.lessons.index(lesson) + 1,
        before=before,
        after=after,
        questions=_preview(lesson.quiz) if lesson.quiz else [],
    )


@bp.route(f"/<course_id>/{EXAM_SLUG}")
def exam(course_id: str):
    """The exam's whole pool with its keys (each attempt draws from it)."""
    found = _course_or_404(course_id)
    if found.course.exam is None:
        abort(404)
    return render_template(
        "trainer/exam.html",
        found=found,
        course=found.course,
        exam=found.course.exam,
        questions=_preview(found.course.exam),
    )


@bp.route("/<course_id>/hasil")
def results(course_id: str):
    """How learners do in the course: started, completed, pre/post/gain, quiz pass rates, where they stop."""
    found = _course_or_404(course_id)
    return render_template(
        "trainer/results.html",
        found=found,
        course=found.course,
        results=course_results(found.course),
        exam_id=EXAM,
        exam_slug=EXAM_SLUG,
    )


def _analysis(course_id: str, quiz_id: str):
    found = _course_or_404(course_id)
    quiz, title = _quiz_or_404(found.course, quiz_id)
    stored_id = EXAM if quiz_id == EXAM_SLUG else quiz_id
    all_attempts = request.args.get("percobaan") == "semua"
    return found, title, analyse(found.course.id, stored_id, quiz, all_attempts)


@bp.route("/<course_id>/analisis/<quiz_id>")
def analysis(course_id: str, quiz_id: str):
    """Each question's facility, discrimination and option picks, with what stands out."""
    found, title, result = _analysis(course_id, quiz_id)
    return render_template(
        "trainer/analysis.html",
        found=found,
        course=found.course,
        quiz_id=quiz_id,
        title=title,
        result=result,
        flag_labels=FLAG_LABELS,
        min_answers=MIN_ANSWERS,
        flags=list(Flag),
    )


@bp.route("/<course_id>/analisis/<quiz_id>/unduh.csv")
def analysis_csv(course_id: str, quiz_id: str):
    """The analysis as CSV: one row per question (and its options' picks)."""
    found, _title, result = _analysis(course_id, quiz_id)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(
        ["no", "id_soal", "jenis", "jawaban", "indeks_kemudahan", "indeks_daya_beda", "tanda", "pilihan_dipilih"]
    )
    for stats in result.questions:
        picks = "; ".join(
            f"{'*' if option.correct else ''}{plain_text(option.html)}: {option.picked}" for option in stats.options
        )
        writer.writerow(
            [
                stats.number or "",
                stats.id,
                stats.question.type if stats.question else "(dihapus dari berkas)",
                stats.answers,
                "" if stats.facility is None else stats.facility,
                "" if stats.discrimination is None else stats.discrimination,
                ", ".join(flag.label for flag in stats.flags),
                picks,
            ]
        )
    name = f"analisis-{found.course.id}-{quiz_id}.csv"
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
