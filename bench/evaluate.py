"""Answer quality of askbot next to plain rank-bm25 and bm25s, on question sets askbot was not tuned on.

    python bench/evaluate.py [--squad FILE ...] [--typed FOLDER --split dev|heldout] [--nato FILE]
                             [--plot bench/out/reliability.svg] [--set NAME=VALUE]

Success for an answerable question: the top passage is the sentence holding the gold answer (SQuAD), or
holds one of the expected substrings (the project's own sets).  For each set it prints top-1 (a declined
question counts as wrong), the top-1 of the ranking alone, MRR@5, the share of answerable questions
wrongly declined, of unanswerable (plausible) and off-topic questions declined, the share of given
answers that are right, the calibration error (ECE, 10 bins) of askbot's confidence, and its reliability
table; it writes a reliability plot.  Off-topic questions are another set's questions asked of this
set's knowledge.

SQuAD 2.0's impossible questions are adversarial rewrites of answerable ones ("What did the Normans never
do?") and are reported apart from the typed sets' plausible unanswerable questions; neither calibration
nor the fit uses them.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1] / "src")]

from askbot.analysis.text import Analyzer  # noqa: E402
from askbot.answering.engine import Answer, Engine, Settings  # noqa: E402
from askbot.documents.passages import read_document  # noqa: E402
from askbot.documents.walk import Document  # noqa: E402
from askbot.index.build import Index, analyse_file, build_index, index_text  # noqa: E402
from qsets import (  # noqa: E402
    ROOT,
    SHARED,
    TYPED,
    Question,
    QuestionSet,
    holds_answer,
    load_jsonl,
    load_squad,
    load_typed,
    merge,
)
from reliability import ece, reliability_table, write_plot  # noqa: E402

__all__ = ["Question", "QuestionSet", "ece", "holds_answer", "load_jsonl", "load_squad", "load_typed"]

Span = tuple[int, int, int]  # (paragraph, start, end) in the set's paragraphs


@dataclass(frozen=True)
class Reply:
    """What a system returned: its passages best first (text, span when known), and whether it declined."""

    passages: list[tuple[str, Span | None]]
    declined: bool = False
    confidence: float = math.nan


@dataclass(frozen=True)
class Record:
    """One question asked of one system."""

    kind: str  # "answerable", "plausible" (typed unanswerable), "impossible" (SQuAD 2.0), "off-topic"
    declined: bool
    rank: int  # 1-based rank of the first passage that answers within the top 5; 0 when none does
    confidence: float  # nan for systems that have none
    seconds: float

    @property
    def right(self) -> bool:
        """Answered, with the right passage first."""
        return not self.declined and self.rank == 1


def index_of(qset: QuestionSet) -> Index:
    """askbot's index of a set: its documents through askbot's readers, or its paragraphs as text."""
    if not qset.files:
        return index_text(qset.text, qset.name)
    files = []
    for path in qset.files:
        contents = read_document(Document(path, path.name))
        files.append(analyse_file(path.name, contents.passages, Analyzer(language=contents.language)))
    return build_index(files)


def sentence_spans(paragraphs: list[str], texts: list[tuple[int, str]]) -> list[Span]:
    """(paragraph, start, end) of each passage text, found in order in its paragraph."""
    spans, cursor = [], {}
    for p, text in texts:
        start = paragraphs[p].index(text, cursor.get(p, 0))
        cursor[p] = start + len(text)
        spans.append((p, start, start + len(text)))
    return spans


class AskbotSystem:
    """askbot's engine; it declines below `settings.min_confidence`."""

    name = "askbot"
    declines = True

    def __init__(self, qset: QuestionSet, settings: Settings, engine: Engine | None = None):
        self.threshold = settings.min_confidence
        self.engine = engine or Engine(index_of(qset), replace(settings, min_confidence=0.0))
        passages = self.engine.index.passages
        self.spans: list[Span | None] = [None] * len(passages)
        if not qset.files:
            self.spans = list(sentence_spans(qset.paragraphs, [(p.paragraph, p.text) for p in passages]))

    def answer(self, question: str) -> Answer:
        return self.engine.ask(question, top_k=5)

    def ask(self, question: str) -> Reply:
        answer = self.answer(question)
        declined = not answer.known or answer.confidence < self.threshold
        passages = [(h.passage.text, self.spans[h.position]) for h in answer.hits]
        return Reply(passages, declined, answer.confidence)


class RankBm25Baseline:
    """rank-bm25's BM25Okapi, lowercase whitespace tokens, regex sentence split; never declines."""

    name = "rank-bm25"
    declines = False

    def __init__(self, qset: QuestionSet, settings: Settings):
        from rank_bm25 import BM25Okapi

        self.paragraphs = qset.paragraphs
        self.spans: list[Span] = []
        for p, para in enumerate(qset.paragraphs):
            for m in re.finditer(r"[^.!?]+[.!?]*", para):
                if m.group().strip():
                    self.spans.append((p, m.start(), m.end()))
        self.model = BM25Okapi([self._text(s).lower().split() or [""] for s in self.spans])

    def _text(self, span: Span) -> str:
        p, a, b = span
        return self.paragraphs[p][a:b]

    def ask(self, question: str) -> Reply:
        import numpy as np

        scores = self.model.get_scores(question.lower().split())
        return Reply(
            [(self._text(self.spans[i]), self.spans[i]) for i in np.argsort(-scores, kind="stable")[:5]]
        )


class Bm25sBaseline(RankBm25Baseline):
    """bm25s (Lucene scoring), English stopwords, Snowball stemmer, pysbd sentences; never declines.

    Needs `pip install bm25s pysbd` (PyStemmer comes with askbot); skipped when they are missing.
    """

    name = "bm25s"

    def __init__(self, qset: QuestionSet, settings: Settings):
        import bm25s
        import pysbd
        import Stemmer

        segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
        self.paragraphs = qset.paragraphs
        self.spans = []
        for p, para in enumerate(qset.paragraphs):
            for s in segmenter.segment(para):
                if s.sent.strip():
                    self.spans.append((p, s.start, s.end))
        self.stemmer = Stemmer.Stemmer("english")
        texts = [self._text(s) for s in self.spans]
        self.model = bm25s.BM25()
        self.model.index(bm25s.tokenize(texts, stopwords="en", stemmer=self.stemmer, show_progress=False))

    def ask(self, question: str) -> Reply:
        import bm25s

        tokens = bm25s.tokenize([question], stopwords="en", stemmer=self.stemmer, show_progress=False)
        k = min(5, len(self.spans))
        try:
            docs, _ = self.model.retrieve(tokens, k=k, show_progress=False)
        except ValueError:  # a question with no known token
            return Reply([(self._text(s), s) for s in self.spans[:k]])
        return Reply([(self._text(self.spans[int(i)]), self.spans[int(i)]) for i in docs[0]])


System = Callable[[QuestionSet, Settings], "AskbotSystem | RankBm25Baseline"]


def kind_of(question: Question, typed: bool) -> str:
    if question.answerable:
        return "answerable"
    return "plausible" if typed else "impossible"


def ask_all(
    system: AskbotSystem | RankBm25Baseline, questions: Sequence[Question], kind: str | None, typed: bool
) -> list[Record]:
    """Ask every question; `kind` forces the kind (off-topic), else each question's own."""
    records = []
    for q in questions:
        t0 = time.perf_counter()
        reply = system.ask(q.text)
        seconds = time.perf_counter() - t0
        rank = 0
        if kind is None and q.answerable:
            rank = next(
                (n for n, (text, span) in enumerate(reply.passages[:5], 1) if holds_answer(q, text, span)), 0
            )
        records.append(Record(kind or kind_of(q, typed), reply.declined, rank, reply.confidence, seconds))
    return records


def evaluate(
    system_type: type,
    own: QuestionSet,
    other: QuestionSet | None,
    settings: Settings,
    answerable_only: bool = False,
) -> list[Record]:
    """Ask `own`'s questions of its own knowledge, then `other`'s questions of it (all off-topic)."""
    typed = own.typed
    system = system_type(own, settings)
    questions = [q for q in own.questions if q.answerable or not answerable_only]
    records = ask_all(system, questions, None, typed)
    if other is not None and not answerable_only:
        records += ask_all(system, other.questions, "off-topic", typed)
    return records


@dataclass(frozen=True)
class Summary:
    """The figures of one set for one system."""

    answerable: int
    top1: float  # right first passage and answered, over answerable questions
    ranked_top1: float  # right first passage, declined or not
    mrr5: float
    wrongly_declined: float
    plausible_declined: float
    impossible_declined: float
    off_topic_declined: float
    answered_right: float  # of the answers given to the set's own questions, the share that is right
    ece: float  # over the set's own answerable and plausible questions and the off-topic ones
    median_ms: float


def summarise(records: Sequence[Record]) -> Summary:
    def share(part: float, whole: int) -> float:
        return part / whole if whole else math.nan

    answerable = [r for r in records if r.kind == "answerable"]
    by_kind = {k: [r for r in records if r.kind == k] for k in ("plausible", "impossible", "off-topic")}
    given = [r for r in records if r.kind in ("answerable", "plausible") and not r.declined]
    calibrated = [r for r in records if r.kind != "impossible" and not math.isnan(r.confidence)]
    return Summary(
        answerable=len(answerable),
        top1=share(sum(r.right for r in answerable), len(answerable)),
        ranked_top1=share(sum(r.rank == 1 for r in answerable), len(answerable)),
        mrr5=share(sum(1 / r.rank for r in answerable if r.rank), len(answerable)),
        wrongly_declined=share(sum(r.declined for r in answerable), len(answerable)),
        plausible_declined=share(sum(r.declined for r in by_kind["plausible"]), len(by_kind["plausible"])),
        impossible_declined=share(sum(r.declined for r in by_kind["impossible"]), len(by_kind["impossible"])),
        off_topic_declined=share(sum(r.declined for r in by_kind["off-topic"]), len(by_kind["off-topic"])),
        answered_right=share(sum(r.right for r in given), len(given)),
        ece=ece([r.confidence for r in calibrated], [r.right for r in calibrated])
        if calibrated
        else math.nan,
        median_ms=1000 * statistics.median(r.seconds for r in records) if records else math.nan,
    )


_COLUMNS = (
    ("top1", "top1"),
    ("ranked_top1", "rank1"),
    ("mrr5", "mrr5"),
    ("wrongly_declined", "wrong-decl"),
    ("plausible_declined", "plaus-decl"),
    ("impossible_declined", "imposs-decl"),
    ("off_topic_declined", "offtopic-decl"),
    ("answered_right", "given-right"),
    ("ece", "ECE"),
    ("median_ms", "ms/q"),
)


def header() -> str:
    return f"{'set':<30}{'system':<11}" + "".join(f"{title:>14}" for _, title in _COLUMNS)


def row(name: str, system: type, records: Sequence[Record]) -> str:
    s = summarise(records)
    cells = []
    for key, _ in _COLUMNS:
        value = getattr(s, key)
        missing = not system.declines and key not in ("top1", "ranked_top1", "mrr5", "median_ms")
        cells.append(
            "–" if missing or math.isnan(value) else f"{value:.3f}" if key != "median_ms" else f"{value:.2f}"
        )
    return f"{f'{name[:22]} ({s.answerable})':<30}{system.name:<11}" + "".join(f"{c:>14}" for c in cells)


def systems_available() -> list[type]:
    systems: list[type] = [RankBm25Baseline, AskbotSystem]
    if importlib.util.find_spec("bm25s") and importlib.util.find_spec("pysbd"):
        systems.insert(1, Bm25sBaseline)
    else:
        print("(bm25s baseline skipped: pip install bm25s pysbd)")
    return systems


def add_question_set_arguments(parser: argparse.ArgumentParser) -> None:
    """--squad, --typed, --split and --nato: the question sets every quality benchmark compares on."""
    parser.add_argument(
        "--squad", type=Path, action="append", help="a SQuAD file (default: the 12 dev articles)"
    )
    parser.add_argument("--typed", type=Path, default=TYPED, help="a typed question set folder")
    parser.add_argument("--split", default="dev", help="the typed set's split: dev or heldout")
    parser.add_argument("--nato", type=Path, default=ROOT / "tests/data/nato_questions.jsonl")
    parser.add_argument("--knowledge", type=Path, default=ROOT / "knowledge/nato-mission-iraq.txt")


def load_question_sets(args: argparse.Namespace) -> tuple[list[QuestionSet], list[QuestionSet], QuestionSet]:
    """The SQuAD articles, the typed set's documents (one split), and the NATO set."""
    files = args.squad or [SHARED / "squad-rhine.json", SHARED / "squad-dev.json"]
    articles = [a for f in files for a in load_squad(f)]
    typed = load_typed(args.typed, args.split) if (args.typed / "questions.jsonl").exists() else []
    return articles, typed, load_jsonl(args.nato, args.knowledge)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_question_set_arguments(parser)
    parser.add_argument("--plot", type=Path, default=ROOT / "bench/out/reliability.svg")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="override a Setting")
    args = parser.parse_args()
    settings = Settings(**{k: float(v) for k, v in (s.split("=") for s in args.set)})  # type: ignore[arg-type]

    articles, typed, nato = load_question_sets(args)
    systems = systems_available()
    print(header())
    curves: dict[str, list[Record]] = {}
    totals: dict[type, list[Record]] = {s: [] for s in systems}
    for n, article in enumerate(articles):
        other = articles[(n + 1) % len(articles)] if len(articles) > 1 else nato
        for system in systems:
            records = evaluate(system, article, other, settings)
            totals[system] += records
            print(row(article.name, system, records), flush=True)
    if articles:
        for system in systems:
            print(row(f"all {len(articles)} articles", system, totals[system]))
        curves["articles"] = totals[AskbotSystem]
    if typed:
        typed_totals: dict[type, list[Record]] = {s: [] for s in systems}
        for n, document in enumerate(typed):
            for system in systems:
                typed_totals[system] += evaluate(system, document, typed[(n + 1) % len(typed)], settings)
        for system in systems:
            print(
                row(f"typed {args.split}, {len(typed)} documents", system, typed_totals[system]), flush=True
            )
        curves[f"typed {args.split}"] = typed_totals[AskbotSystem]
        folder = merge(f"typed {args.split} folder", typed)
        for system in systems:
            print(row(folder.name, system, evaluate(system, folder, None, settings)), flush=True)
    for system in systems:
        records = evaluate(system, nato, articles[0] if articles else None, settings)
        print(row(nato.name, system, records))
        if system is AskbotSystem:
            curves["NATO"] = records
    for name, records in curves.items():
        shown = [r for r in records if r.kind != "impossible"]
        print(
            f"\nreliability of askbot's confidence, {name} (answerable, plausible and off-topic questions):"
        )
        print(reliability_table([r.confidence for r in shown], [r.right for r in shown]))
    args.plot.parent.mkdir(parents=True, exist_ok=True)
    write_plot(
        args.plot,
        {
            name: (
                [r.confidence for r in rs if r.kind != "impossible"],
                [r.right for r in rs if r.kind != "impossible"],
            )
            for name, rs in curves.items()
        },
    )
    print(f"\nreliability plot: {args.plot}")


if __name__ == "__main__":
    main()
