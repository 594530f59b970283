"""BM25 weights from rank-bm25, laid out as an inverted index so a query touches only its postings.

rank-bm25 computes the statistics (document lengths, frequencies, idf) and defines the scores;
`get_scores` there walks every document in Python on every query, which is fine for an article
and far too slow for a million passages.  `Bm25Table` keeps the same scores as precomputed
per-posting weights, so a query costs one numpy gather-add per query term.

Variant: rank-bm25's BM25Plus.  Its idf, log((N + 1) / df), stays positive for a term found in
most passages, which matters in a small article where "NATO" is in nearly every sentence:
BM25Okapi's idf goes negative there and is then floored to a constant that *rises above* rarer
terms' idf.  rank-bm25 adds BM25+'s delta to every passage, matching or not, a constant shift
that leaves its ranking unchanged; here delta is added to matching passages only (the lower
bound BM25+ was designed for), so `scores` = rank-bm25's scores - sum(idf * delta) over the
query terms each passage lacks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int32]


@dataclass(frozen=True)
class Params:
    """BM25 parameters, chosen for one-sentence passages (see README: Ranking)."""

    # Sentences are short and rarely repeat a word: term frequency saturates early.  Measured
    # with bench/evaluate.py, k1 from 0.9 to 1.5 changes top-1 by under 1%; 1.2 is the middle.
    k1: float = 1.2
    # Full length normalisation: a long sentence mentioning a term in passing is less likely to be
    # about it.  b = 0.75 beat 0.3 and 0.5 on both question sets.
    b: float = 0.75
    # BM25+'s lower bound for a term that occurs at all.
    delta: float = 0.5


@dataclass(frozen=True)
class Bm25Table:
    """The postings of every term: which documents hold it and with what weight."""

    terms: dict[str, int]
    idf: npt.NDArray[np.float64]
    offsets: npt.NDArray[np.int64]  # postings of term t: docs[offsets[t]:offsets[t + 1]]
    docs: IntArray
    weights: FloatArray  # tf part of BM25+ for (term, doc), delta included
    doc_count: int

    def postings(self, term: str) -> tuple[IntArray, FloatArray]:
        """Documents holding `term` and their weights (empty when the term is unknown)."""
        t = self.terms.get(term)
        if t is None:
            return self.docs[:0], self.weights[:0]
        a, b = self.offsets[t], self.offsets[t + 1]
        return self.docs[a:b], self.weights[a:b]

    def weight(self, term: str, doc: int) -> float:
        """The tf part of `term`'s BM25+ weight in document `doc` (delta included); 0 when absent."""
        found, weights = self.postings(term)
        position = int(np.searchsorted(found, doc))
        return float(weights[position]) if position < len(found) and found[position] == doc else 0.0

    def holds(self, term: str, doc: int) -> bool:
        """Whether document `doc` holds `term`."""
        return self.weight(term, doc) > 0.0

    def idf_of(self, term: str) -> float:
        """The term's idf; 0 for a term the table has never seen."""
        t = self.terms.get(term)
        return 0.0 if t is None else float(self.idf[t])

    def doc_freq(self, term: str) -> int:
        """How many documents hold the term."""
        t = self.terms.get(term)
        return 0 if t is None else int(self.offsets[t + 1] - self.offsets[t])

    def scores(self, query: Mapping[str, float]) -> npt.NDArray[np.float64]:
        """BM25+ score of every document for weighted query terms."""
        docs, contributions = [], []
        for term, weight in query.items():
            found, weights = self.postings(term)
            if len(found):
                docs.append(found)
                contributions.append(weights * (weight * self.idf_of(term)))
        if not docs:
            return np.zeros(self.doc_count)
        total = np.bincount(np.concatenate(docs), np.concatenate(contributions), minlength=self.doc_count)
        return total.astype(np.float64, copy=False)


def build_table(corpus: Sequence[Sequence[str]], params: Params = Params()) -> Bm25Table:
    """Index a tokenised corpus with rank-bm25's BM25Plus statistics."""
    from rank_bm25 import BM25Plus

    if not corpus or not any(corpus):
        raise ValueError("a BM25 table needs at least one document with a term")
    model = BM25Plus(corpus, k1=params.k1, b=params.b, delta=params.delta)
    return table_from_model(model.doc_freqs, model.doc_len, model.avgdl, model.idf, params)


def table_from_model(
    doc_freqs: Sequence[Mapping[str, int]],
    doc_len: Iterable[int],
    avgdl: float,
    idf: Mapping[str, float],
    params: Params,
) -> Bm25Table:
    """Lay rank-bm25's per-document frequency dicts out as postings with precomputed weights."""
    terms = {term: i for i, term in enumerate(idf)}
    term_ids = np.fromiter((terms[t] for freqs in doc_freqs for t in freqs), dtype=np.int32)
    tfs = np.fromiter((tf for freqs in doc_freqs for tf in freqs.values()), dtype=np.float32)
    per_doc = np.fromiter((len(freqs) for freqs in doc_freqs), dtype=np.int64, count=len(doc_freqs))
    doc_ids = np.repeat(np.arange(len(doc_freqs), dtype=np.int32), per_doc)
    order = np.argsort(term_ids, kind="stable")  # postings sorted by term, then document
    docs, tfs = doc_ids[order], tfs[order]
    offsets = np.zeros(len(terms) + 1, dtype=np.int64)
    np.cumsum(np.bincount(term_ids, minlength=len(terms)), out=offsets[1:])
    lengths = np.fromiter(doc_len, dtype=np.float64, count=len(doc_freqs))
    norm = params.k1 * (1 - params.b + params.b * lengths[docs] / avgdl)
    weights = (params.delta + tfs * (params.k1 + 1) / (norm + tfs)).astype(np.float32)
    idf_array = np.fromiter((idf[t] for t in terms), dtype=np.float64, count=len(terms))
    return Bm25Table(terms, idf_array, offsets, docs, weights, len(doc_freqs))
