"""What dynamic pruning (MaxScore, WAND, block-max) could skip on askbot's questions, measured.

    .venv/bin/python bench/pruning.py --sizes 100k,1M             # corpora and caches from scale.py
    .venv/bin/python bench/pruning.py --sizes 100k --depths 5,61

Top-k engines skip the postings of a term that cannot lift a document into the best k: once the
k-th best score found (the threshold) exceeds the sum of the upper bounds of some terms, documents
holding only those terms are never scored (MaxScore); WAND and block-max WAND tighten the same
test per document and per block of postings. For each question this prints the share of its
postings that MaxScore could skip, with two upper bounds per term:
- crude: BM25+'s tf part never reaches delta + k1 + 1, all a term knows without extra data;
- exact: the term's true largest contribution to any candidate's score (the best a block-max
  index can approach, as blocks shrink to one document).
A candidate's score is askbot's: BM25 of the sentence, 0.2 of its neighbours' and 0.2 of its
paragraph's, so a term's bound is its sentence bound times 1.4 plus 0.2 times its paragraph bound.
The threshold is the exact depth-th best score (`rank`), which a real engine only approaches.
`depth` 5 is what bm25s's retrieve(k=5) returns; askbot's engine re-ranks its best 60 (the
expected-answer bonus on 50, shared names on 10), so exact answers need a depth of at least 61.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from corpus import DEFAULT_WORKDIR, CorpusSpec, make_queries, parse_size, size_label

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from askbot.answering.engine import Engine  # noqa: E402
from askbot.answering.query import question_query  # noqa: E402
from askbot.answering.ranking import rank  # noqa: E402
from askbot.index.build import Index  # noqa: E402
from askbot.index.store import load_index  # noqa: E402

NEIGHBOUR, PARAGRAPH = 0.2, 0.2


def term_bounds(index: Index, weights: Mapping[str, float]) -> tuple[dict[str, float], dict[str, float]]:
    """Each term's crude and exact upper bound on what it adds to a candidate's score."""
    params = index.params
    ceiling = params.delta + params.k1 + 1
    crude, exact = {}, {}
    for term, weight in weights.items():
        sentence = index.sentences.matches({term: weight}).scores
        paragraph = index.paragraphs.matches({term: weight}).scores
        if not len(sentence):
            continue
        idf_s, idf_p = index.sentences.idf_of(term), index.paragraphs.idf_of(term)
        crude[term] = weight * ceiling * (idf_s * (1 + 2 * NEIGHBOUR) + PARAGRAPH * idf_p)
        exact[term] = float(sentence.max()) * (1 + 2 * NEIGHBOUR) + PARAGRAPH * float(paragraph.max())
    return crude, exact


def skipped_share(bounds: Mapping[str, float], sizes: Mapping[str, int], threshold: float) -> float:
    """The share of postings MaxScore skips: those of the terms whose bounds, smallest first, add
    up to less than the threshold."""
    below, skipped = 0.0, 0
    for term in sorted(bounds, key=lambda t: bounds[t]):
        if below + bounds[term] >= threshold:
            break
        below += bounds[term]
        skipped += sizes[term]
    total = sum(sizes[t] for t in bounds)
    return skipped / total if total else 0.0


def measure(size: int, depths: Sequence[int], count: int, workdir: Path) -> list[str]:
    """Markdown rows for one corpus size."""
    spec = CorpusSpec(size)
    folder = workdir / spec.dirname
    cache = workdir / f"run-{size_label(size)}-s{spec.seed}" / "askbot-cache"
    index = load_index(folder, cache if cache.exists() else None, merge_in_background=False)
    engine = Engine(index)
    analyzers = tuple(engine._analyzers.values())  # noqa: SLF001 - the engine's own analysers
    shares: dict[tuple[int, str], list[float]] = {}
    for question in make_queries(spec, count, seed=spec.seed + 1):
        weights = question_query(question, index, analyzers).weights()
        if not weights:
            continue
        crude, exact = term_bounds(index, weights)
        sizes = {t: index.sentences.doc_freq(t) for t in crude}
        scores = np.sort(rank(index, weights, NEIGHBOUR, PARAGRAPH).scores)[::-1]
        for depth in depths:
            threshold = float(scores[depth - 1]) if len(scores) >= depth else 0.0
            for name, bounds in (("crude", crude), ("exact", exact)):
                shares.setdefault((depth, name), []).append(skipped_share(bounds, sizes, threshold))
    rows = []
    for (depth, name), values in sorted(shares.items()):
        some = sum(v > 0 for v in values) / len(values)
        rows.append(
            f"| {size_label(size)} | {depth} | {name} | {100 * statistics.mean(values):.1f}% | "
            f"{100 * statistics.median(values):.1f}% | {100 * some:.0f}% |"
        )
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Print the table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100k,1M")
    parser.add_argument("--depths", default="5,61")
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    args = parser.parse_args(argv)
    depths = [int(d) for d in args.depths.split(",")]
    print("| passages | depth | bound | postings skipped, mean | median | questions skipping any |")
    print("|---|---|---|---|---|---|")
    for size in (parse_size(s) for s in args.sizes.split(",")):
        for row in measure(size, depths, args.questions, args.workdir):
            print(row, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
