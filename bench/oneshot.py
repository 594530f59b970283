"""One-shot latency of askbot on the bundled article, next to `import rank_bm25`, in the same run.

    .venv/bin/python bench/oneshot.py               # 20 rounds
    .venv/bin/python bench/oneshot.py --rounds 40
    .venv/bin/python bench/oneshot.py --rev HEAD      # the last commit, not the work tree

Run it from the repository root with the project venv (src/ is put on PYTHONPATH for you).
hyperfine is not needed: each round starts every command once in a fresh process, in an order
that rotates from round to round, and the table gives medians of the wall times. askbot answers
from a warm cache (ASKBOT_CACHE_DIR in a temporary folder, filled by a warm-up run that is not
counted). Target (issue 12): askbot / `import rank_bm25` ≤ 1.2.

Then it lists what askbot imports on that path (`python -X importtime`), grouped by top-level
package with the time spent in each package's own module bodies, and fails loudly if
prompt_toolkit is among them: a one-shot answer must not pay for the REPL.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from corpus import DEFAULT_WORKDIR
from scale import compile_source, describe_source, export_revision

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "who leads NMI?"
TARGET_RATIO = 1.2
FORBIDDEN = ("prompt_toolkit",)


def commands(python: str) -> dict[str, list[str]]:
    """The measured commands by name."""
    return {
        "python -c pass": [python, "-c", "pass"],
        "python -c 'import rank_bm25'": [python, "-c", "import rank_bm25"],
        f'python -m askbot "{QUESTION}"': [python, "-m", "askbot", QUESTION],
    }


def environment(src: Path, cache_dir: Path) -> dict[str, str]:
    """The environment of every run: askbot's src on the path, a private cache, the bundled article."""
    env = {k: v for k, v in os.environ.items() if k not in ("ASKBOT_KNOWLEDGE", "PYTHONSTARTUP")}
    env.update(PYTHONPATH=str(src), ASKBOT_CACHE_DIR=str(cache_dir), NO_COLOR="1")
    return env


def run(command: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Wall seconds of one run, and what it printed."""
    started = time.perf_counter()
    done = subprocess.run(
        command,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        cwd=env["ASKBOT_CACHE_DIR"],
    )
    return time.perf_counter() - started, done


def measure(rounds: int, env: dict[str, str], python: str) -> dict[str, list[float]]:
    """Wall times of every command, interleaved: one of each per round, the order rotating."""
    named = commands(python)
    for command in named.values():  # warm-up: the page cache, and askbot's index cache
        _, done = run(command, env)
        if done.returncode != 0:
            raise SystemExit(f"FAIL: {' '.join(command)} exited {done.returncode}: {done.stderr.strip()}")
    times: dict[str, list[float]] = {name: [] for name in named}
    names = list(named)
    for r in range(rounds):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            elapsed, _ = run(named[name], env)
            times[name].append(elapsed)
    return times


def quartiles(values: list[float]) -> tuple[float, float]:
    """The first and third quartiles."""
    q = statistics.quantiles(values, n=4)
    return q[0], q[2]


def import_profile(env: dict[str, str], python: str) -> dict[str, float]:
    """Milliseconds spent in each module's own body on askbot's one-shot path (`-X importtime`)."""
    _, done = run([python, "-X", "importtime", "-m", "askbot", QUESTION], env)
    own: dict[str, float] = defaultdict(float)
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        fields = line[len("import time:") :].split("|")
        if len(fields) != 3 or not fields[0].strip().isdigit():
            continue  # the header line
        own[fields[2].strip()] += int(fields[0]) / 1000
    return dict(own)


def kind_of(package: str) -> str:
    """project, stdlib, third-party (installed in site-packages) or other (a site hook, a failed import)."""
    if package == "askbot":
        return "project"
    if package in sys.stdlib_module_names:
        return "stdlib"
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        spec = None
    origin = spec.origin if spec is not None else None
    return "third-party" if origin and "site-packages" in origin else "other"


def report(times: dict[str, list[float]], modules: dict[str, float]) -> tuple[str, bool]:
    """The Markdown report, and whether every check passed."""
    own: dict[str, float] = defaultdict(float)  # by top-level package
    for module, ms in modules.items():
        own[module.split(".")[0]] += ms
    lines = ["| command | median ms | IQR ms | runs |", "|---|---|---|---|"]
    for name, values in times.items():
        low, high = quartiles(values)
        median = statistics.median(values)
        lines.append(
            f"| `{name}` | {1000 * median:.0f} | {1000 * low:.0f}–{1000 * high:.0f} | {len(values)} |"
        )
    medians = [statistics.median(v) for v in times.values()]
    bare, rank, askbot = medians
    ratio = askbot / rank
    ok = ratio <= TARGET_RATIO
    lines += [
        "",
        f"askbot / import rank_bm25 = {ratio:.2f} (target ≤ {TARGET_RATIO}): {'PASS' if ok else 'FAIL'}",
        f"askbot beyond `import rank_bm25`: {1000 * (askbot - rank):.0f} ms; beyond `pass`: "
        f"{1000 * (askbot - bare):.0f} ms",
        "",
        f"Imported on the one-shot path: {len(modules)} modules; time in each package's own modules "
        "(`-X importtime` self times, one run, so noisy):",
        "",
        "| package | ms | kind |",
        "|---|---|---|",
    ]
    for package, ms in sorted(own.items(), key=lambda item: -item[1]):
        if ms >= 0.5 or package == "askbot":
            lines.append(f"| {package} | {ms:.1f} | {kind_of(package)} |")
    third = sorted(p for p in own if kind_of(p) == "third-party")
    askbot_modules = sorted((m, ms) for m, ms in modules.items() if m.split(".")[0] == "askbot")
    lines += ["", f"third-party packages imported: {', '.join(third) or 'none'}"]
    lines += ["askbot modules imported (own ms): " + ", ".join(f"{m} {ms:.1f}" for m, ms in askbot_modules)]
    for package in FORBIDDEN:
        if package in own:
            ok = False
            lines.append(f"FAIL: {package} is imported on the one-shot path")
        else:
            lines.append(f"PASS: {package} is not imported on the one-shot path")
    return "\n".join(lines), ok


def main(argv: Sequence[str] | None = None) -> int:
    """Measure, print the report; exit 1 when a check fails."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=20, help="runs of each command")
    parser.add_argument(
        "--python", default=sys.executable, help="the interpreter to measure (default: this one)"
    )
    parser.add_argument(
        "--src", type=Path, default=ROOT / "src", help="the askbot to measure: a folder holding askbot/"
    )
    parser.add_argument("--rev", help=f"measure this git revision instead (exported under {DEFAULT_WORKDIR})")
    args = parser.parse_args(argv)
    src, commit = export_revision(args.rev, DEFAULT_WORKDIR) if args.rev else (args.src.resolve(), None)
    compile_source(src)
    with tempfile.TemporaryDirectory(prefix="askbot-oneshot-") as cache:
        env = environment(src, Path(cache))
        times = measure(args.rounds, env, args.python)
        _, answer = run(commands(args.python)[f'python -m askbot "{QUESTION}"'], env)
        modules = import_profile(env, args.python)
    load = os.getloadavg()[0]
    print(f"# askbot one-shot latency ({args.rounds} interleaved rounds, load average {load:.2f})\n")
    print(f"askbot measured: {describe_source(src, commit)}.\n")
    first_line = (answer.stdout.strip().splitlines() or ["(nothing)"])[0]
    print(f"askbot answered: {first_line[:100]}\n")
    text, ok = report(times, modules)
    print(text)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
