"""The index a question is answered from: the live files of some segments, seen as one collection."""

from __future__ import annotations

from collections.abc import ItemsView, Iterable, Iterator, KeysView, Mapping, Sequence
from functools import cached_property
from typing import overload

import numpy as np
import numpy.typing as npt

from askbot.analysis.languages import ENGLISH
from askbot.analysis.text import Analyzer
from askbot.documents.passages import Passage, Skipped
from askbot.index.bm25 import Field, Params
from askbot.index.columns import Array
from askbot.index.layout import Live, Numbering
from askbot.index.segment import PARAGRAPH, SENTENCE, Segment, bytes_hash


class Index:
    """Everything a question is answered from."""

    def __init__(
        self, segments: Sequence[Segment], live: Sequence[Live], skipped: Sequence[Skipped], params: Params
    ):
        self.segments = tuple(segments)
        self.live = tuple(live)
        self.skipped = tuple(skipped)
        self.params = params
        self._records = [self.segments[f.segment].files[f.file] for f in live]
        length = sum(r.length for r in self._records)
        self._passage_numbers = Numbering(segments, live, SENTENCE)
        self._paragraph_numbers = Numbering(segments, live, PARAGRAPH)
        self.passages = Passages(self.segments, self._passage_numbers)
        # One document per passage, and one per paragraph for context; the two share their terms.
        terms: dict[str, tuple[int, ...]] = {}
        self.sentences = Field(self.segments, self._passage_numbers, SENTENCE, length, params, terms)
        self.paragraphs = Field(self.segments, self._paragraph_numbers, PARAGRAPH, length, params, terms)
        self._live_by_segment: list[list[int]] = [[] for _ in segments]
        for f in live:
            self._live_by_segment[f.segment].append(f.file)
        self._spelling_counts: dict[int, Array] = {}
        self.vocabulary = Vocabulary(self)  # folded word -> term, for every word of the knowledge

    @cached_property
    def paragraph_of(self) -> npt.NDArray[np.int64]:
        """Each passage's paragraph document."""
        paragraphs = self._paragraph_numbers
        local = self._passage_numbers.gather([s.paragraph_of for s in self.segments]).astype(np.int64)
        files = np.repeat(np.arange(len(self.live)), np.diff(self._passage_numbers.bases))
        return local + (paragraphs.bases[:-1] - paragraphs.local_starts)[files]

    @cached_property
    def acronyms(self) -> dict[str, tuple[str, ...]]:
        """Acronym term -> the terms of its expansion, the first file defining it winning."""
        found: dict[str, tuple[str, ...]] = {}
        for record in self._records:
            for acronym, expansion in record.acronyms:
                found.setdefault(acronym, expansion)
        return found

    @cached_property
    def words(self) -> Words:
        """Folded word -> its most common spelling ("schreurs" -> "Schreurs"), most frequent first."""
        return Words(self)

    def spelling_counts(self, segment: int) -> Array:
        """How often each of a segment's spellings is written in its live files."""
        counts = self._spelling_counts.get(segment)
        if counts is None:
            counts = _live_spelling_counts(self.segments[segment], self._live_files(segment))
            self._spelling_counts[segment] = counts
        return counts

    def _live_files(self, segment: int) -> list[int]:
        return self._live_by_segment[segment]

    def analyzer(self, language: str | None = None) -> Analyzer:
        """An analyser of one language (by default the knowledge's main one) that knows its words."""
        return Analyzer(self.vocabulary, self.sentences.terms, language or self.present_languages()[0])

    @cached_property
    def languages(self) -> dict[str, str]:
        """Each live file's language (ISO 639-1), as its record keeps it."""
        return {r.source: str(r.meta.get("language", ENGLISH)) for r in self._records}

    def language_of_source(self, source: str) -> str:
        """The language of a file of the knowledge."""
        return self.languages.get(source, ENGLISH)

    def language_of(self, passage: int) -> str:
        """The language of a passage's file."""
        file = int(np.searchsorted(self._passage_numbers.bases, passage, side="right")) - 1
        return str(self._records[file].meta.get("language", ENGLISH))

    def present_languages(self) -> tuple[str, ...]:
        """The languages of the knowledge's files, the one with most passages first."""
        passages: dict[str, int] = {}
        for r in self._records:
            code = str(r.meta.get("language", ENGLISH))
            passages[code] = passages.get(code, 0) + r.passages[1] - r.passages[0]
        return tuple(sorted(passages, key=lambda code: -passages[code])) or (ENGLISH,)

    def sources(self) -> dict[str, int]:
        """Passage count of each loaded source, in load order."""
        return {r.source: r.passages[1] - r.passages[0] for r in self._records}


def _live_spelling_counts(segment: Segment, live_files: Sequence[int]) -> Array:
    """How often each of the segment's spellings is written in its live files."""
    starts, rows, counts = segment.file_spellings
    if len(live_files) == len(segment.files):
        return segment.spelling_counts
    spans = [slice(int(starts[f]), int(starts[f + 1])) for f in live_files]
    live_rows = np.concatenate([np.zeros(0, np.int64), *(rows[s] for s in spans)])
    live_counts = np.concatenate([np.zeros(0, np.int64), *(counts[s] for s in spans)])
    # Summed as floats, exact below 2**53: one pass, where np.add.at took one a file and longer.
    total = np.bincount(live_rows, weights=live_counts, minlength=len(segment.spelling_counts))
    return total.astype(np.int64)


class _WordMap(Mapping[str, str]):
    """A mapping from folded words over the live files: each word looked up segment by segment the
    first time it is asked for, every word put together only when all of them are wanted."""

    def __init__(self, index: Index):
        self._index = index
        self._found: dict[str, str | None] = {}  # words looked up so far

    def __getitem__(self, folded: str) -> str:
        if folded not in self._found:
            self._found[folded] = self._look_up(folded)
        value = self._found[folded]
        if value is None:
            raise KeyError(folded)
        return value

    def _look_up(self, folded: str) -> str | None:
        raise NotImplementedError

    def _every(self) -> dict[str, str]:
        raise NotImplementedError

    @cached_property
    def _all(self) -> dict[str, str]:
        return self._every()

    def __iter__(self) -> Iterator[str]:
        return iter(self._all)

    def __len__(self) -> int:
        return len(self._all)

    def keys(self) -> KeysView[str]:
        """Every word (a dictionary's view: fast to hand to rapidfuzz)."""
        return self._all.keys()

    def items(self) -> ItemsView[str, str]:
        """Every word with its value."""
        return self._all.items()


class Vocabulary(_WordMap):
    """Folded word -> term, for every word of the live files that has a term."""

    def __init__(self, index: Index):
        super().__init__(index)
        self._live_words: dict[int, Array] = {}

    def _is_live(self, k: int, word: int) -> bool:
        live = self._live(k)
        return live is None or bool(live[word])

    def _live(self, k: int) -> Array | None:
        """Which of segment k's words its live files write; None when all its files are live."""
        index = self._index
        if len(index._live_files(k)) == len(index.segments[k].files):  # noqa: SLF001
            return None
        live = self._live_words.get(k)
        if live is None:
            segment = index.segments[k]
            counts = index.spelling_counts(k)
            live = np.bincount(segment.spelling_words, weights=counts, minlength=len(segment.words.keys)) > 0
            self._live_words[k] = live
        return live

    def _look_up(self, folded: str) -> str | None:
        for k, segment in enumerate(self._index.segments):
            i = segment.words.find(folded)
            if i >= 0 and self._is_live(k, i):
                term = segment.word_terms[i]
                if term:
                    return term
        return None

    def prefetch(self, words: Iterable[str]) -> None:
        """Look many words up at once, as `__getitem__` would one by one: a changed file's tens of
        thousands of words cost a few array searches per segment rather than a search each."""
        pending = [w for w in dict.fromkeys(words) if w not in self._found]
        if not pending:
            return
        encoded = [w.encode("utf-8", "surrogatepass") for w in pending]
        hashes = np.fromiter(map(bytes_hash, encoded), dtype=np.uint64, count=len(encoded))
        open_ = np.arange(len(pending))  # the words no segment has decided yet
        for k, segment in enumerate(self._index.segments):
            lookup = segment.words
            if not len(open_) or not len(lookup.hashes):
                continue
            at = np.searchsorted(lookup.hashes, hashes[open_])
            inside = at < len(lookup.hashes)
            hit = np.zeros(len(open_), dtype=bool)
            hit[inside] = lookup.hashes[at[inside]] == hashes[open_[inside]]
            if not hit.any():
                continue
            words, positions = open_[hit], at[hit]
            live = self._live(k)
            alive = live[positions] if live is not None else np.ones(len(positions), dtype=bool)
            keys, offsets = lookup.keys.blob.data, lookup.keys.offsets
            terms, term_offsets = segment.word_terms.blob.data, segment.word_terms.offsets
            decided = []
            for j, a, b, c, d, is_live in zip(
                words.tolist(),
                offsets[positions].tolist(),
                offsets[positions + 1].tolist(),
                term_offsets[positions].tolist(),
                term_offsets[positions + 1].tolist(),
                alive.tolist(),
                strict=True,
            ):
                if keys[a:b] != encoded[j]:
                    decided.append(j)  # a hash shared with another word: left to `_look_up`
                elif is_live and c < d:
                    self._found[pending[j]] = str(terms[c:d], "utf-8", "surrogatepass")
                    decided.append(j)
            open_ = np.setdiff1d(open_, decided, assume_unique=True)
        for j in open_.tolist():
            self._found[pending[j]] = None

    def _every(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for k, segment in enumerate(self._index.segments):
            words, terms = segment.words.keys.tolist(), segment.word_terms.tolist()
            for i, (folded, term) in enumerate(zip(words, terms, strict=True)):
                if term and folded not in found and self._is_live(k, i):
                    found[folded] = term
        return found

    def __bool__(self) -> bool:
        return any(len(s.words.keys) for s in self._index.segments)


class Words(_WordMap):
    """Folded word -> its most common spelling in the live files; all of them the most frequent first."""

    def _look_up(self, folded: str) -> str | None:
        totals: dict[str, int] = {}
        for k, segment in enumerate(self._index.segments):
            i = segment.words.find(folded)
            if i < 0:
                continue
            # Searched for in the array's own type: a Python int would make numpy copy the whole
            # array to int64 first, on every look-up.
            owner = segment.spelling_words.dtype.type(i)
            a = int(segment.spelling_words.searchsorted(owner))
            b = int(segment.spelling_words.searchsorted(owner, side="right"))
            counts = self._index.spelling_counts(k)[a:b].tolist()
            for row, count in zip(range(a, b), counts, strict=True):
                if count:
                    written = segment.spellings[row]
                    totals[written] = totals.get(written, 0) + count
        return max(totals, key=lambda w: totals[w]) if totals else None

    def _every(self) -> dict[str, str]:
        totals: dict[tuple[str, str], int] = {}
        for k, segment in enumerate(self._index.segments):
            counts = self._index.spelling_counts(k).tolist()
            folded = segment.words.keys.tolist()
            owners = segment.spelling_words.tolist()
            for written, owner, count in zip(segment.spellings.tolist(), owners, counts, strict=True):
                if count:
                    key = (folded[owner], written)
                    totals[key] = totals.get(key, 0) + count
        words: dict[str, str] = {}
        for (word, written), _ in sorted(totals.items(), key=lambda item: -item[1]):
            words.setdefault(word, written)
        return words


class Passages(Sequence[Passage]):
    """The live passages, numbered over the live files in document order."""

    def __init__(self, segments: Sequence[Segment], numbering: Numbering):
        self._segments = segments
        self._numbering = numbering

    def __len__(self) -> int:
        return self._numbering.total

    @overload
    def __getitem__(self, i: int) -> Passage: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Passage]: ...
    def __getitem__(self, i: int | slice) -> Passage | Sequence[Passage]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        _, k, local = self._numbering.locate(range(len(self))[i])
        return self._segments[k].passages[local]

    def __iter__(self) -> Iterator[Passage]:
        for n in range(len(self._numbering.segment_of)):
            table = self._segments[int(self._numbering.segment_of[n])].passages
            start = int(self._numbering.local_starts[n])
            for local in range(start, start + int(self._numbering.bases[n + 1] - self._numbering.bases[n])):
                yield table[local]


def open_index(
    segments: Sequence[Segment], live: Sequence[Live], skipped: Sequence[Skipped], params: Params
) -> Index:
    """The index of the given live files of some segments."""
    return Index(segments, live, skipped, params)
