"""bench/evaluate.py, the tool behind every quality figure, counts what it claims to count."""

from __future__ import annotations

import importlib.util
import json
import math
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import ROOT

RIVERS = (
    "The Foo River rises in the Grey Mountains. It is 300 km long.\n"
    "The city of Barton stands on the Foo River. Barton was founded in 1820 by Anna Vale."
)
LAKES = "Lake Quill is the deepest lake in Norland. Its water is very cold all year."


@pytest.fixture(scope="module")
def ev() -> ModuleType:
    spec = importlib.util.spec_from_file_location("evaluate", ROOT / "bench" / "evaluate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["evaluate"] = module  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


def article(title: str, text: str, qas: list[tuple[str, str | None]]) -> dict[str, object]:
    """A SQuAD 2.0 article, one paragraph per line; an answer of None makes the question unanswerable."""
    paragraphs = []
    for n, context in enumerate(text.split("\n")):
        rows = []
        for question, answer in qas:
            if answer is None:
                if n == 0:
                    rows.append({"question": question, "id": question, "answers": [], "is_impossible": True})
            elif answer in context:
                start = context.index(answer)
                rows.append(
                    {
                        "question": question,
                        "id": question,
                        "answers": [{"text": answer, "answer_start": start}],
                        "is_impossible": False,
                    }
                )
        paragraphs.append({"context": context, "qas": rows})
    return {"title": title, "paragraphs": paragraphs}


def squad_file(tmp_path: Path, *articles: dict[str, object]) -> Path:
    path = tmp_path / "squad.json"
    path.write_text(json.dumps({"version": "v2.0", "data": list(articles)}), encoding="utf-8")
    return path


def test_every_article_of_a_squad_file_is_a_question_set(ev: ModuleType, tmp_path: Path) -> None:
    """Each article keeps its paragraphs, and each answer its paragraph and offset; unanswerable ones none."""
    rivers = article("Rivers", RIVERS, [("How long is the Foo River?", "300 km"), ("Who owns Foo?", None)])
    lakes = article("Lakes", LAKES, [("Which lake is the deepest in Norland?", "Lake Quill")])
    sets = ev.load_squad(squad_file(tmp_path, rivers, lakes))
    assert [s.name for s in sets] == ["Rivers", "Lakes"]
    assert sets[0].paragraphs == RIVERS.split("\n")
    first = sets[0].questions[0]
    assert first.gold == ((0, RIVERS.index("300 km")),)
    assert sets[0].questions[1].gold == ()
    assert sets[1].questions[0].gold == ((0, 0),)


def test_askbot_is_scored_on_the_sentence_that_holds_the_answer(ev: ModuleType, tmp_path: Path) -> None:
    """Right answers, declined unanswerable and off-topic questions are each counted once."""
    rivers = article(
        "Rivers",
        RIVERS,
        [
            ("Where does the Foo River rise?", "Grey Mountains"),
            ("Who founded Barton?", "Anna Vale"),
            ("What is the population of Jupiter's moons?", None),
        ],
    )
    lakes = article("Lakes", LAKES, [("Which lake is the deepest in Norland?", "Lake Quill")])
    own, other = ev.load_squad(squad_file(tmp_path, rivers, lakes))
    result = ev.evaluate(ev.AskbotSystem, own, other, ev.Settings())
    assert (result.answerable, result.right, result.wrongly_declined) == (2, 2, 0)
    assert (result.unanswerable, result.unanswerable_declined) == (1, 1)
    assert (result.off_topic, result.off_topic_declined) == (3, 3)
    assert result.rates()["top1"] == 1.0
    assert result.rates()["mrr5"] == 1.0
    assert len(result.seconds) == 3


def test_answerable_only_skips_unanswerable_and_off_topic_questions(ev: ModuleType, tmp_path: Path) -> None:
    rivers = article("Rivers", RIVERS, [("Who founded Barton?", "Anna Vale"), ("Who owns Foo?", None)])
    lakes = article("Lakes", LAKES, [("Which lake is the deepest in Norland?", "Lake Quill")])
    own, other = ev.load_squad(squad_file(tmp_path, rivers, lakes))
    result = ev.evaluate(ev.AskbotSystem, own, other, ev.Settings(), answerable_only=True)
    assert (result.answerable, result.unanswerable, result.off_topic) == (1, 0, 0)
    assert math.isnan(result.rates()["offtopic_declined"])


def test_results_of_several_articles_add_up_question_by_question(ev: ModuleType) -> None:
    """The "all articles" row weighs every question once, not every article."""
    small = ev.Result(answerable=2, right=2, reciprocal_ranks=2.0, seconds=[0.001, 0.001])
    large = ev.Result(answerable=8, right=4, reciprocal_ranks=5.0, wrongly_declined=1, seconds=[0.003] * 8)
    total = small + large
    assert (total.answerable, total.right, total.wrongly_declined) == (10, 6, 1)
    assert total.rates()["top1"] == pytest.approx(0.6)
    assert total.rates()["mrr5"] == pytest.approx(0.7)
    assert total.rates()["median_ms"] == pytest.approx(3.0)
    assert math.isnan(ev.Result().rates()["top1"])


def test_the_baseline_ranks_and_never_declines(ev: ModuleType, tmp_path: Path) -> None:
    """rank-bm25 on whitespace tokens answers every question, off-topic ones included."""
    rivers = article("Rivers", RIVERS, [("Barton was founded by whom?", "Anna Vale")])
    lakes = article("Lakes", LAKES, [("Which lake is the deepest in Norland?", "Lake Quill")])
    own, other = ev.load_squad(squad_file(tmp_path, rivers, lakes))
    result = ev.evaluate(ev.RankBm25Baseline, own, other, ev.Settings())
    assert (result.answerable, result.right) == (1, 1)
    assert (result.off_topic, result.off_topic_declined) == (1, 0)
