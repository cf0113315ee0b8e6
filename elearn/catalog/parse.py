"""One course file -> plain data, with every problem collected as ``path:line: message``.

The parser never raises on bad content: it records a Problem and goes on, so a trainer
sees every mistake of a file in one run of the checker.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml

from .model import LEVELS, Problem, Question, Quiz, ReviewPolicy
from .render import Renderer

QUIZ_HEADING = re.compile(r"^##\s+(kuis|quiz)\s*#*\s*$", re.IGNORECASE)
QUESTION_HEADING = re.compile(r"^###\s+(.*?)\s*#*\s*$")
HEADING_ATTRS = re.compile(r"\s*\{([^{}]*)\}\s*$")
RADIO = re.compile(r"^[-*+]\s+\(([ xX])\)\s+(.*\S)\s*$")
CHECK = re.compile(r"^[-*+]\s+\[([ xX])\]\s+(.*\S)\s*$")
EQUALS = re.compile(r"^=\s*(.*?)\s*$")
ORDERED = re.compile(r"^\d{1,3}[.)]\s+(.*\S)\s*$")
FEEDBACK = re.compile(r"^\s{2,}>\s?(.*)$")
QUOTE = re.compile(r"^>\s?(.*)$")
FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
NUMBER = r"[-+]?\d+(?:[.,]\d+)?"
UNIT = r"%|[^\W\d_][^\d+±=]{0,29}?"  # '%', or a word or two: 'jam', 'hari kerja', 'km/jam'
NUMERIC = re.compile(rf"^({NUMBER})(?:\s*(?:\+-|±|\+/-)\s*({NUMBER}))?(?:\s*({UNIT}))?$")
TOLERANCE = re.compile(r"(\+-|±|\+/-)")
ASSET_REF = re.compile(r"\]\(\s*<?((?:\./)?assets/[^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

MAX_ID = 100  # course, lesson and question ids are stored in 100-character columns
READING_WORDS_PER_MINUTE = 180
MINUTES_PER_QUESTION = 1


@dataclass
class Source:
    """The text of one file, where it starts, and the problems found in it so far."""

    path: Path
    display: str
    problems: list[Problem] = field(default_factory=list)

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.display, line, message))


def read_text(source: Source) -> str | None:
    """Return the file's text, or None after recording why it cannot be read."""
    try:
        raw = source.path.read_bytes()
    except OSError as exc:
        source.problem(1, f"file cannot be read: {exc.strerror}")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        source.problem(line, "file is not UTF-8 (save it as UTF-8 in your editor)")
        return None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


# --- front matter -----------------------------------------------------------------------

Check = Callable[[Any], tuple[Any, str | None]]


def _text(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, str) and value.strip():
        return value.strip(), None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value), None
    return None, "must be a non-empty text"


def _positive_int(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value, None
    return None, "must be a whole number greater than 0"


def _optional_positive_int(value: Any) -> tuple[Any, str | None]:
    if value is None:
        return None, None
    return _positive_int(value)


def _int(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, int) and not isinstance(value, bool):
        return value, None
    return None, "must be a whole number"


def _percent(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 100:
        return value, None
    return None, "must be a whole number from 1 to 100 (percent)"


def _bool(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, bool):
        return value, None
    return None, "must be true or false"


def _level(value: Any) -> tuple[Any, str | None]:
    if value in LEVELS:
        return value, None
    return None, "must be one of: " + ", ".join(LEVELS)


def _review(value: Any) -> tuple[Any, str | None]:
    if value in set(ReviewPolicy):
        return ReviewPolicy(value), None
    return None, "must be one of: " + ", ".join(ReviewPolicy)


def _text_list(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, str) and value.strip():
        return (value.strip(),), None
    if (
        isinstance(value, list)
        and value
        and all(isinstance(item, (str, int, float)) and str(item).strip() for item in value)
    ):
        return tuple(str(item).strip() for item in value), None
    return None, "must be a list of texts"


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
            source.problem(1, f"missing front matter: start the file with a '---' line, then {missing}")
        return {}, lines, 1
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        source.problem(1, "front matter is not closed: add a '---' line after it")
        return {}, lines[1:], 2
    values: dict[str, Any] = {}
    try:
        node = yaml.compose("\n".join(lines[1:end]), Loader=yaml.SafeLoader)
        data = yaml.safe_load("\n".join(lines[1:end])) if node is not None else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        reason = getattr(exc, "problem", None) or "invalid YAML"
        source.problem(line, f"front matter is not valid YAML: {reason}")
        return {}, lines[end + 1 :], end + 2
    if node is not None and not isinstance(data, dict):
        source.problem(2, "front matter must be 'key: value' lines")
        return {}, lines[end + 1 :], end + 2
    key_lines = {}
    if isinstance(node, yaml.MappingNode):
        key_lines = {k.value: k.start_mark.line + 2 for k, _ in node.value}
    for key, value in (data or {}).items():
        line = key_lines.get(str(key), 2)
        check = keys.get(str(key))
        if check is None:
            source.problem(line, f"unknown front matter key '{key}' (allowed: {', '.join(keys)})")
            continue
        checked, error = check(value)
        if error:
            source.problem(line, f"'{key}' {error}")
        else:
            values[str(key)] = checked
    for key in required:
        if key not in (data or {}):
            source.problem(1, f"missing front matter key '{key}'")
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
        for match in ASSET_REF.finditer(line):
            target = unquote(match.group(1)).split("#", 1)[0].split("?", 1)[0]
            try:
                path = (course_dir / target).resolve()
            except (ValueError, OSError):  # a NUL byte or a name the system refuses
                source.problem(first_line + offset, f"link '{match.group(1)}' is not a valid file name")
                continue
            if not path.is_relative_to(assets):
                source.problem(first_line + offset, f"link '{match.group(1)}' points outside assets/")
            elif not path.is_file():
                source.problem(first_line + offset, f"linked file '{match.group(1)}' does not exist")


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
            source.problem(
                first_line + offset,
                f"'{line.strip()}' is not a quiz heading: write exactly '## Kuis', "
                "or the questions are shown as lesson text",
            )
        elif RADIO.match(line):
            source.problem(
                first_line + offset,
                "answer option '- ( )' in the lesson text: put questions after a '## Kuis' heading",
            )


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


@dataclass
class _Option:
    line: int
    kind: str  # "radio" or "check"
    correct: bool
    text: list[str]
    feedback: list[str] = field(default_factory=list)


def parse_quiz_section(
    source: Source,
    lines: list[str],
    first_line: int,
    heading_line: int,
    renderer: Renderer,
    settings: dict[str, Any],
) -> Quiz | None:
    """Parse the lines after a ``## Kuis`` heading into a Quiz (None if it has errors)."""
    blocks: list[tuple[int, str, list[tuple[int, str]]]] = []
    intro: list[str] = []
    fence = None
    for offset, line in enumerate(lines):
        number = first_line + offset
        match = FENCE.match(line)
        if match:
            marker = match.group(1)
            fence = marker[0] * 3 if fence is None else (None if marker.startswith(fence) else fence)
        heading = QUESTION_HEADING.match(line) if fence is None else None
        if heading:
            blocks.append((number, heading.group(1), []))
        elif blocks:
            blocks[-1][2].append((number, line))
        else:
            if fence is None and line.startswith("## "):
                source.problem(number, "only ### question headings may follow the quiz heading")
            intro.append(line)
    if not blocks:
        source.problem(heading_line, "quiz heading with no questions (write each question as a ### heading)")
        return None
    before = len(source.problems)
    questions: list[Question] = []
    seen: dict[str, int] = {}
    for number, heading, body in blocks:
        question = _parse_question(source, number, heading, body, renderer, len(questions) + 1)
        if question is None:
            continue
        if question.id in seen:
            source.problem(number, f"duplicate question id '{question.id}' (first used on line {seen[question.id]})")
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
    before = len(source.problems)
    text, qid, points = _heading_attrs(source, line, heading)
    label = f'question "{_short(text)}"'
    if not text:
        source.problem(line, "question heading has no text")
    prompt: list[str] = []
    options: list[_Option] = []
    answers: list[tuple[int, str]] = []
    items: list[tuple[int, list[str]]] = []
    explanation: list[str] = []
    state = "prompt"
    fence = None
    current: list[str] | None = None  # the text lines the next indented line continues
    current_option: _Option | None = None
    for number, raw in body:
        if state == "prompt":
            match = FENCE.match(raw)
            if fence is not None or match:
                if match:
                    marker = match.group(1)
                    fence = marker[0] * 3 if fence is None else (None if marker.startswith(fence) else fence)
                prompt.append(raw)
                continue
            if RADIO.match(raw) or CHECK.match(raw) or EQUALS.match(raw) or ORDERED.match(raw):
                state = "answers"
            else:
                prompt.append(raw)
                continue
        if state == "explanation":
            quote = QUOTE.match(raw)
            if quote:
                explanation.append(quote.group(1))
            elif not raw.strip():
                explanation.append("")
            else:
                source.problem(
                    number, f"{label}: text after the explanation must be part of it (start the line with '>')"
                )
            continue
        if not raw.strip():
            continue
        if match := RADIO.match(raw) or CHECK.match(raw):
            kind = "radio" if raw.lstrip("-*+ ").startswith("(") else "check"
            current_option = _Option(number, kind, match.group(1) in "xX", [match.group(2)])
            options.append(current_option)
            current = current_option.text
        elif match := EQUALS.match(raw):
            answers.append((number, match.group(1)))
            current, current_option = None, None
        elif match := ORDERED.match(raw):
            items.append((number, [match.group(1)]))
            current, current_option = items[-1][1], None
        elif (match := FEEDBACK.match(raw)) and current_option is not None:
            current_option.feedback.append(match.group(1))
            current = None
        elif match := QUOTE.match(raw):
            state = "explanation"
            explanation.append(match.group(1))
        elif raw.startswith("  ") and current is not None:
            current.append(raw.strip())
        else:
            source.problem(
                number,
                f"{label}: line is neither an option ('- ( )', '- [ ]'), an '= answer', "
                "an ordered item nor an explanation ('> ...')",
            )
    kinds = {option.kind for option in options}
    families = sum(bool(x) for x in (options, answers, items))
    if not (options or answers or items):
        source.problem(line, f"{label} has no answers")
        return None
    if len(kinds) > 1:
        source.problem(line, f"{label} mixes '( )' and '[ ]' options: use ( ) for one answer, [ ] for several")
        return None
    if families > 1:
        source.problem(line, f"{label} mixes options, '=' answers and an ordered list: use only one kind")
        return None

    qtype: str
    correct: tuple
    unit: str | None = None
    option_texts: tuple[str, ...] = ()
    feedback: tuple[str | None, ...] = ()
    if options:
        option_texts = tuple(" ".join(option.text) for option in options)
        feedback = tuple(" ".join(option.feedback).strip() or None for option in options)
        correct = tuple(i for i, option in enumerate(options) if option.correct)
        qtype = "single" if "radio" in kinds else "multiple"
        if len(options) < 2:
            source.problem(line, f"{label} needs at least two options")
        if not correct:
            marker = "(x)" if qtype == "single" else "[x]"
            source.problem(line, f"{label} has no correct option (mark it with {marker})")
        if qtype == "single" and len(correct) > 1:
            source.problem(line, f"{label} has {len(correct)} options marked (x): mark one, or use [x] for several")
        _no_duplicates(source, label, [(o.line, t) for o, t in zip(options, option_texts, strict=False)])
    elif answers:
        numeric = NUMERIC.match(answers[0][1].strip()) if len(answers) == 1 else None
        if numeric:
            qtype = "numeric"
            correct = (_number(numeric.group(1)), _number(numeric.group(2) or "0"))
            unit = " ".join(numeric.group(3).split()) if numeric.group(3) else None
            if not all(math.isfinite(x) for x in correct) or len(answers[0][1]) > 40:
                source.problem(answers[0][0], f"{label}: the number is too long")
            elif correct[1] < 0:
                source.problem(answers[0][0], f"{label}: the tolerance after '+-' must not be negative")
        else:
            qtype = "short"
            correct = tuple(answer for _, answer in answers)
            for number, answer in answers:
                if not answer:
                    source.problem(number, f"{label} has an empty '=' answer")
                elif TOLERANCE.search(answer):
                    source.problem(
                        number, f"{label}: a tolerance ('+-') needs a single numeric answer like '= 42 +- 2'"
                    )
    else:
        qtype = "ordering"
        option_texts = tuple(" ".join(text) for _, text in items)
        correct = option_texts
        if len(items) < 3:
            # Two items are always shown in the one wrong order, which gives the answer away.
            source.problem(line, f"{label} needs at least three items to put in order (use true/false for two)")
        _no_duplicates(source, label, [(n, t) for (n, _), t in zip(items, option_texts, strict=False)])
    if len(source.problems) > before:
        return None

    explanation_text = "\n".join(explanation).strip() or None
    prompt_text = "\n".join(prompt).strip()
    return Question(
        id=qid or slugify(text) or f"q{index}",
        type=qtype,
        text=text,
        points=points,
        line=line,
        prompt_html=renderer.block(text if not prompt_text else f"{text}\n\n{prompt_text}"),
        options=option_texts,
        options_html=tuple(renderer.inline(t) for t in option_texts),
        correct=correct,
        feedback=feedback,
        feedback_html=tuple(renderer.inline(f) if f else None for f in feedback),
        explanation=explanation_text,
        explanation_html=renderer.block(explanation_text) if explanation_text else None,
        unit=unit,
    )


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
                source.problem(line, f"question id '{qid}' may use only a-z, 0-9, '-' and '_'")
            elif len(qid) > MAX_ID:
                source.problem(line, f"question id '{qid[:20]}…' is longer than {MAX_ID} characters")
        elif token.startswith("points="):
            value = token.removeprefix("points=")
            if re.fullmatch(r"[0-9]{1,3}", value) and int(value) > 0:
                points = int(value)
            else:
                source.problem(line, f"points must be a whole number greater than 0, not '{value}'")
        else:
            source.problem(line, f"unknown question attribute '{token}' (use {{#id points=N}})")
    return text, qid, points


def _no_duplicates(source: Source, label: str, entries: list[tuple[int, str]]) -> None:
    seen: set[str] = set()
    for number, text in entries:
        key = " ".join(text.lower().split())
        if key in seen:
            source.problem(number, f"{label} lists the same answer twice: '{_short(text)}'")
        seen.add(key)


def _number(text: str) -> int | float:
    value = float(text.replace(",", "."))
    return int(value) if value.is_integer() and "." not in text and "," not in text else value


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
