"""What askbot knows of each language: folding, stems, lemmas, stopwords, and how names show.

A `Lexicon` answers, for one language, the questions the analysis and the question logic ask of a
word: its term, whether it is a stopword, whether the language knows it, whether it names
something.  Its resources (a Snowball stemmer from PyStemmer, simplemma's dictionary, a stopword
list) are loaded the first time a word asks for them, and only for that language.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

ENGLISH = "en"
_SNOWBALL_STOPWORDS = Path(__file__).with_name("snowball_stopwords.json")


@dataclass(frozen=True)
class Language:
    """How one language is analysed."""

    code: str  # ISO 639-1
    snowball: str | None = None  # PyStemmer's algorithm, if Snowball has one
    lemmas: bool = False  # simplemma has a dictionary for it
    # A capital inside a sentence marks a name (not in German, where every noun has one, nor in
    # scripts without case).
    cased_names: bool = True
    # Its dictionary's lemmas keep a capital only for names (German's keep one for every noun).
    lemma_case_names: bool = True
    # The lengths of the overlapping character n-grams that runs of a script written without spaces
    # (Han, kana, Hangul, Thai...) are cut into, in a text of this language: single characters and
    # pairs for Chinese, Japanese, Korean and the rest; triples for Thai and its neighbours, whose
    # characters are letters rather than syllables.  (Measured on XQuAD: bench/languages.py.)
    ngrams: tuple[int, ...] = (1, 2)
    # Writes compounds as one word ("Wikingersiedler"): a word the knowledge lacks may be its parts.
    compounds: bool = False
    # Sets a name's suffixes off with an apostrophe ("Ankara'da", "IPCC'nin"), so a capitalised word
    # so written names something, wherever it stands in the sentence.
    name_suffixes: bool = False


# Germanic, Finnic and Hungarian write their compounds closed up.
_COMPOUNDING = frozenset("de nl af da sv nb nn is lb fi et hu".split())
# What may join the parts of a compound: Fugen-s and the like ("Komplexitätsklasse").
LINKS = ("", "s", "es", "n", "en", "e", "er")


def _table() -> dict[str, Language]:
    snowball = {
        "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "cs": "czech", "da": "danish",
        "nl": "dutch", "en": "english", "eo": "esperanto", "et": "estonian", "fi": "finnish",
        "fr": "french", "de": "german", "el": "greek", "hi": "hindi", "hu": "hungarian",
        "id": "indonesian", "ga": "irish", "it": "italian", "lt": "lithuanian", "ne": "nepali",
        "nb": "norwegian", "fa": "persian", "pl": "polish", "pt": "portuguese", "ro": "romanian",
        "ru": "russian", "sr": "serbian", "es": "spanish", "sv": "swedish", "ta": "tamil",
        "tr": "turkish", "yi": "yiddish",
    }  # fmt: skip
    lemmas = set(
        "ast bg ca cs cy da de el en eo es et fa fi fr ga gd gl gv he hi hu hy id is it ka la lb lt "
        "lv mk ml ms nb nl nn pl pt ro ru se sk sl sq sv sw tl tr uk ar".split()
    )
    uncased = {"ar", "fa", "he", "hi", "ne", "ta", "ml", "ka", "yi", "zh", "ja", "th", "ko", "lo", "km", "my"}
    table = {}
    for code in sorted(set(snowball) | lemmas | {"zh", "ja", "th", "ko", "lo", "km", "my"}):
        table[code] = Language(
            code,
            snowball.get(code),
            code in lemmas,
            cased_names=code not in uncased and code != "de" and code != "lb",
            lemma_case_names=code not in ("de", "lb"),
            ngrams=(3,) if code in ("th", "lo", "km", "my") else (1, 2),
            compounds=code in _COMPOUNDING,
            name_suffixes=code in ("tr", "az"),
        )
    return table


LANGUAGES: dict[str, Language] = _table()
# A language askbot has nothing for is analysed with folding alone.
PLAIN = Language("und", cased_names=False)


def language(code: str) -> Language:
    """The language of an ISO 639-1 code (`PLAIN` for one askbot has nothing for)."""
    return LANGUAGES.get(code.lower(), PLAIN)


_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "`": "'"})
# Marks a reader may or may not write, that change no word: Arabic short vowels and tatweel, Hebrew points,
# the dot a lower-cased "İ" keeps outside Turkish.
_OPTIONAL_MARKS = dict.fromkeys([*range(0x064B, 0x0660), 0x0670, 0x0640, *range(0x0591, 0x05C8), 0x0307])
# Romanian's s and t with a cedilla are the legacy spellings of s and t with a comma below.
_ROMANIAN = str.maketrans("şţŞŢ", "șțȘȚ")
_TURKISH_CAPITALS = str.maketrans({"I": "ı", "İ": "i"})


def fold_english(text: str) -> str:
    """Fold case, compatibility forms, accents and curly apostrophes: "NATO’s Café" -> "nato's cafe"."""
    if text.isascii():
        return text.translate(_APOSTROPHES).lower()
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.casefold()


def folder(code: str) -> Callable[[str], str]:
    """The folding of a language: case and compatibility forms, keeping the letters that make words.

    English drops every accent, as it always has.  Elsewhere accents can tell words apart and the
    stemmers and dictionaries expect them, so they stay; what folds is case (Turkish's dotted and
    dotless i by Turkish rules, Greek's final sigma kept for the dictionary, German's ß as ss),
    compatibility forms (full-width letters, ligatures), legacy spellings and optional marks.
    """
    if code == ENGLISH:
        return fold_english
    return lambda text: _fold_other(text, code)


@lru_cache(maxsize=1 << 16)
def _fold_other(text: str, code: str) -> str:
    text = text.translate(_APOSTROPHES)
    if code in ("tr", "az"):
        text = text.translate(_TURKISH_CAPITALS)
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKC", text)
    # Greek: lower() writes a final sigma as ς, as the dictionary does; casefold() would not.
    text = text.lower() if code == "el" else text.casefold()
    if code == "ro":
        text = text.translate(_ROMANIAN)
    return text.translate(_OPTIONAL_MARKS) if any(ord(c) in _OPTIONAL_MARKS for c in text) else text


@cache
def _stemmer(algorithm: str) -> Callable[[str], str]:
    import Stemmer  # PyStemmer: Snowball's stemmers, in C

    # No cache of PyStemmer's own: callers keep each word's term, and indexing meets hundreds of
    # thousands of distinct words, for which the cache made every stem three times slower.
    return Stemmer.Stemmer(algorithm, 0).stemWord  # type: ignore[no-any-return]


@cache
def _dictionary(code: str) -> Callable[[str], str | None]:
    """simplemma's dictionary of a language: a word's lemma, or None for a word it does not know.

    Outside English a word is also known when simplemma's affix rules lead it to a dictionary word
    (Arabic "السمة" -> "سمة", the article taken off).  The dictionary is read from askbot's cache,
    which its first reader writes (askbot.analysis.dictionary): ~3 ms, where simplemma's own loading
    takes ~0.25 s.  Only words the knowledge has never seen ask it.
    """
    from askbot.analysis.dictionary import lemma_lookup
    from askbot.dirs import user_cache_dir

    return lemma_lookup(code, user_cache_dir(), rules=code != ENGLISH)


# Snowball's English stopword list, plus contractions' remains and question scaffolding.
ENGLISH_STOPWORDS = frozenset(
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


@cache
def _stopwords(code: str) -> frozenset[str]:
    """The language's stopwords, folded as its words are, and without accents: Snowball's list where
    Snowball has one (`_snowball_stopwords`), else stopwords-iso's.

    A word the dictionary writes with a capital is no stopword: a name (the Russian list's "Москва"),
    or in German, where every noun has one, a noun (the list's "Jahre" and "Menschen").
    """
    if code == ENGLISH:
        return ENGLISH_STOPWORDS
    listed = _snowball_stopwords().get(code)
    if listed is None:
        import stopwordsiso

        if not stopwordsiso.has_lang(code):
            return frozenset()
        listed = sorted(stopwordsiso.stopwords(code))
        if code in _CONFIRMED_STOPWORDS:
            listed = _confirmed(listed, code)
    fold = folder(code)
    words = {fold(w) for w in listed}
    if language(code).lemmas:
        lemma = _dictionary(code)
        words = {w for w in words if not _capitalised(lemma(w) or w)}
    return frozenset(_plain(w, code) for w in words)


# Languages whose stopwords-iso list also holds words that carry a question (Romanian "primul", "două",
# "timp", "vreme", "nevoie"): there a word is a stopword only when the stop-words package's list holds it
# too.  (Measured on XQuAD, bench/languages.py: Romanian top-1 0.763 -> 0.772; in Turkish, Greek and
# Arabic the same rule declined more answerable questions.)
_CONFIRMED_STOPWORDS = frozenset({"ro"})


def _confirmed(listed: list[str], code: str) -> list[str]:
    """The words of a stopword list that the stop-words package's list for the language also holds,
    compared without diacritics (its Romanian list writes none)."""
    from stop_words import get_stop_words

    other = {_bare(w) for w in get_stop_words(code)}
    return [w for w in listed if _bare(w) in other]


def _bare(word: str) -> str:
    """A word in lower case without any diacritic: "două" -> "doua"."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def _long_stopwords(code: str) -> tuple[str, ...]:
    """The language's stopwords of four letters or more, sorted: those a typo is looked for among."""
    return tuple(sorted(w for w in _stopwords(code) if len(w) >= 4))


@cache
def _snowball_stopwords() -> dict[str, list[str]]:
    """Snowball's stopword lists, for the languages askbot takes them in (`snowball_stopwords.json`).

    They hold only function words: articles, pronouns, prepositions, conjunctions, auxiliaries.
    stopwords-iso's lists merge several sources, and in German, Spanish and Russian also hold words
    that carry the question ("Tag", "Zeit", "erste", "zwei", "bekannt", "früher"): with Snowball's,
    top-1 on XQuAD rose from 0.741 to 0.767 in German, 0.745 to 0.758 in Spanish and 0.755 to 0.763 in
    Russian (bench/languages.py, before declining).
    """
    data = json.loads(_SNOWBALL_STOPWORDS.read_text(encoding="utf-8"))
    return {code: list(words) for code, words in data["languages"].items()}


@lru_cache(maxsize=1 << 16)
def _plain(word: str, code: str) -> str:
    """A folded word without its accents, where accents are optional to its writers (not Turkish's or
    Romanian's letters): stopword lists write Greek without them."""
    if word.isascii() or code in ("tr", "az", "ro"):
        return word
    bare = "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", bare)


class Lexicon:
    """One language's answers about a folded word: its stem and lemma, stopword, known word, name."""

    def __init__(self, code: str):
        self.language = language(code)
        self.fold = folder(self.language.code if self.language is not PLAIN else code)
        self._stop_lemmas: dict[str, bool] = {}

    def stem(self, word: str) -> str:
        """The Snowball stem of a folded word (the word itself where Snowball has no stemmer)."""
        algorithm = self.language.snowball
        return _stemmer(algorithm)(word) if algorithm else word

    def lemma(self, word: str) -> str | None:
        """The dictionary lemma of a folded word, or None where the dictionary does not know it."""
        return _dictionary(self.language.code)(word) if self.language.lemmas else None

    def lemma_stem(self, word: str) -> str:
        """The stem of the word's dictionary lemma, so irregular forms meet: led -> lead, met -> meet."""
        if word.isdigit() or len(word) < 3:
            return word
        lemma = self.lemma(word)
        if lemma is None or not lemma.isalpha():
            return self.stem(word)
        if self.language.lemma_case_names and _capitalised(lemma):
            return self.stem(word)  # a name ("lucas" -> "Lucas") keeps its own form
        return self.stem(lemma if self.language.lemma_case_names else self.fold(lemma))

    def is_stopword(self, word: str) -> bool:
        """Whether a folded word carries no meaning for ranking: it is in the language's list, or
        (outside English) its dictionary lemma is, as for the inflected forms the lists leave out
        (Russian "какое", "каком" of "какой")."""
        code = self.language.code
        stopwords = _stopwords(code)
        if _plain(word, code) in stopwords:
            return True
        if code == ENGLISH or not self.language.lemmas or not stopwords:
            return False
        return self._lemma_is_stopword(word)

    def is_misspelt_stopword(self, word: str) -> bool:
        """Whether a folded word the dictionary lacks is one letter from a stopword of four letters or
        more: "befor", "wich", "thier" are typed for "before", "which", "their".

        English only: its list holds function words alone, where stopwords-iso's long lists in other
        languages would swallow mistyped content words (measured: Turkish and Arabic declined more).
        """
        if self.language.code != ENGLISH or len(word) < 4 or not word.isalpha() or self.is_known(word):
            return False
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        longer = _long_stopwords(self.language.code)
        return process.extractOne(word, longer, scorer=OSA.distance, score_cutoff=1) is not None

    def _lemma_is_stopword(self, word: str) -> bool:
        found = self._stop_lemmas.get(word)
        if found is None:
            lemma = self.lemma(word)
            code = self.language.code
            found = lemma is not None and lemma != word and _plain(self.fold(lemma), code) in _stopwords(code)
            self._stop_lemmas[word] = found
        return found

    def is_known(self, word: str) -> bool:
        """Whether the language's dictionary knows a folded word (as a word or a name): not a typo.

        A language without a dictionary knows every word: nothing can be told to be a typo.
        """
        return not self.language.lemmas or self.lemma(word) is not None

    def is_name(self, word: str) -> bool:
        """Whether the dictionary gives a folded word as a name: "finland", "jupiter", "american"."""
        if not self.language.lemmas or not self.language.lemma_case_names:
            return False
        lemma = self.lemma(word)
        return lemma is not None and _capitalised(lemma)


def _capitalised(word: str) -> bool:
    """Whether a word has a capital letter (no word of a script without case has)."""
    return word != word.lower()
