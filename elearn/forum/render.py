"""A post's Markdown to safe HTML: stricter than lesson text, since anyone may write a post.

Raw HTML is not passed through but shown as text (Markdown's HTML parsing is switched off),
images are dropped (no tracking pixels, nothing heavy on a phone), headings become bold
paragraphs (a post must not break the page's outline), and the result goes through nh3 with
a short allow-list: only http(s) and mailto links, each marked ``rel="nofollow ugc noopener"``
(search engines give them no weight, the opened page cannot reach back to this one).
Rendered once when a post is written; the page shows the stored HTML.
"""

from __future__ import annotations

# ElementTree here is Markdown's own tree of the rendered text; no XML is ever parsed.
import xml.etree.ElementTree as ET  # nosec B405

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor

TAGS = {
    "p", "br", "strong", "em", "b", "i", "del", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"


class _FlatHeadings(Treeprocessor):
    """Turn ``# heading`` lines into bold paragraphs."""

    def run(self, root: ET.Element) -> None:
        for element in root.iter():
            if element.tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
                strong = ET.Element("strong")
                strong.text, element.text = element.text, None
                strong.extend(list(element))
                for child in list(element):
                    element.remove(child)
                element.tag = "p"
                element.attrib.clear()
                element.append(strong)


class _PostExtension(markdown.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.preprocessors.deregister("html_block")  # raw HTML blocks become escaped text
        md.inlinePatterns.deregister("html")  # and so do inline tags
        md.treeprocessors.register(_FlatHeadings(md), "elearn_flat_headings", 4)


def render_post(text: str) -> str:
    """Return the sanitised HTML of a post written in Markdown."""
    md = markdown.Markdown(extensions=["fenced_code", "sane_lists", _PostExtension()], output_format="html")
    return sanitise_post(md.convert(text))


def sanitise_post(html: str) -> str:
    """Keep only the tags, attributes and link schemes a post may have."""
    return nh3.clean(
        html,
        tags=TAGS,
        clean_content_tags={"script", "style"},
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
    )
