"""The targets of issue 12, checked against one run of bench/scale.py: the table the README shows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

GIB = 1024.0


@dataclass(frozen=True)
class Target:
    """One line of the targets table."""

    figure: str
    target: str
    askbot: str
    other: str
    met: bool | None  # None: not measured


def _cell(rows: Sequence[Any], size: int, system: str, key: str) -> float | None:
    for row in rows:
        if row.size == size and row.system == system:
            value = row.cells.get(key)
            return value if isinstance(value, float) else None
    return None


def targets(
    rows: Sequence[Any], oneshot_ratio: float | None, oneshot_ms: tuple[float, float] | None
) -> list[Target]:
    """The issue's targets at 1M (and 100k where it asks), from the rows of one run."""
    big, mid = 1_000_000, 100_000
    found: list[Target] = []

    def compare(
        figure: str, target: str, ours: float | None, theirs: float | None, unit: str, scale: float
    ) -> None:
        met = None if ours is None or theirs is None else ours <= theirs
        found.append(Target(figure, target, _show(ours, unit, scale), _show(theirs, unit, scale), met))

    def limit(figure: str, target: str, ours: float | None, bound: float, unit: str, scale: float) -> None:
        met = None if ours is None else ours <= bound
        found.append(Target(figure, target, _show(ours, unit, scale), "", met))

    compare(
        "first indexing at 1M",
        "≤ bm25s's tokenise + index time",
        _cell(rows, big, "askbot", "build"),
        _cell(rows, big, "bm25s", "build"),
        "s",
        1.0,
    )
    limit(
        "peak memory while indexing at 1M",
        "≤ 1.5 GiB",
        _cell(rows, big, "askbot", "peak"),
        1.5 * GIB,
        "GiB",
        1 / GIB,
    )
    for size, label in ((mid, "100k"), (big, "1M")):
        compare(
            f"per-question time in a batch at {label}",
            "≤ bm25s retrieve (k=5), identical answers",
            _cell(rows, size, "askbot", "batch"),
            _cell(rows, size, "bm25s retrieve", "mean"),
            "ms",
            1.0,
        )
    limit(
        "one-shot question from a warm cache at 1M",
        "≤ 0.5 s",
        _cell(rows, big, "askbot", "oneshot"),
        0.5,
        "s",
        1.0,
    )
    limit(
        "next question after one file of 10,000 passages changes at 1M",
        "≤ 2 s",
        _cell(rows, big, "askbot", "reindex"),
        2.0,
        "s",
        1.0,
    )
    other = f"{oneshot_ms[0]:.0f} ms / {oneshot_ms[1]:.0f} ms" if oneshot_ms else ""
    met = None if oneshot_ratio is None else oneshot_ratio <= 1.2
    shown = "—" if oneshot_ratio is None else f"{oneshot_ratio:.2f}×"
    found.append(
        Target("one-shot on the bundled article", '≤ 1.2× `python -c "import rank_bm25"`', shown, other, met)
    )
    return found


def _show(value: float | None, unit: str, scale: float) -> str:
    if value is None:
        return "—"
    shown = value * scale
    return f"{shown:,.2f} {unit}" if shown < 100 else f"{shown:,.0f} {unit}"


def render(found: Sequence[Target], rows: Sequence[Any]) -> str:
    """The targets table in Markdown, then the costs the issue asks to state."""
    lines = ["| figure | target | askbot | bm25s / baseline | met |", "|---|---|---|---|---|"]
    for t in found:
        verdict = "—" if t.met is None else "yes" if t.met else "**no**"
        lines.append(f"| {t.figure} | {t.target} | {t.askbot} | {t.other} | {verdict} |")
    for size, label in ((100_000, "100k"), (1_000_000, "1M")):
        merge, worst = _cell(rows, size, "askbot", "merge"), _cell(rows, size, "askbot", "worst")
        if merge is not None or worst is not None:
            lines.append(
                f"\nAt {label}: merging every segment into one took {_show(merge, 's', 1.0)}; "
                f"the next question after every file changed took {_show(worst, 's', 1.0)}."
            )
    return "\n".join(lines)
