"""Moodle GIFT question banks -> questions in the course format (Markdown), with a report.

Pure functions: ``convert_gift(text, existing_ids)`` gives back the converted questions,
the questions it could not convert (with their line and why) and notes about what was
dropped on the way. Every converted question is read back with the course parser before
it is accepted, so what this module emits is what the checker loads.

GIFT, as Moodle reads it: questions are separated by blank lines; ``//`` lines are
comments; ``::title::`` names a question; ``[html]``/``[markdown]``/``[plain]``/``[moodle]``
sets the text format; the answers stand in ``{...}``; ``\\~ \\= \\# \\{ \\} \\:`` are literal
characters and ``\\n`` a line break. Text after the answer block makes a "missing word"
question: the block stands where the blank is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

from .parse import MAX_ID, Source, parse_quiz_section, slugify
from .render import Renderer

# Escaped characters become private-use characters while the structure is read, and the
# literal character again in the text.
_ESCAPES = {
    "\\\\": "\ue020",
    "\\~": "\ue021",
    "\\=": "\ue022",
    "\\#": "\ue023",
    "\\{": "\ue024",
    "\\}": "\ue025",
    "\\:": "\ue026",
}
_LITERAL = {"\ue020": "\\", "\ue021": "~", "\ue022": "=", "\ue023": "#", "\ue024": "{", "\ue025": "}", "\ue026": ":"}
_BLANK = "\ue030"  # where a missing-word question's answer block stood
_FORMAT = re.compile(r"^\s*\[(html|markdown|plain|moodle)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^>]*)?/?>")
_SCRIPT_BLOCK = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_NUMBER = re.compile(r"^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_BLOCK_START = re.compile(r"^(\s{4}|\s*([-*+>#|!]|\d+[.)]|`{3}|~{3}))")
MISSING_WORD = r"\_\_\_\_\_"  # shown as "_____", as Moodle shows a missing-word blank


@dataclass(frozen=True)
class Skipped:
    """A GIFT question that was not converted: where it starts, its name and why."""

    line: int
    title: str
    reason: str


@dataclass(frozen=True)
class Note:
    """Something dropped or changed while converting a question (or an ignored line)."""

    line: int
    title: str
    message: str


@dataclass(frozen=True)
class Converted:
    """One question in the course format."""

    line: int
    title: str
    id: str
    type: str
    markdown: str


@dataclass
class GiftResult:
    converted: list[Converted] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    def markdown(self) -> str:
        """Return the converted questions as one block of Markdown for a quiz section."""
        return "\n\n".join(question.markdown for question in self.converted) + "\n" if self.converted else ""


class GiftError(ValueError):
    """A question that cannot be converted; the message says why, in Indonesian."""


# --- splitting the file ------------------------------------------------------------------


def split_questions(text: str) -> list[tuple[int, str]]:
    """Return (first line number, text) of every question: blank lines separate, ``//`` lines are comments."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    blocks: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip().startswith("//"):
            continue
        if not line.strip():
            if current:
                blocks.append((start, "\n".join(current)))
                current = []
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        blocks.append((start, "\n".join(current)))
    return blocks


def _hide_escapes(text: str) -> str:
    text = re.sub(r"\\[\\~=#{}:]", lambda m: _ESCAPES[m.group(0)], text)
    return text.replace("\\n", "\n")


def _literal(text: str) -> str:
    return "".join(_LITERAL.get(char, char) for char in text)


# --- text formats -> Markdown --------------------------------------------------------------


def _escape_inline(text: str) -> str:
    """Escape what Markdown would read as markup in a plain text."""
    text = re.sub(r"([\\`*_\[\]])", r"\\\1", text)
    return text.replace("&", "&amp;").replace("<", "&lt;")


class _HtmlToMarkdown(HTMLParser):
    """A small, safe HTML -> Markdown converter: known tags become Markdown, the rest is text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0  # inside <script> or <style>
        self.lists: list[str] = []
        self.links: list[str | None] = []
        self.pre = 0
        self.images = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in ("p", "div", "table", "tr", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6"):
            self.out.append("\n\n")
            if tag.startswith("h") and tag[1:].isdigit():
                self.out.append("**")
        elif tag == "br":
            self.out.append("\n")
        elif tag in ("b", "strong"):
            self.out.append("**")
        elif tag in ("i", "em"):
            self.out.append("*")
        elif tag in ("code", "tt") and not self.pre:
            self.out.append("`")
        elif tag == "pre":
            self.pre += 1
            self.out.append("\n\n```\n")
        elif tag in ("ul", "ol"):
            self.lists.append(tag)
            self.out.append("\n\n")
        elif tag == "li":
            self.out.append("\n- " if not self.lists or self.lists[-1] == "ul" else "\n1. ")
        elif tag == "a":
            href = (attrs.get("href") or "").strip()
            safe = re.match(r"^(https?:|mailto:)", href, re.IGNORECASE) and not re.search(r"[\s()<>]", href)
            self.links.append(href if safe else None)
            if safe:
                self.out.append("[")
        elif tag == "img":
            self.images += 1
            alt = (attrs.get("alt") or "").strip()
            if alt:
                self.out.append(_escape_inline(alt))
        elif tag in ("td", "th"):
            self.out.append(" ")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in ("p", "div", "table", "tr", "blockquote", "ul", "ol"):
            if tag in ("ul", "ol") and self.lists:
                self.lists.pop()
            self.out.append("\n\n")
        elif tag.startswith("h") and tag[1:].isdigit():
            self.out.append("**\n\n")
        elif tag in ("b", "strong"):
            self.out.append("**")
        elif tag in ("i", "em"):
            self.out.append("*")
        elif tag in ("code", "tt") and not self.pre:
            self.out.append("`")
        elif tag == "pre":
            self.pre = max(0, self.pre - 1)
            self.out.append("\n```\n\n")
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href:
                self.out.append(f"]({href})")

    def handle_data(self, data):
        if self.skip:
            return
        if self.pre:
            self.out.append(data.replace("```", "'''"))
        else:
            self.out.append(_escape_inline(re.sub(r"\s+", " ", data)))

    def markdown(self) -> str:
        text = "".join(self.out)
        lines = [line.strip() if not self.pre else line.rstrip() for line in text.split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def to_markdown(text: str, fmt: str) -> tuple[str, list[str]]:
    """Return a GIFT text (escapes still hidden) as Markdown, and notes about what was dropped."""
    notes: list[str] = []
    if match := _FORMAT.match(text):  # an answer or feedback may name its own format
        fmt, text = match.group(1).lower(), text[match.end() :]
    if fmt == "html" or (fmt == "moodle" and _HTML_TAG.search(text)):
        parser = _HtmlToMarkdown()
        parser.feed(_literal(text).replace("\n", " " if fmt == "html" else "<br>"))
        parser.close()
        if parser.images:
            notes.append("gambar dari HTML dibuang (gambar harus berkas di assets/; tambahkan sendiri bila perlu)")
        return parser.markdown(), notes
    if fmt == "markdown":
        markdown = _literal(text).strip()
        if _HTML_TAG.search(markdown):
            # The renderer would sanitise it on every page; dropping it here keeps it out of the course files.
            markdown = _SCRIPT_BLOCK.sub("", markdown)
            markdown = _HTML_TAG.sub("", markdown)
            notes.append("tag HTML di teks [markdown] dibuang (tulis format Markdown saja)")
        return markdown, notes
    # plain, and Moodle's own format without HTML: every character is literal
    return "\n".join(_escape_inline(_literal(line)).strip() for line in text.strip().split("\n")), notes


def _one_line(markdown: str) -> str:
    return " ".join(markdown.split())


def _escape_lines(markdown: str) -> str:
    """Escape lines of a question's text that the course parser would read as headings or answers."""
    out = []
    fence = False
    for line in markdown.split("\n"):
        if re.match(r"^\s{0,3}(`{3,}|~{3,})", line):
            fence = not fence
        if not fence:
            line = re.sub(r"^(\s*)#", r"\1\\#", line)
            line = re.sub(r"^(\s*)=", r"\1\\=", line)
            line = re.sub(r"^(\d{1,3})([.)])(\s)", r"\1\\\2\3", line)
            line = re.sub(r"^([-*+]\s+)([(\[])", r"\1\\\2", line)
            if re.match(r"^[-*+]\s", line):
                line = line.replace("=>", "=\\>")
            line = line.replace("[[", "[\\[")
        out.append(line)
    return "\n".join(out)


# --- one question ---------------------------------------------------------------------------


@dataclass
class _Question:
    line: int
    title: str
    fmt: str
    text: str  # GIFT text with escapes hidden and _BLANK where a missing word stands
    missing_word: bool
    answers: str | None  # None: no answer block, a description
    general_feedback: str | None
    notes: list[str] = field(default_factory=list)

    def md(self, text: str) -> str:
        converted, notes = to_markdown(text, self.fmt)
        for note in notes:
            if note not in self.notes:
                self.notes.append(note)
        return converted


def read_question(line: int, raw: str) -> _Question | str:
    """Split one GIFT question into its parts; a text instead is the path of a ``$CATEGORY`` line."""
    text = _hide_escapes(raw).strip()
    if text.startswith("$CATEGORY:"):
        return _literal(text.removeprefix("$CATEGORY:").strip())
    title = ""
    if text.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            raise GiftError("judul '::' tidak ditutup dengan '::'")
        title, text = _literal(text[2:end]).strip(), text[end + 2 :]
    fmt = "moodle"
    if match := _FORMAT.match(text):
        fmt, text = match.group(1).lower(), text[match.end() :]
    start = text.find("{")
    if start < 0:
        if "}" in text:
            raise GiftError("ada '}' tanpa '{' (tulis \\} untuk tanda kurung kurawal biasa)")
        return _Question(line, title, fmt, text.strip(), False, None, None)
    end = text.find("}", start)
    if end < 0:
        raise GiftError("blok jawaban '{' tidak ditutup dengan '}'")
    if "{" in text[end:] or "}" in text[end + 1 :]:
        raise GiftError("lebih dari satu blok jawaban '{...}' (tulis \\{ dan \\} untuk kurung kurawal biasa)")
    answers = text[start + 1 : end].strip()
    before, after = text[:start], text[end + 1 :]
    missing = bool(after.strip())
    general = None
    if "####" in answers:
        cut = answers.rfind("####")
        answers, general = answers[:cut].strip(), answers[cut + 4 :].strip()
    question_text = (before + _BLANK + after) if missing else before
    return _Question(line, title, fmt, question_text.strip(), missing, answers, general or None)


def _split_answers(answers: str) -> list[str]:
    """Split ``=a ~b ~%50%c`` into ``['=a', '~b', '~%50%c']``."""
    return [part.strip() for part in re.split(r"(?=[=~])", answers) if part.strip()]


def _feedback(answer: str) -> tuple[str, str | None]:
    text, _, feedback = answer.partition("#")
    return text.strip(), (feedback.strip() or None) if feedback else None


def _weight(answer: str) -> tuple[float | None, str]:
    match = _WEIGHT.match(answer)
    if not match:
        return None, answer
    return float(match.group(1)), answer[match.end() :]


def _number(text: str) -> Decimal:
    text = _literal(text).strip()
    if not _NUMBER.match(text):
        raise GiftError(f"'{text}' bukan angka")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise GiftError(f"'{text}' bukan angka") from None


def _decimal_text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _numeric_key(spec: str) -> tuple[Decimal, Decimal]:
    """Return value and tolerance of ``3.14:0.01``, ``1..5`` or ``42``."""
    spec = spec.strip()
    if ".." in spec:
        low, high = (_number(part) for part in spec.split("..", 1))
        if low > high:
            raise GiftError(f"rentang angka '{_literal(spec)}' terbalik (tulis yang kecil dulu)")
        return (low + high) / 2, (high - low) / 2
    value, _, tolerance = spec.partition(":")
    tol = _number(tolerance) if tolerance.strip() else Decimal(0)
    if tol < 0:
        raise GiftError("toleransi angka negatif")
    return _number(value), tol


class _Builder:
    """Turns one read GIFT question into Markdown lines of the course format."""

    def __init__(self, question: _Question) -> None:
        self.q = question

    def build(self) -> tuple[str, list[str], str]:
        """Return (expected type, answer lines, what stands in a missing word's place)."""
        answers = self.q.answers
        if not answers:
            raise GiftError("soal esai (blok jawaban kosong {}) tidak dapat dinilai otomatis, jadi tidak dikonversi")
        if answers.startswith("#"):
            return self.numeric(answers[1:])
        if "~" in answers:
            return self.choice(answers)
        if "=" in answers and "->" in answers:
            return self.matching(answers)
        head = answers.split("#", 1)[0].strip()
        if head in _TRUE_FALSE:  # case matters, as in Moodle: {true} is a short answer
            return self.true_false(answers)
        return self.short(answers)

    def plain(self, text: str) -> str:
        """Return an answer to type as plain text (tags and entities of HTML resolved)."""
        fmt = self.q.fmt
        if match := _FORMAT.match(text):
            fmt, text = match.group(1).lower(), text[match.end() :]
        text = _literal(text)
        if fmt == "html" or (fmt == "moodle" and _HTML_TAG.search(text)):
            text = unescape(_HTML_TAG.sub("", _SCRIPT_BLOCK.sub("", text)))
        return text

    def option(self, text: str) -> str:
        option = _one_line(self.q.md(text))
        if not option:
            raise GiftError("ada pilihan jawaban yang kosong")
        return option

    def choice(self, answers: str) -> tuple[str, list[str], str]:
        parts = _split_answers(answers)
        single = any(part.startswith("=") for part in parts)
        options = []
        for part in parts:
            mark, body = part[0], part[1:]
            weight, body = _weight(body)
            if mark == "=":
                weight = 100.0 if weight is None else weight
            elif weight is None:
                weight = 0.0
            body, feedback = _feedback(body)
            options.append((weight, self.option(body), _one_line(self.q.md(feedback)) if feedback else None))
        if single:
            keys = [option for option, part in zip(options, parts, strict=True) if part.startswith("=")]
            if len(keys) > 1:
                raise GiftError(
                    "pilihan tunggal dengan lebih dari satu jawaban '=' (format kursus hanya mengenal satu kunci; "
                    "tulis ulang sebagai pilihan ganda ~%50%...)"
                )
            partial = [o for o, p in zip(options, parts, strict=True) if not p.startswith("=") and o[0] > 0]
            if partial:
                self.q.notes.append(
                    f"{len(partial)} opsi berbobot sebagian (mis. ~%{partial[0][0]:g}%) menjadi opsi salah: "
                    "pilihan tunggal hanya punya satu kunci"
                )
            correct = [p.startswith("=") for p in parts]
            marks = ("(x)", "( )")
        else:
            correct = [weight > 0 for weight, _, _ in options]
            if not any(correct):
                raise GiftError("pilihan ganda tanpa opsi berbobot positif (tidak ada jawaban benar)")
            positive = {weight for weight, _, _ in options if weight > 0}
            if len(positive) > 1:
                self.q.notes.append(
                    "bobot opsi benar yang berbeda-beda diganti aturan nilai pilihan ganda aplikasi "
                    "(setiap opsi benar sama bobotnya)"
                )
            marks = ("[x]", "[ ]")
        lines = []
        for (_, text, feedback), right in zip(options, correct, strict=True):
            lines.append(f"- {marks[0] if right else marks[1]} {text}")
            if feedback:
                lines.append(f"  > {feedback}")
        kind = "single" if single else "multiple"
        return kind, lines, MISSING_WORD

    def true_false(self, answers: str) -> tuple[str, list[str], str]:
        head, *feedbacks = answers.split("#")
        truth = _TRUE_FALSE[head.strip()]
        wrong = _one_line(self.q.md(feedbacks[0])) if feedbacks else ""
        right = _one_line(self.q.md(feedbacks[1])) if len(feedbacks) > 1 else ""
        if len(feedbacks) > 2:
            raise GiftError("benar/salah dengan lebih dari dua umpan balik '#'")
        lines = []
        for label, value in (("Benar", True), ("Salah", False)):
            lines.append(f"- {'(x)' if value == truth else '( )'} {label}")
            feedback = right if value == truth else wrong
            if feedback:
                lines.append(f"  > {feedback}")
        return "single", lines, MISSING_WORD

    def short(self, answers: str) -> tuple[str, list[str], str]:
        accepted = []
        dropped_partial = dropped_feedback = 0
        parts = [part.strip() for part in answers.split("=")]
        for part in parts[1:] if not parts[0] else parts:  # as Moodle: '{kata}' is '{=kata}'
            weight, body = _weight(part)
            body, feedback = _feedback(body)
            dropped_feedback += feedback is not None
            if weight is not None and weight < 100:
                dropped_partial += 1
                continue
            answer = _one_line(self.plain(body))
            if not answer:
                raise GiftError("isian singkat dengan jawaban kosong")
            if answer.casefold() not in {a.casefold() for a in accepted}:
                accepted.append(answer)
        if dropped_partial:
            self.q.notes.append(f"{dropped_partial} jawaban isian berkredit sebagian dibuang (hanya yang 100% dipakai)")
        if dropped_feedback:
            self.q.notes.append("umpan balik per jawaban isian singkat dibuang (format kursus tidak mengenalnya)")
        if not accepted:
            raise GiftError("isian singkat tanpa jawaban 100%")
        if self.q.missing_word:
            if any(re.search(r"\||\[\[|\]\]", a) for a in accepted):
                raise GiftError("jawaban isian memuat '|', '[[' atau ']]' yang tidak bisa dipakai di isian rumpang")
            return "cloze", [], "[[" + "|".join(accepted) + "]]"
        for answer in accepted:
            if re.search(r"\+-|±|\+/-", answer):
                raise GiftError(f"jawaban isian '{answer[:40]}' memuat '+-' (dibaca sebagai toleransi)")
        kind = "short"
        return kind, [f"= {answer}" for answer in accepted], ""

    def numeric(self, answers: str) -> tuple[str, list[str], str]:
        answers = answers.strip()
        if "=" in answers or "~" in answers:
            keys, dropped = [], 0
            for part in _split_answers(answers):
                if part.startswith("~"):
                    dropped += 1
                    continue
                weight, body = _weight(part[1:])
                spec, feedback = _feedback(body)
                if feedback:
                    self.q.notes.append("umpan balik per jawaban angka dibuang (format kursus tidak mengenalnya)")
                if weight is not None and weight < 100:
                    dropped += 1
                    continue
                keys.append(_numeric_key(spec))
            if dropped:
                self.q.notes.append(f"{dropped} jawaban angka berkredit sebagian atau salah dibuang")
            if not keys:
                raise GiftError("soal angka tanpa jawaban 100%")
            if len(set(keys)) > 1:
                raise GiftError("soal angka dengan beberapa jawaban 100% berbeda (format kursus hanya mengenal satu)")
            value, tolerance = keys[0]
        else:
            spec, feedback = _feedback(answers)
            if feedback:
                self.q.notes.append("umpan balik jawaban angka dibuang (format kursus tidak mengenalnya)")
            value, tolerance = _numeric_key(spec)
        key = _decimal_text(value) + (f" +- {_decimal_text(tolerance)}" if tolerance else "")
        if self.q.missing_word:
            return "cloze", [], f"[[{key}]]"
        return "numeric", [f"= {key}"], ""

    def matching(self, answers: str) -> tuple[str, list[str], str]:
        lines = []
        for part in _split_answers(answers):
            if not part.startswith("="):
                raise GiftError(f"pasangan '{_literal(part)[:40]}' tidak diawali '='")
            body, feedback = _feedback(part[1:])
            if feedback:
                self.q.notes.append("umpan balik pada pasangan menjodohkan dibuang")
            left, arrow, right = body.partition("->")
            if not arrow:
                raise GiftError(f"pasangan '{_literal(body)[:40]}' tanpa '->'")
            left_md = _one_line(self.q.md(left)).replace("=>", "=\\>")
            right_md = _one_line(self.q.md(right))
            if not right_md:
                raise GiftError("pasangan dengan sisi kanan kosong")
            lines.append(f"- {left_md} => {right_md}" if left_md else f"- => {right_md}")
        return "matching", lines, MISSING_WORD


def _heading_and_prompt(markdown: str, fallback: str) -> tuple[str, str]:
    """Split a question's Markdown into a one-line heading (its first paragraph) and the rest."""
    lines = markdown.split("\n")
    heading: list[str] = []
    for line in lines:
        if not line.strip() or _BLOCK_START.match(line):
            break
        heading.append(line.strip())
    index = len(heading)
    if not heading:
        return fallback, markdown.strip()
    text = " ".join(heading)
    text = re.sub(r"#+$", lambda m: "\\#" * len(m.group(0)), text)  # a heading's closing #s are dropped
    return text, "\n".join(lines[index:]).strip()


def _check(markdown: str, expected: str, renderer: Renderer) -> str | None:
    """Parse one converted question with the course parser; return why it fails, or None."""
    source = Source(Path("gift"), "gift")
    quiz = parse_quiz_section(source, markdown.split("\n"), 1, 0, renderer, {})
    if source.problems:
        return "; ".join(problem.message for problem in source.problems)
    if quiz is None or len(quiz.questions) != 1:
        return "hasil konversi tidak terbaca sebagai satu soal"
    got = quiz.questions[0].type
    if got != expected and not (expected == "short" and got == "numeric"):
        return f"hasil konversi terbaca sebagai jenis '{got}', bukan '{expected}'"
    return None


def _unique_id(base: str, taken: set[str]) -> str:
    base = base[:MAX_ID].rstrip("-_") or "soal"
    candidate, number = base, 2
    while candidate in taken:
        suffix = f"-{number}"
        candidate = base[: MAX_ID - len(suffix)].rstrip("-_") + suffix
        number += 1
    return candidate


def _label(title: str, raw: str) -> str:
    if title:
        return title
    text = " ".join(_literal(_hide_escapes(raw)).split())
    return text if len(text) <= 50 else text[:49] + "…"


def convert_gift(text: str, existing_ids: Iterable[str] = ()) -> GiftResult:
    """Convert a GIFT file's text; ids are made unique against ``existing_ids``."""
    result = GiftResult()
    taken = set(existing_ids)
    renderer = Renderer()
    blocks = split_questions(text)
    for index, (line, raw) in enumerate(blocks):
        first, _, rest = raw.partition("\n")
        if first.lstrip().startswith("$CATEGORY:") and rest.strip():
            # Moodle would swallow the question into the category name; keep it as a question.
            blocks.insert(index + 1, (line + 1, rest))
            raw = first
        try:
            read = read_question(line, raw)
        except GiftError as error:
            result.skipped.append(Skipped(line, _label("", raw), str(error)))
            continue
        if isinstance(read, str):
            result.notes.append(Note(line, "$CATEGORY", f"kategori '{read}' diabaikan (format kursus tanpa kategori)"))
            continue
        title = _label(read.title, read.text.replace(_BLANK, "_____"))
        if read.answers is None:
            result.skipped.append(Skipped(line, title, "deskripsi tanpa blok jawaban {...}: bukan soal"))
            continue
        try:
            kind, answer_lines, blank = _Builder(read).build()
        except GiftError as error:
            result.skipped.append(Skipped(line, title, str(error)))
            continue
        body = _escape_lines(read.md(read.text))
        if not body.replace(_BLANK, "").strip():
            result.skipped.append(Skipped(line, title, "soal tanpa teks pertanyaan"))
            continue
        heading, prompt = _heading_and_prompt(body, "Jawablah soal berikut.")
        heading, prompt = heading.replace(_BLANK, blank), prompt.replace(_BLANK, blank)
        if heading.strip() in ("", "\\#"):
            result.skipped.append(Skipped(line, title, "soal tanpa teks pertanyaan"))
            continue
        plain_heading = re.sub(r"[\\*`_\[\]]", "", heading)
        base = slugify(read.title, MAX_ID) if read.title else slugify(plain_heading)
        qid = _unique_id(base or "soal", taken)
        parts = [f"### {heading} {{#{qid}}}"]
        if prompt:
            parts.append(prompt)
        parts.extend(answer_lines)
        if read.general_feedback:
            explanation = read.md(read.general_feedback)
            if explanation:
                parts.append("")
                parts.extend(f"> {line}".rstrip() for line in explanation.split("\n"))
        markdown = "\n".join(parts)
        if problem := _check(markdown, kind, renderer):
            result.skipped.append(Skipped(line, title, f"hasil konversi ditolak pemeriksa: {problem}"))
            continue
        taken.add(qid)
        result.converted.append(Converted(line, title, qid, kind, markdown))
        result.notes.extend(Note(line, title, note) for note in dict.fromkeys(read.notes))
    return result


__all__ = ["Converted", "GiftResult", "Note", "Skipped", "convert_gift", "split_questions"]
