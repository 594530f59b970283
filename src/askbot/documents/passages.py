"""Reading a knowledge file or folder into passages: one sentence each, with where it came from."""

from __future__ import annotations

import codecs
import io
import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from askbot.documents.walk import Document

if TYPE_CHECKING:
    from pathlib import Path

    from askbot.documents.formats import Block


@dataclass(frozen=True, slots=True)
class Attachment:
    """What a sentence introduces ("Install it with pip:"): the code block, list or table after it."""

    kind: str  # "code", "list" or "table"
    text: str  # as it stands in the source; a code block without its fences
    line: int  # 1-based line where it starts


ATTACHMENT_KINDS = ("code", "list", "table")
# Formats with no lines a person can go to: their passages are numbered by paragraph instead.
PARAGRAPH_NUMBERED = (".docx", ".epub")


@dataclass(frozen=True, slots=True)
class Passage:
    """One sentence of the knowledge, exactly as it stands in its source."""

    text: str
    source: str  # path relative to the knowledge root ("/"-separated)
    line: int  # 1-based line where the sentence starts (within its page, for a PDF)
    paragraph: int  # 0-based paragraph number within the source
    location: str = ""  # the heading it sits under, or its page: "Installation", "page 3"
    attached: Attachment | None = None  # what the sentence introduces, shown with it

    @property
    def unit(self) -> str:
        """What `line` counts: "line", or "paragraph" in formats without lines (Word, EPUB)."""
        return "paragraph" if self.source.lower().endswith(PARAGRAPH_NUMBERED) else "line"

    @property
    def citation(self) -> str:
        """Where to find it, besides the file: "Setup, line 42", "page 3, line 12", "Ch. 2, paragraph 7"."""
        where = f"{self.unit} {self.line}"
        return f"{self.location}, {where}" if self.location else where


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file that was not loaded, and why."""

    source: str
    reason: str


class UnreadableFile(Exception):
    """A file that cannot be used as knowledge; the message says why."""


# Bump whenever a reader gives other passages for the same file: cached analyses are then redone.
READER_VERSION = 3

FIRST_BLOCK = 1 << 16  # what grep-like tools read before deciding a file is binary
MAX_FILE_BYTES = 256 << 20  # larger files are skipped: a file is held whole while it is cut up

# Open without blocking, so that a file swapped for a FIFO after the walk cannot hang the read, and
# without becoming the controlling terminal of a device.
_OPEN_FLAGS = (
    os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
)


def read_file(path: Path, text: bool = True) -> bytes:
    """A regular file's bytes, read in bounded memory; UnreadableFile saying why when it cannot be.

    Not read at all: what is not a regular file (a FIFO, a socket, a device), a file larger than
    MAX_FILE_BYTES, and, when `text`, a binary file, told from its first block.  A file that grows
    while it is read, past the size it had when opened, is refused rather than followed.
    """
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as error:
        raise UnreadableFile(error.strerror or str(error)) from None
    with io.BufferedReader(io.FileIO(fd, "rb"), FIRST_BLOCK) as handle:
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise UnreadableFile("not a regular file")
            if text and looks_binary(handle.peek(FIRST_BLOCK)[:FIRST_BLOCK]):
                raise UnreadableFile("binary file")
            if info.st_size > MAX_FILE_BYTES:
                raise UnreadableFile(f"larger than {MAX_FILE_BYTES >> 20} MiB")
            data = handle.read(info.st_size)
            if handle.read(1):
                raise UnreadableFile(f"grew while being read, past its size of {info.st_size:,} bytes")
        except OSError as error:
            raise UnreadableFile(error.strerror or str(error)) from None
    return data


def decode(data: bytes) -> str:
    """The text of a knowledge file, or UnreadableFile when it is not UTF-8 (or BOM-marked UTF-16) text."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise UnreadableFile("broken UTF-16 text") from None
    if looks_binary(data[:FIRST_BLOCK]):
        raise UnreadableFile("binary file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFile(f"not UTF-8 text (byte {error.start})") from None


def looks_binary(first_block: bytes) -> bool:
    """Whether a file is binary, judged from its first block as grep does: it holds a NUL byte.

    UTF-16 text, which is full of NULs, is recognised by its byte-order mark first.
    """
    return b"\x00" in first_block and not first_block.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


class Contents(NamedTuple):
    """One file's sentence passages, and the language they were split and are to be analysed in."""

    passages: list[Passage]
    language: str


def read_document(
    doc: Document, language: str | None = None, detect: Callable[[str], str] | None = None
) -> Contents:
    """The passages of one file, split in its language (given, or detected from the opening of its
    text by `detect`, askbot.analysis.detect's by default); UnreadableFile when it cannot be read."""
    from askbot.analysis.detect import SAMPLE_CHARS, detect_language

    detect = detect or detect_language
    from askbot.documents.formats import BINARY_SUFFIXES, READERS, UnreadableDocument

    if doc.problem:
        raise UnreadableFile(doc.problem)
    suffix = doc.path.suffix.lower()
    data = read_file(doc.path, text=suffix not in BINARY_SUFFIXES)
    reader = READERS.get(suffix)
    if reader is None:
        text = decode(data)
        language = language or detect(text[:SAMPLE_CHARS])
        passages = split_passages(text, doc.source, language)
    else:
        try:
            blocks = reader(data)
        except UnreadableDocument as error:
            raise UnreadableFile(str(error)) from None
        language = language or detect(_opening(blocks, SAMPLE_CHARS))
        passages = block_passages(blocks, doc.source, language)
    if not passages:
        raise UnreadableFile("no text")
    return Contents(passages, language)


def _opening(blocks: Sequence[Block], size: int) -> str:
    """The text of a document's first blocks, about `size` characters of it."""
    texts, total = [], 0
    for block in blocks:
        texts.append(block.text)
        total += len(block.text)
        if total >= size:
            break
    return "\n".join(texts)


def block_passages(blocks: Sequence[Block], source: str, language: str = "en") -> list[Passage]:
    """Sentence passages of a formatted document's blocks, each block one paragraph.

    What a block introduces goes with its last sentence ("Install it with pip:").
    """
    from askbot.analysis.sentences import sentences  # reading only: a question from the cache needs none

    passages = []
    for number, block in enumerate(blocks):
        spans = sentences(block.text, language)
        for n, (start, end) in enumerate(spans, 1):
            line = block.line + block.text.count("\n", 0, start)
            attached = block.attached if n == len(spans) else None
            passages.append(Passage(block.text[start:end], source, line, number, block.location, attached))
    return passages


_MAX_ATTACHED_WORDS = 100


def searchable_text(passage: Passage) -> str:
    """What a passage is found by: its text and, for a code block it introduces, the code's words.

    Each word of the code once, and at most the first hundred, so that a long example does not bury
    the sentence's own words under BM25's length normalisation.
    """
    if passage.attached is None or passage.attached.kind != "code":
        return passage.text
    words = list(dict.fromkeys(passage.attached.text.split()))[:_MAX_ATTACHED_WORDS]
    return passage.text + "\n" + " ".join(words)


def split_passages(text: str, source: str, language: str = "en") -> list[Passage]:
    """Cut a text in a language into sentence passages, each knowing its line and paragraph."""
    from askbot.analysis.sentences import paragraphs, sentences  # reading only, as above

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
