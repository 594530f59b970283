"""What the best passage shows about a question: the evidence the confidence model weighs.

Every figure is a property of the question, the knowledge and the ranking, never of particular words,
so the same model serves any knowledge.  A question's words fall in two groups:
- its *names*: words the knowledge mostly writes capitalised ("Rutte", "Baghdad") or as acronyms, and
  missing words that look like names;
- its *asked words*: everything else ("born", "population", "leads"), what the question asks about them.
A passage that holds the names but none of the asked words merely mentions the subject.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields

from askbot.analysis.languages import language
from askbot.analysis.text import term_language
from askbot.answering.cues import NAMED_KINDS
from askbot.answering.query import Query, QueryTerm
from askbot.index.collection import Index

# How much an asked word found only in a neighbouring sentence or the paragraph counts.
_NEAR_CREDIT = 0.6


@dataclass(frozen=True, slots=True)
class Evidence:
    """Features of one question and its best passage, each a plain number (see FEATURES)."""

    coverage: float  # idf share of the question's words found in the passage or its paragraph
    sentence_coverage: float  # the same, in the sentence alone
    asked_coverage: float  # idf share of the asked words found in the sentence (neighbours count part)
    name_coverage: float  # idf share of the names found in the sentence or its paragraph
    has_asked: float  # 1 when the question has asked words at all
    has_names: float  # 1 when the question names something
    known_share: float  # share of the question's words the best passage's file holds anywhere
    missing_names: float  # names the knowledge never mentions
    missing_words: float  # other words the knowledge never mentions
    corrected: float  # share of the words that were typo-corrected
    lone_word: float  # 1 when four or more words were asked and the best passage's file holds just one
    wants_type: float  # 1 when the question asks for a kind of answer (cues: person, time, age, …)
    type_found: float  # 1 when it does and the passage holds such a span
    margin: float  # (best - runner-up) / best, 1 with no runner-up
    rarest_missed: float  # the rarest known word absent from the sentence, as a share of the question's idf
    phrases: float  # share of the question's adjacent word pairs that stand together in the sentence
    specificity: float  # idf of the rarest question word the sentence holds, over the largest idf possible
    subject_only: float  # 1 when the sentence holds the question's names but none of its asked words
    words: float  # log(1 + number of distinct question words)
    size: float  # log10 of the number of passages
    casual: float  # 1 when the question is written all in lower case ("who leads nmi")
    wants_shape: float  # 1 when the kind asked for has a shape of its own: a date, number, sum, measure
    shape_found: float  # 1 when it does and the passage holds such a span

    def vector(self) -> list[float]:
        """The features in FEATURES order."""
        return [float(getattr(self, name)) for name in FEATURES]


FEATURES: tuple[str, ...] = tuple(f.name for f in fields(Evidence))


@dataclass(frozen=True, slots=True)
class Words:
    """The question's words split by role, for the features and for explaining a decline."""

    names: tuple[QueryTerm, ...]
    asked: tuple[QueryTerm, ...]


def split_words(query: Query, index: Index) -> Words:
    """The question's own words (one per term), as names and asked words.

    A follow-up question that writes no word of its own ("where is she from?") is weighed on the
    words it carries from the conversation.
    """
    names: list[QueryTerm] = []
    asked: list[QueryTerm] = []
    seen: set[str] = set()
    for t in query.asked or query.terms:
        if t.term in seen:
            continue
        seen.add(t.term)
        (names if is_name_term(t, index) else asked).append(t)
    return Words(tuple(names), tuple(asked))


def is_name_term(t: QueryTerm, index: Index) -> bool:
    """Whether a question word names something: the knowledge writes it capitalised (in a language that
    capitalises names only) or as an acronym, or it looks like one."""
    if not t.found:
        return t.name
    written = index.words.get(t.spelled or t.word.casefold(), "")
    capitals_name = language(term_language(t.term)).cased_names
    return bool(written) and ((capitals_name and written[:1].isupper()) or written.isupper())


def gather(
    query: Query,
    index: Index,
    best: int,
    scores: Sequence[float],
    expected: str | None,
    type_found: bool,
    passage_terms: Sequence[str],
    missing_name_weight: float,
    missing_word_weight: float,
) -> Evidence:
    """The evidence for passage `best`, given the top scores of the ranking (best first)."""
    sentences, paragraphs = index.sentences, index.paragraphs
    paragraph = int(index.paragraph_of[best])
    neighbours = _neighbours(index, best)
    unseen_idf = math.log((sentences.doc_count + 1) / 0.5)
    words = split_words(query, index)
    terms = words.names + words.asked
    # A person, a place or a name is any capitalised words to the cues, which most sentences near a
    # subject hold, right or wrong; a date, a number or a measure is told by its shape.
    shaped = expected is not None and expected not in NAMED_KINDS

    def idf(t: QueryTerm) -> float:
        return sentences.idf_of(t.term) if t.found else unseen_idf

    def in_sentence(t: QueryTerm) -> bool:
        return t.found and sentences.holds(t.term, best)

    def in_paragraph(t: QueryTerm) -> bool:
        return in_sentence(t) or (t.found and paragraphs.holds(t.term, paragraph))

    def near(t: QueryTerm) -> float:
        if in_sentence(t):
            return 1.0
        if t.found and any(sentences.holds(t.term, n) for n in neighbours):
            return _NEAR_CREDIT
        return _NEAR_CREDIT / 2 if in_paragraph(t) else 0.0

    total = found = in_own = 0.0
    for t in terms:
        if not t.found:
            total += unseen_idf * (missing_name_weight if t.name else missing_word_weight)
            continue
        credit = 1.0 if t.via == "word" else 0.8
        total += idf(t)
        found += idf(t) * credit * in_paragraph(t)
        in_own += idf(t) * credit * in_sentence(t)
    whole = sum(idf(t) for t in terms) or 1.0
    missed = [idf(t) for t in terms if t.found and not in_sentence(t)]
    top = scores[0] if scores else 0.0
    held = [idf(t) for t in terms if in_sentence(t)]
    asked_near = _share(words.asked, idf, near) if words.asked else 0.0
    # The words the best passage's file holds, not the whole knowledge: a folder of many files holds
    # more of any question's words somewhere, without answering it any better.
    in_file = [t for t in terms if t.found and sentences.file_holds(t.term, best)]
    return Evidence(
        coverage=found / total if total else 0.0,
        sentence_coverage=in_own / total if total else 0.0,
        asked_coverage=_share(words.asked, idf, near),
        name_coverage=_share(words.names, idf, lambda t: float(in_paragraph(t))),
        has_asked=float(bool(words.asked)),
        has_names=float(bool(words.names)),
        known_share=len(in_file) / len(terms) if terms else 0.0,
        missing_names=float(sum(not t.found and t.name for t in terms)),
        missing_words=float(sum(not t.found and not t.name for t in terms)),
        corrected=sum(t.via == "typo" for t in terms) / len(terms) if terms else 0.0,
        lone_word=float(len(terms) >= 4 and len(in_file) <= 1),
        wants_type=float(expected is not None),
        type_found=float(type_found),
        margin=(top - scores[1]) / top if len(scores) > 1 and top > 0 else 1.0,
        rarest_missed=max(missed, default=0.0) / whole,
        phrases=_phrases([t.term for t in query.asked], passage_terms),
        specificity=max(held, default=0.0) / unseen_idf,
        subject_only=float(
            any(in_sentence(t) for t in words.names) and bool(words.asked) and asked_near == 0
        ),
        words=math.log1p(len(terms)),
        size=math.log10(max(len(index.passages), 1)),
        casual=float(is_casual(query.text)),
        wants_shape=float(shaped),
        shape_found=float(shaped and type_found),
    )


def is_casual(question: str) -> bool:
    """Whether a question is typed all in lower case, in a script that has capitals.

    Such a question is typed as people chat, and paraphrases its text more freely than one written
    with care: at equal evidence its best passage answers it less often.
    """
    return any(c.islower() for c in question) and not any(c.isupper() for c in question)


def _share(
    terms: Sequence[QueryTerm], idf: Callable[[QueryTerm], float], credit: Callable[[QueryTerm], float]
) -> float:
    """Idf-weighted share of `terms` credited by `credit` (1 when there are none)."""
    total = sum(idf(t) for t in terms)
    return sum(idf(t) * credit(t) for t in terms) / total if total else 1.0


def _phrases(question: Sequence[str], passage: Sequence[str]) -> float:
    """Share of the question's consecutive term pairs found in the passage in order, at most one apart."""
    pairs = [(a, b) for a, b in zip(question, question[1:], strict=False) if a != b]
    if not pairs:
        return 0.0
    where: dict[str, list[int]] = {}
    for n, term in enumerate(passage):
        where.setdefault(term, []).append(n)
    found = sum(any(0 < j - i <= 2 for i in where.get(a, ()) for j in where.get(b, ())) for a, b in pairs)
    return found / len(pairs)


def _neighbours(index: Index, passage: int) -> list[int]:
    """The sentences just before and after `passage` in the same paragraph."""
    paragraph = index.paragraph_of
    return [
        n
        for n in (passage - 1, passage + 1)
        if 0 <= n < len(paragraph) and paragraph[n] == paragraph[passage]
    ]
