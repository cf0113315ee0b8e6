"""One course file -> plain data, with every problem collected as ``path:line: message``.

The parser never raises on bad content: it records a Problem and goes on, so a trainer
sees every mistake of a file in one run of the checker.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml

from ..quiz import types
from ..quiz.types.base import QuestionBlock
from ..quiz.types.choice import RADIO
from ..quiz.types.cloze import BLANKS
from .messages import question_label
from .model import LEVELS, Problem, Question, Quiz, ReviewPolicy, Silence
from .render import Renderer

QUIZ_HEADING = re.compile(r"^##\s+(kuis|quiz)\s*#*\s*$", re.IGNORECASE)
QUESTION_HEADING = re.compile(r"^###\s+(.*?)\s*#*\s*$")
HEADING_ATTRS = re.compile(r"\s*\{([^{}]*)\}\s*$")
SILENCE = re.compile(r"^\s*<!--\s*abaikan\s+(\S+?)\s*(?::\s*(.*?))?\s*-->\s*$", re.IGNORECASE)
QUOTE = re.compile(r"^>\s?(.*)$")
FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
ASSET_REF = re.compile(r"\]\(\s*<?((?:\./)?assets/[^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
REMOTE_IMAGE = re.compile(
    r"!\[[^\]]*\]\(\s*<?\s*(?:[a-z][a-z0-9+.-]*:|//)|<img\b[^>]*\bsrc\s*=\s*[\"']?\s*(?:[a-z][a-z0-9+.-]*:|//)", re.I
)

MAX_ID = 100  # course, lesson and question ids are stored in 100-character columns
READING_WORDS_PER_MINUTE = 180
MINUTES_PER_QUESTION = 1


@dataclass
class Source:
    """The text of one file, where it starts, and the problems found in it so far."""

    path: Path
    display: str
    problems: list[Problem] = field(default_factory=list)

    def problem(self, line: int, code: str, **params: object) -> None:
        self.problems.append(Problem.of(self.display, line, code, **params))


def read_text(source: Source) -> str | None:
    """Return the file's text, or None after recording why it cannot be read."""
    try:
        raw = source.path.read_bytes()
    except OSError as exc:
        source.problem(1, "file-unreadable", reason=exc.strerror)
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        source.problem(line, "file-not-utf8")
        return None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


# --- front matter -----------------------------------------------------------------------

# A front matter value's check: (the value as used, None) or (None, the problem's code).
Check = Callable[[Any], tuple[Any, str | None]]


def _text(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, str) and value.strip():
        return value.strip(), None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value), None
    return None, "value-not-text"


def _positive_int(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value, None
    return None, "value-not-positive"


def _optional_positive_int(value: Any) -> tuple[Any, str | None]:
    if value is None:
        return None, None
    return _positive_int(value)


def _int(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, int) and not isinstance(value, bool):
        return value, None
    return None, "value-not-whole"


def _percent(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 100:
        return value, None
    return None, "value-not-percent"


def _bool(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, bool):
        return value, None
    return None, "value-not-boolean"


def _level(value: Any) -> tuple[Any, str | None]:
    if value in LEVELS:
        return value, None
    return None, "value-not-allowed"


def _review(value: Any) -> tuple[Any, str | None]:
    if value in set(ReviewPolicy):
        return ReviewPolicy(value), None
    return None, "value-not-allowed"


def _text_list(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, str) and value.strip():
        return (value.strip(),), None
    if (
        isinstance(value, list)
        and value
        and all(isinstance(item, (str, int, float)) and str(item).strip() for item in value)
    ):
        return tuple(str(item).strip() for item in value), None
    return None, "value-not-text-list"


ALLOWED = {"level": LEVELS, "review": tuple(ReviewPolicy)}  # the choices a 'value-not-allowed' names


def _follow_up_days(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, int) and not isinstance(value, bool) and 7 <= value <= 365:
        return value, None
    return None, "value-not-days"


COURSE_KEYS: dict[str, Check] = {
    "title": _text,
    "summary": _text,
    "jp": _positive_int,
    "order": _int,
    "level": _level,
    "competency": _text,
    "objectives": _text_list,
    "pass_score": _percent,
    "authors": _text_list,
    "review": _review,
    "follow_up_days": _follow_up_days,
}
LESSON_KEYS: dict[str, Check] = {
    "title": _text,
    "minutes": _positive_int,
    "objectives": _text_list,
    "pass_score": _percent,
    "attempts": _optional_positive_int,
    "shuffle": _bool,
    "review": _review,
}
EXAM_KEYS: dict[str, Check] = {
    "title": _text,
    "pass_score": _percent,
    "attempts": _optional_positive_int,
    "time_limit": _positive_int,
    "questions_per_attempt": _positive_int,
    "shuffle": _bool,
}


def front_matter(
    source: Source, text: str, keys: dict[str, Check], required: tuple[str, ...]
) -> tuple[dict[str, Any], list[str], int]:
    """Split off the YAML front matter; return its checked values, the body lines and
    the file line number of the first body line."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        if required:
            missing = ", ".join(required)
            source.problem(1, "front-matter-missing", keys=missing)
        return {}, lines, 1
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        source.problem(1, "front-matter-unclosed")
        return {}, lines[1:], 2
    values: dict[str, Any] = {}
    try:
        node = yaml.compose("\n".join(lines[1:end]), Loader=yaml.SafeLoader)
        data = yaml.safe_load("\n".join(lines[1:end])) if node is not None else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        reason = getattr(exc, "problem", None) or "invalid YAML"
        source.problem(line, "front-matter-yaml", reason=reason)
        return {}, lines[end + 1 :], end + 2
    if node is not None and not isinstance(data, dict):
        source.problem(2, "front-matter-not-mapping")
        return {}, lines[end + 1 :], end + 2
    key_lines = {}
    if isinstance(node, yaml.MappingNode):
        key_lines = {k.value: k.start_mark.line + 2 for k, _ in node.value}
    for key, value in (data or {}).items():
        line = key_lines.get(str(key), 2)
        check = keys.get(str(key))
        if check is None:
            source.problem(line, "front-matter-unknown-key", key=key, allowed=", ".join(keys))
            continue
        checked, error = check(value)
        if error:
            source.problem(line, error, key=key, allowed=", ".join(ALLOWED.get(str(key), ())))
        else:
            values[str(key)] = checked
    for key in required:
        if key not in (data or {}):
            source.problem(1, "front-matter-key-missing", key=key)
    return values, lines[end + 1 :], end + 2


# --- helpers ----------------------------------------------------------------------------


def slugify(text: str, limit: int = 60) -> str:
    """Return a lowercase ASCII id made of the words of ``text``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug


def count_words(text: str) -> int:
    """Return the number of whitespace-separated words of a Markdown text."""
    return len(text.split())


def estimate_minutes(words: int, questions: int) -> int:
    """Estimate study time: reading at 180 words a minute plus a minute per quiz question."""
    return max(1, math.ceil(words / READING_WORDS_PER_MINUTE)) + questions * MINUTES_PER_QUESTION


def check_asset_links(source: Source, lines: list[str], first_line: int, course_dir: Path) -> None:
    """Record a problem for every link or image into assets/ whose file does not exist."""
    assets = (course_dir / "assets").resolve()
    for offset, line in enumerate(lines):
        if REMOTE_IMAGE.search(line):
            source.problem(first_line + offset, "image-remote")
        for match in ASSET_REF.finditer(line):
            target = unquote(match.group(1)).split("#", 1)[0].split("?", 1)[0]
            try:
                path = (course_dir / target).resolve()
            except (ValueError, OSError):  # a NUL byte or a name the system refuses
                source.problem(first_line + offset, "asset-link-invalid", link=match.group(1))
                continue
            if not path.is_relative_to(assets):
                source.problem(first_line + offset, "asset-link-outside", link=match.group(1))
            elif not path.is_file():
                source.problem(first_line + offset, "asset-missing", link=match.group(1))


NEAR_QUIZ_HEADING = re.compile(r"^#{2,3}\s+(kuis|quiz)\b", re.IGNORECASE)


def check_lesson_text(source: Source, lines: list[str], first_line: int) -> None:
    """Flag quiz syntax in lesson text: it would be shown to learners, answers and all."""
    fence = None
    for offset, line in enumerate(lines):
        match = FENCE.match(line)
        if match:
            marker = match.group(1)
            fence = marker[0] * 3 if fence is None else (None if marker.startswith(fence) else fence)
            continue
        if fence is not None:
            continue
        if NEAR_QUIZ_HEADING.match(line):
            source.problem(first_line + offset, "quiz-heading-near-miss", heading=line.strip())
        elif RADIO.match(line):
            source.problem(first_line + offset, "lesson-text-option")


def split_quiz(lines: list[str]) -> int | None:
    """Return the index of the quiz heading line, ignoring headings inside code blocks."""
    fence = None
    for i, line in enumerate(lines):
        match = FENCE.match(line)
        if match:
            marker = match.group(1)
            if fence is None:
                fence = marker[0] * 3
            elif marker.startswith(fence):
                fence = None
            continue
        if fence is None and QUIZ_HEADING.match(line):
            return i
    return None


# --- quizzes ----------------------------------------------------------------------------


def parse_quiz_section(
    source: Source,
    lines: list[str],
    first_line: int,
    heading_line: int,
    renderer: Renderer,
    settings: dict[str, Any],
) -> Quiz | None:
    """Parse the lines after a ``## Kuis`` heading into a Quiz (None if it has errors)."""
    blocks: list[tuple[int, str, list[tuple[int, str]], list[Silence]]] = []
    intro: list[str] = []
    quiz_silenced: list[Silence] = []
    fence = None
    for offset, line in enumerate(lines):
        number = first_line + offset
        match = FENCE.match(line)
        if match:
            marker = match.group(1)
            fence = marker[0] * 3 if fence is None else (None if marker.startswith(fence) else fence)
        heading = QUESTION_HEADING.match(line) if fence is None else None
        silence = SILENCE.match(line) if fence is None else None
        if heading:
            blocks.append((number, heading.group(1), [], []))
        elif silence:
            # A marker belongs to the question it stands in (the quiz, above the first question);
            # it is taken out of the text, so it never reaches the answers or the page.
            found = Silence(silence.group(1).lower(), (silence.group(2) or "").strip(), number)
            (blocks[-1][3] if blocks else quiz_silenced).append(found)
        elif blocks:
            blocks[-1][2].append((number, line))
        else:
            if fence is None and line.startswith("## "):
                source.problem(number, "quiz-stray-heading")
            intro.append(line)
    if not blocks:
        source.problem(heading_line, "quiz-empty")
        return None
    before = len(source.problems)
    questions: list[Question] = []
    seen: dict[str, int] = {}
    for number, heading, body, silenced in blocks:
        question = _parse_question(source, number, heading, body, renderer, len(questions) + 1)
        if question is not None and silenced:
            question = replace(question, silenced=tuple(silenced))
        if question is None:
            continue
        if question.id in seen:
            source.problem(number, "question-id-duplicate", qid=question.id, first=seen[question.id])
            continue
        seen[question.id] = number
        questions.append(question)
    if len(source.problems) > before:
        return None
    return Quiz(
        questions=tuple(questions),
        pass_score=settings.get("pass_score", 70),
        attempts=settings.get("attempts"),
        shuffle=settings.get("shuffle", True),
        title=settings.get("title"),
        time_limit=settings.get("time_limit"),
        questions_per_attempt=settings.get("questions_per_attempt"),
        review=settings.get("review", ReviewPolicy.AFTER_PASS),
        silenced=tuple(quiz_silenced),
        intro_html=renderer.block("\n".join(intro)) if "".join(intro).strip() else "",
    )


def _parse_question(
    source: Source,
    line: int,
    heading: str,
    body: list[tuple[int, str]],
    renderer: Renderer,
    index: int,
) -> Question | None:
    """Split a question into prompt, answers and explanation; its type (from the registry) reads the answers."""
    before = len(source.problems)
    text, qid, points = _heading_attrs(source, line, heading)
    label = question_label(BLANKS.sub("…", text))
    if not text:
        source.problem(line, "question-no-text")
    prompt, answers, explanation = _split_question(source, label, body)
    block = QuestionBlock(line, label, text, "\n".join(prompt).strip(), answers, source.problem, renderer)
    qtype = types.type_for(block)
    if qtype is None:
        if answers:
            source.problem(line, "question-mixed-answers", label=label)
        else:
            source.problem(line, "question-no-answers", label=label)
        return None
    parsed = qtype.parse(block)
    if parsed is None or len(source.problems) > before:
        return None
    explanation_text = "\n".join(explanation).strip() or None
    prompt_text = block.prompt
    return Question(
        id=qid or slugify(BLANKS.sub(" ", text)) or f"q{index}",
        type=qtype.name,
        text=text,
        points=points,
        line=line,
        prompt_html=parsed.prompt_html or renderer.block(text if not prompt_text else f"{text}\n\n{prompt_text}"),
        options=parsed.options,
        options_html=parsed.options_html,
        correct=parsed.correct,
        feedback=parsed.feedback,
        feedback_html=parsed.feedback_html,
        explanation=explanation_text,
        explanation_html=renderer.block(explanation_text) if explanation_text else None,
        extra=parsed.extra,
        json=parsed.json,
    )


def _split_question(
    source: Source, label: str, body: list[tuple[int, str]]
) -> tuple[list[str], list[tuple[int, str]], list[str]]:
    """Return a question's prompt lines, answer lines and explanation lines.

    Answers start at the first line (outside code) that starts any registered type's answers;
    the explanation is the blockquote after them. Without answer lines, a blockquote ending
    the question is its explanation (fill-in-the-blank questions have no answer list).
    """
    starts = [t.answer_start for t in types.registered() if t.answer_start is not None]
    prompt: list[str] = []
    answers: list[tuple[int, str]] = []
    explanation: list[str] = []
    state = "prompt"
    fence = None
    for number, raw in body:
        if state == "prompt":
            match = FENCE.match(raw)
            if fence is not None or match:
                if match:
                    marker = match.group(1)
                    fence = marker[0] * 3 if fence is None else (None if marker.startswith(fence) else fence)
                prompt.append(raw)
                continue
            if not any(pattern.match(raw) for pattern in starts):
                prompt.append(raw)
                continue
            state = "answers"
        if state == "answers":
            if quote := QUOTE.match(raw):
                state = "explanation"
                explanation.append(quote.group(1))
            else:
                answers.append((number, raw))
            continue
        if quote := QUOTE.match(raw):
            explanation.append(quote.group(1))
        elif not raw.strip():
            explanation.append("")
        else:
            source.problem(number, "explanation-stray-text", label=label)
    if not answers:
        prompt, explanation = _trailing_quote(prompt)
    return prompt, answers, explanation


def _trailing_quote(lines: list[str]) -> tuple[list[str], list[str]]:
    """Split off a blockquote that ends the lines (after a blank line): the explanation."""
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    start = end
    while start and QUOTE.match(lines[start - 1]):
        start -= 1
    if start == end or (start and lines[start - 1].strip()):
        return lines, []
    return lines[:start], [QUOTE.match(line).group(1) for line in lines[start:end]]


def _heading_attrs(source: Source, line: int, heading: str) -> tuple[str, str | None, int]:
    match = HEADING_ATTRS.search(heading)
    if not match:
        return heading.strip(), None, 1
    text = heading[: match.start()].strip()
    qid, points = None, 1
    for token in match.group(1).split():
        if token.startswith("#"):
            qid = token[1:]
            if not ID_RE.match(qid):
                source.problem(line, "question-id-invalid", qid=qid)
            elif len(qid) > MAX_ID:
                source.problem(line, "question-id-too-long", qid=qid[:20], limit=MAX_ID)
        elif token.startswith("points="):
            value = token.removeprefix("points=")
            if re.fullmatch(r"[0-9]{1,3}", value) and int(value) > 0:
                points = int(value)
            else:
                source.problem(line, "question-points-invalid", value=value)
        else:
            source.problem(line, "question-attribute-unknown", token=token)
    return text, qid, points
