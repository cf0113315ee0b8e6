"""Template globals (elearn/templating.py): Jinja's ChainMap, answered from the environment's
dict while a template has no globals of its own."""

from __future__ import annotations

from collections import ChainMap

import pytest

from elearn.templating import TemplateGlobals


def test_a_template_without_globals_of_its_own_answers_from_the_environment_directly(app):
    template = app.jinja_env.get_template("base.html")
    assert type(template.globals) is TemplateGlobals
    assert type(template.globals.keys()) is type({}.keys())  # a set difference with it runs in C
    assert dict(template.globals) == app.jinja_env.globals
    assert "url_for" in template.globals and template.globals["url_for"] is app.jinja_env.globals["url_for"]


def test_template_globals_behave_as_jinjas_chain_map():
    shared = {"a": 1, "b": 2}
    mine, jinja = TemplateGlobals({}, shared), ChainMap({}, shared)
    for globals_ in (mine, jinja):
        globals_["b"] = 20  # a template's own global overlays, and leaves the environment's alone
    shared["c"] = 3  # added to the environment later: seen
    assert shared == {"a": 1, "b": 2, "c": 3}
    for name in ("a", "b", "c", "d"):
        assert (name in mine) == (name in jinja) and mine.get(name) == jinja.get(name)
    assert sorted(mine) == sorted(jinja) and set(mine.keys()) == set(jinja.keys())
    assert dict(mine) == dict(jinja) == {"a": 1, "b": 20, "c": 3}
    plain = TemplateGlobals({}, shared)
    assert set(plain.keys()) == {"a", "b", "c"} and plain["c"] == 3 and "d" not in plain
    with pytest.raises(KeyError):
        plain["d"]


def test_pages_render_with_template_globals(client, login_as):
    login_as()
    for page in ("/", "/kursus", "/kursus/layanan-dasar/", "/kursus/layanan-dasar/pengantar"):
        response = client.get(page)
        assert response.status_code == 200 and "E-Learning" in response.get_data(as_text=True), page
