"""Calibration of a confidence: expected calibration error, a reliability table and a reliability plot."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

BINS = 10


def bins(
    confidences: Sequence[float], right: Sequence[bool], count: int = BINS
) -> list[tuple[int, float, float]]:
    """(questions, mean confidence, share right) of each of `count` equal-width confidence bins."""
    groups: list[list[tuple[float, bool]]] = [[] for _ in range(count)]
    for c, r in zip(confidences, right, strict=True):
        groups[min(int(c * count), count - 1)].append((c, r))
    out = []
    for group in groups:
        if group:
            out.append(
                (len(group), sum(c for c, _ in group) / len(group), sum(r for _, r in group) / len(group))
            )
        else:
            out.append((0, float("nan"), float("nan")))
    return out


def ece(confidences: Sequence[float], right: Sequence[bool], count: int = BINS) -> float:
    """Expected calibration error: the questions-weighted mean |confidence - share right| over the bins."""
    total = len(confidences)
    return (
        sum(n * abs(c - r) for n, c, r in bins(confidences, right, count) if n) / total
        if total
        else float("nan")
    )


def reliability_table(confidences: Sequence[float], right: Sequence[bool]) -> str:
    """One line per confidence bin: its range, how many questions, their mean confidence, the share right."""
    lines = [f"  {'confidence':<12}{'questions':>10}{'mean conf':>11}{'right':>8}"]
    for b, (n, c, r) in enumerate(bins(confidences, right)):
        low, high = b / BINS, (b + 1) / BINS
        shown = f"{c:11.3f}{r:8.3f}" if n else f"{'':11}{'':8}"
        lines.append(f"  {low:.1f}-{high:.1f}    {n:>10}{shown}")
    lines.append(f"  ECE {ece(confidences, right):.3f} over {len(confidences)} questions")
    return "\n".join(lines)


_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e")


def write_plot(path: Path, curves: Mapping[str, tuple[Sequence[float], Sequence[bool]]]) -> None:
    """An SVG reliability diagram: share right against mean confidence per bin, one line per set."""
    size, pad = 360, 40
    scale = size - 2 * pad

    def x(v: float) -> float:
        return pad + v * scale

    def y(v: float) -> float:
        return size - pad - v * scale

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size + 160}" height="{size}"'
        ' font-family="sans-serif" font-size="11">',
        f'<rect x="{pad}" y="{pad}" width="{scale}" height="{scale}" fill="none" stroke="#888"/>',
        f'<line x1="{x(0)}" y1="{y(0)}" x2="{x(1)}" y2="{y(1)}" stroke="#bbb" stroke-dasharray="4 3"/>',
        f'<text x="{size / 2}" y="{size - 8}" text-anchor="middle">confidence shown</text>',
        f'<text x="12" y="{size / 2}" transform="rotate(-90 12 {size / 2})" text-anchor="middle">'
        "share right</text>",
    ]
    for tick in (0, 0.5, 1):
        parts.append(f'<text x="{x(tick)}" y="{size - pad + 14}" text-anchor="middle">{tick}</text>')
        parts.append(f'<text x="{pad - 6}" y="{y(tick) + 4}" text-anchor="end">{tick}</text>')
    for n, (name, (confidences, right)) in enumerate(curves.items()):
        colour = _COLOURS[n % len(_COLOURS)]
        points = [(c, r, k) for k, c, r in bins(confidences, right) if k]
        line = " ".join(f"{x(c):.1f},{y(r):.1f}" for c, r, _ in points)
        parts.append(f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for c, r, k in points:
            radius = 2 + min(6.0, k**0.5 / 3)
            parts.append(f'<circle cx="{x(c):.1f}" cy="{y(r):.1f}" r="{radius:.1f}" fill="{colour}"/>')
        label = f"{name} (ECE {ece(confidences, right):.3f})"
        parts.append(f'<text x="{size}" y="{pad + 16 * n + 10}" fill="{colour}">{label}</text>')
    parts.append("</svg>")
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")
