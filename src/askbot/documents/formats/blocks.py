"""What every format reader gives: blocks of prose, markup removed, each knowing where it is."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

from askbot.documents.passages import Attachment


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph-like block of prose from a document, markup removed."""

    text: str  # line breaks kept where the source has them, so lines can be counted from `line`
    line: int  # 1-based source line where the block starts; for PDF, the line in its page's text
    location: str  # heading path, page title and heading, or "page 3"; "" if none
    attached: Attachment | None = None  # what the block's last sentence introduces


class UnreadableDocument(Exception):
    """The document cannot be read; the message says why."""


PATH_SEPARATOR = " › "
CELL_SEPARATOR = " · "


def one_line(text: str) -> str:
    """The text with every run of whitespace, line breaks included, made one space."""
    return " ".join(text.split())


@contextmanager
def quiet(logger_name: str) -> Iterator[None]:
    """Silence a library's log records and warnings for the duration of the block."""
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)  # the level, not `disabled`: child loggers inherit it
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def table_row(cells: list[str], header: list[str]) -> str:
    """A table row as one line, each cell after its column's header: "Code: E42 · Meaning: Empty battery".

    Read this way, a row answers questions that name its column, as a person reads it under the header.
    """
    named = [
        f"{name}: {cell}" if name and name != cell else cell
        for name, cell in zip([*header, *[""] * len(cells)], cells, strict=False)
        if cell
    ]
    return CELL_SEPARATOR.join(named)


def attach(blocks: list[Block], introducer: int | None, attachment: Attachment, needs_colon: bool) -> None:
    """Give `attachment` to `blocks[introducer]`, the paragraph right before it, if that introduces it.

    Code is introduced by whatever paragraph comes right before it; a list or table (`needs_colon`) by
    one that ends in ":".  A paragraph introduces one thing at most.
    """
    if introducer is None:
        return
    block = blocks[introducer]
    if block.attached is None and (not needs_colon or block.text.rstrip().endswith(":")):
        blocks[introducer] = replace(block, attached=attachment)
