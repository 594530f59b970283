"""Reading Markdown, HTML and PDF documents into blocks of prose that know where they are."""

from __future__ import annotations

import io
import logging
import subprocess
import sys

import pytest

from askbot.documents.formats import (
    READERS,
    Block,
    UnreadableDocument,
    html_blocks,
    markdown_blocks,
    pdf_blocks,
)
from askbot.documents.walk import SUFFIXES
from tests.documents import make_pdf


def texts(blocks: list[Block]) -> list[str]:
    """The text of each block."""
    return [b.text for b in blocks]


# ---------------------------------------------------------------------------------------------- Markdown

GUIDE = """\
---
title: The guide
tags: [a, b]
---
# Guide

Read *this* **first**, then [the manual](https://example.org/manual) and `askbot --help`.
It spans two lines.

## Installation

- Install with pip.
- Then run it
  from a terminal.
  1. A nested step.

```sh
pip install askbot
```

    indented code

<!-- a comment -->

### Upgrading

Upgrade with pip too.

## Usage

Ask a question.
"""


def test_markdown_markup_is_read_as_prose() -> None:
    """Emphasis, links and inline code lose their markup; link text stays and its URL goes."""
    first = markdown_blocks(GUIDE)[0]
    assert first.text == "Read this first, then the manual and askbot --help.\nIt spans two lines."
    assert "example.org" not in first.text


def test_markdown_blocks_start_on_their_source_lines() -> None:
    """Each block's line is where it starts in the file, front matter counted."""
    lines = GUIDE.splitlines()
    for block in markdown_blocks(GUIDE):
        assert block.text.split()[0] in lines[block.line - 1]
    assert [b.line for b in markdown_blocks(GUIDE)] == [7, 12, 13, 15, 27, 31]


def test_markdown_front_matter_code_and_comments_are_not_blocks() -> None:
    """Front matter, fenced and indented code and HTML comments give no blocks."""
    joined = "\n".join(texts(markdown_blocks(GUIDE)))
    for hidden in ("title", "tags", "pip install", "indented code", "comment", "```"):
        assert hidden not in joined


def test_markdown_list_items_are_blocks_of_their_own() -> None:
    """Every list item, nested ones too, is a block without its bullet, keeping its line breaks."""
    assert texts(markdown_blocks(GUIDE))[1:4] == [
        "Install with pip.",
        "Then run it\nfrom a terminal.",
        "A nested step.",
    ]


def test_markdown_headings_are_the_location_path_not_blocks() -> None:
    """A block's location is the path of headings above it, and a heading ends its siblings' sections."""
    blocks = markdown_blocks(GUIDE)
    assert [b.location for b in blocks] == [
        "Guide",
        "Guide › Installation",
        "Guide › Installation",
        "Guide › Installation",
        "Guide › Installation › Upgrading",
        "Guide › Usage",
    ]
    assert not any(b.text in ("Guide", "Installation", "Usage") for b in blocks)


def test_markdown_without_headings_has_no_location() -> None:
    """Text before any heading has an empty location."""
    assert markdown_blocks("Just a note.\n") == [Block("Just a note.", 1, "")]


def test_markdown_setext_headings_count_too() -> None:
    """An underlined heading is a heading like a hashed one."""
    assert markdown_blocks("Title\n=====\n\nText.\n") == [Block("Text.", 4, "Title")]


def test_markdown_toml_front_matter_is_skipped() -> None:
    """Front matter fenced with +++ is skipped as well."""
    assert markdown_blocks('+++\ntitle = "x"\n+++\nBody.\n') == [Block("Body.", 4, "")]


def test_markdown_rule_at_the_top_without_a_closing_fence_is_not_front_matter() -> None:
    """A document that starts with a rule but never closes it keeps its text."""
    assert texts(markdown_blocks("---\n\nBody.\n")) == ["Body."]


def test_markdown_table_rows_are_blocks_of_cells_under_their_headers() -> None:
    """Each body row is a block of its cells, each after its column's header, joined with a middle dot."""
    table = "| Name | Port |\n|---|---|\n| *web* | 80 |\n| ssh | |\n| | 22 |\n"
    assert markdown_blocks(table) == [
        Block("Name: web · Port: 80", 3, ""),
        Block("Name: ssh", 4, ""),
        Block("Port: 22", 5, ""),
    ]


def test_markdown_images_and_inline_html_leave_no_traces() -> None:
    """Images and inline HTML are dropped without doubled spaces; entities and escapes become characters."""
    source = "See ![logo](x.png) and <b>this</b> &amp; \\*that\\*.\n"
    assert texts(markdown_blocks(source)) == ["See and this & *that*."]


def test_markdown_windows_line_endings_count_lines_right() -> None:
    """CRLF files give the same lines as LF files."""
    assert markdown_blocks("---\r\na: 1\r\n---\r\n# H\r\n\r\nOne\r\ntwo.\r\n") == [Block("One\ntwo.", 6, "H")]


def test_markdown_reader_rejects_text_that_is_not_utf8() -> None:
    """A Markdown file that is not UTF-8 is unreadable, and a byte-order mark is no text."""
    with pytest.raises(UnreadableDocument, match="not UTF-8 text"):
        READERS[".md"]("Caf\xe9.".encode("latin-1"))
    assert READERS[".markdown"]("\ufeff# H\n\nCafé.".encode()) == [Block("Café.", 3, "H")]


# -------------------------------------------------------------------------------------------------- HTML

PAGE = b"""\
<!doctype html>
<html><head>
<title>Askbot &amp; you</title>
<style>p { color: red }</style>
<script>var s = "<p>not shown</p>";</script>
</head>
<body>
<header><a href="/">Home</a></header>
<nav><ul><li>Menu item</li></ul></nav>
<main>
<h1>Getting started</h1>
<p>First   paragraph with <b>bold</b>
   and a <a
   href="https://example.org">link</a> &mdash; &lt;done&gt;.</p>
<ul><li>One<li>Two</ul>
<noscript>Enable JavaScript.</noscript><template><p>Template text.</p></template>
<div role="navigation">Next page</div><p hidden>Hidden text.</p>
<aside>Related links</aside>
<h2>Details</h2>
<div>Direct text<p>Inner text.</p>after it.</div>
<table><tr><th>Name</th><th>Port</th></tr>
<tr><td>web</td><td>80</td></tr></table>
<p>Line one<br>line two.</p>
</main>
<footer>Copyright</footer>
</body></html>
"""


def test_html_shows_what_a_browser_shows() -> None:
    """Scripts, styles, navigation, page header and footer, asides and hidden elements give no blocks."""
    assert texts(html_blocks(PAGE)) == [
        "First paragraph with bold\nand a\nlink — <done>.",
        "One",
        "Two",
        "Direct text",
        "Inner text.",
        "after it.",
        "Name · Port",
        "web · 80",
        "Line one\nline two.",
    ]


def test_html_location_is_the_title_and_nearest_heading() -> None:
    """Headings are not blocks; the page title and the nearest heading before a block are its location."""
    locations = [b.location for b in html_blocks(PAGE)]
    assert locations[0] == "Askbot & you › Getting started"
    assert locations[-1] == "Askbot & you › Details"


def test_html_blocks_know_their_source_lines() -> None:
    """A block's line is where its text starts, and tags spanning lines keep the count inside it."""
    blocks = html_blocks(PAGE)
    assert [b.line for b in blocks[:3]] == [12, 15, 15]
    first = blocks[0]
    assert first.line + first.text.count("\n") == 14  # "link" is on line 14


def test_html_header_inside_an_article_is_content() -> None:
    """An article's own header is kept; only the page's header is boilerplate."""
    page = b"<header>Site</header><article><header><p>By Ann</p></header><p>Story.</p></article>"
    assert texts(html_blocks(page)) == ["By Ann", "Story."]


def test_html_controls_menus_and_decoration_are_not_prose() -> None:
    """Buttons, menus, search forms, closed dialogs, ARIA-hidden and landmark boilerplate give no blocks."""
    page = b"""<div role="banner">Site name</div><button>Toggle</button><ul role="menu"><li>Theme</li></ul>
<form role="search"><p>Search:</p></form><span aria-hidden="true">*</span><dialog>Popup</dialog>
<p>Kept.</p><dialog open>Open dialog.</dialog><div role="contentinfo">Legal</div>"""
    assert html_blocks(page) == [Block("Kept.", 3, ""), Block("Open dialog.", 3, "")]


def test_html_element_hidden_by_its_inline_style_gives_no_blocks() -> None:
    """display: none and visibility: hidden in a style attribute hide the text; other styles do not."""
    page = b"""<div style="display: none">Cookie banner.</div>
<p style="color:red; DISPLAY:NONE !important">Gone.</p><span style="visibility:hidden">Invisible.</span>
<p style="display:block">Shown.</p>
<p style="display: nonexistent">Also shown.</p>"""
    assert texts(html_blocks(page)) == ["Shown.", "Also shown."]


def test_html_comments_give_no_text_and_preformatted_text_keeps_its_lines() -> None:
    """Comments are dropped, and a <pre> block keeps its line breaks."""
    page = b"<p>Before <!-- a note --> after.</p>\n<pre>line one\n  line two</pre>"
    assert html_blocks(page) == [Block("Before after.", 1, ""), Block("line one\nline two", 2, "")]


def test_html_without_title_uses_the_heading_alone() -> None:
    """A page with no title is located by its heading, and one with neither by nothing."""
    assert html_blocks(b"<h3>Notes</h3><p>Text.</p>") == [Block("Text.", 1, "Notes")]
    assert html_blocks(b"<p>Text.</p>") == [Block("Text.", 1, "")]


def test_html_charset_from_meta_tag() -> None:
    """A page that declares Latin-1 is decoded as browsers do, as Windows-1252."""
    page = b'<meta charset="ISO-8859-1"><title>Caf\xe9</title><p>Price: 5 \x80, na\xefve.</p>'
    assert html_blocks(page) == [Block("Price: 5 €, naïve.", 1, "Café")]


def test_html_charset_from_http_equiv() -> None:
    """The older http-equiv content type declares the charset too."""
    page = (
        b'<meta http-equiv="Content-Type" content="text/html; charset=koi8-r"><p>\xf0\xd2\xc9\xd7\xc5\xd4</p>'
    )
    assert texts(html_blocks(page)) == ["Привет"]


def test_html_byte_order_mark_wins() -> None:
    """A UTF-16 page with its byte-order mark is read without any charset declared."""
    assert texts(html_blocks("<p>Grüße</p>".encode("utf-16"))) == ["Grüße"]


def test_html_undeclared_bytes_that_are_not_utf8_are_replaced() -> None:
    """Without a charset the page is UTF-8, and bytes that are not become replacement characters."""
    assert texts(html_blocks(b'<meta charset="no-such-codec"><p>Caf\xe9</p>')) == ["Caf\ufffd"]


def test_html_hidden_element_left_open_ends_with_the_body() -> None:
    """An unclosed <nav> does not swallow the rest of the document after </body>."""
    assert texts(html_blocks(b"<body><nav>Menu</body><p>Late text.</p>")) == ["Late text."]


def test_html_hidden_element_left_open_ends_where_html_ends_it() -> None:
    """A hidden <p> or <li> without its end tag ends at the next paragraph or item, as in a browser."""
    page = b"""<p hidden>Hidden paragraph.<p>Shown paragraph.<div style="display:none">Hidden div.</div>
<ul><li hidden>Hidden item<ul><li>Hidden inner item</ul><li>Shown item.</ul>
<div><p hidden>Hidden in a div.</div><p>After the div.</p>
<table><tr hidden><td>Hidden cell<td>Hidden cell<tr><td>Shown cell.</table>"""
    assert texts(html_blocks(page)) == ["Shown paragraph.", "Shown item.", "After the div.", "Shown cell."]


def test_html_stray_end_tag_inside_a_hidden_element_keeps_it_hidden() -> None:
    """An inline end tag with no start inside hidden text does not end the hiding early."""
    page = b"<div hidden>Hidden</span> still hidden</div><p>After.</p>"
    assert texts(html_blocks(page)) == ["After."]


# --------------------------------------------------------------------------------------------------- PDF


def test_pdf_pages_are_the_location() -> None:
    """Each block of a two-page PDF says which page it is on."""
    blocks = pdf_blocks(make_pdf(["Page one text."], ["Page two text."]))
    assert blocks == [Block("Page one text.", 1, "page 1"), Block("Page two text.", 1, "page 2")]


def test_pdf_hyphenated_words_are_joined_but_real_hyphens_kept() -> None:
    """A word broken at a line end is joined when the rest is lower case, and kept before a capital."""
    blocks = pdf_blocks(make_pdf(["The inter-", "national mission of the NATO-", "Iraq kind."]))
    assert texts(blocks) == ["The international\nmission of the NATO-\nIraq kind."]


def test_pdf_blank_lines_split_blocks() -> None:
    """Blank lines in a page's text separate its blocks, and lines are counted within the page."""
    blocks = pdf_blocks(make_pdf(["First block", "goes on. And", "More here.", " ", "Second block."]))
    assert blocks == [
        Block("First block\ngoes on. And\nMore here.", 1, "page 1"),
        Block("Second block.", 5, "page 1"),
    ]


def test_pdf_without_blank_lines_splits_after_sentence_ends() -> None:
    """With no blank line on a page, a sentence ending a line before a capital ends a block."""
    blocks = pdf_blocks(make_pdf(["One sentence", "ends here.", "Next starts", "here. and goes on."]))
    assert blocks == [
        Block("One sentence\nends here.", 1, "page 1"),
        Block("Next starts\nhere. and goes on.", 3, "page 1"),
    ]


def test_pdf_with_only_an_empty_page_has_no_text_layer() -> None:
    """A PDF whose pages give no text is reported as probably scanned."""
    with pytest.raises(UnreadableDocument, match=r"PDF has no text layer \(scanned\?\)"):
        pdf_blocks(make_pdf([]))


def test_broken_pdf_is_unreadable() -> None:
    """Garbage, empty and truncated files are broken PDFs."""
    for data in (b"this is not a PDF at all", b"", make_pdf(["Some text."])[:150]):
        with pytest.raises(UnreadableDocument, match="^broken PDF: "):
            pdf_blocks(data)


def test_encrypted_pdf_is_unreadable() -> None:
    """A PDF that needs a password says so."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(["Secret."]))))
    writer.encrypt("secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(UnreadableDocument, match="encrypted PDF"):
        pdf_blocks(out.getvalue())


def test_pdf_reader_keeps_pypdf_quiet(caplog: pytest.LogCaptureFixture) -> None:
    """pypdf's warnings about a damaged file are not logged, and its log level is restored afterwards."""
    caplog.set_level(logging.DEBUG)
    with pytest.raises(UnreadableDocument):
        pdf_blocks(b"garbage")
    assert caplog.records == []
    assert logging.getLogger("pypdf").level == logging.NOTSET


# ------------------------------------------------------------------------------------------------ READERS


def test_readers_cover_the_suffixes() -> None:
    """Each supported suffix maps to the reader of its format."""
    assert set(READERS) == {".md", ".markdown", ".rst", ".html", ".htm", ".pdf", ".ipynb", ".docx", ".epub"}
    assert set(READERS) | {".txt"} == set(SUFFIXES)
    assert READERS[".htm"](b"<p>Hi.</p>") == [Block("Hi.", 1, "")]
    assert READERS[".pdf"](make_pdf(["Hi."])) == [Block("Hi.", 1, "page 1")]


def test_importing_formats_loads_no_parser() -> None:
    """Importing the readers leaves markdown-it, pypdf, docutils, zipfile and json unloaded until needed."""
    code = (
        "import sys, askbot.documents.formats; "
        "print(sorted(m for m in ('markdown_it', 'pypdf', 'docutils', 'zipfile', 'json')"
        " if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
