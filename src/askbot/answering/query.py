"""From a question's words to weighted index terms: typos, acronyms and related forms resolved."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from askbot.analysis.text import Analyzer, Token, term_language
from askbot.index.build import Index

# Weight of a term the question did not write but implies (an acronym's expansion, the acronym
# of a spelled-out name, a related form): it helps ranking without outweighing the question.
IMPLIED_WEIGHT = 0.5
# How much a corrected typo counts next to a word spelled right.
CORRECTED_WEIGHT = 0.8
_MAX_QUESTION_TERMS = 64
HEAD_NOUN_WEIGHT = 0.7
_AGENT_SUFFIXES = ("er", "or", "ers", "ors")


@dataclass(frozen=True, slots=True)
class QueryTerm:
    """One term searched for, and how it came from the question."""

    word: str  # as the question wrote it
    term: str
    weight: float
    found: bool  # the knowledge holds this term
    via: str  # "word", "typo", "acronym", "related" or "context"
    name: bool = False  # a missing word that names something specific (see _names_something)


@dataclass(frozen=True, slots=True)
class Query:
    """A question prepared for ranking."""

    text: str
    tokens: tuple[Token, ...]
    terms: tuple[QueryTerm, ...]

    @property
    def asked(self) -> tuple[QueryTerm, ...]:
        """The terms the question itself wrote (typo corrections included)."""
        return tuple(t for t in self.terms if t.via in ("word", "typo"))

    @property
    def missing(self) -> tuple[str, ...]:
        """Words of the question the knowledge does not hold (in any language it is asked in)."""
        found = {t.word for t in self.asked if t.found}
        return tuple(dict.fromkeys(t.word for t in self.asked if not t.found and t.word not in found))

    def in_language(self, language: str) -> Query:
        """The question as asked of the files in one language: only the terms of that language."""
        return Query(
            self.text, self.tokens, tuple(t for t in self.terms if term_language(t.term) == language)
        )

    def weights(self) -> dict[str, float]:
        """Term -> weight, for the terms the knowledge holds."""
        weights: dict[str, float] = {}
        for t in self.terms:
            if t.found:
                weights[t.term] = max(weights.get(t.term, 0.0), t.weight)
        return weights


def question_query(question: str, index: Index, analyzers: Sequence[Analyzer]) -> Query:
    """A question analysed in each language of the knowledge (the main one first): its terms in every
    language, each of which meets only the files in its language; its tokens in the first."""
    queries = [build_query(question, index, analyzer) for analyzer in analyzers]
    if len(queries) == 1:
        return queries[0]
    return Query(question, queries[0].tokens, tuple(t for q in queries for t in q.terms))


def build_query(question: str, index: Index, analyzer: Analyzer) -> Query:
    """Resolve a question's meaningful words, in the analyser's language, against the knowledge."""
    tokens = tuple(analyzer.tokenize(question))
    known = index.sentences.terms
    terms: list[QueryTerm] = []
    for n, token in enumerate(tokens):
        if analyzer.is_stopword(token):
            continue
        term = analyzer.term(token.folded)
        if term in known:
            # "What river…", "which country…": the answer names one, rarely repeating the noun.
            head = n > 0 and tokens[n - 1].folded in ("what", "which")
            terms.append(QueryTerm(token.word, term, HEAD_NOUN_WEIGHT if head else 1.0, True, "word"))
        else:
            fixed = correct_typo(token.folded, index, analyzer)
            if fixed is not None:
                terms.append(QueryTerm(token.word, fixed, CORRECTED_WEIGHT, True, "typo"))
            else:
                name = _names_something(token, analyzer)
                terms.append(QueryTerm(token.word, term, 1.0, False, "word", name))
        if len(terms) >= _MAX_QUESTION_TERMS:
            break
    terms.extend(_implied_terms(terms, index))
    return Query(question, tokens, tuple(terms))


def _implied_terms(terms: list[QueryTerm], index: Index) -> list[QueryTerm]:
    known = index.sentences.terms
    asked = {t.term for t in terms if t.found}
    implied: list[QueryTerm] = []
    for t in terms:
        if not t.found:
            continue
        for part in index.acronyms.get(t.term, ()):
            if part not in asked and part in known:
                implied.append(QueryTerm(t.word, part, IMPLIED_WEIGHT, True, "acronym"))
        for related in related_forms(t.term, known):
            if related not in asked:
                implied.append(QueryTerm(t.word, related, IMPLIED_WEIGHT, True, "related"))
    for acronym, parts in index.acronyms.items():
        if acronym not in asked and set(parts) <= asked:
            implied.append(QueryTerm(" ".join(parts), acronym, IMPLIED_WEIGHT, True, "acronym"))
    return implied


def _names_something(token: Token, analyzer: Analyzer) -> bool:
    """Whether a word the knowledge lacks names something specific, not an everyday word.

    Acronyms, capitalised words inside the question (in languages that capitalise names only),
    dictionary names ("jupiter") and words no dictionary of the language knows ("rutte", a misspelt
    name) all count: a question about them is about something the knowledge never mentions.
    Numbers do not: "2022" is too easily a paraphrase.
    """
    return analyzer.is_name(token, first=token.start == 0)


def related_forms(term: str, known: dict[str, int] | frozenset[str]) -> list[str]:
    """Agent nouns and their verbs, when the knowledge holds both: lead <-> leader, govern <-> governor."""
    forms = [term + suffix for suffix in _AGENT_SUFFIXES] + [term + "r"]
    for suffix in _AGENT_SUFFIXES:
        if term.endswith(suffix) and len(term) - len(suffix) >= 3:
            base = term[: -len(suffix)]
            forms += [base, base + "e"]
    return [f for f in dict.fromkeys(forms) if f in known and f != term]


def correct_typo(word: str, index: Index, analyzer: Analyzer) -> str | None:
    """The term of the knowledge word closest to a misspelt one, if any is close enough.

    Candidates are the knowledge's words whose term, in the analyser's language, the index holds.
    """
    if len(word) < 4 or not word.isalpha() or analyzer.is_known(word):
        return None
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    limit = 1 if len(word) <= 7 else 2
    matches = process.extract(word, index.vocabulary.keys(), scorer=OSA.distance, score_cutoff=limit, limit=8)
    if not matches:
        return None
    known = index.sentences.terms
    matches = [m for m in matches if analyzer.term(m[0]) in known]
    if not matches:
        return None
    best = min(m[1] for m in matches)
    # Among equally close words, the one found in most passages.
    candidates = [analyzer.term(m[0]) for m in matches if m[1] == best]
    return max(candidates, key=index.sentences.doc_freq)
