"""Paragraph and sentence boundaries."""

from __future__ import annotations

import pytest

from askbot.analysis.sentences import paragraphs, sentences


def split(text: str) -> list[str]:
    return [text[a:b] for a, b in sentences(text)]


@pytest.mark.parametrize(
    "sentence",
    [
        "The NMI is currently led by Lt. Gen. Lucas Schreurs from the Netherlands.",
        "Accompanied by U.S. Army General Christopher Cavoli, Rutte spoke, as reported by News.Az.",
        "He stated, “I congratulate our partners. It went well.”",
        "The rate rose by 3.5 percent in 2018.",
    ],
)
def test_abbreviations_quotes_and_decimals_stay_inside_sentences(sentence: str) -> None:
    """Titles, dotted acronyms, quotations and decimals do not end a sentence."""
    assert split(sentence + " Next one here.") == [sentence, "Next one here."]


def test_sentences_are_exact_spans_of_the_text() -> None:
    """Every sentence is the text exactly as written, curly quotes and all."""
    text = "Ünïcödé “quote.” Next   one!  Final?"
    assert split(text) == ["Ünïcödé “quote.”", "Next   one!", "Final?"]


def test_nul_and_control_characters_do_not_cut_text_short() -> None:
    """A NUL byte does not end the segmenter's input early."""
    assert split("One\x00 two. Three four.") == ["One\x00 two.", "Three four."]


def test_blank_text_has_no_sentences() -> None:
    """Empty and whitespace-only text gives no sentence (blingfire fails on empty input)."""
    assert sentences("") == sentences("  \n ") == []


def test_blank_lines_separate_paragraphs() -> None:
    """Hard-wrapped lines between blank lines form one paragraph."""
    text = "first line\nsecond line\n\nnext paragraph"
    assert [text[a:b] for a, b in paragraphs(text)] == ["first line\nsecond line", "next paragraph"]


def test_long_lines_are_paragraphs_of_their_own() -> None:
    """A block written one paragraph per line is split at each line."""
    long = "word " * 30
    text = f"{long}one.\n{long}two.\nshort"
    assert len(list(paragraphs(text))) == 3


def test_unpunctuated_text_is_cut_into_readable_passages() -> None:
    """A run of words with no sentence end is cut at spaces into passages of bounded length."""
    text = " ".join(f"word{i}" for i in range(2000))
    pieces = split(text)
    assert len(pieces) > 1 and all(len(p) <= 1000 for p in pieces)
    assert " ".join(pieces) == text
