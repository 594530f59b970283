"""Merging segments: the live files of several segments rewritten as one, deleted passages dropped.

Every array is remapped with numpy and nothing is analysed again.  Merges never run while a question
waits: when a change leaves work for the policy, askbot starts a detached process
(`python -m askbot.index.merge FOLDER`), as `git gc --auto` does, and answers at once.

The policy, tiered as Lucene's: a segment's tier is the power of ten of its live passages
(under 10,000, under 100,000, ...).  When a tier holds MERGE_FACTOR segments, they are merged into
one of the next tier, so a knowledge of N passages keeps at most MERGE_FACTOR - 1 segments per
tier, O(log N) in all, and each passage is rewritten once per tier it climbs.  A segment more than
half deleted is rewritten with its tier, so deleted passages never hold more than half the space.
The merge process takes the folder's lock only to read the manifest and to commit its own; files
deleted from the merged segments meanwhile are marked deleted in the merged one.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from askbot.index import columns, manifest
from askbot.index.columns import Array, BrokenFile, Written
from askbot.index.indexing import open_segment
from askbot.index.manifest import SEGMENT_SUFFIX, Manifest, SegmentEntry
from askbot.index.segment import KIND, FileRecord, Postings, Segment, hash_order, string_arrays, word_arrays
from askbot.index.table import join_tables


def merge_arrays(parts: Sequence[tuple[Segment, int]]) -> tuple[dict[str, Any], dict[str, Array]]:
    """The meta and arrays of one segment holding the given files (segment, file number), in that order."""
    segments = list(dict.fromkeys(segment for segment, _ in parts))
    slot = {id(s): k for k, s in enumerate(segments)}
    passage_maps = [np.full(s.size, -1, dtype=np.int64) for s in segments]
    paragraph_maps = [np.full(len(s.paragraphs.lengths), -1, dtype=np.int64) for s in segments]
    tables, records = [], []
    passages = paragraphs = 0
    for segment, number in parts:
        record = segment.files[number]
        (a, b), (c, d) = record.passages, record.paragraphs
        passage_maps[slot[id(segment)]][a:b] = np.arange(passages, passages + b - a)
        paragraph_maps[slot[id(segment)]][c:d] = np.arange(paragraphs, paragraphs + d - c)
        tables.append(segment.passages.take(np.arange(a, b)))
        records.append(
            FileRecord(
                record.source,
                record.stamp,
                (passages, passages + b - a),
                (paragraphs, paragraphs + d - c),
                record.length,
                record.acronyms,
                record.meta,
            )
        )
        passages += b - a
        paragraphs += d - c
    terms, term_maps, term_hashes = _union([s.terms.keys.tolist() for s in segments])
    arrays = {**join_tables(tables).arrays("passage"), **string_arrays("term", terms, term_hashes)}
    for kind, maps, count in (
        ("sentence", passage_maps, passages),
        ("paragraph", paragraph_maps, paragraphs),
    ):
        postings = [s.postings(kind) for s in segments]
        arrays.update(_merge_postings(kind, postings, term_maps, maps, len(terms), count))
    paragraph_of = np.zeros(passages, dtype=np.int64)
    for s, p_map, g_map in zip(segments, passage_maps, paragraph_maps, strict=True):
        live = p_map >= 0
        paragraph_of[p_map[live]] = g_map[s.paragraph_of[live]]
    arrays["paragraph_of"] = paragraph_of.astype(np.int32)
    arrays.update(_merge_words(parts, segments, slot))
    return {"passages": passages, "files": [r.to_json() for r in records]}, arrays


def _union(decoded: Sequence[list[str]]) -> tuple[list[str], list[Array], Array]:
    """The distinct strings of several lists, in hash order, and each list's map into them."""
    number: dict[str, int] = {}
    for values in decoded:
        for value in values:
            number.setdefault(value, len(number))
    keys, renumber, hashes = hash_order(list(number))
    maps = [renumber[np.array([number[v] for v in values], dtype=np.int64)] for values in decoded]
    return keys, maps, hashes


def _merge_postings(
    kind: str,
    postings: Sequence[Postings],
    term_maps: Sequence[Array],
    doc_maps: Sequence[Array],
    n_terms: int,
    n_docs: int,
) -> dict[str, Array]:
    """Postings of several segments renumbered into one, deleted documents dropped."""
    keys, tfs = [np.zeros(0, np.int64)], [np.zeros(0, np.uint32)]
    lengths = np.zeros(n_docs, dtype=np.int64)
    for p, term_map, doc_map in zip(postings, term_maps, doc_maps, strict=True):
        live = doc_map >= 0
        lengths[doc_map[live]] = p.lengths[live]
        terms = np.repeat(term_map, np.diff(p.starts))
        docs = doc_map[p.docs]
        kept = docs >= 0
        keys.append(terms[kept] * max(n_docs, 1) + docs[kept])
        tfs.append(p.tfs[kept].astype(np.uint32))
    every = np.concatenate(keys)
    order = np.argsort(every, kind="stable")
    every, frequencies = every[order], np.concatenate(tfs)[order]
    starts = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(np.bincount(every // max(n_docs, 1), minlength=n_terms), out=starts[1:])
    return {
        f"{kind}.starts": starts,
        f"{kind}.docs": (every % max(n_docs, 1)).astype(np.int32),
        f"{kind}.tfs": frequencies.astype(
            np.uint16 if not len(frequencies) or frequencies.max() < 2**16 else np.uint32
        ),
        f"{kind}.lengths": lengths.astype(np.int32),
    }


def _merge_words(
    parts: Sequence[tuple[Segment, int]], segments: Sequence[Segment], slot: dict[int, int]
) -> dict[str, Array]:
    """Words, their terms and every file's spelling counts renumbered into one segment; only what the
    files given still write is kept, so a word of a deleted file is gone."""
    live = [np.zeros(len(s.spelling_counts), dtype=np.int64) for s in segments]
    for segment, number in parts:
        offsets, file_rows, file_counts = segment.file_spellings
        a, b = int(offsets[number]), int(offsets[number + 1])
        np.add.at(live[slot[id(segment)]], file_rows[a:b], file_counts[a:b])
    used = [
        np.flatnonzero(np.bincount(s.spelling_words, weights=n, minlength=len(s.words.keys)))
        for s, n in zip(segments, live, strict=True)
    ]
    all_words = [s.words.keys.tolist() for s in segments]
    words, word_maps, word_hashes = _union(
        [[w[i] for i in u.tolist()] for w, u in zip(all_words, used, strict=True)]
    )
    terms = [""] * len(words)
    pair_number: dict[tuple[int, str], int] = {}
    pair_maps = []
    for s, u, word_map, n in zip(segments, used, word_maps, live, strict=True):
        full_map = np.full(len(s.words.keys), -1, dtype=np.int64)
        full_map[u] = word_map
        all_terms = s.word_terms.tolist()
        for new, old in zip(word_map.tolist(), u.tolist(), strict=True):
            terms[new] = terms[new] or all_terms[old]
        pairs = zip(full_map[s.spelling_words].tolist(), s.spellings.tolist(), (n > 0).tolist(), strict=True)
        pair_maps.append(
            np.array(
                [pair_number.setdefault((w, x), len(pair_number)) if alive else -1 for w, x, alive in pairs],
                dtype=np.int64,
            )
        )
    rows, counts = [], []
    for segment, number in parts:
        file_starts, file_rows, file_counts = segment.file_spellings
        a, b = int(file_starts[number]), int(file_starts[number + 1])
        rows.append(pair_maps[slot[id(segment)]][file_rows[a:b]])
        counts.append(file_counts[a:b].astype(np.int64))
    owners = [owner for owner, _ in pair_number]
    spelt = [written for _, written in pair_number]
    return word_arrays(words, word_hashes, terms, owners, spelt, rows, counts)


MERGE_FACTOR = 10
SMALLEST_TIER = 10_000  # passages


def tier(passages: int) -> int:
    """A segment's tier: 0 under SMALLEST_TIER live passages, then one per power of ten."""
    level, bound = 0, SMALLEST_TIER
    while passages >= bound:
        level, bound = level + 1, bound * 10
    return level


def plan(segments: Sequence[tuple[int, int]]) -> list[list[int]]:
    """Which segments to merge, given each one's (live, stored) passages: groups of their positions."""
    tiers: dict[int, list[int]] = {}
    for k, (live, _) in enumerate(segments):
        tiers.setdefault(tier(live), []).append(k)
    groups = []
    for members in tiers.values():
        wasteful = [k for k in members if segments[k][0] * 2 < segments[k][1]]
        if len(members) >= MERGE_FACTOR or wasteful:
            groups.append(sorted(members))
    return sorted(groups)


def pending(manifest_: Manifest, segments: Sequence[Segment]) -> list[list[int]]:
    """The merges the policy wants for a manifest's segments."""
    live = [0] * len(segments)
    for _, k, n in manifest_.files:
        a, b = segments[k].files[n].passages
        live[k] += b - a
    return plan([(live[k], s.size) for k, s in enumerate(segments)])


def start_in_background(folder: Path) -> None:
    """Start a detached merge of the folder's segments, which outlives this process.

    On POSIX a shell in a session of its own starts the merge in the background and exits at once,
    so the merge belongs to neither this process nor its terminal, and leaves no zombie behind.
    """
    command = [sys.executable, "-m", "askbot.index.merge", str(folder)]
    quiet: dict[str, Any] = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL}
    try:
        if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
            flags = subprocess.DETACHED_PROCESS | subprocess.CREATE_NEW_PROCESS_GROUP
            process = subprocess.Popen(command, creationflags=flags, stderr=subprocess.DEVNULL, **quiet)
            process.returncode = 0  # never waited for: it runs on after this process
        else:
            line = " ".join(shlex.quote(part) for part in command) + " 2>/dev/null &"
            subprocess.run(["/bin/sh", "-c", line], start_new_session=True, check=False, **quiet)
    except OSError:  # no merge this time: the next change will try again
        pass


def merge_folder(folder: Path, everything: bool = False) -> int:
    """Do the merges the policy wants in a root's cache folder (with `everything`, merge all its
    segments into one); returns how many merges were committed."""
    with manifest.locked(folder):
        found = manifest.read(folder)
        if found is None:
            return 0
        segments = [open_segment(folder, entry.name) for entry in found.segments]
        groups = [list(range(len(segments)))] if everything and segments else pending(found, segments)
    written = []
    for group in groups:
        for k in group:  # read in full, as Lucene does when it merges: damage is not copied on
            segments[k] = open_segment(folder, segments[k].name, verify=True)
        members = {segments[k].name for k in group}
        parts = [(segments[k], n) for _, k, n in found.files if k in group]
        meta, arrays = merge_arrays(parts)
        result = columns.write(folder, KIND, {"format": found.format, **meta}, arrays, suffix=SEGMENT_SUFFIX)
        written.append((members, [(segments[k].name, n) for _, k, n in found.files if k in group], result))
    with manifest.locked(folder):
        current = manifest.read(folder)
        if current is None or current.format != found.format:
            for _, _, result in written:
                (folder / result.name).unlink(missing_ok=True)
            return 0
        _commit(folder, current, written)
    return len(written)


def _commit(
    folder: Path, current: Manifest, written: Sequence[tuple[set[str], list[tuple[str, int]], Written]]
) -> None:
    """Swap merged segments into the current manifest: files still live in them are moved, any
    deleted meanwhile stay deleted, and segments merged away are removed."""
    names = [e.name for e in current.segments]
    merged_away = {name for members, _, _ in written for name in members}
    moved = {place: (result.name, n) for _, places, result in written for n, place in enumerate(places)}
    keep = [name for name in names if name not in merged_away] + [result.name for _, _, result in written]
    segments = [open_segment(folder, name) for name in keep]
    number = {name: k for k, name in enumerate(keep)}
    files = []
    for source, k, n in current.files:
        segment, file = moved.get((names[k], n), (names[k], n))
        files.append((source, number[segment], file))
    records: dict[str, SegmentEntry | Written] = {e.name: e for e in current.segments}
    records.update({result.name: result for _, _, result in written})
    used = {k for _, k, _ in files}
    kept = [k for k in range(len(keep)) if k in used]
    renumber = {k: i for i, k in enumerate(kept)}
    files = [(source, renumber[k], n) for source, k, n in files]
    result = manifest.compose(
        current.format, current.root, [segments[k] for k in kept], records, files, current.skipped
    )
    manifest.write(folder, result)
    survivors = [keep[k] for k in kept]
    manifest.collect_garbage(folder, survivors, [name for name in names if name not in survivors])


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m askbot.index.merge FOLDER`: merge what the policy wants there, quietly."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m askbot.index.merge CACHE_FOLDER", file=sys.stderr)
        return 2
    try:
        os.nice(10)  # a background chore: let the questions have the processor
    except (AttributeError, OSError):
        pass
    try:
        merge_folder(Path(args[0]))
    except (OSError, BrokenFile):  # a damaged cache is the next loader's to report and repair
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
