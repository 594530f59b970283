"""How askbot scales, next to plain rank-bm25 and bm25s, on synthetic knowledge of 1k to 1M passages.

    .venv/bin/python bench/scale.py                        # 1k, 10k, 100k and 1M passages
    .venv/bin/python bench/scale.py --sizes 1k,10k,100k    # pick sizes
    .venv/bin/python bench/scale.py --quick                # 1k and 10k only
    .venv/bin/python bench/scale.py --systems askbot,bm25s --sizes 1M
    .venv/bin/python bench/scale.py --rev HEAD             # the last commit, not the work tree

Run it from the repository root. Each measurement runs in a fresh process (bench/scale_worker.py)
with src/ on PYTHONPATH, or with --rev that git revision's src/, exported under --workdir so that
uncommitted edits stay out. It prints one Markdown table and writes it to
bench/out/scale-<date>-<time>.md, with the raw numbers beside it as .json; the file is rewritten
after each size, so an interrupted run keeps what it measured.
Corpora come from bench/corpus.py and are generated under --workdir (default /tmp/askbot-scale)
once per size and seed; indexes and caches there are rebuilt on every run.

The columns (askbot's build, batch and "changed" figures are whole `python -m askbot` processes)
- build: askbot: `python -m askbot --knowledge F "q"` on an empty cache (reading, segmenting,
  analysing in worker processes, writing segments and the manifest, and simplemma's English dictionary
  as a words file that later processes read, answering). rank_bm25: tokenising (lower-case \\w+)
  and `BM25Okapi(...)`. bm25s: `bm25s.tokenize` (English stopwords, Snowball stemmer) and
  `BM25().index`. The baselines first read the files and split sentences with
  a regex: that time is not in "build" but in the notes ("read").
- build peak: the largest total resident memory of the building process and its descendants,
  sampled every 20 ms (askbot indexes in worker processes); the baselines build in one process.
- load: a fresh process loading what the build saved (askbot: a warm `load_index`, which stats
  every file and maps the segments; rank_bm25: unpickling the model; bm25s: `BM25.load(mmap=True)`);
  the load call only, imports excluded; median of 3 with the systems alternating. loaded RSS: that
  process's peak.
- p50, p95, mean: time per question in a warm process that loaded the index (askbot:
  `Engine(index).ask(q, top_k=5)`; rank_bm25: `get_scores` + argsort top 5; bm25s: `get_scores` +
  `np.argpartition` top 5, and `retrieve(k=5)` on a row of its own), after 10 warm-up questions.
- batch ms/q: askbot's whole batch path, `python -m askbot --knowledge F --json` with the questions
  on stdin (ranking, context, confidence, span, JSON), less the same process with one question, per
  question; median of 3. The answers are written to --workdir/answers-<size>.jsonl (sha1 in notes).
- one-shot: wall time of a fresh process answering one question from the saved index (askbot:
  `python -m askbot --knowledge F "q"` with ASKBOT_CACHE_DIR at the warm cache; the baselines: a
  `python -c` that loads, scores and prints the top 5 ids); median of 5, systems alternating.
- 1 file changed: the next one-shot after a sentence is appended to one file (at 1M, a file of
  10,000 passages); median of 3. all files changed: the same after every file changed, once.
- merge all: merging every segment of the index into one (`merge_folder(everything=True)`), the
  largest merge there is; the policy merges ten segments of one tier at a time.
Then the targets of issue 12, with bench/oneshot.py's measure of the bundled article.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scale_targets import render as render_targets
from scale_targets import targets
from scale_worker import Json, oneshot_command

ROOT = Path(__file__).resolve().parents[1]
SYSTEMS = ("askbot", "rank_bm25", "bm25s")


def child_env(src: Path) -> dict[str, str]:
    """The environment of every measuring process: the askbot under test on the path."""
    return {**os.environ, "PYTHONPATH": str(src)}


def export_revision(rev: str, workdir: Path) -> tuple[Path, str]:
    """The src/ folder of a git revision (exported once under `workdir`), and the commit it names."""

    def git(*args: str) -> bytes:
        return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, check=True).stdout

    commit = git("rev-parse", "--verify", f"{rev}^{{commit}}").decode().strip()
    target = workdir / f"askbot-{commit[:12]}"
    if not (target / "src" / "askbot").is_dir():
        partial = target.with_name(target.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        with tarfile.open(fileobj=io.BytesIO(git("archive", commit))) as archive:
            archive.extractall(partial, filter="data")
        shutil.rmtree(target, ignore_errors=True)
        partial.rename(target)
    return target / "src", commit


def compile_source(src: Path) -> None:
    """Byte-compile the measured askbot, as `pip install` does for a user.

    Without it, a machine that sets PYTHONDONTWRITEBYTECODE (this one does) recompiles every askbot
    module on every run, while numpy and rank_bm25 start from their installed bytecode.
    """
    import compileall

    compileall.compile_dir(src, quiet=1)


def describe_source(src: Path, rev: str | None = None) -> str:
    """Which askbot is measured: its folder, and its git commit with any uncommitted changes."""

    def git(*args: str) -> str:
        folder = ROOT if rev else src
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True)
        return done.stdout.rstrip() if done.returncode == 0 else ""

    if rev:
        return f"commit {git('log', '-1', '--format=%h %cI %s', rev)} (exported to {src})"
    commit = git("log", "-1", "--format=%h %cI %s")
    if not commit:
        return f"{src} (not in a git work tree)"
    changed = [line[3:] for line in git("status", "--porcelain", "--", ".").splitlines()]
    dirty = f", with uncommitted changes to {', '.join(changed)}" if changed else ""
    return f"the work tree {src} at {commit}{dirty}"


class WorkerFailed(Exception):
    """A measuring process failed or timed out; the message says how."""


def _limit_memory(gib: float) -> Callable[[], None]:
    def limit() -> None:
        size = int(gib * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (size, size))

    return limit


def spawn(task: Json, src: Path, timeout: float, memory_gib: float) -> Json:
    """Run one worker in a fresh process and return what it measured."""
    command = [sys.executable, str(Path(__file__).resolve().with_name("scale_worker.py")), json.dumps(task)]
    try:
        done = subprocess.run(
            command,
            env=child_env(src),
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            preexec_fn=_limit_memory(memory_gib),
        )
    except subprocess.TimeoutExpired:
        raise WorkerFailed(f"timed out after {timeout:.0f} s") from None
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or [f"exit {done.returncode}"]
        raise WorkerFailed(tail[0][:200])
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def time_oneshot(system: str, folder: Path, store: Path, question: str, src: Path, timeout: float) -> float:
    """Wall seconds of one one-shot run."""
    env = {**child_env(src), "ASKBOT_CACHE_DIR": str(store)}
    command = oneshot_command(system, folder, store, question)
    started = time.perf_counter()
    try:
        done = subprocess.run(
            # Started in the workdir: `python -m` puts the current folder first on sys.path.
            command,
            env=env,
            capture_output=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            cwd=folder.parent,
        )
    except subprocess.TimeoutExpired:
        raise WorkerFailed(f"one-shot timed out after {timeout:.0f} s") from None
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):  # askbot: 1 = declined, still an answer
        raise WorkerFailed(done.stderr.decode(errors="replace").strip()[-200:])
    return elapsed


@dataclass
class Row:
    """One line of the table."""

    size: int
    system: str
    cells: dict[str, float | str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass
class Options:
    sizes: list[int]
    systems: list[str]
    workdir: Path
    seed: int
    queries: int
    rank_queries_at_1m: int
    oneshots: int
    article_rounds: int
    timeout: float
    memory_gib: float
    src: Path
    rev: str | None


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (linear interpolation), as numpy computes it."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def measure_size(size: int, options: Options) -> list[Row]:
    """Every measurement of one corpus size, for every system."""
    from corpus import CorpusSpec, ensure_corpus, make_queries, size_label

    spec = CorpusSpec(size, seed=options.seed)
    label = size_label(size)
    started = time.perf_counter()
    folder = ensure_corpus(spec, options.workdir)
    _log(f"[{label}] corpus {folder} ready in {time.perf_counter() - started:.1f} s")
    questions = make_queries(spec, options.queries, seed=options.seed + 1)
    warmup = make_queries(spec, 10, seed=options.seed + 2)
    run = options.workdir / f"run-{label}-s{options.seed}"
    shutil.rmtree(run, ignore_errors=True)
    run.mkdir(parents=True)
    stores = {
        "askbot": run / "askbot-cache",
        "rank_bm25": run / "rank_bm25.pickle",
        "bm25s": run / "bm25s-index",
    }
    stores["askbot"].mkdir()
    rows = {s: Row(size, s) for s in options.systems}
    if "bm25s" in options.systems:
        rows["bm25s retrieve"] = Row(size, "bm25s retrieve")
    failed: dict[str, str] = {}

    def task(system: str, kind: str, **extra: Any) -> Json | None:
        if system in failed:
            return None
        try:
            base = {"task": kind, "system": system, "folder": str(folder), "store": str(stores[system])}
            return spawn({**base, **extra}, options.src, options.timeout, options.memory_gib)
        except WorkerFailed as error:
            failed[system] = f"{kind}: {error}"
            rows[system].notes.append(f"{kind} failed: {error}")
            _log(f"[{label}] {system} {kind} FAILED: {error}")
            return None

    for system in options.systems:
        result = task(system, "build")
        if result is None:
            continue
        row = rows[system]
        row.cells.update(build=result["build_s"], peak=result.get("tree_mib") or result["rss_mib"])
        if "segments" in result:
            row.notes.append(f"{result['segments']} segments")
        if result["passages"] != size:
            row.notes.append(f"{result['passages']:,} passages")
        if "read_s" in result:
            row.notes.append(f"read {result['read_s']:.2f} s")
        if "cache_mib" in result:
            row.notes.append(f"cache {result['cache_mib']:.0f} MiB")
        _log(f"[{label}] {system} build {result['build_s']:.2f} s, peak {row.cells['peak']:.0f} MiB")

    loads: dict[str, list[float]] = {s: [] for s in options.systems}
    for _ in range(3):
        for system in options.systems:
            result = task(system, "load")
            if result is not None:
                loads[system].append(result["load_s"])
                rss = max(float(rows[system].cells.get("loaded_rss", 0.0)), result["rss_mib"])
                rows[system].cells["loaded_rss"] = rss
    for system, times in loads.items():
        if times:
            rows[system].cells["load"] = statistics.median(times)
            _log(f"[{label}] {system} load {statistics.median(times):.3f} s")

    for system in options.systems:
        count = options.rank_queries_at_1m if system == "rank_bm25" and size >= 1_000_000 else len(questions)
        result = task(system, "query", questions=questions[:count], warmup=warmup[: 2 if count < 50 else 10])
        if result is None:
            continue
        for name, times in result["times"].items():
            rows[name].cells.update(
                p50=1000 * statistics.median(times),
                p95=1000 * percentile(times, 95),
                mean=1000 * statistics.mean(times),
            )
            if name == "rank_bm25" and count < len(questions):
                rows[name].notes.append(f"{count} questions")
            _log(
                f"[{label}] {name} p50 {rows[name].cells['p50']:.2f} ms, p95 {rows[name].cells['p95']:.2f} ms"
            )

    shots: dict[str, list[float]] = {s: [] for s in options.systems if s not in failed}
    for n in range(options.oneshots + 1):  # the first round warms the page cache and is not counted
        for system in list(shots):
            try:
                elapsed = time_oneshot(
                    system,
                    folder,
                    stores[system],
                    questions[n % len(questions)],
                    options.src,
                    options.timeout,
                )
            except WorkerFailed as error:
                rows[system].notes.append(f"one-shot failed: {error}")
                del shots[system]
                continue
            if n:
                shots[system].append(elapsed)
    for system, times in shots.items():
        if times:
            rows[system].cells["oneshot"] = statistics.median(times)
            _log(f"[{label}] {system} one-shot {statistics.median(times):.3f} s")

    if "askbot" in options.systems:
        askbot_after_change(
            label, rows["askbot"], task, questions, options.workdir / f"answers-{label}.jsonl"
        )
    return list(rows.values()) + ratio_rows(size, rows)


def askbot_after_change(
    label: str, row: Row, task: Callable[..., Json | None], questions: list[str], answers: Path
) -> None:
    """askbot's whole-process figures: a batch, a question after one file or every file changed, a merge."""
    result = task("askbot", "batch", questions=questions, rounds=3)
    if result is not None:
        row.cells["batch"] = 1000 * statistics.median(result["times"])
        answers.write_text(result["answers"], encoding="utf-8")
        row.notes.append(f"batch answers sha1 {result['answers_sha1'][:12]}")
        _log(f"[{label}] askbot batch {row.cells['batch']:.2f} ms a question")
    result = task("askbot", "reindex", rounds=3, question=questions[0])
    if result is not None:
        row.cells["reindex"] = statistics.median(result["times"])
        _log(f"[{label}] askbot question after one file changed {row.cells['reindex']:.2f} s")
    result = task("askbot", "merge")
    if result is not None:
        row.cells["merge"] = result["merge_s"]
        row.notes.append(f"merge of {result['segments_before']} segments, {result['passages']:,} passages")
        _log(f"[{label}] askbot merge {result['merge_s']:.2f} s")
    result = task("askbot", "worst", question=questions[0])
    if result is not None:
        row.cells["worst"] = result["times"][0]
        _log(
            f"[{label}] askbot question after all {result['files']} files changed {row.cells['worst']:.2f} s"
        )


def ratio_rows(size: int, rows: dict[str, Row]) -> list[Row]:
    """askbot divided by each baseline, column by column."""
    ratios = []
    askbot = rows.get("askbot")
    if askbot is None:
        return []
    for baseline in ("bm25s", "rank_bm25"):
        other = rows.get(baseline)
        if other is None:
            continue
        row = Row(size, f"askbot ÷ {baseline}")
        for column in ("build", "peak", "load", "p50", "p95", "mean", "oneshot"):
            a, b = askbot.cells.get(column), other.cells.get(column)
            if isinstance(a, float) and isinstance(b, float) and b > 0:
                row.cells[column] = _ratio(a / b)
        ratios.append(row)
    return ratios


def _ratio(value: float) -> str:
    """A ratio with two significant digits below 1 ("0.0039×", "0.41×") and one decimal above."""
    return f"{value:.2g}×" if value < 1 else f"{value:.1f}×"


COLUMNS = (
    ("build", "build s", "{:.2f}"),
    ("peak", "build peak MiB", "{:,.0f}"),
    ("load", "load s", "{:.3f}"),
    ("loaded_rss", "loaded RSS MiB", "{:,.0f}"),
    ("p50", "p50 ms", "{:.2f}"),
    ("p95", "p95 ms", "{:.2f}"),
    ("mean", "mean ms", "{:.2f}"),
    ("batch", "batch ms/q", "{:.2f}"),
    ("oneshot", "one-shot s", "{:.3f}"),
    ("reindex", "1 file changed s", "{:.2f}"),
    ("merge", "merge all s", "{:.2f}"),
    ("worst", "all files changed s", "{:.2f}"),
)


def render_table(rows: list[Row]) -> str:
    """The Markdown table of all rows."""
    from corpus import size_label

    header = ["passages", "system", *(title for _, title, _ in COLUMNS), "notes"]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for row in rows:
        cells = [size_label(row.size), row.system]
        for key, _, spec in COLUMNS:
            value = row.cells.get(key)
            cells.append("—" if value is None else value if isinstance(value, str) else spec.format(value))
        cells.append("; ".join(row.notes))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def bundled_oneshot(options: Options) -> tuple[float, tuple[float, float]]:
    """askbot's one-shot on the bundled article over `import rank_bm25`, and both medians in ms."""
    import tempfile

    import oneshot

    with tempfile.TemporaryDirectory(prefix="askbot-oneshot-") as cache:
        env = oneshot.environment(options.src, Path(cache))
        times = oneshot.measure(options.article_rounds, env, sys.executable)
    rank, askbot = (statistics.median(v) for name, v in times.items() if name != "python -c pass")
    _log(f"bundled article: askbot one-shot {1000 * askbot:.0f} ms, import rank_bm25 {1000 * rank:.0f} ms")
    return askbot / rank, (1000 * askbot, 1000 * rank)


def header(options: Options) -> str:
    """When, where and how the numbers were taken."""
    load = os.getloadavg()
    return (
        f"# askbot scale benchmark, {dt.datetime.now():%Y-%m-%d %H:%M}\n\n"
        f"Python {platform.python_version()}, {os.cpu_count()} cores, load average {load[0]:.2f} at start; "
        f"seed {options.seed}; {options.queries} questions per size ({options.rank_queries_at_1m} for "
        f"rank_bm25 at 1M); medians.\n\naskbot measured: {describe_source(options.src, options.rev)}.\n\n"
        f"Command: `{' '.join(sys.argv)}`\n"
    )


def parse_args(argv: Sequence[str] | None) -> Options:
    from corpus import DEFAULT_WORKDIR, parse_size

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1k,10k,100k,1M", help="comma-separated passage counts")
    parser.add_argument("--quick", action="store_true", help="the same as --sizes 1k,10k")
    parser.add_argument(
        "--systems", default=",".join(SYSTEMS), help="comma-separated, of " + ", ".join(SYSTEMS)
    )
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--queries", type=int, default=200, help="questions per size")
    parser.add_argument(
        "--rank-queries-at-1m", type=int, default=20, help="rank_bm25 takes ~1 s a question there"
    )
    parser.add_argument("--oneshots", type=int, default=5, help="one-shot runs per system")
    parser.add_argument(
        "--article-rounds", type=int, default=15, help="one-shots on the bundled article (bench/oneshot.py)"
    )
    parser.add_argument("--timeout", type=float, default=3600, help="seconds for any one measuring process")
    parser.add_argument("--memory-gib", type=float, default=16, help="address-space limit of each process")
    parser.add_argument(
        "--src", type=Path, default=ROOT / "src", help="the askbot to measure: a folder holding askbot/"
    )
    parser.add_argument("--rev", help="measure this git revision instead (exported under --workdir)")
    args = parser.parse_args(argv)
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = set(systems) - set(SYSTEMS)
    if unknown:
        parser.error(f"unknown systems: {', '.join(sorted(unknown))}")
    sizes = [parse_size(s) for s in ("1k,10k" if args.quick else args.sizes).split(",") if s.strip()]
    return Options(
        sizes,
        systems,
        args.workdir,
        args.seed,
        args.queries,
        args.rank_queries_at_1m,
        args.oneshots,
        args.article_rounds,
        args.timeout,
        args.memory_gib,
        *(export_revision(args.rev, args.workdir) if args.rev else (args.src.resolve(), None)),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Measure every size, print the table and write it to bench/out/."""
    options = parse_args(argv)
    compile_source(options.src)
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    stem = out / f"scale-{dt.datetime.now():%Y-%m-%d-%H%M}"
    top = header(options)
    rows: list[Row] = []
    report = top
    ratio, medians = bundled_oneshot(options) if options.article_rounds else (None, None)
    for size in options.sizes:
        rows += measure_size(size, options)
        table = render_targets(targets(rows, ratio, medians), rows)
        report = "\n".join([top, render_table(rows), "", "## Targets (issue 12)", "", table, ""])
        stem.with_suffix(".md").write_text(report, encoding="utf-8")
        raw = [{"size": r.size, "system": r.system, **r.cells, "notes": r.notes} for r in rows]
        stem.with_suffix(".json").write_text(json.dumps(raw, indent=1), encoding="utf-8")
    print(report)
    print(f"(written to {stem.with_suffix('.md')})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
