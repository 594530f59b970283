"""Finding the knowledge files under a root, in a stable order, the way ripgrep walks a folder.

Hidden files and folders are skipped, and so is whatever a `.gitignore`, `.ignore` or `.askbotignore`
file ignores (askbot.documents.ignore), in the folder itself or in its parents up to the top of its
git repository; nothing inside an ignored folder is looked at.  Unlike ripgrep, a `.gitignore` counts
outside a git repository too: a folder copied or unpacked from a project still holds its build
output.  `ignore=False` (`--no-ignore`) turns all of it off.

Only regular files are read (after following symbolic links): a FIFO, socket or device named like a
knowledge file is returned with the reason it cannot be read, never opened.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from askbot.documents.ignore import IGNORE_FILES, IgnoreFile, ignored_by, read_rules, rules_above
from askbot.errors import KnowledgeError

# Plain text is read as it is; the other formats through their readers (askbot.documents.formats).
SUFFIXES = (".txt", ".md", ".markdown", ".rst", ".html", ".htm", ".pdf", ".ipynb", ".docx", ".epub")


@dataclass(frozen=True, slots=True)
class Document:
    """One knowledge file found on disk."""

    path: Path
    source: str
    problem: str = ""  # why it cannot be read, seen while walking ("not a regular file (FIFO)"); "" if none


@dataclass(frozen=True, slots=True)
class Ignored:
    """A file or folder (its source ends in "/") passed over, and why."""

    source: str
    reason: str


def find_documents(root: Path, ignore: bool = True) -> Iterator[Document]:
    """The knowledge files under `root` (or `root` itself), in a stable order."""
    for found in walk(root, ignore):
        if isinstance(found, Document):
            yield found


def walk(root: Path, ignore: bool = True) -> Iterator[Document | Ignored]:
    """The knowledge files under `root`, and what was passed over and why, in a stable order.

    KnowledgeError when `root` is missing or is neither a file nor a folder.  A file given as the
    root is read whatever its name.
    """
    try:
        info = root.stat()
    except OSError as error:
        missing = isinstance(error, FileNotFoundError)
        why = "not found" if missing else f"unreadable ({error.strerror or error})"
        raise KnowledgeError(f"knowledge path {why}: {root}") from None
    if stat.S_ISREG(info.st_mode):
        yield Document(root, root.name)
    elif stat.S_ISDIR(info.st_mode):
        rules = rules_above(root) if ignore else []
        yield from _walk_folder(root, "", rules, ignore, {(info.st_dev, info.st_ino)})
    else:
        raise KnowledgeError(f"knowledge path is a {_kind(info.st_mode)}, not a file or folder: {root}")


def _walk_folder(
    folder: Path, prefix: str, rules: list[IgnoreFile], ignore: bool, seen: set[tuple[int, int]]
) -> Iterator[Document | Ignored]:
    """Files of `folder` first, then its subfolders, each in name order; `prefix` is its source path."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    if ignore:
        names = {e.name for e in entries}
        rules = [read_rules(folder / name, prefix, name) for name in IGNORE_FILES if name in names] + rules
    subfolders: list[tuple[os.DirEntry[str], str]] = []
    for entry in entries:
        source = prefix + entry.name
        try:
            info = entry.stat()  # follows symbolic links
        except OSError as error:  # a broken link, or one it has no permission to follow
            if entry.name.lower().endswith(SUFFIXES):
                yield Document(Path(entry.path), source, error.strerror or str(error))
            continue
        is_folder = stat.S_ISDIR(info.st_mode)
        shown = source + "/" if is_folder else source
        reason = ignored_by(rules, source, is_folder) if ignore else None
        if ignore and reason is None and entry.name.startswith("."):
            reason = "hidden"
        if reason is not None:
            yield Ignored(shown, reason)
        elif is_folder:
            if (info.st_dev, info.st_ino) not in seen:  # else a symbolic link loop, or a second way in
                seen.add((info.st_dev, info.st_ino))
                subfolders.append((entry, source + "/"))
        elif not entry.name.lower().endswith(SUFFIXES):
            yield Ignored(shown, "not a format askbot reads")
        elif stat.S_ISREG(info.st_mode):
            yield Document(Path(entry.path), source)
        else:
            yield Document(Path(entry.path), source, f"not a regular file ({_kind(info.st_mode)})")
    for entry, sub_prefix in subfolders:
        yield from _walk_folder(Path(entry.path), sub_prefix, rules, ignore, seen)


def _kind(mode: int) -> str:
    """What a file that is not a regular file is, in a word or two."""
    for test, name in (
        (stat.S_ISFIFO, "FIFO"),
        (stat.S_ISSOCK, "socket"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
        (stat.S_ISDIR, "folder"),
    ):
        if test(mode):
            return name
    return "special file"
