"""Admonitions as documentation sites write them in Markdown, turned into plain Markdown and a title.

    !!! tip "Large files"            mkdocs (Python-Markdown's admonition; ??? and ???+ fold it)
        It is safe to upload large files this way.

    > [!NOTE]                        GitHub's alerts
    > Useful information.

    :::tip[Large files]              Docusaurus (also ":::tip Large files"); more colons nest
    It is safe to upload large files this way.
    :::

CommonMark reads the markers as prose ("!!! tip It is safe…"), and the indented mkdocs body can even
become a code block.  Here each marker line is blanked and an mkdocs body dedented, so that every
line keeps its number for citations, and the callout's title (or its kind, "Tip", as the sites show
it) is kept with the lines it covers, to go into the citation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Callout:
    """The title of an admonition and the 1-based lines of its body."""

    first: int
    last: int
    title: str


_MKDOCS_RE = re.compile(
    r"^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?)[ \t]+(?P<kind>[\w-]+)"  # !!! tip, ??? note, ???+ note
    r'(?:[ \t]+[\w -]*?)?(?:[ \t]*"(?P<title>[^"]*)")?[ \t]*$'  # more classes ("inline end"), "Title"
)
_GITHUB_RE = re.compile(
    r"^(?P<quote>[ \t]*>[ \t]*)\[!(?P<kind>NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][ \t]*$", re.IGNORECASE
)
_DOCUSAURUS_RE = re.compile(
    r"^[ \t]*(?P<colons>:{3,})(?P<kind>[A-Za-z][\w-]*)"  # :::tip
    r"(?:\[(?P<t1>[^\]]*)\]|[ \t]+(?P<t2>\S.*?))?[ \t]*$"  # [Title], or a title after a space
)
_DOCUSAURUS_END_RE = re.compile(r"^[ \t]*(?P<colons>:{3,})[ \t]*$")
_FENCE_RE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")


def unwrap_callouts(text: str) -> tuple[str, list[Callout]]:
    """The text with admonition markers blanked and mkdocs bodies dedented, and the callouts found."""
    lines = text.split("\n")
    callouts: list[Callout] = []
    open_colons: list[tuple[int, int, str]] = []  # Docusaurus: (colons, first line index, title)
    fence = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        fence = _fence_after(line, fence)
        if fence and not _FENCE_RE.match(line):
            i += 1
            continue
        if (match := _MKDOCS_RE.match(line)) is not None:
            end = _mkdocs_body_end(lines, i, len(match["indent"].expandtabs(4)))
            lines[i] = ""
            for j in range(i + 1, end):
                lines[j] = _dedent(lines[j], len(match["indent"].expandtabs(4)) + 4)
            callouts.append(Callout(i + 2, end, _title(match["title"], match["kind"])))
        elif (match := _GITHUB_RE.match(line)) is not None:
            end = i + 1
            while end < len(lines) and lines[end].lstrip().startswith(">"):
                end += 1
            lines[i] = match["quote"].rstrip()
            callouts.append(Callout(i + 2, end, _title(None, match["kind"])))
        elif (match := _DOCUSAURUS_RE.match(line)) is not None:
            open_colons.append((len(match["colons"]), i, _title(match["t1"] or match["t2"], match["kind"])))
            lines[i] = ""
        elif (match := _DOCUSAURUS_END_RE.match(line)) is not None and open_colons:
            colons = len(match["colons"])
            if any(c == colons for c, _, _ in open_colons):
                while open_colons:
                    c, first, title = open_colons.pop()
                    callouts.append(Callout(first + 2, i, title))
                    if c == colons:
                        break
                lines[i] = ""
        i += 1
    return "\n".join(lines), sorted(callouts, key=lambda c: (c.first, -c.last))


def callout_title(callouts: list[Callout], line: int) -> str:
    """The title of the innermost callout holding `line`, or ""."""
    titles = [c for c in callouts if c.first <= line <= c.last]
    return min(titles, key=lambda c: c.last - c.first).title if titles else ""


def _fence_after(line: str, fence: str) -> str:
    """The code fence open after `line`, given the one open before it ("" for none)."""
    match = _FENCE_RE.match(line)
    if match is None:
        return fence
    marker = match["fence"]
    if not fence:
        return marker
    return "" if marker[0] == fence[0] and len(marker) >= len(fence) else fence


def _mkdocs_body_end(lines: list[str], start: int, indent: int) -> int:
    """The index after the last line of an mkdocs body: lines indented past the marker, and blank ones."""
    last = start + 1
    for end in range(start + 1, len(lines)):
        line = lines[end].expandtabs(4)
        if line.strip():
            if len(line) - len(line.lstrip()) <= indent:
                break
            last = end + 1
    return last


def _dedent(line: str, width: int) -> str:
    """The line with up to `width` columns of leading whitespace taken off."""
    expanded = line.expandtabs(4)
    return expanded[min(width, len(expanded) - len(expanded.lstrip())) :]


def _title(title: str | None, kind: str) -> str:
    """The title a site shows: the one written, else the kind capitalised ("tip" → "Tip")."""
    if title is not None and title.strip():
        return " ".join(title.split())
    return kind.replace("-", " ").capitalize()
