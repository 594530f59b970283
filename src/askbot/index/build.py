"""From passages to the searchable index: each file analysed alone, files gathered into segments."""

from __future__ import annotations

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
from askbot.index.wordtable import WordTable


@dataclass(frozen=True)
class AnalysedFile:
    """One file's passages with their terms and spellings: what a segment is built from.

    Terms and spellings are numbers in the word table of the indexing run (askbot.index.wordtable),
    so a million passages' worth of analyses is a few arrays rather than millions of small objects.
    """

    source: str
    passages: PassageTable
    table: WordTable
    terms: npt.NDArray[np.int64]  # the file's distinct terms, as the table numbers them
    term_ids: npt.NDArray[np.int32]  # every passage's terms, as positions in `terms`, back to back
    term_offsets: npt.NDArray[np.int64]  # passage i's terms are term_ids[term_offsets[i]:term_offsets[i + 1]]
    spellings: npt.NDArray[np.int64]  # the spellings the file writes, as the table numbers them
    spelling_counts: npt.NDArray[np.int64]  # how often each
    acronyms: tuple[tuple[str, tuple[str, ...]], ...] = ()  # acronym term -> the terms of its expansion
    defined: tuple[tuple[str, str], ...] = ()  # (folded word, term) of the words acronyms are defined by
    stamp: tuple[int, int] = (0, 0)  # (size, mtime in ns) of the file read
    meta: dict[str, Any] = field(default_factory=dict)  # anything more to keep about the file (JSON)

    @property
    def term_list(self) -> list[str]:
        """The file's distinct terms."""
        return self.table.terms(self.terms.tolist())

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
    table: WordTable | None = None,
) -> AnalysedFile:
    """Analyse one file's passages into terms, spellings and the acronyms it defines, in the analyser's
    language, which the file's record keeps (English is the default and is not written).

    A word table (of the analyser's language) shared across files saves analysing the same word
    again; the result is the same.
    """
    table = table or WordTable(analyzer)
    found = table.read(searchable_text(p) for p in passages)
    term = table.analyzer.term
    acronyms: dict[str, tuple[str, ...]] = {}
    defining: set[str] = set()  # the folded words of acronym definitions
    for passage in passages:
        if "(" not in passage.text:
            continue
        for acronym, words in acronym_definitions(passage.text):
            expansion = tuple(term(w) for w in (acronym, *words))
            acronyms.setdefault(expansion[0], expansion[1:])
            defining.update((acronym, *words))
    defined: tuple[tuple[str, str], ...] = ()
    if defining:
        written = {folded for folded, _, _ in table.spellings(found.spellings.tolist())}
        defined = tuple((w, term(w)) for w in sorted(defining) if w in written)
    return AnalysedFile(
        source,
        passage_table(passages),
        table,
        found.terms,
        found.ids,
        found.offsets,
        found.spellings,
        found.counts,
        tuple(acronyms.items()),
        defined,
        stamp,
        {} if table.analyzer.language == ENGLISH else {"language": table.analyzer.language},
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
