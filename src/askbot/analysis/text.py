"""Text analysis shared by passages and questions: folding, tokenising, stopwords, lemma-stems.

Everything here is pure: the same text always gives the same terms.  One `Analyzer` serves the
knowledge and the questions, so a word in a question and the same word in a passage meet.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from functools import lru_cache
from typing import NamedTuple

# Bump when the terms or passages a text produces change (here, in segment.py, knowledge.py or formats.py):
# cached indexes carry it.
ANALYSER_VERSION = 5

# Snowball's English stopword list, plus contractions' remains and question scaffolding.
STOPWORDS = frozenset(
    """
    a about above after again against all am an and any are aren as at be because been before
    being below between both but by can cannot could couldn did didn do does doesn doing don down
    during each few for from further had hadn has hasn have haven having he her here hers herself
    him himself his how i if in into is isn it its itself just let ll me more most mustn my myself
    no nor not now of off on once only or other ought our ours ourselves out over own re s same
    shan she should shouldn so some such t than that the their theirs them themselves then there
    these they this those through to too under until up us ve very was wasn we were weren what
    when where which while who whom why will with won would wouldn you your yours yourself
    yourselves d m o y also ever yet tell know please say said
    whose whats hows kind sort
    """.split()
)

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "`": "'"})

# A dotted acronym (U.S., e.g.), a number with its separators (1,230 / 3.5 / 10:30), or a word
# with inner apostrophes (NATO's, don't).  Hyphens and dots elsewhere split words into parts.
_TOKEN_RE = re.compile(r"(?:[^\W\d_]\.){2,}|\d+(?:[.,:]\d+)*|[^\W_]+(?:'[^\W_]+)*")
_POSSESSIVE_RE = re.compile(r"'s?$")


class Token(NamedTuple):
    """A word at `start`:`end` of a text: as written (dots and possessive dropped) and folded."""

    # A NamedTuple rather than a dataclass: indexing a million passages makes tens of millions.
    start: int
    end: int
    word: str
    folded: str
    acronym: bool


def fold(text: str) -> str:
    """Fold case, compatibility forms, accents and curly apostrophes: "NATO’s Café" -> "nato's cafe"."""
    if text.isascii():
        return text.translate(_APOSTROPHES).lower()
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.casefold()


_fold_word = lru_cache(maxsize=1 << 16)(fold)


def tokenize(text: str) -> list[Token]:
    """Split text into word tokens with their character spans; possessives dropped ("NATO’s" -> nato)."""
    shouting = text.isupper()
    tokens = []
    for match in _TOKEN_RE.finditer(text.translate(_APOSTROPHES)):
        raw = match.group()
        word = _spelling(raw)
        if not word:
            continue
        acronym = _is_acronym(raw, word, shouting)
        tokens.append(Token(match.start(), match.end(), word, _fold_word(word), acronym))
    return tokens


def _spelling(raw: str) -> str:
    """A matched token as written, its dots and possessive dropped ("U.S." -> US, "NATO's" -> NATO)."""
    if raw[-1] == ".":
        return raw.replace(".", "")
    return _POSSESSIVE_RE.sub("", raw) if "'" in raw else raw


def _is_acronym(raw: str, word: str, shouting: bool) -> bool:
    """Dotted ("U.S.") or in capitals in a text that is not all capitals ("NATO")."""
    return raw[-1] == "." or (not shouting and len(word) > 1 and word.isupper() and word.isalpha())


class TextTerms(NamedTuple):
    """What `Analyzer.analyse` finds in some texts."""

    terms: list[list[str]]  # each text's terms, in order, stopwords left out
    spellings: Counter[tuple[str, str]]  # (folded, as written) -> how often, over all the texts
    vocabulary: dict[str, str]  # folded word -> term, for the words that have one


@lru_cache(maxsize=1)
def _stemmer() -> Callable[[str], str]:
    import Stemmer  # PyStemmer: Snowball's English stemmer, in C

    return Stemmer.Stemmer("english").stemWord  # type: ignore[no-any-return]


@lru_cache(maxsize=1)
def _dictionary() -> Callable[[str], str | None]:
    """simplemma's English dictionary: a word's lemma, or None for a word it does not know.

    Loading it takes ~0.2 s, so only words the knowledge has never seen ask it: the index's
    vocabulary spares most questions the cost.
    """
    import simplemma

    def lookup(word: str) -> str | None:
        if not simplemma.is_known(word, lang="en"):
            return None
        return str(simplemma.lemmatize(word, lang="en"))

    return lookup


def stem(word: str) -> str:
    """The Snowball stem of a folded word."""
    return _stemmer()(word)


def lemma_stem(word: str) -> str:
    """The stem of the word's dictionary lemma, so irregular forms meet: led -> lead, met -> meet."""
    if word.isdigit() or len(word) < 3:
        return word
    lemma = _dictionary()(word)
    # A capitalised lemma is a name ("lucas" -> "Lucas"): names keep their own form.
    if lemma is None or not lemma.isalpha() or not lemma.islower():
        return stem(word)
    return stem(lemma)


def is_dictionary_word(word: str) -> bool:
    """Whether a folded word is an English word or name (so not a typo)."""
    return _dictionary()(word) is not None


def is_name(word: str) -> bool:
    """Whether a folded word is, in the dictionary, a name: "finland", "jupiter", "american"."""
    lemma = _dictionary()(word)
    return lemma is not None and not lemma.islower()


def is_stopword(token: Token) -> bool:
    """Whether a token carries no meaning for ranking (acronyms such as "US" are kept)."""
    return not token.acronym and token.folded in STOPWORDS


class Analyzer:
    """Turns text into index terms, remembering each word's term.

    `known` maps folded words to terms already decided (an index's vocabulary); `terms` holds
    the terms the index holds, so an unseen word whose plain stem is already a term skips the
    dictionary lemmatiser.
    """

    def __init__(self, known: Mapping[str, str] | None = None, terms: Container[str] = frozenset()):
        self._known: Mapping[str, str] = known or {}
        self._memo: dict[str, str] = {}
        self._terms = terms
        # A token as matched -> its term ("" when it has none), in ordinary text and in all-capitals text.
        self._matched: tuple[dict[str, str], dict[str, str]] = ({}, {})

    @property
    def vocabulary(self) -> dict[str, str]:
        """Every word this analyser has analysed (beyond those it was given), folded, with its term."""
        return self._memo

    def term(self, word: str) -> str:
        """The index term for one folded word."""
        found = self._memo.get(word) or self._known.get(word)
        if found is None:
            plain = stem(word)
            found = plain if plain in self._terms else lemma_stem(word)
            self._memo[word] = found
        return found

    def terms(self, text: str) -> list[str]:
        """The index terms of a text, in order, stopwords left out."""
        return self.terms_of(tokenize(text))

    def terms_of(self, tokens: Iterable[Token]) -> list[str]:
        """The index terms of tokenised text, in order, stopwords left out."""
        return [self.term(t.folded) for t in tokens if t.acronym or t.folded not in STOPWORDS]

    def analyse(self, texts: Iterable[str]) -> TextTerms:
        """The terms of each text and the spellings of all their words, as `terms_of(tokenize(text))`
        and `tokenize` give them, but each distinct word is analysed once: indexing a file costs one
        regular-expression pass and a dictionary look-up per word."""
        plain, shouting = self._matched
        counts: Counter[str] = Counter()
        found: list[list[str]] = []
        for text in texts:
            matched = _TOKEN_RE.findall(text.translate(_APOSTROPHES))
            counts.update(matched)
            memo = shouting if text.isupper() else plain
            for raw in matched:
                if raw not in memo:
                    memo[raw] = self._raw_term(raw, memo is shouting)
            found.append([term for term in map(memo.__getitem__, matched) if term])
        spellings: Counter[tuple[str, str]] = Counter()
        vocabulary: dict[str, str] = {}
        for raw, count in counts.items():
            word = _spelling(raw)
            if word:
                folded = _fold_word(word)
                spellings[(folded, word)] += count
                term = plain.get(raw) or shouting.get(raw)
                if term:
                    vocabulary[folded] = term
        return TextTerms(found, spellings, vocabulary)

    def _raw_term(self, raw: str, shouting: bool) -> str:
        word = _spelling(raw)
        if not word:
            return ""
        folded = _fold_word(word)
        return self.term(folded) if _is_acronym(raw, word, shouting) or folded not in STOPWORDS else ""

    def token_terms(self, text: str) -> Iterator[tuple[Token, str]]:
        """Each meaningful token of a text with its term (for highlighting and explanations)."""
        for token in tokenize(text):
            if not is_stopword(token):
                yield token, self.term(token.folded)


_ACRONYM_RE = re.compile(r"\(([A-Z][A-Za-z]?[A-Z]{1,8}s?)\)")
_DEFINITION_WORD_RE = re.compile(r"[^\W\d_][\w'’]*")
_LINKING_WORDS = frozenset({"of", "in", "for", "and", "the", "on", "to", "de", "du", "des", "la", "le"})


def acronym_definitions(text: str) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Acronyms a text defines, "NATO Mission in Iraq (NMI)" -> ("nmi", ("nato", "mission", "iraq")).

    The letters of the acronym must be the initials of the words just before the parentheses,
    in order; linking words such as "of" and "in" may be skipped.
    """
    for match in _ACRONYM_RE.finditer(text):
        acronym = match.group(1).rstrip("s") if match.group(1)[-1] == "s" else match.group(1)
        letters = [c.lower() for c in acronym if c.isupper()]
        words = _DEFINITION_WORD_RE.findall(text, max(0, match.start() - 200), match.start())
        found: list[str] = []
        while words and letters:
            word = words.pop()
            if word[0].lower() == letters[-1] and (word[0].isupper() or word[0].isdigit()):
                found.append(word)
                letters.pop()
            elif word.lower() not in _LINKING_WORDS or not found:
                break
        if not letters and len(found) > 1:
            yield fold(acronym), tuple(fold(_POSSESSIVE_RE.sub("", w)) for w in reversed(found))
