"""The courses shipped in courses/ meet the bar set for them (see also test_course_quality.py)."""

from __future__ import annotations

import pytest

from elearn.catalog import load_catalog
from elearn.config import PROJECT_ROOT

CATALOG = load_catalog(PROJECT_ROOT / "courses")
EXPECTED = {
    "manajemen-waktu",
    "komunikasi-efektif",
    "pemecahan-masalah",
    "etika-integritas-asn",
    "literasi-digital-asn",
    "memimpin-pembelajaran-tim",
}


def test_the_six_courses_load_without_problems():
    assert CATALOG.problems == ()
    assert {course.id for course in CATALOG.courses} >= EXPECTED


@pytest.mark.parametrize("course", CATALOG.courses, ids=lambda c: c.id)
def test_course_front_matter_is_complete(course):
    assert course.summary and course.objectives and course.level and course.competency
    assert 2 <= course.jp <= 6


@pytest.mark.parametrize("course", CATALOG.courses, ids=lambda c: c.id)
def test_course_has_5_to_8_lessons_of_600_to_1500_words(course):
    assert 5 <= len(course.lessons) <= 8
    for lesson in course.lessons:
        assert 600 <= lesson.words <= 1500, f"{lesson.path}: {lesson.words} words"
        titles = " ".join(h.title.lower() for h in lesson.toc)
        assert "rangkuman" in titles, f"{lesson.path}: no summary section"
        assert any(word in titles for word in ("latihan", "studi kasus", "kasus")), f"{lesson.path}: no exercise"


@pytest.mark.parametrize("course", CATALOG.courses, ids=lambda c: c.id)
def test_every_lesson_quiz_has_5_mixed_questions_with_explanations(course):
    for lesson in course.lessons:
        quiz = lesson.quiz
        assert quiz is not None and len(quiz.questions) >= 5, lesson.path
        assert len({q.type for q in quiz.questions}) >= 3, f"{lesson.path}: too few question types"
        for question in quiz.questions:
            assert question.explanation, f"{lesson.path}:{question.line}: no explanation"
            if question.type in ("single", "multiple"):
                wrong = [f for i, f in enumerate(question.feedback) if i not in question.correct]
                assert any(wrong), f"{lesson.path}:{question.line}: no feedback on a wrong option"


@pytest.mark.parametrize("course", CATALOG.courses, ids=lambda c: c.id)
def test_exam_pool_of_30_and_a_draw_of_15(course):
    exam = course.exam
    assert exam is not None and len(exam.questions) >= 30
    assert exam.questions_per_attempt == 15
    assert all(question.explanation for question in exam.questions)
    lesson_texts = {q.text for lesson in course.lessons for q in lesson.quiz.questions}
    assert not lesson_texts & {q.text for q in exam.questions}, "exam repeats a lesson question word for word"
