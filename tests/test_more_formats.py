"""reStructuredText, Jupyter notebooks, Word documents and EPUB books, made by the tests, read and cited."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from ebooklib import epub

from askbot import Knowledge
from askbot.documents.formats import (
    Block,
    UnreadableDocument,
    docx_blocks,
    epub_blocks,
    notebook_blocks,
    rst_blocks,
    zipped,
)
from askbot.documents.passages import Attachment

# ------------------------------------------------------------------------------------ reStructuredText

RST = b"""\
Widget
======

The widget counts tides.

Installation
------------

Install it with pip::

    pip install widget

.. note::
   Python 3.10 or newer is needed.

.. admonition:: Large files

   Uploads of any size are safe.

Error codes:

=====  ===================
Code   Meaning
=====  ===================
E42    The battery is empty.
=====  ===================

.. include:: /etc/passwd
"""


def test_rst_paragraphs_are_cited_under_their_section_titles_with_lines() -> None:
    """Each paragraph is a block on its source line, its location the path of section titles."""
    blocks = rst_blocks(RST)
    assert blocks[0] == Block("The widget counts tides.", 4, "Widget")
    assert (blocks[1].text, blocks[1].line, blocks[1].location) == (
        "Install it with pip:",
        9,
        "Widget › Installation",
    )


def test_rst_literal_block_goes_with_the_paragraph_introducing_it() -> None:
    """`Install it with pip::` carries the literal block under it, cited at the code's line."""
    assert rst_blocks(RST)[1].attached == Attachment("code", "pip install widget", 11)


def test_rst_admonitions_are_prose_under_their_title() -> None:
    """`.. note::` is titled "Note" and `.. admonition:: Large files` by its own title."""
    located = {b.text: b.location for b in rst_blocks(RST)}
    assert located["Python 3.10 or newer is needed."] == "Widget › Installation › Note"
    assert located["Uploads of any size are safe."] == "Widget › Installation › Large files"


def test_rst_table_rows_are_read_under_their_header_and_attached_after_a_colon() -> None:
    """A table's body rows are blocks with each cell after its header; "Error codes:" carries the table."""
    blocks = rst_blocks(RST)
    assert Block("Code: E42 · Meaning: The battery is empty.", 25, "Widget › Installation") in blocks
    introducer = next(b for b in blocks if b.text == "Error codes:")
    assert introducer.attached == Attachment("table", "Code: E42 · Meaning: The battery is empty.", 25)


def test_rst_include_directives_read_no_file() -> None:
    """`.. include:: /etc/passwd` is not followed: nothing of the file is read."""
    assert not any("root:" in b.text for b in rst_blocks(RST))


def test_rst_that_is_not_utf8_is_unreadable() -> None:
    """Latin-1 bytes are refused with the reason."""
    with pytest.raises(UnreadableDocument, match="not UTF-8"):
        rst_blocks("Café.\n".encode("latin-1"))


# -------------------------------------------------------------------------------------------- notebooks


def make_notebook(*cells: tuple[str, str]) -> bytes:
    """An nbformat 4 notebook of (type, source) cells, each source a list of lines as Jupyter saves it."""
    return json.dumps(
        {
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": {},
            "cells": [
                {"cell_type": kind, "metadata": {}, "source": source.splitlines(keepends=True)}
                | ({"outputs": [{"text": "OUTPUT"}], "execution_count": 1} if kind == "code" else {})
                for kind, source in cells
            ],
        }
    ).encode()


NOTEBOOK = make_notebook(
    ("markdown", "# Tides\n\nWe study the tides."),
    ("markdown", "## Setup\n\nFirst things first. Load the tide table:"),
    ("code", "import pandas\ntides = pandas.read_csv('tides.csv')"),
    ("markdown", "High tide comes\ntwice a day."),
)


def test_notebook_markdown_cells_are_cited_by_cell_and_line_under_earlier_headings() -> None:
    """Markdown cells are prose; headings carry from cell to cell; the location ends with the cell."""
    assert [(b.text, b.line, b.location) for b in notebook_blocks(NOTEBOOK)] == [
        ("We study the tides.", 3, "Tides › cell 1"),
        ("First things first. Load the tide table:", 3, "Tides › Setup › cell 2"),
        ("High tide comes\ntwice a day.", 1, "Tides › Setup › cell 4"),
    ]


def test_notebook_code_cell_goes_with_the_markdown_before_it_and_outputs_are_left_out() -> None:
    """A code cell is attached to the Markdown cell before it; its outputs are read nowhere."""
    blocks = notebook_blocks(NOTEBOOK)
    code = "import pandas\ntides = pandas.read_csv('tides.csv')"
    assert blocks[1].attached == Attachment("code", code, 1)
    assert not any("OUTPUT" in b.text for b in blocks)


@pytest.mark.parametrize(
    ("data", "reason"), [(b"{not json", "broken notebook"), (b"[1, 2]", "not a Jupyter")]
)
def test_broken_notebooks_are_unreadable(data: bytes, reason: str) -> None:
    """A file that is not JSON, or JSON that is not a notebook, is refused with the reason."""
    with pytest.raises(UnreadableDocument, match=reason):
        notebook_blocks(data)


# ------------------------------------------------------------------------------------------ Word (.docx)


def make_docx() -> bytes:
    """A Word document written by python-docx: a title, two headed sections, a run in bold, a table."""
    document = docx.Document()
    document.add_heading("Widget manual", 0)
    document.add_heading("Installation", level=1)
    document.add_paragraph("Install the widget with the installer. It takes a minute.")
    paragraph = document.add_paragraph("The installer asks for ")
    paragraph.add_run("your licence key").bold = True
    paragraph.add_run(".")
    document.add_heading("Troubleshooting", level=1)
    document.add_paragraph("If the lamp blinks red, restart the widget.")
    table = document.add_table(rows=2, cols=2)
    for (row, column), text in {(0, 0): "Code", (0, 1): "Meaning", (1, 0): "E42", (1, 1): "Empty."}.items():
        table.cell(row, column).text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_paragraphs_are_numbered_within_their_heading() -> None:
    """Headings make the location; paragraphs and table rows count from 1 in each section."""
    assert docx_blocks(make_docx()) == [
        Block("Install the widget with the installer. It takes a minute.", 1, "Widget manual › Installation"),
        Block("The installer asks for your licence key.", 2, "Widget manual › Installation"),
        Block("If the lamp blinks red, restart the widget.", 1, "Widget manual › Troubleshooting"),
        Block("Code: E42 · Meaning: Empty.", 2, "Widget manual › Troubleshooting"),
    ]


def test_docx_that_is_no_zip_or_no_word_document_is_unreadable() -> None:
    """Bytes that are not a zip, or a zip without word/document.xml, are refused saying which."""
    with pytest.raises(UnreadableDocument, match="broken .docx: not a zip file"):
        docx_blocks(b"PK\x03\x04 not really")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(UnreadableDocument, match="not a Word document"):
        docx_blocks(out.getvalue())


def test_a_zip_that_unpacks_past_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """A member larger unpacked than the cap (a zip bomb, at scale) is refused, not unpacked whole."""
    monkeypatch.setattr(zipped, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(UnreadableDocument, match="unpacks to more than"):
        docx_blocks(make_docx())


# ----------------------------------------------------------------------------------------------- EPUB


def make_epub() -> bytes:
    """An EPUB 3 book written by EbookLib: two chapters, a nav document and an NCX."""
    book = epub.EpubBook()
    book.set_identifier("sea-stories")
    book.set_title("Sea Stories")
    book.set_language("en")
    storm = epub.EpubHtml(title="The Storm", file_name="text/storm.xhtml", lang="en")
    storm.content = "<h1>I</h1><p>The storm broke at midnight.</p><p>The captain took the wheel.</p>"
    harbour = epub.EpubHtml(title="The Harbour", file_name="text/harbour.xhtml", lang="en")
    harbour.content = "<h1>II</h1><p>At dawn they reached Ostend.</p>"
    for chapter in (storm, harbour):
        book.add_item(chapter)
    book.toc = (storm, harbour)
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", storm, harbour]
    path = io.BytesIO()
    epub.write_epub(path, book)
    return path.getvalue()


def make_epub2() -> bytes:
    """A minimal EPUB 2 book written by hand: container, package, NCX, one chapter."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip")
        archive.writestr(
            "META-INF/container.xml",
            '<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container" version="1.0"><rootfiles>'
            '<rootfile full-path="OEBPS/book.opf" media-type="application/oebps-package+xml"/>'
            "</rootfiles></container>",
        )
        archive.writestr(
            "OEBPS/book.opf",
            '<package xmlns="http://www.idpf.org/2007/opf" version="2.0"><manifest>'
            '<item id="c1" href="one.html" media-type="application/xhtml+xml"/>'
            '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>'
            '</manifest><spine toc="ncx"><itemref idref="c1"/></spine></package>',
        )
        archive.writestr(
            "OEBPS/toc.ncx",
            '<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/"><navMap><navPoint id="n1">'
            '<navLabel><text>Chapter One: Lighthouses</text></navLabel><content src="one.html#top"/>'
            "</navPoint></navMap></ncx>",
        )
        archive.writestr("OEBPS/one.html", "<html><body><p>The keeper lit the lamp.</p></body></html>")
    return out.getvalue()


def test_epub_paragraphs_are_numbered_within_chapters_titled_by_the_contents() -> None:
    """Chapters come in spine order, titled as the table of contents has them, paragraphs from 1."""
    assert epub_blocks(make_epub()) == [
        Block("The storm broke at midnight.", 1, "The Storm"),
        Block("The captain took the wheel.", 2, "The Storm"),
        Block("At dawn they reached Ostend.", 1, "The Harbour"),
    ]


def test_epub2_chapters_take_their_titles_from_the_ncx() -> None:
    """An EPUB 2 book without a nav document is titled through its NCX."""
    assert epub_blocks(make_epub2()) == [Block("The keeper lit the lamp.", 1, "Chapter One: Lighthouses")]


def test_a_zip_without_a_container_is_no_epub() -> None:
    """A zip file lacking META-INF/container.xml is refused as not an EPUB book."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("x.html", "<p>Hi.</p>")
    with pytest.raises(UnreadableDocument, match="not an EPUB book"):
        epub_blocks(out.getvalue())


# ---------------------------------------------------------------------------------------- end to end


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A folder holding one file of each of these formats, and a broken Word document."""
    (tmp_path / "guide.rst").write_bytes(RST)
    (tmp_path / "tides.ipynb").write_bytes(NOTEBOOK)
    (tmp_path / "manual.docx").write_bytes(make_docx())
    (tmp_path / "sea.epub").write_bytes(make_epub())
    (tmp_path / "broken.docx").write_bytes(b"not a zip at all")
    return tmp_path


def test_each_format_answers_with_a_citation_a_person_can_follow(library: Path) -> None:
    """Answers from each format cite it by section and line, cell and line, or chapter and paragraph."""
    kb = Knowledge(library, cache=False)
    cited = {
        question: f"{answer.source} › {answer.location}"
        for question in (
            "how do I install the widget with pip?",
            "how do I load the tide table?",
            "what happens if the lamp blinks red?",
            "when did the storm break?",
        )
        for answer in [kb.ask(question)]
    }
    assert cited == {
        "how do I install the widget with pip?": "guide.rst › Widget › Installation, line 9",
        "how do I load the tide table?": "tides.ipynb › Tides › Setup › cell 2, line 3",
        "what happens if the lamp blinks red?": "manual.docx › Widget manual › Troubleshooting, paragraph 1",
        "when did the storm break?": "sea.epub › The Storm, paragraph 1",
    }
    assert [(s.source, s.reason) for s in kb.skipped] == [("broken.docx", "broken .docx: not a zip file")]


def test_json_gives_no_line_for_formats_numbered_by_paragraph(library: Path) -> None:
    """In --json, a Word or EPUB answer has line null and its paragraph in the location."""
    result = subprocess.run(
        [sys.executable, "-m", "askbot", "-k", str(library), "--json", "when did the storm break?"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    answer = json.loads(result.stdout)["answers"][0]
    assert (answer["line"], answer["location"]) == (None, "The Storm, paragraph 1")


def test_sources_names_each_format(library: Path) -> None:
    """--sources groups the files by format, each named as a person calls it."""
    result = subprocess.run(
        [sys.executable, "-m", "askbot", "-k", str(library), "--sources"], capture_output=True, text=True
    )
    for name in ("reStructuredText: 1 file", "Jupyter notebook: 1 file", "Word: 1 file", "EPUB: 1 file"):
        assert name in result.stdout
