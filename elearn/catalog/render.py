"""Markdown to sanitised HTML, done once when a course file is loaded.

Python-Markdown with tables, fenced code, a table of contents, admonitions and lists that
nest at 2-space indentation (as trainers write them on GitHub); nh3 then removes raw HTML,
event handlers and ``javascript:`` links. Links and images into ``assets/`` are rewritten to
the URL the web app serves a course's assets at. (ElementTree here is Markdown's own tree of
the rendered text; no XML is ever parsed, hence the bandit marker on its import.)
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # nosec B405
from html import unescape

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor

from .model import Heading

_TAGS = set(nh3.ALLOWED_TAGS) - {"map", "area", "center", "strike", "tt", "acronym"}
_ATTRIBUTES = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "a": {"href", "title", "class"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "td": {"align", "colspan", "rowspan"},
    **{f"h{n}": {"id"} for n in range(1, 7)},
    "div": {"class", "tabindex", "role", "aria-label"},
    "p": {"class"},
    "code": {"class"},
    "span": {"class"},
    "ol": {"start"},
}
_URL_SCHEMES = {"http", "https", "mailto", "tel"}
_ASSET_LINK = re.compile(r"^(\./)?assets/")
_REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|//|\\\\)", re.I)


class _AssetLinks(Treeprocessor):
    """Point relative ``assets/...`` links and images at the served asset URL."""

    def __init__(self, md: markdown.Markdown, prefix: str) -> None:
        super().__init__(md)
        self.prefix = prefix

    def run(self, root: ET.Element) -> None:
        for element in root.iter():
            for attr in ("src", "href"):
                value = element.get(attr)
                if value and _ASSET_LINK.match(value):
                    element.set(attr, self.prefix + _ASSET_LINK.sub("", value))


class _PhoneFriendly(Treeprocessor):
    """Make wide content usable on a 360 px phone.

    A table goes into a box that scrolls sideways on its own (focusable, so keyboard users
    can scroll it too, and named for screen readers); a figure becomes a link to the image
    itself, so a tap opens it full size where its small text can be read and zoomed.
    """

    def run(self, root: ET.Element) -> None:
        tables = 0
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag == "table":
                    tables += 1
                    box = ET.Element(
                        "div",
                        {
                            "class": "table-scroll",
                            "tabindex": "0",
                            "role": "region",
                            "aria-label": f"Tabel {tables} (geser ke samping bila terpotong)",
                        },
                    )
                    parent.remove(child)
                    box.append(child)
                    box.tail, child.tail = child.tail, None
                    parent.insert(index, box)
                elif (
                    child.tag == "img"
                    and parent.tag != "a"
                    and child.get("src")
                    and not _REMOTE.match(child.get("src"))
                ):
                    link = ET.Element("a", {"href": child.get("src"), "class": "figure-link"})
                    link.set("title", "Buka gambar dalam ukuran penuh")
                    parent.remove(child)
                    link.append(child)
                    link.tail, child.tail = child.tail, None
                    parent.insert(index, link)


class _AssetExtension(markdown.Extension):
    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.prefix = prefix

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.treeprocessors.register(_AssetLinks(md, self.prefix), "elearn_assets", 5)
        md.treeprocessors.register(_PhoneFriendly(md), "elearn_phone", 4)


class Renderer:
    """Renders the Markdown of one course; not thread-safe, make one per load."""

    def __init__(self, asset_prefix: str = "assets/") -> None:
        self._md = markdown.Markdown(
            extensions=[
                "tables",
                "fenced_code",
                "admonition",
                "toc",
                "sane_lists",
                "mdx_truly_sane_lists",
                _AssetExtension(asset_prefix),
            ],
            extension_configs={
                "toc": {"permalink": False, "toc_depth": "2-3"},
                "mdx_truly_sane_lists": {"nested_indent": 2, "truly_sane": True},
            },
            output_format="html",
        )

    def block(self, text: str) -> str:
        """Return sanitised HTML for a block of Markdown."""
        self._md.reset()
        return sanitise(self._md.convert(text))

    def document(self, text: str) -> tuple[str, tuple[Heading, ...]]:
        """Return sanitised HTML and the table of contents (level 2 and 3 headings)."""
        self._md.reset()
        html = sanitise(self._md.convert(text))
        return html, tuple(_flatten(self._md.toc_tokens))

    def inline(self, text: str) -> str:
        """Return sanitised HTML for a short text, without the wrapping paragraph."""
        html = self.block(text)
        if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            html = html[3:-4]
        return html


def _flatten(tokens: list[dict]):
    for token in tokens:
        if token["level"] in (2, 3):
            yield Heading(level=token["level"], id=token["id"], title=_plain(token["name"]))
        yield from _flatten(token.get("children", []))


def _plain(html: str) -> str:
    return unescape(nh3.clean(html, tags=set()))


def _local_images_only(tag: str, attribute: str, value: str) -> str | None:
    """Drop an image's source when it is on another site (a tracking pixel); keep all else."""
    if tag == "img" and attribute == "src" and _REMOTE.match(value):
        return None
    return value


def sanitise(html: str) -> str:
    """Remove everything but safe tags, attributes and URL schemes from HTML."""
    return nh3.clean(
        html,
        tags=_TAGS,
        clean_content_tags={"script", "style"},
        attributes=_ATTRIBUTES,
        attribute_filter=_local_images_only,
        set_tag_attribute_values={"img": {"loading": "lazy"}},
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
