"""Reading a knowledge file or folder into passages: one sentence each, with where it came from."""

from __future__ import annotations

import codecs
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from askbot.errors import KnowledgeError
from askbot.segment import paragraphs, sentences

SUFFIXES = (".txt", ".md")


@dataclass(frozen=True, slots=True)
class Passage:
    """One sentence of the knowledge, exactly as it stands in its source."""

    text: str
    source: str  # path relative to the knowledge root ("/"-separated)
    line: int  # 1-based line where the sentence starts
    paragraph: int  # 0-based paragraph number within the source


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file that was not loaded, and why."""

    source: str
    reason: str


@dataclass(frozen=True, slots=True)
class Document:
    """One knowledge file found on disk."""

    path: Path
    source: str


class UnreadableFile(Exception):
    """A file that cannot be used as knowledge; the message says why."""


def find_documents(root: Path) -> Iterator[Document]:
    """The knowledge files under `root` (or `root` itself), in a stable order."""
    if not root.exists():
        raise KnowledgeError(f"knowledge path not found: {root}")
    if root.is_file():
        yield Document(root, root.name)
        return
    if not root.is_dir():
        raise KnowledgeError(f"knowledge path is neither a file nor a folder: {root}")
    seen: set[tuple[int, int]] = set()
    for folder, dirs, files in os.walk(root, followlinks=True):
        try:
            info = os.stat(folder)
        except OSError:
            dirs[:] = []
            continue
        if (info.st_dev, info.st_ino) in seen:  # a symlink loop: been here already
            dirs[:] = []
            continue
        seen.add((info.st_dev, info.st_ino))
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.lower().endswith(SUFFIXES) and not name.startswith("."):
                path = Path(folder, name)
                yield Document(path, path.relative_to(root).as_posix())


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
    try:
        data = doc.path.read_bytes()
    except OSError as error:
        raise UnreadableFile(error.strerror or str(error)) from None
    passages = split_passages(decode(data), doc.source)
    if not passages:
        raise UnreadableFile("no text")
    return passages


def split_passages(text: str, source: str) -> list[Passage]:
    """Cut a text into sentence passages, each knowing its line and paragraph."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    passages = []
    line, counted_to = 1, 0
    for number, (p_start, p_end) in enumerate(paragraphs(text)):
        for s_start, s_end in sentences(text[p_start:p_end]):
            start = p_start + s_start
            line += text.count("\n", counted_to, start)
            counted_to = start
            passages.append(Passage(text[start : p_start + s_end], source, line, number))
    return passages
