"""Answer quality in other languages: XQuAD, each article its own knowledge, next to BM25 baselines.

    python bench/languages.py                      # every language of ../shared/data/xquad
    python bench/languages.py --lang de --lang zh  # some of them
    python bench/languages.py --folds 4            # the article folds (held-out figures only)

XQuAD holds SQuAD v1.1 paragraphs and questions translated into 11 languages, so every question is
answerable. Each article is its own knowledge; success is evaluate.py's: the top passage is the
sentence holding the gold answer. Per language:
- askbot: top-1, answerable questions wrongly declined, and the share of another article's
  questions declined (each article's questions asked of the next article's knowledge);
- rank-bm25 (BM25Okapi) over lowercase whitespace tokens;
- bm25s with the language's Snowball stemmer and stopwords (needs `pip install bm25s`);
- rank-bm25 over overlapping character bigrams of each run of letters (as Lucene's CJKBigramFilter).
The baselines rank askbot's own sentence passages, so only ranking and analysis differ; they never decline.

askbot's confidence is corrected per language (askbot.answering.calibration) by a re-weighing and a
monotone map fitted on these articles, so its figures are held out: the articles are cut into
`--folds` folds in file order, and each fold is measured with the correction fitted on the other
folds' articles.  English keeps the model's own confidence.  `--write-calibration` fits each measured
language's correction on all its articles and writes it where askbot reads it.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from evaluate import (
    ROOT,
    AskbotSystem,
    QuestionSet,
    Record,
    Reply,
    Summary,
    ask_all,
    evaluate,
    load_squad,
    sentence_spans,
    summarise,
)

sys.path.insert(0, str(ROOT / "src"))

from askbot.analysis.languages import ENGLISH  # noqa: E402
from askbot.answering.calibration import CALIBRATION_PATH, LOG_ODDS, Calibration, reweigh  # noqa: E402
from askbot.answering.confidence import Model  # noqa: E402
from askbot.answering.engine import Answer, Engine, Settings  # noqa: E402
from askbot.answering.evidence import Evidence  # noqa: E402
from askbot.documents.passages import split_passages  # noqa: E402
from askbot.index.build import index_text  # noqa: E402

DATA = ROOT.parent / "shared/data/xquad"
LANGUAGES = ("en", "de", "es", "ru", "tr", "el", "ro", "ar", "hi", "vi", "zh", "th")
# PyStemmer's algorithm for each XQuAD language that has one.
SNOWBALL = {
    "en": "english",
    "de": "german",
    "es": "spanish",
    "ru": "russian",
    "tr": "turkish",
    "el": "greek",
    "ro": "romanian",
    "ar": "arabic",
    "hi": "hindi",
}
_WORD_RE = re.compile(r"[^\W_]+")


class LanguageSystem:
    """A system that knows the language of the question set it is built for (set by `for_language`)."""

    language = "en"
    name = "?"
    declines = False


def for_language(system: type[LanguageSystem], language: str) -> type[LanguageSystem]:
    """The system class bound to one language, as evaluate() builds systems from (qset, settings)."""
    return type(f"{system.__name__}_{language}", (system,), {"language": language})


class Askbot(LanguageSystem, AskbotSystem):
    """askbot's engine, told the knowledge's language, its confidence as the model gives it (no
    language calibration); it declines below the settings' confidence."""

    name = "askbot"
    declines = True

    def __init__(self, qset: QuestionSet, settings: Settings):
        index = index_text(qset.text, qset.name, self.language)
        engine = Engine(index, replace(settings, min_confidence=0.0), calibration=Calibration())
        super().__init__(qset, settings, engine)
        self.evidence: list[Evidence | None] = []  # of each question asked, in order

    def answer(self, question: str) -> Answer:
        answer = super().answer(question)
        self.evidence.append(answer.evidence)
        return answer


class _Passages(LanguageSystem):
    """A baseline over askbot's own sentence passages, ranked by `scores` of the question's tokens."""

    def __init__(self, qset: QuestionSet, settings: Settings):
        passages = split_passages(qset.text, qset.name, self.language)
        self.spans = sentence_spans(qset.paragraphs, [(p.paragraph, p.text) for p in passages])
        self.texts = [p.text for p in passages]

    def ask(self, question: str) -> Reply:
        import numpy as np

        best = np.argsort(-np.asarray(self.scores(question)), kind="stable")[:5]
        return Reply([(self.texts[i], self.spans[i]) for i in best])

    def scores(self, question: str) -> Sequence[float]:
        raise NotImplementedError


class RankBm25Words(_Passages):
    """rank-bm25's BM25Okapi over lowercase whitespace tokens."""

    name = "rank-bm25 words"

    def __init__(self, qset: QuestionSet, settings: Settings):
        from rank_bm25 import BM25Okapi

        super().__init__(qset, settings)
        self.model = BM25Okapi([t.lower().split() for t in self.texts])

    def scores(self, question: str) -> Sequence[float]:
        return self.model.get_scores(question.lower().split())  # type: ignore[no-any-return]


def bigrams(text: str) -> list[str]:
    """Overlapping character bigrams of each run of letters and digits; a run of one is itself."""
    grams = []
    for run in _WORD_RE.findall(text.lower()):
        grams += [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]
    return grams


class RankBm25Bigrams(_Passages):
    """rank-bm25's BM25Okapi over overlapping character bigrams."""

    name = "rank-bm25 bigrams"

    def __init__(self, qset: QuestionSet, settings: Settings):
        from rank_bm25 import BM25Okapi

        super().__init__(qset, settings)
        self.model = BM25Okapi([bigrams(t) for t in self.texts])

    def scores(self, question: str) -> Sequence[float]:
        return self.model.get_scores(bigrams(question))  # type: ignore[no-any-return]


class Bm25sSnowball(_Passages):
    """bm25s with the language's Snowball stemmer (PyStemmer) and bm25s's stopwords for it, if any."""

    name = "bm25s snowball"

    def __init__(self, qset: QuestionSet, settings: Settings):
        import bm25s
        import Stemmer

        super().__init__(qset, settings)
        self.stemmer = Stemmer.Stemmer(SNOWBALL[self.language])
        self.stopwords = _bm25s_stopwords(self.language)
        self.model = bm25s.BM25()
        self.model.index(self._tokens(self.texts), show_progress=False)

    def _tokens(self, texts: list[str]) -> list[list[str]]:
        import bm25s

        return bm25s.tokenize(  # type: ignore[no-any-return]
            texts, stopwords=self.stopwords, stemmer=self.stemmer, return_ids=False, show_progress=False
        )

    def scores(self, question: str) -> Sequence[float]:
        import numpy as np

        known = self.model.vocab_dict
        words = [w for w in self._tokens([question])[0] if w and w in known]
        if not words:
            return np.zeros(len(self.texts))
        return self.model.get_scores(words)  # type: ignore[no-any-return]


def _bm25s_stopwords(language: str) -> list[str]:
    """bm25s's own stopword list for the language, or none."""
    from bm25s.tokenization import _infer_stopwords

    try:
        return list(_infer_stopwords(language))
    except ValueError:
        return []


@dataclass(frozen=True)
class Judged:
    """One of askbot's records, with the evidence its confidence came from (None: nothing was found)."""

    record: Record
    evidence: Evidence | None


@dataclass(frozen=True)
class Row:
    """One language's results: askbot's on held-out folds, the baselines' on every article."""

    language: str
    results: dict[str, Summary]


def systems_for(language: str) -> list[type[LanguageSystem]]:
    """The systems measured in a language: askbot and every baseline that applies."""
    kinds: list[type[LanguageSystem]] = [Askbot, RankBm25Words, RankBm25Bigrams]
    if language in SNOWBALL and importlib.util.find_spec("bm25s"):
        kinds.insert(2, Bm25sSnowball)
    return [for_language(kind, language) for kind in kinds]


def folds(count: int, articles: int) -> list[list[int]]:
    """Article numbers of each fold: `count` runs of consecutive articles, as even as can be."""
    return [list(range(articles * k // count, articles * (k + 1) // count)) for k in range(count)]


def measure(system: type[LanguageSystem], articles: Sequence[QuestionSet]) -> list[list[Record]]:
    """A baseline's records of each article: its own questions, then the next article's (off-topic)."""
    return [
        evaluate(system, own, articles[(i + 1) % len(articles)], Settings()) for i, own in enumerate(articles)
    ]


def measure_askbot(system: type[Askbot], articles: Sequence[QuestionSet]) -> list[list[Judged]]:
    """As `measure`, each record with the evidence askbot judged it on."""
    out = []
    for i, own in enumerate(articles):
        askbot = system(own, Settings(min_confidence=0.0))
        records = ask_all(askbot, own.questions, None, own.typed)
        records += ask_all(askbot, articles[(i + 1) % len(articles)].questions, "off-topic", own.typed)
        out.append([Judged(r, e) for r, e in zip(records, askbot.evidence, strict=True)])
    return out


# The evidence's figures a language's re-weighing weighs beside the model's log-odds: the share of the
# question's words the file holds, the rarest known word the sentence misses, and the share of the
# question's word pairs the sentence holds together (which the English model leaves out).  A translated
# question keeps fewer of its text's words than an English one, so the English model's weights misjudge
# it.  With the first two, held out, the answerable questions declined where 92% of other articles' are
# fell from 3.1% to 2.1% on average over German, Spanish, Russian, Turkish, Greek, Romanian and Arabic
# (the share of the question the sentence holds, the words missing, the rarest word held or the
# question's length did less); the word pairs raised the fewest other articles' questions declined,
# Arabic's, from 92.1% to 94.3%, and made the re-weighing gain in Vietnamese and Thai too, where
# without them it lost (Vietnamese 3.9% declined -> 3.6%; 4.9% without the word pairs).
WEIGHED = ("known_share", "rarest_missed", "phrases")
# Strong: a few weights fitted on ~1,100 questions must carry to articles not fitted on.
WEIGHING_L2 = 100.0


def fit_weighing(judged: Sequence[Judged]) -> Model:
    """A logistic regression from the model's log-odds and the WEIGHED figures to an answer's being right."""
    import numpy as np

    from calibrate import fit_logistic, standardise

    found = [j for j in judged if j.evidence is not None]
    p = np.clip([j.record.confidence for j in found], 1e-6, 1 - 1e-6)
    x = np.column_stack([np.log(p / (1 - p)), *([getattr(j.evidence, f) for j in found] for f in WEIGHED)])
    right = np.array([float(j.record.kind == "answerable" and j.record.rank == 1) for j in found])
    mean, scale = standardise(x)
    weights, bias = fit_logistic((x - mean) / scale, right, np.ones(len(found)), WEIGHING_L2)
    return Model(
        (LOG_ODDS, *WEIGHED), tuple(mean.tolist()), tuple(scale.tolist()), tuple(weights.tolist()), bias
    )


def fit_steps(judged: Sequence[Judged], weighing: Model) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Isotonic steps from the re-weighed confidence to the share of answers right."""
    import numpy as np

    from calibrate import isotonic

    p = np.array([_reweighed(j, weighing) for j in judged])
    right = np.array([float(j.record.kind == "answerable" and j.record.rank == 1) for j in judged])
    xs, ys = isotonic(p, right, np.ones(len(judged)))
    return tuple(xs), tuple(ys)


def _reweighed(j: Judged, weighing: Model) -> float:
    return j.record.confidence if j.evidence is None else reweigh(weighing, j.record.confidence, j.evidence)


def calibrated(
    judged: Sequence[Judged], language: str, calibration: Calibration, threshold: float
) -> list[Record]:
    """The records as askbot gives them with a calibration: confidence corrected, declined below
    `threshold`."""
    out = []
    for j in judged:
        r = j.record
        confidence = calibration.correct(language, r.confidence, j.evidence)
        out.append(replace(r, confidence=confidence, declined=r.declined or confidence < threshold))
    return out


# Default thresholds tried for a language.  Kept: the one with the best top-1 among those that decline
# at most WRONG_CEILING of the answerable questions and at least OFF_TOPIC_FLOOR of other articles'
# questions (a margin above the 90% aimed at, for articles not fitted on: at 92%, held out, Arabic's
# fell to 91.9%), the most cautious on a tie; when none declines so few answerable questions, the one
# declining fewest of those that keep the floor; when none keeps the floor, askbot's own default.
THRESHOLDS = (0.25, 0.225, 0.2, 0.175, 0.15, 0.125, 0.1, 0.075, 0.05)
WRONG_CEILING = 0.05
OFF_TOPIC_FLOOR = 0.93


def fit_calibration(language: str, judged: Sequence[Judged]) -> Calibration:
    """The language's calibration fitted on some records: its re-weighing, map and default threshold."""
    weighing = fit_weighing(judged)
    steps = fit_steps(judged, weighing)
    mapped = Calibration({language: steps}, weighing={language: weighing})
    kept = []
    for t in THRESHOLDS:
        s = summarise(calibrated(judged, language, mapped, t))
        if s.off_topic_declined >= OFF_TOPIC_FLOOR:
            # Best first: within the ceiling, then the higher top-1 (or fewer declined), then caution.
            within = s.wrongly_declined <= WRONG_CEILING
            kept.append((not within, -s.top1 if within else s.wrongly_declined, -t, t))
    threshold = min(kept)[-1] if kept else THRESHOLDS[0]
    return replace(mapped, thresholds={language: threshold})


def held_out(language: str, by_article: Sequence[Sequence[Judged]], fold_count: int) -> list[Record]:
    """askbot's records, each fold's with the calibration fitted on the other folds (English: none)."""
    out: list[Record] = []
    for fold in folds(fold_count, len(by_article)):
        train = [j for i, judged in enumerate(by_article) if i not in fold for j in judged]
        fitted = fit_calibration(language, train) if language != ENGLISH else Calibration()
        threshold = fitted.threshold(language, Settings().min_confidence)
        for i in fold:
            out += calibrated(by_article[i], language, fitted, threshold)
    return out


def run_language(language: str, data: Path, fold_count: int) -> tuple[Row, list[list[Judged]]]:
    """Every system in one language; askbot's raw records by article, for fitting its calibration."""
    articles = load_squad(data / f"xquad.{language}.json")
    results: dict[str, Summary] = {}
    raw: list[list[Judged]] = []
    for system in systems_for(language):
        if issubclass(system, Askbot):
            raw = measure_askbot(system, articles)
            results[system.name] = summarise(held_out(language, raw, fold_count))
        else:
            by_article = measure(system, articles)
            results[system.name] = summarise([r for records in by_article for r in records])
    return Row(language, results), raw


def print_table(rows: Sequence[Row]) -> None:
    """The quality table: askbot's figures and each baseline's top-1."""
    names = ["rank-bm25 words", "bm25s snowball", "rank-bm25 bigrams"]
    print(
        "| language | questions | askbot top-1 | askbot MRR@5 | answerable wrongly declined "
        "| other articles' questions declined | "
        + " | ".join(f"{n} top-1" for n in names)
        + " | askbot ms/q |"
    )
    print("|---" * (7 + len(names)) + "|")
    for row in rows:
        r = row.results["askbot"]
        base = [f"{row.results[n].top1:.3f}" if n in row.results else "–" for n in names]
        print(
            f"| {row.language} | {r.answerable} | **{r.top1:.3f}** | {r.mrr5:.3f} "
            f"| {r.wrongly_declined:.1%} | {r.off_topic_declined:.1%} | "
            + " | ".join(base)
            + f" | {r.median_ms:.2f} |",
            flush=True,
        )


def write_calibration(raw: dict[str, list[list[Judged]]], path: Path) -> None:
    """Fit each language's calibration on all its articles and write them, keeping other languages'."""
    import json

    found = (
        Calibration.from_json(json.loads(path.read_text(encoding="utf-8")))
        if path.exists()
        else Calibration()
    )
    steps, thresholds, weighing = dict(found.steps), dict(found.thresholds), dict(found.weighing)
    for language, by_article in raw.items():
        if language != ENGLISH:
            fitted = fit_calibration(language, [j for judged in by_article for j in judged])
            steps[language] = fitted.steps[language]
            thresholds[language] = fitted.thresholds[language]
            weighing[language] = fitted.weighing[language]
    text = json.dumps(Calibration(steps, thresholds, weighing).to_json(), indent=1)
    path.write_text(text + "\n", encoding="utf-8")
    print(f"calibration for {', '.join(sorted(steps))} written to {path}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lang", action="append", choices=LANGUAGES, help="a language (default: all)")
    parser.add_argument("--data", type=Path, default=DATA, help="the folder of xquad.LANG.json files")
    parser.add_argument("--folds", type=int, default=4, help="article folds (default 4)")
    parser.add_argument(
        "--write-calibration", action="store_true", help=f"fit and write {CALIBRATION_PATH.name}"
    )
    args = parser.parse_args()
    rows, raw = [], {}
    for language in args.lang or LANGUAGES:
        row, raw[language] = run_language(language, args.data, args.folds)
        rows.append(row)
        print(f"({language} done)", file=sys.stderr, flush=True)
    print_table(rows)
    if args.write_calibration:
        write_calibration(raw, CALIBRATION_PATH)


if __name__ == "__main__":
    main()
