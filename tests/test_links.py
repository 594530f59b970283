"""Citations you can open: OSC 8 hyperlinks on terminals that show them, and the chat's /open."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from prompt_toolkit.input import create_pipe_input

from askbot import Knowledge
from askbot.editor import NoEditor, chosen_editor, editor_command, open_command
from askbot.render import hyperlink, wants_hyperlinks
from askbot.repl import run_repl
from tests.test_repl import ENTER, _Screen


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"TERM_PROGRAM": "iTerm.app"}, True),
        ({"TERM_PROGRAM": "vscode"}, True),
        ({"VTE_VERSION": "7600"}, True),
        ({"VTE_VERSION": "4800"}, False),
        ({"WT_SESSION": "abc"}, True),
        ({"TERM": "xterm-kitty"}, True),
        ({"TERM": "xterm-256color"}, False),
        ({"TERM_PROGRAM": "iTerm.app", "FORCE_HYPERLINK": "0"}, False),
        ({"TERM_PROGRAM": "iTerm.app", "CI": "true"}, False),
    ],
)
def test_hyperlinks_only_on_terminals_that_announce_them(environ: dict[str, str], expected: bool) -> None:
    """Terminals known to show OSC 8 links get them; unknown ones, CI and FORCE_HYPERLINK=0 do not."""
    assert wants_hyperlinks(_Terminal(), environ) is expected


def test_no_hyperlinks_in_a_pipe_unless_forced() -> None:
    """Output that is not a terminal gets links only with FORCE_HYPERLINK=1."""
    assert not wants_hyperlinks(io.StringIO(), {"TERM_PROGRAM": "iTerm.app"})
    assert wants_hyperlinks(io.StringIO(), {"FORCE_HYPERLINK": "1"})


def test_hyperlink_is_an_osc8_sequence_to_the_file_on_this_host(tmp_path: Path) -> None:
    """The link wraps the text in OSC 8 with a file:// URI naming this host, spaces escaped."""
    path = tmp_path / "my notes.md"
    link = hyperlink("my notes.md, line 3", path)
    uri = f"file://{socket.gethostname()}{path.as_posix().replace(' ', '%20')}"
    assert link == f"\x1b]8;;{uri}\x1b\\my notes.md, line 3\x1b]8;;\x1b\\"


def test_the_command_links_each_citation_to_its_file(tmp_path: Path) -> None:
    """With FORCE_HYPERLINK=1 the citation is a hyperlink to the answer's file; without, plain text."""
    (tmp_path / "a.md").write_text("The kettle whistles at noon.\n", encoding="utf-8")
    command = [sys.executable, "-m", "askbot", "-k", str(tmp_path), "when does the kettle whistle?"]
    env = {**os.environ, "FORCE_HYPERLINK": "1"}
    linked = subprocess.run(command, capture_output=True, text=True, env=env).stdout
    assert (
        f"\x1b]8;;file://{socket.gethostname()}{(tmp_path / 'a.md').as_posix()}\x1b\\a.md, line 1" in linked
    )
    plain = subprocess.run(command, capture_output=True, text=True).stdout
    assert "\x1b" not in plain and "— a.md, line 1" in plain


@pytest.mark.parametrize(
    ("editor", "expected"),
    [
        (["vim"], ["vim", "+7", "f.md"]),
        (["/usr/bin/nano"], ["/usr/bin/nano", "+7", "f.md"]),
        (["emacsclient", "-nw"], ["emacsclient", "-nw", "+7", "f.md"]),
        (["code", "--wait"], ["code", "--wait", "-g", "f.md:7"]),
        (["subl"], ["subl", "f.md:7"]),
        (["ed"], ["ed", "f.md"]),  # not known to take a line: the file alone
    ],
)
def test_editor_command_puts_the_line_where_each_editor_wants_it(
    editor: list[str], expected: list[str]
) -> None:
    """+LINE for vi-family, nano and Emacs; -g FILE:LINE for VS Code; FILE:LINE for Sublime."""
    assert editor_command(editor, Path("f.md"), 7) == expected


def test_visual_wins_over_editor_and_neither_is_an_error() -> None:
    """$VISUAL is used before $EDITOR and split as a shell would; with neither, NoEditor."""
    assert chosen_editor({"VISUAL": "code --wait", "EDITOR": "vi"}) == ["code", "--wait"]
    assert chosen_editor({"EDITOR": "'/opt/my vim/vim'"}) == ["/opt/my vim/vim"]
    with pytest.raises(NoEditor):
        chosen_editor({})


def test_files_that_are_no_text_are_not_opened_in_an_editor() -> None:
    """A PDF, Word document or book gives no editor command; a notebook opens at its top."""
    assert open_command(["vim"], Path("r.pdf"), 3) is None
    assert open_command(["vim"], Path("b.docx"), 3) is None
    assert open_command(["vim"], Path("n.ipynb"), 3) == ["vim", "n.ipynb"]
    assert open_command(["vim"], Path("g.rst"), 3) == ["vim", "+3", "g.rst"]


def chat_in(folder: Path, *lines: str) -> str:
    """Type lines into a chat over `folder`; what it printed."""
    screen = _Screen()
    with create_pipe_input() as pipe:
        pipe.send_text("".join(line + ENTER for line in lines))
        pipe.close()
        run_repl(Knowledge(folder, cache=False), input=pipe, output=screen)
    return screen.text


def test_open_starts_the_editor_at_the_answers_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """/open runs $EDITOR (here a stand-in named vim) with +LINE and the answer's file."""
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("# Kettles\n\nIntro.\n\nThe kettle whistles at noon.\n", encoding="utf-8")
    record = tmp_path / "opened.txt"
    editor = tmp_path / "bin" / "vim"
    editor.parent.mkdir()
    editor.write_text(
        f"#!{sys.executable}\nimport sys\nopen({str(record)!r}, 'w').write(' '.join(sys.argv[1:]))\n",
        encoding="utf-8",
    )
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    monkeypatch.delenv("VISUAL", raising=False)
    printed = chat_in(notes, "when does the kettle whistle?", "/open")
    assert "a.md › Kettles, line 5" in printed
    assert record.read_text(encoding="utf-8") == f"+5 {notes / 'a.md'}"


def test_open_says_what_it_needs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """/open before an answer, without an editor, or past the passages shown, says why not."""
    (tmp_path / "a.txt").write_text("The kettle whistles at noon.\n", encoding="utf-8")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    printed = chat_in(tmp_path, "/open", "when does the kettle whistle?", "/open", "/open 2")
    assert "Nothing to open yet: ask a question first." in printed
    assert f"Cannot open {tmp_path / 'a.txt'}: set $VISUAL or $EDITOR" in printed
    assert "/open needs the number of a passage shown, from 1 to 1, not '2'." in printed
