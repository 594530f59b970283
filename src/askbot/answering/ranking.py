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
        if k < len(self.docs):
            # The candidates above the k-th best score, then the earliest of those tied with it (not an
            # arbitrary few of them), so that a tie at the cut also goes to the earlier passage; the
            # tied are found in order, so however many tie, only k are sorted.
            kth = self.scores[np.argpartition(-self.scores, k - 1)[k - 1]]
            above = np.flatnonzero(self.scores > kth)
            part = np.concatenate([above, np.flatnonzero(self.scores == kth)[: k - len(above)]])
        else:
            part = np.arange(len(self.docs))
        order = sorted(part.tolist(), key=lambda j: (-self.scores[j], j))[:k]
        return [(int(self.docs[j]), float(self.scores[j])) for j in order]

    def raise_where(self, mask: npt.NDArray[np.bool_], bonus: float) -> None:
        """Add `bonus` to the candidates selected by `mask`."""
        self.scores[mask] += bonus

    def raise_passages(self, passages: list[int], bonus: float) -> None:
        """Add `bonus` to the given candidate passages (found by bisection: no mask over them all)."""
        if passages:
            self.scores[np.searchsorted(self.docs, np.array(passages, dtype=self.docs.dtype))] += bonus


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
        docs, at = _with_neighbours(matched, n)
        scores = np.zeros(len(docs))
        scores[at] = values
        # Candidates are ascending, so a passage's neighbours, when they are candidates, sit right
        # beside it; one that is not a candidate holds no query term and adds nothing.
        paragraphs = index.paragraph_of[docs]
        linked = (docs[1:] == docs[:-1] + 1) & (paragraphs[1:] == paragraphs[:-1])
        previous_score, next_score = np.zeros(len(docs)), np.zeros(len(docs))
        previous_score[1:] = np.where(linked, scores[:-1], 0.0)
        next_score[:-1] = np.where(linked, scores[1:], 0.0)
        scores += neighbour_weight * (previous_score + next_score)
    if paragraph_weight:
        scores += paragraph_weight * index.paragraphs.matches(weights).at(index.paragraph_of[docs])
    return Candidates(docs, scores)


def _with_neighbours(
    matched: npt.NDArray[np.int64], n: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The matched passages (ascending) and their neighbours, ascending, and where in that list each
    matched passage is; made without sorting, as runs of consecutive numbers.

    Passage m brings m - 1, m and m + 1, less those the matched passage before it brought already:
    min(gap, 3) new numbers, ending at m + 1, so m is always second to last of what it brings.
    """
    if not len(matched):
        return matched, matched
    fresh = np.full(len(matched), 3, dtype=np.int64)
    np.minimum(np.diff(matched), 3, out=fresh[1:])
    ends = np.cumsum(fresh)
    # The number at position j of the run ending at position `end` (exclusive) is m + 2 - end + j.
    docs = np.repeat(matched + 2 - ends, fresh) + np.arange(int(ends[-1]), dtype=np.int64)
    at = ends - 2
    low = 1 if docs[0] < 0 else 0
    high = len(docs) - 1 if docs[-1] >= n else len(docs)
    return docs[low:high], at - low
