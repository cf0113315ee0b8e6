"""Markdown rendering: GitHub-style nesting, tables, code, and sanitising."""

from __future__ import annotations

from elearn.catalog.render import Renderer


def render(text: str, prefix: str = "assets/") -> str:
    return Renderer(prefix).block(text)


def test_lists_nested_with_two_spaces_come_out_nested():
    html = render("- satu\n  - dua\n    - tiga\n- empat\n")
    assert html.count("<ul>") == 3
    assert "<li>satu<ul>" in html.replace("\n", "")


def test_ordered_list_with_nested_bullets():
    html = render("1. Langkah\n   - rincian\n2. Langkah dua\n").replace("\n", "")
    assert "<ol><li>Langkah<ul><li>rincian</li></ul></li><li>Langkah dua</li></ol>" in html


def test_tables_and_fenced_code():
    html = render("| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nx = 1 < 2\n```\n")
    assert "<table>" in html and "<td>1</td>" in html
    assert '<code class="language-python">x = 1 &lt; 2' in html


def test_admonition_keeps_its_class():
    html = render('!!! tip "Tips"\n    Catat tugas.\n')
    assert '<div class="admonition tip">' in html and "Catat tugas." in html


def test_raw_html_scripts_and_event_handlers_are_removed():
    html = render('<script>alert(1)</script>\n\n<img src="x.png" onerror="alert(2)">\n\n<b onclick="x()">tebal</b>')
    assert "<script" not in html and "alert(1)" not in html
    assert "onerror" not in html and "onclick" not in html
    assert "tebal" in html


def test_javascript_links_lose_their_href():
    html = render("[klik](javascript:alert(1)) [data](data:text/html,hai) [baik](https://sleman.go.id)")
    assert "javascript:" not in html and "data:text" not in html
    assert 'href="https://sleman.go.id"' in html


def test_asset_links_point_at_the_served_asset_url():
    html = render("![Bagan](assets/bagan.svg) [unduh](./assets/form.pdf)", prefix="/kursus/k/assets/")
    assert 'src="/kursus/k/assets/bagan.svg"' in html and 'alt="Bagan"' in html
    assert 'href="/kursus/k/assets/form.pdf"' in html
    assert 'loading="lazy"' in html


def test_document_gives_a_table_of_contents_of_level_2_and_3():
    html, toc = Renderer().document("## Satu & Dua\n\nteks\n\n### Rinci\n\n#### Terlalu dalam\n")
    assert [(h.level, h.id, h.title) for h in toc] == [(2, "satu-dua", "Satu & Dua"), (3, "rinci", "Rinci")]
    assert '<h2 id="satu-dua">' in html


def test_inline_strips_the_wrapping_paragraph():
    assert Renderer().inline("**Benar**") == "<strong>Benar</strong>"
