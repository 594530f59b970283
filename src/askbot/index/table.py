"""Passages stored as columns, one per field of `Passage`: cheap to save, join and map from disk.

Every field becomes a column by its type, so a field added to `Passage` is stored with no new
code here: a `str` field as its distinct values (a UTF-8 blob with offsets) and each passage's
number into them, an `int`, `float` or `bool` field as an array.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from functools import cache
from typing import Any, overload

import numpy as np

from askbot.documents.passages import Passage
from askbot.index.columns import Array, Strings, strings

_NUMBERS = {int: np.int64, float: np.float64, bool: np.bool_}


@cache
def passage_fields() -> tuple[tuple[str, type], ...]:
    """Passage's fields with their types, in order."""
    hints = typing.get_type_hints(Passage)
    kinds = tuple((f.name, hints[f.name]) for f in fields(Passage))
    for name, kind in kinds:
        if kind is not str and kind not in _NUMBERS:
            raise TypeError(f"Passage.{name}: a {kind} field needs a column type in askbot.index.table")
    return kinds


@dataclass(frozen=True)
class TextColumn:
    """A str field: its distinct values and each row's number into them."""

    values: Strings
    ids: Array

    @classmethod
    def of(cls, items: Sequence[str]) -> TextColumn:
        """Dictionary-encode a list of strings."""
        numbers: dict[str, int] = {}
        ids = np.fromiter((numbers.setdefault(s, len(numbers)) for s in items), np.int32, len(items))
        return cls(Strings(*strings(list(numbers))), ids)

    def __getitem__(self, i: int) -> str:
        return self.values[int(self.ids[i])]

    def take(self, rows: Array) -> TextColumn:
        """The column of the given rows, holding only the values they use."""
        used, ids = np.unique(self.ids[rows], return_inverse=True)
        return TextColumn(_gather(self.values, used), ids.astype(np.int32).reshape(-1))


def _gather(values: Strings, picked: Array) -> Strings:
    """The strings at `picked`, as a new blob (vectorised: no string is decoded)."""
    starts, ends = values.offsets[picked], values.offsets[picked + 1]
    lengths = ends - starts
    offsets = np.zeros(len(picked) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    index = np.repeat(starts - offsets[:-1], lengths) + np.arange(offsets[-1], dtype=np.int64)
    return Strings(values.blob[index], offsets)


def _concat_text(columns: Sequence[TextColumn]) -> TextColumn:
    blobs, offsets, ids = [], [np.zeros(1, dtype=np.int64)], []
    byte_shift = value_shift = 0
    for column in columns:
        blobs.append(column.values.blob)
        offsets.append(column.values.offsets[1:] + byte_shift)
        ids.append(column.ids.astype(np.int32) + value_shift)
        byte_shift += int(column.values.offsets[-1])
        value_shift += len(column.values)
    blob = np.concatenate([np.zeros(0, dtype=np.uint8), *blobs])
    return TextColumn(Strings(blob, np.concatenate(offsets)), np.concatenate([np.zeros(0, np.int32), *ids]))


Column = TextColumn | Array


@dataclass(frozen=True)
class PassageTable(Sequence[Passage]):
    """Passages as one column per field."""

    columns: Mapping[str, Column]
    size: int

    @classmethod
    def of(cls, passages: Sequence[Passage]) -> PassageTable:
        """Pack passages into columns."""
        columns: dict[str, Column] = {}
        for name, kind in passage_fields():
            items = [getattr(p, name) for p in passages]
            if kind is str:
                columns[name] = TextColumn.of(items)
            else:
                columns[name] = np.array(items, dtype=_NUMBERS[kind]).reshape(len(items))
        return cls(columns, len(passages))

    @classmethod
    def concat(cls, tables: Sequence[PassageTable]) -> PassageTable:
        """One table holding the passages of all `tables`, in order."""
        columns: dict[str, Column] = {}
        for name, kind in passage_fields():
            parts = [t.columns[name] for t in tables]
            if kind is str:
                columns[name] = _concat_text([p for p in parts if isinstance(p, TextColumn)])
            else:
                columns[name] = np.concatenate([np.zeros(0, _NUMBERS[kind]), *parts])
        return cls(columns, sum(t.size for t in tables))

    def take(self, rows: Array) -> PassageTable:
        """The passages at `rows` (an array of row numbers), in that order."""
        columns: dict[str, Column] = {}
        for name, column in self.columns.items():
            columns[name] = column.take(rows) if isinstance(column, TextColumn) else column[rows]
        return PassageTable(columns, len(rows))

    def arrays(self) -> dict[str, Array]:
        """The table as named arrays, for a columns file."""
        out: dict[str, Array] = {}
        for name, column in self.columns.items():
            if isinstance(column, TextColumn):
                out[f"passage.{name}.blob"] = column.values.blob
                out[f"passage.{name}.offsets"] = column.values.offsets
                out[f"passage.{name}.ids"] = column.ids
            else:
                out[f"passage.{name}"] = column
        return out

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, Array], size: int) -> PassageTable:
        """The table saved by `arrays`; KeyError or ValueError if a column is missing or the wrong size."""
        columns: dict[str, Column] = {}
        for name, kind in passage_fields():
            if kind is str:
                values = Strings(arrays[f"passage.{name}.blob"], arrays[f"passage.{name}.offsets"])
                columns[name] = TextColumn(values, arrays[f"passage.{name}.ids"])
            else:
                columns[name] = arrays[f"passage.{name}"]
            column = columns[name]
            if len(column.ids if isinstance(column, TextColumn) else column) != size:
                raise ValueError(f"column {name} does not hold {size} rows")
        return cls(columns, size)

    def __len__(self) -> int:
        return self.size

    @overload
    def __getitem__(self, i: int) -> Passage: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Passage]: ...
    def __getitem__(self, i: int | slice) -> Passage | Sequence[Passage]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        i = range(self.size)[i]  # negative indices, and IndexError past the end
        values: dict[str, Any] = {}
        for name, column in self.columns.items():
            values[name] = column[i] if isinstance(column, TextColumn) else column[i].item()
        return Passage(**values)

    def __iter__(self) -> Iterator[Passage]:
        return (self[i] for i in range(len(self)))
