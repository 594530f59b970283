"""Fuzz the sentence splitter, the analyser, the answer-type cues and the engine for a fixed budget.

    .venv/bin/python bench/fuzz.py [--seconds 60] [--seed 1]

Inputs are mutations of real text (the bundled article, and any files given with --corpus): bytes
flipped to control characters, NULs, quotes, right-to-left marks, emoji and combining accents;
slices, repeats and splices of the text.  Each input goes through every target, and the
invariants are checked: passages are non-empty stretches of the text with sane line numbers,
answer spans lie inside their passage, `Engine.ask` answers or declines.  Failures are grouped by
where they were raised; a reproducer of each is written to bench/out/fuzz-<n>.txt.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from askbot.analysis.text import Analyzer, acronym_definitions  # noqa: E402
from askbot.answering.cues import NAME, NUMBER, PERSON, PLACE, TIME, candidate_spans  # noqa: E402
from askbot.answering.engine import Engine  # noqa: E402
from askbot.documents.passages import split_passages  # noqa: E402
from askbot.index.build import index_text  # noqa: E402

SPICE = list("\x00\x01\x0b\x0c\x1b\x7f\u200f\u202e\ufeff\u0301“”\"'’.!?…()-—\n\r\t ")
SPICE += ["😀", "🇺🇳", "مرحبا", "Lt.", "U.S."]


def mutate(text: str, rng: random.Random) -> str:
    """One random mutation of `text`."""
    choice = rng.randrange(5)
    if not text or choice == 0:
        return "".join(rng.choice(SPICE) for _ in range(rng.randrange(1, 200)))
    a, b = sorted(rng.randrange(len(text) + 1) for _ in range(2))
    if choice == 1:
        return text[a:b]
    if choice == 2:
        return text[:a] + rng.choice(SPICE) * rng.randrange(1, 5) + text[b:]
    if choice == 3:
        return text[a:b] * rng.randrange(2, 20)
    chars = list(text)
    for _ in range(rng.randrange(1, 20)):
        chars[rng.randrange(len(chars))] = rng.choice(SPICE)
    return "".join(chars)


def check_passages(text: str) -> None:
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    for p in split_passages(text, "fuzz"):
        assert p.text.strip(), "empty passage"
        assert p.text in normalised, "passage is not a stretch of the text"
        assert 1 <= p.line <= normalised.count("\n") + 1, "line out of range"


def check_analysis(text: str) -> None:
    Analyzer().terms(text)
    list(acronym_definitions(text))
    for kind in (PERSON, TIME, NUMBER, PLACE, NAME):
        for start, end in candidate_spans(text, kind):
            assert 0 <= start < end <= len(text), "span out of range"


def make_engine_check(engine: Engine) -> Callable[[str], None]:
    def check(text: str) -> None:
        answer = engine.ask(text[:3000], top_k=3)
        for hit in answer.hits:
            if hit.span is not None:
                assert 0 <= hit.span[0] < hit.span[1] <= len(hit.passage.text), "answer span out of range"

    return check


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", type=Path, nargs="*", default=[])
    args = parser.parse_args()
    seeds = [(ROOT / "knowledge/nato-mission-iraq.txt").read_text(encoding="utf-8")]
    seeds += [p.read_text(encoding="utf-8", errors="replace") for p in args.corpus]
    engine = Engine(index_text(seeds[0], "nato.txt"))
    targets = {"passages": check_passages, "analysis": check_analysis, "engine": make_engine_check(engine)}
    rng = random.Random(args.seed)
    failures: dict[str, tuple[str, str]] = {}
    runs = 0
    deadline = time.monotonic() + args.seconds
    pool = list(seeds)
    while time.monotonic() < deadline:
        text = mutate(rng.choice(pool), rng)
        if len(pool) < 500:
            pool.append(text)
        for name, target in targets.items():
            runs += 1
            try:
                target(text)
            except Exception as error:  # noqa: BLE001 - every failure is a finding
                frame = traceback.extract_tb(error.__traceback__)[-1]
                key = f"{name}: {type(error).__name__} at {Path(frame.filename).name}:{frame.lineno}"
                failures.setdefault(key, (text, f"{error}"))
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    print(f"{runs} target runs in {args.seconds:.0f} s (seed {args.seed}); {len(failures)} distinct failures")
    for n, (key, (text, message)) in enumerate(sorted(failures.items()), 1):
        (out / f"fuzz-{n}.txt").write_text(text, encoding="utf-8", errors="surrogatepass")
        print(f"  {key}: {message[:120]}  (input: bench/out/fuzz-{n}.txt, {len(text)} chars)")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
