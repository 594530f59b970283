"""Question -> Answer: the best passages with scores and a confidence, or a reasoned "I don't know"."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from askbot.analysis.text import Token
from askbot.answering.cues import best_span, expected_type
from askbot.answering.query import IMPLIED_WEIGHT, Query, QueryTerm, question_query
from askbot.answering.ranking import Candidates, rank
from askbot.documents.passages import Passage
from askbot.index.build import Index

# Questions longer than this are cut before analysis: nobody types more, and it bounds the time.
MAX_QUESTION_CHARS = 2000


@dataclass(frozen=True)
class Settings:
    """How ranking and declining weigh the evidence (measured with bench/evaluate.py)."""

    # Weight of the passage's paragraph score: the context a sentence sits in.
    paragraph_weight: float = 0.2
    # Weight of the neighbouring sentences' scores (same paragraph): answers often follow the
    # sentence that names the subject.
    neighbour_weight: float = 0.2
    # Bonus, as a share of the best score, for a passage holding the kind of answer asked for.
    type_bonus: float = 0.3
    # Bonus, as a share of the best score, for a follow-up's passages near the previous answer.
    follow_bonus: float = 0.2
    # Below this share of the question's meaning found in a passage, the bot does not answer.
    min_coverage: float = 0.25
    # How much a missing name and a missing ordinary word weigh, as multiples of a rare word.
    missing_name_weight: float = 5.0
    missing_word_weight: float = 0.3
    # A question of this many different words or more, of which the knowledge holds just one, is
    # declined whatever that word weighs: one shared word is chance ("what's the weather like
    # tomorrow" against a passage on weather), where a paraphrase still shares two.  0 turns it off.
    lone_word_limit: int = 4


@dataclass(frozen=True)
class Hit:
    """One passage offered as an answer."""

    passage: Passage
    score: float
    matched: tuple[str, ...]  # the question's words found in the passage
    contributions: dict[str, float]  # matched word -> its share of the sentence score
    span: tuple[int, int] | None = None  # the likely answer inside passage.text
    position: int = -1  # the passage's number in the index
    # The sentences around the passage in its paragraph or section, in reading order (grep's -B/-A);
    # empty unless asked for.
    before: tuple[Passage, ...] = ()
    after: tuple[Passage, ...] = ()

    @property
    def span_text(self) -> str | None:
        """The likely answer as text, on one line ("Lt. Gen. Lucas Schreurs"), or None."""
        if self.span is None:
            return None
        start, end = self.span
        return " ".join(self.passage.text[start:end].split())


@dataclass(frozen=True)
class Answer:
    """What the bot says to one question."""

    question: str
    hits: tuple[Hit, ...]
    confidence: float  # 0..1: how much of the question's meaning the best passage covers
    missing: tuple[str, ...] = ()  # the question's words the knowledge does not hold
    reason: str = ""  # why the bot declined, when it did
    expected: str | None = None  # the kind of answer asked for (person, time, number, place)
    runners_up: tuple[Hit, ...] = field(default=())

    @property
    def known(self) -> bool:
        """Whether the bot answered."""
        return bool(self.hits)

    # The best hit's parts, for scripts: `answer.text`, `answer.location`, `answer.span`.
    @property
    def text(self) -> str:
        """The answering sentence exactly as it stands in its source; "" when the bot declined."""
        return self.hits[0].passage.text if self.hits else ""

    @property
    def source(self) -> str:
        """The file the answer comes from, relative to its knowledge root; "" when declined."""
        return self.hits[0].passage.source if self.hits else ""

    @property
    def location(self) -> str:
        """Where in its file the answer is: "Installation, line 42", "page 3, line 12"; "" when declined."""
        return self.hits[0].passage.citation if self.hits else ""

    @property
    def span(self) -> str | None:
        """The likely answer inside the sentence ("Lt. Gen. Lucas Schreurs"), or None."""
        return self.hits[0].span_text if self.hits else None

    @property
    def context(self) -> tuple[Passage, ...]:
        """The sentences around the answer asked for (before it, then after it), in reading order."""
        return self.hits[0].before + self.hits[0].after if self.hits else ()


@dataclass(frozen=True)
class Context:
    """What a conversation carries from one question to the next."""

    terms: tuple[QueryTerm, ...] = ()
    passage: int | None = None  # the previous answer's passage: what "he" or "it" most likely refers to


class Engine:
    """Answers questions from one index; the CLI and the REPL both talk to this."""

    def __init__(self, index: Index, settings: Settings = Settings()):
        self.index = index
        self.settings = settings
        # One analyser per language of the knowledge, the main one first: a question is asked in each.
        self._analyzers = {code: index.analyzer(code) for code in index.present_languages()}

    def ask(
        self, question: str, top_k: int = 1, context: Context | None = None, runners_up: int = 0
    ) -> Answer:
        """Answer a question with at most `top_k` passages, or decline; `runners_up` more for explaining."""
        question = question[:MAX_QUESTION_CHARS]
        query = question_query(question, self.index, tuple(self._analyzers.values()))
        follow_up = context if context is not None and _is_follow_up(query) else None
        if follow_up is not None:
            query = replace(query, terms=query.terms + _carried(follow_up, query))
        expected = expected_type(query.tokens)
        if not query.asked and not any(t.via == "context" for t in query.terms):
            return Answer(
                question, (), 0.0, reason="the question has no words to search for", expected=expected
            )
        weights = query.weights()
        if not weights:
            return Answer(
                question, (), 0.0, query.missing, "none of its words are in the knowledge", expected
            )
        candidates = rank(self.index, weights, self.settings.neighbour_weight, self.settings.paragraph_weight)
        self._favour_expected(candidates, query, expected)
        if follow_up is not None and follow_up.passage is not None:
            # The subject of a follow-up is most likely still where the last answer was.
            paragraph = self.index.paragraph_of[follow_up.passage]
            bonus = self.settings.follow_bonus * float(candidates.scores.max(initial=0.0))
            candidates.raise_where(self.index.paragraph_of[candidates.docs] == paragraph, bonus)
        best = candidates.best(top_k + runners_up)
        hits = [self._hit(i, score, query, weights, expected) for i, score in best]
        # The question as asked of the best passage's language decides whether it is answered.
        asked = query.in_language(self.index.language_of(best[0][0])) if best else query
        confidence = self._coverage(asked, best[0][0]) if best else 0.0
        if not hits or confidence < self.settings.min_coverage:
            return Answer(
                question, (), confidence, query.missing, "the knowledge does not cover the question", expected
            )
        if _lone_word(asked, self.settings.lone_word_limit):
            reason = "only one of the question's words is in the knowledge"
            return Answer(question, (), confidence, query.missing, reason, expected)
        return Answer(
            question,
            tuple(hits[:top_k]),
            confidence,
            query.missing,
            expected=expected,
            runners_up=tuple(hits[top_k:]),
        )

    def follow(self, answer: Answer, context: Context | None) -> Context:
        """The context after `answer`: its question's terms and its answer's words."""
        analyzers = tuple(self._analyzers.values())
        query = question_query(answer.question, self.index, analyzers)
        terms = [replace(t, weight=IMPLIED_WEIGHT, via="context") for t in query.terms if t.found]
        if answer.hits and answer.hits[0].span:
            start, end = answer.hits[0].span
            span_query = question_query(answer.hits[0].passage.text[start:end], self.index, analyzers)
            terms += [replace(t, weight=IMPLIED_WEIGHT, via="context") for t in span_query.asked if t.found]
        if not terms and context is not None:
            return context
        return Context(tuple(terms), answer.hits[0].position if answer.hits else None)

    def _favour_expected(self, candidates: Candidates, query: Query, expected: str | None) -> None:
        """Raise, among the best candidates, passages holding the kind of answer asked for."""
        if expected is None or not self.settings.type_bonus:
            return
        asked_words = {t.folded for t in query.tokens}
        bonus = self.settings.type_bonus * float(candidates.scores.max(initial=0.0))
        holding = [
            i
            for i, _ in candidates.best(_RERANK_DEPTH)
            if best_span(self.index.passages[i].text, expected, asked_words, []) is not None
        ]
        candidates.raise_where(np.isin(candidates.docs, holding), bonus)

    def _hit(
        self, i: int, score: float, query: Query, weights: dict[str, float], expected: str | None
    ) -> Hit:
        passage = self.index.passages[i]
        passage_terms: dict[str, Token] = {}
        for token, term in self._analyzers[self.index.language_of(i)].token_terms(passage.text):
            passage_terms.setdefault(term, token)
        contributions: dict[str, float] = {}
        matched: list[str] = []
        anchors: list[int] = []
        for term, weight in weights.items():
            found = passage_terms.get(term)
            if found is None:
                continue
            sentences = self.index.sentences
            contributions[found.word] = weight * sentences.idf_of(term) * sentences.weight(term, i)
            matched.append(found.word)
            anchors.append(found.start)
        question_words = {t.folded for t in query.tokens} | {w.casefold() for w in matched}
        span = best_span(passage.text, expected, question_words, anchors)
        return Hit(passage, score, tuple(dict.fromkeys(matched)), contributions, span, i)

    def _coverage(self, query: Query, best: int) -> float:
        """Share of the question's meaning found in the best passage or its paragraph.

        Each word weighs its idf.  A word the knowledge lacks weighs as a rare word; a name it
        lacks ("France", "Jupiter") weighs more, since a question about something the knowledge
        never mentions is the clearest case for "I don't know"; an ordinary word it lacks weighs
        less, since people paraphrase ("start" for "launched").
        """
        index, settings = self.index, self.settings
        unseen_idf = math.log((index.sentences.doc_count + 1) / 0.5)
        paragraph = int(index.paragraph_of[best])
        total = found = 0.0
        for t in query.asked or query.terms:
            if not t.found:
                total += unseen_idf * (
                    settings.missing_name_weight if t.name else settings.missing_word_weight
                )
                continue
            idf = index.sentences.idf_of(t.term)
            total += idf
            if _holds(index, t.term, best, paragraph):
                found += idf * (1.0 if t.via == "word" else 0.8)
        return found / total if total else 0.0


def _holds(index: Index, term: str, passage: int, paragraph: int) -> bool:
    return index.sentences.holds(term, passage) or index.paragraphs.holds(term, paragraph)


_RERANK_DEPTH = 50


def _lone_word(query: Query, limit: int) -> bool:
    """Whether the question has `limit` or more different words and the knowledge holds only one."""
    asked = query.asked
    terms = {t.term for t in asked}
    return bool(limit) and len(terms) >= limit and len({t.term for t in asked if t.found}) <= 1


_PRONOUNS = frozenset("he she it they him her them his hers its their theirs this that there".split())


def _is_follow_up(query: Query) -> bool:
    """A question that leans on the previous one: a pronoun, or almost nothing of its own."""
    return any(t.folded in _PRONOUNS for t in query.tokens) or len(query.asked) <= 1


def _carried(context: Context, query: Query) -> tuple[QueryTerm, ...]:
    """The context's terms the question lacks; together they weigh half a word of the question's own."""
    own = {t.term for t in query.terms}
    carried = [t for t in context.terms if t.term not in own]
    if any(t.found for t in query.asked) and carried:
        share = min(IMPLIED_WEIGHT, 0.5 / len(carried))
        carried = [replace(t, weight=share) for t in carried]
    return tuple(carried)
