"""Opening a file at a line in the person's editor ($VISUAL, else $EDITOR), as the chat's /open does."""

from __future__ import annotations

import os
import shlex
from collections.abc import Mapping
from pathlib import Path

# Editors that take "+LINE FILE" (vi and its family, nano, Emacs and others that copied them) and
# those that take "-g FILE:LINE" (VS Code and its forks) or "FILE:LINE".
_PLUS_LINE = frozenset(
    {"vi", "vim", "nvim", "gvim", "mvim", "view", "vim.basic", "vim.tiny", "nano", "pico"}
    | {"emacs", "emacsclient", "micro", "kak", "joe", "jed", "ne", "mg"}
)
_GOTO_FLAG = frozenset({"code", "code-insiders", "codium", "cursor", "windsurf"})
_COLON_LINE = frozenset({"subl", "sublime_text", "hx", "helix", "zed", "mate"})


# Formats an editor shows as their source lines; a PDF, Word document or book is no text to edit, and a
# notebook's lines count within a cell, so it opens at its top.
_BY_LINE = (".txt", ".md", ".markdown", ".rst", ".html", ".htm")
_NOT_TEXT = (".pdf", ".docx", ".epub")


class NoEditor(Exception):
    """Neither $VISUAL nor $EDITOR names an editor."""


def chosen_editor(environ: Mapping[str, str] | None = None) -> list[str]:
    """The editor command the person chose, split as a shell would: $VISUAL, else $EDITOR."""
    environ = os.environ if environ is None else environ
    for name in ("VISUAL", "EDITOR"):
        words = shlex.split(environ.get(name, ""), posix=os.name != "nt")
        if words:
            return words
    raise NoEditor("set $VISUAL or $EDITOR to the editor to open files with")


def editor_command(editor: list[str], path: Path, line: int | None) -> list[str]:
    """The command opening `path` at `line` in `editor` (its own words first, "code --wait" say)."""
    name = Path(editor[0]).name.lower().removesuffix(".exe")
    if line is None or line < 1:
        return [*editor, str(path)]
    if name in _PLUS_LINE:
        return [*editor, f"+{line}", str(path)]
    if name in _GOTO_FLAG:
        return [*editor, "-g", f"{path}:{line}"]
    if name in _COLON_LINE:
        return [*editor, f"{path}:{line}"]
    return [*editor, str(path)]  # an editor we do not know: at least the file


def open_command(editor: list[str], path: Path, line: int) -> list[str] | None:
    """The command opening a knowledge file at a passage's line, or None when it is no text to edit."""
    suffix = path.suffix.lower()
    if suffix in _NOT_TEXT:
        return None
    return editor_command(editor, path, line if suffix in _BY_LINE or not suffix else None)
