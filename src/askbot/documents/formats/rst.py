"""reStructuredText through docutils, imported inside the reader: paragraphs under their section titles.

docutils parses with file inclusion and raw passthrough off (`.. include:: /etc/passwd` reads nothing)
and its warnings silenced: a document with errors still gives the prose it has.  Section titles make
the location, as Markdown headings do, and so do admonitions (`.. note::` gives "Note", `.. admonition::
Title` its title).  A literal block (`Install it::`, `.. code-block::`) goes with the paragraph before
it, as in Markdown; so does a list or table after a paragraph ending in ":", whose items and rows stay
blocks too.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from askbot.documents.formats.blocks import (
    PATH_SEPARATOR,
    Block,
    UnreadableDocument,
    attach,
    quiet,
    table_row,
)
from askbot.documents.passages import Attachment

if TYPE_CHECKING:
    from docutils import nodes

_SETTINGS = {
    "report_level": 5,  # no messages
    "halt_level": 5,  # never stop on an error
    "file_insertion_enabled": False,
    "raw_enabled": False,
    "_disable_config": True,  # no docutils.conf from the user's folders
    "doctitle_xform": False,  # the document's title stays a section title, in the path like the others
    "input_encoding": "unicode",
}
# Nodes whose text is not prose a person reads as the document's content.
_SKIPPED = frozenset(
    "comment substitution_definition target raw system_message pending image citation_reference"
    " footnote_reference".split()
)
_ADMONITIONS = frozenset("attention caution danger error hint important note tip warning seealso".split())


def rst_blocks(data: bytes) -> list[Block]:
    """The prose blocks of a reStructuredText file; UnreadableDocument when it is not UTF-8."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableDocument("not UTF-8 text") from None
    from docutils.core import publish_doctree

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    with quiet("docutils"):
        document = publish_doctree(text, settings_overrides={**_SETTINGS, "warning_stream": io.StringIO()})
    reader = _Reader(text.split("\n"))
    reader.visit(document, [])
    return reader.blocks


class _Reader:
    """Blocks gathered from a docutils document tree."""

    def __init__(self, lines: list[str]) -> None:
        self.blocks: list[Block] = []
        self._lines = lines
        self._introducer: int | None = None  # the paragraph block right before, which may introduce

    def visit(self, node: nodes.Element, path: list[str]) -> None:
        """Read `node` and what it holds, `path` being the titles above it."""
        from docutils import nodes as n

        for child in node.children:
            if not isinstance(child, n.Element) or child.tagname in _SKIPPED:
                continue
            if isinstance(child, n.section):
                self._introducer = None
                title = child.next_node(n.title)
                self.visit(child, [*path, title.astext() if title is not None else ""])
            elif isinstance(child, n.title | n.subtitle):
                continue  # in the path of what follows
            elif isinstance(child, n.paragraph):
                self._paragraph(child, path)
            elif isinstance(child, n.literal_block | n.doctest_block):
                self._attach(Attachment("code", child.astext(), self._code_line(child)), needs_colon=False)
            elif isinstance(child, n.bullet_list | n.enumerated_list):
                self._attach(_list_attachment(child), needs_colon=True)
                self.visit(child, path)
                self._introducer = None
            elif isinstance(child, n.table):
                self._table(child, path)
            elif isinstance(child, n.Admonition):
                self._introducer = None
                self.visit(child, [*path, _admonition_title(child)])
                self._introducer = None
            else:
                self.visit(child, path)

    def _paragraph(self, node: nodes.Element, path: list[str]) -> None:
        text = node.astext().strip()
        if text:
            self.blocks.append(Block(text, self._start_line(node), _location(path)))
            self._introducer = len(self.blocks) - 1

    def _table(self, node: nodes.Element, path: list[str]) -> None:
        from docutils import nodes as n

        header: list[str] = []
        rows = []
        for row in node.findall(n.row):
            cells = [" ".join(entry.astext().split()) for entry in row.findall(n.entry)]
            if isinstance(row.parent, n.thead):
                header = cells
                continue
            first = row.next_node(n.paragraph)
            rows.append((table_row(cells, header), self._start_line(first) if first is not None else 0))
        rows = [(text, line) for text, line in rows if text]
        if rows:
            self._attach(Attachment("table", "\n".join(t for t, _ in rows), rows[0][1]), needs_colon=True)
        self.blocks += [Block(text, line, _location(path)) for text, line in rows]
        self._introducer = None

    def _attach(self, attachment: Attachment, needs_colon: bool) -> None:
        """Give `attachment` to the paragraph right before, if it introduces it; then nothing is before."""
        attach(self.blocks, self._introducer, attachment, needs_colon)
        self._introducer = None

    def _start_line(self, node: nodes.Element) -> int:
        """Where a paragraph starts: docutils' line, or the line before, where its first words are."""
        line = node.line or 0
        first = (node.rawsource or node.astext()).split("\n")[0].strip()
        for candidate in (line, line - 1):
            if 0 < candidate <= len(self._lines) and first and first in self._lines[candidate - 1]:
                return candidate
        return line

    def _code_line(self, node: nodes.Element) -> int:
        """Where a literal block's first line is in the source, searched after the paragraph before it."""
        first = next((line.strip() for line in node.astext().split("\n") if line.strip()), "")
        start = self.blocks[self._introducer].line if self._introducer is not None else 1
        for number in range(max(start, 1), len(self._lines) + 1):
            if first and self._lines[number - 1].strip() == first:
                return number
        return node.line or 0


def _list_attachment(node: nodes.Element) -> Attachment:
    """A list as a person reads it: one line per item, bulleted or numbered."""
    from docutils import nodes as n

    numbered = isinstance(node, n.enumerated_list)
    items = [child for child in node.children if isinstance(child, n.list_item)]
    text = "\n".join(
        (f"{k}. " if numbered else "- ") + " ".join(item.astext().split()) for k, item in enumerate(items, 1)
    )
    first = node.next_node(n.paragraph)
    return Attachment("list", text, (first.line or 0) if first is not None else 0)


def _admonition_title(node: nodes.Element) -> str:
    """What an admonition is called: its own title (`.. admonition:: Title`), else its kind ("Note")."""
    from docutils import nodes as n

    title = node.next_node(n.title)
    if title is not None and title.parent is node:
        return title.astext()
    return node.tagname.capitalize() if node.tagname in _ADMONITIONS else ""


def _location(path: list[str]) -> str:
    return PATH_SEPARATOR.join(p for p in path if p)
