"""Several knowledge paths at once: -k given twice, ASKBOT_KNOWLEDGE as a path list, one cache per root."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from askbot import Knowledge


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    """A notes folder: one file about the kettle."""
    folder = tmp_path / "home" / "notes"
    folder.mkdir(parents=True)
    (folder / "todo.md").write_text("# Kitchen\n\nThe kettle whistles at noon.\n", encoding="utf-8")
    return folder


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """A project's docs folder: one file about the widget."""
    folder = tmp_path / "project" / "docs"
    folder.mkdir(parents=True)
    (folder / "guide.md").write_text("# Guide\n\nInstall the widget with pip.\n", encoding="utf-8")
    return folder


def askbot(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "askbot", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
    )


def test_each_root_answers_and_citations_name_the_root(notes: Path, docs: Path) -> None:
    """Asked of two folders, each question is answered from the one that knows, cited as root/file."""
    kb = Knowledge([notes, docs], cache=False)
    kettle, widget = kb.ask("when does the kettle whistle?"), kb.ask("how do I install the widget?")
    assert (kettle.text, kettle.source) == ("The kettle whistles at noon.", "notes/todo.md")
    assert (widget.text, widget.source) == ("Install the widget with pip.", "docs/guide.md")
    assert kb.path_of(widget.hits[0].passage) == docs / "guide.md"
    assert kb.sources() == {"notes/todo.md": 1, "docs/guide.md": 1}


def test_a_single_root_is_cited_as_before(notes: Path) -> None:
    """With one root, sources stay relative to it, with no root name in front."""
    assert Knowledge(notes, cache=False).ask("when does the kettle whistle?").source == "todo.md"


def test_roots_of_the_same_name_are_told_apart_by_their_parents(tmp_path: Path) -> None:
    """a/docs and b/docs are cited as "a/docs/…" and "b/docs/…"."""
    for parent, text in (("a", "Apples are red."), ("b", "Bananas are yellow.")):
        (tmp_path / parent / "docs").mkdir(parents=True)
        (tmp_path / parent / "docs" / "fruit.txt").write_text(text, encoding="utf-8")
    kb = Knowledge([tmp_path / "a" / "docs", tmp_path / "b" / "docs"], cache=False)
    assert kb.ask("what colour are bananas?").source == "b/docs/fruit.txt"
    assert kb.ask("what colour are apples?").source == "a/docs/fruit.txt"


def test_a_question_no_root_covers_is_declined_naming_words_none_holds(notes: Path, docs: Path) -> None:
    """Declined when neither root covers it; the missing words are those missing from both."""
    answer = Knowledge([notes, docs], cache=False).ask("what is the capital of Australia?")
    assert not answer.known and "Australia" in answer.missing


def test_top_k_gathers_passages_from_every_root(notes: Path, docs: Path) -> None:
    """With top_k 2, the best root's passage comes first and the other root's follows."""
    (notes / "widget.txt").write_text("My widget is blue.", encoding="utf-8")
    answer = Knowledge([notes, docs], cache=False).ask("how do I install the widget?", top_k=2)
    assert [h.passage.source for h in answer.hits] == ["docs/guide.md", "notes/widget.txt"]


def test_a_conversation_follows_up_in_the_root_that_answered(notes: Path, docs: Path) -> None:
    """A follow-up with "it" stays with the subject the last answer came from."""
    (docs / "guide.md").write_text(
        "# Guide\n\nInstall the widget with pip. It needs Python 3.10.\n", encoding="utf-8"
    )
    (notes / "kettle.txt").write_text("The kettle needs descaling.", encoding="utf-8")
    kb = Knowledge([notes, docs], cache=False)
    assert kb.ask("what does it need?").text == "The kettle needs descaling."  # asked out of the blue
    talk = kb.conversation()
    talk.ask("how do I install the widget?")
    assert talk.ask("what does it need?").text == "It needs Python 3.10."


def test_k_twice_and_a_path_list_in_the_environment(notes: Path, docs: Path) -> None:
    """`-k notes -k docs` and ASKBOT_KNOWLEDGE="notes:docs" both ask both folders."""
    by_flags = askbot("-k", str(notes), "-k", str(docs), "--json", "how do I install the widget?")
    assert json.loads(by_flags.stdout)["answers"][0]["source"] == "docs/guide.md"
    listed = {"ASKBOT_KNOWLEDGE": os.pathsep.join([str(notes), str(docs)])}
    by_env = askbot("when does the kettle whistle?", env=listed)
    assert "— notes/todo.md › Kitchen, line 3" in by_env.stdout
    sources = askbot("-k", str(notes), "-k", str(docs), "--sources").stdout
    assert "notes/todo.md  1 passage" in sources and "docs/guide.md  1 passage" in sources


def test_a_missing_root_is_an_error_naming_it(notes: Path, tmp_path: Path) -> None:
    """If one of the paths does not exist, askbot says which and exits 2."""
    result = askbot("-k", str(notes), "-k", str(tmp_path / "nowhere"), "when?")
    assert result.returncode == 2 and "nowhere" in result.stderr


def cache_state(cache: Path) -> dict[str, int]:
    """Every file in the cache folder with its modification time."""
    return {p.relative_to(cache).as_posix(): p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file()}


def test_each_root_keeps_its_own_cache(
    notes: Path, docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both roots cache as each alone would, and a change in one leaves the other's cache untouched."""
    together, alone = tmp_path / "cache-together", tmp_path / "cache-alone"
    monkeypatch.setenv("ASKBOT_CACHE_DIR", str(alone))
    Knowledge(docs)
    docs_entries = set(cache_state(alone))
    monkeypatch.setenv("ASKBOT_CACHE_DIR", str(together))
    Knowledge([notes, docs])
    before = cache_state(together)
    assert docs_entries <= set(before)  # the docs root's cache is the one it has alone
    Knowledge(notes), Knowledge(docs)
    assert cache_state(together) == before  # each root alone reads the cache the pair wrote
    (notes / "more.txt").write_text("The toaster burns bread.", encoding="utf-8")
    assert Knowledge([notes, docs]).ask("what burns bread?").source == "notes/more.txt"
    after = cache_state(together)
    assert {k: after[k] for k in docs_entries} == {k: before[k] for k in docs_entries}


def test_roots_are_scored_as_one_collection(notes: Path, docs: Path, tmp_path: Path) -> None:
    """Scores over two roots equal those of one folder holding both roots' files: statistics are shared."""
    both = tmp_path / "both"
    both.mkdir()
    (both / "a.md").write_bytes((notes / "todo.md").read_bytes())
    (both / "b.md").write_bytes((docs / "guide.md").read_bytes())
    question = "when does the kettle whistle?"
    split, joint = Knowledge([notes, docs], cache=False), Knowledge(both, cache=False)
    assert split.ask(question).hits[0].score == pytest.approx(joint.ask(question).hits[0].score)
    assert split.ask(question).confidence == pytest.approx(joint.ask(question).confidence)


def test_context_never_crosses_from_one_root_into_another(tmp_path: Path) -> None:
    """Two roots' same-named files are neighbours in the joint index, but -A does not step across."""
    for root, text in (("one", "Alpha is first."), ("two", "Beta is second.")):
        (tmp_path / root).mkdir()
        (tmp_path / root / "same.md").write_text(f"# Notes\n\n{text}\n", encoding="utf-8")
    answer = Knowledge([tmp_path / "one", tmp_path / "two"], cache=False).ask("what is first?", after=3)
    assert answer.source == "one/same.md" and answer.context == ()
