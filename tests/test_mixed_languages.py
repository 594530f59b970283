"""A folder of files in several languages: each file's language detected, each asked in its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from askbot.answering.query import question_query
from askbot.api import Knowledge
from askbot.errors import KnowledgeError
from askbot.index.store import load_index
from tests.test_cli import askbot

GERMAN = (
    "Der Kölner Dom ist eine gotische Kathedrale am Rhein. Der Bau des Kölner Doms begann 1248 und "
    "wurde erst 1880 fertiggestellt.\n\nDie beiden Türme des Doms sind 157 Meter hoch."
)
ENGLISH = (
    "The Golden Gate Bridge spans the strait at the entrance to San Francisco Bay. The bridge opened to "
    "traffic in 1937.\n\nThe colour of the bridge is called international orange."
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "dom.txt").write_text(GERMAN, encoding="utf-8")
    (tmp_path / "bridge.txt").write_text(ENGLISH, encoding="utf-8")
    return tmp_path


def test_each_file_is_given_its_own_language(folder: Path) -> None:
    """A German and an English file side by side are each detected as what they are."""
    assert Knowledge(folder, cache=False).languages() == {"bridge.txt": "en", "dom.txt": "de"}


@pytest.mark.parametrize(
    ("question", "source", "expected"),
    [
        ("Wann wurde der Kölner Dom fertiggestellt?", "dom.txt", "1880"),
        ("Wie hoch sind die Türme?", "dom.txt", "157 Meter"),
        ("When did the bridge open to traffic?", "bridge.txt", "1937"),
        ("what colour is the bridge", "bridge.txt", "international orange"),
    ],
)
def test_each_language_is_asked_of_its_own_files(
    folder: Path, question: str, source: str, expected: str
) -> None:
    """A German question is answered from the German file and an English one from the English file."""
    answer = Knowledge(folder, cache=False).ask(question)
    assert answer.known
    assert answer.hits[0].passage.source == source
    assert expected in answer.hits[0].passage.text


def test_a_question_neither_file_covers_is_declined_naming_its_words(folder: Path) -> None:
    """Asked in either language, a question about neither file is declined, naming the missing words."""
    assert not Knowledge(folder, cache=False).ask("Wie viele Einwohner hat Australien?").known
    assert "Australia" in Knowledge(folder, cache=False).ask("How many people live in Australia?").missing


def test_terms_of_one_language_meet_only_that_languages_files(folder: Path) -> None:
    """The English file's words are found by the question's English terms, never by its German ones."""
    index = load_index(folder)
    query = question_query("international orange", index, [index.analyzer("en"), index.analyzer("de")])
    assert [t.found for t in query.in_language("en").asked] == [True, True]
    assert [t.found for t in query.in_language("de").asked] == [False, False]
    assert query.missing == ()


def test_sources_shows_each_files_language(folder: Path) -> None:
    """`--sources` lists each file with its language."""
    result = askbot("--sources", "--no-cache", "-k", str(folder))
    assert result.returncode == 0
    assert "dom.txt  3 passages, de" in result.stdout
    assert "bridge.txt  3 passages, en" in result.stdout


def test_language_option_forces_every_files_language(folder: Path) -> None:
    """`--language de` analyses every file as German, and an unknown code is a usage error."""
    assert set(Knowledge(folder, cache=False, language="de").languages().values()) == {"de"}
    forced = askbot("--sources", "--no-cache", "--language", "de", "-k", str(folder))
    assert forced.returncode == 0 and ", en" not in forced.stdout
    wrong = askbot("--language", "klingon", "-k", str(folder), "hi")
    assert wrong.returncode == 2
    assert "unknown language 'klingon'" in wrong.stderr and "Traceback" not in wrong.stderr


def test_a_forced_language_has_its_own_cache(folder: Path, tmp_path: Path) -> None:
    """Indexing with and without `--language` keeps two caches, so neither serves the other's analysis."""
    cache = {"ASKBOT_CACHE_DIR": str(tmp_path / "cache")}
    assert ", de" in askbot("--sources", "--language", "de", "-k", str(folder), env=cache).stdout
    assert ", en" in askbot("--sources", "-k", str(folder), env=cache).stdout
    assert ", en" not in askbot("--sources", "--language", "de", "-k", str(folder), env=cache).stdout


def test_an_empty_folder_is_still_an_error_with_a_language(tmp_path: Path) -> None:
    """Forcing a language changes nothing about a folder with no knowledge."""
    with pytest.raises(KnowledgeError):
        Knowledge(tmp_path, cache=False, language="de")
