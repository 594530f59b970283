"""simplemma's dictionaries, kept in askbot's cache in a form a process reads in milliseconds.

simplemma ships each language's dictionary (word form -> lemma) front-coded and lzma-compressed, and
decodes all of it in Python the first time a process looks a word up: ~0.25 s for English, with
its import.  A batch of questions paid that for a single word its knowledge lacked.

So the first process that needs a language's dictionary writes it to the cache directory as a
words file: a JSON header line, then 32-bit offsets and the forms and lemmas in UTF-8, the forms
grouped in buckets by their crc32.  Nothing in it runs as code.  Later processes read and check
it in ~3 ms, and look a word up in ~1 µs: its bucket, then the few forms there.  The file is named
after simplemma's data file (path, size, time), so another simplemma has files of its own; it is
written under a temporary name and renamed, so concurrent askbots never read half of one; and one
truncated, damaged or foreign fails its header, size or checksum and is written again.

`lemma_lookup` gives simplemma's answer for every word: from the file where simplemma would only
look the word up as written, from simplemma itself where its rules must work on the word.  Within
`askbot.dirs.no_cache()` no file is read or written: every word goes to simplemma.

Writing a words file also tidies the folder: words files made from a simplemma data file that is no
longer installed as it was (removed, or replaced by another version) are removed, and so are
temporary files a writer left behind (killed before its rename) an hour or more ago.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import time
import unicodedata
import zlib
from collections.abc import Callable, Iterable
from operator import itemgetter
from pathlib import Path
from typing import Any

from askbot.dirs import cache_in_use, process_running

FORMAT = 1
_MAGIC = b"askbot words\n"
_MAX_HEADER = 4096
# The languages whose words simplemma folds before looking them up (its utils.CANON_LANGS): their
# marks are stripped, so a word's form in the file is not always the form looked up.
CANONICALISED = frozenset({"ar", "he", "grc"})
# simplemma tries every apostrophe of a word in each of these spellings.
_APOSTROPHES = ("'", "\u2019", "\u02bc")
# What the folder holds: words files ("en-<16 hex>.words") and their writers' temporary files
# (".en-<16 hex>.words.<pid>.<8 hex>").
_WORDS_NAME = re.compile(r"[a-z]{2,3}-[0-9a-f]{16}\.words")
_TEMPORARY_NAME = re.compile(r"\.([a-z]{2,3}-[0-9a-f]{16}\.words)\.([0-9]+)\.[0-9a-f]{8}")
# A temporary file this old whose writer is gone was left by a killed askbot.
LEFTOVER_AGE_S = 3600.0


class Words:
    """A dictionary's forms and their lemmas, read from a words file; `get` is a dict's."""

    def __init__(self, data: bytes, source: list[Any]):
        """Take a file's bytes, written from simplemma's data file `source`; ValueError unless sound."""
        header, body = _read_header(data)
        if header.get("format") != FORMAT or header.get("source") != source:
            raise ValueError("a words file of another format or dictionary")
        if header.get("byteorder") != sys.byteorder:
            raise ValueError("a words file of another byte order")
        count, buckets, keys, values = (_count(header, n) for n in ("entries", "buckets", "keys", "values"))
        if buckets < 1 or buckets & (buckets - 1):
            raise ValueError("a words file whose bucket count is no power of two")
        arrays = 4 * (buckets + 1) + 8 * (count + 1)
        if len(data) - body != arrays + keys + values:
            raise ValueError("a words file of the wrong size: truncated or damaged")
        if zlib.crc32(memoryview(data)[body:]) != header.get("crc32"):
            raise ValueError("a words file whose checksum fails: damaged")
        view = memoryview(data)
        self._data = data
        self._count = count
        self._mask = buckets - 1
        self._buckets = view[body : body + 4 * (buckets + 1)].cast("I")
        offsets = body + 4 * (buckets + 1)
        self._key_offsets = view[offsets : offsets + 4 * (count + 1)].cast("I")
        self._value_offsets = view[offsets + 4 * (count + 1) : offsets + 8 * (count + 1)].cast("I")
        self._keys = body + arrays
        self._values = self._keys + keys

    def __len__(self) -> int:
        return self._count

    def get(self, word: str) -> str | None:
        """The lemma of a form, as written (case and all), or None for a form the dictionary lacks."""
        key = word.encode("utf-8", "surrogatepass")  # a lone surrogate matches no form
        bucket = zlib.crc32(key) & self._mask
        # min(): a planted file can at worst give wrong lemmas, never read past its arrays.
        for entry in range(self._buckets[bucket], min(self._buckets[bucket + 1], self._count)):
            start, end = self._key_offsets[entry], self._key_offsets[entry + 1]
            if self._data[self._keys + start : self._keys + end] == key:
                start, end = self._value_offsets[entry], self._value_offsets[entry + 1]
                return self._data[self._values + start : self._values + end].decode("utf-8", "replace")
        return None


def encode(forms: list[bytes], lemmas: list[bytes], source: list[Any]) -> bytes:
    """A words file holding the forms and their lemmas (in UTF-8) of simplemma's data file `source`."""
    import numpy as np

    count = len(forms)
    buckets = 1 << max(count - 1, 1).bit_length()  # about one form a bucket
    slots = np.fromiter(map(zlib.crc32, forms), dtype=np.uint32, count=count) & np.uint32(buckets - 1)
    order = np.argsort(slots, kind="stable").tolist()

    def offsets(lengths: list[int]) -> bytes:
        ends = np.cumsum(np.array(lengths, dtype=np.int64)[order])
        if ends.size and ends[-1] >= 1 << 32:
            raise ValueError("a dictionary too large for 32-bit offsets")
        return np.concatenate([[0], ends]).astype(np.uint32).tobytes()

    keys = b"".join(itemgetter(*order)(forms)) if count > 1 else b"".join(forms)
    values = b"".join(itemgetter(*order)(lemmas)) if count > 1 else b"".join(lemmas)
    starts = np.searchsorted(slots[order], np.arange(buckets + 1), side="left").astype(np.uint32).tobytes()
    body = b"".join([starts, offsets(list(map(len, forms))), offsets(list(map(len, lemmas))), keys, values])
    header = {
        "format": FORMAT,
        "source": source,
        "byteorder": sys.byteorder,
        "entries": count,
        "buckets": buckets,
        "keys": len(keys),
        "values": len(values),
        "crc32": zlib.crc32(body),
    }
    line = _MAGIC + json.dumps(header).encode() + b"\n"
    return line + b" " * (-len(line) % 4) + body


def _encoded(pairs: Iterable[tuple[str, str]]) -> tuple[list[bytes], list[bytes]]:
    """The forms and the lemmas of (form, lemma) pairs, in UTF-8."""
    forms: list[bytes] = []
    lemmas: list[bytes] = []
    for form, lemma in pairs:
        forms.append(form.encode())
        lemmas.append(lemma.encode())
    return forms, lemmas


def _simplemma_pairs(code: str) -> tuple[list[bytes], list[bytes]]:
    """The forms and the lemmas of simplemma's dictionary of a language, in UTF-8, as its lookups see
    them.  simplemma keeps them as a dict of UTF-8 bytes behind a str mapping: that dict is taken
    as it is where there is one (decoding and encoding a million forms again takes seconds)."""
    from simplemma.strategies.dictionaries import DEFAULT_DICTIONARY_FACTORY

    mapping = DEFAULT_DICTIONARY_FACTORY.get_dictionary(code)
    stored = getattr(mapping, "_dict", None)
    first = next(iter(stored.items()), None) if isinstance(stored, dict) else None
    if stored is not None and first is not None and all(type(x) is bytes for x in first):
        return list(stored), list(stored.values())
    return _encoded(mapping.items())


def _read_header(data: bytes) -> tuple[dict[str, Any], int]:
    """A words file's header, and where its arrays start (after the header's padding)."""
    if not data.startswith(_MAGIC):
        raise ValueError("not a words file")
    end = data.find(b"\n", len(_MAGIC), _MAX_HEADER)
    if end < 0:
        raise ValueError("a words file without a header")
    try:
        header = json.loads(data[len(_MAGIC) : end])  # ValueError (JSONDecodeError) when damaged
    except RecursionError:
        raise ValueError("a words file whose header nests too deep") from None
    if not isinstance(header, dict):
        raise ValueError("a words file without a header")
    body = end + 1
    return header, body + (-body % 4)


def _count(header: dict[str, Any], name: str) -> int:
    value = header.get(name)
    if type(value) is not int or not 0 <= value < 1 << 32:
        raise ValueError(f"a words file whose {name} is no count")
    return value


def source_of(code: str) -> list[Any] | None:
    """simplemma's data file of a language, as [path, size, modification time], found without
    importing simplemma; None when it has none (or keeps its data elsewhere)."""
    from importlib.util import find_spec

    spec = find_spec("simplemma")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "strategies" / "dictionaries" / "data" / f"{code}.plzma"
    try:
        stat = path.stat()
    except OSError:
        return None
    return [str(path), stat.st_size, stat.st_mtime_ns]


def open_words(code: str, cache_dir: Path) -> Words | None:
    """A language's dictionary as a words file: read from the cache, or written there first (in
    memory alone where the cache cannot be written).  None when simplemma has no data file for it."""
    source = source_of(code)
    if source is None:
        return None
    name = json.dumps(source).encode("utf-8", "surrogateescape")
    path = cache_dir / "dictionaries" / f"{code}-{zlib.crc32(name):08x}{zlib.adler32(name):08x}.words"
    try:
        return Words(path.read_bytes(), source)
    except (OSError, ValueError):
        pass  # missing, or not sound: written again
    data = encode(*_simplemma_pairs(code), source)
    if _write(path, data):
        tidy(path.parent, keep=path.name)
    return Words(data, source)


def _write(path: Path, data: bytes) -> bool:
    """Write a file whole or not at all: to a temporary name, then renamed over the old one;
    False when the cache cannot be written."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(data)
        os.replace(temporary, path)
        return True
    except OSError:  # a cache that cannot be written: the words stay in memory
        with contextlib.suppress(OSError):
            temporary.unlink()
        return False


def tidy(folder: Path, keep: str = "") -> None:
    """Remove from a dictionaries folder what no askbot will read again: words files of a simplemma
    data file no longer installed as it was (or not sound enough to say which), and temporary files
    left an hour or more ago by a writer that is gone.  `keep` is a file just written."""
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        try:
            if entry.name == keep:
                continue
            leftover = _TEMPORARY_NAME.fullmatch(entry.name)
            if _WORDS_NAME.fullmatch(entry.name):
                stale = _stale(Path(entry.path))
            elif leftover is not None:
                old = now - entry.stat().st_mtime >= LEFTOVER_AGE_S
                stale = old and not process_running(int(leftover[2]))
            else:
                stale = False  # not ours
            if stale:
                os.unlink(entry.path)
        except OSError:  # gone already, or not ours to remove
            continue


def _stale(path: Path) -> bool:
    """Whether a words file was made from a simplemma data file that is no longer there as it was."""
    with open(path, "rb") as handle:
        start = handle.read(_MAX_HEADER)
    try:
        source = _read_header(start)[0].get("source")
    except ValueError:
        return True  # damaged or foreign: its own name's next reader would write it again anyway
    if not (isinstance(source, list) and len(source) == 3 and isinstance(source[0], str)):
        return True
    try:
        stat = os.stat(source[0])
    except OSError:
        return True
    return [stat.st_size, stat.st_mtime_ns] != source[1:]


def lemma_lookup(code: str, cache_dir: Path, rules: bool) -> Callable[[str], str | None]:
    """simplemma's lemma of a word of a language, or None for a word it does not know; with `rules`,
    a word is also known when simplemma's rules (affixes and the like) lead it to a lemma.

    A word simplemma would only look up as written (and with its first letter's case swapped) is
    looked up in the words file; one its rules must work on goes to simplemma.
    """
    words: Words | None = None
    opened = code in CANONICALISED  # those always go to simplemma
    if not opened and cache_in_use():  # within no_cache(), not until a lookup made outside it
        words, opened = open_words(code, cache_dir), True

    def lookup(word: str) -> str | None:
        nonlocal words, opened
        if not word:
            return None
        if not opened and cache_in_use():
            words, opened = open_words(code, cache_dir), True
        if words is not None and _as_written(word):
            found = words.get(word)
            if found is None:
                found = words.get(word.lower() if word[:1].isupper() else word.capitalize())
            if found is not None or not rules:
                return found
        return _simplemma_lookup(word, code, rules)

    return lookup


def _as_written(word: str) -> bool:
    """Whether simplemma looks a word up as written: no number (its own lemma), no apostrophe (tried
    in every spelling), nothing Unicode would normalise."""
    return (
        not word.isnumeric()
        and not any(a in word for a in _APOSTROPHES)
        and (word.isascii() or unicodedata.is_normalized("NFC", word))
    )


def _simplemma_lookup(word: str, code: str, rules: bool) -> str | None:
    import simplemma

    if simplemma.is_known(word, lang=code):
        return str(simplemma.lemmatize(word, lang=code))
    if not rules:
        return None
    lemma = str(simplemma.lemmatize(word, lang=code))
    return lemma if lemma != word else None
