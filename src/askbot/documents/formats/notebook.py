"""Jupyter notebooks (.ipynb) through the standard library's json: Markdown cells as prose, by cell.

A notebook is JSON (nbformat 4, or 3 with its worksheets); nbformat itself would only validate it.
Each Markdown cell is read as Markdown under the headings of the cells before it, and cited by its
number and the line inside it ("Setup › cell 4, line 2").  A code cell is no prose: it goes with the
last sentence of the Markdown cell right before it ("Load the data:"), shown with it and searched
through it, as a code block in a Markdown file goes with the sentence before it.  Outputs are left out.
"""

from __future__ import annotations

from dataclasses import replace

from askbot.documents.formats.blocks import PATH_SEPARATOR, Block, UnreadableDocument
from askbot.documents.formats.markdown import Headings, read_markdown
from askbot.documents.passages import Attachment


def notebook_blocks(data: bytes) -> list[Block]:
    """The prose of a notebook's Markdown cells, with code cells attached; UnreadableDocument if broken."""
    blocks: list[Block] = []
    headings: Headings = []
    last_markdown: int | None = None  # the block that ends the Markdown cell right before
    for number, (kind, source) in enumerate(_cells(data), 1):
        if kind == "markdown":
            cell_blocks, headings = read_markdown(source, headings)
            where = f"cell {number}"
            blocks += [
                replace(b, location=PATH_SEPARATOR.join(filter(None, [b.location, where])))
                for b in cell_blocks
            ]
            last_markdown = len(blocks) - 1 if cell_blocks else None
        elif kind == "code" and source.strip() and last_markdown is not None:
            if blocks[last_markdown].attached is None:
                code = Attachment("code", source.rstrip("\n"), 1)
                blocks[last_markdown] = replace(blocks[last_markdown], attached=code)
            last_markdown = None
        else:
            last_markdown = None
    return blocks


def _cells(data: bytes) -> list[tuple[str, str]]:
    """(type, source) of each cell, in order."""
    import json

    try:
        notebook = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise UnreadableDocument("not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise UnreadableDocument(f"broken notebook: {error.msg} at line {error.lineno}") from None
    if not isinstance(notebook, dict):
        raise UnreadableDocument("not a Jupyter notebook")
    cells = notebook.get("cells")
    if cells is None:  # nbformat 3 keeps its cells in worksheets
        worksheets = notebook.get("worksheets")
        if isinstance(worksheets, list):
            cells = [c for sheet in worksheets if isinstance(sheet, dict) for c in sheet.get("cells", [])]
    if not isinstance(cells, list):
        raise UnreadableDocument("not a Jupyter notebook")
    found = []
    for cell in cells:
        if not isinstance(cell, dict):
            continue
        source = cell.get("source", cell.get("input", ""))  # nbformat 3 calls a code cell's source "input"
        if isinstance(source, list):
            source = "".join(part for part in source if isinstance(part, str))
        found.append((str(cell.get("cell_type", "")), source if isinstance(source, str) else ""))
    return found
