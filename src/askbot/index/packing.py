"""Saving a tree of dataclasses holding numpy arrays as one file whose arrays map from disk.

Layout: 8 bytes giving the length of a pickled skeleton, the skeleton (the objects with every
array replaced by a reference), then each array's raw bytes at a 64-byte aligned offset.  Loading
reads the skeleton and maps the arrays with `np.memmap`, so a large index opens in milliseconds
and pages in only what queries touch.  Writes go to a temporary file renamed into place: a reader
sees the old file or the new one, never half of one.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import struct
from pathlib import Path
from typing import Any

import numpy as np

_ALIGN = 64


@dataclasses.dataclass(frozen=True)
class _ArrayRef:
    offset: int
    dtype: str
    shape: tuple[int, ...]


class BrokenFile(Exception):
    """A packed file that is truncated, garbled or of another format."""


def save(path: Path, tree: object) -> None:
    """Write `tree` to `path` atomically; arrays go after the skeleton, aligned."""
    arrays: list[np.ndarray[Any, Any]] = []
    skeleton = _strip(tree, arrays)
    refs: list[_ArrayRef] = []
    position = 0
    for array in arrays:
        refs.append(_ArrayRef(position, array.dtype.str, array.shape))
        position += -(-array.nbytes // _ALIGN) * _ALIGN
    import tempfile  # only writes need it

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            # The skeleton is pickled straight into the file, not built in memory first.
            handle.write(b"\0" * 8)
            pickle.dump((skeleton, refs), handle, protocol=pickle.HIGHEST_PROTOCOL)
            length = handle.tell() - 8
            handle.seek(0)
            handle.write(struct.pack("<Q", length))
            start = -(-(8 + length) // _ALIGN) * _ALIGN
            for ref, array in zip(refs, arrays, strict=True):
                handle.seek(start + ref.offset)
                handle.write(np.ascontiguousarray(array).data.cast("B"))
            handle.truncate(start + position)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def load(path: Path) -> object:
    """Read a tree written by `save`, its arrays mapped read-only from the file."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            (length,) = struct.unpack("<Q", handle.read(8))
            if length > size:
                raise BrokenFile("truncated header")
            skeleton, refs = pickle.loads(handle.read(length))
        start = -(-(8 + length) // _ALIGN) * _ALIGN
        arrays = [_map(path, start, ref, size) for ref in refs]
        return _restore(skeleton, arrays)
    except (OSError, EOFError, struct.error, pickle.UnpicklingError, ValueError, TypeError) as error:
        raise BrokenFile(str(error)) from None
    except (AttributeError, ImportError, IndexError, KeyError) as error:  # written by another version
        raise BrokenFile(str(error)) from None


def _map(path: Path, start: int, ref: _ArrayRef, size: int) -> np.ndarray[Any, Any]:
    dtype = np.dtype(ref.dtype)
    nbytes = int(np.prod(ref.shape)) * dtype.itemsize
    if start + ref.offset + nbytes > size:
        raise BrokenFile("truncated arrays")
    if nbytes == 0:
        return np.empty(ref.shape, dtype=dtype)
    return np.memmap(path, dtype=dtype, mode="r", offset=start + ref.offset, shape=ref.shape)


def _strip(value: object, arrays: list[np.ndarray[Any, Any]]) -> object:
    if isinstance(value, np.ndarray):
        arrays.append(value)
        return _Slot(len(arrays) - 1)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _strip(getattr(value, f.name), arrays) for f in dataclasses.fields(value)}
        return dataclasses.replace(value, **changes)
    return value


def _restore(value: object, arrays: list[np.ndarray[Any, Any]]) -> object:
    if isinstance(value, _Slot):
        return arrays[value.number]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _restore(getattr(value, f.name), arrays) for f in dataclasses.fields(value)}
        return dataclasses.replace(value, **changes)
    return value


@dataclasses.dataclass(frozen=True)
class _Slot:
    number: int
