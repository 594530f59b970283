"""Readers for Markdown, HTML and PDF: a document's prose as blocks, markup removed, each knowing where it is.

Every reader is a pure function of the file's content.  Markdown goes through markdown-it-py, whose tokens
carry source line ranges; PDF through pypdf, pure Python.  Both are imported inside their readers, so
importing this module costs nothing when answering from a cached index.

HTML uses the standard library's `html.parser` rather than selectolax or BeautifulSoup.  Reading prose needs
no tree, only the stream of tags and text; the tokenizer decodes entities by the HTML5 table, treats script
and style content as raw text, and reports the source line of every piece of text through `getpos()`, which
the trees do not keep (BeautifulSoup records lines of tags only, taken from this same parser underneath;
selectolax records none).  Tags that a browser closes implicitly (`<p>`, `<li>` without end tags) need no
tree either, since every block tag, opening or closing, ends the block before it.  And it costs no
dependency.
"""

from __future__ import annotations

import codecs
import io
import logging
import re
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it.token import Token


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph-like block of prose from a document, markup removed."""

    text: str  # line breaks kept where the source has them, so lines can be counted from `line`
    line: int  # 1-based source line where the block starts; for PDF, the line in its page's text
    location: str  # heading path, page title and heading, or "page 3"; "" if none


class UnreadableDocument(Exception):
    """The document cannot be read; the message says why."""


PATH_SEPARATOR = " › "
CELL_SEPARATOR = " · "

# ---------------------------------------------------------------------------------------------- Markdown

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
            headings = [h for h in headings if h[0] < level] + [(level, _one_line(_inline_text(token)))]
        elif token.type == "inline" and before in ("th_open", "td_open"):
            row.append(_one_line(_inline_text(token)))
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


def _one_line(text: str) -> str:
    return " ".join(text.split())


# -------------------------------------------------------------------------------------------------- HTML

_BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption dd details dialog div dl dt fieldset figcaption figure"
    " footer form h1 h2 h3 h4 h5 h6 head header hr html legend li main menu ol p pre section summary"
    " table tbody tfoot thead title tr ul".split()
)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Never shown, controls rather than prose, or boilerplate around the page's own content.
_HIDDEN_TAGS = frozenset({"script", "style", "noscript", "template", "nav", "aside", "button", "select"})
_HIDDEN_ROLES = frozenset({"navigation", "menu", "menubar", "search"})
_PAGE_CHROME = frozenset({"header", "footer", "banner", "contentinfo"})  # tags and roles, outside content
_CONTENT_TAGS = frozenset({"article", "main", "section"})
_VOID_TAGS = frozenset("area base br col embed hr img input link meta param source track wbr".split())
# Elements whose end tag may be left out, and the start tags that end them (HTML's optional end tags).
_P_ENDERS = frozenset(
    "address article aside blockquote details dialog div dl fieldset figcaption figure footer form"
    " h1 h2 h3 h4 h5 h6 header hgroup hr main menu nav ol p pre section table ul".split()
)
_ENDED_BY: dict[str, frozenset[str]] = {
    "p": _P_ENDERS,
    "li": frozenset({"li"}),
    "dt": frozenset({"dt", "dd"}),
    "dd": frozenset({"dt", "dd"}),
    "tr": frozenset({"tr"}),
    "td": frozenset({"td", "th", "tr"}),
    "th": frozenset({"td", "th", "tr"}),
    "option": frozenset({"option", "optgroup"}),
}
# An inline style that hides the element ("display: none", "visibility:hidden"); stylesheets are not read.
_HIDDEN_STYLE_RE = re.compile(
    r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\s*(?:!important\s*)?(?:;|$)", re.I
)
_BREAK, _CELL = "\x00", "\x01"  # stand-ins for <br> and a table cell, resolved when a block ends
_WHITESPACE_RE = re.compile(r"[ \t\n\f\x00\x01]+")
_META_CHARSET_RE = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([-\w.:]+)""", re.IGNORECASE)
# What browsers read for these labels (WHATWG Encoding): Latin-1 means Windows-1252, and a page that
# could say "utf-16" in a meta tag at all is not UTF-16.
_BROWSER_CODECS = {
    "ascii": "cp1252",
    "iso8859-1": "cp1252",
    "utf-16": "utf-8",
    "utf-16-le": "utf-8",
    "utf-16-be": "utf-8",
}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def html_blocks(data: bytes) -> list[Block]:
    """The blocks of text a browser would show for an HTML page, under its title and nearest heading."""
    reader = _PageReader()
    reader.feed(_html_text(data).replace("\r\n", "\n").replace("\r", "\n"))
    reader.close()
    title = reader.title
    return [replace(b, location=_page_location(title, b.location)) for b in reader.blocks]


def _html_text(data: bytes) -> str:
    """An HTML page decoded as a browser would: byte-order mark, then meta charset, then UTF-8."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    match = _META_CHARSET_RE.search(data[:4096])
    if match:
        try:
            name = codecs.lookup(match[1].decode("ascii")).name
            return data.decode(_BROWSER_CODECS.get(name, name), errors="replace")
        except LookupError:  # an unknown label, or a codec that is no text encoding ("rot13")
            pass
    return data.decode("utf-8", errors="replace")


def _page_location(title: str, heading: str) -> str:
    if title and heading and heading != title:
        return f"{title}{PATH_SEPARATOR}{heading}"
    return heading or title


def _tidy(text: str) -> str:
    """Whitespace collapsed to one space, but each source line break kept so that lines can be counted."""

    def space(match: re.Match[str]) -> str:
        run = match[0]
        breaks = run.count("\n") or (1 if _BREAK in run else 0)
        if _CELL in run:  # "a · b", or "a ·" ending a line when the cells are on lines of their own
            return CELL_SEPARATOR.rstrip() + ("\n" * breaks or " ")
        return "\n" * breaks or " "

    return _WHITESPACE_RE.sub(space, text.strip(" \t\n\f" + _BREAK + _CELL))


class _PageReader(HTMLParser):
    """Collects the blocks of one page as the tokenizer streams its tags and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []  # location holds the nearest heading until the title is known
        self.title = ""
        self._heading = ""
        self._mode = "text"  # what the current pieces are: "text", "heading" or "title"
        self._pieces: list[str] = []
        self._start = self._end = 1  # source lines where the pieces start and end
        self._skipping: list[str] = []  # the hidden element being passed over, and the elements open in it
        self._content_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skipping:
            # A start tag can end elements whose end tag HTML lets authors leave out: <p> ends at the
            # next block, <li> at the next item.  When that ends the hidden element, this tag is shown.
            while self._skipping and tag in _ENDED_BY.get(self._skipping[-1], ()):
                self._skipping.pop()
            if self._skipping:
                if tag not in _VOID_TAGS:
                    self._skipping.append(tag)
                return
        if self._hides(tag, dict(attrs)):
            self._flush()
            self._skipping = [tag]
        elif tag == "br" and self._pieces:
            self._pieces.append(_BREAK)
        elif tag in ("td", "th") and self._pieces:
            self._pieces.append(_CELL)
        elif tag in _BLOCK_TAGS:
            self._flush()
            self._mode = "heading" if tag in _HEADINGS else "title" if tag == "title" else "text"
            if tag in _CONTENT_TAGS:
                self._content_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self._skipping:
            if tag in self._skipping:  # closes it and whatever was left open inside it
                del self._skipping[len(self._skipping) - 1 - self._skipping[::-1].index(tag) :]
            elif tag in _BLOCK_TAGS or tag in ("td", "th"):  # a block around it ended, or the page
                self._skipping = []
            # A stray inline end tag (</span> with no <span> open) is ignored, as browsers do.
        elif tag in _BLOCK_TAGS:
            self._flush()
            self._mode = "text"
            if tag in _CONTENT_TAGS and self._content_depth:
                self._content_depth -= 1

    def handle_data(self, data: str) -> None:
        if self._skipping or not (self._pieces or data.strip()):
            return
        line = self.getpos()[0]
        if not self._pieces:
            self._start = line + data[: len(data) - len(data.lstrip())].count("\n")
        elif line > self._end:  # line breaks inside the tags between the pieces
            self._pieces.append("\n" * (line - self._end))
        self._pieces.append(data)
        self._end = line + data.count("\n")

    def close(self) -> None:
        super().close()
        self._flush()

    def _hides(self, tag: str, attrs: dict[str, str | None]) -> bool:
        """Whether an element is hidden or boilerplate, so that its text is passed over up to its end tag."""
        role = attrs.get("role") or ""
        if tag in _VOID_TAGS:  # no end tag to wait for, and no text
            return False
        if (
            tag in _HIDDEN_TAGS
            or role in _HIDDEN_ROLES
            or "hidden" in attrs
            or attrs.get("aria-hidden") == "true"
            or _HIDDEN_STYLE_RE.search(attrs.get("style") or "") is not None
        ):
            return True
        if tag == "dialog" and "open" not in attrs:
            return True
        return (tag in _PAGE_CHROME or role in _PAGE_CHROME) and not self._content_depth

    def _flush(self) -> None:
        text = _tidy("".join(self._pieces))
        self._pieces = []
        if not text:
            return
        if self._mode == "title":
            self.title = self.title or _one_line(text)  # the first: an <svg> may have titles too
        elif self._mode == "heading":
            self._heading = _one_line(text)
        else:
            self.blocks.append(Block(text, self._start, self._heading))


# --------------------------------------------------------------------------------------------------- PDF

# A word broken at a line end: joined when the rest starts in lower case ("inter-\nnational"), kept when it
# starts otherwise ("NATO-\nIraq", "2019-\n2020"), since then the hyphen is most likely the word's own.
_HYPHENATED_RE = re.compile(r"(\w)-\n[ \t]*(\w+)([ \t]+)?")
_SENTENCE_END_RE = re.compile(r"[.!?][\"'”’)\]]*$")


def pdf_blocks(data: bytes) -> list[Block]:
    """The blocks of a PDF's text layer, page by page; UnreadableDocument when it is broken or has none."""
    blocks = [
        block for number, text in enumerate(_pdf_pages(data), 1) for block in _page_blocks(text, number)
    ]
    if not blocks:
        raise UnreadableDocument("PDF has no text layer (scanned?)")
    return blocks


def _pdf_pages(data: bytes) -> list[str]:
    """The extracted text of each page, with pypdf's complaints about damaged files kept off stderr."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    with _quiet("pypdf"):
        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise UnreadableDocument("encrypted PDF (needs a password)")
            return [page.extract_text() for page in reader.pages]
        except UnreadableDocument:
            raise
        except DependencyError:  # AES encryption, even with an empty password, needs `cryptography`
            raise UnreadableDocument("encrypted PDF (needs the cryptography package)") from None
        except Exception as error:  # pypdf raises all kinds of errors on damaged files, not only PdfReadError
            reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
            raise UnreadableDocument(f"broken PDF: {reason[:100]}") from None


@contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
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


def _page_blocks(text: str, page: int) -> list[Block]:
    """A page's text cut at blank lines, or, when it has none, after lines that end a sentence."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    spaced = "\n\n" in "\n".join(lines).strip("\n")
    blocks: list[Block] = []
    start: int | None = None  # index of the first line of the block being gathered
    for i, line in enumerate([*lines, ""]):
        if start is not None and (not line or (not spaced and _ends_paragraph(lines[i - 1], line))):
            prose = _HYPHENATED_RE.sub(_join_hyphenated, "\n".join(lines[start:i]).strip())
            blocks.append(Block(prose, start + 1, f"page {page}"))
            start = None
        if line and start is None:
            start = i
    return blocks


def _ends_paragraph(line: str, following: str) -> bool:
    """A line ending a sentence, followed by one starting with a capital: a paragraph break, likely enough."""
    return bool(_SENTENCE_END_RE.search(line)) and following.lstrip()[:1].isupper()


def _join_hyphenated(match: re.Match[str]) -> str:
    """The word joined, with the line break moved after it so that lines can still be counted."""
    head, tail, space = match.groups()
    if not tail[0].islower():
        return match[0]
    return f"{head}{tail}\n" if space else f"{head}{tail}"


# ------------------------------------------------------------------------------------------------ READERS


def _markdown_file(data: bytes) -> list[Block]:
    """The blocks of a Markdown file; UnreadableDocument when it is not UTF-8."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableDocument("not UTF-8 text") from None
    return markdown_blocks(text)


# Formats whose files are binary by nature: no NUL test on their first block.
BINARY_SUFFIXES = frozenset({".pdf"})

READERS: dict[str, Callable[[bytes], list[Block]]] = {
    ".md": _markdown_file,
    ".markdown": _markdown_file,
    ".html": html_blocks,
    ".htm": html_blocks,
    ".pdf": pdf_blocks,
}
