"""Loading the knowledge through an on-disk cache: each file analysed once, the index saved atomically.

The cache of a knowledge root is one pickle in the user's cache directory, named after the root's
absolute path.  It holds every file's analysis keyed on (size, mtime) and the built index.  A
file added, changed or removed is re-read and re-analysed alone; the tables are then rebuilt from
the cached analyses.  A cache that is corrupt, from another version or unreadable is ignored and
rewritten; a cache that cannot be written is skipped with a warning.  Writes go to a temporary
file renamed into place, so concurrent askbots never see a half-written cache.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from askbot import __version__
from askbot.bm25 import Params
from askbot.index import AnalysedFile, Index, analyse_file, build_index
from askbot.knowledge import Skipped, UnreadableFile, find_documents, read_document
from askbot.text import ANALYSER_VERSION

CACHE_FORMAT = (__version__, ANALYSER_VERSION, Params())

Warn = Callable[[str], None]
Progress = Callable[[int, int], None]


@dataclass
class _Cache:
    format: object
    # source -> ((size, mtime_ns), its analysis or why it was skipped)
    files: dict[str, tuple[tuple[int, int], AnalysedFile | Skipped]]
    index: Index | None


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


def cache_path(root: Path, cache_dir: Path) -> Path:
    """The cache file of one knowledge root."""
    digest = hashlib.sha256(str(root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:20]
    return cache_dir / f"index-{digest}.pickle"


def load_index(
    root: Path,
    cache_dir: Path | None = None,
    warn: Warn = lambda message: None,
    progress: Progress | None = None,
) -> Index:
    """The index of a knowledge file or folder, from the cache when nothing changed."""
    documents = list(find_documents(root))
    path = cache_path(root, cache_dir) if cache_dir is not None else None
    cache = _read_cache(path) if path is not None else None
    cached = cache.files if cache is not None else {}

    files: dict[str, tuple[tuple[int, int], AnalysedFile | Skipped]] = {}
    unstatable: list[Skipped] = []
    for n, doc in enumerate(documents):
        if progress is not None:
            progress(n, len(documents))
        try:
            info = doc.path.stat()
        except OSError as error:
            unstatable.append(Skipped(doc.source, error.strerror or str(error)))
            continue
        stamp = (info.st_size, info.st_mtime_ns)
        hit = cached.get(doc.source)
        if hit is not None and hit[0] == stamp:
            files[doc.source] = hit
            continue
        try:
            files[doc.source] = (stamp, analyse_file(doc.source, read_document(doc)))
        except UnreadableFile as error:
            files[doc.source] = (stamp, Skipped(doc.source, str(error)))
    if progress is not None:
        progress(len(documents), len(documents))

    analysed = [entry for _, entry in files.values() if isinstance(entry, AnalysedFile)]
    skipped = unstatable + [entry for _, entry in files.values() if isinstance(entry, Skipped)]
    for s in skipped:
        warn(f"skipped {s.source}: {s.reason}")
    unchanged = len(files) == len(cached) and all(cached.get(k) is v for k, v in files.items())
    if cache is not None and cache.index is not None and unchanged:
        return cache.index
    index = build_index(analysed, skipped)
    if path is not None:
        _write_cache(path, _Cache(CACHE_FORMAT, files, index), warn)
    return index


def _read_cache(path: Path) -> _Cache | None:
    try:
        with path.open("rb") as handle:
            cache = pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - any broken cache is simply rebuilt
        return None
    if not isinstance(cache, _Cache) or cache.format != CACHE_FORMAT:
        return None
    return cache


def _write_cache(path: Path, cache: _Cache, warn: Warn) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(cache, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as error:
        warn(f"could not save the index cache in {path.parent}: {error.strerror or error}")
