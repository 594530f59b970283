"""Merging segments: the policy, merges that keep every answer, and merges that run on their own."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from askbot.answering.engine import Engine
from askbot.index import indexing, manifest, merge
from askbot.index.store import cache_folder, load_index

QUESTIONS = ("which crate keeps item 7?", "what is kept in crate 12?", "where is item 3 number 2?")


def segment_names(root: Path, cache: Path) -> set[str]:
    found = manifest.read(cache_folder(root, cache))
    assert found is not None
    return {e.name for e in found.segments}


def answers(root: Path, cache: Path | None) -> list[list[tuple[int, float, str]]]:
    engine = Engine(load_index(root, cache, merge_in_background=False))
    return [[(h.position, h.score, h.passage.text) for h in engine.ask(q, top_k=5).hits] for q in QUESTIONS]


@pytest.fixture
def edited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A folder indexed, then edited file by file: a big segment and a small one per edit."""
    root = tmp_path / "store"
    root.mkdir()
    for n in range(14):
        lines = [f"Item {n} number {k} is kept in crate {n + k} of the store." for k in range(20)]
        (root / f"part{n:02d}.txt").write_text(" ".join(lines), encoding="utf-8")
    cache = tmp_path / "cache"
    monkeypatch.setattr(merge, "start_in_background", lambda folder: None)
    load_index(root, cache)
    for n in range(merge.MERGE_FACTOR + 1):
        (root / f"part{n:02d}.txt").write_text(f"Item {n} is now kept in crate {40 + n}.", encoding="utf-8")
        load_index(root, cache)
    return root, cache


def test_policy_merges_a_full_tier_and_a_mostly_deleted_segment() -> None:
    """Ten segments of one tier are merged, nine are not; a segment more than half deleted is rewritten."""
    nine_small = [(500, 500)] * 9
    assert merge.plan([(200_000, 200_000)] + nine_small) == []
    assert merge.plan([(200_000, 200_000)] + nine_small + [(700, 700)]) == [list(range(1, 11))]
    assert merge.plan([(300_000, 300_000), (80_000, 200_000)]) == [[1]]
    assert merge.plan([(40_000, 60_000), (20_000, 20_000)]) == []
    assert [merge.tier(n) for n in (0, 9_999, 10_000, 99_999, 100_000, 1_000_000)] == [0, 0, 1, 1, 2, 3]


def test_merging_keeps_every_answer_and_drops_deleted_passages(edited: tuple[Path, Path]) -> None:
    """After a merge, fewer segments hold only live passages, and answers are those of a rebuild."""
    root, cache = edited
    before = segment_names(root, cache)
    expected = answers(root, None)
    assert answers(root, cache) == expected
    assert merge.merge_folder(cache_folder(root, cache)) >= 1
    after = segment_names(root, cache)
    assert len(after) < len(before)
    assert answers(root, cache) == expected
    found = manifest.read(cache_folder(root, cache))
    assert found is not None and not any(e.deleted for e in found.segments if e.name not in before)
    on_disk = {p.name for p in cache_folder(root, cache).iterdir() if p.suffix == manifest.SEGMENT_SUFFIX}
    assert on_disk == after


def test_file_changed_during_a_merge_stays_changed(
    edited: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file re-indexed while a merge is writing is not brought back by the merge's commit."""
    root, cache = edited
    original = merge.merge_arrays

    def edit_while_merging(*args: object) -> object:
        result = original(*args)  # type: ignore[arg-type]
        (root / "part12.txt").write_text("Item 12 went to crate 99.", encoding="utf-8")
        load_index(root, cache, merge_in_background=False)
        return result

    monkeypatch.setattr(merge, "merge_arrays", edit_while_merging)
    merge.merge_folder(cache_folder(root, cache))
    monkeypatch.setattr(merge, "merge_arrays", original)
    index = load_index(root, cache, merge_in_background=False)
    texts = [p.text for p in index.passages if p.source == "part12.txt"]
    assert texts == ["Item 12 went to crate 99."]
    assert answers(root, cache) == answers(root, None)


def test_a_change_starts_a_merge_that_runs_on_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When a change leaves a tier full, load_index returns and a detached process merges it."""
    root = tmp_path / "notes"
    root.mkdir()
    monkeypatch.setattr(indexing, "BATCH_CHARS", 1)  # a segment per file
    for n in range(merge.MERGE_FACTOR):
        (root / f"n{n}.txt").write_text(f"Note {n} is about topic {n}.", encoding="utf-8")
    cache = tmp_path / "cache"
    load_index(root, cache)
    deadline = time.monotonic() + 60
    while len(segment_names(root, cache)) > 1 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(segment_names(root, cache)) == 1
    assert sorted(load_index(root, cache).sources()) == [f"n{n}.txt" for n in range(merge.MERGE_FACTOR)]
