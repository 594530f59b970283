"""Finding the knowledge files under a root, in a stable order, the way ripgrep walks a folder.

Hidden files and folders are skipped, and so is whatever a `.gitignore`, `.ignore` or `.askbotignore`
file ignores, in the folder itself or in its parents up to the top of its git repository.  As in git
and ripgrep, a deeper ignore file overrides a shallower one, within a folder `.askbotignore` overrides
`.ignore`, which overrides `.gitignore`, within a file the last matching pattern wins, and nothing
inside an ignored folder is looked at.  Unlike ripgrep, a `.gitignore` counts outside a git repository
too: a folder copied or unpacked from a project still holds its build output.  `ignore=False`
(`--no-ignore`) turns all of it off.

Patterns are compiled by pathspec (gitignore's wildmatch syntax) and decided here: pathspec's
GitIgnoreSpec lets a negated pattern re-include a file inside an excluded folder and ranks file
patterns above folder patterns whatever their order (python-pathspec#129, psf/black#3694), where git
lets the last match decide and never looks inside an excluded folder.  Checking each folder before
entering it, last match first, gives git's behaviour.  pathspec is imported only when an ignore file
is found.

Only regular files are read (after following symbolic links): a FIFO, socket or device named like a
knowledge file is returned with the reason it cannot be read, never opened.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from askbot.errors import KnowledgeError

# Plain text is read as it is; the other formats through their readers (askbot.documents.formats).
SUFFIXES = (".txt", ".md", ".markdown", ".rst", ".html", ".htm", ".pdf", ".ipynb", ".docx", ".epub")
IGNORE_FILES = (".askbotignore", ".ignore", ".gitignore")  # the first that decides, wins
_NAMED_GROUP_RE = re.compile(r"\(\?P<\w+>")


@dataclass(frozen=True, slots=True)
class Document:
    """One knowledge file found on disk."""

    path: Path
    source: str
    problem: str = ""  # why it cannot be read, seen while walking ("not a regular file (FIFO)"); "" if none


@dataclass(frozen=True, slots=True)
class Ignored:
    """A file or folder (its source ends in "/") passed over, and why."""

    source: str
    reason: str


def find_documents(root: Path, ignore: bool = True) -> Iterator[Document]:
    """The knowledge files under `root` (or `root` itself), in a stable order."""
    for found in walk(root, ignore):
        if isinstance(found, Document):
            yield found


def walk(root: Path, ignore: bool = True) -> Iterator[Document | Ignored]:
    """The knowledge files under `root`, and what was passed over and why, in a stable order.

    KnowledgeError when `root` is missing or is neither a file nor a folder.  A file given as the
    root is read whatever its name.
    """
    try:
        info = root.stat()
    except OSError as error:
        missing = isinstance(error, FileNotFoundError)
        why = "not found" if missing else f"unreadable ({error.strerror or error})"
        raise KnowledgeError(f"knowledge path {why}: {root}") from None
    if stat.S_ISREG(info.st_mode):
        yield Document(root, root.name)
    elif stat.S_ISDIR(info.st_mode):
        rules = _rules_above(root) if ignore else []
        yield from _walk_folder(root, "", rules, ignore, {(info.st_dev, info.st_ino)})
    else:
        raise KnowledgeError(f"knowledge path is a {_kind(info.st_mode)}, not a file or folder: {root}")


def _walk_folder(
    folder: Path, prefix: str, rules: list[_IgnoreFile], ignore: bool, seen: set[tuple[int, int]]
) -> Iterator[Document | Ignored]:
    """Files of `folder` first, then its subfolders, each in name order; `prefix` is its source path."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    if ignore:
        names = {e.name for e in entries}
        rules = [_read_rules(folder / name, prefix, name) for name in IGNORE_FILES if name in names] + rules
    subfolders: list[tuple[os.DirEntry[str], str]] = []
    for entry in entries:
        source = prefix + entry.name
        try:
            info = entry.stat()  # follows symbolic links
        except OSError as error:  # a broken link, or one it has no permission to follow
            if entry.name.lower().endswith(SUFFIXES):
                yield Document(Path(entry.path), source, error.strerror or str(error))
            continue
        is_folder = stat.S_ISDIR(info.st_mode)
        shown = source + "/" if is_folder else source
        reason = _ignored_by(rules, source, is_folder) if ignore else None
        if ignore and reason is None and entry.name.startswith("."):
            reason = "hidden"
        if reason is not None:
            yield Ignored(shown, reason)
        elif is_folder:
            if (info.st_dev, info.st_ino) not in seen:  # else a symbolic link loop, or a second way in
                seen.add((info.st_dev, info.st_ino))
                subfolders.append((entry, source + "/"))
        elif not entry.name.lower().endswith(SUFFIXES):
            yield Ignored(shown, "not a format askbot reads")
        elif stat.S_ISREG(info.st_mode):
            yield Document(Path(entry.path), source)
        else:
            yield Document(Path(entry.path), source, f"not a regular file ({_kind(info.st_mode)})")
    for entry, sub_prefix in subfolders:
        yield from _walk_folder(Path(entry.path), sub_prefix, rules, ignore, seen)


def _kind(mode: int) -> str:
    """What a file that is not a regular file is, in a word or two."""
    for test, name in (
        (stat.S_ISFIFO, "FIFO"),
        (stat.S_ISSOCK, "socket"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
        (stat.S_ISDIR, "folder"),
    ):
        if test(mode):
            return name
    return "special file"


# ----------------------------------------------------------------------------------------- ignore files


@dataclass(frozen=True)
class _IgnoreFile:
    """The patterns of one ignore file, and where the paths they match are relative to."""

    label: str  # how reasons name it: ".gitignore", "docs/.ignore", "../.gitignore"
    base: str  # the source path of its folder inside the root, with "/", or "" (the root, or above it)
    above: str  # the root's path relative to its folder, with "/", when it lies above the root
    patterns: Sequence[_Pattern]  # in file order
    # All name patterns in one expression, and all path patterns in another: whether any matches.
    any_name: re.Pattern[str] | None
    any_path: re.Pattern[str] | None

    def decide(self, source: str, is_folder: bool) -> tuple[bool, str] | None:
        """(ignored?, reason) from the last pattern matching `source`, or None when none does."""
        if not source.startswith(self.base):
            return None
        mark = "/" if is_folder else ""
        path = self.above + source[len(self.base) :] + mark
        name = source[source.rfind("/") + 1 :] + mark
        if not _matches(self.any_name, name) and not _matches(self.any_path, path):
            return None
        for pattern in reversed(self.patterns):
            if pattern.whole.match(name if pattern.on_name else path) is not None:
                return pattern.ignores, f"{self.label}:{pattern.number}: {pattern.line}"
        return None


@dataclass(frozen=True)
class _Pattern:
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


def _ignored_by(rules: list[_IgnoreFile], source: str, is_folder: bool) -> str | None:
    """Why ignore files ignore `source`, or None; the most specific file with a matching pattern decides."""
    for rule in rules:
        decision = rule.decide(source, is_folder)
        if decision is not None:
            ignored, reason = decision
            return reason if ignored else None
    return None


def _read_rules(path: Path, base: str, label: str, above: str = "") -> _IgnoreFile:
    """The patterns of one ignore file; lines git would reject (a trailing backslash) are left out."""
    try:
        text = path.read_bytes()[: 1 << 20].decode("utf-8", "replace")
    except OSError:
        text = ""
    lines = [(n, line.rstrip("\r")) for n, line in enumerate(text.split("\n"), 1)]
    compiled = [_compile(n, line) for n, line in lines if line.strip() and not line.startswith("#")]
    patterns = [p for p in compiled if p is not None]
    return _IgnoreFile(
        label if not base else base + label,
        base,
        above,
        patterns,
        _any_of([p for p in patterns if p.on_name]),
        _any_of([p for p in patterns if not p.on_name]),
    )


def _any_of(patterns: Sequence[_Pattern]) -> re.Pattern[str] | None:
    """One expression matching wherever any of the patterns matches, to pass most paths over in one step."""
    if not patterns:
        return None
    # pathspec names a group in each pattern; names may not repeat, so the union keeps none.
    return re.compile("|".join(_NAMED_GROUP_RE.sub("(?:", p.whole.pattern) for p in patterns))


def _rules_above(root: Path) -> list[_IgnoreFile]:
    """The ignore files of the folders above `root` up to the top of its git repository, nearest first.

    None when `root` is not inside a git repository: a folder's parents are then no project of its.
    """
    try:
        root = root.resolve()
    except OSError:
        return []
    if (root / ".git").exists():
        return []
    found: list[_IgnoreFile] = []
    above = root.name + "/"
    for folder in root.parents:
        found += [
            _read_rules(folder / name, "", os.path.relpath(folder / name, root), above)
            for name in IGNORE_FILES
            if (folder / name).is_file()
        ]
        if (folder / ".git").exists():
            return found
        above = f"{folder.name}/{above}"
    return []
