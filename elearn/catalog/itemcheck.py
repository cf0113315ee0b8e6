"""Item-writing warnings: questions that can be answered by test-taking cues, or teach less than they could.

Computed from a loaded Course, never from files: a warning never hides a course, it tells the
trainer where a question could be better. Each warning about a question can be silenced for
that question with ``<!-- abaikan CODE: reason -->`` in the question (see docs/course-format.md);
the rules here are also the standard tests/test_course_quality.py holds the shipped courses to.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..quiz.types import choice
from ..quiz.types.cloze import BLANKS
from .messages import WARNINGS, question_label
from .model import Course, Problem, Question, Quiz, Silence

# The key may be the single longest (or shortest) option in at most this share of a quiz's
# single-choice questions; beyond it, length alone points to the answer.
MAX_KEY_LENGTH_SHARE = 0.40
# ... counted over at least this many single-choice questions: in a quiz of one or two, the key
# being the longest option is chance, not a habit of the writer (a 1-of-1 quiz was "100%").
KEY_LENGTH_MIN = 3
# True/false keys "nearly all one way": at least this share keyed the same, over at least
# TRUE_FALSE_MIN items (with fewer, one way or the other is chance).
TRUE_FALSE_ONE_WAY = 0.80
TRUE_FALSE_MIN = 3
# The exam pool should hold at least this many times the questions drawn per attempt, so the
# post-test can draw questions the learner did not meet in the pre-test.
POOL_PER_DRAW = 2

NEGATIVE = re.compile(r"\b(kecuali|tidak)\b", re.IGNORECASE)
EMPHASIS = (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), re.compile(r"(\*|_)(?=\S)(.+?)(?<=\S)\1"))
NOT_ONLY = re.compile(r"tidak\s+(?:hanya|sekadar|saja)\b", re.IGNORECASE)
SENTENCE_END = re.compile(r"[.?!:][\"”’')]*\s+")
QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”")
CODE_SPAN = re.compile(r"`[^`]*`")
ALL_OR_NONE = re.compile(
    r"\b(?:semua|seluruh)\s+(?:jawaban\s+|opsi\s+|pilihan\s+)?(?:(?:yang\s+)?di\s+atas|benar)\b"
    r"|\btidak\s+ada\s+(?:jawaban\s+|opsi\s+|pilihan\s+)?yang\s+benar\b",
    re.IGNORECASE,
)
QUIZ_CODES = {"exam-pool-small"}  # silenced by a marker under '## Kuis', not in a question
MARKER_CODES = {"silence-without-reason", "silence-unknown-code", "silence-misplaced"}  # never silenced
QUESTION_CODES = set(WARNINGS) - QUIZ_CODES - MARKER_CODES


def plain(markdown: str) -> str:
    """Return the visible text of an option: Markdown marks and repeated spaces removed."""
    return " ".join(re.sub(r"[*_`]", "", markdown).split())


def is_true_false(question: Question) -> bool:
    """Whether the question is a true/false item (single choice between Benar and Salah)."""
    return question.type == "single" and choice.is_true_false(question.options)


def is_single_choice(question: Question) -> bool:
    """Whether the question is a single-choice item other than true/false (the ones key length is judged on)."""
    return question.type == "single" and not is_true_false(question)


def key_is_extreme(question: Question) -> tuple[bool, bool]:
    """Return (the key is the single longest option, the key is the single shortest)."""
    lengths = [len(plain(option)) for option in question.options]
    key = lengths[question.correct[0]]
    others = [length for i, length in enumerate(lengths) if i != question.correct[0]]
    return all(key > other for other in others), all(key < other for other in others)


def keyed_benar(question: Question) -> bool:
    """Whether a true/false item's key is 'Benar'."""
    return question.options[question.correct[0]].casefold() == "benar"


def negative_word(question: Question) -> str | None:
    """Return 'kecuali' or 'tidak' as written in a choice question's stem when its negation is not emphasised.

    The stem's question is its last sentence: a 'tidak' in the scenario before it tells the
    story ("berkas tidak lengkap"), it does not turn the question around; nor does one in
    quoted speech, nor 'tidak hanya' (not only). 'Kecuali' does, wherever it stands. A stem
    that already emphasises a negative word has marked its negation.
    """
    if question.type not in ("single", "multiple"):
        return None
    stem = QUOTED.sub(" ", CODE_SPAN.sub(" ", BLANKS.sub(" ", question.text)))
    plain_stem = stem
    for emphasis in EMPHASIS:
        plain_stem = emphasis.sub(" ", plain_stem)
    if len(NEGATIVE.findall(plain_stem)) < len(NEGATIVE.findall(plain(stem))):
        return None  # a negative word is in bold or italics
    asked = SENTENCE_END.split(plain_stem.rstrip())[-1]
    for match in NEGATIVE.finditer(plain_stem):
        word = match.group(1)
        in_question = match.start() >= len(plain_stem.rstrip()) - len(asked)
        if word.lower() == "kecuali" or (in_question and not NOT_ONLY.match(plain_stem, match.start())):
            return word
    return None


def all_or_none_option(question: Question) -> str | None:
    """Return the first option like 'semua benar' or 'tidak ada yang benar', as shown."""
    if question.type not in ("single", "multiple"):
        return None
    return next((plain(option) for option in question.options if ALL_OR_NONE.search(plain(option))), None)


def course_warnings(course: Course) -> list[Problem]:
    """Every item-writing warning of a course, lesson quizzes first, then the exam."""
    found: list[Problem] = []
    for lesson in course.lessons:
        if lesson.quiz is not None:
            found.extend(quiz_warnings(lesson.quiz, lesson.path))
    if course.exam is not None:
        found.extend(quiz_warnings(course.exam, str(Path(course.path) / "exam.md"), exam=True))
    return found


def quiz_warnings(quiz: Quiz, path: str, exam: bool = False) -> list[Problem]:
    """The warnings of one lesson quiz or exam pool, in line order."""
    found = _marker_problems(quiz, path)
    silenced = {q.id: _silenced(q.silenced, QUESTION_CODES) for q in quiz.questions}

    def loud(question: Question, code: str) -> bool:
        return code not in silenced[question.id]

    single = [q for q in quiz.questions if is_single_choice(q)]
    for code, which in (("key-longest", 0), ("key-shortest", 1)):
        flagged = [q for q in single if key_is_extreme(q)[which] and loud(q, code)]
        if len(single) >= KEY_LENGTH_MIN and len(flagged) / len(single) > MAX_KEY_LENGTH_SHARE:
            found.append(
                Problem.of(
                    path,
                    flagged[0].line,
                    code,
                    count=len(flagged),
                    total=len(single),
                    limit=round(MAX_KEY_LENGTH_SHARE * 100),
                    lines=_lines(flagged),
                )
            )

    true_false = [q for q in quiz.questions if is_true_false(q) and loud(q, "true-false-one-way")]
    benar = [q for q in true_false if keyed_benar(q)]
    salah = [q for q in true_false if not keyed_benar(q)]
    major = max(benar, salah, key=len)
    if len(true_false) >= TRUE_FALSE_MIN and len(major) / len(true_false) >= TRUE_FALSE_ONE_WAY:
        key = "Benar" if major is benar else "Salah"
        found.append(
            Problem.of(
                path,
                major[0].line,
                "true-false-one-way",
                count=len(major),
                total=len(true_false),
                key=key,
                lines=_lines(major),
            )
        )

    for question in quiz.questions:
        label = question_label(BLANKS.sub("…", question.text))
        if (option := all_or_none_option(question)) and loud(question, "option-all-or-none"):
            found.append(Problem.of(path, question.line, "option-all-or-none", label=label, option=option))
        if (word := negative_word(question)) and loud(question, "negative-stem-plain"):
            found.append(Problem.of(path, question.line, "negative-stem-plain", label=label, word=word))
        if question.explanation is None and loud(question, "explanation-missing"):
            found.append(Problem.of(path, question.line, "explanation-missing", label=label))

    if exam:
        pool = len(quiz.questions)
        draw = quiz.questions_per_attempt or pool
        if pool < POOL_PER_DRAW * draw and "exam-pool-small" not in _silenced(quiz.silenced, QUIZ_CODES):
            found.append(Problem.of(path, 1, "exam-pool-small", pool=pool, draw=draw))
    return sorted(found, key=lambda problem: problem.line)


def _silenced(markers: tuple[Silence, ...], allowed: set[str]) -> set[str]:
    """The codes a question's (or quiz's) markers silence: known, in their place, with a reason."""
    return {m.code for m in markers if m.code in allowed and m.reason}


def _marker_problems(quiz: Quiz, path: str) -> list[Problem]:
    """A marker without a reason, with an unknown code, or in the wrong place silences nothing: say so."""
    found = []
    placed = [(m, QUIZ_CODES, "di bawah judul '## Kuis', sebelum soal pertama") for m in quiz.silenced]
    placed += [
        (m, QUESTION_CODES, "di dalam soal yang dimaksud, di bawah judul ###-nya")
        for q in quiz.questions
        for m in q.silenced
    ]
    for marker, allowed, where in placed:
        if marker.code not in QUESTION_CODES | QUIZ_CODES:
            found.append(Problem.of(path, marker.line, "silence-unknown-code", marked=marker.code))
        elif marker.code not in allowed:
            found.append(Problem.of(path, marker.line, "silence-misplaced", marked=marker.code, where=where))
        elif not marker.reason:
            found.append(Problem.of(path, marker.line, "silence-without-reason", marked=marker.code))
    return found


def _lines(questions: list[Question]) -> str:
    return ", ".join(str(q.line) for q in questions)
