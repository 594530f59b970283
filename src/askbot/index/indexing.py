"""Reading and analysing files into new segments, in worker processes when there is much to do.

Files are cut into batches of consecutive files of about `BATCH_CHARS` characters; each batch
becomes one segment, written as soon as it is finished, so memory holds one batch per worker and
never the whole knowledge.  Worker processes take batches from a queue until none is left,
each keeping one analyser, so a word is analysed once per worker however many files use it.
A few small files are analysed in this process: starting workers would cost more.
"""

from __future__ import annotations

import contextlib
import os
import queue
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import accumulate
from pathlib import Path
from typing import Any

from askbot.analysis.text import Analyzer
from askbot.documents.passages import UnreadableFile, read_document
from askbot.documents.walk import Document
from askbot.index import columns, manifest
from askbot.index.build import AnalysedFile, analyse_file
from askbot.index.collection import Vocabulary
from askbot.index.segment import KIND, Segment, Stamp, build_arrays, in_memory, key_hash, open_segment
from askbot.index.wordtable import WordTable

# A segment's worth of text: big enough that a million passages make a handful of segments,
# small enough that a worker's batch stays well under half a gigabyte.
BATCH_CHARS = 24_000_000
# Below this much to read, workers are not worth starting.
PARALLEL_BYTES = 4_000_000
# A file record's meta key: the key_hash of the opening its language was detected from.
OPENING = "opening"


@dataclass(frozen=True)
class Task:
    """One file to index."""

    document: Document
    stamp: Stamp
    # The file as last indexed: its opening's key_hash and the language detected from it, which
    # the file keeps while its opening is unchanged (detection reads nothing else).
    opening: tuple[int, str] | None = None


class _Detector:
    """Language detection that remembers the hash of the opening it was asked about, and answers
    the language a file had when that opening is the one it had: an edit further on (an appended
    line) then costs no detector, whose model takes half a second to load."""

    def __init__(self, previous: tuple[int, str] | None):
        self.previous = previous
        self.opening: int | None = None  # the hash of the opening detected from, once asked

    def __call__(self, opening: str) -> str:
        from askbot.analysis.detect import detect_language

        self.opening = key_hash(opening)
        if self.previous is not None and self.previous[0] == self.opening:
            return self.previous[1]
        return detect_language(opening)


@dataclass
class Indexed:
    """What indexing some files made: new segments (in file order) and the files skipped, with why."""

    segments: list[Segment] = field(default_factory=list)
    written: list[columns.Written] = field(default_factory=list)
    skipped: list[tuple[str, Stamp, str]] = field(default_factory=list)


def index_files(
    tasks: Sequence[Task],
    folder: Path | None,
    meta: Mapping[str, Any],
    known: Mapping[str, str] | None = None,
    progress: Callable[[int], None] = lambda done: None,
    workers: int | None = None,
    language: str | None = None,
) -> Indexed:
    """Index the files into segments written to `folder` (kept in memory when it is None).

    `meta` goes into every segment's header; `known` maps words to terms already decided (used in
    this process only: workers start without it); `progress` is told of every file done; each file
    is analysed in its detected language, or in `language` when given.  Segments written before an
    error or Ctrl-C are removed.
    """
    workers = workers or os.cpu_count() or 1
    batches = _batches(tasks, workers)
    workers = min(workers, len(batches))
    indexed = Indexed()
    try:
        if folder is None or workers < 2 or sum(t.stamp[0] for t in tasks) < PARALLEL_BYTES:
            tables = WordTables(language, known)
            for number, batch in enumerate(batches):
                _index_batch(batch, folder, meta, tables, number, indexed, progress)
        else:
            _in_workers(batches, folder, meta, workers, indexed, progress, language)
    except BaseException:
        for written in indexed.written:
            _remove(folder, written.name)
        raise
    return indexed


class WordTables:
    """A word table per language met (askbot.index.wordtable), each with that language's analyser
    and kept for every file in that language; `language` forces one language on every file."""

    def __init__(self, language: str | None = None, known: Mapping[str, str] | None = None):
        self.language = language
        self.known = known
        self._by_language: dict[str, WordTable] = {}

    def of(self, language: str) -> WordTable:
        """The word table of a language."""
        found = self._by_language.get(language)
        if found is None:
            prefetch = self.known.prefetch if isinstance(self.known, Vocabulary) else None
            analyzer = Analyzer(self.known, language=language)
            found = self._by_language[language] = WordTable(analyzer, prefetch)
        return found


def _batches(tasks: Sequence[Task], workers: int) -> list[list[Task]]:
    """Consecutive files in batches of at most about BATCH_CHARS (file sizes standing for characters),
    of even sizes and, when there is enough to share, as many as a multiple of the workers, so that
    every worker has work until the end.  When each worker takes several, the last round is cut in
    halves: a worker slowed by other work then holds the rest back by half a batch at most."""
    total = sum(t.stamp[0] for t in tasks)
    count = max(1, -(-total // BATCH_CHARS))
    if count > 1 or total >= PARALLEL_BYTES:
        count = -(-count // workers) * workers
    shares = [1.0] * count
    if count > workers:
        shares = [1.0] * (count - workers) + [0.5] * (2 * workers)
    ends = list(accumulate(share * total / sum(shares) for share in shares))
    batches: list[list[Task]] = [[]]
    size = 0
    for task in tasks:
        if batches[-1] and size + task.stamp[0] / 2 > ends[min(len(batches), len(ends)) - 1]:
            batches.append([])
        batches[-1].append(task)
        size += task.stamp[0]
    return [b for b in batches if b]


def _index_batch(
    batch: Sequence[Task],
    folder: Path | None,
    meta: Mapping[str, Any],
    tables: WordTables,
    number: int,
    indexed: Indexed,
    progress: Callable[[int], None],
) -> None:
    """Read and analyse one batch into one segment (none when every file was skipped)."""
    files = _analyse_batch(batch, tables, indexed.skipped, progress)
    if not files:
        return
    if folder is None:
        indexed.segments.append(in_memory(f"memory-{number}", files))
        return
    written = _write(folder, meta, files)
    indexed.written.append(written)
    indexed.segments.append(open_segment(folder, written.name))


def _analyse_batch(
    batch: Sequence[Task],
    tables: WordTables,
    skipped: list[tuple[str, Stamp, str]],
    progress: Callable[[int], None],
) -> list[AnalysedFile]:
    files: list[AnalysedFile] = []
    for task in batch:
        detect = _Detector(task.opening)
        try:
            contents = read_document(task.document, tables.language, detect)
        except UnreadableFile as error:
            skipped.append((task.document.source, task.stamp, str(error)))
        else:
            table = tables.of(contents.language)
            found = analyse_file(task.document.source, contents.passages, stamp=task.stamp, table=table)
            if detect.opening is not None:
                found = replace(found, meta={**found.meta, OPENING: detect.opening})
            files.append(found)
        progress(1)
    return files


def _write(folder: Path, meta: Mapping[str, Any], files: Sequence[AnalysedFile]) -> columns.Written:
    own, arrays = build_arrays(files)
    return columns.write(folder, KIND, {**meta, **own}, arrays, suffix=manifest.SEGMENT_SUFFIX)


def _remove(folder: Path | None, name: str) -> None:
    if folder is not None:
        try:
            (folder / name).unlink()
        except OSError:
            pass


def _in_workers(
    batches: Sequence[Sequence[Task]],
    folder: Path,
    meta: Mapping[str, Any],
    workers: int,
    indexed: Indexed,
    progress: Callable[[int], None],
    language: str | None,
) -> None:
    """Index the batches in worker processes, collecting each segment as it is written."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    context: Any = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    todo: Any = context.Queue()
    done: Any = context.Queue()
    for number, batch in enumerate(batches):
        todo.put((number, list(batch)))
    for _ in range(workers):
        todo.put(None)
    processes = [
        context.Process(target=work, args=(todo, done, folder, dict(meta), language)) for _ in range(workers)
    ]
    with _main_module_hidden():
        for process in processes:
            process.start()
    try:
        results: dict[int, tuple[columns.Written | None, list[tuple[str, Stamp, str]]]] = {}
        while len(results) < len(batches):
            try:
                message = done.get(timeout=0.2)
            except queue.Empty:
                if not any(p.is_alive() for p in processes):
                    raise RuntimeError("an indexing worker died") from None
                continue
            if message[0] == "file":
                progress(1)
            elif message[0] == "batch":
                _, number, written, skipped = message
                results[number] = (written, skipped)
                if written is not None:
                    indexed.written.append(written)
            else:
                raise RuntimeError(f"indexing failed: {message[1]}")
        for number in sorted(results):
            written, skipped = results[number]
            indexed.skipped.extend(skipped)
            if written is not None:
                indexed.segments.append(open_segment(folder, written.name))
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
            process.join()


@contextlib.contextmanager
def _main_module_hidden() -> Iterator[None]:
    """Start workers without the program's main module: multiprocessing would import it again in each
    worker (as it does for spawn and forkserver), and a script that makes a Knowledge at its top level,
    with no `if __name__ == "__main__":`, would then index again in every worker while this process
    holds the index's lock, and wait for ever.  The workers run askbot's code only."""
    main = sys.modules.get("__main__")
    saved = {name: getattr(main, name) for name in ("__file__", "__spec__") if hasattr(main, name)}
    for name in saved:
        setattr(main, name, None)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(main, name, value)


def work(todo: Any, done: Any, folder: Path, meta: dict[str, Any], language: str | None = None) -> None:
    """A worker process: index batches from `todo` until told to stop, reporting to `done`; it also
    stops when the askbot that started it is gone (killed), rather than wait on the queue for ever."""
    import multiprocessing
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    parent = multiprocessing.parent_process()
    tables = WordTables(language)
    while True:
        try:
            job = todo.get(timeout=0.5)
        except queue.Empty:
            if parent is not None and not parent.is_alive():
                return
            continue
        if job is None:
            return
        number, batch = job
        try:
            skipped: list[tuple[str, Stamp, str]] = []
            files = _analyse_batch(batch, tables, skipped, lambda n: done.put(("file", n)))
            done.put(("batch", number, _write(folder, meta, files) if files else None, skipped))
        except Exception as error:  # reported to the parent, which stops and raises
            done.put(("error", f"{type(error).__name__}: {error}"))
            return
