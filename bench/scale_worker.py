"""One measurement of bench/scale.py, run in a fresh process so its time and peak memory are its own.

    .venv/bin/python bench/scale_worker.py '{"task": "load", "system": "bm25s", "folder": F, "store": S}'

bench/scale.py starts it (with the askbot under test on PYTHONPATH); it prints one JSON line.
Tasks: build, load, query (all systems: askbot, rank_bm25, bm25s), and askbot's batch, reindex,
worst (every file changed) and merge. It also holds the baselines' one-shot programs, so everything
each system is asked to do is in this one file. askbot's build, batch and re-index figures are
whole `python -m askbot` processes; peak memory is the largest sum of the resident memory of the
measured process and all its descendants (askbot indexes in worker processes), sampled every 20 ms.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

Json = dict[str, Any]

# The baselines' one-shots: load what the build saved, score one question, print the top 5 ids.
_RANK_BM25_ONESHOT = """\
import pickle, re, sys
import numpy as np
with open(sys.argv[1], "rb") as handle:
    model = pickle.load(handle)
scores = model.get_scores(re.findall(r"\\w+", sys.argv[2].lower()))
print(np.argsort(scores)[::-1][:5].tolist())
"""
_BM25S_ONESHOT = """\
import sys
import bm25s, Stemmer
import numpy as np
retriever = bm25s.BM25.load(sys.argv[1], mmap=True, show_progress=False)
tokens = bm25s.tokenize(sys.argv[2], stopwords="en", stemmer=Stemmer.Stemmer("english"),
                        return_ids=False, show_progress=False)[0]
ids = retriever.get_tokens_ids(tokens)
scores = retriever.get_scores(ids) if ids else np.zeros(retriever.scores["num_docs"])
top = np.argpartition(-scores, 5)[:5]
print(top[np.argsort(-scores[top])].tolist())
"""


def oneshot_command(system: str, folder: Path, store: Path, question: str) -> list[str]:
    """The command line of a one-shot answer from the saved index."""
    if system == "askbot":
        return [sys.executable, "-m", "askbot", "--knowledge", str(folder), question]
    snippet = _RANK_BM25_ONESHOT if system == "rank_bm25" else _BM25S_ONESHOT
    return [sys.executable, "-c", snippet, str(store), question]


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def tree_rss_mib(root: int) -> float:
    """Resident memory of a process and all its descendants, from /proc (0 where there is none)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8") as handle:
                    parent = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            with open(f"/proc/{pid}/status", encoding="utf-8") as handle:
                total += next((int(line.split()[1]) for line in handle if line.startswith("VmRSS:")), 0)
        except OSError:
            continue
    return total / 1024


def run_sampled(command: list[str], env: dict[str, str], stdin: bytes = b"") -> tuple[float, float, bytes]:
    """Wall seconds, peak process-tree MiB and stdout of a command (exit 0 or 1 accepted)."""
    import subprocess
    import threading

    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    peak = [0.0]

    def sample() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], tree_rss_mib(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate(stdin)
    elapsed = time.perf_counter() - started
    sampler.join()
    if process.returncode not in (0, 1):
        raise RuntimeError(err.decode(errors="replace").strip()[-300:])
    return elapsed, peak[0], out


def askbot_command(folder: Path, *options: str) -> list[str]:
    """A whole `python -m askbot` over the folder."""
    return [sys.executable, "-m", "askbot", "--knowledge", str(folder), *options]


def askbot_env(store: Path) -> dict[str, str]:
    """askbot's environment: the cache in `store`, background merges left to the benchmark."""
    return {**os.environ, "ASKBOT_CACHE_DIR": str(store)}


def _read_passages(folder: Path) -> list[str]:
    """The baselines' passages: paragraphs split on blank lines, sentences on ". "."""
    import re

    sentence_end = re.compile(r"(?<=\.)\s+")
    passages: list[str] = []
    for path in sorted(folder.glob("part-*/doc-*.txt")):
        for paragraph in path.read_text(encoding="utf-8").split("\n\n"):
            passages.extend(s for s in sentence_end.split(paragraph.strip()) if s)
    return passages


def _words(text: str) -> list[str]:
    import re

    return re.findall(r"\w+", text.lower())


def _bm25s_tokens(text: str, stemmer: Any) -> list[str]:
    import bm25s

    tokens = bm25s.tokenize(text, stopwords="en", stemmer=stemmer, return_ids=False, show_progress=False)
    return list(tokens[0])


def _top5(scores: Any, partition: bool) -> list[int]:
    import numpy as np

    if not partition:
        return [int(i) for i in np.argsort(scores)[::-1][:5]]
    top = np.argpartition(-scores, 5)[:5]
    return [int(i) for i in top[np.argsort(-scores[top])]]


def _build(system: str, folder: Path, store: Path) -> Json:
    result: Json = {}
    if system == "askbot":
        from askbot.index.store import load_index

        seconds, peak, _ = run_sampled(askbot_command(folder, "what is the question"), askbot_env(store))
        result.update(build_s=seconds, tree_mib=peak)
        index = load_index(folder, store)
        result["passages"] = len(index.passages)
        result["segments"] = len(index.segments)
        result["cache_mib"] = sum(p.stat().st_size for p in store.rglob("*") if p.is_file()) / 2**20
        return result
    started = time.perf_counter()
    texts = _read_passages(folder)
    result["read_s"] = time.perf_counter() - started
    result["passages"] = len(texts)
    if system == "rank_bm25":
        import pickle

        from rank_bm25 import BM25Okapi

        started = time.perf_counter()
        model = BM25Okapi([_words(t) for t in texts])
        result["build_s"] = time.perf_counter() - started
        started = time.perf_counter()
        with store.open("wb") as handle:
            pickle.dump(model, handle, protocol=pickle.HIGHEST_PROTOCOL)
        result["save_s"] = time.perf_counter() - started
        result["terms"] = len(model.idf)
        return result
    import bm25s
    import Stemmer

    started = time.perf_counter()
    tokens = bm25s.tokenize(texts, stopwords="en", stemmer=Stemmer.Stemmer("english"), show_progress=False)
    retriever = bm25s.BM25()
    retriever.index(tokens, show_progress=False)
    result["build_s"] = time.perf_counter() - started
    started = time.perf_counter()
    retriever.save(str(store), show_progress=False)
    result["save_s"] = time.perf_counter() - started
    result["terms"] = len(retriever.vocab_dict)
    return result


def _load(system: str, folder: Path, store: Path) -> tuple[float, Any]:
    """Load what the build saved; returns (seconds, the loaded thing)."""
    if system == "askbot":
        from askbot.index.store import load_index

        started = time.perf_counter()
        index = load_index(folder, store)
        return time.perf_counter() - started, index
    if system == "rank_bm25":
        import pickle

        import rank_bm25  # noqa: F401 - imported before the clock starts, as the others are

        started = time.perf_counter()
        with store.open("rb") as handle:
            model = pickle.load(handle)
        return time.perf_counter() - started, model
    import bm25s

    started = time.perf_counter()
    retriever = bm25s.BM25.load(str(store), mmap=True, show_progress=False)
    return time.perf_counter() - started, retriever


def _question_timer(system: str, loaded: Any) -> dict[str, Callable[[str], object]]:
    """Named ways to answer one question with a loaded index."""
    if system == "askbot":
        from askbot.answering.engine import Engine

        engine = Engine(loaded)
        return {"askbot": lambda q: engine.ask(q, top_k=5)}
    if system == "rank_bm25":
        return {"rank_bm25": lambda q: _top5(loaded.get_scores(_words(q)), partition=False)}
    import numpy as np
    import Stemmer

    stemmer = Stemmer.Stemmer("english")

    def scores(q: str) -> list[int]:
        ids = loaded.get_tokens_ids(_bm25s_tokens(q, stemmer))
        return _top5(loaded.get_scores(ids) if ids else np.zeros(loaded.scores["num_docs"]), partition=True)

    def retrieve(q: str) -> object:
        return loaded.retrieve([_bm25s_tokens(q, stemmer)], k=5, show_progress=False)

    return {"bm25s": scores, "bm25s retrieve": retrieve}


def _query(system: str, folder: Path, store: Path, questions: list[str], warmup: list[str]) -> Json:
    if system == "bm25s":
        import bm25s

        loaded = bm25s.BM25.load(str(store), mmap=False, show_progress=False)  # warm: in memory
    else:
        _, loaded = _load(system, folder, store)
    timers = _question_timer(system, loaded)
    for q in warmup:
        for answer in timers.values():
            answer(q)
    times: dict[str, list[float]] = {name: [] for name in timers}
    names = list(timers)
    for i, q in enumerate(questions):
        for name in names[i % len(names) :] + names[: i % len(names)]:  # alternate who goes first
            started = time.perf_counter()
            timers[name](q)
            times[name].append(time.perf_counter() - started)
    return {"times": times, "rss_mib": _peak_mib()}


def _changed(folder: Path, store: Path, files: list[Path], question: str, rounds: int) -> Json:
    """Wall seconds of the next question after `files` change: a sentence appended to each, every round."""
    originals = {path: (path.read_bytes(), path.stat()) for path in files}
    times = []
    try:
        for n in range(rounds):
            for path in files:
                with path.open("ab") as handle:
                    handle.write(
                        f"\nA sentence appended by the benchmark names Zorvat in {2000 + n}.\n".encode()
                    )
            seconds, _, _ = run_sampled(askbot_command(folder, question), askbot_env(store))
            times.append(seconds)
    finally:
        for path, (data, info) in originals.items():
            path.write_bytes(data)
            os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    return {"times": times, "files": len(files)}


def _batch(folder: Path, store: Path, questions: list[str], rounds: int) -> Json:
    """Seconds per question of a whole `askbot --json` over questions on stdin, beyond one question."""
    import hashlib

    command = askbot_command(folder, "--json")
    many, one, output = [], [], b""
    for _ in range(rounds):
        seconds, _, output = run_sampled(command, askbot_env(store), "\n".join(questions).encode() + b"\n")
        many.append(seconds)
        seconds, _, _ = run_sampled(command, askbot_env(store), questions[0].encode() + b"\n")
        one.append(seconds)
    per_question = [(m - o) / (len(questions) - 1) for m, o in zip(many, one, strict=True)]
    return {
        "times": per_question,
        "answers_sha1": hashlib.sha1(output).hexdigest(),
        "answers": output.decode(),
    }


def _merge(store: Path) -> Json:
    """Seconds to merge every segment of the index into one (the largest merge there is)."""
    from askbot.index import manifest, merge

    (folder,) = [p for p in store.iterdir() if (p / manifest.NAME).exists()]
    found = manifest.read(folder)
    segments = len(found.segments) if found else 0
    started = time.perf_counter()
    merge.merge_folder(folder, everything=True)
    seconds = time.perf_counter() - started
    passages = sum(b - a for _, a, b in _live_ranges(folder))
    return {"merge_s": seconds, "segments_before": segments, "passages": passages}


def _live_ranges(folder: Path) -> list[tuple[str, int, int]]:
    from askbot.index import indexing, manifest

    found = manifest.read(folder)
    if found is None:
        return []
    segments = [indexing.open_segment(folder, e.name) for e in found.segments]
    return [(source, *segments[k].files[n].passages) for source, k, n in found.files]


def run_worker(task: Json) -> Json:
    """Do one measurement in this (fresh) process."""
    system, folder, store = task.get("system", "askbot"), Path(task["folder"]), Path(task["store"])
    if task["task"] == "build":
        result = _build(system, folder, store)
    elif task["task"] == "load":
        seconds, _ = _load(system, folder, store)
        result = {"load_s": seconds}
    elif task["task"] == "query":
        result = _query(system, folder, store, task["questions"], task["warmup"])
    elif task["task"] == "reindex":
        files = sorted(folder.glob("part-*/doc-*.txt"))
        middle = files[len(files) // 2 : len(files) // 2 + 1]
        result = _changed(folder, store, middle, task["question"], task["rounds"])
    elif task["task"] == "worst":
        files = sorted(folder.glob("part-*/doc-*.txt"))
        result = _changed(folder, store, files, task["question"], 1)
    elif task["task"] == "batch":
        result = _batch(folder, store, task["questions"], task["rounds"])
    elif task["task"] == "merge":
        result = _merge(store)
    else:
        raise ValueError(f"unknown task {task['task']!r}")
    result.setdefault("rss_mib", _peak_mib())
    return result


if __name__ == "__main__":
    print(json.dumps(run_worker(json.loads(sys.argv[1]))))
