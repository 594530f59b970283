"""Text analysis shared by passages and questions: folding, tokenising, stopwords, lemma-stems.

Everything here is pure: the same text always gives the same terms.  One `Analyzer` serves the
knowledge and the questions, so a word in a question and the same word in a passage meet.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Container, Iterable, Iterator, KeysView, Mapping, Sequence
from functools import lru_cache
from typing import NamedTuple

from askbot.analysis.languages import ENGLISH, ENGLISH_STOPWORDS, Lexicon, fold_english, folder
from askbot.analysis.languages import LINKS as _LINKS
from askbot.analysis.languages import language as lexicon_language

# Bump when the terms or passages a text produces change (here, in segment.py, knowledge.py or formats.py):
# cached indexes carry it.
ANALYSER_VERSION = 10

STOPWORDS = ENGLISH_STOPWORDS
fold = fold_english

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "`": "'"})
_APOSTROPHE_CHARS = tuple(map(chr, _APOSTROPHES))

# A dotted acronym (U.S., e.g.), a number with its separators (1,230 / 3.5 / 10:30), or a word
# with inner apostrophes (NATO's, don't).  Hyphens and dots elsewhere split words into parts.
# Written as a letter or digit and what may follow it, so that the search skips straight to one;
# the same matches as (?:[^\W\d_]\.){2,}|\d+(?:[.,:]\d+)*|[^\W_]+(?:'[^\W_]+)*, found faster.
_TOKEN_RE = re.compile(
    r"[^\W_](?:(?<=[^\W\d_])(?:\.[^\W\d_])+\.|(?<=\d)\d*(?:[.,:]\d+)*|[^\W_]*(?:'[^\W_]+)*)"
)
_POSSESSIVE_RE = re.compile(r"'s?$")


@lru_cache(maxsize=1)
def _marks_as_letters() -> dict[int, str]:
    """Combining marks (Thai and Indic vowel signs, Arabic vowels, viramas, accents written apart)
    and the joiners inside Indic and Persian words, mapped to a letter so a word stays one token."""
    ranges = [range(0x0300, 0x1E00), range(0x20D0, 0x2100), range(0xFE00, 0xFE10), range(0xFE20, 0xFE30)]
    marks = [c for r in ranges for c in r if unicodedata.category(chr(c))[0] == "M"]
    return dict.fromkeys([*marks, 0x200C, 0x200D], "a")


@lru_cache(maxsize=1)
def _bigram_run_re() -> re.Pattern[str]:
    """A run of the letters of the scripts written without spaces between words (Han, kana, Hangul,
    Thai, Lao, Khmer, Myanmar): runs are cut into overlapping character n-grams, as Lucene's
    CJKBigramFilter does.  Compiled on first use: its ranges take milliseconds to compile, and English
    never needs it."""
    return re.compile(
        "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
        "\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002ffff]+"
    )


class Token(NamedTuple):
    """A word at `start`:`end` of a text: as written (dots and possessive dropped) and folded."""

    # A NamedTuple rather than a dataclass: indexing a million passages makes tens of millions.
    start: int
    end: int
    word: str
    folded: str
    acronym: bool


_fold_word = lru_cache(maxsize=1 << 16)(fold)


def tokenize(text: str, language: str = ENGLISH) -> list[Token]:
    """Split text into word tokens with their character spans; possessives dropped ("NATO’s" -> nato).

    Outside English, runs of a script written without spaces become overlapping character n-grams,
    and words are folded by the language's rules.
    """
    shouting = text.isupper()
    fold_word = _fold_word if language == ENGLISH else folder(language)
    plain = text.translate(_APOSTROPHES)
    scan = plain if plain.isascii() else plain.translate(_marks_as_letters())
    runs = _bigram_run_re() if language != ENGLISH and not plain.isascii() else None
    ngrams = lexicon_language(language).ngrams
    tokens: list[Token] = []
    for match in _TOKEN_RE.finditer(scan):
        raw = plain[match.start() : match.end()]
        if runs is not None and runs.search(raw):
            tokens += _ngram_tokens(raw, match.start(), fold_word, ngrams)
            continue
        word = _spelling(raw)
        if not word:
            continue
        acronym = _is_acronym(raw, word, shouting)
        tokens.append(Token(match.start(), match.end(), word, fold_word(word), acronym))
    return tokens


def _spelling(raw: str) -> str:
    """A matched token as written, its dots and possessive dropped ("U.S." -> US, "NATO's" -> NATO)."""
    if raw[-1] == ".":
        return raw.replace(".", "")
    return _POSSESSIVE_RE.sub("", raw) if "'" in raw else raw


def _is_acronym(raw: str, word: str, shouting: bool) -> bool:
    """Dotted ("U.S.") or in capitals in a text that is not all capitals ("NATO")."""
    return raw[-1] == "." or (not shouting and len(word) > 1 and word.isupper() and word.isalpha())


@lru_cache(maxsize=1)
def _marks_re() -> re.Pattern[str]:
    """Any combining mark or joiner that `_marks_as_letters` keeps inside a word."""
    return re.compile("[" + "".join(re.escape(chr(c)) for c in _marks_as_letters()) + "]")


def _ngram_tokens(
    raw: str, offset: int, fold_word: Callable[[str], str], ngrams: tuple[int, ...]
) -> Iterator[Token]:
    """A word holding runs of a script without spaces: each run as its overlapping n-grams of each
    length in `ngrams` (a run shorter than all of them as itself), the letters around the runs as words."""
    spans: list[tuple[int, int]] = []
    at = 0
    for run in _bigram_run_re().finditer(raw):
        if run.start() > at:
            spans.append((at, run.start()))
        a, b = run.span()
        grams = sorted((i, i + n) for n in ngrams for i in range(a, b - n + 1))
        spans += grams or [(a, b)]
        at = b
    if at < len(raw):
        spans.append((at, len(raw)))
    for i, j in spans:
        word = raw[i:j]
        yield Token(offset + i, offset + j, word, fold_word(word), False)


class Analyzer:
    """Turns text into index terms in one language, remembering each word's term.

    `known` maps folded words to terms already decided (an index's vocabulary); `terms` holds
    the terms the index holds, so an unseen word whose plain stem is already a term skips the
    dictionary lemmatiser.  Terms outside English carry their language ("de|haus"), so that a
    question analysed in each language of the knowledge meets each file in its own language only.
    """

    def __init__(
        self,
        known: Mapping[str, str] | None = None,
        terms: Container[str] = frozenset(),
        language: str = ENGLISH,
    ):
        self.language = language
        self.lexicon = Lexicon(language)
        self._known: Mapping[str, str] = known or {}
        self._memo: dict[str, str] = {}
        self._terms = terms
        self._tag = "" if language == ENGLISH else f"{language}|"

    @property
    def vocabulary(self) -> dict[str, str]:
        """Every word this analyser has analysed (beyond those it was given), folded, with its term."""
        return self._memo

    def owns(self, term: str) -> bool:
        """Whether a term is of this analyser's language."""
        return term.startswith(self._tag) if self._tag else "|" not in term

    def term(self, word: str) -> str:
        """The index term for one folded word."""
        found = self._memo.get(word)
        if found is None:
            found = self._known.get(word)
            if found is None or not self.owns(found):  # a word of another language's file
                plain = self.stem_term(word)
                found = plain if plain in self._terms else self._tag + self.lexicon.lemma_stem(word)
            self._memo[word] = found
        return found

    def stem_term(self, word: str) -> str:
        """The term a folded word's plain Snowball stem would be, its lemma not looked up."""
        return self._tag + self.lexicon.stem(word)

    def compound_parts(self, word: str, known: Container[str]) -> list[str]:
        """The terms of the two parts a closed compound is made of, when the knowledge holds both
        ("wikingersiedlern" -> wikinger, siedler), in a language that writes compounds as one word;
        a linking "s", "es", "n", "en", "e" or "er" may join them.  None elsewhere."""
        if not self.lexicon.language.compounds or len(word) < 7 or not word.isalpha():
            return []
        for cut in range(3, len(word) - 3):
            head = self.term(word[cut:])
            if head not in known:
                continue
            for link in _LINKS:
                left = word[:cut]
                if link and not left.endswith(link):
                    continue
                modifier = left[: len(left) - len(link)]
                if len(modifier) >= 3 and self.term(modifier) in known:
                    return [self.term(modifier), head]
        return []

    def same_stem(self, word: str, words: KeysView[str], known: Container[str]) -> list[str]:
        """The terms of the knowledge's `words` that share a folded word's plain Snowball stem, where
        their dictionary lemmas part them (Romanian "donate", lemma "donat", and the text's "donat",
        lemma "dona"), among the `known` terms, sorted.  None for a stem shorter than four letters,
        nor in English, whose paraphrase tables do this work.  It reads every word of the knowledge,
        as typo correction does: ~0.2 s a word at a million words."""
        stem = self.lexicon.stem(word)
        if self.language == ENGLISH or len(stem) < 4 or not word.isalpha():
            return []
        from rapidfuzz import process
        from rapidfuzz.distance import Prefix

        starting = process.extract(stem, words, scorer=Prefix.similarity, score_cutoff=len(stem), limit=None)
        found = {self.term(w) for w, _, _ in starting if self.lexicon.stem(w) == stem}
        return sorted(t for t in found if t in known)

    def tokenize(self, text: str) -> list[Token]:
        """The tokens of a text in this analyser's language."""
        return tokenize(text, self.language)

    def is_stopword(self, token: Token) -> bool:
        """Whether a token carries no meaning for ranking (acronyms such as "US" are kept)."""
        return not token.acronym and self.lexicon.is_stopword(token.folded)

    def is_misspelt_stopword(self, token: Token) -> bool:
        """Whether a token the dictionary lacks is a stopword with a typo ("befor", "wich")."""
        return not token.acronym and self.lexicon.is_misspelt_stopword(token.folded)

    def is_known(self, word: str) -> bool:
        """Whether the language knows a folded word, as a word or a name (so it is not a typo)."""
        return self.lexicon.is_known(word)

    def is_name(self, token: Token, first: bool = False) -> bool:
        """Whether a token names something: an acronym, a capital the language marks names with (not
        on the `first` word of a sentence, nor in text written all in capitals), a capitalised word with
        a suffix set off by an apostrophe where the language so writes a name's suffixes (Turkish
        "Ankara'da"), a name in the dictionary, or a longer word it lacks."""
        capital = token.word[:1].isupper() and not token.word.isupper()
        if token.acronym or (not first and self.lexicon.language.cased_names and capital):
            return True
        if self.lexicon.language.name_suffixes and capital and "'" in token.word:
            return True  # Turkish "Gandi'nin" even as the first word, where a capital alone proves nothing
        word = token.folded
        return word.isalpha() and (
            self.lexicon.is_name(word) or (len(word) > 3 and not self.lexicon.is_known(word))
        )

    def terms(self, text: str) -> list[str]:
        """The index terms of a text, in order, stopwords left out."""
        return self.terms_of(self.tokenize(text))

    def terms_of(self, tokens: Iterable[Token]) -> list[str]:
        """The index terms of tokenised text, in order, stopwords left out."""
        return [self.term(t.folded) for t in tokens if not self.is_stopword(t)]

    def token_terms(self, text: str) -> Iterator[tuple[Token, str]]:
        """Each meaningful token of a text with its term (for highlighting and explanations)."""
        for token in self.tokenize(text):
            if not self.is_stopword(token):
                yield token, self.term(token.folded)

    def words(self, text: str) -> list[str] | None:
        """A text's words as matched, for `word` to analyse each distinct one once (indexing does);
        None when the text must be tokenised in full: outside English, or with combining marks."""
        if self.language != ENGLISH or (not text.isascii() and _marks_re().search(text)):
            return None
        return _TOKEN_RE.findall(text.translate(_APOSTROPHES))

    def words_of(self, texts: Sequence[str]) -> list[list[str] | None]:
        """`words` of each of many texts (a file's passages), with the checks made once for all of
        them where the texts allow it: the same lists, faster."""
        joined = "".join(texts)
        if self.language != ENGLISH or (not joined.isascii() and _marks_re().search(joined)):
            return [self.words(text) for text in texts]
        if any(c in joined for c in _APOSTROPHE_CHARS):
            texts = [text.translate(_APOSTROPHES) for text in texts]
        return list(map(_TOKEN_RE.findall, texts))

    def word(self, raw: str, capitals: bool = False) -> tuple[str, str, str]:
        """A word as `words` matched it: its term ("" for none, such as a stopword), folded form and
        spelling, as `tokenize` and `terms_of` give them; `capitals`: the text is all in capitals."""
        word = _spelling(raw)
        if not word:
            return "", "", ""
        folded = _fold_word(word)
        meaningful = _is_acronym(raw, word, capitals) or not self.lexicon.is_stopword(folded)
        return (self.term(folded) if meaningful else ""), folded, word


def term_language(term: str) -> str:
    """The language of an index term: the one it is tagged with ("de|haus"), else English."""
    tag, bar, _ = term.partition("|")
    return tag if bar else ENGLISH


_ENGLISH = Lexicon(ENGLISH)


def stem(word: str) -> str:
    """The English Snowball stem of a folded word."""
    return _ENGLISH.stem(word)


def lemma_stem(word: str) -> str:
    """The stem of the word's English dictionary lemma, so irregular forms meet: led -> lead, met -> meet."""
    return _ENGLISH.lemma_stem(word)


def is_dictionary_word(word: str) -> bool:
    """Whether a folded word is an English word or name (so not a typo)."""
    return _ENGLISH.lemma(word) is not None


def is_name(word: str) -> bool:
    """Whether a folded word is, in the English dictionary, a name: "finland", "jupiter", "american"."""
    return _ENGLISH.is_name(word)


def is_stopword(token: Token) -> bool:
    """Whether a token carries no meaning for ranking in English (acronyms such as "US" are kept)."""
    return not token.acronym and token.folded in STOPWORDS


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
