"""The searchable form of the knowledge: passages, their BM25 tables and the knowledge's vocabulary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from askbot.analysis.languages import ENGLISH
from askbot.analysis.text import Analyzer, acronym_definitions
from askbot.documents.passages import Passage, Skipped, searchable_text
from askbot.errors import KnowledgeError
from askbot.index.bm25 import Bm25Table, Params, build_table
from askbot.index.table import PassageTable


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
    languages: dict[str, str] = field(default_factory=dict)  # source -> its language (ISO 639-1)

    def analyzer(self, language: str | None = None) -> Analyzer:
        """An analyser of one language (by default the knowledge's main one) that knows its words."""
        return Analyzer(self.vocabulary, self.sentences.terms, language or self.present_languages()[0])

    def present_languages(self) -> tuple[str, ...]:
        """The languages of the knowledge's files, the one with most passages first."""
        counts = np.bincount(self.passages.source_ids, minlength=len(self.passages.sources))
        by_language: dict[str, int] = {}
        for source, n in zip(self.passages.sources, counts.tolist(), strict=True):
            code = self.language_of_source(source)
            by_language[code] = by_language.get(code, 0) + n
        return tuple(sorted(by_language, key=lambda code: -by_language[code])) or (ENGLISH,)

    def language_of(self, passage: int) -> str:
        """The language of a passage's file."""
        return self.language_of_source(self.passages.sources[self.passages.source_ids[passage]])

    def language_of_source(self, source: str) -> str:
        """The language of a file of the knowledge (ISO 639-1)."""
        return self.languages.get(source, ENGLISH)

    def sources(self) -> dict[str, int]:
        """Passage count of each loaded source, in load order."""
        counts = np.bincount(self.passages.source_ids, minlength=len(self.passages.sources))
        return {source: int(n) for source, n in zip(self.passages.sources, counts, strict=True)}


@dataclass(frozen=True)
class AnalysedFile:
    """One file's passages with their terms: the unit the cache keeps and rebuilds.

    Terms are kept as numbers into the file's own term list, so that a million passages' worth
    of analyses saves and loads as a few arrays rather than millions of small objects.
    """

    source: str
    passages: PassageTable
    term_list: tuple[str, ...]  # the file's distinct terms
    term_ids: npt.NDArray[np.int32]  # every passage's terms, as positions in term_list, back to back
    term_offsets: npt.NDArray[np.int64]  # passage i's terms are term_ids[term_offsets[i]:term_offsets[i + 1]]
    vocabulary: dict[str, str]  # folded word -> term, for this file's words
    spellings: Counter[tuple[str, str]]  # (folded, as written) -> count
    acronyms: dict[str, tuple[str, ...]]
    language: str = ENGLISH

    def passage_terms(self) -> Iterator[list[str]]:
        """Each passage's terms, in order."""
        names = self.term_list
        ids = self.term_ids.tolist()
        bounds = self.term_offsets.tolist()
        for a, b in zip(bounds, bounds[1:], strict=False):
            yield [names[t] for t in ids[a:b]]


def analyse_file(source: str, passages: Sequence[Passage], analyzer: Analyzer | None = None) -> AnalysedFile:
    """Analyse one file's passages into terms, spellings and the acronyms it defines.

    The analyser's language is the file's.  An analyser shared across files of one language saves
    looking the same word up again; the result is the same.
    """
    analyzer = analyzer or Analyzer()
    numbers: dict[str, int] = {}
    ids: list[int] = []
    offsets = [0]
    spellings: Counter[tuple[str, str]] = Counter()
    acronyms: dict[str, tuple[str, ...]] = {}
    for passage in passages:
        tokens = analyzer.tokenize(searchable_text(passage))
        ids.extend(numbers.setdefault(term, len(numbers)) for term in analyzer.terms_of(tokens))
        offsets.append(len(ids))
        spellings.update((token.folded, token.word) for token in tokens)
        for acronym, words in acronym_definitions(passage.text):
            acronyms.setdefault(analyzer.term(acronym), tuple(analyzer.term(w) for w in words))
    known = analyzer.vocabulary
    vocabulary = {folded: known[folded] for folded, _ in spellings if folded in known}
    return AnalysedFile(
        source,
        PassageTable.of(passages),
        tuple(numbers),
        np.array(ids, dtype=np.int32),
        np.array(offsets, dtype=np.int64),
        vocabulary,
        spellings,
        acronyms,
        analyzer.language,
    )


def build_index(
    files: Sequence[AnalysedFile], skipped: Sequence[Skipped] = (), params: Params | None = None
) -> Index:
    """Merge analysed files into one index with its BM25 tables."""
    passages = PassageTable.concat([f.passages for f in files])
    sentence_terms = [terms for f in files for terms in f.passage_terms()]
    if not len(passages):
        raise KnowledgeError("the knowledge holds no text")
    if not any(sentence_terms):
        raise KnowledgeError("the knowledge holds no searchable words")

    # A new paragraph starts wherever the source or the paragraph number changes.
    starts = np.ones(len(passages), dtype=bool)
    starts[1:] = (np.diff(passages.source_ids) != 0) | (np.diff(passages.paragraph_numbers) != 0)
    paragraph_of = (np.cumsum(starts) - 1).astype(np.int32)
    paragraph_terms: list[list[str]] = [[] for _ in range(int(paragraph_of[-1]) + 1)]
    for paragraph, terms in zip(paragraph_of.tolist(), sentence_terms, strict=True):
        paragraph_terms[paragraph].extend(terms)

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

    params = params or Params()
    return Index(
        passages=passages,
        sentences=build_table(sentence_terms, params),
        paragraphs=build_table(paragraph_terms, params),
        paragraph_of=paragraph_of,
        vocabulary=vocabulary,
        words=words,
        acronyms=acronyms,
        skipped=tuple(skipped),
        languages={f.source: f.language for f in files},
    )


def index_text(text: str, source: str = "text", language: str = ENGLISH) -> Index:
    """An index of one text in one language, for tests and evaluations."""
    from askbot.documents.passages import split_passages

    passages = split_passages(text, source, language)
    return build_index([analyse_file(source, passages, Analyzer(language=language))])
