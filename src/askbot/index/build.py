"""From passages to the searchable index: each file analysed alone, files gathered into segments."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from askbot.analysis.languages import ENGLISH
from askbot.analysis.text import Analyzer, acronym_definitions
from askbot.documents.passages import Passage, Skipped, searchable_text
from askbot.errors import KnowledgeError
from askbot.index.bm25 import Params
from askbot.index.collection import Index as Index
from askbot.index.collection import open_index
from askbot.index.layout import Live
from askbot.index.segment import in_memory
from askbot.index.table import PassageTable, passage_table


@dataclass(frozen=True)
class AnalysedFile:
    """One file's passages with their terms: what a segment is built from.

    Terms are kept as numbers into the file's own term list, so that a million passages' worth
    of analyses is a few arrays rather than millions of small objects.
    """

    source: str
    passages: PassageTable
    term_list: tuple[str, ...]  # the file's distinct terms
    term_ids: npt.NDArray[np.int32]  # every passage's terms, as positions in term_list, back to back
    term_offsets: npt.NDArray[np.int64]  # passage i's terms are term_ids[term_offsets[i]:term_offsets[i + 1]]
    vocabulary: dict[str, str]  # folded word -> term, for this file's words that have one
    spellings: Counter[tuple[str, str]]  # (folded, as written) -> count
    acronyms: tuple[tuple[str, tuple[str, ...]], ...]  # acronym term -> the terms of its expansion
    stamp: tuple[int, int] = (0, 0)  # (size, mtime in ns) of the file read
    meta: dict[str, Any] = field(default_factory=dict)  # anything more to keep about the file (JSON)

    def passage_terms(self) -> Iterator[list[str]]:
        """Each passage's terms, in order."""
        names = self.term_list
        ids = self.term_ids.tolist()
        bounds = self.term_offsets.tolist()
        for a, b in zip(bounds, bounds[1:], strict=False):
            yield [names[t] for t in ids[a:b]]


def analyse_file(
    source: str,
    passages: Sequence[Passage],
    analyzer: Analyzer | None = None,
    stamp: tuple[int, int] = (0, 0),
) -> AnalysedFile:
    """Analyse one file's passages into terms, spellings and the acronyms it defines, in the analyser's
    language, which the file's record keeps (English is the default and is not written).

    An analyser shared across files of one language saves analysing the same word again; the result
    is the same.
    """
    analyzer = analyzer or Analyzer()
    found = analyzer.analyse(searchable_text(p) for p in passages)
    numbers: dict[str, int] = {}
    ids: list[int] = []
    offsets = [0]
    for terms in found.terms:
        ids.extend(numbers.setdefault(term, len(numbers)) for term in terms)
        offsets.append(len(ids))
    acronyms: dict[str, tuple[str, ...]] = {}
    defining: set[str] = set()  # the folded words of acronym definitions
    for passage in passages:
        if "(" not in passage.text:
            continue
        for acronym, words in acronym_definitions(passage.text):
            expansion = tuple(analyzer.term(w) for w in (acronym, *words))
            acronyms.setdefault(expansion[0], expansion[1:])
            defining.update((acronym, *words))
    vocabulary = dict(found.vocabulary)
    if defining:
        written = {folded for folded, _ in found.spellings}
        vocabulary.update((w, analyzer.term(w)) for w in defining if w in written)
    return AnalysedFile(
        source,
        passage_table(passages),
        tuple(numbers),
        np.array(ids, dtype=np.int32),
        np.array(offsets, dtype=np.int64),
        vocabulary,
        found.spellings,
        tuple(acronyms.items()),
        stamp,
        {} if analyzer.language == ENGLISH else {"language": analyzer.language},
    )


def build_index(
    files: Sequence[AnalysedFile], skipped: Sequence[Skipped] = (), params: Params | None = None
) -> Index:
    """An index of analysed files, held in memory as one segment."""
    if not sum(len(f.passages) for f in files):
        raise KnowledgeError("the knowledge holds no text")
    if not any(len(f.term_ids) for f in files):
        raise KnowledgeError("the knowledge holds no searchable words")
    segment = in_memory("memory", files)
    live = [Live(0, n) for n in range(len(files))]
    return open_index([segment], live, tuple(skipped), params or Params())


def index_text(text: str, source: str = "text", language: str = ENGLISH) -> Index:
    """An index of one text in one language, for tests and evaluations."""
    from askbot.documents.passages import split_passages

    passages = split_passages(text, source, language)
    return build_index([analyse_file(source, passages, Analyzer(language=language))])
