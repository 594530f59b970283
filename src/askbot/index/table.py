"""Passages stored as columns: one UTF-8 blob and a few arrays, cheap to save, join and map from disk."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import overload

import numpy as np
import numpy.typing as npt

from askbot.documents.passages import Passage


@dataclass(frozen=True)
class PassageTable(Sequence[Passage]):
    """Passages stored as columns: one text blob and arrays, cheap to save, load and map from disk."""

    blob: npt.NDArray[np.uint8]  # every passage's UTF-8 text, back to back
    offsets: npt.NDArray[np.int64]  # passage i is blob[offsets[i]:offsets[i + 1]]
    source_ids: npt.NDArray[np.int32]
    lines: npt.NDArray[np.int32]
    paragraph_numbers: npt.NDArray[np.int32]
    location_ids: npt.NDArray[np.int32]
    sources: tuple[str, ...]
    locations: tuple[str, ...]

    @classmethod
    def of(cls, passages: Sequence[Passage]) -> PassageTable:
        """Pack passages into columns."""
        encoded = [p.text.encode("utf-8", "surrogatepass") for p in passages]
        offsets = np.zeros(len(passages) + 1, dtype=np.int64)
        np.cumsum([len(e) for e in encoded], out=offsets[1:])
        sources = tuple(dict.fromkeys(p.source for p in passages))
        number = {s: i for i, s in enumerate(sources)}
        locations = tuple(dict.fromkeys(p.location for p in passages))
        place = {s: i for i, s in enumerate(locations)}
        return cls(
            np.frombuffer(b"".join(encoded), dtype=np.uint8),
            offsets,
            np.fromiter((number[p.source] for p in passages), dtype=np.int32, count=len(passages)),
            np.fromiter((p.line for p in passages), dtype=np.int32, count=len(passages)),
            np.fromiter((p.paragraph for p in passages), dtype=np.int32, count=len(passages)),
            np.fromiter((place[p.location] for p in passages), dtype=np.int32, count=len(passages)),
            sources,
            locations,
        )

    @classmethod
    def concat(cls, tables: Sequence[PassageTable]) -> PassageTable:
        """One table holding the passages of all `tables`, in order."""
        sources = tuple(dict.fromkeys(s for t in tables for s in t.sources))
        locations = tuple(dict.fromkeys(loc for t in tables for loc in t.locations))
        source_number = {s: i for i, s in enumerate(sources)}
        location_number = {loc: i for i, loc in enumerate(locations)}
        shifts = np.cumsum([0] + [len(t.blob) for t in tables])
        offsets = [np.zeros(1, dtype=np.int64)] + [
            t.offsets[1:] + shift for t, shift in zip(tables, shifts, strict=False)
        ]
        return cls(
            np.concatenate([np.empty(0, dtype=np.uint8)] + [t.blob for t in tables]),
            np.concatenate(offsets),
            _renumber(
                [t.source_ids for t in tables], [[source_number[s] for s in t.sources] for t in tables]
            ),
            np.concatenate([np.empty(0, dtype=np.int32)] + [t.lines for t in tables]),
            np.concatenate([np.empty(0, dtype=np.int32)] + [t.paragraph_numbers for t in tables]),
            _renumber(
                [t.location_ids for t in tables],
                [[location_number[loc] for loc in t.locations] for t in tables],
            ),
            sources,
            locations,
        )

    def __len__(self) -> int:
        return len(self.lines)

    @overload
    def __getitem__(self, i: int) -> Passage: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Passage]: ...
    def __getitem__(self, i: int | slice) -> Passage | Sequence[Passage]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        i = range(len(self))[i]  # negative indices, and IndexError past the end
        text = self.blob[self.offsets[i] : self.offsets[i + 1]].tobytes().decode("utf-8", "surrogatepass")
        source, location = self.sources[self.source_ids[i]], self.locations[self.location_ids[i]]
        return Passage(text, source, int(self.lines[i]), int(self.paragraph_numbers[i]), location)

    def __iter__(self) -> Iterator[Passage]:
        return (self[i] for i in range(len(self)))


def _renumber(ids: Sequence[npt.NDArray[np.int32]], mappings: Sequence[list[int]]) -> npt.NDArray[np.int32]:
    """Concatenate per-table ids, each translated through its table's mapping to the joint numbering."""
    parts = [np.asarray(m, dtype=np.int32)[i] for i, m in zip(ids, mappings, strict=True) if len(i)]
    return np.concatenate([np.empty(0, dtype=np.int32)] + parts)
