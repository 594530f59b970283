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

Articles are cut into `--folds` folds in file order. Nothing here is fitted, so every article is held out
from what is measured on it; the folds are there for settings chosen on the other folds (`--choose`):
the setting with the best score on the other folds' articles is the one measured on each fold.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from evaluate import (
    ROOT,
    AskbotSystem,
    QuestionSet,
    Record,
    Reply,
    Summary,
    evaluate,
    load_squad,
    sentence_spans,
    summarise,
)

sys.path.insert(0, str(ROOT / "src"))

from askbot.answering.engine import Engine, Settings  # noqa: E402
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
    """askbot's engine, told the knowledge's language; it declines below the settings' confidence."""

    name = "askbot"
    declines = True

    def __init__(self, qset: QuestionSet, settings: Settings):
        index = index_text(qset.text, qset.name, self.language)
        super().__init__(qset, settings, Engine(index, replace(settings, min_confidence=0.0)))


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
class Row:
    """One language's results, each system's summed over the held-out folds."""

    language: str
    results: dict[str, Summary]
    chosen: tuple[str, ...] = ()  # the setting chosen on the other folds, fold by fold


def systems_for(language: str) -> list[type[LanguageSystem]]:
    """The systems measured in a language: askbot and every baseline that applies."""
    kinds: list[type[LanguageSystem]] = [Askbot, RankBm25Words, RankBm25Bigrams]
    if language in SNOWBALL and importlib.util.find_spec("bm25s"):
        kinds.insert(2, Bm25sSnowball)
    return [for_language(kind, language) for kind in kinds]


def folds(articles: Sequence[QuestionSet], count: int) -> list[list[int]]:
    """Article numbers of each fold: `count` runs of consecutive articles, as even as can be."""
    n = len(articles)
    return [list(range(n * k // count, n * (k + 1) // count)) for k in range(count)]


def measure(
    system: type[LanguageSystem], articles: Sequence[QuestionSet], chosen: Sequence[int], settings: Settings
) -> list[Record]:
    """One system on the chosen articles: each asked its own questions, then the next article's."""
    records: list[Record] = []
    for i in chosen:
        own, other = articles[i], articles[(i + 1) % len(articles)]
        records += evaluate(system, own, other, settings)
    return records


def cross_validate(
    system: type[LanguageSystem],
    articles: Sequence[QuestionSet],
    fold_count: int,
    candidates: dict[str, Settings],
    score: Callable[[Summary], float],
) -> tuple[Summary, tuple[str, ...]]:
    """Each fold measured with the candidate setting that scores best on the other folds."""
    total: list[Record] = []
    chosen = []
    for held_out in folds(articles, fold_count):
        name = next(iter(candidates))
        if len(candidates) > 1:
            train = [i for i in range(len(articles)) if i not in held_out]
            name = max(
                candidates, key=lambda c: score(summarise(measure(system, articles, train, candidates[c])))
            )
        chosen.append(name)
        total += measure(system, articles, held_out, candidates[name])
    return summarise(total), tuple(chosen)


def default_score(s: Summary) -> float:
    """Top-1, less the answerable questions wrongly declined beyond 5% and off-topic ones kept beyond 10%."""
    return s.top1 - 4 * max(0.0, s.wrongly_declined - 0.05) - 4 * max(0.0, 0.9 - s.off_topic_declined)


def run_language(language: str, data: Path, fold_count: int, candidates: dict[str, Settings]) -> Row:
    """Every system in one language, over the held-out folds of its articles."""
    articles = load_squad(data / f"xquad.{language}.json")
    results: dict[str, Summary] = {}
    chosen: tuple[str, ...] = ()
    for system in systems_for(language):
        if system.declines:
            results[system.name], chosen = cross_validate(
                system, articles, fold_count, candidates, default_score
            )
        else:
            results[system.name] = summarise(measure(system, articles, range(len(articles)), Settings()))
    return Row(language, results, chosen)


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
    for row in rows:
        if len(set(row.chosen)) > 0 and row.chosen[0] != "default":
            print(f"{row.language}: chosen on the other folds, fold by fold: {', '.join(row.chosen)}")


def parse_candidates(specs: Sequence[str]) -> dict[str, Settings]:
    """--choose NAME=VALUE,VALUE: one candidate Settings per value (the first is the default)."""
    candidates = {"default": Settings()}
    for spec in specs:
        name, values = spec.split("=")
        candidates = {
            f"{label} {name}={value}" if label != "default" else f"{name}={value}": replace(
                base, **{name: type(getattr(base, name))(value)}
            )
            for label, base in candidates.items()
            for value in values.split(",")
        }
    return candidates


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lang", action="append", choices=LANGUAGES, help="a language (default: all)")
    parser.add_argument("--data", type=Path, default=DATA, help="the folder of xquad.LANG.json files")
    parser.add_argument("--folds", type=int, default=4, help="article folds (default 4)")
    parser.add_argument("--choose", action="append", default=[], metavar="SETTING=V1,V2")
    args = parser.parse_args()
    candidates = parse_candidates(args.choose)
    rows = []
    for language in args.lang or LANGUAGES:
        rows.append(run_language(language, args.data, args.folds, candidates))
        print(f"({language} done)", file=sys.stderr, flush=True)
    print_table(rows)


if __name__ == "__main__":
    main()
