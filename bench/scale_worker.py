"""One measurement of bench/scale.py, run in a fresh process so its time and peak memory are its own.

    .venv/bin/python bench/scale_worker.py '{"task": "load", "system": "bm25s", "folder": F, "store": S}'

bench/scale.py starts it (with the askbot under test on PYTHONPATH); it prints one JSON line.
Tasks: build, load, query, reindex; systems: askbot, rank_bm25, bm25s. It also holds the
baselines' one-shot programs, so everything each system is asked to do is in this one file.
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

        started = time.perf_counter()
        index = load_index(folder, store)
        result["build_s"] = time.perf_counter() - started
        result["passages"] = len(index.passages)
        result["terms"] = len(index.sentences.terms)
        result["cache_mib"] = sum(p.stat().st_size for p in store.iterdir()) / 2**20
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


def _reindex(folder: Path, store: Path, rounds: int) -> Json:
    from askbot.index.store import load_index

    files = sorted(folder.glob("part-*/doc-*.txt"))
    target = files[len(files) // 2]
    original = target.read_bytes()
    info = target.stat()
    times = []
    try:
        for n in range(rounds):
            with target.open("ab") as handle:
                handle.write(f"\nA sentence appended by the benchmark names Zorvat in {2000 + n}.\n".encode())
            started = time.perf_counter()
            load_index(folder, store)
            times.append(time.perf_counter() - started)
    finally:
        target.write_bytes(original)
        os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))
    return {"times": times, "rss_mib": _peak_mib(), "file": target.name}


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
        result = _reindex(folder, store, task["rounds"])
    else:
        raise ValueError(f"unknown task {task['task']!r}")
    result.setdefault("rss_mib", _peak_mib())
    return result


if __name__ == "__main__":
    print(json.dumps(run_worker(json.loads(sys.argv[1]))))
