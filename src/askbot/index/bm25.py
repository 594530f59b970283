"""BM25+ over the live segments, scored from postings, equal to rank-bm25's BM25Plus.

Each segment stores, per term, the documents holding it and the term's frequency there, and
each document's length.  The collection statistics BM25 needs (the number of documents N, each
term's document frequency, the average length) are summed over the live segments at question
time, so adding, changing or removing a file never rewrites the other segments.  A query touches
only its terms' postings: no array of N scores is made.

Variant: rank-bm25's BM25Plus.  Its idf, log((N + 1) / df), stays positive for a term found in
most passages, which matters in a small article where "NATO" is in nearly every sentence:
BM25Okapi's idf goes negative there and is then floored to a constant that *rises above* rarer
terms' idf.  rank-bm25 adds BM25+'s delta to every passage, matching or not, a constant shift
that leaves its ranking unchanged; here delta is added to matching passages only (the lower
bound BM25+ was designed for), so `scores` = rank-bm25's scores - sum(idf * delta) over the
query terms each passage lacks.
"""

from __future__ import annotations

import math
from collections.abc import KeysView, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from askbot.index.columns import Array, Strings
from askbot.index.layout import Numbering
from askbot.index.segment import Segment

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


_HELD = 4096  # (term, document) pairs whose frequency a field remembers


class Params(NamedTuple):
    """BM25 parameters, chosen for one-sentence passages (see README: Ranking)."""

    # Sentences are short and rarely repeat a word: term frequency saturates early.  Measured
    # with bench/evaluate.py, k1 from 0.9 to 1.5 changes top-1 by under 1%; 1.2 is the middle.
    k1: float = 1.2
    # Full length normalisation: a long sentence mentioning a term in passing is less likely to be
    # about it.  b = 0.75 beat 0.3 and 0.5 on both question sets.
    b: float = 0.75
    # BM25+'s lower bound for a term that occurs at all.
    delta: float = 0.5


def length_norms(lengths: Array, avgdl: float, params: Params) -> FloatArray:
    """BM25's length normalisation k1 * (1 - b + b * length / avgdl) of documents of `lengths`."""
    return params.k1 * (1 - params.b + params.b * lengths.astype(np.float64) / avgdl)


def tf_weights(tfs: Array, norms: FloatArray, params: Params) -> npt.NDArray[np.float32]:
    """The tf part of BM25+ (delta included) for terms found `tfs` times in documents of `norms`.

    Computed as rank-bm25 computes it, in double precision, and kept as float32 as askbot always has.
    """
    frequencies = tfs.astype(np.float32)
    return (params.delta + frequencies * (params.k1 + 1) / (norms + frequencies)).astype(np.float32)


@dataclass(eq=False)  # holds arrays: compared and hashed by identity; not frozen (see columns.Columns)
class Matches:
    """The documents holding any of a query's terms, ascending, with their BM25+ scores."""

    docs: IntArray
    scores: FloatArray
    dense: FloatArray | None = None  # every document's score, when matches were many enough to make it

    def at(self, docs: Array) -> FloatArray:
        """The scores of `docs`: 0 for a document not among the matches."""
        if self.dense is not None:
            return self.dense[docs]
        if not len(self.docs):
            return np.zeros(len(docs))
        position = np.minimum(np.searchsorted(self.docs, docs), len(self.docs) - 1)
        return np.where(self.docs[position] == docs, self.scores[position], 0.0)


class Field:
    """One kind of document (sentences or paragraphs) over the live segments, scored with BM25+."""

    def __init__(
        self,
        segments: Sequence[Segment],
        numbering: Numbering,
        kind: str,
        length: int,
        params: Params,
        term_numbers: dict[str, tuple[int, ...]],
    ):
        self._segments = segments
        self._numbering = numbering
        self._kind = kind
        self._params = params
        self.doc_count = numbering.total
        # rank-bm25's average length: total terms over documents, in floating point.
        self.avgdl = length / self.doc_count if self.doc_count else 0.0
        self._term_numbers = term_numbers  # shared by the fields of one index: their terms are the same
        self._frequencies: dict[str, int] = {}
        self._norms: dict[int, FloatArray] = {}
        self._k1_plus_one = float(np.float32(params.k1 + 1))
        self._every: dict[str, None] | None = None
        self._held: dict[tuple[str, int], tuple[int, int, int] | None] = {}
        self.terms = TermSet(self)

    def _norms_of(self, k: int) -> FloatArray:
        """Segment k's documents' length normalisations, for this collection's average length."""
        norms = self._norms.get(k)
        if norms is None:
            norms = length_norms(self._segments[k].postings(self._kind).lengths, self.avgdl, self._params)
            self._norms[k] = norms
        return norms

    def _numbers(self, term: str) -> tuple[int, ...]:
        """The term's number in each segment, -1 where it has none."""
        found = self._term_numbers.get(term)
        if found is None:
            found = tuple(s.terms.find(term) for s in self._segments)
            self._term_numbers[term] = found
        return found

    def doc_freq(self, term: str) -> int:
        """How many live documents hold the term."""
        df = self._frequencies.get(term)
        if df is None:
            df = 0
            for k, t in enumerate(self._numbers(term)):
                if t >= 0:
                    docs, _ = self._segments[k].postings(self._kind).of(t)
                    df += self._numbering.maps[k].count_live(docs)
            self._frequencies[term] = df
        return df

    def idf_of(self, term: str) -> float:
        """The term's idf; 0 for a term no live document holds."""
        df = self.doc_freq(term)
        return math.log((self.doc_count + 1) / df) if df else 0.0

    def weight(self, term: str, doc: int) -> float:
        """The tf part of `term`'s BM25+ weight in document `doc` (delta included); 0 when absent."""
        found = self._frequency(term, doc)
        if found is None:
            return 0.0
        k, local, tf = found
        # tf_weights for one number, in Python floats: the product of two float32s is exact in a
        # double, so rounding it to float32 gives numpy's float32 product, bit for bit.
        params = self._params
        numerator = float(np.float32(tf * self._k1_plus_one))
        weight = params.delta + numerator / (float(self._norms_of(k)[local]) + tf)
        return float(np.float32(weight))

    def holds(self, term: str, doc: int) -> bool:
        """Whether document `doc` holds `term`."""
        return self._frequency(term, doc) is not None

    def file_holds(self, term: str, doc: int) -> bool:
        """Whether the file of document `doc` holds `term` in any of its documents."""
        file, k, local = self._numbering.locate(doc)
        t = self._numbers(term)[k]
        if t < 0:
            return False
        first = local - (doc - int(self._numbering.bases[file]))  # the file's first local number
        last = first + int(self._numbering.bases[file + 1] - self._numbering.bases[file])
        docs, _ = self._segments[k].postings(self._kind).of(t)
        kind = docs.dtype.type
        return int(docs.searchsorted(kind(last))) > int(docs.searchsorted(kind(first)))

    def _frequency(self, term: str, doc: int) -> tuple[int, int, int] | None:
        """(segment, local number, term frequency) of `term` in document `doc`, or None.

        Remembered, a few thousand pairs at a time: the engine asks about the same best passages
        and question terms several times over.
        """
        key = (term, doc)
        if key in self._held:
            return self._held[key]
        if len(self._held) >= _HELD:
            self._held.clear()
        found = self._held[key] = self._find(term, doc)
        return found

    def _find(self, term: str, doc: int) -> tuple[int, int, int] | None:
        """`_frequency`, looked up in the postings."""
        _, k, local = self._numbering.locate(doc)
        t = self._numbers(term)[k]
        if t < 0:
            return None
        docs, tfs = self._segments[k].postings(self._kind).of(t)
        i = int(docs.searchsorted(docs.dtype.type(local)))  # in its own type: no copy of `docs`
        if i == len(docs) or docs[i] != local:
            return None
        return k, local, int(tfs[i])

    def matches(self, query: Mapping[str, float]) -> Matches:
        """BM25+ scores of the documents holding any of the weighted query terms."""
        docs, contributions = [], []
        for term, weight in query.items():
            scale = weight * self.idf_of(term)
            if not scale:
                continue
            for k, t in enumerate(self._numbers(term)):
                if t < 0:
                    continue
                postings = self._segments[k].postings(self._kind)
                local, tfs = postings.of(t)
                numbers, live = self._numbering.maps[k].to_index(local)
                if live is not None:
                    local, tfs = local[live], tfs[live]
                docs.append(numbers)
                contributions.append(tf_weights(tfs, self._norms_of(k)[local], self._params) * scale)
        if not docs:
            return Matches(np.zeros(0, dtype=np.int64), np.zeros(0))
        every, added = np.concatenate(docs), np.concatenate(contributions)
        # Each document's contributions are added in query-term order either way, so both give the
        # same floating-point sums; a dense array (made, summed and scanned whole) is cheaper only
        # once about a quarter of the documents match (bench: a sort of the rest wins below that).
        if len(every) * 4 > self.doc_count:
            total = np.bincount(every, added, minlength=self.doc_count).astype(np.float64, copy=False)
            found = np.flatnonzero(total)
            return Matches(found, total[found], total)
        order = np.argsort(every, kind="stable")
        ordered = every[order]
        first = np.ones(len(ordered), dtype=bool)
        first[1:] = ordered[1:] != ordered[:-1]
        inverse = np.empty(len(every), dtype=np.int64)
        inverse[order] = np.cumsum(first) - 1
        return Matches(ordered[first], np.bincount(inverse, added).astype(np.float64))

    def every_term(self) -> dict[str, None]:
        """Every term a live document holds, in segment order."""
        if self._every is None:
            every: dict[str, None] = {}
            for k, segment in enumerate(self._segments):
                postings = segment.postings(self._kind)
                held = np.diff(postings.starts) > 0
                for term in _pick(segment.terms.keys, held):
                    if term not in every and (not self._numbering.maps[k].deleted or self.doc_freq(term)):
                        every[term] = None
            self._every = every
        return self._every

    def scores(self, query: Mapping[str, float]) -> FloatArray:
        """BM25+ score of every document for weighted query terms."""
        found = self.matches(query)
        total = np.zeros(self.doc_count)
        total[found.docs] = found.scores
        return total


class TermSet:
    """The terms some live document holds, for `in`."""

    def __init__(self, field: Field):
        self._field = field

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and self._field.doc_freq(term) > 0

    def keys(self) -> KeysView[str]:
        """Every term a live document holds (made on first use: a large knowledge has many)."""
        return self._field.every_term().keys()


def _pick(strings: Strings, mask: Array) -> list[str]:
    every = strings.tolist()
    return [every[i] for i in np.flatnonzero(mask).tolist()]
