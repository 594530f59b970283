"""The Python API as a script uses it: `from askbot import Knowledge`, ask, read the typed Answer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import askbot
from askbot import Answer, Knowledge, KnowledgeError

GUIDE = """\
The lighthouse was built in 1871. Its keeper lived in the cottage beside it.
The lamp burned whale oil until 1902. After that it burned paraffin.

The ferry to the island leaves at dawn.
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A knowledge folder with one plain-text file of two paragraphs."""
    (tmp_path / "island.txt").write_text(GUIDE, encoding="utf-8")
    return tmp_path


def test_ask_returns_the_answer_with_its_text_location_span_and_confidence(folder: Path) -> None:
    """Knowledge(folder).ask gives a typed Answer whose fields say what, where and how sure."""
    answer = Knowledge(folder).ask("when was the lighthouse built?")
    assert isinstance(answer, Answer) and answer.known
    assert answer.text == "The lighthouse was built in 1871."
    assert (answer.source, answer.location) == ("island.txt", "line 1")
    assert answer.span == "1871"
    assert 0 < answer.confidence <= 1
    assert answer.context == ()


def test_a_declined_answer_is_empty_and_says_why(folder: Path) -> None:
    """A question the knowledge does not cover gives known False, no text, and the missing words."""
    answer = Knowledge(folder).ask("what is the capital of Australia?")
    assert not answer.known
    assert (answer.text, answer.location, answer.span, answer.context) == ("", "", None, ())
    assert "Australia" in answer.missing


def test_context_gives_the_sentences_around_the_answer_in_its_paragraph(folder: Path) -> None:
    """context=N adds up to N sentences before and after, never crossing into another paragraph."""
    kb = Knowledge(folder)
    answer = kb.ask("what did the lamp burn until 1902?", context=2)
    assert answer.text == "The lamp burned whale oil until 1902."
    hit = answer.hits[0]
    assert [p.text for p in hit.before] == [
        "The lighthouse was built in 1871.",
        "Its keeper lived in the cottage beside it.",
    ]
    assert [p.text for p in hit.after] == ["After that it burned paraffin."]
    assert [p.line for p in answer.context] == [1, 1, 2]


def test_before_and_after_override_context_as_grep_does(folder: Path) -> None:
    """before= and after= set one side each; the other side keeps `context`."""
    answer = Knowledge(folder).ask("what did the lamp burn until 1902?", context=1, before=0)
    assert answer.hits[0].before == ()
    assert [p.text for p in answer.hits[0].after] == ["After that it burned paraffin."]


def test_context_does_not_change_which_sentence_answers(folder: Path) -> None:
    """The answer stays the same single sentence with its score, whatever context is asked for."""
    kb = Knowledge(folder)
    plain, wide = kb.ask("when does the ferry leave?"), kb.ask("when does the ferry leave?", context=3)
    assert wide.text == plain.text and wide.hits[0].score == plain.hits[0].score
    assert wide.context == ()  # the ferry's paragraph has nothing else


def test_a_conversation_carries_the_subject_to_the_next_question(folder: Path) -> None:
    """A follow-up with "it" is answered about what the last answer was about."""
    talk = Knowledge(folder).conversation()
    talk.ask("when was the lighthouse built?")
    follow_up = talk.ask("who lived beside it?")
    assert follow_up.text == "Its keeper lived in the cottage beside it."
    assert talk.last is follow_up


def test_a_missing_path_raises_knowledge_error(tmp_path: Path) -> None:
    """A path that does not exist raises KnowledgeError, whose message names it."""
    with pytest.raises(KnowledgeError, match="not found"):
        Knowledge(tmp_path / "nowhere")


def test_nonsense_arguments_raise_value_error(folder: Path) -> None:
    """top_k below 1 or a negative context is a programming error: ValueError."""
    kb = Knowledge(folder)
    with pytest.raises(ValueError):
        kb.ask("when?", top_k=0)
    with pytest.raises(ValueError):
        kb.ask("when?", context=-1)


def test_skipped_files_are_reported_and_warned_of(folder: Path) -> None:
    """An unreadable file is listed in `skipped`, and `warn` hears of it while indexing."""
    (folder / "scan.txt").write_bytes(b"\x00\x01\x02")
    heard: list[str] = []
    kb = Knowledge(folder, cache=False, warn=heard.append)
    assert [(s.source, s.reason) for s in kb.skipped] == [("scan.txt", "binary file")]
    assert heard == ["skipped scan.txt: binary file"]
    assert kb.sources() == {"island.txt": 5}
    assert kb.path_of(kb.ask("when does the ferry leave?").hits[0].passage) == folder / "island.txt"


def test_public_names_are_exported() -> None:
    """askbot's __all__ names what a script needs, and each name is importable."""
    assert {"Knowledge", "Answer", "Conversation", "KnowledgeError"} <= set(askbot.__all__)
    for name in askbot.__all__:
        assert getattr(askbot, name) is not None


def test_importing_askbot_loads_no_index_machinery() -> None:
    """`import askbot` alone imports neither numpy nor the engine; they come with Knowledge."""
    code = "import sys, askbot; print('numpy' in sys.modules, 'askbot.api' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]
