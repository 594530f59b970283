"""Why the bot declined, in words a person can act on."""

from __future__ import annotations

from collections.abc import Sequence

from askbot.answering.cues import KIND_NOUNS
from askbot.answering.evidence import split_words
from askbot.answering.query import Query, QueryTerm
from askbot.index.collection import Index

_MAX_WORDS = 6


def decline_reason(
    query: Query, index: Index, best: int, confidence: float, kind_missing: str | None = None
) -> str:
    """The reason for declining, most telling first.

    Names the knowledge never mentions; else the subject it mentions without the kind of answer asked
    for (`kind_missing`: "the knowledge mentions "Rutte", but gives no age") or without what was asked
    ("… but not "old""); else the words it lacks; else the confidence.
    """
    words = split_words(query, index)
    missing_names = [t.word for t in words.names if not t.found]
    if missing_names:
        return f"the knowledge doesn't mention {_quoted(missing_names)}"
    paragraph = int(index.paragraph_of[best])
    # Names as the knowledge writes them: "rutte" is asked about, "Rutte" is what it mentions.
    held = [index.words.get(t.spelled, t.word) for t in words.names if _near(t, index, best, paragraph)]
    if held and kind_missing is not None:
        return f"the knowledge mentions {_quoted(held, 'and')}, but gives no {KIND_NOUNS[kind_missing]}"
    absent = [t for t in words.asked if not _near(t, index, best, paragraph)]
    if held and absent:
        unknown = [t.word for t in absent if not t.found]
        if unknown:
            return f"the knowledge mentions {_quoted(held, 'and')}, but not {_quoted(unknown)}"
        return f"the passages about {_quoted(held, 'and')} don't mention {_quoted([t.word for t in absent])}"
    missing = [t.word for t in words.asked if not t.found]
    if missing:
        return f"the knowledge doesn't mention {_quoted(missing)}"
    return f"no passage clearly answers it (the best has a {round(100 * confidence)}% chance)"


def missing_reason(missing: Sequence[str]) -> str:
    """The reason for declining a question none of whose words the knowledge holds."""
    return f"the knowledge doesn't mention {_quoted(missing)}" if missing else "none of its words are in it"


def _near(t: QueryTerm, index: Index, passage: int, paragraph: int) -> bool:
    return t.found and (index.sentences.holds(t.term, passage) or index.paragraphs.holds(t.term, paragraph))


def _quoted(words: Sequence[str], conjunction: str = "or") -> str:
    shown = [f'"{w}"' for w in dict.fromkeys(words)][:_MAX_WORDS]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + f" {conjunction} " + shown[-1]
