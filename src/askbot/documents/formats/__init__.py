"""Readers for the formats askbot reads besides plain text: each gives a document's prose as blocks.

Every reader is a pure function of the file's content, in a module of its own; the libraries they use
are imported inside them, so importing this package costs nothing when answering from a cached index.
"""

from __future__ import annotations

from collections.abc import Callable

from askbot.documents.formats.blocks import CELL_SEPARATOR, PATH_SEPARATOR, Block, UnreadableDocument
from askbot.documents.formats.docx import docx_blocks
from askbot.documents.formats.epub import epub_blocks
from askbot.documents.formats.html import html_blocks
from askbot.documents.formats.markdown import markdown_blocks, markdown_file
from askbot.documents.formats.notebook import notebook_blocks
from askbot.documents.formats.pdf import pdf_blocks
from askbot.documents.formats.rst import rst_blocks

__all__ = [
    "BINARY_SUFFIXES",
    "CELL_SEPARATOR",
    "PATH_SEPARATOR",
    "READERS",
    "Block",
    "UnreadableDocument",
    "docx_blocks",
    "epub_blocks",
    "html_blocks",
    "markdown_blocks",
    "notebook_blocks",
    "pdf_blocks",
    "rst_blocks",
]

# Formats whose files are binary by nature: no NUL test on their first block.
BINARY_SUFFIXES = frozenset({".pdf", ".docx", ".epub"})

READERS: dict[str, Callable[[bytes], list[Block]]] = {
    ".md": markdown_file,
    ".markdown": markdown_file,
    ".html": html_blocks,
    ".htm": html_blocks,
    ".pdf": pdf_blocks,
    ".rst": rst_blocks,
    ".ipynb": notebook_blocks,
    ".docx": docx_blocks,
    ".epub": epub_blocks,
}
