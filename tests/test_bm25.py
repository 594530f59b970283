"""BM25+ over segments: the same scores as rank-bm25's BM25Plus on the live passages, whatever the layout."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from rank_bm25 import BM25Okapi, BM25Plus

from askbot.documents.passages import Passage
from askbot.index.bm25 import Params
from askbot.index.build import AnalysedFile
from askbot.index.collection import Index, open_index
from askbot.index.layout import Live
from askbot.index.merge import merge_arrays
from askbot.index.segment import KIND, Segment, build_arrays, in_memory, open_segment
from askbot.index.table import passage_table
from askbot.index.wordtable import WordTable

CORPUS = [
    ["nato", "mission", "iraq", "launch"],
    ["nato", "lead", "schreur"],
    ["nato", "rutte", "visit", "baghdad", "nato"],
    ["rutte", "meet", "sudani"],
    ["nato", "iraq", "secur", "forc"],
]


def analysed(source: str, documents: Sequence[Sequence[str]], paragraph_size: int = 1) -> AnalysedFile:
    """A file whose passages hold exactly the given terms, `paragraph_size` passages a paragraph."""
    passages = [Passage(" ".join(d), source, n + 1, n // paragraph_size) for n, d in enumerate(documents)]
    table = WordTable()
    terms = sorted({table.number_term(t) for d in documents for t in d})
    position = {t: i for i, t in enumerate(terms)}
    ids = [position[table.number_term(t)] for d in documents for t in d]
    offsets = np.cumsum([0] + [len(d) for d in documents])
    spelt = Counter(table.number_spelling(t, t, table.number_term(t)) for d in documents for t in d)
    return AnalysedFile(
        source,
        passage_table(passages),
        table,
        np.array(terms, dtype=np.int64),
        np.array(ids, dtype=np.int32),
        offsets.astype(np.int64),
        np.array(sorted(spelt), dtype=np.int64),
        np.array([spelt[k] for k in sorted(spelt)], dtype=np.int64),
    )


def files_of(corpus: Sequence[Sequence[str]], per_file: int, prefix: str = "f") -> list[AnalysedFile]:
    return [analysed(f"{prefix}{n:03d}", corpus[n : n + per_file]) for n in range(0, len(corpus), per_file)]


def one_index(files: Sequence[AnalysedFile]) -> Index:
    return open_index([in_memory("s", files)], [Live(0, n) for n in range(len(files))], (), Params())


def expected(corpus: Sequence[Sequence[str]], query: Sequence[str]) -> np.ndarray:
    """rank-bm25's BM25Plus scores, less the delta it gives passages for terms they lack."""
    params = Params()
    reference = BM25Plus(corpus, k1=params.k1, b=params.b, delta=params.delta)
    scores = reference.get_scores(query)
    for term in set(query):
        idf = reference.idf.get(term, 0.0)
        lacking = np.array([term not in doc for doc in corpus]) * query.count(term)
        scores = scores - lacking * idf * params.delta
    return scores


def assert_scores(index: Index, corpus: Sequence[Sequence[str]], queries: Sequence[Sequence[str]]) -> None:
    for query in queries:
        weights = Counter(query)
        assert np.allclose(index.sentences.scores(weights), expected(corpus, query), atol=1e-5), query
        for term in set(query):
            assert index.sentences.doc_freq(term) == sum(term in doc for doc in corpus)


def zipfian(n: int, seed: int) -> list[list[str]]:
    rng = np.random.default_rng(seed)
    vocabulary = [f"w{i}" for i in range(400)]
    weights = 1 / np.arange(1, len(vocabulary) + 1) ** 1.05
    return [
        list(rng.choice(vocabulary, size=rng.integers(3, 20), p=weights / weights.sum())) for _ in range(n)
    ]


QUERIES = [["nato"], ["nato", "lead"], ["rutte", "baghdad", "unknown"], ["nato", "nato"], ["w1", "w7", "w40"]]


@pytest.mark.parametrize("query", QUERIES[:4])
def test_scores_equal_rank_bm25_plus_up_to_delta_for_missing_terms(query: list[str]) -> None:
    """Scores are rank-bm25's BM25Plus minus the delta it adds for terms a passage lacks."""
    assert_scores(one_index(files_of(CORPUS, 2)), CORPUS, [query])


def test_segments_sum_their_statistics_to_the_whole_collections() -> None:
    """Files spread over several segments score as one rank-bm25 collection of all their passages."""
    corpus = zipfian(120, seed=1)
    files = files_of(corpus, 10)
    segments = [in_memory(f"s{k}", files[k * 4 : k * 4 + 4]) for k in range(3)]
    index = open_index(segments, [Live(k, n) for k in range(3) for n in range(4)], (), Params())
    assert_scores(index, corpus, QUERIES + [zipfian(1, seed=9)[0]])


def test_deleted_files_leave_the_statistics() -> None:
    """With files deleted from their segments, scores and df are rank-bm25's on the passages left."""
    corpus = zipfian(120, seed=2)
    files = files_of(corpus, 10)
    segments = [in_memory("a", files[:6]), in_memory("b", files[6:])]
    kept = [0, 2, 3, 5, 7, 8, 11]
    live = [Live(n // 6, n % 6) for n in kept]
    live_corpus = [doc for n in kept for doc in corpus[n * 10 : n * 10 + 10]]
    assert_scores(open_index(segments, live, (), Params()), live_corpus, QUERIES)


def test_changed_file_in_a_new_segment_scores_as_a_rebuild() -> None:
    """A file deleted from its segment and added again, changed, in a new one: as if all were rebuilt."""
    corpus = zipfian(60, seed=3)
    files = files_of(corpus, 10)
    changed = zipfian(14, seed=4)
    segments = [in_memory("old", files), in_memory("new", [analysed("f020", changed)])]
    live = [Live(0, 0), Live(0, 1), Live(1, 0), Live(0, 3), Live(0, 4), Live(0, 5)]
    rebuilt = corpus[:20] + changed + corpus[30:]
    index = open_index(segments, live, (), Params())
    assert_scores(index, rebuilt, QUERIES)
    fresh = one_index(files[:2] + [analysed("f020", changed)] + files[3:])
    assert [p.text for p in index.passages] == [p.text for p in fresh.passages]
    assert list(index.paragraph_of) == list(fresh.paragraph_of)


def test_merged_segment_scores_as_its_parts_and_drops_deleted_passages() -> None:
    """Merging segments with deletions gives one segment that scores exactly as the live files did."""
    corpus = zipfian(90, seed=5)
    files = files_of(corpus, 10)
    segments = [in_memory("a", files[:5]), in_memory("b", files[5:])]
    live = [Live(0, 0), Live(1, 0), Live(0, 2), Live(1, 3)]
    before = open_index(segments, live, (), Params())
    meta, arrays = merge_arrays([(segments[f.segment], f.file) for f in live])
    from askbot.index.columns import Columns

    merged = Segment.from_columns("m", Columns(KIND, meta, arrays))
    merged.check()
    after = open_index([merged], [Live(0, n) for n in range(4)], (), Params())
    live_corpus = [doc for f in live for doc in corpus[(f.segment * 5 + f.file) * 10 :][:10]]
    for query in QUERIES:
        assert np.array_equal(after.sentences.scores(Counter(query)), before.sentences.scores(Counter(query)))
        assert np.array_equal(
            after.paragraphs.scores(Counter(query)), before.paragraphs.scores(Counter(query))
        )
    assert_scores(after, live_corpus, QUERIES)
    assert merged.size == 40 and after.sources() == before.sources()
    gone = {t for t in set(sum(corpus, [])) if not any(t in d for d in live_corpus)}
    assert gone and not any(t in after.vocabulary or t in after.sentences.terms for t in gone)


def test_segment_written_and_read_back_scores_the_same(tmp_path: Path) -> None:
    """A segment mapped back from its file gives the scores the one in memory gave."""
    from askbot.index import columns

    files = files_of(zipfian(50, seed=6), 10)
    meta, arrays = build_arrays(files)
    written = columns.write(tmp_path, KIND, meta, arrays, suffix=".seg")
    loaded = open_segment(tmp_path, written.name, verify=True)
    index = open_index([loaded], [Live(0, n) for n in range(5)], (), Params())
    for query in QUERIES:
        assert np.array_equal(
            index.sentences.scores(Counter(query)), one_index(files).sentences.scores(Counter(query))
        )


def test_paragraph_documents_score_as_rank_bm25_on_paragraphs() -> None:
    """Paragraph scores are BM25+ over paragraph documents, each the terms of its sentences."""
    corpus = zipfian(60, seed=7)
    files = [analysed(f"f{n}", corpus[n * 20 : n * 20 + 20], paragraph_size=3) for n in range(3)]
    paragraphs = [
        sum(corpus[f * 20 + p : f * 20 + min(p + 3, 20)], []) for f in range(3) for p in range(0, 20, 3)
    ]
    index = one_index(files)
    for query in QUERIES:
        assert np.allclose(index.paragraphs.scores(Counter(query)), expected(paragraphs, query), atol=1e-5)


def test_weight_of_a_term_in_one_passage_is_its_share_of_the_score() -> None:
    """weight(term, doc) times idf is the term's part of the passage's score; 0 where the term is absent."""
    index = one_index(files_of(CORPUS, 2))
    scores = index.sentences.scores({"nato": 1.0})
    for doc in range(len(CORPUS)):
        share = index.sentences.weight("nato", doc) * index.sentences.idf_of("nato")
        assert share == pytest.approx(scores[doc], abs=1e-5)
        assert index.sentences.holds("nato", doc) == ("nato" in CORPUS[doc])
    assert index.sentences.weight("unknown", 0) == 0.0 and "unknown" not in index.sentences.terms


def test_term_in_every_passage_keeps_a_small_positive_idf() -> None:
    """A term found in nearly every sentence still counts, less than any rarer term."""
    table = one_index(files_of(CORPUS, 5)).sentences
    assert 0 < table.idf_of("nato") < table.idf_of("iraq") < table.idf_of("schreur")


def test_okapi_ranks_a_term_in_half_the_passages_below_one_in_nearly_all() -> None:
    """rank-bm25's BM25Okapi: idf 0 at half the passages, a positive floor above half (why we use BM25+)."""
    corpus = [["half", "common"]] * 5 + [["common"]] * 4 + [["rare"]]
    corpus = [doc + [f"unique{i}"] for i, doc in enumerate(corpus)]
    okapi = BM25Okapi(corpus)
    assert okapi.idf["half"] == 0 < okapi.idf["common"]
    table = one_index(files_of(corpus, 10)).sentences
    assert 0 < table.idf_of("common") < table.idf_of("half") < table.idf_of("rare")


def test_unknown_terms_score_nothing() -> None:
    """A term no passage holds adds nothing."""
    assert not one_index(files_of(CORPUS, 2)).sentences.scores({"zebra": 1.0}).any()


def test_a_documents_file_holds_the_terms_of_all_its_passages() -> None:
    """file_holds answers for the whole live file of a passage, across segments and deletions."""
    corpus = zipfian(120, seed=5)
    files = files_of(corpus, 10)
    segments = [in_memory("a", files[:6]), in_memory("b", files[6:])]
    kept = [0, 2, 3, 5, 7, 8, 11]
    index = open_index(segments, [Live(n // 6, n % 6) for n in kept], (), Params())
    live_files = [corpus[n * 10 : n * 10 + 10] for n in kept]
    for term in sorted({t for d in corpus for t in d})[:40]:
        for doc in range(0, len(index.passages), 3):
            expected = any(term in passage for passage in live_files[doc // 10])
            assert index.sentences.file_holds(term, doc) == expected, (term, doc)
