"""The searchable form of the knowledge: passages, their BM25 tables and the knowledge's vocabulary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from askbot.bm25 import Bm25Table, Params, build_table
from askbot.errors import KnowledgeError
from askbot.knowledge import Passage, Skipped
from askbot.text import Analyzer, acronym_definitions, tokenize


@dataclass(frozen=True)
class Index:
    """Everything a question is answered from."""

    passages: Sequence[Passage]
    sentences: Bm25Table  # one document per passage
    paragraphs: Bm25Table  # one document per paragraph, for context
    paragraph_of: npt.NDArray[np.int32]  # passage -> its paragraph's document
    vocabulary: dict[str, str]  # folded word -> term, for every word of the knowledge
    words: dict[str, str]  # folded word -> its most common spelling ("schreurs" -> "Schreurs")
    acronyms: dict[str, tuple[str, ...]]  # acronym term -> the terms of its expansion
    skipped: tuple[Skipped, ...] = field(default=())

    @property
    def terms(self) -> frozenset[str]:
        """Every term the knowledge holds."""
        return frozenset(self.sentences.terms)

    def analyzer(self) -> Analyzer:
        """An analyser that already knows the knowledge's words."""
        return Analyzer(self.vocabulary, self.terms)

    def sources(self) -> dict[str, int]:
        """Passage count of each loaded source, in load order."""
        return dict(Counter(p.source for p in self.passages))


@dataclass(frozen=True)
class AnalysedFile:
    """One file's passages with their terms: the unit the cache keeps and rebuilds."""

    source: str
    passages: tuple[Passage, ...]
    terms: tuple[tuple[str, ...], ...]  # per passage
    vocabulary: dict[str, str]  # folded word -> term, for this file's words
    spellings: Counter[tuple[str, str]]  # (folded, as written) -> count
    acronyms: dict[str, tuple[str, ...]]


def analyse_file(source: str, passages: Sequence[Passage]) -> AnalysedFile:
    """Analyse one file's passages into terms, spellings and the acronyms it defines."""
    analyzer = Analyzer()
    terms = []
    spellings: Counter[tuple[str, str]] = Counter()
    acronyms: dict[str, tuple[str, ...]] = {}
    for passage in passages:
        terms.append(tuple(analyzer.terms(passage.text)))
        for token in tokenize(passage.text):
            spellings[token.folded, token.word] += 1
        for acronym, words in acronym_definitions(passage.text):
            acronyms.setdefault(analyzer.term(acronym), tuple(analyzer.term(w) for w in words))
    return AnalysedFile(source, tuple(passages), tuple(terms), analyzer.vocabulary, spellings, acronyms)


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
        passages=passages,
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
