"""Where each live passage is: the index numbers passages over its live files, in document order.

A passage's number in the index is its file's base plus its place in the file, the files taken in
the order the folder is walked, whichever segment holds each.  So an index that was edited answers
exactly as one built from scratch would: same numbers, neighbours, paragraphs and ties.  Passages
of deleted files have no number at all.  Paragraph documents are numbered the same way.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from askbot.index.columns import Array
from askbot.index.segment import SENTENCE, Segment

_DELETED = -(2**62)  # the shift of a deleted file's documents: numbers never used


class Live(NamedTuple):
    """One live file: the file numbered `file` in segment number `segment`."""

    segment: int
    file: int


@dataclass(eq=False)  # holds arrays: compared and hashed by identity; not frozen (see columns.Columns)
class SegmentMap:
    """One segment's local document numbers to index numbers."""

    starts: Array  # local start of each of the segment's files, ascending
    shifts: Array  # index number - local number, per file; _DELETED for a deleted file
    uniform: int | None  # the shift of every document, when no file is deleted and all keep their order
    deleted: bool  # whether any of the segment's files is deleted

    def to_index(self, local: Array) -> tuple[Array, Array | None]:
        """Index numbers of the live ones among `local`, and which were live (None: all were)."""
        if self.uniform is not None:
            return local.astype(np.int64) + self.uniform, None
        shifts = self.shifts[np.searchsorted(self.starts, local, side="right") - 1]
        live = shifts != _DELETED
        return (local.astype(np.int64) + shifts)[live], live

    def count_live(self, local: Array) -> int:
        """How many of the local documents are live."""
        if not self.deleted:
            return len(local)
        shifts = self.shifts[np.searchsorted(self.starts, local, side="right") - 1]
        return int(np.count_nonzero(shifts != _DELETED))


class Numbering:
    """Index numbers of one kind of document (passages or paragraphs) over the live files."""

    def __init__(self, segments: Sequence[Segment], live: Sequence[Live], kind: str):
        def span(segment: int, file: int) -> tuple[int, int]:
            record = segments[segment].files[file]
            return record.passages if kind == SENTENCE else record.paragraphs

        ranges = np.array([span(f.segment, f.file) for f in live], dtype=np.int64).reshape(-1, 2)
        self.bases = np.zeros(len(live) + 1, dtype=np.int64)
        np.cumsum(ranges[:, 1] - ranges[:, 0], out=self.bases[1:])
        self.total = int(self.bases[-1])
        self.segment_of = np.array([f.segment for f in live], dtype=np.int64)
        self.local_starts = ranges[:, 0]
        self._bases, self._segments, self._starts = (
            self.bases.tolist(),
            self.segment_of.tolist(),
            self.local_starts.tolist(),
        )
        position = {(f.segment, f.file): n for n, f in enumerate(live)}
        self.maps: list[SegmentMap] = []
        for k, segment in enumerate(segments):
            starts, shifts = [], []
            for j in range(len(segment.files)):
                starts.append(span(k, j)[0])
                n = position.get((k, j))
                shifts.append(_DELETED if n is None else int(self.bases[n] - ranges[n, 0]))
            deleted = _DELETED in shifts
            uniform = shifts[0] if shifts and not deleted and len(set(shifts)) == 1 else None
            self.maps.append(
                SegmentMap(np.array(starts, np.int64), np.array(shifts, np.int64), uniform, deleted)
            )

    def locate(self, number: int) -> tuple[int, int, int]:
        """(live file, segment, local number) of an index number; IndexError outside the index."""
        if not 0 <= number < self.total:
            raise IndexError(f"document {number} is not in the index")
        file = bisect.bisect_right(self._bases, number) - 1
        return file, self._segments[file], number - self._bases[file] + self._starts[file]

    def gather(self, arrays: Sequence[Array]) -> Array:
        """An array over index numbers, put together from one per segment over local numbers."""
        parts = [np.zeros(0, dtype=arrays[0].dtype if arrays else np.int64)]
        for n in range(len(self.segment_of)):
            start = int(self.local_starts[n])
            parts.append(
                arrays[int(self.segment_of[n])][start : start + int(self.bases[n + 1] - self.bases[n])]
            )
        return np.concatenate(parts)
