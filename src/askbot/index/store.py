"""Loading the knowledge through its cache: segments reused, changed files re-indexed alone.

Each knowledge root has a folder in the user's cache directory, named after the root's absolute
path, holding segment files and a manifest (askbot.index.manifest).  Loading walks the root and
compares every file's size and modification time with what the manifest recorded:
- nothing changed: the segments are mapped from disk and the question is answered at once;
- files added, changed or removed: each changed file is a deletion from its old segment plus a
  new small segment, written beside the others; the old segments are not rewritten.
Nothing in the cache is code: segments and the manifest are arrays behind a JSON header.  A
segment whose size or time differs from the manifest's record is checked in full (checksums and
bounds) before it is used; a damaged, truncated, foreign or planted one is reported, and the files
it held are indexed again.  A cache that cannot be written is skipped with a warning.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from askbot import __version__
from askbot.analysis.languages import ENGLISH
from askbot.analysis.text import ANALYSER_VERSION
from askbot.documents.passages import READER_VERSION, Skipped
from askbot.documents.walk import SUFFIXES, Document, find_documents
from askbot.errors import KnowledgeError
from askbot.index import manifest
from askbot.index.bm25 import Params
from askbot.index.collection import Index, open_index
from askbot.index.columns import BrokenFile, Written
from askbot.index.layout import Live
from askbot.index.manifest import Manifest, SegmentEntry
from askbot.index.segment import Segment, Stamp, open_segment

# Bump the last number whenever what segments hold changes shape.
CACHE_FORMAT = [__version__, ANALYSER_VERSION, READER_VERSION, 8]

Warn = Callable[[str], None]
Progress = Callable[[int, int], None]


def cache_folder(root: Path, cache_dir: Path, language: str | None = None) -> Path:
    """The cache folder of one knowledge root; a language forced on every file has a folder of its own.

    Named by a 64-bit checksum of the root's absolute path (zlib's, cheaper to import than hashlib's);
    the manifest also records the root, so even a collision is never taken for a match.
    """
    name = str(root.resolve()).encode("utf-8", "surrogateescape")
    forced = f".{language}" if language else ""
    return cache_dir / f"{zlib.crc32(name):08x}{zlib.adler32(name):08x}{forced}"


@dataclass
class _State:
    """A root's cache as found: its sound segments and what they hold."""

    manifest: Manifest | None = None
    segments: list[Segment | None] = field(default_factory=list)  # None: missing or damaged
    files: dict[str, tuple[int, int]] = field(default_factory=dict)  # live source -> (segment, file number)
    skipped: dict[str, tuple[Stamp, str]] = field(default_factory=dict)
    damage: list[str] = field(default_factory=list)  # what was wrong, for the user


class _Plan(NamedTuple):
    """What loading has to do: the files to index, and whether the manifest must change."""

    todo: list[tuple[Document, Stamp]]
    current: bool  # the manifest describes the folder as it is


def load_index(
    root: Path,
    cache_dir: Path | None = None,
    warn: Warn = lambda message: None,
    progress: Progress | None = None,
    ignore: bool = True,
    language: str | None = None,
    merge_in_background: bool = True,
) -> Index:
    """The index of a knowledge file or folder, from the cache when no file changed.

    `ignore=False` reads what ignore files and hidden names would pass over (askbot.documents.walk).
    Each file's language is detected from its text, unless `language` (ISO 639-1) is given for all.
    When a change leaves segments to merge, a detached process merges them unless
    `merge_in_background` is False (askbot.index.merge).
    """
    documents = list(find_documents(root, ignore))
    if not documents:
        raise KnowledgeError(f"no {', '.join(SUFFIXES)} files in {root}")
    stamps, unstatable = _stat(documents)
    for s in unstatable:
        warn(f"skipped {s.source}: {s.reason}")
    if cache_dir is None:
        return _in_memory(root, documents, stamps, unstatable, warn, language)
    folder = cache_folder(root, cache_dir, language)
    where = str(root.resolve())
    state = _open(folder, where)
    if _plan(state, documents, stamps).current and not state.damage:
        return _index_of(root, state, documents, unstatable)
    try:
        with manifest.locked(folder):
            state = _open(folder, where)  # another askbot may have just brought it up to date
            for damage in state.damage:
                warn(f"the index cache was damaged ({damage}); indexing its files again")
            plan = _plan(state, documents, stamps)
            if not plan.current:
                step = _counter(progress, plan, documents)
                state = _update(folder, where, state, documents, plan, step, warn, language)
                if merge_in_background:
                    _start_merge(folder, state)
    except OSError as error:
        warn(f"could not save the index cache in {cache_dir}: {error.strerror or error}")
        return _in_memory(root, documents, stamps, unstatable, warn, language)
    return _index_of(root, state, documents, unstatable)


def _stat(documents: Sequence[Document]) -> tuple[dict[str, Stamp], list[Skipped]]:
    stamps: dict[str, Stamp] = {}
    unstatable: list[Skipped] = []
    for doc in documents:
        try:
            info = doc.path.stat()
        except OSError as error:
            unstatable.append(Skipped(doc.source, error.strerror or str(error)))
        else:
            stamps[doc.source] = (info.st_size, info.st_mtime_ns)
    return stamps, unstatable


def _counter(progress: Progress | None, plan: _Plan, documents: Sequence[Document]) -> Callable[[int], None]:
    """A per-file progress callback counting from the files that need no indexing."""
    total = len(documents)
    done = total - len(plan.todo)
    if progress is not None:
        progress(done, total)

    def step(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, total)

    return step


def _open(folder: Path, where: str) -> _State:
    """The cache as it is on disk; damaged parts are left out and described in `damage`."""
    state = _State()
    try:
        found = manifest.read(folder)
    except BrokenFile as error:
        state.damage.append(f"manifest: {error}")
        return state
    if found is None or found.format != CACHE_FORMAT or found.root != where:
        return state
    state.manifest = found
    state.segments = [_open_segment(folder, entry, state.damage) for entry in found.segments]
    for source, k, number in found.files:
        segment = state.segments[k]
        if segment is not None and number < len(segment.files) and segment.files[number].source == source:
            state.files[source] = (k, number)
        elif segment is not None:
            state.damage.append(f"{source} is not where the manifest says")
    state.skipped = {source: ((size, mtime), why) for source, size, mtime, why in found.skipped}
    return state


def _open_segment(folder: Path, entry: SegmentEntry, damage: list[str]) -> Segment | None:
    """A segment the manifest names, checked in full unless it is exactly as written."""
    try:
        info = (folder / entry.name).stat()
        as_written = (info.st_size, info.st_mtime_ns) == (entry.size, entry.mtime_ns)
        segment = open_segment(folder, entry.name, verify=not as_written)
        if segment.checksum != entry.checksum:
            raise BrokenFile("not the segment the manifest names")
        return segment
    except FileNotFoundError:
        damage.append(f"{entry.name} is missing")
    except (BrokenFile, OSError) as error:
        damage.append(f"{entry.name}: {error}")
    return None


def _plan(state: _State, documents: Sequence[Document], stamps: dict[str, Stamp]) -> _Plan:
    todo: list[tuple[Document, Stamp]] = []
    for doc in documents:
        stamp = stamps.get(doc.source)
        if stamp is None:
            continue
        place = state.files.get(doc.source)
        if place is not None:
            k, number = place
            segment = state.segments[k]
            if segment is not None and segment.files[number].stamp == stamp:
                continue
        elif doc.source in state.skipped and state.skipped[doc.source][0] == stamp:
            continue
        todo.append((doc, stamp))
    listed = set(stamps)
    removed = any(s not in listed for s in (*state.files, *state.skipped))
    return _Plan(todo, state.manifest is not None and not todo and not removed and not state.damage)


def _vocabulary(state: _State) -> Mapping[str, str] | None:
    """The words the cached index already knows, with their terms: a changed file's words are then
    mostly looked up rather than lemmatised again (the same terms, without loading the dictionary)."""
    segments = [s for s in state.segments if s is not None]
    number = {id(s): k for k, s in enumerate(segments)}
    live = [
        Live(number[id(state.segments[k])], n)
        for k, n in state.files.values()
        if state.segments[k] is not None
    ]
    return open_index(segments, live, (), Params()).vocabulary if live else None


def _opening(state: _State, source: str) -> tuple[int, str] | None:
    """The hash of a cached file's opening and the language detected from it, when its record has them."""
    from askbot.index.indexing import OPENING

    place = state.files.get(source)
    segment = state.segments[place[0]] if place is not None else None
    if place is None or segment is None:
        return None
    meta = segment.files[place[1]].meta
    opening, language = meta.get(OPENING), meta.get("language", ENGLISH)
    if type(opening) is not int or not isinstance(language, str):
        return None
    return opening, language


def _start_merge(folder: Path, state: _State) -> None:
    """Start a background merge when the committed state leaves the policy work to do."""
    from askbot.index import merge  # only after a change: a one-shot answer does not import it

    segments = [s for s in state.segments if s is not None]
    if state.manifest is not None and merge.pending(state.manifest, segments):
        merge.start_in_background(folder)


def _update(
    folder: Path,
    where: str,
    state: _State,
    documents: Sequence[Document],
    plan: _Plan,
    step: Callable[[int], None],
    warn: Warn,
    language: str | None = None,
) -> _State:
    """Index the changed files into new segments and commit a manifest naming what is live."""
    from askbot.index.indexing import Task, index_files  # only when something changed

    tasks = [Task(doc, stamp, _opening(state, doc.source)) for doc, stamp in plan.todo]
    meta = {"format": CACHE_FORMAT}
    known = _vocabulary(state)
    indexed = index_files(tasks, folder, meta, known=known, progress=step, language=language)
    for source, _, reason in indexed.skipped:
        warn(f"skipped {source}: {reason}")
    redone = {doc.source for doc, _ in plan.todo}
    new = _State(segments=[s for s in state.segments if s is not None])
    new.segments += indexed.segments
    renumber = {id(s): k for k, s in enumerate(new.segments)}
    fresh = {f.source: (renumber[id(s)], n) for s in indexed.segments for n, f in enumerate(s.files)}
    for doc in documents:
        source = doc.source
        if source in fresh:
            new.files[source] = fresh[source]
        elif source in state.files and source not in redone:
            k, number = state.files[source]
            new.files[source] = (renumber[id(state.segments[k])], number)
        elif source in state.skipped and source not in redone:
            new.skipped[source] = state.skipped[source]
    for source, stamp, reason in indexed.skipped:
        new.skipped[source] = (stamp, reason)
    used = {k for k, _ in new.files.values()}
    new.segments = [s if k in used else None for k, s in enumerate(new.segments)]
    previous = {e.name: e for e in state.manifest.segments} if state.manifest else {}
    new.manifest = _commit(
        folder, where, new, {**previous, **{w.name: w for w in indexed.written}}, documents
    )
    kept = [s.name for s in new.segments if s is not None]
    old = [entry.name for entry in state.manifest.segments] if state.manifest else []
    manifest.collect_garbage(folder, kept, [name for name in old if name not in kept])
    return new


def _commit(
    folder: Path,
    where: str,
    state: _State,
    records: dict[str, SegmentEntry | Written],
    documents: Sequence[Document],
) -> Manifest:
    """Write the manifest of `state`, whose unused segments (None) are dropped and the rest renumbered.

    `records` gives each segment's size, time and checksum as written.
    """
    keep = [k for k, s in enumerate(state.segments) if s is not None]
    number = {k: n for n, k in enumerate(keep)}
    segments = [s for s in state.segments if s is not None]
    order = [d.source for d in documents]
    files = [(s, number[state.files[s][0]], state.files[s][1]) for s in order if s in state.files]
    skipped = [(s, *state.skipped[s][0], state.skipped[s][1]) for s in order if s in state.skipped]
    result = manifest.compose(CACHE_FORMAT, where, segments, records, files, skipped)
    manifest.write(folder, result)
    state.segments = [state.segments[k] for k in keep]
    state.files = {s: (number[k], n) for s, (k, n) in state.files.items()}
    return result


def _index_of(root: Path, state: _State, documents: Sequence[Document], unstatable: list[Skipped]) -> Index:
    """The index of the live files the state names, in document order."""
    keep = [k for k, s in enumerate(state.segments) if s is not None]
    number = {k: n for n, k in enumerate(keep)}
    segments = [s for s in state.segments if s is not None]
    live = [
        Live(number[state.files[d.source][0]], state.files[d.source][1])
        for d in documents
        if d.source in state.files
    ]
    skipped = [Skipped(d.source, state.skipped[d.source][1]) for d in documents if d.source in state.skipped]
    return _checked(root, segments, live, unstatable + skipped)


def _in_memory(
    root: Path,
    documents: Sequence[Document],
    stamps: dict[str, Stamp],
    unstatable: list[Skipped],
    warn: Warn,
    language: str | None,
) -> Index:
    """The index of every file, built in memory (no cache)."""
    from askbot.index.indexing import Task, index_files

    tasks = [Task(d, stamps[d.source]) for d in documents if d.source in stamps]
    indexed = index_files(tasks, None, {}, language=language)
    for source, _, reason in indexed.skipped:
        warn(f"skipped {source}: {reason}")
    live = [Live(k, n) for k, segment in enumerate(indexed.segments) for n in range(len(segment.files))]
    skipped = unstatable + [Skipped(source, reason) for source, _, reason in indexed.skipped]
    return _checked(root, indexed.segments, live, skipped)


def _checked(root: Path, segments: Sequence[Segment], live: Sequence[Live], skipped: list[Skipped]) -> Index:
    if not live:
        raise KnowledgeError(f"nothing readable in {root} ({len(skipped)} file(s) skipped)")
    index = open_index(segments, live, skipped, Params())
    if not index.sentences.avgdl:
        raise KnowledgeError("the knowledge holds no searchable words")
    return index
