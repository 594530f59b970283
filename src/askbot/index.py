"""The searchable form of the knowledge: passages, their BM25 tables and the knowledge's vocabulary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import overload

import numpy as np
import numpy.typing as npt

from askbot.bm25 import Bm25Table, Params, build_table
from askbot.errors import KnowledgeError
from askbot.knowledge import Passage, Skipped
from askbot.text import Analyzer, acronym_definitions, tokenize


@dataclass(frozen=True)
class PassageTable(Sequence[Passage]):
    """Passages stored as columns: one text blob and arrays, cheap to save, load and map from disk."""

    blob: npt.NDArray[np.uint8]  # every passage's UTF-8 text, back to back
    offsets: npt.NDArray[np.int64]  # passage i is blob[offsets[i]:offsets[i + 1]]
    source_ids: npt.NDArray[np.int32]
    lines: npt.NDArray[np.int32]
    paragraph_numbers: npt.NDArray[np.int32]
    location_ids: npt.NDArray[np.int32]
    sources: tuple[str, ...]
    locations: tuple[str, ...]

    @classmethod
    def of(cls, passages: Sequence[Passage]) -> PassageTable:
        """Pack passages into columns."""
        encoded = [p.text.encode("utf-8", "surrogatepass") for p in passages]
        offsets = np.zeros(len(passages) + 1, dtype=np.int64)
        np.cumsum([len(e) for e in encoded], out=offsets[1:])
        sources = tuple(dict.fromkeys(p.source for p in passages))
        number = {s: i for i, s in enumerate(sources)}
        locations = tuple(dict.fromkeys(p.location for p in passages))
        place = {s: i for i, s in enumerate(locations)}
        return cls(
            np.frombuffer(b"".join(encoded), dtype=np.uint8),
            offsets,
            np.fromiter((number[p.source] for p in passages), dtype=np.int32, count=len(passages)),
            np.fromiter((p.line for p in passages), dtype=np.int32, count=len(passages)),
            np.fromiter((p.paragraph for p in passages), dtype=np.int32, count=len(passages)),
            np.fromiter((place[p.location] for p in passages), dtype=np.int32, count=len(passages)),
            sources,
            locations,
        )

    def __len__(self) -> int:
        return len(self.lines)

    @overload
    def __getitem__(self, i: int) -> Passage: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Passage]: ...
    def __getitem__(self, i: int | slice) -> Passage | Sequence[Passage]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        i = range(len(self))[i]  # negative indices, and IndexError past the end
        text = self.blob[self.offsets[i] : self.offsets[i + 1]].tobytes().decode("utf-8", "surrogatepass")
        source, location = self.sources[self.source_ids[i]], self.locations[self.location_ids[i]]
        return Passage(text, source, int(self.lines[i]), int(self.paragraph_numbers[i]), location)

    def __iter__(self) -> Iterator[Passage]:
        return (self[i] for i in range(len(self)))


@dataclass(frozen=True)
class Index:
    """Everything a question is answered from."""

    passages: PassageTable
    sentences: Bm25Table  # one document per passage
    paragraphs: Bm25Table  # one document per paragraph, for context
    paragraph_of: npt.NDArray[np.int32]  # passage -> its paragraph's document
    vocabulary: dict[str, str]  # folded word -> term, for every word of the knowledge
    words: dict[str, str]  # folded word -> its most common spelling ("schreurs" -> "Schreurs")
    acronyms: dict[str, tuple[str, ...]]  # acronym term -> the terms of its expansion
    skipped: tuple[Skipped, ...] = field(default=())

    def analyzer(self) -> Analyzer:
        """An analyser that already knows the knowledge's words."""
        return Analyzer(self.vocabulary, self.sentences.terms)

    def sources(self) -> dict[str, int]:
        """Passage count of each loaded source, in load order."""
        counts = np.bincount(self.passages.source_ids, minlength=len(self.passages.sources))
        return {source: int(n) for source, n in zip(self.passages.sources, counts, strict=True)}


@dataclass(frozen=True)
class AnalysedFile:
    """One file's passages with their terms: the unit the cache keeps and rebuilds."""

    source: str
    passages: tuple[Passage, ...]
    terms: tuple[tuple[str, ...], ...]  # per passage
    vocabulary: dict[str, str]  # folded word -> term, for this file's words
    spellings: Counter[tuple[str, str]]  # (folded, as written) -> count
    acronyms: dict[str, tuple[str, ...]]


def analyse_file(source: str, passages: Sequence[Passage], analyzer: Analyzer | None = None) -> AnalysedFile:
    """Analyse one file's passages into terms, spellings and the acronyms it defines.

    An analyser shared across files saves looking the same word up again; the result is the same.
    """
    analyzer = analyzer or Analyzer()
    terms = []
    spellings: Counter[tuple[str, str]] = Counter()
    acronyms: dict[str, tuple[str, ...]] = {}
    for passage in passages:
        tokens = tokenize(passage.text)
        terms.append(tuple(analyzer.terms_of(tokens)))
        spellings.update((token.folded, token.word) for token in tokens)
        for acronym, words in acronym_definitions(passage.text):
            acronyms.setdefault(analyzer.term(acronym), tuple(analyzer.term(w) for w in words))
    known = analyzer.vocabulary
    vocabulary = {folded: known[folded] for folded, _ in spellings if folded in known}
    return AnalysedFile(source, tuple(passages), tuple(terms), vocabulary, spellings, acronyms)


def build_index(
    files: Sequence[AnalysedFile], skipped: Sequence[Skipped] = (), params: Params | None = None
) -> Index:
    """Merge analysed files into one index with its BM25 tables."""
    params = params or Params()
    passages = [p for f in files for p in f.passages]
    sentence_terms = [t for f in files for t in f.terms]
    if not passages:
        raise KnowledgeError("the knowledge holds no text")
    if not any(sentence_terms):
        raise KnowledgeError("the knowledge holds no searchable words")

    paragraph_of = np.empty(len(passages), dtype=np.int32)
    paragraph_terms: list[list[str]] = []
    previous: tuple[str, int] | None = None
    for i, (passage, terms) in enumerate(zip(passages, sentence_terms, strict=True)):
        key = (passage.source, passage.paragraph)
        if key != previous:
            paragraph_terms.append([])
            previous = key
        paragraph_terms[-1].extend(terms)
        paragraph_of[i] = len(paragraph_terms) - 1

    vocabulary: dict[str, str] = {}
    acronyms: dict[str, tuple[str, ...]] = {}
    spellings: Counter[tuple[str, str]] = Counter()
    for f in files:
        vocabulary.update(f.vocabulary)
        spellings.update(f.spellings)
        for acronym, expansion in f.acronyms.items():
            acronyms.setdefault(acronym, expansion)
    words: dict[str, str] = {}
    for (folded, written), _ in spellings.most_common():
        words.setdefault(folded, written)

    return Index(
        passages=PassageTable.of(passages),
        sentences=build_table(sentence_terms, params),
        paragraphs=build_table(paragraph_terms, params),
        paragraph_of=paragraph_of,
        vocabulary=vocabulary,
        words=words,
        acronyms=acronyms,
        skipped=tuple(skipped),
    )


def index_text(text: str, source: str = "text") -> Index:
    """An index of one text, for tests and evaluations."""
    from askbot.knowledge import split_passages

    return build_index([analyse_file(source, split_passages(text, source))])
