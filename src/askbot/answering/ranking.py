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

from askbot.index.collection import Index


@dataclass(frozen=True, eq=False)  # holds arrays: compared and hashed by identity
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
    held = own.scores > 0
    matched, values = own.docs[held], own.scores[held]
    if not neighbour_weight or n < 2:
        docs, scores = matched, values.copy()
    else:
        docs, (at, before_of, after_of) = _with_neighbours(matched, n)
        scores = np.zeros(len(docs))
        scores[at] = values
        # The passage before a matched one has it as its next neighbour, and the one after as its previous.
        next_score, previous_score = np.zeros(len(docs)), np.zeros(len(docs))
        next_score[before_of[before_of >= 0]] = values[before_of >= 0]
        previous_score[after_of[after_of >= 0]] = values[after_of >= 0]
        paragraph = index.paragraph_of
        before, after = np.maximum(docs - 1, 0), np.minimum(docs + 1, n - 1)
        same_before = (before != docs) & (paragraph[before] == paragraph[docs])
        same_after = (after != docs) & (paragraph[after] == paragraph[docs])
        scores += neighbour_weight * (
            np.where(same_before, previous_score, 0.0) + np.where(same_after, next_score, 0.0)
        )
    if paragraph_weight:
        scores += paragraph_weight * index.paragraphs.matches(weights).at(index.paragraph_of[docs])
    return Candidates(docs, scores)


def _with_neighbours(
    matched: npt.NDArray[np.int64], n: int
) -> tuple[npt.NDArray[np.int64], tuple[npt.NDArray[np.int64], ...]]:
    """The matched passages and their neighbours, ascending, and where in that list each matched
    passage, the passage before it and the passage after it are (-1 where there is none)."""
    k = len(matched)
    every = np.concatenate([matched, matched - 1, matched + 1])
    order = np.argsort(every, kind="stable")  # three ascending runs: merged in linear time
    ordered = every[order]
    first = np.ones(len(ordered), dtype=bool)
    first[1:] = ordered[1:] != ordered[:-1]
    position = np.empty(3 * k, dtype=np.int64)
    position[order] = np.cumsum(first) - 1
    docs = ordered[first]
    low = int(np.count_nonzero(docs < 0))  # -1, before passage 0
    docs = docs[low : len(docs) - int(np.count_nonzero(docs >= n))]
    position -= low
    position[(every < 0) | (every >= n)] = -1
    return docs, (position[:k], position[k : 2 * k], position[2 * k :])
