"""Hostile input: arbitrary questions, broken files, interrupted builds and signals lose and crash nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from askbot.analysis.text import Analyzer
from askbot.answering.engine import MAX_QUESTION_CHARS, Engine
from askbot.answering.query import build_query
from askbot.documents.passages import split_passages
from askbot.index.build import index_text
from askbot.index.store import cache_folder, load_index
from askbot.render import render_json, render_text
from tests.conftest import ARTICLE

ENGINE = Engine(index_text(ARTICLE.read_text(encoding="utf-8"), ARTICLE.name))

hostile_text = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8")),
    st.text(alphabet="\x00\x01\x1b\x7f\u200f\u202e\ufeff \n\t.?!“”'’-"),
    st.text(alphabet="مرحبا שלום 😀🇺🇳 NATO Rutte leads. ", min_size=1),
    st.text(alphabet="?!.,;:()[]{}\"'…—-", min_size=1),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(question=hostile_text)
def test_any_question_gets_an_answer_or_a_decline_and_valid_json(question: str) -> None:
    """No question raises; the JSON line always parses and the prose always renders."""
    answer = ENGINE.ask(question, top_k=3)
    payload = json.loads(render_json(answer))
    assert payload["question"] == question[:MAX_QUESTION_CHARS]
    assert isinstance(render_text(answer, colour=True), str)
    assert len(answer.hits) <= 3


def test_megabyte_question_is_bounded_before_analysis() -> None:
    """A 1 MB question is cut to a bounded length and a bounded number of search terms."""
    question = "Rutte Baghdad " * 80_000
    answer = ENGINE.ask(question)
    assert len(answer.question) == MAX_QUESTION_CHARS
    assert len(build_query(answer.question, ENGINE.index, ENGINE.index.analyzer()).asked) <= 64


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=hostile_text)
def test_any_text_splits_into_exact_passages(text: str) -> None:
    """Whatever the text, every passage is a non-empty stretch of it with a sane line number."""
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    for passage in split_passages(text, "x"):
        assert passage.text.strip() and passage.text in normalised
        assert 1 <= passage.line <= normalised.count("\n") + 1
    Analyzer().terms(text)


def test_one_line_file_of_megabytes_is_indexed(tmp_path: Path) -> None:
    """A multi-megabyte file on one line is segmented in pieces and still answered from."""
    sentence = "The quick brown fox number {} jumps over the lazy dog. "
    (tmp_path / "huge.txt").write_text("".join(sentence.format(i) for i in range(60_000)), encoding="utf-8")
    index = load_index(tmp_path, None)
    assert len(index.passages) >= 60_000
    assert (
        Engine(index)
        .ask("which fox is number 41234?")
        .hits[0]
        .passage.text.startswith("The quick brown fox number 41234 ")
    )


def test_empty_and_unreadable_files_are_skipped_with_reasons(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Empty, vanished and permission-denied files are each skipped and named; the rest is answered from."""
    (tmp_path / "good.txt").write_text("The kettle whistles at noon.", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "locked.txt").write_text("Secret.", encoding="utf-8")
    (tmp_path / "gone.txt").write_text("Soon gone.", encoding="utf-8")
    original = os.open

    def open_file(path: str | Path, flags: int, *args: int, **kwargs: int) -> int:
        if Path(path).name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        if Path(path).name == "gone.txt":
            raise FileNotFoundError(2, "No such file or directory")  # deleted while indexing
        return original(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_file)
    warnings: list[str] = []
    index = load_index(tmp_path, tmp_path / "cache", warn=warnings.append)
    assert index.sources() == {"good.txt": 1}
    reasons = {s.source: s.reason for s in index.skipped}
    assert reasons == {
        "empty.txt": "no text",
        "gone.txt": "No such file or directory",
        "locked.txt": "Permission denied",
    }
    assert len(warnings) == 3


def test_interrupted_build_leaves_no_cache_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C while indexing writes no manifest and leaves no segment; the next run builds it all."""
    for n in range(5):
        (tmp_path / f"f{n}.txt").write_text(f"File {n} talks about topic {n}.", encoding="utf-8")
    cache = tmp_path / "cache"
    calls = 0
    from askbot.index import indexing

    original = indexing.analyse_file

    def interrupted(*args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise KeyboardInterrupt
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(indexing, "analyse_file", interrupted)
    monkeypatch.setattr(indexing, "BATCH_CHARS", 1)  # a segment per file: two are written before Ctrl-C
    with pytest.raises(KeyboardInterrupt):
        load_index(tmp_path, cache)
    assert [p.name for p in cache_folder(tmp_path, cache).iterdir()] == ["lock"]
    monkeypatch.setattr(indexing, "analyse_file", original)
    assert len(load_index(tmp_path, cache).passages) == 5
    assert (cache_folder(tmp_path, cache) / "manifest").exists()


def test_sigterm_ends_a_waiting_askbot_promptly(tmp_path: Path) -> None:
    """SIGTERM stops askbot while it waits for questions on stdin, without a traceback."""
    process = subprocess.Popen(
        [sys.executable, "-m", "askbot"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "ASKBOT_CACHE_DIR": str(tmp_path)},
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(b"who leads NMI?\n")
    process.stdin.flush()
    process.stdout.readline()  # it has answered, and now waits for the next question
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=10)
    assert process.returncode == -signal.SIGTERM and b"Traceback" not in err


def test_closed_stdout_ends_quietly() -> None:
    """Answering into an already-closed stdout prints no traceback."""
    script = "import os, sys; os.close(1); from askbot.cli import main; sys.exit(main(['q']))"
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "Traceback" not in result.stderr


def test_file_changed_while_indexing_is_read_again_next_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file rewritten between its stat and its read is re-read on the next run, not served stale."""
    path = tmp_path / "notes.txt"
    path.write_text("The kettle whistles at noon.", encoding="utf-8")
    from askbot.index import indexing

    original = indexing.read_document

    def read_then_edit(doc: object, *args: object) -> object:
        passages = original(doc, *args)  # type: ignore[arg-type]
        path.write_text("The kettle whistles at dawn, and the cat sleeps.", encoding="utf-8")
        os.utime(path, ns=(1, 1))  # a different stamp, whatever the clock's resolution
        return passages

    monkeypatch.setattr(indexing, "read_document", read_then_edit)
    first = load_index(tmp_path, tmp_path / "cache")
    monkeypatch.setattr(indexing, "read_document", original)
    second = load_index(tmp_path, tmp_path / "cache")
    assert [p.text for p in first.passages] == ["The kettle whistles at noon."]
    assert [p.text for p in second.passages] == ["The kettle whistles at dawn, and the cat sleeps."]
