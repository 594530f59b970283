"""Finding the knowledge files under a root, in a stable order."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from askbot.errors import KnowledgeError

# Plain text is read as it is; the other formats through their readers (askbot.documents.formats).
SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf")


@dataclass(frozen=True, slots=True)
class Document:
    """One knowledge file found on disk."""

    path: Path
    source: str


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
