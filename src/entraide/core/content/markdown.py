"""Text people write, in a safe Markdown subset: journal entries, community posts and charters.

What a person writes is theirs to read back, so raw HTML is shown as the text they typed rather
than interpreted; images become links (an ``<img>`` would fetch another host from the page) unless
the caller accepts their address (``render_post``: images uploaded to this instance); and ``nh3``
has the last word on every tag, attribute and URL, whatever the Markdown library does.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {
    "p",
    "br",
    "em",
    "strong",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h2",
    "h3",
    "h4",
    "a",
    "code",
    "pre",
    "hr",
}
HEADINGS = {f"h{n}" for n in range(1, 7)}
LOWEST_HEADING = 4

_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style"},
    attributes={"a": {"href"}, "*": set()},  # no generic "title" or "lang" either
    url_schemes={"http", "https", "mailto"},
    url_relative="deny",  # a link in a journal leads out of the site or nowhere
    link_rel="noopener noreferrer",
)


_POST_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS | {"img"},
    clean_content_tags={"script", "style"},
    attributes={"a": {"href"}, "img": {"src", "alt"}, "*": set()},
    url_schemes={"http", "https", "mailto"},
    url_relative="pass_through",  # links to other pages of the instance, and its images
    link_rel="noopener noreferrer",
)


class _EntryTree(Treeprocessor):
    """Headings start at h2 (the page keeps its one h1, a journal heading is h2 to h4); an image
    becomes a link to it, named by its description, unless ``keep_image`` accepts its address."""

    def __init__(self, md: markdown.Markdown, keep_image: Callable[[str], bool] | None = None) -> None:
        super().__init__(md)
        self.keep_image = keep_image

    def run(self, root: ET.Element) -> None:
        for element in root.iter():
            if element.tag in HEADINGS:
                element.tag = f"h{min(int(element.tag[1]) + 1, LOWEST_HEADING)}"
            elif element.tag == "img" and self.keep_image and self.keep_image(element.get("src", "")):
                src, alt = element.get("src", ""), element.get("alt", "")
                element.attrib.clear()
                element.set("src", src)
                element.set("alt", alt)
            elif element.tag == "img":
                src, alt = element.get("src", ""), element.get("alt", "")
                element.attrib.clear()
                element.tag = "a"
                element.set("href", src)
                element.text = alt or src


_LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)]) ")


class _ListsAfterText(Preprocessor):
    """A list may start right under a line of text, as people write it ("Today:" then "- rest"):
    strict Markdown would read the dashes as part of the paragraph. Runs after fenced code is set
    aside, so code keeps its lines."""

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        in_list = False
        for line in lines:
            if _LIST_ITEM.match(line):
                if out and out[-1].strip() and not in_list:
                    out.append("")
                in_list = True
            elif not line.strip():
                in_list = False
            out.append(line)
        return out


class _EntryExtension(Extension):
    def __init__(self, keep_image: Callable[[str], bool] | None = None) -> None:
        super().__init__()
        self.keep_image = keep_image

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 — the library's name
        # Raw HTML is text: "<b>" typed in an entry reads back as "<b>".
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.preprocessors.register(_ListsAfterText(md), "lists_after_text", 10)
        md.treeprocessors.register(_EntryTree(md, self.keep_image), "entry_tree", 5)


def render_entry(text: str) -> SafeString:
    """The HTML of an entry's body: paragraphs, line breaks, emphasis, lists, quotes, headings
    (h2 to h4), links (http, https, mailto), code. Safe to insert in a page."""
    html = markdown.markdown(
        text or "", extensions=["sane_lists", "nl2br", "fenced_code", _EntryExtension()], output_format="html"
    )
    return mark_safe(_CLEANER.clean(html))  # noqa: S308 — sanitised by nh3 just above


def render_post(text: str, *, keep_image: Callable[[str], bool]) -> SafeString:
    """A post's or a charter's HTML: what ``render_entry`` keeps, plus links within the instance
    and the images whose address ``keep_image`` accepts (the instance's own uploads); any other
    image becomes a link. Safe to insert in a page."""
    html = markdown.markdown(
        text or "",
        extensions=["sane_lists", "nl2br", "fenced_code", _EntryExtension(keep_image)],
        output_format="html",
    )
    return mark_safe(_POST_CLEANER.clean(html))  # noqa: S308 — sanitised by nh3 just above


_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_LINE_MARKS = re.compile(r"^\s*(?:[#>]+|[-*+]|\d+[.)])\s+", re.MULTILINE)
_INLINE_MARKS = re.compile(r"[*_`~]+")


def plain_start(text: str, words: int = 8) -> str:
    """The first words of an entry, without Markdown marks: how an untitled entry is named."""
    plain = _INLINE_MARKS.sub("", _LINE_MARKS.sub("", _LINK.sub(r"\1", text or "")))
    found = plain.split()
    start = " ".join(found[:words])
    return f"{start}…" if len(found) > words else start
