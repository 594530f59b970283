"""Packed files: dataclass trees with arrays saved atomically and mapped back from disk."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from askbot.index import packing


@dataclass(frozen=True)
class Leaf:
    values: np.ndarray
    name: str


@dataclass(frozen=True)
class Tree:
    leaf: Leaf
    counts: np.ndarray
    table: dict[str, int]


def test_tree_round_trips_with_arrays_mapped(tmp_path: Path) -> None:
    """Arrays of every dtype come back equal, and other fields unchanged."""
    tree = Tree(Leaf(np.arange(5, dtype=np.float32), "x"), np.array([1, 2, 3], dtype=np.int64), {"a": 1})
    packing.save(tmp_path / "t", tree)
    back = packing.load(tmp_path / "t")
    assert isinstance(back, Tree)
    assert np.array_equal(back.leaf.values, tree.leaf.values) and back.leaf.values.dtype == np.float32
    assert np.array_equal(back.counts, tree.counts) and back.table == {"a": 1} and back.leaf.name == "x"


def test_empty_arrays_survive(tmp_path: Path) -> None:
    """Zero-length arrays load as empty arrays of their dtype."""
    packing.save(tmp_path / "t", Leaf(np.empty(0, dtype=np.int32), ""))
    back = packing.load(tmp_path / "t")
    assert isinstance(back, Leaf) and back.values.shape == (0,) and back.values.dtype == np.int32


@pytest.mark.parametrize("damage", [b"", b"\x00" * 3, b"\xff" * 64, b"\x10\x00\x00\x00\x00\x00\x00\x00junk"])
def test_garbage_raises_broken_file(tmp_path: Path, damage: bytes) -> None:
    """Empty, short and garbled files raise BrokenFile, never another error."""
    (tmp_path / "t").write_bytes(damage)
    with pytest.raises(packing.BrokenFile):
        packing.load(tmp_path / "t")


def test_failed_write_leaves_the_old_file(tmp_path: Path) -> None:
    """If pickling fails midway, the previous file stays and no temporary file remains."""
    packing.save(tmp_path / "t", Leaf(np.arange(3), "old"))
    with pytest.raises(Exception):  # noqa: B017 - a lambda cannot be pickled, whatever the error type
        packing.save(tmp_path / "t", Leaf(np.arange(3), lambda: 0))  # type: ignore[arg-type]
    back = packing.load(tmp_path / "t")
    assert isinstance(back, Leaf) and back.name == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["t"]
