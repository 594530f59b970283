"""Loading the knowledge through an on-disk cache: each file analysed once, the index saved atomically.

Each knowledge root has two cache files in the user's cache directory, named after the root's
absolute path:
- `…​.index`: the built index with the (size, mtime) of every file it was built from, packed so
  its arrays map from disk (askbot.index.packing); a one-shot question reads only this;
- `…​.files`: every file's analysis, read only when something changed, so that a file added,
  changed or removed is re-read and re-analysed alone before the tables are rebuilt.
A cache that is corrupt, truncated, from another version or unreadable is ignored and rewritten;
one that cannot be written is skipped with a warning.  Writes are atomic renames, so askbots
started together never see a half-written cache, and an interrupted build leaves none behind.
"""

from __future__ import annotations

import gc
import os
import sys
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from askbot import __version__
from askbot.analysis.text import ANALYSER_VERSION, Analyzer
from askbot.documents.passages import READER_VERSION, Skipped, UnreadableFile, read_document
from askbot.documents.walk import SUFFIXES, Document, find_documents
from askbot.errors import KnowledgeError
from askbot.index import packing
from askbot.index.bm25 import Params
from askbot.index.build import AnalysedFile, Index, analyse_file, build_index

# Bump the last number whenever the saved classes change shape.
CACHE_FORMAT = (__version__, ANALYSER_VERSION, READER_VERSION, Params(), 6)

Warn = Callable[[str], None]
Progress = Callable[[int, int], None]
Stamp = tuple[int, int]  # (size, mtime in ns)


@dataclass(frozen=True)
class _SavedIndex:
    format: object
    root: str
    stamps: dict[str, Stamp]
    index: Index


def user_cache_dir() -> Path:
    """Where askbot keeps indexes: $ASKBOT_CACHE_DIR, else the platform's user cache directory."""
    return _user_dir("ASKBOT_CACHE_DIR", "XDG_CACHE_HOME", ".cache", "Caches")


def user_state_dir() -> Path:
    """Where askbot keeps history: $ASKBOT_STATE_DIR, else the platform's user state directory."""
    return _user_dir("ASKBOT_STATE_DIR", "XDG_STATE_HOME", ".local/state", "Application Support")


def _user_dir(own: str, xdg: str, unix_default: str, mac_folder: str) -> Path:
    if os.environ.get(own):
        return Path(os.environ[own])
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData/Local"), "askbot")
    if sys.platform == "darwin":
        return Path.home() / "Library" / mac_folder / "askbot"
    return Path(os.environ.get(xdg) or Path.home() / unix_default, "askbot")


def cache_path(root: Path, cache_dir: Path, kind: str = "index", language: str | None = None) -> Path:
    """A cache file of one knowledge root: kind "index" or "files"; a language forced on every file
    has caches of its own.

    Named by a 64-bit checksum of the root's absolute path (zlib's, cheaper to import than hashlib's);
    the saved index also records the root, so even a collision is never taken for a match.
    """
    name = str(root.resolve()).encode("utf-8", "surrogateescape")
    forced = f".{language}" if language else ""
    return cache_dir / f"{zlib.crc32(name):08x}{zlib.adler32(name):08x}{forced}.{kind}"


def load_index(
    root: Path,
    cache_dir: Path | None = None,
    warn: Warn = lambda message: None,
    progress: Progress | None = None,
    ignore: bool = True,
    language: str | None = None,
) -> Index:
    """The index of a knowledge file or folder, from the cache when no file changed.

    `ignore=False` reads what ignore files and hidden names would pass over (askbot.documents.walk).
    Each file's language is detected from its text, unless `language` (ISO 639-1) is given for all.
    """
    documents = list(find_documents(root, ignore))
    stamps: dict[str, Stamp] = {}
    unstatable: list[Skipped] = []
    for doc in documents:
        try:
            info = doc.path.stat()
        except OSError as error:
            unstatable.append(Skipped(doc.source, error.strerror or str(error)))
        else:
            stamps[doc.source] = (info.st_size, info.st_mtime_ns)

    where = str(root.resolve())
    saved = _read_index(cache_path(root, cache_dir, "index", language)) if cache_dir is not None else None
    if saved is not None and saved.root == where and saved.stamps == stamps and not unstatable:
        index = saved.index
    else:
        with _no_cycle_collection():
            previous = _read_files(cache_path(root, cache_dir, "files", language)) if cache_dir else {}
            files = _analyse(documents, stamps, previous, progress, language)
            analysed = [entry for _, entry in files.values() if isinstance(entry, AnalysedFile)]
            skipped = unstatable + [entry for _, entry in files.values() if isinstance(entry, Skipped)]
            # Skipped files are reported when the index is built; --sources lists them any time.
            for s in skipped:
                warn(f"skipped {s.source}: {s.reason}")
            if not documents:
                raise KnowledgeError(f"no {', '.join(SUFFIXES)} files in {root}")
            if not analysed:
                raise KnowledgeError(f"nothing readable in {root} ({len(skipped)} file(s) skipped)")
            index = build_index(analysed, skipped)
        if cache_dir is not None:
            fresh = _SavedIndex(CACHE_FORMAT, where, stamps, index)
            _write_cache(root, cache_dir, files, fresh, warn, language)
    return index


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector while building: the millions of lists, strings and dicts
    made are freed by reference counting, and collection passes over them cost ~6% of a large build."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _analyse(
    documents: list[Document],
    stamps: dict[str, Stamp],
    previous: dict[str, tuple[Stamp, AnalysedFile | Skipped]],
    progress: Progress | None,
    language: str | None,
) -> dict[str, tuple[Stamp, AnalysedFile | Skipped]]:
    """Each file's analysis: reused when its stamp is unchanged, else read and analysed anew in its
    language (`language`, or its own)."""
    analyzers: dict[str, Analyzer] = {}
    files: dict[str, tuple[Stamp, AnalysedFile | Skipped]] = {}
    for n, doc in enumerate(documents):
        if progress is not None:
            progress(n, len(documents))
        stamp = stamps.get(doc.source)
        if stamp is None:
            continue
        hit = previous.get(doc.source)
        if hit is not None and hit[0] == stamp:
            files[doc.source] = hit
            continue
        try:
            contents = read_document(doc, language)
            analyzer = analyzers.setdefault(contents.language, Analyzer(language=contents.language))
            files[doc.source] = (stamp, analyse_file(doc.source, contents.passages, analyzer))
        except UnreadableFile as error:
            files[doc.source] = (stamp, Skipped(doc.source, str(error)))
    if progress is not None:
        progress(len(documents), len(documents))
    return files


def _read_index(path: Path) -> _SavedIndex | None:
    try:
        saved = packing.load(path)
    except packing.BrokenFile:
        return None
    if not isinstance(saved, _SavedIndex) or saved.format != CACHE_FORMAT:
        return None
    return saved


def _read_files(path: Path) -> dict[str, tuple[Stamp, AnalysedFile | Skipped]]:
    try:
        files = packing.load(path)
    except packing.BrokenFile:
        return {}
    if isinstance(files, tuple) and len(files) == 2 and files[0] == CACHE_FORMAT:
        return dict(files[1])
    return {}


def _write_cache(
    root: Path,
    cache_dir: Path,
    files: dict[str, tuple[Stamp, AnalysedFile | Skipped]],
    saved: _SavedIndex,
    warn: Warn,
    language: str | None,
) -> None:
    try:
        # The analyses first: an index is never newer than the analyses it could be rebuilt from.
        packing.save(cache_path(root, cache_dir, "files", language), (CACHE_FORMAT, files))
        packing.save(cache_path(root, cache_dir, "index", language), saved)
    except OSError as error:
        warn(f"could not save the index cache in {cache_dir}: {error.strerror or error}")
