"""The shipped courses' questions measure learning, not test-taking cues (issue: courses).

Per course, over its lesson quizzes and its exam:

- the key is the single longest option in at most 40% of single-choice items, and the
  single shortest in at most 40% (true/false items are not counted here); the figures come
  from ``elearn.catalog.itemcheck``, which warns about the same per quiz;
- true/false items are keyed "Benar" in 40-60% of cases;
- the exam pool holds at least 30 questions, with 15 drawn per attempt, so the post-test
  can draw questions the learner did not see in the pre-test;
- every lesson has 600-1,500 words.

``course_stats`` is also what the closing notes quote; run this file as a script to print it.
"""

from __future__ import annotations

import pytest

from elearn.catalog import Course, Question, load_catalog
from elearn.catalog.itemcheck import MAX_KEY_LENGTH_SHARE, is_single_choice, is_true_false, key_is_extreme, keyed_benar
from elearn.config import PROJECT_ROOT

CATALOG = load_catalog(PROJECT_ROOT / "courses")
TRUE_FALSE_BENAR = (0.40, 0.60)
MIN_POOL = 30
DRAW = 15


def all_questions(course: Course) -> list[Question]:
    questions = [q for lesson in course.lessons if lesson.quiz for q in lesson.quiz.questions]
    return questions + (list(course.exam.questions) if course.exam else [])


def course_stats(course: Course) -> dict:
    """Return the figures the standard is checked against, for one course."""
    questions = all_questions(course)
    single = [q for q in questions if is_single_choice(q)]
    true_false = [q for q in questions if is_true_false(q)]
    extremes = [key_is_extreme(q) for q in single]
    benar = sum(1 for q in true_false if keyed_benar(q))
    return {
        "lessons": len(course.lessons),
        "words": sum(lesson.words for lesson in course.lessons),
        "words_range": (min(lesson.words for lesson in course.lessons), max(lesson.words for lesson in course.lessons)),
        "questions": len(questions),
        "single_choice": len(single),
        "key_longest": sum(longest for longest, _ in extremes),
        "key_shortest": sum(shortest for _, shortest in extremes),
        "true_false": len(true_false),
        "true_false_benar": benar,
        "pool": len(course.exam.questions) if course.exam else 0,
        "draw": course.exam.questions_per_attempt if course.exam else 0,
    }


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def test_shipped_courses_load():
    assert CATALOG.problems == ()
    assert CATALOG.courses


@pytest.mark.parametrize("course", CATALOG.courses, ids=lambda c: c.id)
def test_the_key_is_not_the_longest_or_shortest_option_too_often(course):
    stats = course_stats(course)
    longest = [
        f"{q.line}: {q.text[:50]}" for q in all_questions(course) if is_single_choice(q) and key_is_extreme(q)[0]
    ]
    assert _share(stats["key_longest"], stats["single_choice"]) <= MAX_KEY_LENGTH_SHARE, (
        f"key is the longest option in {stats['key_longest']} of {stats['single_choice']}: {longest}"
    )
    assert _share(stats["key_shortest"], stats["single_choice"]) <= MAX_KEY_LENGTH_SHARE, (
        f"key is the shortest option in {stats['key_shortest']} of {stats['single_choice']}"
    )


@pytest.mark.parametrize("course", CATALOG.courses, ids=lambda c: c.id)
def test_true_false_keys_are_balanced(course):
    stats = course_stats(course)
    assert stats["true_false"] >= 4, "too few true/false items to balance"
    low, high = TRUE_FALSE_BENAR
    share = _share(stats["true_false_benar"], stats["true_false"])
    assert low <= share <= high, f"{stats['true_false_benar']} of {stats['true_false']} true/false keyed Benar"


@pytest.mark.parametrize("course", CATALOG.courses, ids=lambda c: c.id)
def test_exam_pool_lets_the_post_test_draw_unseen_questions(course):
    stats = course_stats(course)
    assert stats["pool"] >= MIN_POOL
    assert stats["draw"] == DRAW


@pytest.mark.parametrize("course", CATALOG.courses, ids=lambda c: c.id)
def test_lessons_are_600_to_1500_words(course):
    low, high = course_stats(course)["words_range"]
    assert low >= 600 and high <= 1500


if __name__ == "__main__":
    for shipped in CATALOG.courses:
        print(shipped.id, course_stats(shipped))
