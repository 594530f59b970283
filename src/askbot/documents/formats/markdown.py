"""Markdown through markdown-it-py, whose tokens carry source line ranges; imported inside the reader."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from askbot.documents.formats.blocks import (
    PATH_SEPARATOR,
    Block,
    UnreadableDocument,
    attach,
    one_line,
    table_row,
)
from askbot.documents.formats.callouts import Callout, callout_title, unwrap_callouts
from askbot.documents.passages import Attachment

if TYPE_CHECKING:
    from markdown_it.token import Token

_SPACE_RUN_RE = re.compile(r"[ \t]{2,}")
_SPACE_AT_BREAK_RE = re.compile(r" ?\n ?")
# Tokens after which what follows is introduced by no paragraph.
_ENDS_INTRODUCTION = frozenset(
    {"heading_open", "hr", "html_block", "bullet_list_close", "ordered_list_close", "blockquote_close"}
)


def markdown_blocks(text: str) -> list[Block]:
    """The prose blocks of a Markdown text: paragraphs, list items and table rows, under their headings.

    Code blocks are no blocks of their own: one right after a paragraph is attached to it, to be shown
    with its last sentence ("Install it with pip:") and searched through it.  So is a list or table
    after a paragraph ending in ":", whose items and rows stay blocks too.  Admonitions (mkdocs, GitHub,
    Docusaurus) are read as prose, their title added to the location.
    """
    return read_markdown(text, [])[0]


Headings = list[tuple[int, str]]  # (level, text) of the headings above a point, outermost first


def read_markdown(text: str, headings: Headings) -> tuple[list[Block], Headings]:
    """The blocks of a Markdown text read under `headings`, and the headings in force at its end.

    A notebook's Markdown cells are read one after another this way, each under the last one's headings.
    """
    from markdown_it import MarkdownIt

    text = _without_front_matter(text.replace("\r\n", "\n").replace("\r", "\n"))
    text, callouts = unwrap_callouts(text)
    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    reader = _Reader(text.split("\n"), callouts, headings)
    for token in parser.parse(text):
        reader.take(token)
    return reader.blocks, reader.headings


class _Reader:
    """Blocks gathered from markdown-it's token stream, one token at a time."""

    def __init__(self, lines: list[str], callouts: list[Callout], headings: Headings) -> None:
        self.blocks: list[Block] = []
        self.headings = list(headings)
        self._lines = lines
        self._callouts = callouts
        self._row: list[str] = []
        self._header: list[str] = []  # the cells of the table's header row
        self._row_line = 1
        self._before, self._before_tag = "", ""  # the previous token, which an inline token belongs to
        self._introducer: int | None = None  # the paragraph block right before, which may introduce

    def take(self, token: Token) -> None:
        """Read one token."""
        kind = token.type
        if kind == "inline":
            self._inline(token)
        elif kind == "tr_open":
            self._row, self._row_line = [], _first_line(token)
        elif kind == "tr_close" and self._before == "th_close":
            self._header = self._row
        elif kind == "tr_close" and any(self._row):
            row = table_row(self._row, self._header)
            self.blocks.append(Block(row, self._row_line, self._location(self._row_line)))
        elif kind == "table_close":
            self._header = []
        elif kind in ("fence", "code_block"):
            start = _first_line(token) + (kind == "fence")
            self._attach(Attachment("code", token.content.rstrip("\n"), start), needs_colon=False)
        elif kind in ("bullet_list_open", "ordered_list_open", "table_open") and token.map:
            source = "\n".join(self._lines[token.map[0] : token.map[1]]).rstrip()
            what = "table" if kind == "table_open" else "list"
            self._attach(Attachment(what, source, token.map[0] + 1), needs_colon=True)
        elif kind in _ENDS_INTRODUCTION:
            self._introducer = None
        self._before, self._before_tag = kind, token.tag

    def _inline(self, token: Token) -> None:
        if self._before == "heading_open":
            level = int(self._before_tag[1:])
            heading = one_line(_inline_text(token))
            self.headings = [h for h in self.headings if h[0] < level] + [(level, heading)]
        elif self._before in ("th_open", "td_open"):
            self._row.append(one_line(_inline_text(token)))
        else:  # a paragraph, also inside list items and block quotes
            prose = _inline_text(token).strip()
            if prose:
                line = _first_line(token)
                self.blocks.append(Block(prose, line, self._location(line)))
                self._introducer = len(self.blocks) - 1

    def _attach(self, attachment: Attachment, needs_colon: bool) -> None:
        """Give `attachment` to the paragraph right before, if it introduces it; then nothing is before."""
        attach(self.blocks, self._introducer, attachment, needs_colon)
        self._introducer = None

    def _location(self, line: int) -> str:
        path = [text for _, text in self.headings if text]
        title = callout_title(self._callouts, line)
        return PATH_SEPARATOR.join([*path, title] if title else path)


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


def markdown_file(data: bytes) -> list[Block]:
    """The blocks of a Markdown file; UnreadableDocument when it is not UTF-8."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableDocument("not UTF-8 text") from None
    return markdown_blocks(text)
