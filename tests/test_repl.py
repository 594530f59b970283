"""The chat as a person types it: keys through a prompt-toolkit pipe, what it prints read back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from askbot.answering.engine import Answer, Context
from askbot.api import Knowledge
from askbot.render import render_explanation, render_sources, render_text
from askbot.repl import KnowledgeCompleter, run_repl

NOTES = """\
Anna Schreurs leads the Night Market Institute. She was born in Ghent in 1971.

Pieter Vos founded the Harbour Choir in 1990. He was born in Antwerp in 1962.

The Night Market Institute studies street markets. Its budget is four million euros.
"""
FOUNDER = "Who founded the Harbour Choir?"
ENTER, CTRL_C, CTRL_D = "\r", "\x03", "\x04"


class _Screen(DummyOutput):
    """A DummyOutput that keeps the text written to it: the prompts, the echoed keys and the replies."""

    def __init__(self) -> None:
        super().__init__()
        self.written: list[str] = []

    def write(self, data: str) -> None:
        self.written.append(data)

    def write_raw(self, data: str) -> None:
        self.written.append(data)

    @property
    def text(self) -> str:
        return "".join(self.written).replace("\r\n", "\n")


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Knowledge:
    """The hand-made notes as knowledge: two people, one institute."""
    path = tmp_path_factory.mktemp("knowledge") / "notes.txt"
    path.write_text(NOTES, encoding="utf-8")
    return Knowledge(path, cache=False)


@pytest.fixture(autouse=True)
def state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """History goes to this test's own folder."""
    state = tmp_path / "state"
    monkeypatch.setenv("ASKBOT_STATE_DIR", str(state))
    return state


def chat(kb: Knowledge, *lines: str, keys: str = "") -> tuple[int, str]:
    """Type each line and Enter (then `keys`) into the REPL; its exit code and what it printed.

    The pipe is closed after the keys, so a REPL that failed to leave sees end of input, not a hang.
    """
    screen = _Screen()
    with create_pipe_input() as pipe:
        pipe.send_text("".join(line + ENTER for line in lines) + keys)
        pipe.close()
        code = run_repl(kb, input=pipe, output=screen)
    return code, screen.text


def test_question_is_answered_as_the_one_shot_command_prints_it(kb: Knowledge) -> None:
    """A question is answered with exactly the text render_text gives, without colour codes."""
    code, printed = chat(kb, FOUNDER, "exit")
    expected = render_text(kb.ask(FOUNDER))
    assert "Pieter Vos founded the Harbour Choir" in expected
    assert expected in printed
    assert "\x1b" not in printed
    assert code == 0


def test_top_sets_how_many_passages_are_shown(kb: Knowledge) -> None:
    """/top 2 makes the next answer show the two best passages, numbered."""
    question = "Who was born in Antwerp?"
    _, printed = chat(kb, "/top 2", question)
    expected = render_text(kb.ask(question, top_k=2))
    assert "1. " in expected and "2. " in expected
    assert expected in printed


@pytest.mark.parametrize("argument", ["0", "101", "two", "2.5"])
def test_top_refuses_what_is_not_a_number_from_1_to_100(kb: Knowledge, argument: str) -> None:
    """/top with anything but a whole number from 1 to 100 says what it needs and changes nothing."""
    _, printed = chat(kb, f"/top {argument}", FOUNDER)
    assert f"/top needs a whole number from 1 to 100, not '{argument}'." in printed
    assert render_text(kb.ask(FOUNDER, top_k=1)) in printed


def test_why_explains_the_last_answer(kb: Knowledge) -> None:
    """/why after a question prints the explanation of that answer."""
    _, printed = chat(kb, FOUNDER, "/why")
    assert render_explanation(kb.ask(FOUNDER)) in printed


def test_why_before_any_question_says_there_is_nothing_to_explain(kb: Knowledge) -> None:
    """/why before the first question says to ask one first."""
    _, printed = chat(kb, "/why")
    assert "Nothing to explain yet: ask a question first." in printed


def test_sources_lists_the_loaded_files(kb: Knowledge) -> None:
    """/sources prints the files the answers come from, as render_sources has them."""
    _, printed = chat(kb, "/sources")
    assert render_sources(kb.sources(), kb.skipped) in printed
    assert "notes.txt" in printed


def test_help_lists_every_command(kb: Knowledge) -> None:
    """/help names each command and how to leave."""
    _, printed = chat(kb, "/help")
    for usage in ["/sources", "/top N", "/why", "/new", "/quit", "Ctrl-D"]:
        assert usage in printed


def test_follow_up_with_a_pronoun_is_about_the_previous_subject(kb: Knowledge) -> None:
    """After a question about Pieter Vos, "Where was he born?" is answered from his paragraph, not Anna's."""
    follow_up = "Where was he born?"
    alone = render_text(kb.ask(follow_up))
    assert "Ghent" in alone  # without the conversation, the question lands on Anna Schreurs
    _, printed = chat(kb, FOUNDER, follow_up)
    after_follow_up = printed.split(follow_up)[-1]
    assert "notes.txt, line 3" in after_follow_up
    assert alone not in printed


def test_new_forgets_the_previous_subject(kb: Knowledge) -> None:
    """/new makes the next question stand on its own, as if it were the first."""
    follow_up = "Where was he born?"
    _, printed = chat(kb, FOUNDER, "/new", follow_up)
    assert "New conversation" in printed
    assert render_text(kb.ask(follow_up)) in printed


def test_unknown_command_points_to_help(kb: Knowledge) -> None:
    """An unknown /command gets one line naming it and /help, and the chat goes on."""
    code, printed = chat(kb, "/frobnicate", FOUNDER)
    assert "Unknown command /frobnicate; /help lists the commands." in printed
    assert render_text(kb.ask(FOUNDER)) in printed
    assert code == 0


def test_ctrl_c_drops_the_line_and_the_chat_goes_on(kb: Knowledge) -> None:
    """Ctrl-C throws away the half-typed line; the next question is answered as usual."""
    half, whole = render_text(kb.ask("Who was born in Ghe")), render_text(kb.ask(FOUNDER))
    assert half != whole
    code, printed = chat(kb, keys="Who was born in Ghe" + CTRL_C + FOUNDER + ENTER)
    assert half not in printed
    assert whole in printed
    assert code == 0


def test_ctrl_d_leaves_with_0(kb: Knowledge) -> None:
    """Ctrl-D on an empty line leaves with exit code 0, before anything typed after it."""
    code, printed = chat(kb, keys=CTRL_D + FOUNDER + ENTER)
    assert code == 0
    assert render_text(kb.ask(FOUNDER)) not in printed


@pytest.mark.parametrize("word", ["exit", "quit", "/quit", "EXIT"])
def test_exit_words_leave_with_0(kb: Knowledge, word: str) -> None:
    """exit, quit and /quit leave with exit code 0, before the lines typed after them."""
    code, printed = chat(kb, word, FOUNDER)
    assert code == 0
    assert render_text(kb.ask(FOUNDER)) not in printed


def test_blank_lines_are_ignored(kb: Knowledge) -> None:
    """Empty and blank lines print nothing and do not end the chat."""
    code, printed = chat(kb, "", "   ", FOUNDER)
    assert render_text(kb.ask(FOUNDER)) in printed
    assert "I don't know" not in printed
    assert code == 0


def test_history_is_written_to_the_state_dir(kb: Knowledge, state_dir: Path) -> None:
    """Questions are appended to history in ASKBOT_STATE_DIR, which is created, private to the user."""
    chat(kb, FOUNDER)
    history = state_dir / "history"
    assert f"+{FOUNDER}\n" in history.read_text(encoding="utf-8")
    assert history.stat().st_mode & 0o077 == 0


def test_unwritable_history_falls_back_to_memory_with_one_warning(kb: Knowledge, state_dir: Path) -> None:
    """When the state dir cannot be created, one warning is printed and the chat works without saving."""
    state_dir.write_text("a file where the folder should be\n", encoding="utf-8")
    code, printed = chat(kb, FOUNDER, FOUNDER + "?")
    assert printed.count("askbot: warning: cannot keep history") == 1
    assert render_text(kb.ask(FOUNDER)) in printed
    assert code == 0


def test_history_failing_mid_session_warns_once_and_goes_on(
    kb: Knowledge, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A history file whose folder disappears during the chat gives one warning, not a crash."""
    folder = tmp_path / "vanishing"
    own = Knowledge(kb.roots, cache=False)
    real_ask = own._engine.ask

    def ask_and_remove_the_history(
        question: str,
        top_k: int = 1,
        context: Context | None = None,
        runners_up: int = 0,
        min_confidence: float | None = None,
    ) -> Answer:
        shutil.rmtree(folder, ignore_errors=True)
        return real_ask(question, top_k, context, runners_up, min_confidence)

    monkeypatch.setattr(own._engine, "ask", ask_and_remove_the_history)
    screen = _Screen()
    with create_pipe_input() as pipe:
        pipe.send_text(f"{FOUNDER}{ENTER}Who leads the Night Market Institute?{ENTER}Who is Anna?{ENTER}")
        pipe.close()
        code = run_repl(own, input=pipe, output=screen, history_path=folder / "history")
    assert screen.text.count("askbot: warning: cannot keep history") == 1
    assert "Anna Schreurs leads the Night Market Institute." in screen.text
    assert code == 0


@pytest.mark.parametrize(
    ("typed", "offered"),
    [
        ("Who is Schr", ["Schreurs"]),
        ("who is schr", ["Schreurs"]),
        ("Where is Ant", ["Antwerp"]),
        ("Who is Sc", []),  # fewer than three letters: nothing yet
        ("Who is Schreurs", []),  # already complete
        ("Who is Xyz", []),
    ],
)
def test_completer_offers_knowledge_words_after_three_letters(
    kb: Knowledge, typed: str, offered: list[str]
) -> None:
    """The word being typed, from three letters on, completes to knowledge words in their usual spelling."""
    completions = list(KnowledgeCompleter(kb.words).get_completions(Document(typed), CompleteEvent()))
    assert [c.text for c in completions] == offered
    assert all(c.start_position == -len(typed.split()[-1]) for c in completions)


def test_completer_offers_commands_after_a_slash(kb: Knowledge) -> None:
    """A line starting with "/" completes to the commands of that prefix."""
    completer = KnowledgeCompleter(kb.words)
    assert [c.text for c in completer.get_completions(Document("/"), CompleteEvent())] == [
        "/help",
        "/sources",
        "/top",
        "/min",
        "/context",
        "/open",
        "/why",
        "/new",
        "/quit",
    ]
    assert [c.text for c in completer.get_completions(Document("/to"), CompleteEvent())] == ["/top"]
    assert list(completer.get_completions(Document("/top 2"), CompleteEvent())) == []


def test_context_shows_sentences_around_each_answer(kb: Knowledge) -> None:
    """/context 1 makes the next answers show a sentence of their paragraph before and after them."""
    question = "When was the Harbour Choir founded?"
    _, printed = chat(kb, "/context 1", question)
    expected = render_text(kb.ask(question, context=1))
    assert "Pieter Vos founded the Harbour Choir in 1990.\n  He was born in Antwerp in 1962.\n" in expected
    assert "Showing 1 sentence(s) before and after each answer." in printed
    assert expected in printed


@pytest.mark.parametrize("argument", ["-1", "101", "one"])
def test_context_refuses_what_is_not_a_number_from_0_to_100(kb: Knowledge, argument: str) -> None:
    """/context with anything but a whole number from 0 to 100 says so and changes nothing."""
    _, printed = chat(kb, f"/context {argument}", FOUNDER)
    assert f"/context needs a whole number from 0 to 100, not '{argument}'." in printed
    assert render_text(kb.ask(FOUNDER)) in printed


def test_min_sets_the_confidence_an_answer_needs(kb: Knowledge) -> None:
    """/min 100% makes the chat decline what it answered before; /min alone shows the setting."""
    code, printed = chat(kb, FOUNDER, "/min 100%", FOUNDER, "/min", "/min seven", "exit")
    answered, declined = printed.split("Answering when the best passage has at least a 100% chance.")
    assert "Pieter Vos founded the Harbour Choir" in answered
    assert "I don't know" in declined
    assert "at least a 100% chance; /min P changes it." in declined
    assert "/min needs a probability" in declined
    assert code == 0
