"""Question sets for the quality benchmarks: SQuAD articles, the NATO set, and typed question sets.

A question set is knowledge plus questions.  Answerable questions know where their answer is: a gold
(paragraph, offset) for SQuAD, or substrings of the answering sentence for the project's own sets.
Unanswerable questions are plausible but not answered by the knowledge (SQuAD 2.0's impossible
questions; the typed sets' questions about things the documents name but do not say).

A typed set is a folder of documents, read by askbot's own readers, with a questions.jsonl beside it:
{"id", "document", "question", "expected": [substring, ...] | null, "kind", "style", "split"}.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
TYPED = ROOT / "bench" / "data" / "typed"

_SPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class Question:
    text: str
    gold: tuple[tuple[int, int], ...] = ()  # (paragraph, character offset) of each gold answer
    expected: tuple[str, ...] = ()  # or: substrings of a sentence that answers
    source: str = ""  # the document the question is about (typed sets)

    @property
    def answerable(self) -> bool:
        return bool(self.gold or self.expected)


@dataclass(frozen=True)
class QuestionSet:
    name: str
    paragraphs: list[str]  # the knowledge as paragraphs (every system's input for SQuAD and NATO)
    questions: list[Question]
    files: tuple[Path, ...] = field(default=())  # typed sets: the documents, read by askbot's readers
    typed: bool = False  # the project's own questions: unanswerable ones are plausible, not adversarial

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def normalise(text: str) -> str:
    """Whitespace folded to single spaces, for comparing a passage with an expected substring."""
    return _SPACE_RE.sub(" ", text).strip()


def holds_answer(question: Question, text: str, span: tuple[int, int, int] | None) -> bool:
    """Whether a returned passage answers: its span holds a gold offset, or its text an expected substring."""
    if question.gold:
        if span is None:
            return False
        p, start, end = span
        return any(gp == p and start <= offset < end for gp, offset in question.gold)
    flat = normalise(text)
    return any(normalise(e) in flat for e in question.expected)


def load_squad(path: Path) -> list[QuestionSet]:
    """One question set per article of a SQuAD v1.1/v2.0 file."""
    sets = []
    for article in json.loads(path.read_text(encoding="utf-8"))["data"]:
        paragraphs, questions = [], []
        for p, para in enumerate(article["paragraphs"]):
            paragraphs.append(" ".join(para["context"].split("\n")))
            for qa in para["qas"]:
                gold = () if qa.get("is_impossible") else tuple((p, a["answer_start"]) for a in qa["answers"])
                questions.append(Question(qa["question"], gold))
        sets.append(QuestionSet(article["title"], paragraphs, questions))
    return sets


def load_jsonl(path: Path, knowledge: Path) -> QuestionSet:
    """A project question set: {"question", "expected": substring of the answer sentence or null}."""
    lines = knowledge.read_text(encoding="utf-8").splitlines()
    paragraphs = [line for line in lines if line.strip()]
    questions = []
    for row in map(json.loads, path.read_text(encoding="utf-8").splitlines()):
        gold: tuple[tuple[int, int], ...] = ()
        if row["expected"]:
            gold = tuple(
                (p, para.index(row["expected"]))
                for p, para in enumerate(paragraphs)
                if row["expected"] in para
            )
        questions.append(Question(row["question"], gold))
    return QuestionSet(path.stem, paragraphs, questions, typed=True)


def load_typed(folder: Path = TYPED, split: str = "dev") -> list[QuestionSet]:
    """The typed set's documents of one split, one question set per document."""
    rows = [
        json.loads(line) for line in (folder / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    documents = list(dict.fromkeys(r["document"] for r in rows if r["split"] == split))
    sets = []
    for document in documents:
        path = folder / "docs" / document
        text = path.read_text(encoding="utf-8")
        paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
        questions = [
            Question(r["question"], expected=tuple(r["expected"] or ()), source=document)
            for r in rows
            if r["document"] == document
        ]
        sets.append(QuestionSet(document, paragraphs, questions, (path,), typed=True))
    return sets


def merge(name: str, sets: list[QuestionSet]) -> QuestionSet:
    """Several typed sets as one folder of documents, every question asked of all of them."""
    return QuestionSet(
        name,
        [p for s in sets for p in s.paragraphs],
        [q for s in sets for q in s.questions],
        tuple(f for s in sets for f in s.files),
        typed=True,
    )
