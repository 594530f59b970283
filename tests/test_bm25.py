"""BM25 tables: the same ranking as rank-bm25, computed from postings."""

from __future__ import annotations

import numpy as np
import pytest
from rank_bm25 import BM25Okapi, BM25Plus

from askbot.index.bm25 import Params, build_table

CORPUS = [
    ["nato", "mission", "iraq", "launch"],
    ["nato", "lead", "schreur"],
    ["nato", "rutte", "visit", "baghdad", "nato"],
    ["rutte", "meet", "sudani"],
    ["nato", "iraq", "secur", "forc"],
]


@pytest.mark.parametrize(
    "query", [["nato"], ["nato", "lead"], ["rutte", "baghdad", "unknown"], ["nato", "nato"]]
)
def test_scores_equal_rank_bm25_plus_up_to_delta_for_missing_terms(query: list[str]) -> None:
    """Scores are rank-bm25's BM25Plus minus the delta it adds for terms a passage lacks."""
    params = Params()
    table = build_table(CORPUS, params)
    reference = BM25Plus(CORPUS, k1=params.k1, b=params.b, delta=params.delta).get_scores(query)
    lacking = np.array([sum(table.idf_of(q) * params.delta for q in query if q not in doc) for doc in CORPUS])
    weights: dict[str, float] = {}
    for q in query:
        weights[q] = weights.get(q, 0.0) + 1.0
    assert np.allclose(table.scores(weights), reference - lacking, atol=1e-5)


def test_ranking_agrees_with_rank_bm25_on_matching_passages() -> None:
    """Among passages holding every query term, the order is rank-bm25's."""
    table = build_table(CORPUS)
    ours = table.scores({"nato": 1.0})
    reference = BM25Plus(CORPUS, k1=1.2, b=0.5, delta=0.5).get_scores(["nato"])
    holding = [i for i, doc in enumerate(CORPUS) if "nato" in doc]
    assert sorted(holding, key=lambda i: -ours[i]) == sorted(holding, key=lambda i: -reference[i])


def test_term_in_every_passage_keeps_a_small_positive_idf() -> None:
    """A term found in nearly every sentence still counts, less than any rarer term."""
    table = build_table(CORPUS)
    assert 0 < table.idf_of("nato") < table.idf_of("iraq") < table.idf_of("schreur")


def test_okapi_ranks_a_term_in_half_the_passages_below_one_in_nearly_all() -> None:
    """rank-bm25's BM25Okapi: idf 0 at half the passages, a positive floor above half (why we use BM25+)."""
    corpus = [["half", "common"]] * 5 + [["common"]] * 4 + [["rare"]]
    corpus = [doc + [f"unique{i}"] for i, doc in enumerate(corpus)]
    okapi = BM25Okapi(corpus)
    assert okapi.idf["half"] == 0 < okapi.idf["common"]
    table = build_table(corpus)
    assert 0 < table.idf_of("common") < table.idf_of("half") < table.idf_of("rare")


def test_unknown_terms_score_nothing() -> None:
    """A term no passage holds adds nothing."""
    assert not build_table(CORPUS).scores({"zebra": 1.0}).any()


def test_empty_corpus_is_refused() -> None:
    """An empty corpus is refused instead of dividing by zero as rank-bm25 does."""
    with pytest.raises(ValueError):
        build_table([[], []])


def test_ranking_agrees_with_rank_bm25_on_a_zipfian_sample() -> None:
    """On a synthetic Zipfian corpus, passages holding a query rank as rank-bm25's BM25Plus ranks them."""
    rng = np.random.default_rng(3)
    vocabulary = [f"w{i}" for i in range(2000)]
    weights = 1 / np.arange(1, len(vocabulary) + 1) ** 1.05
    weights /= weights.sum()
    corpus = [list(rng.choice(vocabulary, size=rng.integers(4, 25), p=weights)) for _ in range(400)]
    params = Params()
    table = build_table(corpus, params)
    reference = BM25Plus(corpus, k1=params.k1, b=params.b, delta=params.delta)
    for _ in range(50):
        query = list(dict.fromkeys(rng.choice(vocabulary[:300], size=rng.integers(1, 5))))
        ours = table.scores({q: 1.0 for q in query})
        theirs = reference.get_scores(query)
        lacking = np.array(
            [sum(table.idf_of(q) * params.delta for q in query if q not in doc) for doc in corpus]
        )
        assert np.allclose(ours, theirs - lacking, atol=1e-4)
        holding_all = [i for i, doc in enumerate(corpus) if all(q in doc for q in query)]
        assert sorted(holding_all, key=lambda i: (-ours[i], i)) == sorted(
            holding_all, key=lambda i: (-theirs[i], i)
        )


def test_weight_of_a_term_in_one_passage_is_its_share_of_the_score() -> None:
    """weight(term, doc) times idf is the term's part of the passage's score; 0 where the term is absent."""
    table = build_table(CORPUS)
    for doc in range(len(CORPUS)):
        expected = table.scores({"nato": 1.0})[doc]
        assert table.weight("nato", doc) * table.idf_of("nato") == pytest.approx(expected, abs=1e-5)
        assert table.holds("nato", doc) == ("nato" in CORPUS[doc])
    assert table.weight("unknown", 0) == 0.0
