"""Segments: immutable pieces of the index, each holding some files' passages, postings and words.

A segment never changes once written.  It keeps what BM25 needs to be computed over any set of
segments at question time: per term, the passages (and paragraphs) holding it with the term's
frequency there, and every passage's (and paragraph's) length.  Collection statistics (N, df,
average length) are not stored: they are sums over the live segments (askbot.index.collection).

Terms and words are found by a 64-bit hash kept sorted beside them, so a segment is searched
straight from the mapped file, with nothing to build when it is opened.
"""

from __future__ import annotations

import bisect
import zlib
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

import numpy as np

from askbot.index import columns
from askbot.index.columns import Array, BrokenFile, Columns, Strings, ascending, strings, within
from askbot.index.table import PassageTable, join_tables, passages_from_arrays

if TYPE_CHECKING:
    from askbot.index.build import AnalysedFile
    from askbot.index.wordtable import WordTable

KIND = "askbot segment"
Stamp = tuple[int, int]  # a file's (size, mtime in ns) when it was read
_LOOKUPS_BEFORE_A_LIST = 200
SENTENCE, PARAGRAPH = "sentence", "paragraph"


def key_hash(key: str) -> int:
    """A 64-bit hash of a term or word, the same in every process (Python's own hash is salted)."""
    return bytes_hash(key.encode("utf-8", "surrogatepass"))


def bytes_hash(data: bytes) -> int:
    """`key_hash` of a key already encoded in UTF-8 (surrogates kept)."""
    return (zlib.crc32(data) << 32) | zlib.adler32(data)


class FileRecord(NamedTuple):
    """One file of a segment: where its passages and paragraphs are, and what else is known of it."""

    source: str
    stamp: tuple[int, int]  # (size, mtime in ns) when it was read
    passages: tuple[int, int]  # its rows in the segment
    paragraphs: tuple[int, int]  # its paragraph documents in the segment
    length: int  # terms in all its passages: its share of BM25's average length
    acronyms: tuple[tuple[str, tuple[str, ...]], ...]
    meta: dict[str, Any]  # anything more a file carries (JSON)

    def to_json(self) -> dict[str, Any]:
        """The record as plain JSON."""
        return {
            "source": self.source,
            "stamp": list(self.stamp),
            "passages": list(self.passages),
            "paragraphs": list(self.paragraphs),
            "length": self.length,
            "acronyms": [[a, list(words)] for a, words in self.acronyms],
            "meta": self.meta,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FileRecord:
        """The record saved by `to_json`; KeyError, TypeError or ValueError if it is malformed."""
        size, mtime = data["stamp"]
        a, b = data["passages"]
        c, d = data["paragraphs"]
        acronyms = tuple((str(acronym), tuple(map(str, words))) for acronym, words in data["acronyms"])
        meta = data["meta"]
        if not isinstance(meta, dict) or not 0 <= a <= b or not 0 <= c <= d:
            raise ValueError("malformed file record")
        return cls(
            str(data["source"]), (int(size), int(mtime)), (a, b), (c, d), int(data["length"]), acronyms, meta
        )


@dataclass(eq=False)  # holds arrays: compared and hashed by identity; not frozen (see columns.Columns)
class Postings:
    """One kind of document (sentences or paragraphs) of a segment: its postings and lengths."""

    starts: Array  # the postings of term t are docs[starts[t]:starts[t + 1]]
    docs: Array
    tfs: Array
    lengths: Array  # terms per document

    def of(self, term: int) -> tuple[Array, Array]:
        """Documents holding term number `term`, ascending, and its frequency in each."""
        a, b = self.starts[term], self.starts[term + 1]
        return self.docs[a:b], self.tfs[a:b]


class Lookup:
    """Strings found by hash: `hashes` sorted, `keys` beside them.

    A one-shot question looks up a few dozen words with numpy, straight from the mapped file; a
    process asking many questions copies the hashes into a list once, where bisection is cheaper.
    """

    def __init__(self, hashes: Array, keys: Strings):
        self.hashes = hashes
        self.keys = keys
        self._lookups = 0
        self._listed: list[int] | None = None

    def find(self, key: str) -> int:
        """The position of `key`, or -1."""
        h = key_hash(key)
        hashes: Sequence[int] | Array
        if self._listed is not None:
            hashes = self._listed
            i = bisect.bisect_left(self._listed, h)
        else:
            self._lookups += 1
            if self._lookups == _LOOKUPS_BEFORE_A_LIST:
                self._listed = self.hashes.tolist()
            hashes = self.hashes
            i = int(self.hashes.searchsorted(np.uint64(h)))
        while i < len(hashes) and hashes[i] == h:
            if self.keys[i] == key:
                return i
            i += 1
        return -1


@dataclass(eq=False)  # compared and hashed by identity; not frozen (see columns.Columns)
class Segment:
    """A segment, read from its columns file or just built in memory."""

    name: str
    files: tuple[FileRecord, ...]
    passages: PassageTable
    terms: Lookup
    sentences: Postings
    paragraphs: Postings
    paragraph_of: Array  # passage -> its paragraph document
    words: Lookup  # folded words
    word_terms: Strings  # each word's term ("" for a word that has none, such as a stopword)
    spelling_words: Array  # spelling -> its folded word
    spellings: Strings  # each spelling as written
    spelling_counts: Array  # how often, over all the segment's files
    file_spellings: tuple[Array, Array, Array]  # per file (CSR): starts, spellings, counts
    checksum: int = 0

    @classmethod
    def from_columns(cls, name: str, columns: Columns) -> Segment:
        """The segment a columns file holds; KeyError, TypeError or ValueError if it is malformed."""
        a, meta = columns.arrays, columns.meta
        files = tuple(FileRecord.from_json(record) for record in meta["files"])
        size = int(meta["passages"])
        return cls(
            name,
            files,
            passages_from_arrays(a, size),
            Lookup(a["term.hash"], Strings(a["term.blob"], a["term.offsets"])),
            Postings(a["sentence.starts"], a["sentence.docs"], a["sentence.tfs"], a["sentence.lengths"]),
            Postings(a["paragraph.starts"], a["paragraph.docs"], a["paragraph.tfs"], a["paragraph.lengths"]),
            a["paragraph_of"],
            Lookup(a["word.hash"], Strings(a["word.blob"], a["word.offsets"])),
            Strings(a["word.term.blob"], a["word.term.offsets"]),
            a["spelling.word"],
            Strings(a["spelling.blob"], a["spelling.offsets"]),
            a["spelling.count"],
            (a["spelling.file_starts"], a["spelling.file_rows"], a["spelling.file_counts"]),
            columns.checksum,
        )

    @property
    def size(self) -> int:
        """Passages in the segment, deleted ones included."""
        return len(self.passages)

    def postings(self, kind: str) -> Postings:
        """The sentence or paragraph postings."""
        return self.sentences if kind == SENTENCE else self.paragraphs

    def check(self) -> None:
        """ValueError unless every number in the segment points inside it (a planted file's could not)."""
        n, p = self.size, len(self.paragraphs.lengths)
        for postings, docs in ((self.sentences, n), (self.paragraphs, p)):
            within(postings.docs, docs, "postings")
            ascending(postings.starts, len(postings.docs), len(self.terms.keys) + 1)
        within(self.paragraph_of, p, "paragraph numbers")
        within(self.spelling_words, len(self.words.keys), "spellings")
        ascending(self.file_spellings[0], len(self.file_spellings[1]), len(self.files) + 1)
        within(self.file_spellings[1], len(self.spelling_counts), "file spellings")
        for strings_ in (self.terms.keys, self.words.keys, self.word_terms, self.spellings):
            strings_.check()
        self.passages.check()
        for f in self.files:
            if f.passages[1] > n or f.paragraphs[1] > p:
                raise ValueError(f"file {f.source} runs past the segment")


def open_segment(folder: Path, name: str, verify: bool = False) -> Segment:
    """A segment file mapped from disk; BrokenFile when it is damaged (checked in full with `verify`)."""
    found = columns.read(folder / name, KIND, verify)
    try:
        segment = Segment.from_columns(name, found)
        if verify:
            segment.check()
    except (KeyError, TypeError, ValueError) as error:
        raise BrokenFile(f"malformed segment: {error}") from None
    return segment


def build_arrays(files: Sequence[AnalysedFile]) -> tuple[dict[str, Any], dict[str, Array]]:
    """A segment's meta and arrays for some analysed files, in order."""
    passages = join_tables([f.passages for f in files])
    n = len(passages)
    table = _one_table(files)
    if table is None:
        term_list, term_maps = _gather(files, lambda f: f.terms, lambda f, numbers: f.table.terms(numbers))
        terms, renumber, term_hashes = hash_order(term_list)
    else:  # an indexing worker's batch: its table knows each term's hash already
        distinct = _distinct([f.terms for f in files])
        term_maps = [np.searchsorted(distinct, f.terms) for f in files]
        term_list = table.terms(distinct.tolist())
        terms, renumber, term_hashes = hash_order(term_list, table.term_hashes(distinct))
    token_terms = np.concatenate(
        [np.zeros(0, np.int64)] + [renumber[m][f.term_ids] for f, m in zip(files, term_maps, strict=True)]
    )
    lengths = np.concatenate([np.zeros(0, np.int64)] + [np.diff(f.term_offsets) for f in files])
    token_docs = np.repeat(np.arange(n, dtype=np.int64), lengths)
    paragraph_of, paragraph_ranges = _paragraphs(files)
    n_paragraphs = int(paragraph_of[-1]) + 1 if n else 0
    arrays = {**passages.arrays("passage"), **string_arrays("term", terms, term_hashes)}
    arrays.update(_postings("sentence", token_terms, token_docs, len(terms), lengths))
    paragraph_lengths = np.bincount(paragraph_of, weights=lengths, minlength=n_paragraphs).astype(np.int64)
    arrays.update(
        _postings("paragraph", token_terms, paragraph_of[token_docs], len(terms), paragraph_lengths)
    )
    arrays["paragraph_of"] = paragraph_of.astype(np.int32)
    arrays.update(_word_arrays(files) if table is None else _table_word_arrays(files, table))
    records, start = [], 0
    for f, paragraphs in zip(files, paragraph_ranges, strict=True):
        end = start + len(f.passages)
        length = int(lengths[start:end].sum())
        records.append(FileRecord(f.source, f.stamp, (start, end), paragraphs, length, f.acronyms, f.meta))
        start = end
    return {"passages": n, "files": [r.to_json() for r in records]}, arrays


T = TypeVar("T", bound=Hashable)


def _gather(
    files: Sequence[AnalysedFile],
    numbers_of: Callable[[AnalysedFile], Array],
    values_of: Callable[[AnalysedFile, list[int]], list[T]],
) -> tuple[list[T], list[Array]]:
    """The distinct values some files number (in their tables), and each file's map into them.

    Files of one table (those of one indexing worker) are gathered with numpy; the values of
    several tables are joined by value.
    """
    by_lexicon: dict[int, list[int]] = {}
    for i, f in enumerate(files):
        by_lexicon.setdefault(id(f.table), []).append(i)
    union: dict[T, int] = {}
    maps: list[Array] = [np.zeros(0, np.int64)] * len(files)
    for members in by_lexicon.values():
        distinct = np.unique(
            np.concatenate([np.zeros(0, np.int64)] + [numbers_of(files[i]) for i in members])
        )
        values = values_of(files[members[0]], distinct.tolist())
        if not union:
            union = dict(zip(values, range(len(values)), strict=True))
            positions = np.arange(len(values), dtype=np.int64)
        else:
            positions = np.fromiter((union.setdefault(v, len(union)) for v in values), np.int64, len(values))
        for i in members:
            maps[i] = positions[np.searchsorted(distinct, numbers_of(files[i]))]
    return list(union), maps


def hash_order(keys: list[str], hashes: Array | None = None) -> tuple[list[str], Array, Array]:
    """The keys in hash order (as `Lookup` wants them), each original position's new position, and
    the hashes in that order; `hashes`: the keys' own, when they are known."""
    if hashes is None:
        hashes = np.fromiter(map(key_hash, keys), dtype=np.uint64, count=len(keys))
    order = np.argsort(hashes, kind="stable")
    renumber = np.empty(len(keys), dtype=np.int64)
    renumber[order] = np.arange(len(keys))
    return [keys[i] for i in order.tolist()], renumber, hashes[order]


def string_arrays(prefix: str, values: Sequence[str], hashes: Array | None = None) -> dict[str, Array]:
    """Strings as `prefix`.blob and .offsets, and their `hashes` (if given) as .hash, for `Lookup`."""
    blob, offsets = strings(values)
    arrays = {f"{prefix}.blob": blob, f"{prefix}.offsets": offsets}
    if hashes is not None:
        arrays[f"{prefix}.hash"] = hashes
    return arrays


def _paragraphs(files: Sequence[AnalysedFile]) -> tuple[Array, list[tuple[int, int]]]:
    """Each passage's paragraph document: a new one wherever the file or the paragraph number changes."""
    parts, ranges, base = [], [], 0
    for f in files:
        numbers = np.asarray(f.passages.columns["paragraph"])
        starts = np.ones(len(numbers), dtype=bool)
        starts[1:] = np.diff(numbers) != 0
        local = np.cumsum(starts) - 1 + base
        count = int(starts.sum())
        parts.append(local)
        ranges.append((base, base + count))
        base += count
    return np.concatenate([np.zeros(0, np.int64), *parts]).astype(np.int64), ranges


def _postings(prefix: str, terms: Array, docs: Array, n_terms: int, lengths: Array) -> dict[str, Array]:
    """Postings sorted by term then document, with each pair's frequency."""
    n_docs = max(len(lengths), 1)
    pairs, tfs = np.unique(terms * n_docs + docs, return_counts=True)
    starts = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(np.bincount(pairs // n_docs, minlength=n_terms), out=starts[1:])
    return {
        f"{prefix}.starts": starts,
        f"{prefix}.docs": (pairs % n_docs).astype(np.int32),
        f"{prefix}.tfs": tfs.astype(np.uint16 if len(tfs) == 0 or tfs.max() < 2**16 else np.uint32),
        f"{prefix}.lengths": np.asarray(lengths, dtype=np.int32),
    }


def _word_arrays(files: Sequence[AnalysedFile]) -> dict[str, Array]:
    """Folded words with their terms, and every spelling's count, in all and per file."""
    spellings, maps = _gather(files, lambda f: f.spellings, lambda f, numbers: f.table.spellings(numbers))
    folded_list = list(dict.fromkeys(folded for folded, _, _ in spellings))
    terms = {folded: term for folded, _, term in spellings if term}
    for f in files:
        terms.update(f.defined)
    words, renumber, hashes = hash_order(folded_list)
    word_number = dict(zip(folded_list, renumber.tolist(), strict=True))
    owners = [word_number[folded] for folded, _, _ in spellings]
    counts = [f.spelling_counts for f in files]
    spelt = [written for _, written, _ in spellings]
    return word_arrays(words, hashes, [terms.get(w, "") for w in words], owners, spelt, maps, counts)


def _one_table(files: Sequence[AnalysedFile]) -> WordTable | None:
    """The word table all the files were analysed with, if they share one."""
    tables = {id(f.table): f.table for f in files}
    return next(iter(tables.values())) if len(tables) == 1 else None


def _distinct(parts: Sequence[Array]) -> Array:
    """The distinct numbers of some arrays, ascending."""
    return np.unique(np.concatenate([np.zeros(0, np.int64), *parts]))


def _table_word_arrays(files: Sequence[AnalysedFile], table: WordTable) -> dict[str, Array]:
    """`_word_arrays` of files analysed with one word table, from its numbers: no string is hashed
    or compared, and the result is the same."""
    spellings = _distinct([f.spellings for f in files])
    maps = [np.searchsorted(spellings, f.spellings) for f in files]
    owner_words, spelling_terms = table.spelling_words(spellings)
    present, first, inverse = np.unique(owner_words, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    met = np.argsort(first)  # the words in the order their first spelling comes
    place = np.empty(len(present), dtype=np.int64)
    place[met] = np.arange(len(present))
    folded, hashes = table.words(present[met])
    words, renumber, hashes = hash_order(folded, hashes)
    # A word's term is its spellings' (they all have the same one, or none), unless an acronym
    # definition gave it one.
    term_of = np.full(len(present), -1, dtype=np.int64)
    np.maximum.at(term_of, inverse, spelling_terms)
    in_order = np.empty(len(present), dtype=np.int64)
    in_order[renumber] = term_of[met]
    terms = table.terms_or_blank(in_order)
    defined = {w: term for f in files for w, term in f.defined}
    if defined:
        terms = [defined.get(w, t) for w, t in zip(words, terms, strict=True)]
    owners = renumber[place[inverse]]
    counts = [f.spelling_counts for f in files]
    return word_arrays(words, hashes, terms, owners, table.written(spellings), maps, counts)


def word_arrays(
    words: Sequence[str],
    hashes: Array,
    terms: Sequence[str],
    owners: Sequence[int] | Array,
    spellings: Sequence[str],
    rows: Sequence[Array],
    counts: Sequence[Array],
) -> dict[str, Array]:
    """The arrays of a segment's words (in hash order) with their terms, and of its spellings: each
    spelling's word, text and count, sorted by word, and each file's spellings (`rows`) and counts."""
    order = np.argsort(np.array(owners, dtype=np.int64), kind="stable")
    renumber = np.empty(len(order), dtype=np.int64)
    renumber[order] = np.arange(len(order))
    file_rows = renumber[np.concatenate([np.zeros(0, np.int64), *rows])]
    file_counts = np.concatenate([np.zeros(0, np.int64), *counts])
    listed = order.tolist()
    return {
        **string_arrays("word", words, hashes),
        **string_arrays("word.term", terms),
        "spelling.word": np.array(owners, dtype=np.int32)[order],
        **string_arrays("spelling", [spellings[i] for i in listed]),
        "spelling.count": np.bincount(file_rows, weights=file_counts, minlength=len(order)).astype(np.int64),
        "spelling.file_starts": np.cumsum([0] + [len(r) for r in rows]).astype(np.int64),
        "spelling.file_rows": file_rows.astype(np.int32),
        "spelling.file_counts": file_counts.astype(np.int32),
    }


def in_memory(name: str, files: Sequence[AnalysedFile]) -> Segment:
    """A segment of some analysed files, built without touching the disk."""
    meta, arrays = build_arrays(files)
    return Segment.from_columns(name, Columns(KIND, meta, arrays))
