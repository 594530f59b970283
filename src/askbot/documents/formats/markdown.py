"""Markdown through markdown-it-py, whose tokens carry source line ranges; imported inside the reader."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from askbot.documents.formats.blocks import (
    CELL_SEPARATOR,
    PATH_SEPARATOR,
    Block,
    UnreadableDocument,
    one_line,
)

if TYPE_CHECKING:
    from markdown_it.token import Token

_SPACE_RUN_RE = re.compile(r"[ \t]{2,}")
_SPACE_AT_BREAK_RE = re.compile(r" ?\n ?")


def markdown_blocks(text: str) -> list[Block]:
    """The prose blocks of a Markdown text: paragraphs, list items and table rows, under their headings."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    tokens = parser.parse(_without_front_matter(text.replace("\r\n", "\n").replace("\r", "\n")))
    headings: list[tuple[int, str]] = []  # (level, text) of the headings above the current block
    row: list[str] = []
    row_line = 1
    blocks: list[Block] = []
    before, before_tag = "", ""  # the previous token, which an inline token belongs to
    for token in tokens:
        if token.type == "inline" and before == "heading_open":
            level = int(before_tag[1:])
            headings = [h for h in headings if h[0] < level] + [(level, one_line(_inline_text(token)))]
        elif token.type == "inline" and before in ("th_open", "td_open"):
            row.append(one_line(_inline_text(token)))
        elif token.type == "inline":  # a paragraph, also inside list items and block quotes
            prose = _inline_text(token).strip()
            if prose:
                blocks.append(Block(prose, _first_line(token), _heading_path(headings)))
        elif token.type == "tr_open":
            row, row_line = [], _first_line(token)
        elif token.type == "tr_close" and any(row):
            cells = CELL_SEPARATOR.join(cell for cell in row if cell)
            blocks.append(Block(cells, row_line, _heading_path(headings)))
        before, before_tag = token.type, token.tag
    return blocks


def _without_front_matter(text: str) -> str:
    """The text with YAML (---) or TOML (+++) front matter blanked out, keeping its lines for counting."""
    lines = text.split("\n")
    fence = lines[0].removeprefix("\ufeff").rstrip()
    if fence not in ("---", "+++"):
        return text
    closers = ("---", "...") if fence == "---" else ("+++",)
    for end in range(1, len(lines)):
        if lines[end].rstrip() in closers:
            return "\n".join([""] * (end + 1) + lines[end + 1 :])
    return text


def _inline_text(token: Token) -> str:
    """The prose of an inline token: text and code kept, markup, images, raw HTML and link targets dropped."""
    parts = []
    for child in token.children or []:
        if child.type in ("text", "text_special", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    # What was dropped leaves its spaces behind: "see ![logo](x.png) here".
    return _SPACE_AT_BREAK_RE.sub("\n", _SPACE_RUN_RE.sub(" ", "".join(parts)))


def _first_line(token: Token) -> int:
    return token.map[0] + 1 if token.map else 1


def _heading_path(headings: list[tuple[int, str]]) -> str:
    return PATH_SEPARATOR.join(text for _, text in headings if text)


def markdown_file(data: bytes) -> list[Block]:
    """The blocks of a Markdown file; UnreadableDocument when it is not UTF-8."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableDocument("not UTF-8 text") from None
    return markdown_blocks(text)
