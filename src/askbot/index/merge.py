"""Merging segments: the live files of several segments rewritten as one, deleted passages dropped.

Every array is remapped with numpy, nothing is analysed again: a merge costs about a second per
hundred thousand passages on one core, and it never runs while a question waits (see `policy`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from askbot.index.columns import Array
from askbot.index.segment import FileRecord, Postings, Segment, hash_order, string_arrays, word_arrays
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
    terms, term_maps = _union([s.terms.keys.tolist() for s in segments])
    arrays = {**join_tables(tables).arrays("passage"), **string_arrays("term", terms, hashed=True)}
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


def _union(decoded: Sequence[list[str]]) -> tuple[list[str], list[Array]]:
    """The distinct strings of several lists, in hash order, and each list's map into them."""
    number: dict[str, int] = {}
    for values in decoded:
        for value in values:
            number.setdefault(value, len(number))
    keys, renumber = hash_order(list(number))
    return keys, [renumber[np.array([number[v] for v in values], dtype=np.int64)] for values in decoded]


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
    words, word_maps = _union([[w[i] for i in u.tolist()] for w, u in zip(all_words, used, strict=True)])
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
    return word_arrays(words, terms, owners, [written for _, written in pair_number], rows, counts)
