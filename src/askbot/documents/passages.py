"""Reading a knowledge file or folder into passages: one sentence each, with where it came from."""

from __future__ import annotations

import codecs
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from askbot.analysis.sentences import paragraphs, sentences
from askbot.documents.walk import Document

if TYPE_CHECKING:
    from askbot.documents.formats import Block


@dataclass(frozen=True, slots=True)
class Passage:
    """One sentence of the knowledge, exactly as it stands in its source."""

    text: str
    source: str  # path relative to the knowledge root ("/"-separated)
    line: int  # 1-based line where the sentence starts (within its page, for a PDF)
    paragraph: int  # 0-based paragraph number within the source
    location: str = ""  # the heading it sits under, or its page: "Installation", "page 3"

    @property
    def citation(self) -> str:
        """Where to find it, besides the file: "Installation, line 42", "page 3, line 12"."""
        return f"{self.location}, line {self.line}" if self.location else f"line {self.line}"


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file that was not loaded, and why."""

    source: str
    reason: str


class UnreadableFile(Exception):
    """A file that cannot be used as knowledge; the message says why."""


def decode(data: bytes) -> str:
    """The text of a knowledge file, or UnreadableFile when it is not UTF-8 (or BOM-marked UTF-16) text."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise UnreadableFile("broken UTF-16 text") from None
    if b"\x00" in data[:8192]:
        raise UnreadableFile("binary file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFile(f"not UTF-8 text (byte {error.start})") from None


def read_document(doc: Document) -> list[Passage]:
    """The passages of one file; UnreadableFile when it cannot be read."""
    from askbot.documents.formats import READERS, UnreadableDocument

    try:
        data = doc.path.read_bytes()
    except OSError as error:
        raise UnreadableFile(error.strerror or str(error)) from None
    reader = READERS.get(doc.path.suffix.lower())
    if reader is None:
        passages = split_passages(decode(data), doc.source)
    else:
        try:
            passages = block_passages(reader(data), doc.source)
        except UnreadableDocument as error:
            raise UnreadableFile(str(error)) from None
    if not passages:
        raise UnreadableFile("no text")
    return passages


def block_passages(blocks: Sequence[Block], source: str, language: str = "en") -> list[Passage]:
    """Sentence passages of a formatted document's blocks, each block one paragraph."""
    passages = []
    for number, block in enumerate(blocks):
        for start, end in sentences(block.text, language):
            line = block.line + block.text.count("\n", 0, start)
            passages.append(Passage(block.text[start:end], source, line, number, block.location))
    return passages


def split_passages(text: str, source: str, language: str = "en") -> list[Passage]:
    """Cut a text in a language into sentence passages, each knowing its line and paragraph."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    passages = []
    line, counted_to = 1, 0
    for number, (p_start, p_end) in enumerate(paragraphs(text)):
        for s_start, s_end in sentences(text[p_start:p_end], language):
            start = p_start + s_start
            line += text.count("\n", counted_to, start)
            counted_to = start
            passages.append(Passage(text[start : p_start + s_end], source, line, number))
    return passages
