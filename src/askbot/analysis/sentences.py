"""Paragraphs and sentences: where a text's passages start and end.

Sentences come from sentencex (Wikimedia's segmenter, in Rust, with the abbreviations of some 300
languages), which keeps "Lt. Gen.", "U.S.", decimals and quotations inside their sentences and
splits a megabyte of prose in a fraction of a second; a dot with no space after it ("News.Az")
ends no sentence.  Everything returns character spans into the text it was given.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_BLANK_LINE_RE = re.compile(r"\n[ \t\r\f\v]*\n")
# Control characters, and every space but the plain one (no-break and thin spaces included: sentencex
# 1.0.32 panics on "Plan B\u00a0." as it cuts inside the character).
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]|[^\S ]")
# A block with a line this long was written one paragraph per line, not hard-wrapped.
_WRAP_WIDTH = 100

# A stray quotation mark must not swallow a paragraph: a quotation spans at most this many sentences.
_MAX_QUOTED_SENTENCES = 4

# Paragraphs longer than this are segmented in pieces cut at a sentence end or a space.
_MAX_CHUNK = 100_000
# Longer "sentences" are cut at spaces: an answer is read on a screen.
_MAX_SENTENCE = 1_000

Span = tuple[int, int]


def paragraphs(text: str) -> Iterator[Span]:
    """Spans of the paragraphs: blocks between blank lines, or single lines in unwrapped blocks."""
    start = 0
    for match in _BLANK_LINE_RE.finditer(text):
        yield from _block_paragraphs(text, start, match.start())
        start = match.end()
    yield from _block_paragraphs(text, start, len(text))


def _block_paragraphs(text: str, start: int, end: int) -> Iterator[Span]:
    block = text[start:end]
    lines = block.split("\n")
    if max(len(line) for line in lines) <= _WRAP_WIDTH:
        spans = [(start, end)]
    else:
        spans = []
        offset = start
        for line in lines:
            spans.append((offset, offset + len(line)))
            offset += len(line) + 1
    for a, b in spans:
        trimmed = _trim(text, a, b)
        if trimmed:
            yield trimmed


def _trim(text: str, start: int, end: int) -> Span | None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return None
    lead = len(chunk) - len(chunk.lstrip())
    return start + lead, start + lead + len(stripped)


def sentences(text: str, language: str = "en") -> list[Span]:
    """Spans of the sentences of one paragraph, by the rules of its language (an ISO 639-1 code)."""
    if not text.strip():
        return []
    # Control characters, line breaks and other spaces are plain spaces to the segmenter, one for one,
    # so offsets are kept.
    clean = _CONTROL_RE.sub(" ", text)
    offsets: list[Span] = []
    for start, end in _chunks(clean):
        offsets += [(start + a, start + b) for a, b in _sentencex_spans(clean[start:end], language)]
    spans: list[Span] = []
    open_quote, merged = False, 0
    quoted = "\u201c" in text or '"' in text  # else no sentence leaves a quotation open
    long = len(text) > _MAX_SENTENCE
    for a, b in offsets:
        trimmed = _trim(text, a, b)
        if not trimmed:
            continue
        if open_quote and spans and merged < _MAX_QUOTED_SENTENCES:
            spans[-1] = (spans[-1][0], trimmed[1])  # a quotation goes on: keep it in one sentence
            merged += 1
        else:
            spans.append(trimmed)
            merged = 0
        open_quote = quoted and _quote_left_open(text[spans[-1][0] : spans[-1][1]])
    spans = spans or [s for s in [_trim(text, 0, len(text))] if s]
    # The spans are trimmed already: only a long one has anything to cut.
    return [piece for span in spans for piece in _cut_long(text, span)] if long else spans


def _cut_long(text: str, span: Span) -> Iterator[Span]:
    """A "sentence" of unpunctuated text (a log, a table) cut at spaces into readable passages."""
    start, end = span
    while end - start > _MAX_SENTENCE:
        cut = text.rfind(" ", start + 1, start + _MAX_SENTENCE)
        if cut <= start:
            cut = start + _MAX_SENTENCE
        piece = _trim(text, start, cut)
        if piece:
            yield piece
        start = cut
    piece = _trim(text, start, end)
    if piece:
        yield piece


def _chunks(text: str) -> Iterator[Span]:
    """Cut a huge paragraph (a one-line file) into pieces the segmenter handles in bounded memory."""
    start = 0
    while len(text) - start > _MAX_CHUNK:
        cut = text.rfind(". ", start, start + _MAX_CHUNK) + 1 or text.rfind(" ", start, start + _MAX_CHUNK)
        if cut <= start:
            cut = start + _MAX_CHUNK
        yield start, cut
        start = cut
    yield start, len(text)


# Quotation marks and brackets, hidden from the segmenter: it holds back every boundary inside a
# quotation or parenthesis it believes open, and one stray or mismatched mark ("‘abstained'") then
# swallows the rest of the paragraph.  Quotations are kept whole below, a few sentences at most.
# An opening mark becomes a space (so "(c. 1455" keeps its abbreviation), a closing one a hyphen
# (so "(in this case "no")." still ends with a full stop after a word).
_OPENING = "“‘«„‟‹「『(（["
_CLOSING = "”’»›」』)）]"
_STRAIGHT = "\"'"
# A straight mark opens at the start, or after a space, an opening bracket or a dash.
_BEFORE_OPENING = "([{—–-"
_OPENING_RE = re.compile("[" + re.escape(_OPENING) + "]")
_CLOSING_RE = re.compile("[" + re.escape(_CLOSING + _STRAIGHT) + "]")
_MARKS_RE = re.compile("[" + re.escape(_OPENING + _CLOSING + _STRAIGHT) + "]")
_STRAIGHT_RE = re.compile("[" + re.escape(_STRAIGHT) + "]")


def _hidden(text: str) -> str:
    """The text with its quotation marks and brackets hidden, character for character.

    Plain character classes only (a pattern judging straight marks by what precedes them, tried at
    every character, took most of the time of cutting a file into sentences); straight marks are
    few and judged one by one.
    """
    if not _MARKS_RE.search(text):
        return text
    if '"' in text or "'" in text:
        text = _STRAIGHT_RE.sub(_straight_opening, text)
    return _CLOSING_RE.sub("-", _OPENING_RE.sub(" ", text))


def _straight_opening(match: re.Match[str]) -> str:
    """An opening straight mark as a space; any other left as it is (`_CLOSING_RE` hides it)."""
    at, text = match.start(), match.string
    return " " if at == 0 or text[at - 1].isspace() or text[at - 1] in _BEFORE_OPENING else match.group()


# What may close a sentence after its full stop: quotation marks, brackets, a citation's page.
_ENDS = ".?!。！？…"


def _sentencex_spans(text: str, language: str) -> list[Span]:
    """Sentence spans from sentencex, each ending after what closes it; none where a full stop has a
    letter or digit right after it ("News.Az")."""
    import sentencex  # imported here: answering from a cached index never segments

    spans: list[Span] = []
    hidden = _hidden(text)
    try:
        boundaries = sentencex.get_sentence_boundaries(language, hidden)
    except BaseException as error:  # a panic in its Rust code is a BaseException, not an Exception
        if type(error).__name__ != "PanicException":
            raise
        return [(0, len(text))]  # one passage rather than a crash: the text is still searchable
    for found in boundaries:
        # Each sentence starts where the last ended (spaces are trimmed later): an opening mark
        # hidden as a space belongs to the sentence after it.
        start, end = spans[-1][1] if spans else 0, found["end_index"]
        while end > start and hidden[end - 1].isspace():
            end -= 1
        if spans and _continues(text, spans[-1][1]):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
        spans[-1] = (spans[-1][0], _closed(text, spans[-1][1]))
    if language == "en" and _LETTER_END_HINT_RE.search(text):
        spans = [piece for span in spans for piece in _after_letters(text, span)]
    return [(a, b) for a, b in spans if a < b]


# A lone lower-case letter and a full stop before a capital ends an English sentence ("of size n. If",
# "to 396 m. It"): sentencex takes every such letter for an initial.
_LETTER_END_RE = re.compile(r"(?<=[\s(][a-uw-z])\.(?=\s+[A-Z])")
# What every such ending holds, found much faster (no lookaround): a text without it has none.
_LETTER_END_HINT_RE = re.compile(r"[\s(][a-uw-z]\.\s")


def _after_letters(text: str, span: Span) -> Iterator[Span]:
    start, end = span
    for match in _LETTER_END_RE.finditer(text, start, end):
        yield start, match.end()
        start = match.end()
    yield start, end


def _continues(text: str, boundary: int) -> bool:
    """Whether a full stop, question or exclamation mark before `boundary` has something other than a
    space or a closing mark right after it, and so ends no sentence ("News.Az", "3.5", ".[note 7] The");
    the marks of CJK need no space after them."""
    return (
        0 < boundary < len(text)
        and text[boundary - 1] in ".?!"
        and not text[boundary].isspace()
        and text[boundary] not in _CLOSING + _STRAIGHT
    )


def _closed(text: str, end: int) -> int:
    """The end of a sentence moved past the quotation marks and brackets that close it: `.”`, `.)`."""
    if 0 < end < len(text) and text[end - 1] in _ENDS:
        while end < len(text) and text[end] in _CLOSING + _STRAIGHT:
            end += 1
    return end


_UNIT_QUOTE_RE = re.compile(r"(?<=\d)[\"″]")  # 58.23" of arc, 12" of rain: not quotation marks


def _quote_left_open(sentence: str) -> bool:
    if sentence.count("\u201c") > sentence.count("\u201d"):
        return True
    return '"' in sentence and _UNIT_QUOTE_RE.sub("", sentence).count('"') % 2 == 1
