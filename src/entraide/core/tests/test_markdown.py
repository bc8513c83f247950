"""Journal entries in a safe Markdown subset: what is kept, and that nothing unsafe ever comes out."""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from entraide.core.content.markdown import ALLOWED_TAGS, plain_start, render_entry

SAFE_SCHEMES = ("http://", "https://", "mailto:")


def test_render_entry_keeps_paragraphs_breaks_emphasis_and_lists():
    html = render_entry("Une *belle* journée, **enfin**.\nDeuxième ligne.\n\n- un\n- deux\n\n1. premier")
    assert "<p>Une <em>belle</em> journée, <strong>enfin</strong>.<br>\nDeuxième ligne.</p>" in html
    assert "<ul>\n<li>un</li>\n<li>deux</li>\n</ul>" in html
    assert "<ol>\n<li>premier</li>\n</ol>" in html


def test_render_entry_reads_a_list_written_right_under_a_line_of_text():
    html = render_entry("Aujourd'hui :\n- marcher\n- lire\n\n```\nun code\n- pas une liste\n```")
    assert "<p>Aujourd'hui :</p>\n<ul>\n<li>marcher</li>\n<li>lire</li>\n</ul>" in html
    assert "<pre><code>un code\n- pas une liste\n</code></pre>" in html


def test_render_entry_shifts_headings_so_the_page_keeps_one_h1():
    html = render_entry("# Titre\n\n## Sous-titre\n\n### Plus bas\n\n###### Tout en bas\n\nSetext\n======")
    assert "<h1" not in html
    assert "<h2>Titre</h2>" in html
    assert "<h3>Sous-titre</h3>" in html
    assert "<h4>Plus bas</h4>" in html
    assert "<h4>Tout en bas</h4>" in html
    assert "<h2>Setext</h2>" in html


def test_render_entry_keeps_quotes_and_code():
    html = render_entry("> une citation\n\nun `mot` de code\n\n```\n<b>bloc</b>\n```")
    assert "<blockquote>\n<p>une citation</p>\n</blockquote>" in html
    assert "<code>mot</code>" in html
    assert "<pre><code>&lt;b&gt;bloc&lt;/b&gt;\n</code></pre>" in html


def test_render_entry_links_are_safe_and_open_nothing_else():
    html = render_entry(
        "[site](https://example.org) [courriel](mailto:a@example.org) [mal](javascript:alert(1)) "
        "[relatif](/compte/) <https://example.net>"
    )
    assert '<a href="https://example.org" rel="noopener noreferrer">site</a>' in html
    assert '<a href="mailto:a@example.org" rel="noopener noreferrer">courriel</a>' in html
    assert '<a href="https://example.net" rel="noopener noreferrer">https://example.net</a>' in html
    assert "javascript:" not in html
    assert "/compte/" not in html
    assert "mal" in html and "relatif" in html  # the words stay, without the link


def test_render_entry_turns_images_into_links():
    html = render_entry("![mon chat](https://example.org/chat.png)")
    assert "<img" not in html
    assert '<a href="https://example.org/chat.png" rel="noopener noreferrer">mon chat</a>' in html


def test_render_entry_shows_raw_html_as_typed_text():
    html = render_entry('<script>alert(1)</script> <b onclick="x()">gras</b>\n\n<div>bloc</div>')
    assert "<script" not in html and "<b" not in html and "<div" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;div&gt;bloc&lt;/div&gt;" in html


def test_render_entry_of_nothing_is_empty():
    assert render_entry("") == ""


def test_plain_start_names_an_untitled_entry_by_its_first_words():
    assert plain_start("## Une *journée* [calme](https://example.org)\n- rendez-vous") == (
        "Une journée calme rendez-vous"
    )
    assert (
        plain_start("un deux trois quatre cinq six sept huit neuf")
        == "un deux trois quatre cinq six sept huit…"
    )
    assert plain_start("") == ""


class _Audit(HTMLParser):
    """Every tag and attribute of the output."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [(tag, name, value or "") for name, value in attrs]

    handle_startendtag = handle_starttag


NASTY = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=x></SCRIPT>",
    "<scr<script>ipt>",
    "<img src=x onerror=alert(1)>",
    "![a](javascript:alert(1))",
    "![b](https://example.org/x.png)",
    '<a href="javascript:alert(1)">x</a>',
    "[c](javascript:alert(1))",
    "[d](jav&#x61;script:alert(1))",
    "[e](JaVaScRiPt:alert(1))",
    "[f](data:text/html;base64,PHNjcmlwdD4=)",
    "[g](vbscript:x)",
    '[h](https://example.org "t" onmouseover="x")',
    "<p style='color:red'>",
    '<div onclick="x()">',
    "<svg onload=alert(1)>",
    "<iframe src=//example.org>",
    "<style>p{}</style>",
    "<!-- c -->",
    "<https://example.org>",
    "<javascript:alert(1)>",
    "<a@example.org>",
    "&lt;script&gt;",
    "&#60;script&#62;",
    "`<script>`",
    "\n```\n<img src=x>\n```\n",
    "\n    <script>\n",
    "\n# ",
    "\n> ",
    "\n- ",
    "\n1. ",
    "**",
    "*",
    "_",
    "[",
    "](",
    ")",
    '"',
    "'",
    "<",
    ">",
    "=",
    "\n",
    "\n\n",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=12)), max_size=14).map("".join))
def test_render_entry_never_outputs_anything_unsafe(text):
    html = str(render_entry(text))
    lowered = html.lower()
    assert "<script" not in lowered
    assert "<img" not in lowered
    audit = _Audit()
    audit.feed(html)
    audit.close()
    assert set(audit.tags) <= ALLOWED_TAGS, audit.tags
    for tag, name, value in audit.attrs:
        assert name != "style" and not name.startswith("on"), (tag, name)
        assert (tag, name) in {("a", "href"), ("a", "rel")}, (tag, name)
        if name == "href":
            assert value.strip().lower().startswith(SAFE_SCHEMES), value
            assert "javascript:" not in value.lower()


def test_render_post_shows_only_images_the_caller_accepts():
    from entraide.core.content.markdown import render_post

    own = "/communaute/images/00000000-0000-4000-8000-000000000001/"
    html = render_post(
        f"![un chat]({own})\n\n![ailleurs](https://tracker.example/pixel.png)", keep_image=lambda s: s == own
    )
    assert f'<img alt="un chat" src="{own}">' in html
    assert html.count("<img") == 1
    assert '<a href="https://tracker.example/pixel.png" rel="noopener noreferrer">ailleurs</a>' in html


def test_render_post_neutralises_html_and_script_links():
    from entraide.core.content.markdown import render_post

    html = render_post(
        "<script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3)) [ok](/communaute/)",
        keep_image=lambda s: True,
    )
    assert "<script" not in html and "<img" not in html  # typed HTML reads back as text
    assert "&lt;script&gt;" in html
    assert 'href="javascript' not in html
    assert '<a href="/communaute/" rel="noopener noreferrer">ok</a>' in html
