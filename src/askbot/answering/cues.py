"""Answer-type cues: what kind of answer a question wants, and where such an answer sits in a passage.

who -> a person's name, when -> a date, how many/much -> a number, where -> a place.  The
patterns are about the shape of English text (capitalised names, years, numbers), not about
any particular knowledge.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable

from askbot.analysis.text import STOPWORDS, Token

PERSON, TIME, NUMBER, PLACE, NAME = "person", "time", "number", "place", "name"


def _lazy(pattern: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """A regular expression compiled on first use: a one-shot answer needs one kind at most."""
    return functools.cache(lambda: re.compile(pattern, flags))


_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan\\.|Feb\\.|Mar\\.|Apr\\.|Jun\\.|Jul\\.|Aug\\.|Sep\\.|Sept\\.|Oct\\.|Nov\\.|Dec\\."
)
_YEAR = r"(?:1[0-9]{3}|20[0-9]{2})s?"
_TIME_RE = _lazy(
    rf"\b(?:(?:early |mid-|late )?(?:{_MONTHS})(?: \d{{1,2}}(?:st|nd|rd|th)?(?!\d),?)?(?: (?:of )?{_YEAR})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)? (?:of )?(?:{_MONTHS})(?: {_YEAR})?"
    rf"|(?:the )?(?:early |mid-|late )?{_YEAR}"
    rf"|\d{{1,2}}(?:st|nd|rd|th) century|(?:the )?(?:[A-Z][a-z]+ )?(?:century|decade)"
    # Eras and spans of years: "11,600 BP", "~74,000 years ago", "500 BC", "AD 300".
    r"|~?\d[\d,.]*(?:\s?(?:–|-|to)\s?~?\d[\d,.]*)?\s"
    r"(?:years?\s(?:ago|before present)|yr\s)?(?:BC|BCE|AD|CE|BP)\b"
    r"|~?\d[\d,.]*\s(?:million\s)?years\sago|AD\s\d+"
    # Times of day: "6:30", "23:10", "7 p.m.", "noon".
    r"|\d{1,2}:\d{2}(?:\s?[ap]\.?m\.?)?|\d{1,2}\s?[ap]\.?m\.?|noon|midnight|dawn|dusk)"
)
_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty"
    "|hundred|thousand|million|billion|dozen|dozens|hundreds|thousands|millions|half|several"
)
_NUMBER_RE = _lazy(
    rf"(?:[$€£]\s?)?\b(?:\d+(?:[.,]\d+)*|(?:{_NUMBER_WORDS})(?:[- ](?:{_NUMBER_WORDS}))*)"
    r"(?:\s?(?:%|percent|per cent|km|mi|m|kilometres|kilometers|miles|metres|meters|feet|ft|kg|tonnes|tons"
    r"|people|years|days|hours|million|billion|thousand|hundred|euros?|dollars?|pounds?|cents?)\b)?",
    re.IGNORECASE,
)
_TITLE = r"(?:[A-Z][a-z]{0,4}\.\s)"
_NAME_WORD = r"(?:[A-Z][\w'’]*(?:-[A-Z][\w'’]*)?)"
_NAME_RE = _lazy(rf"(?:{_TITLE}){{0,3}}{_NAME_WORD}(?:\s(?:(?:de|van|von|der|al|bin|la|le)\s)?{_NAME_WORD})+")
# A name of anything: a quoted term, or capitalised words (not the sentence's first word).
_ANY_NAME_RE = _lazy(rf"[\"“]([^\"”]{{1,40}})[\"”]|({_NAME_WORD}(?:\s{_NAME_WORD})*)")
_PLACE_RE = _lazy(
    r"\b(?:in|at|from|to|near|into|across|through|between|along|on|past|via|towards?|and"
    r"|(?:north|south|east|west)(?:ern)?\s(?:of|part\sof))"
    rf"\s((?:the\s)?{_NAME_WORD}(?:\s(?:(?:am|an|de|den|der|di|la|le|of|on|upon)\s)?{_NAME_WORD})*)"
)

_QUESTION_TYPES = {
    "who": PERSON,
    "whom": PERSON,
    "whose": PERSON,
    "when": TIME,
    "where": PLACE,
}
_WHAT_NOUNS = {
    "year": TIME,
    "date": TIME,
    "month": TIME,
    "century": TIME,
    "decade": TIME,
    "day": TIME,
    "city": PLACE,
    "country": PLACE,
    "town": PLACE,
    "place": PLACE,
    "region": PLACE,
    "river": NAME,
    "lake": NAME,
    "sea": NAME,
    "mountain": NAME,
    "island": NAME,
    "state": NAME,
    "province": NAME,
    "organisation": NAME,
    "organization": NAME,
    "company": NAME,
    "language": NAME,
    "percentage": NUMBER,
    "percent": NUMBER,
    "number": NUMBER,
    "amount": NUMBER,
}
_HOW_WORDS = {"many", "much", "long", "far", "big", "large", "high", "tall", "old", "deep", "wide", "often"}


# "who is the chair" asks for a person; "who is Maria Fonseca" asks what she is.
_DETERMINERS = frozenset("the a an his her its their this that these those our your my in of".split())


def expected_type(tokens: Iterable[Token]) -> str | None:
    """The kind of answer a question asks for, or None when it is not a factoid question."""
    words = [t.folded for t in tokens]
    if words[:2] in (["who", "is"], ["who", "was"], ["who", "are"], ["who", "were"]):
        if len(words) > 2 and words[2] not in _DETERMINERS:
            return None  # "who is Maria Fonseca": a description, not a name
    for i, word in enumerate(words[:6]):
        following = words[i + 1] if i + 1 < len(words) else ""
        if word in _QUESTION_TYPES:
            return _QUESTION_TYPES[word]
        if word == "how" and following in _HOW_WORDS:
            return NUMBER
        if word in ("what", "which", "in") and following in _WHAT_NOUNS:
            return _WHAT_NOUNS[following]
    if words[:1] == ["what"] and ("called" in words or "name" in words):
        return NAME  # "What is X called?", "What is the name of X?"
    return None


def candidate_spans(text: str, kind: str) -> list[tuple[int, int]]:
    """Character spans in `text` that have the shape of a `kind` answer."""
    if kind == TIME:
        return [m.span() for m in _TIME_RE().finditer(text)]
    if kind == NUMBER:
        return [m.span() for m in _NUMBER_RE().finditer(text) if m.group().strip()]
    if kind == PLACE:
        return [m.span(1) for m in _PLACE_RE().finditer(text)]
    if kind == PERSON:
        return [m.span() for m in _NAME_RE().finditer(text) if not _starts_sentence(text, m.start())]
    if kind == NAME:
        return [m.span(m.lastindex or 0) for m in _ANY_NAME_RE().finditer(text) if m.start() > 0]
    return []


def _starts_sentence(text: str, start: int) -> bool:
    # "The NMI" at a sentence start is a capitalised article, not a name.
    return start == 0 and text[: text.find(" ")].lower() in {"the", "a", "an", "this", "during", "in"}


def best_span(
    text: str, kind: str | None, question_words: set[str], anchors: list[int]
) -> tuple[int, int] | None:
    """The candidate span most likely to answer: not made of the question's words, near its matches."""
    if kind is None:
        return None
    best: tuple[float, tuple[int, int]] | None = None
    for start, end in candidate_spans(text, kind):
        span_words = {w.casefold() for w in re.findall(r"\w+", text[start:end])} - STOPWORDS
        if span_words & question_words:
            continue  # the question's own subject is not its answer
        distance = min((abs(a - start) for a in anchors), default=0)
        if best is None or distance < best[0]:
            best = (distance, (start, end))
    return None if best is None else best[1]
