"""Speed of askbot's sentence splitting, next to the splitter of an earlier commit, in the same run.

    python bench/sentences.py                          # against 7544164, the last commit with blingfire
    python bench/sentences.py --old-rev REV --rounds 7

Both are askbot's whole `sentences()` (segmenter, quotation merging, long-sentence cuts) on about a
megabyte of XQuAD paragraphs per language, each paragraph split as askbot splits one.  The old one
is loaded from git (blingfire must be installed: `pip install blingfire`).  Rounds alternate between
the two; the table gives medians, sentences per second and how many sentences each found.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from askbot.analysis.sentences import sentences  # noqa: E402

DATA = ROOT.parent / "shared/data/xquad"
LANGUAGES = ("en", "de", "ru", "ar", "hi", "zh", "th")
OLD_REV = "7544164"

Splitter = Callable[[str, str], list[tuple[int, int]]]


def paragraphs(language: str, size: int = 1_000_000) -> list[str]:
    """XQuAD paragraphs of a language, repeated to about `size` characters."""
    data = json.loads((DATA / f"xquad.{language}.json").read_text(encoding="utf-8"))["data"]
    contexts = [p["context"] for article in data for p in article["paragraphs"]]
    out: list[str] = []
    while sum(map(len, out)) < size:
        out += contexts
    return out


def old_splitter(rev: str) -> Splitter:
    """askbot's `sentences()` as it was at `rev`, loaded from git."""
    source = subprocess.run(
        ["git", "show", f"{rev}:src/askbot/analysis/sentences.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    module = types.ModuleType("old_sentences")
    exec(compile(source, f"{rev}:sentences.py", "exec"), module.__dict__)
    return lambda text, language: module.sentences(text)  # type: ignore[no-any-return]


def run(split: Splitter, texts: list[str], language: str) -> tuple[float, int]:
    """Seconds to split every paragraph, and the sentences found."""
    started = time.perf_counter()
    count = sum(len(split(text, language)) for text in texts)
    return time.perf_counter() - started, count


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--old-rev", default=OLD_REV, help=f"the commit to compare with (default {OLD_REV})")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    splitters: dict[str, Splitter] = {f"old ({args.old_rev})": old_splitter(args.old_rev), "new": sentences}
    print(
        "| language | MB | "
        + " | ".join(f"{name} s | {name} sentences/s" for name in splitters)
        + " | new ÷ old |"
    )
    print("|---" * (3 + 2 * len(splitters)) + "|")
    for language in LANGUAGES:
        texts = paragraphs(language)
        times: dict[str, list[float]] = {name: [] for name in splitters}
        counts: dict[str, int] = {}
        for _ in range(args.rounds):
            for name, split in splitters.items():
                seconds, counts[name] = run(split, texts, language)
                times[name].append(seconds)
        medians = {name: statistics.median(t) for name, t in times.items()}
        cells = [f"{medians[n]:.2f} | {counts[n] / medians[n]:,.0f}" for n in splitters]
        old, new = medians.values()
        size = sum(map(len, texts)) / 1e6
        print(f"| {language} | {size:.2f} | " + " | ".join(cells) + f" | {new / old:.2f}× |", flush=True)


if __name__ == "__main__":
    main()
