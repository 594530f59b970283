"""The manifest: which segments, and which of their files, make up a knowledge root's index.

A root's cache folder holds immutable segment files and one manifest naming the live ones.  A
change writes new segments first and then replaces the manifest in one atomic rename, so a reader
sees the old index or the new one, never a mix, and a build interrupted at any point leaves the
last good manifest in place.  Writers take the folder's lock; readers never wait for it.

The manifest records, per segment, its size, modification time and checksum as written: a
segment that no longer matches them is verified in full before it is trusted (askbot.index.store).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from askbot.dirs import process_running
from askbot.index import columns
from askbot.index.columns import BrokenFile, Written
from askbot.index.segment import Segment

KIND = "askbot manifest"
NAME = "manifest"
LOCK = "lock"
SEGMENT_SUFFIX = ".seg"
# Unreferenced files younger than this may be another askbot's work in progress: leave them.
ORPHAN_AGE_S = 600.0


class SegmentEntry(NamedTuple):
    """One segment as the manifest knows it."""

    name: str
    size: int
    mtime_ns: int
    checksum: int
    deleted: tuple[tuple[int, int], ...] = ()  # passage ranges of its deleted files

    def to_json(self) -> dict[str, Any]:
        """The entry as plain JSON."""
        return {
            "name": self.name,
            "size": self.size,
            "mtime_ns": self.mtime_ns,
            "checksum": self.checksum,
            "deleted": [list(r) for r in self.deleted],
        }


class Manifest(NamedTuple):
    """The content of a manifest."""

    format: list[Any]
    root: str
    segments: tuple[SegmentEntry, ...]
    files: tuple[tuple[str, int, int], ...]  # live files in document order: (source, segment, file number)
    skipped: tuple[tuple[str, int, int, str], ...]  # (source, size, mtime in ns, reason)
    checksum: int = 0

    def to_json(self) -> dict[str, Any]:
        """The manifest as plain JSON."""
        return {
            "format": self.format,
            "root": self.root,
            "segments": [s.to_json() for s in self.segments],
            "files": [list(f) for f in self.files],
            "skipped": [list(s) for s in self.skipped],
        }


def compose(
    format: list[Any],
    root: str,
    segments: Sequence[Segment],
    records: Mapping[str, SegmentEntry | Written],
    files: Sequence[tuple[str, int, int]],
    skipped: Sequence[tuple[str, int, int, str]],
) -> Manifest:
    """The manifest of some segments and their live files (in document order); each segment's files
    not listed are its deleted ones.  `records` gives each segment's size, time and checksum as written."""
    live = {(k, n) for _, k, n in files}
    entries = []
    for k, segment in enumerate(segments):
        deleted = tuple(f.passages for n, f in enumerate(segment.files) if (k, n) not in live)
        record = records[segment.name]
        entries.append(SegmentEntry(segment.name, record.size, record.mtime_ns, record.checksum, deleted))
    return Manifest(format, root, tuple(entries), tuple(files), tuple(skipped))


def read(folder: Path) -> Manifest | None:
    """The folder's manifest, or None when there is none; BrokenFile when it is damaged."""
    path = folder / NAME
    if not path.exists():
        return None
    found = columns.read(path, KIND)
    try:
        meta = found.meta
        segments = tuple(
            SegmentEntry(
                str(s["name"]),
                int(s["size"]),
                int(s["mtime_ns"]),
                int(s["checksum"]),
                tuple((int(a), int(b)) for a, b in s["deleted"]),
            )
            for s in meta["segments"]
        )
        files = tuple((str(source), int(k), int(n)) for source, k, n in meta["files"])
        skipped = tuple((str(s), int(size), int(mtime), str(why)) for s, size, mtime, why in meta["skipped"])
        if any(not 0 <= k < len(segments) for _, k, _ in files):
            raise ValueError("a file names no segment")
        return Manifest(list(meta["format"]), str(meta["root"]), segments, files, skipped, found.checksum)
    except (KeyError, TypeError, ValueError) as error:
        raise BrokenFile(f"malformed manifest: {error}") from None


def write(folder: Path, manifest: Manifest) -> None:
    """Replace the folder's manifest atomically."""
    columns.write(folder, KIND, manifest.to_json(), {}, name=NAME)


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the folder's writer lock (waiting for it); released when the process ends, however it ends."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / LOCK, "a+b") as handle:
        _lock(handle.fileno())
        try:
            yield
        finally:
            _unlock(handle.fileno())


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(fd: int) -> None:
        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
                return
            except OSError:  # LK_LOCK gives up after ten seconds: keep waiting
                continue

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:  # fcntl imported when a lock is taken: a question answered from the cache takes none

    def _lock(fd: int) -> None:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX)

    def _unlock(fd: int) -> None:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


def collect_garbage(folder: Path, keep: Sequence[str], superseded: Sequence[str]) -> None:
    """Remove what no manifest needs: `superseded` segments now, the temporary files of writers that
    are gone (askbots killed while writing) now, other strays once they are old.

    Called with the lock held.  A stray young file may be a segment another askbot is merging.
    Files still mapped by a running askbot cannot be removed on Windows: they go on a later run.
    """
    wanted = {NAME, LOCK, *keep}
    now = time.time()
    for path in folder.iterdir():
        if path.name in wanted:
            continue
        try:
            old = now - path.stat().st_mtime > ORPHAN_AGE_S
            if path.name in superseded or old or _abandoned(path.name):
                path.unlink()
        except OSError:
            pass


def _abandoned(name: str) -> bool:
    """Whether a file is a temporary one whose writer is no longer running."""
    if not name.endswith(columns.TEMPORARY_SUFFIX):
        return False
    parts = name.split(".")
    return len(parts) >= 4 and parts[-3].isdigit() and not process_running(int(parts[-3]))
