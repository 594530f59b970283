"""Synthetic knowledge folders for benchmarks: Zipfian prose cut into sentences, and questions about it.

    .venv/bin/python bench/corpus.py 100k                    # writes /tmp/askbot-scale/corpus-100k-s7/
    .venv/bin/python bench/corpus.py 1M --workdir DIR --seed 3 --queries 10   # and prints ten questions

Used by bench/scale.py as a library: `ensure_corpus(spec, workdir)` generates a folder once and reuses
it afterwards; `make_queries(spec, n, seed)` gives questions about it.

The text: a fixed vocabulary (200k word types by default, the same for every corpus size) with
English stopwords and common words at the top ranks, made-up words below them (in families that
share a stem: "dravel", "dravels", "draveling"), some capitalised names and upper-case acronyms,
and numbers (years, counts, decimals). Token ranks follow a Zipf-Mandelbrot law. Sentences hold
8-30 words and end in a full stop; paragraphs of 1-6 sentences sit one per line, separated by
blank lines; files of 1,000 sentences (10,000 from 1M up: 100 files) sit in folders of 100 files.
Everything is seeded: the same spec always gives the same bytes. A million passages take about
ten seconds.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import numpy.typing as npt

DEFAULT_WORKDIR = Path("/tmp/askbot-scale")
_MARKER = ".corpus.json"  # written last: a folder without it is a half-written corpus
# Bump when the generator changes the text it writes, so corpora generated before are not reused.
GENERATOR_VERSION = 2

STOPWORDS = (
    "the of and to a in is that for it was on with as by at he be from this his are or an which were"
    " had but not they have has their its been after who into more she other when all than there can"
    " would about her during over them between some only under while these most then both such through"
    " before where what our because against each those any until very few should could we you"
).split()
COMMON_WORDS = (
    "year years people city state government first new time world school war team members national"
    " group season company river area city film university country north south century population"
    " program music family system church history party league album series game public work"
    " village district council station army king president capital island water building region"
).split()
QUESTION_STARTS = (
    "what is the",
    "who is the",
    "when did the",
    "where is the",
    "how many",
    "what are the",
    "which",
    "who",
    "when was",
)

_ONSETS = "b br c ch cl d dr f fl g gr h j k l m n p pl pr qu r s sh sl st t th tr v w z".split() + [""] * 6
_VOWELS = "a e i o u a e i o ai ea ou ie y".split()
_CODAS = "n r s l t nd st m ct rd nt".split() + [""] * 12
_SUFFIXES = ("", "", "", "", "s", "s", "ed", "ing", "er", "ers", "ly", "ion", "ness", "al")


@dataclass(frozen=True)
class CorpusSpec:
    """What to generate: the same spec always gives the same corpus."""

    passages: int
    seed: int = 7
    vocabulary: int = 200_000
    zipf: float = 1.05  # exponent s of p(rank) ~ 1 / (rank + 2.7) ** s
    per_file: int = 0  # sentences per file; 0: a hundredth of the corpus, from 1,000 to 10,000
    files_per_folder: int = 100
    number_share: float = 0.025  # share of tokens that are numbers
    name_share: float = 0.12  # share of made-up word types that are capitalised names
    acronym_share: float = 0.01  # share of made-up word types that are upper-case acronyms

    @property
    def file_size(self) -> int:
        """Sentences per file: 1k to 100k passages come in files of 1,000, 1M in 100 files of 10,000."""
        return self.per_file or min(10_000, max(1_000, self.passages // 100))

    @property
    def label(self) -> str:
        """1000 -> "1k", 1000000 -> "1M"."""
        return size_label(self.passages)

    @property
    def dirname(self) -> str:
        """The folder name under the workdir."""
        return f"corpus-{self.label}-s{self.seed}"


def parse_size(text: str) -> int:
    """ "1k" -> 1000, "1M" -> 1000000, "2500" -> 2500."""
    text = text.strip()
    factor = {"k": 1_000, "K": 1_000, "m": 1_000_000, "M": 1_000_000}.get(text[-1:], 1)
    number = text[:-1] if factor > 1 else text
    value = int(float(number) * factor)
    if value <= 0:
        raise ValueError(f"not a positive size: {text!r}")
    return value


def size_label(n: int) -> str:
    """1000 -> "1k", 1000000 -> "1M", 2500 -> "2500"."""
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


@dataclass(frozen=True)
class Vocabulary:
    """Word types by rank (most frequent first) and how often each is drawn."""

    words: npt.NDArray[np.object_]  # as written mid-sentence
    initial: npt.NDArray[np.object_]  # as written at the start of a sentence
    cdf: npt.NDArray[np.float64]  # cumulative probability by rank
    content: npt.NDArray[np.bool_]  # not a stopword
    numbers: npt.NDArray[np.object_]  # the pool numbers are drawn from


def build_vocabulary(spec: CorpusSpec) -> Vocabulary:
    """The spec's vocabulary; depends on seed, size and shares only, never on the passage count."""
    rng = np.random.default_rng([spec.seed, 1])
    fixed = STOPWORDS + COMMON_WORDS
    words: list[str] = list(fixed)
    seen = set(words)
    n_made = spec.vocabulary - len(words)
    # Families share a stem so a stemmer folds them; frequent types get short stems.
    stems = _made_up_stems(rng, n_made)
    family = rng.integers(0, len(stems), n_made)
    family.sort()  # neighbouring ranks share stems: a family's members have similar frequency
    kind = rng.random(n_made)
    suffix = rng.integers(0, len(_SUFFIXES), n_made)
    for i in range(n_made):
        stem = stems[family[i]]
        if kind[i] < spec.acronym_share:
            word = stem.upper()[:5]
        elif kind[i] < spec.acronym_share + spec.name_share:
            word = stem.capitalize()
        else:
            word = stem + _SUFFIXES[suffix[i]]
        while word in seen:  # collisions: lengthen until new
            extra = _VOWELS[len(word) % len(_VOWELS)]
            word += extra.upper() if word.isupper() else extra
        seen.add(word)
        words.append(word)
    # Shuffle the made-up types' ranks within blocks so families spread over nearby ranks only.
    made = np.array(words[len(fixed) :], dtype=object)
    for start in range(0, len(made), 64):
        rng.shuffle(made[start : start + 64])
    all_words = np.array(fixed + made.tolist(), dtype=object)
    initial = np.array([w[:1].upper() + w[1:] for w in all_words], dtype=object)
    ranks = np.arange(len(all_words), dtype=np.float64)
    weights = 1.0 / (ranks + 2.7) ** spec.zipf
    cdf = np.cumsum(weights)
    cdf /= cdf[-1]
    content = np.ones(len(all_words), dtype=bool)
    content[: len(STOPWORDS)] = False
    return Vocabulary(all_words, initial, cdf, content, _number_pool(rng))


def _made_up_stems(rng: np.random.Generator, n: int) -> list[str]:
    """Pronounceable made-up stems, shorter ones first, none an English word of the fixed lists."""
    syllables = np.clip(2 + rng.poisson(0.7, n) - (rng.random(n) < 0.05), 1, 5)
    syllables.sort()
    table = [o + v + c for o in _ONSETS for v in _VOWELS for c in _CODAS]
    picks = rng.integers(0, len(table), (n, 5))
    stems: list[str] = []
    seen = set(STOPWORDS) | set(COMMON_WORDS)
    for i in range(n):
        stem = "".join(table[picks[i, j]] for j in range(syllables[i]))
        while len(stem) < 3 or stem in seen:  # taken or too short: add a syllable
            stem += table[int(rng.integers(0, len(table)))]
        seen.add(stem)
        stems.append(stem)
    return stems


def _number_pool(rng: np.random.Generator) -> npt.NDArray[np.object_]:
    years = [str(y) for y in range(1850, 2031)] * 4
    small = [str(n) for n in range(2, 100)] * 3
    large = [f"{n:,}" for n in rng.integers(100, 2_000_000, 300)]
    decimals = [f"{x:.1f}" for x in rng.uniform(0.1, 99.9, 200)]
    return np.array(years + small + large + decimals, dtype=object)


@dataclass(frozen=True)
class Stream:
    """The corpus as token ids: what the files spell out."""

    ids: npt.NDArray[np.int32]  # vocabulary rank of each token
    lengths: npt.NDArray[np.int64]  # tokens per sentence
    numbers: npt.NDArray[np.int32]  # index into the number pool, or -1 for a word

    @cached_property
    def starts(self) -> npt.NDArray[np.int64]:
        """Index of each sentence's first token, plus the end."""
        starts = np.zeros(len(self.lengths) + 1, dtype=np.int64)
        np.cumsum(self.lengths, out=starts[1:])
        return starts


def token_stream(spec: CorpusSpec, vocabulary: Vocabulary) -> Stream:
    """The spec's sentences as token ids (deterministic, a few seconds at a million passages)."""
    rng = np.random.default_rng([spec.seed, 2, spec.passages])
    lengths = 8 + rng.binomial(22, 0.45, spec.passages).astype(np.int64)  # 8-30 words, mean ~18
    total = int(lengths.sum())
    ids = np.minimum(np.searchsorted(vocabulary.cdf, rng.random(total)), len(vocabulary.cdf) - 1).astype(
        np.int32
    )
    numbers = np.full(total, -1, dtype=np.int32)
    is_number = rng.random(total) < spec.number_share
    starts = np.zeros(len(lengths), dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    is_number[starts] = False  # sentences start with a word
    # ... and end in a content word, as prose does ("... in Baghdad.", not "... in.").
    last = starts + lengths - 1
    floor = vocabulary.cdf[len(STOPWORDS) - 1]
    content = np.searchsorted(vocabulary.cdf, floor + rng.random(len(last)) * (1 - floor))
    ids[last] = np.minimum(content, len(vocabulary.cdf) - 1)
    numbers[is_number] = rng.integers(0, len(vocabulary.numbers), int(is_number.sum()))
    return Stream(ids, lengths, numbers)


def generate_corpus(spec: CorpusSpec, folder: Path) -> dict[str, int]:
    """Write the corpus into `folder` (which must not exist); returns counts for the marker."""
    vocabulary = build_vocabulary(spec)
    stream = token_stream(spec, vocabulary)
    rng = np.random.default_rng([spec.seed, 3, spec.passages])
    n = spec.passages
    starts = stream.starts
    tokens = vocabulary.words[stream.ids]
    tokens[starts[:-1]] = vocabulary.initial[stream.ids[starts[:-1]]]
    is_number = stream.numbers >= 0
    tokens[is_number] = vocabulary.numbers[stream.numbers[is_number]]
    # Paragraphs of 1-6 sentences; a file boundary also ends a paragraph.
    paragraph_end = np.zeros(n, dtype=bool)
    ends = np.cumsum(1 + rng.binomial(5, 0.5, n // 2 + 1))
    paragraph_end[ends[ends <= n] - 1] = True
    paragraph_end[spec.file_size - 1 :: spec.file_size] = True
    paragraph_end[-1] = True
    separators = np.full(len(tokens), " ", dtype=object)
    last = starts[1:] - 1
    separators[last] = ". "
    separators[last[paragraph_end]] = ".\n\n"
    words = 0
    temporary = folder.with_name(folder.name + ".partial")
    shutil.rmtree(temporary, ignore_errors=True)
    for f, first in enumerate(range(0, n, spec.file_size)):
        end = min(first + spec.file_size, n)
        a, b = int(starts[first]), int(starts[end])
        pieces = np.empty(2 * (b - a), dtype=object)
        pieces[0::2] = tokens[a:b]
        pieces[1::2] = separators[a:b]
        path = temporary / f"part-{f // spec.files_per_folder:04d}" / f"doc-{f:06d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(pieces.tolist()).rstrip("\n") + "\n", encoding="utf-8")
        words += b - a
    counts = {"passages": n, "files": -(-n // spec.file_size), "tokens": words}
    (temporary / _MARKER).write_text(
        json.dumps({"spec": asdict(spec), "generator": GENERATOR_VERSION, **counts}), encoding="utf-8"
    )
    temporary.rename(folder)
    return counts


def ensure_corpus(spec: CorpusSpec, workdir: Path = DEFAULT_WORKDIR) -> Path:
    """The corpus folder of `spec` under `workdir`, generated unless already there."""
    folder = workdir / spec.dirname
    marker = folder / _MARKER
    if marker.exists():
        try:
            info = json.loads(marker.read_text(encoding="utf-8"))
            if info["spec"] == asdict(spec) and info.get("generator") == GENERATOR_VERSION:
                return folder
        except (OSError, ValueError, KeyError):
            pass
    shutil.rmtree(folder, ignore_errors=True)
    workdir.mkdir(parents=True, exist_ok=True)
    generate_corpus(spec, folder)
    return folder


def corpus_files(folder: Path) -> list[Path]:
    """The corpus's .txt files in order."""
    return sorted(folder.glob("part-*/doc-*.txt"))


def make_queries(spec: CorpusSpec, n: int, seed: int = 0) -> list[str]:
    """Questions about the corpus: 3-8 of its words, mid-frequency biased, a third phrased as questions.

    Half take their words from one sentence of the corpus (a question about something it says);
    half draw words from the whole vocabulary the corpus uses, weighted by frequency but without
    the most frequent words (so spread evenly over frequency decades). Words keep the case the
    corpus writes them in (names capitalised).
    """
    vocabulary = build_vocabulary(spec)
    stream = token_stream(spec, vocabulary)
    rng = np.random.default_rng([seed, 4, spec.passages])
    counts = np.bincount(stream.ids[stream.numbers < 0], minlength=len(vocabulary.words))
    ceiling = max(5, spec.passages // 20)  # in more than ~5% of passages: too common to ask about
    usable = vocabulary.content & (counts >= 2) & (counts <= ceiling)
    pool = np.flatnonzero(usable)
    weights = counts[pool].astype(np.float64)
    weights /= weights.sum()
    queries = []
    for _ in range(n):
        size = int(rng.integers(3, 9))
        if rng.random() < 0.5:
            s = int(rng.integers(0, spec.passages))
            a, b = int(stream.starts[s]), int(stream.starts[s + 1])
            ids = [int(i) for i, num in zip(stream.ids[a:b], stream.numbers[a:b], strict=True) if num < 0]
            content = [i for i in ids if vocabulary.content[i]]
            picked = sorted(rng.choice(len(content), min(size, len(content)), replace=False))
            chosen = [content[j] for j in picked]
        else:
            chosen = [int(i) for i in rng.choice(pool, size, replace=False, p=weights)]
        text = " ".join(str(vocabulary.words[i]) for i in chosen)
        if rng.random() < 1 / 3:
            text = f"{QUESTION_STARTS[int(rng.integers(0, len(QUESTION_STARTS)))]} {text}?"
        queries.append(text)
    return queries


def main(argv: list[str] | None = None) -> int:
    """Generate one corpus and report what it holds."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("size", type=parse_size, help="passages: 1k, 10k, 100k, 1M or a number")
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--queries", type=int, default=0, metavar="N", help="also print N sample questions")
    args = parser.parse_args(argv)
    spec = CorpusSpec(args.size, seed=args.seed)
    started = time.perf_counter()
    folder = ensure_corpus(spec, args.workdir)
    elapsed = time.perf_counter() - started
    info = json.loads((folder / _MARKER).read_text(encoding="utf-8"))
    size = sum(p.stat().st_size for p in corpus_files(folder))
    print(
        f"{folder}: {info['passages']:,} passages, {info['tokens']:,} tokens, {info['files']:,} files, "
        f"{size / 2**20:.1f} MiB ({elapsed:.1f} s)"
    )
    for query in make_queries(spec, args.queries, seed=args.seed):
        print(f"  {query}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
