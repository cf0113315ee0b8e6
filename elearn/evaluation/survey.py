"""The survey's items: read from YAML files in the courses folder, checked, with a safe fallback.

``courses/_survei.yaml`` holds the items every course asks; ``courses/<course>/survei.yaml``
may add a course's own. Pure Python over files (no Flask, no database), used by the web app
and by ``flask courses check`` alike. A file with a problem never breaks a page: a broken
common file falls back to ``DEFAULT_ITEMS``, a broken course file is left out, and the checker
reports either with its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

import yaml

from ..catalog.model import Problem

COMMON_FILE = "_survei.yaml"  # in the courses folder; the catalog loader skips names starting with '_'
COURSE_FILE = "survei.yaml"  # in a course's folder
ITEM_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ID = 40
MAX_TEXT = 300
MAX_ITEMS = 15
ITEM_KEYS = ("id", "text", "type")
SCALE = (
    (1, "Sangat tidak setuju"),
    (2, "Tidak setuju"),
    (3, "Ragu-ragu"),
    (4, "Setuju"),
    (5, "Sangat setuju"),
)


class ItemKind(StrEnum):
    LIKERT = "likert"  # a statement rated 1 (strongly disagree) .. 5 (strongly agree)
    OPEN = "open"  # a question answered in the learner's own words (optional)


@dataclass(frozen=True)
class SurveyItem:
    id: str
    kind: ItemKind
    text: str
    course_own: bool = False  # from the course's own file
    line: int = field(default=0, compare=False)  # in its file, for the checker's messages


@dataclass(frozen=True)
class Survey:
    """The items one course's survey asks, common ones first."""

    items: tuple[SurveyItem, ...]

    @property
    def likert(self) -> tuple[SurveyItem, ...]:
        return tuple(item for item in self.items if item.kind is ItemKind.LIKERT)

    @property
    def open(self) -> tuple[SurveyItem, ...]:
        return tuple(item for item in self.items if item.kind is ItemKind.OPEN)


# Used when courses/_survei.yaml is missing or has a problem (the shipped file says the same).
DEFAULT_ITEMS = (
    SurveyItem("relevansi", ItemKind.LIKERT, "Materi kursus ini relevan dengan pekerjaan saya."),
    SurveyItem("kejelasan", ItemKind.LIKERT, "Penjelasan dalam pelajaran mudah saya pahami."),
    SurveyItem("kuis", ItemKind.LIKERT, "Kuis dan ujian membantu saya memeriksa pemahaman."),
    SurveyItem("durasi", ItemKind.LIKERT, "Panjang kursus ini sepadan dengan isinya."),
    SurveyItem("saran", ItemKind.OPEN, "Apa yang paling berguna, dan apa yang sebaiknya diperbaiki?"),
)


def parse_items(path: Path, course_own: bool = False) -> tuple[tuple[SurveyItem, ...], list[Problem]]:
    """Read one survey file; return its items (none if it has any problem) and its problems."""
    shown = str(path)
    problems: list[Problem] = []

    def problem(line: int, code: str, **params: object) -> None:
        problems.append(Problem.of(shown, line, code, **params))

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problem(1, "file-not-utf8")
        return (), problems
    except OSError as exc:
        problem(1, "file-unreadable", reason=exc.strerror or exc)
        return (), problems
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError:
        problem(1, "survey-too-deep")
        return (), problems
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or "bukan YAML yang benar"
        problem(mark.line + 1 if mark else 1, "survey-yaml", reason=reason)
        return (), problems
    if not isinstance(root, yaml.MappingNode):
        problem(1, "survey-not-mapping")
        return (), problems
    items_node = None
    for key, value in root.value:
        if key.value == "items":
            items_node = value
        else:
            problem(key.start_mark.line + 1, "survey-unknown-key", key=key.value)
    if items_node is None:
        problem(1, "survey-items-missing")
        return (), problems
    if not isinstance(items_node, yaml.SequenceNode) or not items_node.value:
        problem(items_node.start_mark.line + 1, "survey-items-not-list")
        return (), problems
    if len(items_node.value) > MAX_ITEMS:
        problem(items_node.start_mark.line + 1, "survey-too-many-items", limit=MAX_ITEMS)
    items: list[SurveyItem] = []
    seen: dict[str, int] = {}
    for node in items_node.value:
        item = _item(node, problem, course_own)
        if item is None:
            continue
        line = node.start_mark.line + 1
        if item.id in seen:
            problem(line, "survey-id-duplicate", item_id=item.id, first=seen[item.id])
            continue
        seen[item.id] = line
        items.append(item)
    return (() if problems else tuple(items)), problems


def _item(node, problem, course_own: bool) -> SurveyItem | None:
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        problem(line, "survey-item-not-mapping")
        return None
    values: dict[str, str] = {}
    ok = True
    for key, value in node.value:
        key_line = key.start_mark.line + 1
        if key.value not in ITEM_KEYS:
            problem(key_line, "survey-item-unknown-key", key=key.value, allowed=", ".join(ITEM_KEYS))
            ok = False
        elif not isinstance(value, yaml.ScalarNode) or not str(value.value).strip():
            problem(key_line, "survey-item-empty", key=key.value)
            ok = False
        else:
            values[key.value] = str(value.value).strip()
    for required in ("id", "text"):
        if required not in values and ok:
            problem(line, "survey-item-key-missing", key=required)
            ok = False
    if not ok:
        return None
    item_id, text, kind = values["id"], values["text"], values.get("type", ItemKind.LIKERT.value)
    if not ITEM_ID.match(item_id) or len(item_id) > MAX_ID:
        problem(line, "survey-item-id", item_id=item_id[:50], limit=MAX_ID)
        return None
    if len(text) > MAX_TEXT:
        problem(line, "survey-item-text-long", item_id=item_id, length=len(text), limit=MAX_TEXT)
        return None
    if kind not in (ItemKind.LIKERT.value, ItemKind.OPEN.value):
        problem(line, "survey-item-type", kind=kind[:30])
        return None
    return SurveyItem(item_id, ItemKind(kind), text, course_own, line)


@lru_cache(maxsize=256)
def _parsed(path: str, _mtime_ns: int, _size: int, course_own: bool) -> tuple[tuple[SurveyItem, ...], list[Problem]]:
    # Keyed by the file's time and size: a changed file is read again, an unchanged one never.
    return parse_items(Path(path), course_own)


def _read(path: Path, course_own: bool) -> tuple[tuple[SurveyItem, ...], list[Problem]] | None:
    """The file's items and problems, or None when it does not exist."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return _parsed(str(path), stat.st_mtime_ns, stat.st_size, course_own)


def common_items(courses_dir: str | Path) -> tuple[SurveyItem, ...]:
    """The items every course asks: the common file's, or the defaults if it is missing or broken."""
    found = _read(Path(courses_dir) / COMMON_FILE, False)
    if found is None or found[1]:
        return DEFAULT_ITEMS
    return found[0]


def survey_for(course_path: str | Path) -> Survey:
    """The survey of the course in ``course_path``: the common items, then its own (if its file is sound)."""
    folder = Path(course_path)
    common = common_items(folder.parent)
    own = _read(folder / COURSE_FILE, True)
    extra = () if own is None or own[1] else own[0]
    taken = {item.id for item in common}
    return Survey(common + tuple(item for item in extra if item.id not in taken))


def check_survey_files(root: str | Path, course_folders: list[str]) -> list[Problem]:
    """Every problem of the survey files below a courses folder (for ``flask courses check``)."""
    root = Path(root)
    problems: list[Problem] = []
    common_ids = {item.id for item in DEFAULT_ITEMS}
    common_path = root / COMMON_FILE
    if common_path.is_file():
        items, found = parse_items(common_path)
        problems.extend(found)
        if items:
            common_ids = {item.id for item in items}
    for folder in course_folders:
        path = Path(folder) / COURSE_FILE
        if not path.is_file():
            continue
        items, found = parse_items(path, course_own=True)
        problems.extend(found)
        for item in items:
            if item.id in common_ids:
                problems.append(Problem.of(str(path), item.line, "survey-id-common", item_id=item.id, file=COMMON_FILE))
    return problems
