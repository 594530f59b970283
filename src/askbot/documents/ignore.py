"""Ignore files as git and ripgrep read them: .gitignore, .ignore and .askbotignore.

As in git and ripgrep, a deeper ignore file overrides a shallower one, within a folder `.askbotignore`
overrides `.ignore`, which overrides `.gitignore`, and within a file the last matching pattern wins.
Patterns are compiled by pathspec (gitignore's wildmatch syntax) and decided here: pathspec's
GitIgnoreSpec lets a negated pattern re-include a file inside an excluded folder and ranks file
patterns above folder patterns whatever their order (python-pathspec#129, psf/black#3694), where git
lets the last match decide and never looks inside an excluded folder.  The walk checks each folder
before entering it, so a pattern here need only match the path itself.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

IGNORE_FILES = (".askbotignore", ".ignore", ".gitignore")  # the first that decides, wins
# pathspec names a group in each pattern's expression: "(?P<ps_d>/)".
_NAMED_GROUP = r"\(\?P<\w+>"


class IgnoreFile:
    """The patterns of one ignore file, and where the paths they match are relative to.

    The patterns are compiled when a path first could match one of them: pathspec takes ~10 ms to
    import, and a one-shot question in a folder inside a git repository would pay that on every run
    for a .gitignore that names nothing in it.  "Could" is judged by the pattern's literal pieces
    (what lies between `*`, `?` and `/`), each of which a matching path must hold; a pattern with a
    bracket or an escape is always compiled.  The matching itself is pathspec's.
    """

    def __init__(self, label: str, base: str, above: str, lines: Sequence[tuple[int, str]]) -> None:
        self.label = label  # how reasons name it: ".gitignore", "docs/.ignore", "../.gitignore"
        self.base = (
            base  # the source path of its folder inside the root, with "/", or "" (the root, or above)
        )
        self.above = above  # the root's path relative to its folder, with "/", when it lies above the root
        self._lines = lines  # (line number, pattern), in file order, comments and blank lines left out
        self._pieces = [_literal_pieces(line) for _, line in lines]
        self._compiled: _Compiled | None = None

    def decide(self, source: str, is_folder: bool) -> tuple[bool, str] | None:
        """(ignored?, reason) from the last pattern matching `source`, or None when none does."""
        if not source.startswith(self.base):
            return None
        mark = "/" if is_folder else ""
        path = self.above + source[len(self.base) :] + mark
        name = source[source.rfind("/") + 1 :] + mark
        if self._compiled is None:
            if not any(all(piece in path for piece in pieces) for pieces in self._pieces):
                return None
            self._compiled = _compile_all(self._lines)
        compiled = self._compiled
        if not _matches(compiled.any_name, name) and not _matches(compiled.any_path, path):
            return None
        for pattern in reversed(compiled.patterns):
            if pattern.whole.match(name if pattern.on_name else path) is not None:
                return pattern.ignores, f"{self.label}:{pattern.number}: {pattern.line}"
        return None


class _Compiled(NamedTuple):
    patterns: Sequence[_Pattern]  # in file order
    # All name patterns in one expression, and all path patterns in another: whether any matches.
    any_name: re.Pattern[str] | None
    any_path: re.Pattern[str] | None


def _literal_pieces(line: str) -> tuple[str, ...]:
    """The pieces of a pattern that a matching path must hold as they are; () when that is not known."""
    if "[" in line or "\\" in line:
        return ()
    pattern = line.removeprefix("!").rstrip(" ").replace("*", "/").replace("?", "/")
    return tuple(piece for piece in pattern.split("/") if piece)


class _Pattern(NamedTuple):
    """One line of an ignore file, compiled."""

    number: int
    line: str
    ignores: bool  # False for a negated ("!") pattern, which re-includes
    on_name: bool  # a pattern without a slash ("*.log", "build/") matches the last part of a path only
    # pathspec's expression, held to end where the path ends: pathspec also matches whatever lies
    # inside a matching folder, and a walk that never enters an ignored folder wants the path itself.
    whole: re.Pattern[str]


def _matches(expression: re.Pattern[str] | None, text: str) -> bool:
    return expression is not None and expression.match(text) is not None


# How pathspec starts the expression of a pattern without a slash: any folders, then the name.
_ANY_FOLDERS = "^(?:.+/)?"


def _compile(number: int, line: str) -> _Pattern | None:
    """One ignore-file line compiled by pathspec; None for a line git would skip (a trailing backslash)."""
    from pathspec.patterns.gitignore.spec import GitIgnoreSpecPattern

    try:
        compiled = GitIgnoreSpecPattern(line)
    except ValueError:  # GitIgnorePatternError
        return None
    if compiled.include is None or compiled.regex is None:
        return None
    expression = str(compiled.regex.pattern)
    on_name = expression.startswith(_ANY_FOLDERS)
    if on_name:
        expression = expression[len(_ANY_FOLDERS) :]
    elif expression.startswith("^"):
        expression = expression[1:]
    else:  # pathspec searches an unanchored expression ("*/" is any "/"): any start will do
        expression = f"(?s:.*?)(?:{expression})"
    return _Pattern(number, line, compiled.include, on_name, re.compile(f"(?:{expression})\\Z"))


def ignored_by(rules: list[IgnoreFile], source: str, is_folder: bool) -> str | None:
    """Why ignore files ignore `source`, or None; the most specific file with a matching pattern decides."""
    for rule in rules:
        decision = rule.decide(source, is_folder)
        if decision is not None:
            ignored, reason = decision
            return reason if ignored else None
    return None


def read_rules(path: Path, base: str, label: str, above: str = "") -> IgnoreFile:
    """The patterns of one ignore file (compiled when first needed)."""
    try:
        text = path.read_bytes()[: 1 << 20].decode("utf-8", "replace")
    except OSError:
        text = ""
    lines = [(n, line.rstrip("\r")) for n, line in enumerate(text.split("\n"), 1)]
    kept = [(n, line) for n, line in lines if line.strip() and not line.startswith("#")]
    return IgnoreFile(label if not base else base + label, base, above, kept)


def _compile_all(lines: Sequence[tuple[int, str]]) -> _Compiled:
    """Every line compiled by pathspec; lines git would reject (a trailing backslash) are left out."""
    compiled = [_compile(n, line) for n, line in lines]
    patterns = [p for p in compiled if p is not None]
    return _Compiled(
        patterns,
        _any_of([p for p in patterns if p.on_name]),
        _any_of([p for p in patterns if not p.on_name]),
    )


def _any_of(patterns: Sequence[_Pattern]) -> re.Pattern[str] | None:
    """One expression matching wherever any of the patterns matches, to pass most paths over in one step."""
    if not patterns:
        return None
    # pathspec names a group in each pattern; names may not repeat, so the union keeps none.
    return re.compile("|".join(re.sub(_NAMED_GROUP, "(?:", p.whole.pattern) for p in patterns))


def rules_above(root: Path) -> list[IgnoreFile]:
    """The ignore files of the folders above `root` up to the top of its git repository, nearest first.

    None when `root` is not inside a git repository: a folder's parents are then no project of its.
    """
    try:
        root = root.resolve()
    except OSError:
        return []
    if (root / ".git").exists():
        return []
    found: list[IgnoreFile] = []
    above = root.name + "/"
    for folder in root.parents:
        found += [
            read_rules(folder / name, "", os.path.relpath(folder / name, root), above)
            for name in IGNORE_FILES
            if (folder / name).is_file()
        ]
        if (folder / ".git").exists():
            return found
        above = f"{folder.name}/{above}"
    return []
