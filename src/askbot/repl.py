"""The interactive chat: a prompt-toolkit session whose lines are questions or /commands.

The only module that imports prompt_toolkit.  Answers are printed exactly as the one-shot command
prints them (render_text); follow-up questions ("Where is he from?") carry the previous subject.
"""

from __future__ import annotations

import bisect
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from prompt_toolkit import PromptSession, print_formatted_text
from prompt_toolkit.application import create_app_session
from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document
from prompt_toolkit.formatted_text import ANSI
from prompt_toolkit.history import FileHistory, History, InMemoryHistory
from prompt_toolkit.input import Input
from prompt_toolkit.output import Output

from askbot import __version__
from askbot.analysis.text import fold
from askbot.answering.engine import Answer
from askbot.api import Conversation, Knowledge
from askbot.dirs import user_state_dir
from askbot.editor import NoEditor, chosen_editor, open_command
from askbot.render import (
    Link,
    render_explanation,
    render_sources,
    render_text,
    wants_colour,
    wants_hyperlinks,
)

Warn = Callable[[str], None]

_PROMPT = "> "
_LEAVE_WORDS = frozenset({"exit", "quit"})
_MIN_PREFIX = 3  # letters typed before knowledge words are offered
_MAX_COMPLETIONS = 40
_RUNNERS_UP = 3  # kept with each answer for /why
_MAX_TOP_K = 100
_MAX_CONTEXT = 100
# The word being typed: letters and digits, with inner apostrophes ("O'Brien"), as the analyser reads words.
_TYPED_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]*)*$")


@dataclass
class _Chat:
    """One conversation: how many passages and sentences of context to show, and what was said."""

    conversation: Conversation
    top_k: int
    colour: bool
    context: tuple[int, int] = (0, 0)  # sentences shown before and after each answer
    link: Link | None = None  # makes citations hyperlinks to their files
    run: Callable[[list[str]], int] = subprocess.call  # runs the editor for /open
    finished: bool = False

    @property
    def last(self) -> Answer | None:
        return self.conversation.last

    def respond(self, line: str) -> str:
        """What to print for one line typed at the prompt ("" for nothing)."""
        line = line.strip()
        if not line:
            return ""
        if line.casefold() in _LEAVE_WORDS:
            self.finished = True
            return ""
        if line.startswith("/"):
            return self._command(line)
        before, after = self.context
        answer = self.conversation.ask(
            line, top_k=self.top_k, before=before, after=after, runners_up=_RUNNERS_UP
        )
        return render_text(answer, self.colour, self.link)

    def _command(self, line: str) -> str:
        name, _, argument = line.partition(" ")
        command = _COMMANDS.get(name.casefold())
        if command is None:
            return f"Unknown command {name}; /help lists the commands."
        return command.run(self, argument.strip())


def _help(chat: _Chat, argument: str) -> str:
    width = max(len(c.usage) for c in _COMMANDS.values())
    lines = [f"  {c.usage:<{width}}  {c.summary}" for c in _COMMANDS.values()]
    return "\n".join(["Type a question, or one of:", *lines, "exit, quit or Ctrl-D also leave."])


def _sources(chat: _Chat, argument: str) -> str:
    knowledge = chat.conversation.knowledge
    return render_sources(knowledge.sources(), knowledge.skipped)


def _top(chat: _Chat, argument: str) -> str:
    if not argument:
        return f"Showing the {chat.top_k} best passage(s); /top N changes it (1 to {_MAX_TOP_K})."
    try:
        number = int(argument)
    except ValueError:
        number = 0
    if not 1 <= number <= _MAX_TOP_K:
        return f"/top needs a whole number from 1 to {_MAX_TOP_K}, not {argument!r}."
    chat.top_k = number
    return f"Showing the {number} best passage(s)."


def _min(chat: _Chat, argument: str) -> str:
    from askbot.answering import DEFAULT_MIN_CONFIDENCE
    from askbot.answering.confidence import parse_probability

    knowledge = chat.conversation.knowledge
    if not argument:
        current = knowledge.min_confidence
        if current is None:
            return (
                f"Answering when the best passage has at least a {DEFAULT_MIN_CONFIDENCE:.0%} chance"
                " in English (each other language has its own default); /min P changes it."
            )
        return f"Answering when the best passage has at least a {current:.0%} chance; /min P changes it."
    try:
        knowledge.min_confidence = parse_probability(argument)
    except ValueError:
        return f"/min needs a probability from 0 to 1 (or 0% to 100%), not {argument!r}."
    return f"Answering when the best passage has at least a {knowledge.min_confidence:.0%} chance."


def _context(chat: _Chat, argument: str) -> str:
    if not argument:
        before, after = chat.context
        return (
            f"Showing {before} sentence(s) before and {after} after each answer; /context N changes it"
            f" (0 to {_MAX_CONTEXT})."
        )
    try:
        number = int(argument)
    except ValueError:
        number = -1
    if not 0 <= number <= _MAX_CONTEXT:
        return f"/context needs a whole number from 0 to {_MAX_CONTEXT}, not {argument!r}."
    chat.context = (number, number)
    return f"Showing {number} sentence(s) before and after each answer."


def _open(chat: _Chat, argument: str) -> str:
    last = chat.last
    if last is None or not last.hits:
        return "Nothing to open yet: ask a question first."
    try:
        number = int(argument or "1")
    except ValueError:
        number = 0
    if not 1 <= number <= len(last.hits):
        return f"/open needs the number of a passage shown, from 1 to {len(last.hits)}, not {argument!r}."
    passage = last.hits[number - 1].passage
    path = chat.conversation.knowledge.path_of(passage)
    try:
        command = open_command(chosen_editor(), path, passage.line)
    except NoEditor as error:
        return f"Cannot open {path}: {error}."
    if command is None:
        return f"{path} is no text file to open in an editor; open it with its own program."
    try:
        status = chat.run(command)
    except OSError as error:
        return f"Could not start {command[0]}: {error.strerror or error}."
    return "" if status == 0 else f"{command[0]} exited with status {status}."


def _why(chat: _Chat, argument: str) -> str:
    if chat.last is None:
        return "Nothing to explain yet: ask a question first."
    return render_explanation(chat.last)


def _new(chat: _Chat, argument: str) -> str:
    chat.conversation.forget()
    return "New conversation: the next question does not refer to earlier ones."


def _quit(chat: _Chat, argument: str) -> str:
    chat.finished = True
    return ""


class _Command(NamedTuple):
    usage: str
    summary: str
    run: Callable[[_Chat, str], str]


_COMMANDS = {
    "/help": _Command("/help", "this list", _help),
    "/sources": _Command("/sources", "the files the answers come from", _sources),
    "/top": _Command("/top N", f"show the N best passages (1 to {_MAX_TOP_K})", _top),
    "/min": _Command("/min P", "answer only at this chance of being right or more (0 to 1, or %)", _min),
    "/context": _Command(
        "/context N", f"show N sentences around each answer (0 to {_MAX_CONTEXT})", _context
    ),
    "/open": _Command("/open [N]", "open the last answer's file at its line in $VISUAL or $EDITOR", _open),
    "/why": _Command("/why", "why the last answer: matched words, runners-up, confidence", _why),
    "/new": _Command("/new", 'start over: forget who "he", "she" or "it" was', _new),
    "/quit": _Command("/quit", "leave", _quit),
}


class KnowledgeCompleter(Completer):
    """Completes words of the knowledge after three letters, and /commands at the start of a line."""

    def __init__(self, words: Mapping[str, str]) -> None:
        self._words = words  # folded word -> usual spelling, most frequent first
        self._sorted: list[str] = []  # the folded words in order, for prefix search; made on first use
        self._rank: dict[str, int] = {}

    def get_completions(self, document: Document, complete_event: CompleteEvent) -> Iterable[Completion]:
        """Knowledge words starting with the word being typed (any case, any accents), or /commands."""
        before = document.text_before_cursor
        if before.startswith("/"):
            if " " not in before:
                yield from (Completion(name, -len(before)) for name in _COMMANDS if name.startswith(before))
            return
        match = _TYPED_WORD_RE.search(before)
        if match is None or len(match.group()) < _MIN_PREFIX:
            return
        typed = fold(match.group())
        if not self._sorted:
            self._sorted = sorted(self._words)
            self._rank = {word: rank for rank, word in enumerate(self._words)}
        # A large knowledge has hundreds of thousands of words: find the prefix range by bisection.
        start = bisect.bisect_left(self._sorted, typed)
        end = bisect.bisect_left(self._sorted, typed + "\U0010ffff", lo=start)
        found = [w for w in self._sorted[start:end] if w != typed]
        for folded in sorted(found, key=self._rank.__getitem__)[:_MAX_COMPLETIONS]:
            yield Completion(self._words[folded], -len(match.group()))


class _KeptFileHistory(FileHistory):
    """A FileHistory that, when its file fails mid-session, keeps history in memory and warns once."""

    def __init__(self, path: Path, warn: Warn) -> None:
        super().__init__(path)
        self._warn = warn
        self._failed = False

    def load_history_strings(self) -> Iterable[str]:
        """The saved questions, newest first; none when the file cannot be read."""
        try:
            return list(super().load_history_strings())
        except OSError as error:
            self._fail(error)
            return []

    def store_string(self, string: str) -> None:
        """Append one question to the file, unless the file has already failed."""
        if self._failed:
            return
        try:
            super().store_string(string)
        except OSError as error:
            self._fail(error)

    def _fail(self, error: OSError) -> None:
        self._failed = True
        self._warn(_history_warning(Path(os.fsdecode(self.filename)), error))


def _history(path: Path | None, warn: Warn) -> History:
    """The history file (created private to the user), or memory when it cannot be written."""
    try:
        path = path if path is not None else user_state_dir() / "history"
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
    except (OSError, RuntimeError) as error:  # RuntimeError: no home folder to put it in
        warn(_history_warning(path, error))
        return InMemoryHistory()
    return _KeptFileHistory(path, warn)


def _history_warning(path: Path | None, error: Exception) -> str:
    where = f" in {path}" if path is not None else ""
    reason = getattr(error, "strerror", None) or error
    return f"askbot: warning: cannot keep history{where}: {reason}; it will not be saved."


def _session(knowledge: Knowledge, history: History) -> PromptSession[str]:
    return PromptSession(
        history=history,
        auto_suggest=AutoSuggestFromHistory(),
        completer=KnowledgeCompleter(knowledge.words),
    )


def _say(text: str, colour: bool = False) -> None:
    """Print through prompt_toolkit, so text lands on the session's output (a test's, or the terminal)."""
    print_formatted_text(ANSI(text) if colour else text)


def run_repl(
    knowledge: Knowledge,
    top_k: int = 1,
    *,
    context: tuple[int, int] = (0, 0),
    input: Input | None = None,
    output: Output | None = None,
    history_path: Path | None = None,
) -> int:
    """Chat at a prompt until the person leaves (/quit, exit, Ctrl-D); returns the exit code, 0."""
    with create_app_session(input=input, output=output):
        warnings: list[str] = []
        session = _session(knowledge, _history(history_path, warnings.append))
        colour = output is None and wants_colour(sys.stdout)
        link = knowledge.path_of if output is None and wants_hyperlinks(sys.stdout) else None
        chat = _Chat(knowledge.conversation(), top_k, colour, context, link)
        _say(f"askbot {__version__}: ask a question; /help lists the commands, Ctrl-D leaves.")
        while not chat.finished:
            _say_all(warnings)
            try:
                reply = chat.respond(session.prompt(_PROMPT))
            except KeyboardInterrupt:
                continue  # Ctrl-C drops the line being typed (or the answer being looked up)
            except EOFError:
                break
            if reply:
                _say(reply, chat.colour)
        _say_all(warnings)
    return 0


def _say_all(warnings: list[str]) -> None:
    """Print the warnings gathered while the prompt was running, then forget them."""
    for warning in warnings:
        _say(warning)
    warnings.clear()
