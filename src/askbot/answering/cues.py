"""Answer-type cues: what kind of answer a question wants, and where such an answer sits in a passage.

who -> a person's name, when -> a date, how many -> a number, where -> a place; how old -> an age,
how long -> a length of time or distance, how far -> a distance, how often -> a frequency, how much
… cost -> a sum of money; a question about a version, a phone number or an address wants one.
The patterns are about the shape of English text (capitalised names, years, numbers and their units,
web and street addresses), not about any particular knowledge.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable

from askbot.analysis.text import STOPWORDS, Token

PERSON, TIME, NUMBER, PLACE, NAME = "person", "time", "number", "place", "name"
AGE, DURATION, DISTANCE = "age", "length of time or distance", "distance"
FREQUENCY, MONEY, SIZE = "frequency", "sum of money", "measurement"
VERSION, PHONE, ADDRESS = "version number", "phone number", "address"
# Kinds told only by capitals, which most sentences near a subject hold, right or wrong; the others
# have a shape of their own (a date, a number with its unit, an address).
NAMED_KINDS = frozenset((PERSON, PLACE, NAME))
# Each kind as a noun, for saying what a passage lacks ("gives no age") or what is looked for.
KIND_NOUNS = {
    PERSON: "person's name",
    TIME: "date or time",
    NUMBER: "number",
    PLACE: "place",
    NAME: "name",
    AGE: "age",
    DURATION: "length of time or distance",
    DISTANCE: "distance",
    FREQUENCY: "frequency",
    MONEY: "sum of money",
    SIZE: "measurement",
    VERSION: "version number",
    PHONE: "phone number",
    ADDRESS: "address",
}


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
    r"|\d{1,2}:\d{2}(?:\s?[ap]\.?m\.?)?|\d{1,2}\s?[ap]\.?m\.?|noon|midnight|dawn|dusk"
    # Days of the week: "on Tuesday and Thursday afternoons", "at weekends".
    r"|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)days?(?:\s(?:morning|afternoon|evening|night)s?)?"
    r"|weekends?|weekdays?)"
)
_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty"
    "|hundred|thousand|million|billion|dozen|dozens|hundreds|thousands|millions|half|several"
)
# A number as a figure or in words ("84", "1,900", "twenty-five").
_QUANTITY = rf"(?:\b(?:\d+(?:[.,]\d+)*|(?:{_NUMBER_WORDS})(?:[- ](?:{_NUMBER_WORDS}))*))"
_NUMBER_RE = _lazy(
    rf"(?:[$€£]\s?)?{_QUANTITY}"
    r"(?:\s?(?:%|percent|per cent|km|mi|m|kilometres|kilometers|miles|metres|meters|feet|ft|kg|tonnes|tons"
    r"|people|years|days|hours|million|billion|thousand|hundred|euros?|dollars?|pounds?|cents?)\b)?",
    re.IGNORECASE,
)
# Units the finer kinds need.
_TIME_UNITS = r"(?:second|minute|hour|day|night|week|fortnight|month|year|decade|century|centuries)s?"
_LENGTH_UNITS = (
    r"(?:km|kilomet(?:re|er)s?|mi|miles?|m|met(?:re|er)s?|cm|mm|ft|feet|foot|inch(?:es)?|yards?"
    r"|nautical miles?|light[- ]years?)"
)
_AGE_RE = _lazy(
    rf"\baged? (?:of )?\d+|{_QUANTITY}[- ]years?[- ]old\b"
    rf"|\bborn (?:in |on )?[^,;.()]*\d{{4}}"
    # A life's span: "(14 June 1903 – 2 November 1987)".
    r"|\(\s*(?:b\. )?[^()]*?\d{4}\s*(?:–|-|—|to)\s*[^()]*?\d{4}\s*\)",
    re.IGNORECASE,
)
_DURATION_RE = _lazy(
    rf"(?:{_QUANTITY}|\ban?)(?:\s|-)(?:(?:more |full |long |whole )?{_TIME_UNITS}|{_LENGTH_UNITS})\b"
    rf"|\b(?:from|between) [^,;.]{{1,30}}? (?:to|until|and) |\buntil\b|\bsince\b",
    re.IGNORECASE,
)
_DISTANCE_RE = _lazy(rf"{_QUANTITY}(?:\s|-)?{_LENGTH_UNITS}\b", re.IGNORECASE)
_SIZE_UNITS = (
    rf"(?:{_LENGTH_UNITS}|(?:square |sq\.? |cubic )\w+|km2|km²|m2|m²|hectares?|ha|acres?|litres?|liters?"
    r"|gallons?|tonnes?|tons?|kg|kilo(?:gram)?s?|grams?|g|lbs?|pounds|ounces?|oz|storeys?|stories|floors"
    r"|[kmgt]b|[kmgt]ib|bytes?|megabytes?|gigabytes?"
    # temperatures and speeds: "30C", "30 °C", "86 degrees Fahrenheit", "70mph", "30 knots"
    r"|°\s?[CF]|[CF](?=\W|$)|degrees?(?:\s(?:Celsius|Fahrenheit|centigrade))?|mph|kph|km/h|knots)"
)
_SIZE_RE = _lazy(rf"{_QUANTITY}(?:\s|-)?{_SIZE_UNITS}\b", re.IGNORECASE)
# "3.9", "v2.1.0", "version 2": numbers with a point or a v, or after the word version.
_VERSION_RE = _lazy(r"\bv?\d+(?:\.\d+)+[a-z0-9]*\b|\bv\d+\b|\bversion \d+\b", re.IGNORECASE)
# Seven digits or more, in groups: "+44 20 7946 0958", "(555) 010-4477", "0800 123 456".
_PHONE_RE = _lazy(r"(?<![\w.])\+?\(?\d[\d ()-]{5,}\d(?!\w|\.\d)")
_ADDRESS_RE = _lazy(
    r"\b(?:https?://|www\.)[^\s,;]+[^\s,;.]"  # a web address
    r"|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"  # an email address
    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|io|dev|edu|gov|info|co\.uk|org\.uk|ac\.uk)\b(?:/[^\s,;]*)?"
    r"|\b[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}\b"  # a British postcode
    r"|\b\d+[A-Za-z]?,? (?:[A-Z][a-z]+ )+(?:Street|St|Road|Rd|Lane|Avenue|Ave|Way|Place|Square|Drive|Row"
    r"|Court|Terrace|Crescent|Hill|Quay|Parade|Close|Gardens|Boulevard|Blvd)\b"  # a street address
)
_FREQUENCY_RE = _lazy(
    rf"\b(?:every|each|per|a) (?:(?:other|{_NUMBER_WORDS}|\d+) )?{_TIME_UNITS}\b|\bonce\b|\btwice\b"
    r"|\b\w+ times\b|\b(?:daily|weekly|fortnightly|monthly|quarterly|yearly|annually|hourly|always|never"
    r"|rarely|seldom|often|usually|sometimes|regularly)\b",
    re.IGNORECASE,
)
_MONEY_RE = _lazy(
    r"[$€£¥]\s?\d[\d,.]*(?:\s?(?:million|billion|bn|m|k)\b)?"
    rf"|{_QUANTITY}\s?(?:million |billion )?"
    r"(?:p|pence|cents?|dollars?|euros?|pounds?|yen|francs?|USD|EUR|GBP)\b"
    # "how much did costs drop": a change in an amount, as a share.
    r"|\d[\d,.]*\s?(?:%|percent\b|per cent\b)|\bfree\b",
    re.IGNORECASE,
)
_COST_WORDS = frozenset(
    "cost costs price priced pay paid charge charged fee fees spend spent worth sell sold".split()
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
    "population": NUMBER,
    "age": AGE,
    "price": MONEY,
    "cost": MONEY,
    "fee": MONEY,
    "revenue": MONEY,
    "turnover": MONEY,
    "profit": MONEY,
    "budget": MONEY,
    "salary": MONEY,
    "income": MONEY,
    "proportion": NUMBER,
    "fraction": NUMBER,
    "ratio": NUMBER,
    "height": SIZE,
    "weight": SIZE,
    "width": SIZE,
    "depth": SIZE,
    "temperature": SIZE,
    "speed": SIZE,
    "distance": DISTANCE,
    "duration": DURATION,
    "version": VERSION,
    "versions": VERSION,
    "address": ADDRESS,
    "postcode": ADDRESS,
    "email": ADDRESS,
    "website": ADDRESS,
    "url": ADDRESS,
}
# "the customer service phone number": a phone number wherever the question says so ("what phone"
# alone may ask for a model), unless it asks yes or no.
_PHONE_WORDS = frozenset(("phone", "telephone"))
_TIME_UNIT_WORDS = frozenset("seconds minutes hours days nights weeks months years decades centuries".split())
_LENGTH_UNIT_WORDS = frozenset("km kilometres kilometers miles metres meters feet yards".split())
_HOW_WORDS = {
    "many",
    "much",
    "long",
    "far",
    "big",
    "large",
    "high",
    "tall",
    "old",
    "deep",
    "wide",
    "often",
    "heavy",
}
_HOW_KINDS = {"old": AGE, "long": DURATION, "far": DISTANCE, "often": FREQUENCY}
# "how big" is as often a count or a sum ("how big is the dividend") as a measure: any number.
_HOW_KINDS.update(dict.fromkeys(("tall", "high", "deep", "wide", "heavy"), SIZE))
# "how much does it weigh", "how much ram does it need": a measurement, not any amount.
_SIZE_WORDS = frozenset("weigh weighs weighed weight ram memory space disk storage".split())


# A question that opens with one of these asks yes or no ("is there a phone number").
_YES_NO = frozenset("is are was were do does did can could will would should has have".split())
_QUESTION_WORDS = frozenset("what which who whom whose when where why how whats".split())

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
            return _how_kind(following, words[i + 2 : i + 3], words)
        if word in ("what", "which", "in") and following in _WHAT_NOUNS:
            return _WHAT_NOUNS[following]
    if _PHONE_WORDS.intersection(words) and "number" in words and words[0] not in _YES_NO:
        return PHONE
    # "what is the population of …", "what's the cost of …", "whats the age of …"
    head = words[1:] if words[:1] in (["what"], ["whats"]) else []
    if head[:1] and head[0] in ("is", "was", "are", "were"):
        head = head[1:]
    if len(head) > 1 and head[0] in _DETERMINERS and head[1] in _WHAT_NOUNS:
        return _WHAT_NOUNS[head[1]]
    if words[:1] == ["what"] and ("called" in words or "name" in words):
        return NAME  # "What is X called?", "What is the name of X?"
    if words[:1] == ["what"] and words[1:2] in (["did"], ["does"], ["do"]) and {"cost", "costs"} & set(words):
        return MONEY  # "what did one cost in the 1840s"
    if (
        words
        and words[-1] in _WHAT_NOUNS
        and not _QUESTION_WORDS.intersection(words)
        and words[0] not in _YES_NO
    ):
        return _WHAT_NOUNS[words[-1]]  # typed as keywords: "dunmore birth year", "membership price"
    return None


def _how_kind(how: str, following: list[str], words: list[str]) -> str:
    """The kind of answer a "how <word>" question asks for: "how old" an age, "how many years" a length
    of time, "how much … cost" a sum of money, else a number."""
    if how == "much" and _COST_WORDS.intersection(words):
        return MONEY
    if how == "much" and _SIZE_WORDS.intersection(words):
        return SIZE
    if how == "many" and following and following[0] in _TIME_UNIT_WORDS:
        return DURATION
    if how == "many" and following and following[0] in _LENGTH_UNIT_WORDS:
        return DISTANCE
    return _HOW_KINDS.get(how, NUMBER)


def candidate_spans(text: str, kind: str) -> list[tuple[int, int]]:
    """Character spans in `text` that have the shape of a `kind` answer."""
    if kind == TIME:
        return [m.span() for m in _TIME_RE().finditer(text)]
    if kind in _MEASURES:
        return [m.span() for m in _MEASURES[kind]().finditer(text)]
    if kind == NUMBER:
        # A year on its own ("in 2009") is a date, not an amount.
        return [
            m.span()
            for m in _NUMBER_RE().finditer(text)
            if m.group().strip() and not _YEAR_ONLY.match(m.group())
        ]
    if kind == PLACE:
        return [m.span(1) for m in _PLACE_RE().finditer(text)]
    if kind == PERSON:
        return [m.span() for m in _NAME_RE().finditer(text) if not _starts_sentence(text, m.start())]
    if kind == NAME:
        return [m.span(m.lastindex or 0) for m in _ANY_NAME_RE().finditer(text) if m.start() > 0]
    return []


_MEASURES = {
    AGE: _AGE_RE,
    DURATION: _DURATION_RE,
    DISTANCE: _DISTANCE_RE,
    FREQUENCY: _FREQUENCY_RE,
    MONEY: _MONEY_RE,
    SIZE: _SIZE_RE,
    VERSION: _VERSION_RE,
    PHONE: _PHONE_RE,
    ADDRESS: _ADDRESS_RE,
}
_YEAR_ONLY = re.compile(rf"{_YEAR}$")


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
        if kind in _MEASURES:  # "aged 57" answers "how old" though "aged" stands in for "old"
            span_words = {w for w in span_words if any(c.isdigit() for c in w)}
        if span_words & question_words:
            continue  # the question's own subject is not its answer
        distance = min((abs(a - start) for a in anchors), default=0)
        if best is None or distance < best[0]:
            best = (distance, (start, end))
    return None if best is None else best[1]
