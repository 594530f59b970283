"""Fit askbot's confidence model: the chance that the best passage answers, from the evidence features.

    python bench/calibrate.py [--squad FILE ...] [--typed FOLDER] [--out src/askbot/answering/confidence.json]

1. Asks every development question with the model switched off and records, for each, the evidence
   features of its best passage and whether that passage answers (off-topic questions never do).
   Rows: each SQuAD article's answerable questions and, as off-topic, the next article's questions; each
   typed dev document's answerable and plausible-unanswerable questions and, as off-topic, the next
   document's questions.  SQuAD 2.0's impossible questions are left out (see evaluate.py).
2. Cross-validates by group (a SQuAD article, or a typed document), so every figure it prints is for
   questions on text the model was fitted without: log-loss, ECE, and the decline rates at thresholds.
3. Fits the final model on every row and writes it as JSON: standardised logistic regression (L2,
   Newton's method in numpy), followed by isotonic corrections fitted on the held-out predictions:
   one for questions typed all in lower case (the evidence's `casual`), one for the others.

Seeded and deterministic: the same data gives the same file.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1] / "src")]

from askbot.answering.confidence import MODEL_PATH, Model  # noqa: E402
from askbot.answering.engine import Engine, Settings  # noqa: E402
from askbot.answering.evidence import FEATURES  # noqa: E402
from evaluate import AskbotSystem, add_question_set_arguments, index_of, load_question_sets  # noqa: E402
from qsets import SHARED, Question, QuestionSet, holds_answer, load_squad  # noqa: E402
from reliability import ece, reliability_table  # noqa: E402

Matrix = npt.NDArray[np.float64]
SEED = 2026
# Fewer casually typed questions than this, and they share the others' correction.
MIN_CASUAL_ROWS = 50


@dataclass(frozen=True)
class Row:
    group: str  # the fold it belongs to: an article or a typed document
    kind: str  # answerable, plausible, off-topic
    right: bool
    features: tuple[float, ...]
    question: str
    corpus: str  # "squad", "xquad" or "typed"

    @property
    def typed(self) -> bool:
        return self.corpus == "typed"


def collect(qset: QuestionSet, off_topic: Sequence[Question], corpus: str) -> list[Row]:
    """Rows for a set's own questions and, as off-topic, `off_topic` asked of its knowledge."""
    free = Model(FEATURES)  # a model that says 0.5 to everything: only the evidence is wanted here
    system = AskbotSystem(
        qset, Settings(), Engine(index_of(qset), replace(Settings(), min_confidence=0.0), free)
    )
    rows = []
    typed = qset.typed
    for n, q in enumerate(list(qset.questions) + list(off_topic)):
        own = n < len(qset.questions)
        if own and not q.answerable and not typed:
            continue  # SQuAD 2.0's impossible questions
        answer = system.answer(q.text)
        if answer.evidence is None:
            continue  # nothing to weigh: declined before ranking, confidence 0
        right = False
        if own and q.answerable and answer.hits:
            hit = answer.hits[0]
            right = holds_answer(q, hit.passage.text, system.spans[hit.position])
        kind = ("answerable" if q.answerable else "plausible") if own else "off-topic"
        group = qset.name if own else f"{qset.name}:off-topic"
        rows.append(Row(group, kind, right, tuple(answer.evidence.vector()), q.text, corpus))
    return rows


def gather_rows(args: argparse.Namespace) -> list[Row]:
    articles, typed, _ = load_question_sets(args)
    rows: list[Row] = []
    for n, article in enumerate(articles):
        rows += collect(article, articles[(n + 1) % len(articles)].questions, "squad")
    if args.xquad is not None:
        # XQuAD's English articles that are not among the SQuAD 2.0 ones: shorter knowledge, a few
        # paragraphs each, as a user's single document is.
        titles = {a.name for a in articles}
        short = [a for a in load_squad(args.xquad) if a.name not in titles]
        for n, article in enumerate(short):
            rows += collect(article, short[(n + 1) % len(short)].questions, "xquad")
    for n, document in enumerate(typed):
        rows += collect(document, typed[(n + 1) % len(typed)].questions, "typed")
    return rows


# ------------------------------------------------------------------------------------------- fitting


def standardise(x: Matrix) -> tuple[Matrix, Matrix]:
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    return mean, scale


def fit_logistic(x: Matrix, y: Matrix, w: Matrix, l2: float) -> tuple[Matrix, float]:
    """L2-regularised, row-weighted logistic regression on standardised x by Newton's method."""
    n, d = x.shape
    design = np.hstack([x, np.ones((n, 1))])
    beta = np.zeros(d + 1)
    penalty = np.full(d + 1, l2)
    penalty[-1] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-design @ beta))
        gradient = design.T @ (w * (p - y)) + penalty * beta
        hessian = design.T @ (design * (w * p * (1 - p))[:, None]) + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return beta[:-1], float(beta[-1])


def isotonic(p: Matrix, y: Matrix, w: Matrix) -> tuple[list[float], list[float]]:
    """Pool-adjacent-violators: a non-decreasing map from raw probability to share right, as steps.

    Each step's share counts half a right and half a wrong answer more than it saw, so no step says
    0% or 100%: a bin of a few hundred wrong answers shows a chance below 1%, not certainty.
    """

    def share(block: list[float]) -> float:
        return (block[0] + 0.5) / (block[1] + 1.0)

    order = np.argsort(p, kind="stable")
    blocks: list[list[float]] = []  # [weighted sum y, weight, min p, max p]
    for i in order:
        blocks.append([float(w[i] * y[i]), float(w[i]), float(p[i]), float(p[i])])
        while len(blocks) > 1 and share(blocks[-2]) >= share(blocks[-1]):
            s, c, lo, hi = blocks.pop()
            blocks[-1][0] += s
            blocks[-1][1] += c
            blocks[-1][3] = hi
    return [(b[2] + b[3]) / 2 for b in blocks], [share(b) for b in blocks]


def train(x: Matrix, y: Matrix, w: Matrix, l2: float, names: Sequence[str]) -> Model:
    mean, scale = standardise(x)
    weights, bias = fit_logistic((x - mean) / scale, y, w, l2)
    return Model(tuple(names), tuple(mean.tolist()), tuple(scale.tolist()), tuple(weights.tolist()), bias)


def predict(model: Model, x: Matrix, casual: npt.NDArray[np.bool_] | None = None) -> Matrix:
    """The model's probabilities (isotonic steps applied when it has them; a casual question's own)."""
    z = np.array([model.log_odds(row) for row in x.tolist()])
    raw = 1 / (1 + np.exp(-z))
    flags = casual if casual is not None else np.zeros(len(raw), bool)
    return np.array([model.correct(float(v), bool(c)) for v, c in zip(raw, flags, strict=True)])


@dataclass(frozen=True)
class Data:
    """The rows as arrays: features, outcomes, row weights and folds."""

    x: Matrix
    y: Matrix
    w: Matrix
    groups: npt.NDArray[np.str_]
    names: tuple[str, ...]  # the features, in x's column order
    casual: npt.NDArray[np.bool_]  # the question is typed all in lower case

    @classmethod
    def of(
        cls,
        rows: Sequence[Row],
        typed_weight: float,
        off_topic_weight: float,
        names: Sequence[str] = FEATURES,
    ) -> Data:
        columns = [FEATURES.index(n) for n in names]
        return cls(
            np.array([r.features for r in rows])[:, columns],
            np.array([float(r.right) for r in rows]),
            np.array(
                [
                    (typed_weight if r.typed else 1.0) * (off_topic_weight if r.kind == "off-topic" else 1.0)
                    for r in rows
                ]
            ),
            # Off-topic rows go with the article whose knowledge they were asked of.
            np.array([r.group.split(":")[0] for r in rows]),
            tuple(names),
            np.array([r.features[FEATURES.index("casual")] > 0.5 for r in rows], dtype=bool),
        )

    def take(self, mask: npt.NDArray[np.bool_]) -> Data:
        return Data(
            self.x[mask], self.y[mask], self.w[mask], self.groups[mask], self.names, self.casual[mask]
        )


def fit(data: Data, l2: float) -> Model:
    """Logistic regression on all rows, then isotonic steps fitted on its held-out predictions: for
    casually typed questions and for the others apart (the others' steps alone when too few are casual)."""
    model = train(data.x, data.y, data.w, l2, data.names)
    raw = held_out_raw(data, l2)
    casual = data.casual
    if casual.sum() < MIN_CASUAL_ROWS:
        casual = np.zeros(len(raw), bool)
    steps_x, steps_y = isotonic(raw[~casual], data.y[~casual], data.w[~casual])
    casual_x, casual_y = isotonic(raw[casual], data.y[casual], data.w[casual]) if casual.any() else ([], [])
    return replace(
        model,
        steps_x=tuple(steps_x),
        steps_y=tuple(steps_y),
        casual_x=tuple(casual_x),
        casual_y=tuple(casual_y),
    )


def held_out_raw(data: Data, l2: float) -> Matrix:
    """Each group's raw logistic predictions from a model fitted on the other groups."""
    raw = np.zeros(len(data.y))
    for group in sorted(set(data.groups.tolist())):
        test = data.groups == group
        raw[test] = predict(train(data.x[~test], data.y[~test], data.w[~test], l2, data.names), data.x[test])
    return raw


def cross_validate(data: Data, l2: float) -> Matrix:
    """Held-out predictions of the whole procedure (isotonic steps included), group by group."""
    out = np.zeros(len(data.y))
    for group in sorted(set(data.groups.tolist())):
        test = data.groups == group
        out[test] = predict(fit(data.take(~test), l2), data.x[test], data.casual[test])
    return out


def report(rows: Sequence[Row], p: Matrix) -> None:
    y = np.array([r.right for r in rows])
    kinds = np.array([r.kind for r in rows])
    eps = 1e-9
    loss = -np.mean(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps))
    print(f"held-out log-loss {loss:.4f}; ECE {ece(p.tolist(), y.tolist()):.4f} over {len(rows)} questions")
    print(reliability_table(p.tolist(), y.tolist()))
    print(
        f"\n{'threshold':>9}{'wrong-decl':>12}{'plaus-decl':>12}{'offtopic-decl':>15}{'given-right':>13}{'top1':>7}"
    )
    answerable = kinds == "answerable"
    for t in np.arange(0.1, 0.75, 0.05):
        declined = p < t
        given = ~declined & (kinds != "off-topic")
        cells = [
            declined[answerable].mean(),
            declined[kinds == "plausible"].mean() if (kinds == "plausible").any() else math.nan,
            declined[kinds == "off-topic"].mean(),
            y[given].mean() if given.any() else math.nan,
            (y & ~declined)[answerable].mean(),
        ]
        print(
            f"{t:9.2f}"
            + "".join(f"{c:>12.3f}" for c in cells[:2])
            + f"{cells[2]:>15.3f}{cells[3]:>13.3f}{cells[4]:>7.3f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_question_set_arguments(parser)
    parser.add_argument("--rows", type=Path, default=Path(__file__).parent / "out" / "calibration-rows.json")
    parser.add_argument("--reuse", action="store_true", help="reuse the rows saved by the last run")
    parser.add_argument("--xquad", type=Path, default=SHARED / "xquad" / "xquad.en.json")
    parser.add_argument("--l2", type=float, default=1.0)
    # Features that depend on the size and make of a knowledge (the score margin, passage counts, word
    # counts) ranked well within SQuAD but carried badly to short typed documents: only shares are kept.
    parser.add_argument(
        "--drop",
        nargs="*",
        default=[
            "size",
            "missing_words",
            "missing_names",
            "words",
            "margin",
            "specificity",
            "phrases",
            "casual",
        ],
        help="features to leave out of the model",
    )
    # Most questions people ask are about their documents: off-topic rows count less than on-topic ones.
    parser.add_argument("--off-topic-weight", type=float, default=0.3, help="weight of an off-topic row")
    parser.add_argument(
        "--typed-weight", type=float, default=10.0, help="weight of a typed row against a SQuAD row"
    )
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args()
    np.random.seed(SEED)

    if args.reuse and args.rows.exists():
        rows = [Row(r[0], r[1], r[2], tuple(r[3]), r[4], r[5]) for r in json.loads(args.rows.read_text())]
    else:
        rows = gather_rows(args)
        args.rows.parent.mkdir(parents=True, exist_ok=True)
        args.rows.write_text(
            json.dumps([[r.group, r.kind, r.right, r.features, r.question, r.corpus] for r in rows])
        )
    print(
        f"{len(rows)} rows: "
        + ", ".join(f"{k} {sum(r.kind == k for r in rows)}" for k in ("answerable", "plausible", "off-topic"))
    )
    names = [n for n in FEATURES if n not in args.drop]
    data = Data.of(rows, args.typed_weight, args.off_topic_weight, names)
    held_out = cross_validate(data, args.l2)
    corpus = np.array([r.corpus for r in rows])
    subsets = (
        ("all", np.ones(len(rows), bool)),
        ("12 SQuAD 2.0 articles", corpus == "squad"),
        ("XQuAD's other English articles", corpus == "xquad"),
        ("typed documents", corpus == "typed"),
    )
    for name, mask in subsets:
        if mask.any():
            print(f"\n== held out by group: {name}")
            report([r for r, m in zip(rows, mask, strict=True) if m], held_out[mask])
    model = fit(data, args.l2)
    args.out.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out}")
    for name, w in sorted(zip(model.features, model.weights, strict=True), key=lambda kv: -abs(kv[1])):
        print(f"  {name:<20}{w:+.3f}")


if __name__ == "__main__":
    main()
