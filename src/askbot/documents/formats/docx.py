"""Word documents (.docx): paragraphs and table rows under their headings, numbered by paragraph.

A .docx has no lines a person can go to, so `Block.line` is the paragraph's number within its
heading's section, and the citation says "paragraph 3" (askbot.documents.passages).  Headings are
told by their style's name ("heading 2", "Title"), which Word writes in English whatever the
language of its menus, or by an outline level.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from askbot.documents.formats.blocks import PATH_SEPARATOR, Block, UnreadableDocument, one_line, table_row
from askbot.documents.formats.zipped import ZipOfXml

if TYPE_CHECKING:
    from xml.etree import ElementTree

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE_RE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)


def docx_blocks(data: bytes) -> list[Block]:
    """A Word document's paragraphs and table rows, each numbered within its heading's section."""
    archive = ZipOfXml(data, ".docx")
    body = archive.xml("word/document.xml")
    if body is None:
        raise UnreadableDocument("not a Word document (no word/document.xml)")
    styles = _heading_styles(archive.xml("word/styles.xml"))
    blocks: list[Block] = []
    headings: list[tuple[int, str]] = []
    number = 0  # paragraphs so far in the current section
    for element in _body_parts(body):
        if element.tag == _W + "tbl":
            texts = _table_rows(element)
        else:
            level = _heading_level(element, styles)
            text = _paragraph_text(element)
            if level is not None and text:
                headings = [h for h in headings if h[0] < level] + [(level, text)]
                number = 0
                continue
            texts = [text]
        for text in filter(None, texts):
            number += 1
            blocks.append(Block(text, number, PATH_SEPARATOR.join(t for _, t in headings)))
    return blocks


def _body_parts(body: ElementTree.Element) -> Iterator[ElementTree.Element]:
    """The body's paragraphs and tables in order, including those inside content controls."""
    container = body.find(_W + "body")
    stack = list(reversed(container if container is not None else []))
    while stack:
        element = stack.pop()
        if element.tag in (_W + "p", _W + "tbl"):
            yield element
        elif element.tag in (_W + "sdt", _W + "sdtContent", _W + "customXml"):
            stack += reversed(element)


def _heading_styles(styles: ElementTree.Element | None) -> dict[str, int]:
    """Style id -> heading level, from the style names ("heading 2", "Title"), which Word never translates."""
    levels: dict[str, int] = {}
    for style in styles.iter(_W + "style") if styles is not None else []:
        name_element = style.find(_W + "name")
        name = (name_element.get(_W + "val") or "") if name_element is not None else ""
        match = _HEADING_STYLE_RE.match(name)
        if match or name.lower() == "title":
            levels[style.get(_W + "styleId") or ""] = int(match[1]) if match else 0
    return levels


def _heading_level(paragraph: ElementTree.Element, styles: dict[str, int]) -> int | None:
    """A heading paragraph's level (0 for the title), from its style or its outline level; else None."""
    properties = paragraph.find(_W + "pPr")
    if properties is None:
        return None
    style = properties.find(_W + "pStyle")
    if style is not None and (style.get(_W + "val") or "") in styles:
        return styles[style.get(_W + "val") or ""]
    outline = properties.find(_W + "outlineLvl")
    value = outline.get(_W + "val") if outline is not None else None
    return int(value) + 1 if value is not None and value.isdigit() and int(value) < 9 else None


def _paragraph_text(paragraph: ElementTree.Element) -> str:
    """A paragraph's text on one line: its runs, tabs and breaks as spaces, deleted text left out."""
    parts = []
    for element in paragraph.iter():
        if element.tag == _W + "t":
            parts.append(element.text or "")
        elif element.tag in (_W + "tab", _W + "br", _W + "cr"):
            parts.append(" ")
    return one_line("".join(parts))


def _table_rows(table: ElementTree.Element) -> list[str]:
    """A table's rows, each cell after its column's header when the first row is one.

    The first row is a header when Word is told so: marked to repeat on each page, or styled as one
    (the table look's "first row", which Word sets on the tables it makes).
    """
    rows = [_cells(row) for row in table.iter(_W + "tr")]
    first = table.find(f"{_W}tr/{_W}trPr/{_W}tblHeader")
    look = table.find(f"{_W}tblPr/{_W}tblLook")
    styled = look is not None and (
        look.get(_W + "firstRow") in ("1", "true", "on")
        or (look.get(_W + "firstRow") is None and int(look.get(_W + "val") or "0", 16) & 0x20 != 0)
    )
    if len(rows) < 2 or (first is None and not styled):
        return [table_row(row, []) for row in rows]
    return [table_row(row, rows[0]) for row in rows[1:]]


def _cells(row: ElementTree.Element) -> list[str]:
    """A table row's cells, each on one line."""
    return [" ".join(filter(None, map(_paragraph_text, cell.iter(_W + "p")))) for cell in row.iter(_W + "tc")]
