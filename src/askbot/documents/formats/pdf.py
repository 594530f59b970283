"""PDF through pypdf, pure Python, imported inside the reader: the text layer, page by page."""

from __future__ import annotations

import io
import re

from askbot.documents.formats.blocks import Block, UnreadableDocument, quiet

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

    with quiet("pypdf"):
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
