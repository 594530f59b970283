"""Question -> Answer: the best passages with scores and a confidence, or a reasoned "I don't know"."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from askbot.analysis.languages import ENGLISH
from askbot.analysis.text import Token
from askbot.answering import DEFAULT_MIN_CONFIDENCE
from askbot.answering.calibration import Calibration, shipped_calibration
from askbot.answering.confidence import Model, shipped_model
from askbot.answering.cues import NAMED_KINDS, best_span, expected_type
from askbot.answering.evidence import Evidence, gather, split_words
from askbot.answering.explain import decline_reason, missing_reason
from askbot.answering.query import IMPLIED_WEIGHT, Query, QueryTerm, question_query
from askbot.answering.ranking import Candidates, rank
from askbot.documents.passages import Passage
from askbot.index.collection import Index

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
    # Bonus, as a share of the best score, for a passage holding the kind of answer asked for: a date,
    # number, sum or measure, told by its shape; and a person, place or name, which any capitalised
    # words may be, and so are found near wrong answers as often as near right ones.
    type_bonus: float = 0.5
    name_type_bonus: float = 0.15
    # Share of a name's weight taken away in the best candidates when nearly all of them hold it.
    shared_discount: float = 0.5
    # Bonus, as a share of the best score, for a follow-up's passages near the previous answer.
    follow_bonus: float = 0.2
    # Below this chance that the best passage answers, the bot says it does not know (--min-confidence).
    min_confidence: float = DEFAULT_MIN_CONFIDENCE
    # How much a missing name and a missing ordinary word weigh in the coverage evidence, as multiples
    # of a rare word: a name the knowledge never mentions is the clearest sign it cannot answer.
    missing_name_weight: float = 5.0
    missing_word_weight: float = 0.3


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
    confidence: float  # the chance, 0..1, that the best passage answers the question
    missing: tuple[str, ...] = ()  # the question's words the knowledge does not hold
    reason: str = ""  # why the bot declined, when it did
    expected: str | None = None  # the kind of answer asked for (person, time, number, place)
    runners_up: tuple[Hit, ...] = field(default=())
    evidence: Evidence | None = None  # what the confidence was computed from

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

    def __init__(
        self,
        index: Index,
        settings: Settings = Settings(),
        model: Model | None = None,
        calibration: Calibration | None = None,
    ):
        self.index = index
        self.settings = settings
        self.model = model or shipped_model()
        # The model's probability corrected for the best passage's language (English as it is).
        self._calibration = calibration
        # One analyser per language of the knowledge, the main one first: a question is asked in each.
        self._analyzers = {code: index.analyzer(code) for code in index.present_languages()}

    def ask(
        self,
        question: str,
        top_k: int = 1,
        context: Context | None = None,
        runners_up: int = 0,
        min_confidence: float | None = None,
    ) -> Answer:
        """Answer a question with at most `top_k` passages, or decline; `runners_up` more for explaining.

        It declines when the chance that the best passage answers is below `min_confidence`
        (by default the settings' own).
        """
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
            return Answer(question, (), 0.0, query.missing, missing_reason(query.missing), expected)
        wanted = max(top_k + runners_up, 2)
        candidates = self._rank(query, weights, expected, follow_up, wanted)
        best = candidates.best(wanted)
        if not best:
            reason = missing_reason(query.missing)
            return Answer(question, (), 0.0, query.missing, reason, expected)
        hits = [self._hit(i, score, query, weights, expected) for i, score in best[: top_k + runners_up]]
        evidence, confidence, asked = self._judge(query, best, hits[0], expected)
        if confidence < (
            self._threshold(self.index.language_of(best[0][0])) if min_confidence is None else min_confidence
        ):
            kind_missing = expected if hits[0].span is None else None
            reason = decline_reason(asked, self.index, best[0][0], confidence, kind_missing)
            # The passages it would have given stay with the answer, for explaining the decline.
            return Answer(question, (), confidence, query.missing, reason, expected, tuple(hits), evidence)
        return Answer(
            question,
            tuple(hits[:top_k]),
            confidence,
            query.missing,
            expected=expected,
            runners_up=tuple(hits[top_k:]),
            evidence=evidence,
        )

    def _rank(
        self,
        query: Query,
        weights: dict[str, float],
        expected: str | None,
        follow_up: Context | None,
        wanted: int,
    ) -> Candidates:
        """The candidates scored: BM25 with context, shared names discounted, answer types and follow-ups;
        exact for the `wanted` best (no later bonus can lift a candidate a type bonus skipped)."""
        candidates = rank(self.index, weights, self.settings.neighbour_weight, self.settings.paragraph_weight)
        names = {t.term for t in split_words(query, self.index).names}
        self._discount_shared(candidates, {t: w for t, w in weights.items() if t in names})
        self._favour_expected(candidates, query, expected, wanted if follow_up is None else _RERANK_DEPTH)
        if follow_up is not None and follow_up.passage is not None:
            # The subject of a follow-up is most likely still where the last answer was.
            paragraph = self.index.paragraph_of[follow_up.passage]
            bonus = self.settings.follow_bonus * float(candidates.scores.max(initial=0.0))
            candidates.raise_where(self.index.paragraph_of[candidates.docs] == paragraph, bonus)
        return candidates

    def _judge(
        self, query: Query, best: list[tuple[int, float]], top: Hit, expected: str | None
    ) -> tuple[Evidence, float, Query]:
        """The evidence on the best passage, the chance it answers, and the question as judged.

        The question as asked in the best passage's language decides whether it is answered.
        """
        language = self.index.language_of(best[0][0])
        asked = query.in_language(language)
        evidence = gather(
            asked,
            self.index,
            best[0][0],
            [score for _, score in best[:2]],
            expected,
            top.span is not None,
            self._analyzers[language].terms(top.passage.text),
            self.settings.missing_name_weight,
            self.settings.missing_word_weight,
        )
        confidence = self._calibrated(language).correct(language, self.model.probability(evidence), evidence)
        return evidence, confidence, asked

    def _threshold(self, language: str) -> float:
        """The settings' threshold; askbot's default is each language's own (answering.calibration)."""
        own = self.settings.min_confidence
        return self._calibrated(language).threshold(language, own) if own == DEFAULT_MIN_CONFIDENCE else own

    def _calibrated(self, language: str) -> Calibration:
        """The calibration for an answer in `language`: the shipped one is read only outside English."""
        if self._calibration is not None:
            return self._calibration
        return shipped_calibration() if language != ENGLISH else Calibration()

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

    def _discount_shared(self, candidates: Candidates, weights: dict[str, float]) -> None:
        """Among the best candidates, halve what a name they nearly all hold adds to each.

        A name every candidate shares tells them apart only by how often each repeats it: a quote
        saying "Jim" twice would beat "Born in 1912, Smith …" for "when was Jim Smith born".  With
        its weight halved, the word the question asks about decides.
        """
        share = self.settings.shared_discount
        top = [i for i, _ in candidates.best(_SHARED_DEPTH)]
        if not share or len(top) < _SHARED_DEPTH // 2:
            return
        sentences = self.index.sentences
        for term, weight in weights.items():
            holding = [i for i in top if sentences.holds(term, i)]
            if len(holding) < _SHARED_SHARE * len(top):
                continue
            cut = share * weight * sentences.idf_of(term)
            for i in holding:
                position = int(np.searchsorted(candidates.docs, i))
                candidates.scores[position] -= cut * sentences.weight(term, i)

    def _favour_expected(
        self, candidates: Candidates, query: Query, expected: str | None, wanted: int
    ) -> None:
        """Raise, among the best candidates, passages holding the kind of answer asked for.

        Only the `wanted` best after the bonus matter, so a candidate that even with the bonus would stay
        below the `wanted`-th score before it is not looked at: the same passages win, sooner.
        """
        share = self.settings.name_type_bonus if expected in NAMED_KINDS else self.settings.type_bonus
        if expected is None or not share:
            return
        asked_words = {t.folded for t in query.tokens}
        bonus = share * float(candidates.scores.max(initial=0.0))
        best = candidates.best(_RERANK_DEPTH)
        floor = best[wanted - 1][1] if len(best) >= wanted else -np.inf
        holding = [
            i
            for i, score in best
            if score + bonus >= floor
            and best_span(self.index.passages[i].text, expected, asked_words, []) is not None
        ]
        candidates.raise_passages(holding, bonus)

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


_RERANK_DEPTH = 50
# A term held by this share of the best _SHARED_DEPTH candidates is shared by them.
_SHARED_DEPTH = 10
_SHARED_SHARE = 0.8


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
