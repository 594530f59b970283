"""Text analysis: folding, tokens, stopwords and lemma-stems."""

from __future__ import annotations

import pytest

from askbot.analysis.text import Analyzer, acronym_definitions, fold, tokenize


def terms(text: str) -> list[str]:
    return Analyzer().terms(text)


def test_fold_unifies_curly_apostrophes_case_and_accents() -> None:
    """Curly apostrophes, capitals and accents fold to plain lower-case text."""
    assert fold("NATO’s Café") == "nato's cafe"


def test_possessive_is_dropped_with_either_apostrophe() -> None:
    """ "NATO’s" and "NATO's" both give the term of "NATO"."""
    assert terms("NATO’s") == terms("NATO's") == terms("NATO")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("leads", "led"),
        ("leads", "lead"),
        ("launched", "launch"),
        ("met", "meeting"),
        ("countries", "country"),
    ],
)
def test_word_forms_meet(a: str, b: str) -> None:
    """Inflected and irregular forms of a word give the same term."""
    assert terms(a) == terms(b)


def test_dotted_and_plain_acronyms_meet_and_are_not_stopwords() -> None:
    """ "U.S." and "US" give one term, which the stopword "us" does not remove."""
    assert terms("U.S. Army") == terms("US army")
    assert terms("tell us") == []


def test_hyphenated_words_match_their_parts() -> None:
    """ "NATO-Iraq", "two-day" and "Al-Sudani" split into searchable parts."""
    assert terms("NATO-Iraq two-day Al-Sudani") == terms("NATO Iraq two day Al Sudani")


def test_numbers_keep_their_separators() -> None:
    """Decimals and thousands stay one token: 1,230 and 3.5."""
    assert [t.word for t in tokenize("1,230 km and 3.5 percent")] == ["1,230", "km", "and", "3.5", "percent"]


def test_stopwords_and_punctuation_give_no_terms() -> None:
    """A text of only stopwords and punctuation has nothing to search for."""
    assert terms("What is the ... of it?!") == []


def test_shouted_text_is_not_taken_for_acronyms() -> None:
    """In an all-capitals question, "WHO" is still the stopword who."""
    assert terms("WHO LEADS NMI?") == terms("who leads nmi?")


def test_tokens_keep_their_spans() -> None:
    """Each token knows where it stands in the original text."""
    text = "Rutte met Al-Sudani."
    assert [text[t.start : t.end] for t in tokenize(text)] == ["Rutte", "met", "Al", "Sudani"]


def test_acronym_definitions_are_learnt_from_initials() -> None:
    """ "NATO Mission in Iraq (NMI)" defines NMI as those words, skipping "in"."""
    found = dict(acronym_definitions("The NATO Mission in Iraq (NMI) began; the (PDF) came later."))
    assert found == {"nmi": ("nato", "mission", "iraq")}


def test_analyzer_uses_known_vocabulary_first() -> None:
    """A word the index already knows is given the index's term."""
    assert Analyzer({"led": "lead"}).term("led") == "lead"
