"""Several askbots and interrupted ones: the index on disk is always one that answers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from askbot.index import manifest
from askbot.index.segment import open_segment
from askbot.index.store import cache_folder, load_index


def askbot(folder: Path, cache: Path, question: str) -> subprocess.Popen[str]:
    env = {**os.environ, "ASKBOT_CACHE_DIR": str(cache)}
    command = [sys.executable, "-m", "askbot", "--knowledge", str(folder), "--json", question]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def write_folder(root: Path, files: int, sentences: int, word: str) -> None:
    root.mkdir(exist_ok=True)
    for n in range(files):
        lines = [
            f"Crate {n}-{k} of the {word} store keeps item {k * n} beside shelf {k}."
            for k in range(sentences)
        ]
        (root / f"part{n:03d}.txt").write_text("\n".join(lines), encoding="utf-8")


def assert_sound(root: Path, cache: Path, names: set[str]) -> None:
    """The manifest names exactly `names`, and each of them is on disk and passes its checksums."""
    folder = cache_folder(root, cache)
    found = manifest.read(folder)
    assert found is not None and {e.name for e in found.segments} == names
    for name in names:
        open_segment(folder, name, verify=True)


def test_two_askbots_building_at_once_both_answer_and_leave_a_valid_cache(tmp_path: Path) -> None:
    """Two askbots started together on a cold cache both answer right; the cache is then complete."""
    root = tmp_path / "notes"
    write_folder(root, 6, 20, "harbour")
    cache = tmp_path / "cache"
    runs = [askbot(root, cache, "which crate keeps item 76?") for _ in range(2)]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0]
    assert all("Crate 4-19 of the harbour store keeps item 76" in out for out in outputs)
    found = manifest.read(cache_folder(root, cache))
    assert found is not None
    assert_sound(root, cache, {e.name for e in found.segments})
    assert len(load_index(root, cache).passages) == 120


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT])
def test_a_build_killed_or_interrupted_leaves_the_last_good_index(
    tmp_path: Path, how: signal.Signals
) -> None:
    """Killing askbot (or Ctrl-C) while it re-indexes in worker processes leaves the previous manifest and
    its segments whole; Ctrl-C ends with exit 130 and no traceback; the next run indexes and answers."""
    root = tmp_path / "store"
    write_folder(root, 50, 1_200, "old")  # about 5 MB: indexed in worker processes
    cache = tmp_path / "cache"
    load_index(root, cache, merge_in_background=False)
    before = manifest.read(cache_folder(root, cache))
    assert before is not None
    write_folder(root, 50, 1_200, "new")
    run = askbot(root, cache, "which crate keeps item 76?")
    time.sleep(1.0)
    run.send_signal(how)
    _, err = run.communicate(timeout=120)
    if how == signal.SIGINT:
        assert run.returncode == 130 and "Traceback" not in err
    assert_sound(root, cache, {e.name for e in before.segments})
    index = load_index(root, cache, merge_in_background=False)
    assert "of the new store" in index.passages[0].text


UNGUARDED_SCRIPT = """\
import sys
from askbot.index import indexing
indexing.PARALLEL_BYTES = 0  # index in worker processes, however small the folder
from askbot import Knowledge
print(Knowledge(sys.argv[1]).ask("how many bridges", min_confidence=0.0).text)
"""


def test_a_script_without_a_main_guard_indexes_in_workers_and_answers(tmp_path: Path) -> None:
    """A script that makes a Knowledge at its top level, with no `if __name__ == "__main__":`, is not
    run again in the indexing workers (which waited for ever on the index it was building)."""
    folder = tmp_path / "k"
    folder.mkdir()
    for n in range(1, 5):
        (folder / f"f{n}.txt").write_text(
            f"File {n} is about the river.\n\nIt has {n} bridges.\n", encoding="utf-8"
        )
    script = tmp_path / "script.py"
    script.write_text(UNGUARDED_SCRIPT, encoding="utf-8")
    src = str(Path(__file__).resolve().parents[1] / "src")  # this checkout's askbot, installed or not
    env = {**os.environ, "ASKBOT_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": src}
    done = subprocess.run(
        [sys.executable, str(script), str(folder)], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "bridges" in done.stdout
