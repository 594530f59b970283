"""Files of named arrays behind a plain JSON header: what the index cache is made of.

Nothing in such a file is code.  Layout, little-endian:

    magic    8 bytes  b"ASKBOT\\x01\\n"
    length   4 bytes  of the header
    crc32    4 bytes  of the header
    header   JSON: {"kind", "meta", "size", "arrays": [[name, dtype, shape, offset, crc32], ...]}
    arrays   each at a 64-byte aligned offset from the start of the file

Opening a file reads the header only: it checks the magic, the header's checksum, the kind and
that the file is exactly as long as the header says, then maps each array read-only from disk, so
a large segment opens in microseconds and pages in only what questions touch.  `verify` also
checks every array's checksum (about 0.2 s per 300 MB).  Since the header holds the arrays'
checksums, the header's own checksum stands for the whole file.

Writes go to a temporary file renamed into place: a reader sees the old file or the new one,
never half of one.
"""

from __future__ import annotations

import json
import mmap
import os
import struct
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

MAGIC = b"ASKBOT\x01\n"
# A file being written: "<name>.<writer's process id>.<random>.tmp" until it is renamed to <name>.
TEMPORARY_SUFFIX = ".tmp"
_PREFIX = struct.Struct("<8sII")
_ALIGN = 64
# Only plain numbers: a header cannot ask for Python objects.
_DTYPES = frozenset({"|u1", "|i1", "|b1", "<u2", "<i2", "<u4", "<i4", "<u8", "<i8", "<f4", "<f8"})

Array = npt.NDArray[Any]


class BrokenFile(Exception):
    """A file that is truncated, garbled, of another kind, or not one of ours; the message says how."""


# The index's holders of arrays are dataclasses compared and hashed by identity, and not frozen: each
# frozen one cost about 0.6 ms more to create on every start-up (its methods are compiled from
# generated source), 6 ms of a one-shot answer in all.  Nothing assigns to their fields after creation.
@dataclass(eq=False)  # holds arrays: compared and hashed by identity
class Columns:
    """What one file holds: its kind, a JSON-able `meta` and named arrays."""

    kind: str
    meta: dict[str, Any]
    arrays: Mapping[str, Array]
    checksum: int = 0  # the header's CRC-32, which covers every array's CRC-32


class Written(NamedTuple):
    """What a write produced: enough to recognise the file later without reading it."""

    name: str
    size: int
    mtime_ns: int
    checksum: int


def write(
    folder: Path,
    kind: str,
    meta: Mapping[str, Any],
    arrays: Mapping[str, Array],
    name: str | None = None,
    suffix: str = "",
) -> Written:
    """Write the arrays and meta atomically to `folder`/`name`.

    Without a name, the file is named after its content (a 64-bit checksum of the header, which
    holds every array's checksum) and `suffix`: the same content always gets the same name, so two
    askbots writing the same segment at once write the same file.
    """
    entries: list[list[Any]] = []
    prepared: list[Array] = []
    offset = 0
    for key, array in arrays.items():
        data = np.ascontiguousarray(array)
        data = data.astype(data.dtype.newbyteorder("<"), copy=False)
        if data.dtype.str not in _DTYPES:
            raise TypeError(f"column {key!r}: arrays of {data.dtype} cannot be stored")
        entries.append([key, data.dtype.str, list(data.shape), offset, zlib.crc32(data.data.cast("B"))])
        prepared.append(data)
        offset += -(-data.nbytes // _ALIGN) * _ALIGN
    body = {"kind": kind, "meta": dict(meta), "arrays": entries}
    start, header = _layout(body, offset)
    import tempfile  # only writes need it

    name = name or f"{zlib.crc32(header):08x}{zlib.adler32(header):08x}{suffix}"
    path = folder / name
    folder.mkdir(parents=True, exist_ok=True)
    # Named after this process too, so that one left by a killed askbot is known for litter.
    fd, temporary = tempfile.mkstemp(prefix=f"{name}.{os.getpid()}.", suffix=TEMPORARY_SUFFIX, dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(_PREFIX.pack(MAGIC, len(header), zlib.crc32(header)) + header)
            for entry, data in zip(entries, prepared, strict=True):
                handle.seek(start + entry[3])
                handle.write(data.data.cast("B"))
            handle.truncate(start + offset)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
    info = path.stat()
    return Written(path.name, info.st_size, info.st_mtime_ns, zlib.crc32(header))


def _layout(body: dict[str, Any], data_size: int) -> tuple[int, bytes]:
    """The data's start and the encoded header, which names the file's total size."""
    start = 0
    while True:  # the size is in the header, whose length moves the start: settle in a step or two
        header = json.dumps({**body, "size": start + data_size}, separators=(",", ":")).encode()
        needed = -(-(_PREFIX.size + len(header)) // _ALIGN) * _ALIGN
        if needed == start:
            return start, header
        start = needed


def read(path: Path, kind: str, verify: bool = False) -> Columns:
    """The file at `path`, its arrays mapped from disk; BrokenFile if it is not a sound file of `kind`."""
    try:
        with path.open("rb") as handle:
            prefix = handle.read(_PREFIX.size)
            if len(prefix) < _PREFIX.size:
                raise BrokenFile("truncated header")
            magic, length, checksum = _PREFIX.unpack(prefix)
            if magic != MAGIC:
                raise BrokenFile("not an askbot cache file")
            header = handle.read(length)
            if len(header) != length or zlib.crc32(header) != checksum:
                raise BrokenFile("header checksum mismatch")
            body = json.loads(header)
            size = os.fstat(handle.fileno()).st_size
            if not isinstance(body, dict) or body.get("kind") != kind:
                raise BrokenFile(f"not a {kind} file")
            if body.get("size") != size:
                raise BrokenFile(f"{size} bytes where the header says {body.get('size')}")
            start = -(-(_PREFIX.size + length) // _ALIGN) * _ALIGN
            buffer = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) if size > start else b""
        arrays = {entry[0]: _array(buffer, start, size, entry, verify) for entry in body["arrays"]}
        meta = body["meta"]
        if not isinstance(meta, dict):
            raise BrokenFile("meta is not an object")
        return Columns(kind, meta, arrays, checksum)
    except OSError as error:
        raise BrokenFile(error.strerror or str(error)) from None
    except (ValueError, TypeError, KeyError, IndexError) as error:  # JSON that is not our header
        raise BrokenFile(f"malformed header: {error}") from None


def _array(buffer: mmap.mmap | bytes, start: int, size: int, entry: Sequence[Any], verify: bool) -> Array:
    name, dtype_name, shape, offset, crc = entry
    if dtype_name not in _DTYPES or not all(isinstance(n, int) and n >= 0 for n in shape):
        raise BrokenFile(f"column {name!r}: bad type or shape")
    dtype = np.dtype(dtype_name)
    count = int(np.prod(shape, dtype=np.int64))
    begin = start + int(offset)
    if offset < 0 or begin + count * dtype.itemsize > size:
        raise BrokenFile(f"column {name!r} runs past the end of the file")
    if count == 0:
        return np.zeros(shape, dtype=dtype)
    array = np.frombuffer(buffer, dtype=dtype, count=count, offset=begin).reshape(shape)
    if verify and zlib.crc32(array.data.cast("B")) != crc:
        raise BrokenFile(f"column {name!r}: checksum mismatch")
    return array


def strings(values: Sequence[str]) -> tuple[Array, Array]:
    """Strings as one UTF-8 blob and the offsets of each (surrogates kept, as file names may hold them)."""
    encoded = [v.encode("utf-8", "surrogatepass") for v in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(e) for e in encoded], out=offsets[1:])
    return np.frombuffer(b"".join(encoded), dtype=np.uint8), offsets


@dataclass(eq=False)  # holds arrays: compared and hashed by identity; not frozen (see Columns)
class Strings(Sequence[str]):
    """A list of strings stored as a blob and offsets: item i decoded on demand."""

    blob: Array
    offsets: Array

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i: int) -> str:  # type: ignore[override]
        return str(self._view[self.offsets[i] : self.offsets[i + 1]], "utf-8", "surrogatepass")

    @cached_property
    def _view(self) -> memoryview:
        return self.blob.data

    def check(self) -> None:
        """ValueError unless the offsets span the blob in order and it is UTF-8."""
        ascending(self.offsets, len(self.blob), len(self.offsets))
        self.blob.tobytes().decode("utf-8", "surrogatepass")

    def tolist(self) -> list[str]:
        """Every string, decoded in one pass."""
        if not len(self):
            return []
        if not len(self.blob) or self.blob.min() > 0:  # no NUL inside: split on NULs put between
            joined = np.zeros(len(self.blob) + len(self) - 1, dtype=np.uint8)
            starts = self.offsets[:-1] + np.arange(len(self))
            lengths = np.diff(self.offsets)
            index = np.repeat(starts - self.offsets[:-1], lengths) + np.arange(len(self.blob))
            joined[index] = self.blob
            return joined.tobytes().decode("utf-8", "surrogatepass").split("\0")
        data = self.blob.tobytes()
        bounds = self.offsets.tolist()
        return [data[a:b].decode("utf-8", "surrogatepass") for a, b in zip(bounds, bounds[1:], strict=False)]


def within(values: Array, limit: int, what: str) -> None:
    """ValueError unless every value is a position below `limit`."""
    if len(values) and (int(values.min()) < 0 or int(values.max()) >= limit):
        raise ValueError(f"{what} out of range")


def ascending(offsets: Array, end: int, count: int) -> None:
    """ValueError unless `count` offsets run from 0 to `end` without going back."""
    if len(offsets) != count or not count or int(offsets[0]) != 0 or int(offsets[-1]) != end:
        raise ValueError("offsets do not span their data")
    if np.any(np.diff(offsets) < 0):
        raise ValueError("offsets go backwards")
