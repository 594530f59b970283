"""Passages stored as columns: one UTF-8 blob and a few arrays, cheap to save, join and map from disk."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import overload

import numpy as np
import numpy.typing as npt

from askbot.documents.passages import ATTACHMENT_KINDS, Attachment, Passage


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
    # What sentences introduce (askbot.documents.passages.Attachment), stored sparsely: few have any.
    attached_to: npt.NDArray[np.int32]  # the passages that have one, in increasing order
    attached_kinds: npt.NDArray[np.int8]  # index into ATTACHMENT_KINDS
    attached_lines: npt.NDArray[np.int32]
    attached_blob: npt.NDArray[np.uint8]  # their UTF-8 texts back to back, as blob
    attached_offsets: npt.NDArray[np.int64]

    @classmethod
    def of(cls, passages: Sequence[Passage]) -> PassageTable:
        """Pack passages into columns."""
        blob, offsets = _packed([p.text for p in passages])
        with_attachment = [(i, p.attached) for i, p in enumerate(passages) if p.attached is not None]
        attached_blob, attached_offsets = _packed([a.text for _, a in with_attachment])
        sources = tuple(dict.fromkeys(p.source for p in passages))
        number = {s: i for i, s in enumerate(sources)}
        locations = tuple(dict.fromkeys(p.location for p in passages))
        place = {s: i for i, s in enumerate(locations)}
        return cls(
            blob,
            offsets,
            np.fromiter((number[p.source] for p in passages), dtype=np.int32, count=len(passages)),
            np.fromiter((p.line for p in passages), dtype=np.int32, count=len(passages)),
            np.fromiter((p.paragraph for p in passages), dtype=np.int32, count=len(passages)),
            np.fromiter((place[p.location] for p in passages), dtype=np.int32, count=len(passages)),
            sources,
            locations,
            np.array([i for i, _ in with_attachment], dtype=np.int32),
            np.array([ATTACHMENT_KINDS.index(a.kind) for _, a in with_attachment], dtype=np.int8),
            np.array([a.line for _, a in with_attachment], dtype=np.int32),
            attached_blob,
            attached_offsets,
        )

    @classmethod
    def concat(cls, tables: Sequence[PassageTable]) -> PassageTable:
        """One table holding the passages of all `tables`, in order."""
        sources = tuple(dict.fromkeys(s for t in tables for s in t.sources))
        locations = tuple(dict.fromkeys(loc for t in tables for loc in t.locations))
        source_number = {s: i for i, s in enumerate(sources)}
        location_number = {loc: i for i, loc in enumerate(locations)}
        starts = np.cumsum([0] + [len(t) for t in tables])
        return cls(
            np.concatenate([np.empty(0, dtype=np.uint8)] + [t.blob for t in tables]),
            _joined_offsets([t.offsets for t in tables], [len(t.blob) for t in tables]),
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
            np.concatenate(
                [np.empty(0, dtype=np.int32)]
                + [(t.attached_to + start).astype(np.int32) for t, start in zip(tables, starts, strict=False)]
            ),
            np.concatenate([np.empty(0, dtype=np.int8)] + [t.attached_kinds for t in tables]),
            np.concatenate([np.empty(0, dtype=np.int32)] + [t.attached_lines for t in tables]),
            np.concatenate([np.empty(0, dtype=np.uint8)] + [t.attached_blob for t in tables]),
            _joined_offsets([t.attached_offsets for t in tables], [len(t.attached_blob) for t in tables]),
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
        lines, paragraphs = int(self.lines[i]), int(self.paragraph_numbers[i])
        return Passage(text, source, lines, paragraphs, location, self._attachment(i))

    def _attachment(self, i: int) -> Attachment | None:
        """What passage i introduces, if anything."""
        k = int(np.searchsorted(self.attached_to, i))
        if k == len(self.attached_to) or self.attached_to[k] != i:
            return None
        raw = self.attached_blob[self.attached_offsets[k] : self.attached_offsets[k + 1]].tobytes()
        kind = ATTACHMENT_KINDS[self.attached_kinds[k]]
        return Attachment(kind, raw.decode("utf-8", "surrogatepass"), int(self.attached_lines[k]))

    def __iter__(self) -> Iterator[Passage]:
        return (self[i] for i in range(len(self)))


def _packed(texts: Sequence[str]) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.int64]]:
    """Texts as one UTF-8 blob and the offsets where each starts (and, last, where the blob ends)."""
    encoded = [t.encode("utf-8", "surrogatepass") for t in texts]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(e) for e in encoded], out=offsets[1:])
    return np.frombuffer(b"".join(encoded), dtype=np.uint8), offsets


def _joined_offsets(offsets: Sequence[npt.NDArray[np.int64]], sizes: Sequence[int]) -> npt.NDArray[np.int64]:
    """The offsets into blobs joined end to end, from each blob's own offsets and size."""
    shifts = np.cumsum([0, *sizes])
    parts = [o[1:] + shift for o, shift in zip(offsets, shifts, strict=False)]
    return np.concatenate([np.zeros(1, dtype=np.int64), *parts])


def _renumber(ids: Sequence[npt.NDArray[np.int32]], mappings: Sequence[list[int]]) -> npt.NDArray[np.int32]:
    """Concatenate per-table ids, each translated through its table's mapping to the joint numbering."""
    parts = [np.asarray(m, dtype=np.int32)[i] for i, m in zip(ids, mappings, strict=True) if len(i)]
    return np.concatenate([np.empty(0, dtype=np.int32)] + parts)
