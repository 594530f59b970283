"""The index cache: reused when nothing changed, rebuilt per file, never trusted when broken."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from askbot.errors import KnowledgeError
from askbot.index import build as index_module
from askbot.index.store import cache_path, load_index


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "notes"
    root.mkdir()
    (root / "a.txt").write_text("Alpha is the first letter. It leads the alphabet.", encoding="utf-8")
    (root / "b.md").write_text("Beta comes second.", encoding="utf-8")
    return root


def count_analyses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    original = index_module.analyse_file

    def counting(source: str, *args: object) -> object:
        calls.append(source)
        return original(source, *args)  # type: ignore[arg-type]

    monkeypatch.setattr("askbot.index.store.analyse_file", counting)
    return calls


def test_second_load_comes_from_the_cache(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Loading an unchanged folder again analyses no file."""
    load_index(folder, tmp_path / "cache")
    calls = count_analyses(monkeypatch)
    index = load_index(folder, tmp_path / "cache")
    assert calls == [] and len(index.passages) == 3


def test_changed_file_alone_is_reanalysed(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Changing one file re-reads that file only, and the answer reflects the change."""
    load_index(folder, tmp_path / "cache")
    calls = count_analyses(monkeypatch)
    (folder / "b.md").write_text("Beta comes second. Gamma comes third.", encoding="utf-8")
    index = load_index(folder, tmp_path / "cache")
    assert calls == ["b.md"]
    assert any("Gamma" in p.text for p in index.passages)


def test_added_and_removed_files_are_noticed(folder: Path, tmp_path: Path) -> None:
    """A new file is indexed and a deleted one disappears from the index."""
    load_index(folder, tmp_path / "cache")
    (folder / "c.txt").write_text("Delta is new.", encoding="utf-8")
    (folder / "a.txt").unlink()
    assert sorted(load_index(folder, tmp_path / "cache").sources()) == ["b.md", "c.txt"]


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05garbage"])
def test_corrupt_cache_is_rebuilt(folder: Path, tmp_path: Path, damage: bytes) -> None:
    """A truncated or garbled cache file is ignored and replaced by a good one."""
    cache = tmp_path / "cache"
    load_index(folder, cache)
    for kind in ("index", "files"):
        cache_path(folder, cache, kind).write_bytes(damage)
    assert len(load_index(folder, cache).passages) == 3
    assert len(load_index(folder, cache).passages) == 3
    assert cache_path(folder, cache).stat().st_size > 100


def test_unwritable_cache_warns_and_still_answers(folder: Path, tmp_path: Path) -> None:
    """When the cache folder cannot be written, askbot warns and works without it."""
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    warnings: list[str] = []
    index = load_index(folder, blocker / "sub", warn=warnings.append)
    assert len(index.passages) == 3
    assert any("could not save the index cache" in w for w in warnings)


def test_unreadable_files_are_skipped_with_a_reason(folder: Path, tmp_path: Path) -> None:
    """Binary and non-UTF-8 files are skipped with a warning naming each; the rest loads."""
    (folder / "bin.txt").write_bytes(b"\x00\x01\x02")
    (folder / "latin.txt").write_bytes(b"caf\xe9")
    warnings: list[str] = []
    index = load_index(folder, tmp_path / "cache", warn=warnings.append)
    assert sorted(index.sources()) == ["a.txt", "b.md"]
    assert {s.source for s in index.skipped} == {"bin.txt", "latin.txt"}
    assert any("bin.txt" in w and "binary" in w for w in warnings)
    assert len(load_index(folder, tmp_path / "cache", warn=warnings.append).skipped) == 2


def test_empty_folder_is_a_knowledge_error(tmp_path: Path) -> None:
    """A folder with no text is reported, not answered from."""
    with pytest.raises(KnowledgeError, match="no .txt, .md"):
        load_index(tmp_path, tmp_path / "cache")


def test_cache_write_leaves_no_temporary_files(folder: Path, tmp_path: Path) -> None:
    """The atomic write renames its temporary file into place."""
    load_index(folder, tmp_path / "cache")
    assert sorted(p.suffix for p in (tmp_path / "cache").iterdir()) == [".files", ".index"]


def test_knowledge_files_are_never_modified(folder: Path, tmp_path: Path) -> None:
    """Indexing leaves every knowledge file's bytes and mtime as they were."""
    before = {p: (p.read_bytes(), os.stat(p).st_mtime_ns) for p in folder.iterdir()}
    load_index(folder, tmp_path / "cache")
    assert before == {p: (p.read_bytes(), os.stat(p).st_mtime_ns) for p in folder.iterdir()}


def test_truncated_index_file_is_rebuilt(folder: Path, tmp_path: Path) -> None:
    """An index file cut in half (a crash mid-copy, a full disk) is not trusted."""
    cache = tmp_path / "cache"
    load_index(folder, cache)
    path = cache_path(folder, cache)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert [p.text for p in load_index(folder, cache).passages][0] == "Alpha is the first letter."


def test_cache_from_another_version_is_rebuilt(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache written with another analyser version is ignored and rewritten."""
    cache = tmp_path / "cache"
    load_index(folder, cache)
    monkeypatch.setattr("askbot.index.store.CACHE_FORMAT", ("other",))
    calls = count_analyses(monkeypatch)
    load_index(folder, cache)
    assert sorted(calls) == ["a.txt", "b.md"]


def test_cached_index_answers_like_a_fresh_one(folder: Path, tmp_path: Path) -> None:
    """The index mapped from the cache gives the same passages and scores as the one just built."""
    from askbot.answering.engine import Engine

    fresh = Engine(load_index(folder, tmp_path / "cache")).ask("which letter leads?", top_k=3)
    cached = Engine(load_index(folder, tmp_path / "cache")).ask("which letter leads?", top_k=3)
    assert [(h.passage, h.score) for h in fresh.hits] == [(h.passage, h.score) for h in cached.hits]


def test_two_processes_building_at_once_both_answer_and_leave_a_valid_cache(
    folder: Path, tmp_path: Path
) -> None:
    """Two askbots started together on a cold cache both answer right; the cache is then valid."""
    import subprocess
    import sys

    env = {**os.environ, "ASKBOT_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "askbot", "--knowledge", str(folder), "--json", "what comes second?"]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env) for _ in range(2)]
    outputs = [run.communicate(timeout=60)[0] for run in runs]
    assert all(run.returncode == 0 for run in runs)
    assert all("Beta comes second." in out for out in outputs)
    assert len(load_index(folder, tmp_path / "cache").passages) == 3
