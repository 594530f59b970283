#!/usr/bin/env python3
"""Validate the askbot question set (stdlib only).

    python3 check.py [--verbose]

Checks every field of questions.jsonl, that each document exists, that every expected
substring occurs exactly once in its document, outside code blocks, tables and HTML tags,
within a single sentence (by a simple regex splitter) and with no Markdown markup in it,
that ids are unique, that the held-out split is exactly the three documents chosen in
README.md, and that the style tag "lowercase" matches the question. Prints counts per
document, kind, split and style, document word counts, and how many answerable questions
copy three or more consecutive words of their answering sentence. Exits 1 on any error.
"""

from __future__ import annotations

import html
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOCS = HERE / "docs"
QUESTIONS = HERE / "questions.jsonl"

KEYS = {"id", "document", "question", "expected", "kind", "style", "split"}
KINDS = {"answerable", "unanswerable"}
STYLES = ["lowercase", "typo", "abbrev", "paraphrase", "keyword"]
SPLITS = {"dev", "heldout"}
HELDOUT = {"news-council.md", "docs-snapmark.md", "report-postmortem.md"}
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*-\d{2,3}$")
MARKUP = set("`*[]<>|#")
MIN_EXPECTED = 15
WORDS = (500, 1500)

# A sentence ends at . ! ? (optionally followed by a closing quote or bracket), then space,
# then a capital letter, a digit or an opening quote.
BOUNDARY = re.compile(r"""[.!?]["')\u201d\u2019]?\s+(?=["'(\u201c\u2018]?[A-Z0-9])""")


def document_paragraphs(path: Path) -> list[str]:
    """The document's prose as paragraphs (lines), without code blocks, tables or tags."""
    text = path.read_text(encoding="utf-8")
    lines: list[str] = []
    if path.suffix == ".html":
        text = re.sub(r"(?is)<(script|style|head|table|header|footer|nav)\b.*?</\1>", "\n", text)
        text = re.sub(r"(?i)</?(p|li|h[1-6]|div|header|footer|main|ul|ol|tr|br)\b[^>]*>", "\n", text)
        text = re.sub(r"<[^>]+>", "", text)
        lines = [html.unescape(line).strip() for line in text.splitlines()]
    else:
        fenced = False
        for line in text.splitlines():
            if line.lstrip().startswith("```"):
                fenced = not fenced
                continue
            if fenced or line.lstrip().startswith("|"):
                continue
            lines.append(line.strip())
    return [line for line in lines if line]


def sentence_of(paragraph: str, start: int, end: int) -> tuple[str, bool]:
    """The sentence holding paragraph[start:end] and whether the span stays inside it."""
    cuts = [0] + [m.end() for m in BOUNDARY.finditer(paragraph)] + [len(paragraph)]
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a <= start < b:
            return paragraph[a:b].strip(), end <= b
    return paragraph, True


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def copies_three(question: str, sentence: str) -> bool:
    q, s = words(question), words(sentence)
    grams = {tuple(s[i : i + 3]) for i in range(len(s) - 2)}
    return any(tuple(q[i : i + 3]) in grams for i in range(len(q) - 2))


def main() -> int:
    verbose = "--verbose" in sys.argv
    errors: list[str] = []
    warnings: list[str] = []

    def err(where: str, msg: str) -> None:
        errors.append(f"{where}: {msg}")

    docs = {p.name: p for p in sorted(DOCS.iterdir()) if p.is_file()}
    raw = {name: p.read_text(encoding="utf-8") for name, p in docs.items()}
    paras = {name: document_paragraphs(p) for name, p in docs.items()}

    rows = []
    for n, line in enumerate(QUESTIONS.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            err(f"line {n}", "blank line")
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            err(f"line {n}", f"not JSON: {e}")
            continue
        if not isinstance(row, dict) or set(row) != KEYS:
            err(f"line {n}", f"keys must be exactly {sorted(KEYS)}")
            continue
        rows.append((n, row))

    seen_ids: set[str] = set()
    seen_questions: set[tuple[str, str]] = set()
    occurrence_report: list[str] = []
    copy_count = answerable = 0
    per_doc: dict[str, Counter] = defaultdict(Counter)
    kinds, splits, styles = Counter(), Counter(), Counter()
    split_kind = Counter()

    for n, row in rows:
        where = f"line {n} ({row.get('id')})"
        qid, doc, question = row["id"], row["document"], row["question"]
        kind, expected, style, split = row["kind"], row["expected"], row["style"], row["split"]

        if not isinstance(qid, str) or not ID_RE.match(qid):
            err(where, "bad id")
        elif qid in seen_ids:
            err(where, "duplicate id")
        seen_ids.add(qid)
        if not isinstance(doc, str) or doc not in docs:
            err(where, f"document {doc!r} not in docs/")
            continue
        if not qid.startswith(doc.rsplit(".", 1)[0] + "-"):
            err(where, "id does not start with the document's name")
        if not isinstance(question, str) or not question.strip() or question != question.strip():
            err(where, "question must be a non-empty string without outer spaces")
            continue
        if (doc, question.lower()) in seen_questions:
            err(where, "same question asked twice of this document")
        seen_questions.add((doc, question.lower()))
        if kind not in KINDS:
            err(where, f"kind {kind!r}")
            continue
        if split not in SPLITS:
            err(where, f"split {split!r}")
        elif (split == "heldout") != (doc in HELDOUT):
            err(where, f"split {split!r} but the held-out documents are {sorted(HELDOUT)}")
        if not isinstance(style, list) or not all(isinstance(s, str) for s in style):
            err(where, "style must be a list of strings")
            style = []
        elif len(set(style)) != len(style) or not set(style) <= set(STYLES):
            err(where, f"style {style} (allowed: {STYLES}, no repeats)")
        if ("lowercase" in style) != (question == question.lower()):
            err(where, "'lowercase' tag must be present exactly when the question has no capitals")

        if kind == "unanswerable":
            if expected is not None:
                err(where, "an unanswerable question must have expected = null")
        else:
            answerable += 1
            if (
                not isinstance(expected, list)
                or not expected
                or not all(isinstance(e, str) for e in expected)
            ):
                err(where, "an answerable question needs a non-empty list of strings in expected")
                expected = []
            if len(set(expected)) != len(expected):
                err(where, "repeated expected substring")
            sentences = []
            for e in expected:
                if len(e) < MIN_EXPECTED:
                    err(where, f"expected {e!r} shorter than {MIN_EXPECTED} characters")
                if e != e.strip() or "\n" in e:
                    err(where, f"expected {e!r} has outer spaces or a line break")
                if MARKUP & set(e):
                    err(where, f"expected {e!r} contains markup characters")
                count_raw = raw[doc].count(e)
                hits = [
                    (p, m.start())
                    for p, para in enumerate(paras[doc])
                    for m in re.finditer(re.escape(e), para)
                ]
                occurrence_report.append(f"{qid}: {count_raw} raw / {len(hits)} in prose: {e[:60]!r}")
                if count_raw != 1 or len(hits) != 1:
                    err(
                        where,
                        f"expected {e!r} occurs {count_raw} times in {doc} ({len(hits)} in prose);"
                        " it must occur once",
                    )
                    continue
                p, start = hits[0]
                sentence, inside = sentence_of(paras[doc][p], start, start + len(e))
                if not inside:
                    err(where, f"expected {e!r} crosses a sentence boundary")
                sentences.append(sentence)
            if sentences and len(set(sentences)) != len(sentences):
                err(where, "two expected substrings lie in the same sentence; keep one")
            if any(copies_three(question, s) for s in sentences):
                copy_count += 1
                if verbose:
                    print(f"copies 3+ words: {qid}: {question}")

        per_doc[doc][kind] += 1
        per_doc[doc][split] += 1
        kinds[kind] += 1
        splits[split] += 1
        split_kind[(split, kind)] += 1
        for s in style:
            styles[s] += 1

    total = len(rows)
    # Set-level requirements.
    if total < 330:
        err("set", f"{total} questions; at least 330 wanted")
    if kinds["unanswerable"] < 60:
        err("set", f"{kinds['unanswerable']} unanswerable questions; at least 60 wanted")
    for name in docs:
        if name not in per_doc:
            err(name, "document has no questions")
    for name in raw:
        prose = " ".join(paras[name])
        n_words = len(prose.split())
        if not WORDS[0] <= n_words <= WORDS[1]:
            err(name, f"{n_words} words of prose; {WORDS[0]}-{WORDS[1]} wanted")
    if answerable and copy_count > answerable / 3:
        warnings.append(
            f"{copy_count}/{answerable} answerable questions copy 3+ consecutive words (over a third)"
        )

    # Report.
    print(f"{total} questions over {len(docs)} documents\n")
    print(f"{'document':26} {'words':>5} {'answ':>5} {'unansw':>6}  split")
    for name in docs:
        c = per_doc[name]
        n_words = len(" ".join(paras[name]).split())
        split = "heldout" if c["heldout"] else "dev"
        print(f"{name:26} {n_words:5} {c['answerable']:5} {c['unanswerable']:6}  {split}")
    print()
    print("kind:  " + ", ".join(f"{k} {kinds[k]}" for k in sorted(KINDS)))
    print(
        "split: "
        + ", ".join(
            f"{s} {splits[s]} ({split_kind[(s, 'answerable')]} answerable, "
            f"{split_kind[(s, 'unanswerable')]} unanswerable)"
            for s in sorted(SPLITS)
        )
    )
    print("style: " + ", ".join(f"{s} {styles[s]} ({100 * styles[s] / max(total, 1):.0f}%)" for s in STYLES))
    print(
        f"answerable questions copying 3+ consecutive words of their sentence: "
        f"{copy_count}/{answerable} ({100 * copy_count / max(answerable, 1):.0f}%)"
    )
    n_exp = len(occurrence_report)
    print(
        f"expected substrings: {n_exp}, each found once in its document"
        if not errors
        else f"expected substrings: {n_exp}"
    )
    if verbose:
        print("\n".join(occurrence_report))
    for w in warnings:
        print("WARNING:", w)
    if errors:
        print(f"\n{len(errors)} error(s):")
        for e in errors:
            print("  " + e)
        return 1
    print("\nOK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
