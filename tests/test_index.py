"""The index: passages stored as columns, tables and vocabulary merged from files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from askbot.documents.passages import Attachment, Passage
from askbot.index.build import analyse_file, build_index, index_text
from askbot.index.store import load_index
from askbot.index.table import join_tables, passage_table

PASSAGES = [
    Passage("Ünïcödé “quote” 😀.", "a.txt", 1, 0),
    Passage("Second\nline.", "a.txt", 2, 1),
    Passage("Other file.", "dir/b.md", 7, 0),
]


def test_passage_table_gives_back_each_passage() -> None:
    """Packed passages come back equal, non-ASCII text and all, by index, slice and iteration."""
    table = passage_table(PASSAGES)
    assert list(table) == PASSAGES
    assert table[-1] == PASSAGES[-1] and list(table[1:]) == PASSAGES[1:]
    with pytest.raises(IndexError):
        table[3]


def test_sources_count_passages_per_file() -> None:
    """sources() gives each file's passage count in load order."""
    index = build_index([analyse_file("a.txt", PASSAGES[:2]), analyse_file("dir/b.md", PASSAGES[2:])])
    assert index.sources() == {"a.txt": 2, "dir/b.md": 1}


def test_paragraphs_group_sentences_of_one_paragraph() -> None:
    """Sentences of one paragraph of one file share a paragraph document."""
    index = index_text("One here. Two here.\n\nThree here.")
    assert list(index.paragraph_of) == [0, 0, 1]


def test_vocabulary_knows_spellings_and_acronyms() -> None:
    """The index remembers each word's usual spelling and the acronyms the text defines."""
    index = index_text("The World Health Organization (WHO) met Schreurs. Schreurs spoke.")
    assert index.words["schreurs"] == "Schreurs"
    assert index.acronyms[index.vocabulary["who"]] == tuple(
        index.vocabulary[w] for w in ("world", "health", "organization")
    )


def test_passage_tables_join_in_order() -> None:
    """Joining per-file tables keeps every passage, its source and its location."""
    with_location = Passage("Under a heading.", "c.md", 3, 0, "Guide › Install")
    parts = [
        passage_table(PASSAGES[:2]),
        passage_table([]),
        passage_table(PASSAGES[2:] + [with_location]),
    ]
    joined = join_tables(parts)
    assert list(joined) == PASSAGES + [with_location]
    assert list(joined.take(np.array([3, 0]))) == [with_location, PASSAGES[0]]


def test_analysed_file_gives_back_each_passage_terms() -> None:
    """A file's analysis keeps each passage's terms in order, stopwords left out."""
    analysed = analyse_file(
        "a.txt", [Passage("The leaders met.", "a.txt", 1, 0), Passage("Leaders!", "a.txt", 1, 0)]
    )
    assert list(analysed.passage_terms()) == [["leader", "meet"], ["leader"]]


def test_attachments_survive_packing_joining_and_the_cache(tmp_path: Path) -> None:
    """What passages introduce comes back with them from a table, a joined table and a cached index."""
    code = Passage("Install it:", "g.md", 5, 0, "Guide", Attachment("code", "pip install ünï", 7))
    table = Passage("Keys:", "g.md", 9, 1, "Guide", Attachment("table", "| a |\n|---|", 11))
    parts = [passage_table(PASSAGES[:2]), passage_table([code, PASSAGES[2], table])]
    joined = join_tables(parts)
    assert list(joined) == [*PASSAGES[:2], code, PASSAGES[2], table]
    assert list(joined.take(np.array([4, 1, 2]))) == [table, PASSAGES[1], code]
    (tmp_path / "g.md").write_text(
        "# Guide\n\n\n\nInstall it:\n\n```\npip install ünï\n```\n", encoding="utf-8"
    )
    for _ in range(2):  # built, then read back from the cache
        index = load_index(tmp_path, tmp_path / "cache")
        assert index.passages[0].attached == Attachment("code", "pip install ünï", 8)


WORD_TEXTS = [
    "The leaders met in Baghdad. NATO's mission (NMI) began.",
    "THE U.S. ARMY LEADS NATO'S MISSION.",
    "U.S. and US, don't 's NATO’s Café e\u0301te\u0301",
    "",
    "Die Häuser stehen am Fluss, und die Straße führt zum Bahnhof.",
    "北大西洋公约组织的任务在巴格达开始。",
]


@pytest.mark.parametrize("language", ["en", "de", "zh"])
def test_word_table_gives_each_text_the_terms_and_spellings_tokenize_gives(language: str) -> None:
    """Reading a file's texts through a word table gives the terms and spellings of tokenising each."""
    from collections import Counter

    from askbot.analysis.text import Analyzer
    from askbot.index.wordtable import WordTable

    table = WordTable(Analyzer(language=language))
    for _ in range(2):  # the second time every word is already numbered
        found = table.read(WORD_TEXTS)
        reference = Analyzer(language=language)
        terms = table.terms(found.terms.tolist())
        for n, text in enumerate(WORD_TEXTS):
            ids = found.ids[found.offsets[n] : found.offsets[n + 1]].tolist()
            assert [terms[i] for i in ids] == reference.terms_of(reference.tokenize(text))
        spellings = table.spellings(found.spellings.tolist())
        expected = Counter((t.folded, t.word) for text in WORD_TEXTS for t in reference.tokenize(text))
        assert {(f, w): int(c) for (f, w, _), c in zip(spellings, found.counts, strict=True)} == expected


def test_a_word_tables_segment_is_the_segment_its_words_make() -> None:
    """Files analysed with one word table make the segment arrays that joining their words by value makes."""
    from askbot.documents.passages import split_passages
    from askbot.index import segment
    from askbot.index.wordtable import WordTable

    table = WordTable()
    texts = [
        *WORD_TEXTS[:4],
        "The Department Of Defense (DOD) met the North Atlantic Treaty Organization (NATO) in the US.",
        "THE US ARMY AND THE U.S. NAVY. We and us, and US once more.",
    ]
    files = [
        analyse_file(f"f{n}.txt", split_passages(text, f"f{n}.txt"), table=table)
        for n, text in enumerate(texts)
    ]
    by_numbers = segment._table_word_arrays(files, table)
    by_value = segment._word_arrays(files)
    assert by_numbers.keys() == by_value.keys()
    for name, array in by_value.items():
        assert by_numbers[name].dtype == array.dtype and np.array_equal(by_numbers[name], array), name
