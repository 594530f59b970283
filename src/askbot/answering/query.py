"""From a question's words to weighted index terms: typos, acronyms and related forms resolved."""

from __future__ import annotations

from collections.abc import Container, Sequence
from dataclasses import dataclass

from askbot.analysis.languages import ENGLISH
from askbot.analysis.text import Analyzer, Token, stem, term_language
from askbot.answering.paraphrase import alternatives, related
from askbot.index.collection import Index

# Weight of a term the question did not write but implies (an acronym's expansion, the acronym
# of a spelled-out name, a related form): it helps ranking without outweighing the question.
IMPLIED_WEIGHT = 0.5
# How much a corrected typo counts next to a word spelled right.
CORRECTED_WEIGHT = 0.8
_MAX_QUESTION_TERMS = 64
# Below this many words, the knowledge's words are read through (under a millisecond a question word)
# before the dictionary is loaded (~0.2 s, once).
_FEW_WORDS = 10_000
HEAD_NOUN_WEIGHT = 0.7
_AGENT_SUFFIXES = ("er", "or", "ers", "ors")
ASKED = ("word", "typo", "paraphrase")


@dataclass(frozen=True, slots=True)
class QueryTerm:
    """One term searched for, and how it came from the question."""

    word: str  # as the question wrote it
    term: str
    weight: float
    found: bool  # the knowledge holds this term
    # "word", "typo", "paraphrase" (stands in for a word the knowledge lacks), "acronym", "related", "context"
    via: str
    name: bool = False  # a missing word that names something specific (see _names_something)
    spelled: str = ""  # the knowledge's word (folded) a typo was corrected to, or this word folded


@dataclass(frozen=True, slots=True)
class Query:
    """A question prepared for ranking."""

    text: str
    tokens: tuple[Token, ...]
    terms: tuple[QueryTerm, ...]

    @property
    def asked(self) -> tuple[QueryTerm, ...]:
        """The terms the question itself wrote (typo corrections and stand-ins for unknown words included)."""
        return tuple(t for t in self.terms if t.via in ASKED)

    @property
    def missing(self) -> tuple[str, ...]:
        """Words of the question the knowledge does not hold (in any language it is asked in)."""
        found = {t.word for t in self.asked if t.found}
        return tuple(dict.fromkeys(t.word for t in self.asked if not t.found and t.word not in found))

    def in_language(self, language: str) -> Query:
        """The question as asked of the files in one language: only the terms of that language."""
        terms = tuple(t for t in self.terms if term_language(t.term) == language)
        return Query(self.text, self.tokens, terms)

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
        matched = term in known and not _misread_name(token, term, index, analyzer)
        stand_ins = [] if matched else _stand_ins(token, term, n, index, analyzer)
        if stand_ins:
            terms.extend(stand_ins)
        elif term in known:
            # "What river…", "which country…": the answer names one, rarely repeating the noun.
            head = n > 0 and tokens[n - 1].folded in ("what", "which")
            weight = HEAD_NOUN_WEIGHT if head else 1.0
            terms.append(QueryTerm(token.word, term, weight, True, "word", spelled=token.folded))
        elif not analyzer.is_misspelt_stopword(token):  # "befor" carries no more than "before"
            terms.append(_missing(token, term, analyzer))
        if len(terms) >= _MAX_QUESTION_TERMS:
            break
    terms.extend(_implied_terms(terms, index))
    return Query(question, tokens, tuple(terms))


def _misread_name(token: Token, term: str, index: Index, analyzer: Analyzer) -> bool:
    """Whether a word the question writes in lower case, that neither the knowledge nor the dictionary
    knows, meets the knowledge only through the stem of a name: "maried" and "Mary" are both "mari".
    Such a word is a typo, to be corrected ("married") before it is taken for the name."""
    word = token.folded
    if token.word[:1].isupper() or word in index.vocabulary:
        return False
    # The cheaper of the two tests first: reading every word of a small knowledge is quicker than
    # loading the dictionary (~0.2 s), which a one-shot question then need not do.
    if sum(len(segment.words.keys) for segment in index.segments) < _FEW_WORDS:
        return _only_names(term, index) and not analyzer.is_known(word)
    return not analyzer.is_known(word) and _only_names(term, index)


def _only_names(term: str, index: Index) -> bool:
    """Whether the knowledge holds words of `term`, and writes every one of them as a name."""
    spellings = [index.words.get(w, "") for w, t in index.vocabulary.items() if t == term]
    return bool(spellings) and all(s[:1].isupper() for s in spellings)


def _missing(token: Token, term: str, analyzer: Analyzer) -> QueryTerm:
    return QueryTerm(token.word, term, 1.0, False, "word", _names_something(token, analyzer))


def _stand_ins(token: Token, term: str, position: int, index: Index, analyzer: Analyzer) -> list[QueryTerm]:
    """Knowledge terms for a word the knowledge lacks: its typo's correction, else (in English) its
    other spellings, abbreviation, number or compound parts ("pretax" -> "pre" "tax"), else its
    near-synonyms; outside English, the knowledge's word of the same stem, else compound parts."""
    fixed = correct_typo(token.folded, index, analyzer, _capitalised(token, position, analyzer))
    if fixed is not None:
        spelled, corrected = fixed
        return [QueryTerm(token.word, corrected, CORRECTED_WEIGHT, True, "typo", spelled=spelled)]
    if analyzer.language != ENGLISH:  # the paraphrase tables are English; compounds are not only
        known = index.sentences.terms
        same = analyzer.same_stem(token.folded, index.vocabulary.keys(), known)
        parts = [max(same, key=index.sentences.doc_freq)] if same else []
        parts = parts or analyzer.compound_parts(token.folded, known)
        return [QueryTerm(token.word, t, CORRECTED_WEIGHT, True, "paraphrase") for t in parts]
    found = known_terms(alternatives(token.folded), index) or _compound(token.folded, index)
    if found:
        return [QueryTerm(token.word, t, CORRECTED_WEIGHT, True, "paraphrase") for t in found]
    return [
        QueryTerm(token.word, t, IMPLIED_WEIGHT, True, "paraphrase")
        for t in known_terms(list(related(term)), index)
    ]


def known_terms(phrases: list[str], index: Index) -> list[str]:
    """The knowledge's terms for the words of some phrases; phrases with a word it lacks give none."""
    out: list[str] = []
    for phrase in phrases:
        words = [w for w in phrase.split() if w not in ("of", "per")] or phrase.split()
        terms = [index.vocabulary.get(w) or stem(w) for w in words]
        if all(t in index.sentences.terms for t in terms):
            out.extend(terms)
    return list(dict.fromkeys(out))


def _compound(word: str, index: Index) -> list[str]:
    """The two knowledge terms a closed compound is made of ("pretax" -> "pre" "tax"), if any."""
    if len(word) < 5 or not word.isalpha():
        return []
    for cut in range(1, len(word) - 2):
        parts = known_terms([word[:cut]], index), known_terms([word[cut:]], index)
        if parts[0] and parts[1]:
            return parts[0] + parts[1]
    return []


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
        for form in related_forms(t.term, known):
            if form not in asked:
                implied.append(QueryTerm(t.word, form, IMPLIED_WEIGHT, True, "related"))
        if term_language(t.term) != ENGLISH:  # the paraphrase tables are English
            continue
        for other in known_terms([*alternatives(t.spelled), *related(t.term)], index):
            if other not in asked:
                implied.append(QueryTerm(t.word, other, IMPLIED_WEIGHT, True, "related"))
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


def related_forms(term: str, known: Container[str]) -> list[str]:
    """Agent nouns and their verbs, when the knowledge holds both: lead <-> leader, govern <-> governor."""
    forms = [term + suffix for suffix in _AGENT_SUFFIXES] + [term + "r"]
    for suffix in _AGENT_SUFFIXES:
        if term.endswith(suffix) and len(term) - len(suffix) >= 3:
            base = term[: -len(suffix)]
            forms += [base, base + "e"]
    return [f for f in dict.fromkeys(forms) if f in known and f != term]


def _capitalised(token: Token, position: int, analyzer: Analyzer) -> bool:
    """Whether the question writes a word as a name: an acronym, or capitalised past its first word in
    a language that capitalises names only (not German, where every noun has a capital), and not in a
    question written all in capitals."""
    cased = analyzer.lexicon.language.cased_names
    capital = token.word[:1].isupper() and not token.word.isupper()
    return token.acronym or (cased and position > 0 and capital)


def correct_typo(
    word: str, index: Index, analyzer: Analyzer, capitalised: bool = False
) -> tuple[str, str] | None:
    """The knowledge word (folded) closest to a misspelt one, with its term, if any is close enough.

    Words are compared first, then stems ("cvoer" is one letter from "cover", the stem of "covered").
    Candidates are the knowledge's words whose term, in the analyser's language, the index holds.

    A word the question capitalises is a name: it is corrected only into a word the knowledge writes
    capitalised ("Schruers" -> "Schreurs"), never into an everyday word ("Warsz" is not "wars").
    """
    if len(word) < 4 or not word.isalpha() or analyzer.is_known(word):
        return None
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    limit = 1 if len(word) <= 7 else 2
    matches = process.extract(
        word, index.vocabulary.keys(), scorer=OSA.distance, score_cutoff=limit, limit=None
    )
    known = index.sentences.terms
    matches = [m for m in matches if analyzer.term(m[0]) in known]
    if capitalised:
        matches = [m for m in matches if index.words.get(m[0], "")[:1].isupper()]
    if matches:
        best = min(m[1] for m in matches)
        # Among equally close words, the one found in most passages.
        # Sorted, so that a tie goes the same way whatever order the vocabulary is read in.
        candidates = sorted(m[0] for m in matches if m[1] == best)
        spelled = max(candidates, key=lambda w: index.sentences.doc_freq(analyzer.term(w)))
        return spelled, analyzer.term(spelled)
    if capitalised:
        return None
    terms = process.extract(
        analyzer.stem_term(word), known.keys(), scorer=OSA.distance, score_cutoff=1, limit=None
    )
    terms = [t for t in terms if analyzer.owns(t[0])]
    if not terms:
        return None
    closest = sorted(t[0] for t in terms if t[1] == min(m[1] for m in terms))
    term = max(closest, key=index.sentences.doc_freq)
    return "", term
