"""Scoring passages for weighted query terms: BM25 on the sentence, its neighbours and its paragraph.

Only passages that hold a query term, and their neighbours, are candidates; everything else
scores 0 and is never looked at, so a question costs its terms' postings, not the size of the
knowledge: no array of one score per passage is made.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from askbot.index.build import Index


@dataclass(frozen=True)
class Candidates:
    """The passages worth ranking for one question, with their scores (which bonuses may raise)."""

    docs: npt.NDArray[np.int64]  # passage numbers, ascending
    scores: npt.NDArray[np.float64]

    def best(self, k: int) -> list[tuple[int, float]]:
        """The k best (passage, score) pairs, best first; ties go to the earlier passage."""
        k = min(k, len(self.docs))
        if k <= 0:
            return []
        part = np.argpartition(-self.scores, k - 1)[:k] if k < len(self.docs) else np.arange(len(self.docs))
        order = sorted(part.tolist(), key=lambda j: (-self.scores[j], j))
        return [(int(self.docs[j]), float(self.scores[j])) for j in order]

    def raise_where(self, mask: npt.NDArray[np.bool_], bonus: float) -> None:
        """Add `bonus` to the candidates selected by `mask`."""
        self.scores[mask] += bonus


def rank(
    index: Index, weights: Mapping[str, float], neighbour_weight: float, paragraph_weight: float
) -> Candidates:
    """Score every passage that holds a query term or neighbours one that does.

    score = BM25(sentence) + neighbour_weight * BM25(the sentences before and after, same paragraph)
            + paragraph_weight * BM25(the paragraph)
    """
    own = index.sentences.matches(weights)
    n = index.sentences.doc_count
    matched = own.docs[own.scores > 0]
    docs = matched
    if neighbour_weight and n > 1:
        docs = np.union1d(matched, np.concatenate([matched[matched > 0] - 1, matched[matched < n - 1] + 1]))
    scores = own.at(docs)
    if neighbour_weight and n > 1:
        paragraph = index.paragraph_of
        before, after = np.maximum(docs - 1, 0), np.minimum(docs + 1, n - 1)
        same_before = (before != docs) & (paragraph[before] == paragraph[docs])
        same_after = (after != docs) & (paragraph[after] == paragraph[docs])
        scores += neighbour_weight * (
            np.where(same_before, own.at(before), 0.0) + np.where(same_after, own.at(after), 0.0)
        )
    if paragraph_weight:
        scores += paragraph_weight * index.paragraphs.matches(weights).at(index.paragraph_of[docs])
    return Candidates(docs, scores)
