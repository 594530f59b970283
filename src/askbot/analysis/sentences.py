"""Paragraphs and sentences: where a text's passages start and end.

Sentences come from blingfire's finite-state segmenter, which keeps abbreviations ("Lt. Gen.",
"U.S.", "News.Az"), decimals and quotations inside their sentences and splits a megabyte of prose
in a fraction of a second.  Everything returns character spans into the text it was given.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_BLANK_LINE_RE = re.compile(r"\n[ \t\r\f\v]*\n")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
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


def sentences(text: str) -> list[Span]:
    """Spans of the sentences of one paragraph."""
    if not text.strip():
        return []
    # Control characters (NUL above all) end blingfire's C strings early; spaces keep the offsets.
    clean = _CONTROL_RE.sub(" ", text).replace("\n", " ")
    offsets: list[Span] = []
    for start, end in _chunks(clean):
        offsets += [(start + a, start + b) for a, b in _blingfire_spans(clean[start:end])]
    spans: list[Span] = []
    open_quote, merged = False, 0
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
        open_quote = _quote_left_open(text[spans[-1][0] : spans[-1][1]])
    spans = spans or [s for s in [_trim(text, 0, len(text))] if s]
    return [piece for span in spans for piece in _cut_long(text, span)]


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
    """Cut a huge paragraph (a one-line file) into pieces blingfire handles in bounded memory."""
    start = 0
    while len(text) - start > _MAX_CHUNK:
        cut = text.rfind(". ", start, start + _MAX_CHUNK) + 1 or text.rfind(" ", start, start + _MAX_CHUNK)
        if cut <= start:
            cut = start + _MAX_CHUNK
        yield start, cut
        start = cut
    yield start, len(text)


def _blingfire_spans(text: str) -> list[Span]:
    """Sentence spans from blingfire's C library, mapped from UTF-8 bytes to characters with numpy.

    blingfire's own `text_to_sentences_and_offsets` maps offsets with a Python loop over every
    byte, which dominates the cost of indexing large folders; this calls the same C function.
    """
    from ctypes import byref, c_char_p, c_int, c_int32, create_string_buffer

    import blingfire  # imported here: answering from a cached index never segments
    import numpy as np

    data = text.encode("utf-8", "surrogatepass")
    size = len(data) * 2 + 16
    out = create_string_buffer(size)
    starts, ends = (c_int32 * size)(), (c_int32 * size)()
    length = blingfire.blingfire.TextToSentencesWithOffsets(
        c_char_p(data), c_int(len(data)), byref(out), byref(starts), byref(ends), c_int(size)
    )
    if length <= 0 or length > size:
        return [(0, len(text))]
    count = out.raw[:length].count(b"\n") + 1
    first = np.frombuffer(memoryview(starts), dtype=np.int32, count=count)
    last = np.frombuffer(memoryview(ends), dtype=np.int32, count=count)  # inclusive
    if len(data) == len(text):  # ASCII: bytes are characters
        return list(zip(first.tolist(), (last + 1).tolist(), strict=True))
    lead = (np.frombuffer(data, dtype=np.uint8) & 0xC0) != 0x80
    char_at = np.cumsum(lead) - 1
    return list(zip(char_at[first].tolist(), (char_at[last] + 1).tolist(), strict=True))


def _quote_left_open(sentence: str) -> bool:
    if sentence.count("\u201c") > sentence.count("\u201d"):
        return True
    return sentence.count('"') % 2 == 1
