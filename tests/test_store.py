"""The index cache: segments reused, changed files re-indexed alone, nothing trusted that is damaged."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from askbot.analysis.detect import SAMPLE_CHARS
from askbot.answering.engine import Engine
from askbot.errors import KnowledgeError
from askbot.index import indexing, manifest
from askbot.index.store import cache_folder, load_index


@pytest.fixture(autouse=True)
def _no_background_merges(monkeypatch: pytest.MonkeyPatch) -> None:
    """Segments stay as the test makes them (test_merge.py tests merging)."""
    monkeypatch.setattr("askbot.index.merge.start_in_background", lambda folder: None)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "notes"
    root.mkdir()
    (root / "a.txt").write_text("Alpha is the first letter. It leads the alphabet.", encoding="utf-8")
    (root / "b.md").write_text("Beta comes second.", encoding="utf-8")
    return root


def count_analyses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    original = indexing.analyse_file

    def counting(source: str, *args: object, **kwargs: object) -> object:
        calls.append(source)
        return original(source, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(indexing, "analyse_file", counting)
    return calls


def segments(root: Path, cache: Path) -> dict[str, tuple[int, int]]:
    """The segment files of a root's cache, with their (inode, mtime)."""
    return {
        p.name: (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in cache_folder(root, cache).iterdir()
        if p.suffix == manifest.SEGMENT_SUFFIX
    }


def test_second_load_comes_from_the_cache(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Loading an unchanged folder again analyses no file."""
    load_index(folder, tmp_path / "cache")
    calls = count_analyses(monkeypatch)
    index = load_index(folder, tmp_path / "cache")
    assert calls == [] and len(index.passages) == 3


def test_changed_file_is_a_deletion_and_a_new_segment(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Changing one file re-reads it alone into a new segment; the old segment stays as it was, its
    copy of the file marked deleted in the manifest, and the answer reflects the change."""
    cache = tmp_path / "cache"
    load_index(folder, cache)
    before = segments(folder, cache)
    calls = count_analyses(monkeypatch)
    (folder / "b.md").write_text("Beta comes second. Gamma comes third.", encoding="utf-8")
    index = load_index(folder, cache)
    assert calls == ["b.md"]
    assert any("Gamma" in p.text for p in index.passages) and list(index.sources()) == ["a.txt", "b.md"]
    after = segments(folder, cache)
    assert all(after[name] == stamp for name, stamp in before.items()) and len(after) == 2
    found = manifest.read(cache_folder(folder, cache))
    assert found is not None
    assert [e.deleted for e in found.segments if e.name in before] == [((2, 3),)]


def test_added_and_removed_files_are_noticed(folder: Path, tmp_path: Path) -> None:
    """A new file is indexed and a deleted one disappears from the index."""
    load_index(folder, tmp_path / "cache")
    (folder / "c.txt").write_text("Delta is new.", encoding="utf-8")
    (folder / "a.txt").unlink()
    assert list(load_index(folder, tmp_path / "cache").sources()) == ["b.md", "c.txt"]


def test_edited_index_answers_exactly_as_a_rebuilt_one(folder: Path, tmp_path: Path) -> None:
    """After edits, the index numbers, scores and answers as an index built from scratch would."""
    cache = tmp_path / "cache"
    load_index(folder, cache)
    (folder / "a.txt").write_text(
        "Alpha leads. The first letter is alpha, the second beta.", encoding="utf-8"
    )
    (folder / "0.txt").write_text("Zero comes before the first letter.", encoding="utf-8")
    edited = load_index(folder, cache)
    rebuilt = load_index(folder, None)
    assert list(edited.passages) == list(rebuilt.passages)
    for question in ("which letter leads?", "what comes second?", "what comes before the first letter?"):
        ours, theirs = Engine(edited).ask(question, top_k=3), Engine(rebuilt).ask(question, top_k=3)
        assert [(h.position, h.score) for h in ours.hits] == [(h.position, h.score) for h in theirs.hits]
        assert ours.confidence == theirs.confidence


@pytest.mark.parametrize("damage", [b"", b"ASKBOT", b"not an index", b"\x80\x05garbage"])
def test_damaged_manifest_is_reported_and_rebuilt(folder: Path, tmp_path: Path, damage: bytes) -> None:
    """An empty, truncated or garbled manifest is reported, ignored and replaced by a good one."""
    cache = tmp_path / "cache"
    load_index(folder, cache)
    (cache_folder(folder, cache) / manifest.NAME).write_bytes(damage)
    warnings: list[str] = []
    assert len(load_index(folder, cache, warn=warnings.append).passages) == 3
    assert any("damaged" in w for w in warnings)
    assert manifest.read(cache_folder(folder, cache)) is not None


@pytest.mark.parametrize("how", ["flip", "truncate", "foreign", "garbage"])
def test_damaged_segment_is_reported_and_its_files_indexed_again(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """A segment with a flipped byte, cut short, swapped for another index's, or garbage is caught
    (by its checksum, length or the manifest's record), reported, and its files are indexed again."""
    cache = tmp_path / "cache"
    load_index(folder, cache)
    (name,) = segments(folder, cache)
    path = cache_folder(folder, cache) / name
    data = bytearray(path.read_bytes())
    if how == "flip":  # a byte of the first array, the passages' text
        data[-(-(16 + int.from_bytes(data[8:12], "little")) // 64) * 64] ^= 0xFF
    elif how == "truncate":
        data = data[: len(data) // 2]
    elif how == "foreign":
        other = tmp_path / "other"
        other.mkdir()
        (other / "a.txt").write_text("Alpha is the first letter. It leads the alphabet.", encoding="utf-8")
        (other / "b.md").write_text("Beta comes twice.", encoding="utf-8")
        load_index(other, cache)
        (foreign,) = segments(other, cache)
        data = bytearray((cache_folder(other, cache) / foreign).read_bytes())
    else:
        data = bytearray(b"\x00" * len(data))
    path.write_bytes(bytes(data))
    calls = count_analyses(monkeypatch)
    warnings: list[str] = []
    index = load_index(folder, cache, warn=warnings.append)
    assert [p.text for p in index.passages][-1] == "Beta comes second."
    assert sorted(calls) == ["a.txt", "b.md"]
    assert any(name in w and "damaged" in w for w in warnings)


def test_planted_pickle_is_never_run(folder: Path, tmp_path: Path) -> None:
    """A pickle planted as the manifest or a segment is rejected as data; the code in it never runs."""
    cache = tmp_path / "cache"
    load_index(folder, cache)
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.mkdir, (str(marker),))

    planted = pickle.dumps(Payload())
    (cache_folder(folder, cache) / manifest.NAME).write_bytes(planted)
    for name in segments(folder, cache):
        (cache_folder(folder, cache) / name).write_bytes(planted)
    assert len(load_index(folder, cache).passages) == 3
    assert not marker.exists()


def test_cache_files_are_arrays_behind_a_json_header(folder: Path, tmp_path: Path) -> None:
    """Every cache file starts with askbot's magic and a JSON header: nothing in it is pickled."""
    cache = tmp_path / "cache"
    load_index(folder, cache)
    for path in cache_folder(folder, cache).iterdir():
        if path.name == manifest.LOCK:
            continue
        data = path.read_bytes()
        length = int.from_bytes(data[8:12], "little")
        assert data[:6] == b"ASKBOT" and isinstance(json.loads(data[16 : 16 + length]), dict)


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
    """Writes rename their temporary files into place, and replaced segments are removed."""
    cache = tmp_path / "cache"
    load_index(folder, cache)
    (folder / "b.md").write_text("Beta is second.", encoding="utf-8")
    load_index(folder, cache)
    (folder / "a.txt").unlink()
    load_index(folder, cache)
    names = {p.name for p in cache_folder(folder, cache).iterdir()} - {manifest.LOCK, manifest.NAME}
    assert len(names) == 1 and names.pop().endswith(manifest.SEGMENT_SUFFIX)


def test_knowledge_files_are_never_modified(folder: Path, tmp_path: Path) -> None:
    """Indexing leaves every knowledge file's bytes and mtime as they were."""
    before = {p: (p.read_bytes(), os.stat(p).st_mtime_ns) for p in folder.iterdir()}
    load_index(folder, tmp_path / "cache")
    assert before == {p: (p.read_bytes(), os.stat(p).st_mtime_ns) for p in folder.iterdir()}


def test_cache_from_another_version_is_rebuilt(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache written with another analyser version is ignored and rewritten."""
    cache = tmp_path / "cache"
    load_index(folder, cache)
    monkeypatch.setattr("askbot.index.store.CACHE_FORMAT", ["other"])
    calls = count_analyses(monkeypatch)
    load_index(folder, cache)
    assert sorted(calls) == ["a.txt", "b.md"]


def test_cached_index_answers_like_a_fresh_one(folder: Path, tmp_path: Path) -> None:
    """The index mapped from the cache gives the same passages and scores as the one just built."""
    fresh = Engine(load_index(folder, tmp_path / "cache")).ask("which letter leads?", top_k=3)
    cached = Engine(load_index(folder, tmp_path / "cache")).ask("which letter leads?", top_k=3)
    assert [(h.passage, h.score) for h in fresh.hits] == [(h.passage, h.score) for h in cached.hits]


def test_worker_processes_build_the_same_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Indexing in worker processes, a segment per batch, gives the index one process gives."""
    root = tmp_path / "many"
    root.mkdir()
    for n in range(12):
        sentences = [f"Item {n} number {k} is kept in crate {n * k} of the store." for k in range(30)]
        (root / f"part{n:02d}.txt").write_text(" ".join(sentences), encoding="utf-8")
    monkeypatch.setattr(indexing, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(indexing, "BATCH_CHARS", 5_000)
    steps: list[tuple[int, int]] = []
    parallel = load_index(root, tmp_path / "cache", progress=lambda done, total: steps.append((done, total)))
    single = load_index(root, None)
    assert len(parallel.segments) > 2 and steps[-1] == (12, 12)
    assert list(parallel.passages) == list(single.passages)
    question = "which crate keeps item 7 number 3?"
    ours, theirs = Engine(parallel).ask(question, top_k=3), Engine(single).ask(question, top_k=3)
    assert [(h.position, h.score) for h in ours.hits] == [(h.position, h.score) for h in theirs.hits]


def count_detections(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    from askbot.analysis import detect

    original = detect.detect_language

    def counting(text: str) -> str:
        calls.append(text)
        return original(text)

    monkeypatch.setattr(detect, "detect_language", counting)
    return calls


# Longer than the opening detection reads, so that what follows it can change alone.
ENGLISH_OPENING = (
    "The harbour opens at dawn and closes at dusk. Boats wait outside the wall at night.\n\n" * 300
)
GERMAN_OPENING = (
    "Der Hafen öffnet bei Sonnenaufgang und schließt bei Sonnenuntergang. Die Boote warten.\n\n" * 300
)


def test_a_file_whose_opening_is_unchanged_keeps_its_language_undetected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file edited after its opening (a line appended) keeps the language detected from that
    opening without asking the detector again; one whose opening changed is detected again."""
    assert len(ENGLISH_OPENING) > SAMPLE_CHARS
    root = tmp_path / "notes"
    root.mkdir()
    (root / "harbour.txt").write_text(ENGLISH_OPENING, encoding="utf-8")
    cache = tmp_path / "cache"
    load_index(root, cache)
    calls = count_detections(monkeypatch)
    (root / "harbour.txt").write_text(ENGLISH_OPENING + "\n\nA ferry leaves at noon.", encoding="utf-8")
    index = load_index(root, cache)
    assert calls == [] and any("ferry" in p.text for p in index.passages)
    (root / "harbour.txt").write_text(GERMAN_OPENING, encoding="utf-8")
    index = load_index(root, cache)
    assert len(calls) == 1 and index.languages == {"harbour.txt": "de"}


def test_the_languages_of_an_edited_index_are_those_of_a_rebuilt_one(tmp_path: Path) -> None:
    """Files edited in place, after their opening or in it, end in the languages a fresh index detects."""
    root = tmp_path / "notes"
    root.mkdir()
    (root / "a.txt").write_text(ENGLISH_OPENING, encoding="utf-8")
    (root / "b.txt").write_text(ENGLISH_OPENING, encoding="utf-8")
    cache = tmp_path / "cache"
    load_index(root, cache)
    (root / "a.txt").write_text(ENGLISH_OPENING + "\n\nDie Boote warten.", encoding="utf-8")
    (root / "b.txt").write_text(GERMAN_OPENING, encoding="utf-8")
    expected = {"a.txt": "en", "b.txt": "de"}
    assert load_index(root, cache).languages == load_index(root, None).languages == expected


def test_vocabulary_looked_up_together_or_one_by_one_is_the_same(folder: Path, tmp_path: Path) -> None:
    """An index's vocabulary gives the same terms for words looked up together (as a changed file's
    are) as one at a time, over segments some of whose files are deleted."""
    cache = tmp_path / "cache"
    load_index(folder, cache)
    (folder / "a.txt").write_text("Alpha is the first letter. Omega is the last one.", encoding="utf-8")
    index = load_index(folder, cache)
    words = ["alpha", "omega", "leads", "alphabet", "beta", "second", "the", "missing", "", "é"]
    together = index.vocabulary
    together.prefetch(words)
    one_by_one = load_index(folder, cache).vocabulary
    assert [together.get(w) for w in words] == [one_by_one.get(w) for w in words]
    assert together.get("alphabet") is None and together.get("omega") == one_by_one["omega"]


def test_temporary_files_of_killed_writers_are_removed_at_the_next_change(
    folder: Path, tmp_path: Path
) -> None:
    """A segment's or manifest's temporary file whose writer is gone (an askbot killed while
    writing) is removed when the index next changes; that of a running writer is left alone."""
    cache = tmp_path / "cache"
    load_index(folder, cache)
    where = cache_folder(folder, cache)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    left = where / f"0123456789abcdef.seg.{int(dead.stdout)}.k2j4h5g6.tmp"
    manifest_left = where / f"manifest.{int(dead.stdout)}.a1b2c3d4.tmp"
    running = where / f"fedcba9876543210.seg.{os.getpid()}.z9y8x7w6.tmp"
    for path in (left, manifest_left, running):
        path.write_bytes(b"half a segment")
    (folder / "b.md").write_text("Beta comes second, after alpha.", encoding="utf-8")
    load_index(folder, cache)
    assert not left.exists() and not manifest_left.exists() and running.exists()
