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
    """Empty and whitespace-only text gives no sentence."""
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


def split_in(text: str, language: str) -> list[str]:
    return [text[a:b] for a, b in sentences(text, language)]


def test_a_reference_after_a_full_stop_stays_in_its_sentence() -> None:
    """A full stop with no space after it ends no sentence: ".[note 7] The" and "News.Az" go on."""
    text = "It was shortened in the 20th century.[note 7] The total length is 1,232 km. Next one."
    assert split(text) == [text[: text.index(" Next")], "Next one."]


def test_closing_marks_stay_with_their_sentence() -> None:
    """Quotation marks and brackets after a full stop close the sentence before them."""
    text = 'He said, "due to the violation of rights." The world forgets. (See the map.) Done.'
    assert split(text) == [
        'He said, "due to the violation of rights."',
        "The world forgets.",
        "(See the map.)",
        "Done.",
    ]


def test_a_stray_quotation_mark_does_not_swallow_the_paragraph() -> None:
    """A mismatched quote (‘abstained') holds back at most a few sentence ends, not all that follow."""
    text = "It ‘persistently abstained' from acting. " + " ".join(f"Sentence {n} ends." for n in range(8))
    assert len(split(text)) >= 6


def test_seconds_of_arc_do_not_open_a_quotation() -> None:
    """A double quote after a digit (58.23") is a unit, so the next sentence is not merged into it."""
    assert split('It lies at 35° 47′ 28″ and 58.23" north. Then it ends.')[-1] == "Then it ends."


def test_the_language_decides_its_abbreviations() -> None:
    """German "z. B." and "Nr." end no sentence when the text is split as German."""
    text = "Es gibt z. B. die Nr. 5 im Angebot. Danach kommt nichts."
    assert split_in(text, "de") == ["Es gibt z. B. die Nr. 5 im Angebot.", "Danach kommt nichts."]


def test_cjk_sentences_end_at_their_full_stops() -> None:
    """Chinese and Japanese sentence marks end a sentence with no space after them."""
    assert split_in("北京是中国的首都。上海很大！你好吗？", "zh") == [
        "北京是中国的首都。",
        "上海很大！",
        "你好吗？",
    ]
    assert split_in("日本語の文です。次の文です。", "ja") == ["日本語の文です。", "次の文です。"]


def test_a_lone_lower_case_letter_can_end_an_english_sentence() -> None:
    """ "of size n. If" ends a sentence in English, where initials ("J. A. Hobson") are capitals."""
    assert split("The time grows with size n. If it is small, fine.") == [
        "The time grows with size n.",
        "If it is small, fine.",
    ]
    assert len(split("The writer J. A. Hobson said so. Then he left.")) == 2


@pytest.mark.parametrize("space", ["\u00a0", "\u2009", "\u202f"])
def test_a_no_break_or_thin_space_before_a_full_stop_is_a_space(space: str) -> None:
    """ "Plan B\u00a0." is cut like "Plan B ." (sentencex panics inside such a space), offsets kept."""
    text = f"We chose plan B{space}. Then we left."
    spans = sentences(text)
    assert [text[a:b] for a, b in spans] == [f"We chose plan B{space}.", "Then we left."]


def test_a_panic_in_the_segmenter_leaves_the_paragraph_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """Should sentencex panic on some other text, the paragraph stays one passage instead of a crash."""
    import sentencex

    class PanicException(BaseException):  # what pyo3 raises for a panic in Rust code
        pass

    def panic(language: str, text: str) -> list[dict[str, int]]:
        raise PanicException("byte index is not a char boundary")

    monkeypatch.setattr(sentencex, "get_sentence_boundaries", panic)
    text = "One sentence here. Another one there."
    assert [text[a:b] for a, b in sentences(text)] == [text]
