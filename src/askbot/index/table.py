"""Passages stored as columns, one per field of `Passage`: cheap to save, join and map from disk.

Every field becomes a column by its type, so a field added to `Passage` is stored with no new
code here:
- a `str` field: its distinct values (a UTF-8 blob with offsets) and each row's number into them;
- an `int`, `float` or `bool` field: an array;
- an optional record (`Attachment | None`): the rows that have one, and the records' own columns
  over those rows only, so that a field few passages use costs little.
"""

from __future__ import annotations

import bisect
import dataclasses
import types
import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, partial
from typing import Any, Generic, TypeVar, overload

import numpy as np

from askbot.documents.passages import Passage
from askbot.index.columns import Array, Strings, strings, within

T = TypeVar("T")
_NUMBERS: dict[Any, Any] = {int: np.int64, float: np.float64, bool: np.bool_}


def record_fields(cls: Any) -> tuple[tuple[str, Any], ...]:
    """A record class's fields with the type of column each needs: str, a number type, or a record class."""
    hints = typing.get_type_hints(cls)
    kinds = []
    for f in dataclasses.fields(cls):
        kind = hints[f.name]
        options = [k for k in typing.get_args(kind) if k is not type(None)]
        optional = typing.get_origin(kind) in (typing.Union, types.UnionType) and len(options) == 1
        if optional and dataclasses.is_dataclass(options[0]):
            kinds.append((f.name, options[0]))
        elif kind is str or kind in _NUMBERS:
            kinds.append((f.name, kind))
        else:
            raise TypeError(
                f"{cls.__name__}.{f.name}: a {kind} field needs a column type in askbot.index.table"
            )
    return tuple(kinds)


@dataclass(eq=False)  # holds arrays: compared and hashed by identity; not frozen (see columns.Columns)
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

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, i: int) -> str:
        return self.values[self.ids[i]]

    def take(self, rows: Array) -> TextColumn:
        """The column of the given rows, holding only the values they use."""
        used, ids = np.unique(self.ids[rows], return_inverse=True)
        return TextColumn(_gather(self.values, used), ids.astype(np.int32).reshape(-1))

    @staticmethod
    def concat(columns: Sequence[TextColumn]) -> TextColumn:
        """The columns one after another."""
        blobs, offsets, ids = [], [np.zeros(1, dtype=np.int64)], []
        byte_shift = value_shift = 0
        for column in columns:
            blobs.append(column.values.blob)
            offsets.append(column.values.offsets[1:] + byte_shift)
            ids.append(column.ids.astype(np.int32) + value_shift)
            byte_shift += int(column.values.offsets[-1])
            value_shift += len(column.values)
        blob = np.concatenate([np.zeros(0, dtype=np.uint8), *blobs])
        values = Strings(blob, np.concatenate(offsets))
        return TextColumn(values, np.concatenate([np.zeros(0, np.int32), *ids]))


def _gather(values: Strings, picked: Array) -> Strings:
    """The strings at `picked`, as a new blob (vectorised: no string is decoded)."""
    starts, ends = values.offsets[picked], values.offsets[picked + 1]
    lengths = ends - starts
    offsets = np.zeros(len(picked) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    index = np.repeat(starts - offsets[:-1], lengths) + np.arange(offsets[-1], dtype=np.int64)
    return Strings(values.blob[index], offsets)


@dataclass(eq=False)  # holds arrays: compared and hashed by identity; not frozen (see columns.Columns)
class Records(Sequence[T], Generic[T]):
    """Records of one dataclass as one column per field."""

    cls: type[T]
    columns: Mapping[str, Any]  # TextColumn, an array, or SparseColumn per field
    size: int

    @classmethod
    def pack(cls, record: type[T], items: Sequence[T]) -> Records[T]:
        """Pack records into columns."""
        columns: dict[str, Any] = {}
        for name, kind in record_fields(record):
            values = [getattr(item, name) for item in items]
            if kind is str:
                columns[name] = TextColumn.of(values)
            elif kind in _NUMBERS:
                columns[name] = np.array(values, dtype=_NUMBERS[kind]).reshape(len(values))
            else:
                rows = [i for i, v in enumerate(values) if v is not None]
                sub = Records.pack(kind, [values[i] for i in rows])
                columns[name] = SparseColumn(np.array(rows, dtype=np.int32), sub)
        return cls(record, columns, len(items))

    @classmethod
    def join(cls, record: type[T], tables: Sequence[Records[T]]) -> Records[T]:
        """One table holding the records of all `tables`, in order."""
        columns: dict[str, Any] = {}
        for name, kind in record_fields(record):
            parts = [t.columns[name] for t in tables]
            if kind is str:
                columns[name] = TextColumn.concat(parts)
            elif kind in _NUMBERS:
                columns[name] = np.concatenate([np.zeros(0, _NUMBERS[kind]), *parts])
            else:
                shifts = np.cumsum([0] + [t.size for t in tables])
                rows = [p.rows.astype(np.int64) + shift for p, shift in zip(parts, shifts, strict=False)]
                sub = Records.join(kind, [p.records for p in parts])
                columns[name] = SparseColumn(
                    np.concatenate([np.zeros(0, np.int64), *rows]).astype(np.int32), sub
                )
        return cls(record, columns, sum(t.size for t in tables))

    def take(self, rows: Array) -> Records[T]:
        """The records at `rows` (an array of row numbers), in that order."""
        columns = {name: _take(column, rows) for name, column in self.columns.items()}
        return Records(self.cls, columns, len(rows))

    def arrays(self, prefix: str) -> dict[str, Array]:
        """The table as named arrays, for a columns file."""
        out: dict[str, Array] = {}
        for name, column in self.columns.items():
            key = f"{prefix}.{name}"
            if isinstance(column, TextColumn):
                out.update({f"{key}.blob": column.values.blob, f"{key}.offsets": column.values.offsets})
                out[f"{key}.ids"] = column.ids
            elif isinstance(column, SparseColumn):
                out[f"{key}.rows"] = column.rows
                out.update(column.records.arrays(key))
            else:
                out[key] = column
        return out

    @classmethod
    def from_arrays(cls, record: type[T], arrays: Mapping[str, Array], prefix: str, size: int) -> Records[T]:
        """The table saved by `arrays`; KeyError or ValueError if a column is missing or the wrong size."""
        columns: dict[str, Any] = {}
        for name, kind in record_fields(record):
            key = f"{prefix}.{name}"
            if kind is str:
                values = Strings(arrays[f"{key}.blob"], arrays[f"{key}.offsets"])
                columns[name] = TextColumn(values, arrays[f"{key}.ids"])
            elif kind in _NUMBERS:
                columns[name] = arrays[key]
            else:
                rows = arrays[f"{key}.rows"]
                columns[name] = SparseColumn(rows, Records.from_arrays(kind, arrays, key, len(rows)))
                continue
            if len(columns[name]) != size:
                raise ValueError(f"column {key} does not hold {size} rows")
        return cls(record, columns, size)

    def check(self) -> None:
        """ValueError unless every column's numbers point inside it (a planted file's might not)."""
        for column in self.columns.values():
            if isinstance(column, TextColumn):
                column.values.check()
                within(column.ids, len(column.values), "passage values")
            elif isinstance(column, SparseColumn):
                within(column.rows, self.size, "passage rows")
                if np.any(np.diff(column.rows) <= 0):
                    raise ValueError("passage rows out of order")
                column.records.check()

    def __len__(self) -> int:
        return self.size

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[T]: ...
    def __getitem__(self, i: int | slice) -> T | Sequence[T]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        i = range(self.size)[i]  # negative indices, and IndexError past the end
        return self.cls(**{name: get(i) for name, get in self._getters})

    @cached_property
    def _getters(self) -> list[tuple[str, Callable[[int], Any]]]:
        getters: list[tuple[str, Callable[[int], Any]]] = []
        for name, column in self.columns.items():
            if isinstance(column, np.ndarray):
                getters.append((name, partial(_item, column)))
            else:
                getters.append((name, column.__getitem__))
        return getters

    def __iter__(self) -> Iterator[T]:
        return (self[i] for i in range(len(self)))


@dataclass(eq=False)  # holds arrays: compared and hashed by identity; not frozen (see columns.Columns)
class SparseColumn:
    """An optional record field: the rows that have a value, ascending, and their values."""

    rows: Array
    records: Records[Any]

    def __len__(self) -> int:
        return len(self.records)

    def __getitem__(self, i: int) -> Any:
        rows = self._rows
        j = bisect.bisect_left(rows, i)
        return self.records[j] if j < len(rows) and rows[j] == i else None

    @cached_property
    def _rows(self) -> list[int]:
        return list(self.rows.tolist())

    def take(self, wanted: Array) -> SparseColumn:
        """The values of the rows `wanted`, renumbered by their place in it."""
        j = np.minimum(np.searchsorted(self.rows, wanted), max(len(self.rows) - 1, 0))
        present = (self.rows[j] == wanted) if len(self.rows) else np.zeros(len(wanted), dtype=bool)
        order = np.flatnonzero(present)
        records = self.records.take(j[order])
        return SparseColumn(order.astype(np.int32), records)


def _item(column: Array, i: int) -> Any:
    return column[i].item()


def _take(column: Any, rows: Array) -> Any:
    return column[rows] if isinstance(column, np.ndarray) else column.take(rows)


PassageTable = Records[Passage]


def passage_table(passages: Sequence[Passage]) -> PassageTable:
    """Passages packed into columns."""
    return Records.pack(Passage, passages)


def join_tables(tables: Sequence[PassageTable]) -> PassageTable:
    """One table of the passages of all `tables`, in order."""
    return Records.join(Passage, tables)


def passages_from_arrays(arrays: Mapping[str, Array], size: int) -> PassageTable:
    """The passage table a columns file holds; KeyError or ValueError when it is malformed."""
    return Records.from_arrays(Passage, arrays, "passage", size)
