"""HTML through the standard library's `html.parser`: the text a browser shows, as blocks.

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
import re
from dataclasses import replace
from html.parser import HTMLParser

from askbot.documents.formats.blocks import CELL_SEPARATOR, PATH_SEPARATOR, Block, one_line

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
    title, blocks = read_page(data)
    return [replace(b, location=_page_location(title, b.location)) for b in blocks]


def read_page(data: bytes) -> tuple[str, list[Block]]:
    """An HTML page's title, and the blocks a browser would show, each under its nearest heading."""
    reader = _PageReader()
    reader.feed(_html_text(data).replace("\r\n", "\n").replace("\r", "\n"))
    reader.close()
    return reader.title, reader.blocks


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
            self.title = self.title or one_line(text)  # the first: an <svg> may have titles too
        elif self._mode == "heading":
            self._heading = one_line(text)
        else:
            self.blocks.append(Block(text, self._start, self._heading))
