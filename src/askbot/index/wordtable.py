"""Every distinct word an indexing run has met, analysed once, so a file costs numpy, not Python, per word.

A file's texts are matched into words by the analyser (askbot.analysis.text.Analyzer.words_of), each
word is numbered here (a dictionary look-up done by `map`, in C), and a word met for the first
time is analysed into its term, folded form and spelling (Analyzer.word) once for the whole run.
Everything per file after that is array arithmetic over the numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import accumulate, chain, compress, repeat

import numpy as np
import numpy.typing as npt

from askbot.analysis.text import Analyzer, fold
from askbot.index.segment import key_hash

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class FileWords:
    """What a file's texts hold, as the lexicon's numbers."""

    terms: IntArray  # the file's distinct terms (term numbers), ascending
    ids: npt.NDArray[np.int32]  # each text's terms as positions in `terms`, in order, texts back to back
    offsets: IntArray  # text i's terms are ids[offsets[i]:offsets[i + 1]]
    spellings: IntArray  # the spellings the file writes (spelling numbers), ascending
    counts: IntArray  # how often each


class WordTable:
    """The words of one indexing run, each analysed once by `analyzer`, and the terms and spellings
    (folded word, as written) they make, numbered in the order they were met."""

    def __init__(self, analyzer: Analyzer | None = None, prefetch: Callable[[list[str]], None] | None = None):
        """`prefetch`, when given, is told the folded words about to be analysed, all at once (an
        index's vocabulary looks them up together, rather than one search each)."""
        self.analyzer = analyzer or Analyzer()
        self._prefetch = prefetch
        self._numbers: dict[str, int] = {}  # word as matched -> its number
        self._term_numbers: dict[str, int] = {"": -1}
        self._terms: list[str] = []
        self._spelling_numbers: dict[tuple[str, str], int] = {("", ""): -1}
        self._spellings: list[tuple[str, str]] = []
        self._spelling_terms: list[int] = []  # spelling number -> its word's term number, -1 for none
        self._term_hashes: list[int] = []  # term number -> key_hash of the term
        # Folded words (those of the spellings), numbered, with their key_hash: what a segment's words are.
        self._word_numbers: dict[str, int] = {}
        self._words: list[str] = []
        self._word_hashes: list[int] = []
        self._spelling_words: list[int] = []  # spelling number -> its folded word's number
        self._term_of = np.zeros(0, dtype=np.int64)  # word number -> term number, -1 for none
        self._spelling_of = np.zeros(0, dtype=np.int64)  # word number -> spelling number, -1 for none

    def read(self, texts: Iterable[str]) -> FileWords:
        """Analyse one file's texts (its passages, in order)."""
        texts = list(texts)
        matched = self.analyzer.words_of(texts)
        tokenised: list[tuple[IntArray, IntArray]] = []  # the numbers of texts tokenised in full
        if None in matched:
            tokenised = [self._tokenised(t) for t, words in zip(texts, matched, strict=True) if words is None]
        spans = _spans(matched)
        raws = list(chain.from_iterable(words for words in matched if words is not None))
        numbers = self._number(raws)
        terms, spelt = self._term_of[numbers], self._spelling_of[numbers]
        for n in compress(range(len(texts)), map(str.isupper, texts)):
            span = spans[n]  # in capitals only dotted words are acronyms ("U.S.", not "THE")
            for j in range(*span) if span else ():
                terms[j] = self.number_term(self.analyzer.word(raws[j], capitals=True)[0])
        lengths = _lengths(spans, tokenised)
        if tokenised:
            terms, spelt = _spliced(spans, tokenised, terms, spelt)
        kept = terms >= 0
        running = np.concatenate([np.zeros(1, np.int64), np.cumsum(kept)])
        offsets = running[np.concatenate([np.zeros(1, np.int64), np.cumsum(lengths, dtype=np.int64)])]
        used, ids = np.unique(terms[kept], return_inverse=True)
        spellings, counts = np.unique(spelt[spelt >= 0], return_counts=True)
        return FileWords(used, ids.astype(np.int32).reshape(-1), offsets, spellings, counts)

    def _number(self, raws: list[str]) -> IntArray:
        """The numbers of some words as matched, those never met before analysed first."""
        known = self._numbers
        numbers = np.fromiter(map(known.get, raws, repeat(-1)), dtype=np.int64, count=len(raws))
        missing = np.flatnonzero(numbers < 0).tolist()
        if missing:
            words = [raws[j] for j in missing]
            self._learn(dict.fromkeys(words))
            numbers[missing] = np.fromiter(map(known.__getitem__, words), dtype=np.int64, count=len(words))
        return numbers

    def _tokenised(self, text: str) -> tuple[IntArray, IntArray]:
        """The term and spelling numbers of a text the analyser tokenises in full."""
        analyzer = self.analyzer
        terms, spellings = [], []
        for token in analyzer.tokenize(text):
            term = -1 if analyzer.is_stopword(token) else self.number_term(analyzer.term(token.folded))
            terms.append(term)
            spellings.append(self.number_spelling(token.folded, token.word, term))
        return np.array(terms, dtype=np.int64), np.array(spellings, dtype=np.int64)

    def _learn(self, raws: Iterable[str]) -> None:
        """Number and analyse words never met before (each once)."""
        if self._prefetch is not None:
            raws = list(raws)
            # Most words fold to themselves in lower case; a word that does not ("U.S.", "NATO's")
            # is looked up again on its own, so a wrong guess costs a look-up, never an answer.
            self._prefetch([fold(raw) for raw in raws])
        terms, spellings = [], []
        for raw in raws:
            self._numbers[raw] = len(self._numbers)
            term, folded, spelling = self.analyzer.word(raw)
            terms.append(self.number_term(term))
            spellings.append(self.number_spelling(folded, spelling, terms[-1]))
        self._term_of = np.concatenate([self._term_of, np.array(terms, dtype=np.int64)])
        self._spelling_of = np.concatenate([self._spelling_of, np.array(spellings, dtype=np.int64)])

    def number_term(self, term: str) -> int:
        """A term's number ("" has -1)."""
        number = self._term_numbers.get(term)
        if number is None:
            number = self._term_numbers[term] = len(self._terms)
            self._terms.append(term)
            self._term_hashes.append(key_hash(term))
        return number

    def number_spelling(self, folded: str, written: str, term: int) -> int:
        """A spelling's number (that of no word is -1), given the term number of its word."""
        key = (folded, written)
        number = self._spelling_numbers.get(key)
        if number is None:
            number = self._spelling_numbers[key] = len(self._spellings)
            self._spellings.append(key)
            self._spelling_terms.append(term)
            word = self._word_numbers.get(folded)
            if word is None:
                word = self._word_numbers[folded] = len(self._words)
                self._words.append(folded)
                self._word_hashes.append(key_hash(folded))
            self._spelling_words.append(word)
        elif term >= 0 and self._spelling_terms[number] < 0:
            self._spelling_terms[number] = term
        return number

    def terms(self, numbers: Iterable[int]) -> list[str]:
        """The terms of some term numbers."""
        return [self._terms[n] for n in numbers]

    def terms_or_blank(self, numbers: IntArray) -> list[str]:
        """The terms of some term numbers, "" for -1 (none)."""
        terms = self._terms
        return [terms[n] if n >= 0 else "" for n in numbers.tolist()]

    def term_hashes(self, numbers: IntArray) -> npt.NDArray[np.uint64]:
        """The key_hash of the terms of some term numbers."""
        return np.array(self._term_hashes, dtype=np.uint64)[numbers]

    def spelling_words(self, numbers: IntArray) -> tuple[IntArray, IntArray]:
        """The folded words (word numbers) of some spelling numbers, and the term number each
        spelling's word gave it (-1 for none)."""
        words = np.array(self._spelling_words, dtype=np.int64)[numbers]
        return words, np.array(self._spelling_terms, dtype=np.int64)[numbers]

    def words(self, numbers: IntArray) -> tuple[list[str], npt.NDArray[np.uint64]]:
        """The folded words of some word numbers, and their key_hash."""
        hashes = np.array(self._word_hashes, dtype=np.uint64)[numbers]
        return [self._words[n] for n in numbers.tolist()], hashes

    def written(self, numbers: IntArray) -> list[str]:
        """How some spellings (spelling numbers) are written."""
        return [self._spellings[n][1] for n in numbers.tolist()]

    def spellings(self, numbers: Iterable[int]) -> list[tuple[str, str, str]]:
        """(folded, as written, its term or "") of some spelling numbers."""
        found = []
        for n in numbers:
            folded, written = self._spellings[n]
            term = self._spelling_terms[n]
            found.append((folded, written, self._terms[term] if term >= 0 else ""))
        return found


def _spans(matched: list[list[str] | None]) -> list[tuple[int, int] | None]:
    """Where each text's words are among all of them, back to back (None: a text tokenised in full)."""
    if None in matched:
        starts = accumulate((0 if words is None else len(words) for words in matched), initial=0)
        return [None if w is None else (a, a + len(w)) for w, a in zip(matched, starts, strict=False)]
    ends = list(accumulate(map(len, matched), initial=0))  # type: ignore[arg-type]
    return list(zip(ends, ends[1:], strict=False))


def _spliced(
    spans: list[tuple[int, int] | None],
    tokenised: list[tuple[IntArray, IntArray]],
    terms: IntArray,
    spelt: IntArray,
) -> tuple[IntArray, IntArray]:
    """Term and spelling numbers of all the texts in order: matched texts' spans and tokenised ones'."""
    term_parts, spelling_parts = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    others = iter(tokenised)
    for span in spans:
        if span is None:
            more_terms, more_spellings = next(others)
            term_parts.append(more_terms)
            spelling_parts.append(more_spellings)
        else:
            term_parts.append(terms[span[0] : span[1]])
            spelling_parts.append(spelt[span[0] : span[1]])
    return np.concatenate(term_parts), np.concatenate(spelling_parts)


def _lengths(spans: list[tuple[int, int] | None], tokenised: list[tuple[IntArray, IntArray]]) -> list[int]:
    """Words per text, matched or tokenised."""
    others = iter(tokenised)
    return [len(next(others)[0]) if span is None else span[1] - span[0] for span in spans]
