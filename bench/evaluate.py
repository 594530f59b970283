"""Answer quality of askbot's engine on real question sets, next to plain rank-bm25 in the same run.

    python bench/evaluate.py [--squad FILE] [--nato tests/data/nato_questions.jsonl]

Success for an answerable question: the top passage is the sentence holding the gold answer.
Prints top-1 and MRR@5 sentence accuracy, the share of unanswerable and off-topic questions
declined, the share of answerable ones wrongly declined, and the median time per question.
Off-topic questions are one set's questions asked of the other set's knowledge.

A SQuAD file of several articles (v1.1 or v2.0, e.g. the whole dev set) is measured article by
article, each article its own knowledge with its questions asked of the NATO article as
off-topic ones, then over all articles together (every question counts once); the NATO
questions' off-topic knowledge is the first article.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import statistics
import sys
import time
from dataclasses import dataclass, field, fields
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from askbot.answering.engine import Engine, Settings  # noqa: E402
from askbot.index.build import index_text  # noqa: E402


@dataclass(frozen=True)
class Question:
    text: str
    gold: tuple[tuple[int, int], ...]  # (paragraph, character offset) of each gold answer; () = unanswerable


@dataclass(frozen=True)
class QuestionSet:
    name: str
    paragraphs: list[str]
    questions: list[Question]

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def load_squad(path: Path) -> list[QuestionSet]:
    """One question set per article of a SQuAD v1.1/v2.0 file."""
    sets = []
    for article in json.loads(path.read_text(encoding="utf-8"))["data"]:
        paragraphs, questions = [], []
        for p, para in enumerate(article["paragraphs"]):
            paragraphs.append(" ".join(para["context"].split("\n")))
            for qa in para["qas"]:
                gold = () if qa.get("is_impossible") else tuple((p, a["answer_start"]) for a in qa["answers"])
                questions.append(Question(qa["question"], gold))
        sets.append(QuestionSet(article["title"], paragraphs, questions))
    return sets


def load_jsonl(path: Path, knowledge: Path) -> QuestionSet:
    """A project question set: {"question", "expected": substring of the answer sentence or null}."""
    lines = knowledge.read_text(encoding="utf-8").splitlines()
    paragraphs = [line for line in lines if line.strip()]
    questions = []
    for row in map(json.loads, path.read_text(encoding="utf-8").splitlines()):
        gold: tuple[tuple[int, int], ...] = ()
        if row["expected"]:
            gold = tuple(
                (p, para.index(row["expected"]))
                for p, para in enumerate(paragraphs)
                if row["expected"] in para
            )
        questions.append(Question(row["question"], gold))
    return QuestionSet(path.stem, paragraphs, questions)


def sentence_spans(paragraphs: list[str], texts: list[tuple[int, str]]) -> list[tuple[int, int, int]]:
    """(paragraph, start, end) of each passage text, found in order in its paragraph."""
    spans, cursor = [], {}
    for p, text in texts:
        start = paragraphs[p].index(text, cursor.get(p, 0))
        cursor[p] = start + len(text)
        spans.append((p, start, start + len(text)))
    return spans


def is_gold(span: tuple[int, int, int], question: Question) -> bool:
    p, start, end = span
    return any(gp == p and start <= offset < end for gp, offset in question.gold)


class AskbotSystem:
    name = "askbot"
    declines = True

    def __init__(self, qset: QuestionSet, settings: Settings):
        self.engine = Engine(index_text(qset.text, qset.name), settings)
        passages = self.engine.index.passages
        self.spans = sentence_spans(qset.paragraphs, [(p.paragraph, p.text) for p in passages])

    def ask(self, question: str) -> list[tuple[int, int, int]] | None:
        answer = self.engine.ask(question, top_k=5)
        if not answer.known:
            return None
        return [self.spans[h.position] for h in answer.hits]


class RankBm25Baseline:
    """rank-bm25's BM25Okapi, lowercase whitespace tokens, regex sentence split; never declines."""

    name = "rank-bm25 baseline"
    declines = False

    def __init__(self, qset: QuestionSet, settings: Settings):
        from rank_bm25 import BM25Okapi

        self.spans = []
        for p, para in enumerate(qset.paragraphs):
            for m in re.finditer(r"[^.!?]+[.!?]*", para):
                if m.group().strip():
                    self.spans.append((p, m.start(), m.end()))
        corpus = [qset.paragraphs[p][a:b].lower().split() for p, a, b in self.spans]
        self.model = BM25Okapi(corpus)

    def ask(self, question: str) -> list[tuple[int, int, int]] | None:
        import numpy as np

        scores = self.model.get_scores(question.lower().split())
        return [self.spans[i] for i in np.argsort(-scores, kind="stable")[:5]]


class Bm25sBaseline:
    """bm25s (Lucene scoring), English stopwords, Snowball stemmer, pysbd sentences; never declines.

    Needs `pip install bm25s pysbd` (PyStemmer comes with askbot); skipped when they are missing.
    """

    name = "bm25s baseline"
    declines = False

    def __init__(self, qset: QuestionSet, settings: Settings):
        import bm25s
        import pysbd
        import Stemmer

        segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
        self.spans = []
        for p, para in enumerate(qset.paragraphs):
            for s in segmenter.segment(para):
                if s.sent.strip():
                    self.spans.append((p, s.start, s.end))
        self.stemmer = Stemmer.Stemmer("english")
        texts = [qset.paragraphs[p][a:b] for p, a, b in self.spans]
        self.model = bm25s.BM25()
        self.model.index(bm25s.tokenize(texts, stopwords="en", stemmer=self.stemmer, show_progress=False))

    def ask(self, question: str) -> list[tuple[int, int, int]] | None:
        import bm25s

        tokens = bm25s.tokenize([question], stopwords="en", stemmer=self.stemmer, show_progress=False)
        k = min(5, len(self.spans))
        try:
            docs, _ = self.model.retrieve(tokens, k=k, show_progress=False)
        except ValueError:  # a question with no known token
            return [self.spans[i] for i in range(k)]
        return [self.spans[int(i)] for i in docs[0]]


@dataclass
class Result:
    """Counts from asking one system one question set; sums over several sets with +."""

    answerable: int = 0
    right: int = 0  # the top passage holds the gold answer
    reciprocal_ranks: float = 0.0  # sum of 1/rank of the gold passage within the top 5
    wrongly_declined: int = 0
    unanswerable: int = 0
    unanswerable_declined: int = 0
    off_topic: int = 0  # questions asked of the other set's knowledge
    off_topic_declined: int = 0
    seconds: list[float] = field(default_factory=list)  # time to answer each question

    def __add__(self, other: Result) -> Result:
        counts = {f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        return Result(**counts)  # the seconds lists are concatenated by + too

    def rates(self) -> dict[str, float]:
        """top1, mrr5, wrongly_declined, unanswerable_declined, offtopic_declined and median_ms."""

        def share(part: float, whole: int) -> float:
            return part / whole if whole else float("nan")

        return {
            "top1": share(self.right, self.answerable),
            "mrr5": share(self.reciprocal_ranks, self.answerable),
            "wrongly_declined": share(self.wrongly_declined, self.answerable),
            "unanswerable_declined": share(self.unanswerable_declined, self.unanswerable),
            "offtopic_declined": share(self.off_topic_declined, self.off_topic),
            "median_ms": 1000 * statistics.median(self.seconds) if self.seconds else float("nan"),
        }


def evaluate(
    system_type: type,
    own: QuestionSet,
    other: QuestionSet,
    settings: Settings,
    answerable_only: bool = False,
) -> Result:
    """Ask `own`'s questions of its own knowledge, then of `other`'s (where all are off-topic).

    With `answerable_only`, only the answerable questions, of their own knowledge.
    """
    system = system_type(own, settings)
    result = Result()
    for q in own.questions:
        if answerable_only and not q.gold:
            continue
        t0 = time.perf_counter()
        spans = system.ask(q.text)
        result.seconds.append(time.perf_counter() - t0)
        if not q.gold:
            result.unanswerable += 1
            result.unanswerable_declined += spans is None
            continue
        result.answerable += 1
        if spans is None:
            result.wrongly_declined += 1
            continue
        for rank, span in enumerate(spans[:5], 1):
            if is_gold(span, q):
                result.right += rank == 1
                result.reciprocal_ranks += 1 / rank
                break
    if answerable_only:
        return result
    off = AskbotSystem(other, settings) if system_type is AskbotSystem else system_type(other, settings)
    for q in own.questions:
        result.off_topic += 1
        result.off_topic_declined += off.ask(q.text) is None
    return result


def add_question_set_arguments(parser: argparse.ArgumentParser) -> None:
    """--squad, --nato and --knowledge: the two question sets every quality benchmark compares on."""
    parser.add_argument("--squad", type=Path, default=ROOT.parent / "shared/data/squad-rhine.json")
    parser.add_argument("--nato", type=Path, default=ROOT / "tests/data/nato_questions.jsonl")
    parser.add_argument("--knowledge", type=Path, default=ROOT / "knowledge/nato-mission-iraq.txt")


def load_question_sets(args: argparse.Namespace) -> tuple[list[QuestionSet], QuestionSet]:
    """Every article of the SQuAD file, and the NATO set, named by add_question_set_arguments' options."""
    return load_squad(args.squad), load_jsonl(args.nato, args.knowledge)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_question_set_arguments(parser)
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="override a Setting")
    args = parser.parse_args()
    overrides = {k: float(v) for k, v in (s.split("=") for s in args.set)}
    settings = Settings(**overrides)  # type: ignore[arg-type]

    articles, nato = load_question_sets(args)
    print(
        f"{'set':<28}{'system':<20}{'top1':>6}{'mrr5':>6}{'wrong-decl':>11}"
        f"{'unans-decl':>11}{'offtopic-decl':>14}{'ms/q':>7}"
    )
    systems: list[type] = [RankBm25Baseline, AskbotSystem]
    if importlib.util.find_spec("bm25s") and importlib.util.find_spec("pysbd"):
        systems.insert(1, Bm25sBaseline)
    else:
        print("(bm25s baseline skipped: pip install bm25s pysbd)")
    totals = {system: Result() for system in systems}
    for article in articles:
        for system in systems:
            result = evaluate(system, article, nato, settings)
            totals[system] += result
            print_row(article.name, system, result)
    if len(articles) > 1:
        for system in systems:
            print_row(f"all {len(articles)} articles", system, totals[system])
    for system in systems:
        print_row(nato.name, system, evaluate(system, nato, articles[0], settings))


def print_row(name: str, system: type, result: Result) -> None:
    r = result.rates()
    label = f"{name[:20]} ({result.answerable})"
    keys = ("wrongly_declined", "unanswerable_declined", "offtopic_declined")
    wrong, unanswerable, off_topic = (f"{r[k]:.3f}" if system.declines else "–" for k in keys)
    print(
        f"{label:<28}{system.name:<20}{r['top1']:6.3f}{r['mrr5']:6.3f}"
        f"{wrong:>11}{unanswerable:>11}{off_topic:>14}{r['median_ms']:7.2f}",
        flush=True,
    )


if __name__ == "__main__":
    main()
