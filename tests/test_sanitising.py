"""Sanitising proven with Hypothesis: whatever Markdown or raw HTML a trainer writes, and
whatever a person types (a name in an import, a search), no script reaches a page."""

from __future__ import annotations

import html as html_module
import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from elearn.catalog import load_catalog
from elearn.catalog.render import Renderer
from elearn.catalog.search import SearchIndex
from tests.conftest import VALID_COURSES, login
from tests.factories import make_user

FRAGMENTS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//x.example/a.js>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "![x](data:image/svg+xml;base64,PHN2Zz4=)",
    '<iframe src="//x.example"></iframe>',
    '<div style="background:url(javascript:alert(1))">',
    "<object data=x></object>",
    '<form action="//x.example"><input name=a></form>',
    '<p onclick="alert(1)">p</p>',
    "<math><mtext><script>alert(1)</script>",
    "&lt;script&gt;",
    "<!--<script>-->",
    "\n\n",
    "| a | b |\n|---|---|\n| <b onmouseover=x>1</b> | 2 |\n",
    "!!! note\n    <script>x</script>\n",
    "```\n<script>kode</script>\n```\n",
    "### judul {#id}",
    "- butir\n  - anak <script>",
]
MARKDOWN = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40)), max_size=12).map("".join)
RENDERER = Renderer("/kursus/uji/assets/")

SCRIPT = re.compile(r"<\s*script", re.I)
TAG = re.compile(r"<[a-zA-Z][^>]*>")
QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")
HANDLER_ATTRIBUTE = re.compile(r"\son[a-z]+\s*=", re.I)


class _Handlers:
    """Finds an event-handler attribute in a real tag (text inside quoted values does not count)."""

    @staticmethod
    def search(html: str):
        return next((tag for tag in TAG.findall(html) if HANDLER_ATTRIBUTE.search(QUOTED.sub('""', tag))), None)


HANDLER = _Handlers()
BAD_URL = re.compile(r"""(?:href|src|action|data)\s*=\s*["']?\s*(?:javascript|vbscript|data):""", re.I)
BAD_TAG = re.compile(r"<\s*(?:iframe|object|embed|form|input|style|svg|math|base|meta|link)\b", re.I)


def assert_safe(html: str) -> None:
    # Code shows "<script>" as text (&lt;script&gt;): only real tags and their attributes count.
    assert not SCRIPT.search(html), html
    assert not HANDLER.search(html), html
    assert not BAD_TAG.search(html), html
    for tag in TAG.findall(html):
        assert not BAD_URL.search(tag), tag
        assert not re.search(r"\sstyle\s*=", tag), tag


@settings(max_examples=400, deadline=None)
@given(MARKDOWN)
@example("### judul {#id}&lt;script&gt;")  # found by Hypothesis: an entity in a heading is text
def test_rendered_markdown_never_carries_script(text):
    assert_safe(RENDERER.block(text))
    html, toc = RENDERER.document(text)
    assert_safe(html)
    assert_safe(RENDERER.inline(text))
    for heading in toc:
        # Titles are plain text, escaped by the lesson template like any other text: a "<" in
        # one is only ever a character the author wrote (as such or as an entity), never markup.
        assert "<" not in heading.title or "<" in html_module.unescape(text), heading.title


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_search_snippets_are_escaped_whatever_is_typed(query):
    index = SearchIndex(load_catalog(VALID_COURSES))
    for hit in index.search(query):
        assert_safe(hit.snippet_html)
        assert set(re.findall(r"</?([a-z]+)", hit.snippet_html)) <= {"mark"}


NAMES = st.lists(st.one_of(st.sampled_from(FRAGMENTS[:8]), st.text(min_size=1, max_size=20)), min_size=1, max_size=4)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(NAMES.map("".join))
def test_names_and_queries_people_type_are_escaped_on_every_page(app, name):
    name = name.replace("\x00", "")[:200].strip() or "Nama"
    client = app.test_client()  # a new browser for each name
    assert login(client, make_user(name=name).nip).status_code == 302
    for url in ("/", "/akun/kata-sandi", f"/cari?q={name[:100]}"):
        html = client.get(url).get_data(as_text=True)
        body = html.split("<body>", 1)[1]
        own_scripts = re.sub(r'<script src="/static/js/[a-z]+\.[0-9a-f]{10}\.js" defer></script>', "", body)
        assert not SCRIPT.search(own_scripts), url
        assert not HANDLER.search(body), url
