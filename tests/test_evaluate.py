"""bench/evaluate.py, the tool behind every quality figure, counts what it claims to count."""

from __future__ import annotations

import json
import math
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import bench_module

RIVERS = (
    "The Foo River rises in the Grey Mountains. It is 300 km long.\n"
    "The city of Barton stands on the Foo River. Barton was founded in 1820 by Anna Vale."
)
LAKES = "Lake Quill is the deepest lake in Norland. Its water is very cold all year."


@pytest.fixture(scope="module")
def ev() -> ModuleType:
    return bench_module("evaluate")


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
    """Right answers, declined impossible and off-topic questions are each counted once."""
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
    records = ev.evaluate(ev.AskbotSystem, own, other, ev.Settings())
    assert sorted(r.kind for r in records) == ["answerable", "answerable", "impossible", "off-topic"]
    summary = ev.summarise(records)
    assert (summary.answerable, summary.top1, summary.wrongly_declined) == (2, 1.0, 0.0)
    assert summary.impossible_declined == 1.0 and summary.off_topic_declined == 1.0
    assert summary.mrr5 == 1.0
    assert all(0.0 <= r.confidence <= 1.0 for r in records)


def test_answerable_only_skips_unanswerable_and_off_topic_questions(ev: ModuleType, tmp_path: Path) -> None:
    """With answerable_only, neither unanswerable nor off-topic questions are asked."""
    rivers = article("Rivers", RIVERS, [("Who founded Barton?", "Anna Vale"), ("Who owns Foo?", None)])
    lakes = article("Lakes", LAKES, [("Which lake is the deepest in Norland?", "Lake Quill")])
    own, other = ev.load_squad(squad_file(tmp_path, rivers, lakes))
    records = ev.evaluate(ev.AskbotSystem, own, other, ev.Settings(), answerable_only=True)
    assert [r.kind for r in records] == ["answerable"]
    assert math.isnan(ev.summarise(records).off_topic_declined)


def test_summaries_weigh_every_question_once(ev: ModuleType) -> None:
    """Records of several sets summed: each question counts once, declined answers are not right."""

    def record(kind: str, declined: bool, rank: int) -> object:
        return ev.Record(kind, declined, rank, 0.5, 0.001)

    small = [record("answerable", False, 1), record("answerable", False, 1)]
    large = [record("answerable", False, 1)] * 4 + [record("answerable", False, 2)] * 3
    large += [record("answerable", True, 1), record("off-topic", True, 0), record("plausible", False, 0)]
    summary = ev.summarise(small + large)
    assert summary.answerable == 10
    assert summary.top1 == pytest.approx(0.6)
    assert summary.ranked_top1 == pytest.approx(0.7)
    assert summary.wrongly_declined == pytest.approx(0.1)
    assert summary.answered_right == pytest.approx(6 / 10)  # 9 answerable and 1 plausible answered
    assert summary.off_topic_declined == 1.0


def test_the_baseline_ranks_and_never_declines(ev: ModuleType, tmp_path: Path) -> None:
    """rank-bm25 on whitespace tokens answers every question, off-topic ones included."""
    rivers = article("Rivers", RIVERS, [("Barton was founded by whom?", "Anna Vale")])
    lakes = article("Lakes", LAKES, [("Which lake is the deepest in Norland?", "Lake Quill")])
    own, other = ev.load_squad(squad_file(tmp_path, rivers, lakes))
    summary = ev.summarise(ev.evaluate(ev.RankBm25Baseline, own, other, ev.Settings()))
    assert (summary.answerable, summary.top1) == (1, 1.0)
    assert summary.off_topic_declined == 0.0


def test_typed_question_is_right_when_the_passage_holds_an_expected_substring(ev: ModuleType) -> None:
    """Typed sets name their answer by a substring of the answering sentence, whitespace aside."""
    question = ev.Question("who founded barton", expected=("founded in 1820 by Anna Vale",))
    assert ev.holds_answer(question, "Barton was founded in\n1820 by  Anna Vale.", None)
    assert not ev.holds_answer(question, "The city of Barton stands on the Foo River.", None)


def test_calibration_error_is_zero_when_confidence_matches_the_share_right(ev: ModuleType) -> None:
    """ECE is the question-weighted gap between confidence and share right in each bin."""
    assert ev.ece([0.75] * 4, [True, True, True, False]) == pytest.approx(0.0)
    assert ev.ece([0.9] * 2 + [0.1] * 2, [False, False, True, True]) == pytest.approx(0.9)
    table = ev.reliability_table([0.75] * 4, [True, True, True, False])
    assert "0.7-0.8" in table and "ECE 0.000 over 4 questions" in table
