"""The checker's message catalogue: every code used exists, every code is used and documented."""

from __future__ import annotations

import ast
import re
import string

from elearn.catalog.messages import ERRORS, MESSAGES, WARNINGS, message
from elearn.config import PROJECT_ROOT

CODE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)+$")
# Where checker messages are raised: the catalog package and the question types.
SOURCES = [
    *(PROJECT_ROOT / "elearn" / "catalog").glob("*.py"),
    *(PROJECT_ROOT / "elearn" / "quiz" / "types").glob("*.py"),
    PROJECT_ROOT / "elearn" / "evaluation" / "survey.py",
]
# The calls that take a code: Problem.of(path, line, code), source.problem(line, code), block.problem(line, code).
CODE_ARGUMENT = {"of": 2, "problem": 1}


def codes_in_calls() -> set[str]:
    """Every string constant passed as the code of a problem, or returned as one by a front matter check."""
    found = set()
    for path in SOURCES:
        if path.name == "messages.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            called = getattr(node.func, "attr", getattr(node.func, "id", None)) if isinstance(node, ast.Call) else None
            if called in CODE_ARGUMENT:  # obj.of(...), obj.problem(...), or a local problem(...)
                position = CODE_ARGUMENT[called]
                if len(node.args) > position:
                    found |= {c.value for c in ast.walk(node.args[position]) if _code(c)}
            elif isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple):
                found |= {c.value for c in node.value.elts if _code(c)}
            elif isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "code" for t in node.targets):
                found |= {c.value for c in ast.walk(node.value) if _code(c)}  # code = "a" if ... else "b"
            elif isinstance(node, ast.Tuple | ast.Set | ast.Compare):  # ("key-longest", 0), {"exam-pool-small"}, ==
                found |= {c.value for c in ast.walk(node) if _code(c) and c.value in MESSAGES}
    return found


def _code(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and bool(CODE.match(node.value))


def test_every_code_used_is_in_the_catalogue():
    assert codes_in_calls() - set(MESSAGES) == set()


def test_every_catalogue_entry_is_used():
    assert set(MESSAGES) - codes_in_calls() == set()


def test_codes_are_stable_kebab_case_and_errors_and_warnings_do_not_share_one():
    assert all(CODE.match(code) for code in MESSAGES)
    assert not set(ERRORS) & set(WARNINGS)


def test_every_message_fills_in_with_its_parameters():
    for code, template in MESSAGES.items():
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        text = message(code, **dict.fromkeys(names, "X"))
        assert "{" not in text.replace("{{", "").replace("{#id", ""), code


def test_every_code_is_in_the_format_reference():
    reference = (PROJECT_ROOT / "docs" / "course-format.md").read_text().split("\n## Kode pemeriksa", 1)[1]
    documented = set(re.findall(r"^\| `([a-z0-9-]+)` \|", reference, re.MULTILINE))
    assert documented == set(MESSAGES)
