"""Answer types: what kind of answer a question asks for, and where such answers sit in a sentence."""

from __future__ import annotations

import pytest

from askbot.analysis.text import Analyzer
from askbot.answering.cues import (
    ADDRESS,
    AGE,
    DISTANCE,
    DURATION,
    FREQUENCY,
    MONEY,
    NUMBER,
    PERSON,
    PHONE,
    SIZE,
    TIME,
    VERSION,
    candidate_spans,
    expected_type,
)
from askbot.answering.engine import Engine, Settings
from askbot.index.build import index_text

ENGLISH = Analyzer(language="en")


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("how old is Rutte", AGE),
        ("how long did he stay in Baghdad", DURATION),
        ("how long is the rhine", DURATION),
        ("how far does an e-bike go on one charge", DISTANCE),
        ("how often is the fair held", FREQUENCY),
        ("how much does a yearly membership cost", MONEY),
        ("how much water does it hold", NUMBER),
        ("how many people live there", NUMBER),
        ("how big is the dividend", NUMBER),
        ("what did one cost in the 1840s", MONEY),
        ("dunmore birth year", TIME),
        ("who won in what year", PERSON),
        ("min python version", VERSION),
        ("what version of openpyxl is required", VERSION),
        ("whats the customer service phone number", PHONE),
        ("is there a phone number", None),  # yes or no
        ("which phone works with the app", None),  # a model of phone, not its number
        ("What is the address of the Portmouth office?", ADDRESS),
        ("What did the Kyoto Protocol try to address?", None),  # the verb
        ("what temperature does the fungus like", SIZE),
        ("what was the revenue in the first half", MONEY),
        ("fellside pretax profit", MONEY),
        ("what proportion of sales are own label", NUMBER),
    ],
)
def test_questions_ask_for_a_kind_of_answer(question: str, kind: str | None) -> None:
    """ "how old" asks for an age, "how long" for a length of time or distance, "how much … cost" for
    money, a plain "how many" or "how much" for any number; a version, a phone number or an address is
    asked for by name, and a yes-or-no question asks for no kind."""
    assert expected_type(ENGLISH.tokenize(question)) == kind


@pytest.mark.parametrize(
    ("kind", "text", "spans"),
    [
        (AGE, "She died at home, aged 84, after a short illness.", ["aged 84"]),
        (AGE, "Edith Carrow (1903 – 1987) was English.", ["(1903 – 1987)"]),
        (AGE, "Edith Carrow (14 June 1903 – 2 Nov 1987) was English.", ["(14 June 1903 – 2 Nov 1987)"]),
        (AGE, "The 57-year-old minister was born in 1967 in The Hague.", ["57-year-old", "born in 1967"]),
        (AGE, "Rutte visited Baghdad in 2024 with 3 advisers.", []),
        (DURATION, "Rutte spent two days in Baghdad.", ["two days"]),
        (DURATION, "The river is 1,230 km long.", ["1,230 km"]),
        (DISTANCE, "It has a range of about 50 kilometres.", ["50 kilometres"]),
        (DISTANCE, "I am here in 2024.", []),
        (FREQUENCY, "The fair is held every year in May.", ["every year"]),
        (MONEY, "Membership costs £90 a year, or 9 pounds a month.", ["£90", "9 pounds"]),
        (TIME, "The club meets on Tuesday and Thursday afternoons.", ["Tuesday", "Thursday afternoons"]),
        (NUMBER, "The landfill, closed in 2009, took 2,000 tonnes.", ["2,000 tonnes"]),
        (VERSION, "cronwatch needs Python 3.9 or newer, and v2 of the API.", ["3.9", "v2"]),
        (VERSION, "It was released in 2019 with 40 contributors.", []),
        (PHONE, "Call 0800 123 4567 or (555) 010-4477.", ["0800 123 4567", "(555) 010-4477"]),
        (PHONE, "In 2019 it had 1,200 bikes.", []),
        (
            ADDRESS,
            "Write to help@kestrel.io, see https://kestrel.io/forum, or visit 12 High Street, SW1A 1AA.",
            ["help@kestrel.io", "https://kestrel.io/forum", "12 High Street", "SW1A 1AA"],
        ),
        (ADDRESS, "The office is in Portsmouth, near the harbour.", []),
        (
            SIZE,
            "It grows best at about 30C, and at 86 degrees Fahrenheit stops.",
            ["30C", "86 degrees Fahrenheit"],
        ),
        (SIZE, "Trains run at 70mph, ferries at 30 knots, founded in 1990.", ["70mph", "30 knots"]),
    ],
)
def test_measures_are_found_by_their_units(kind: str, text: str, spans: list[str]) -> None:
    """An age, a duration, a distance, a frequency or a sum is a number with its unit, not any number."""
    assert [text[a:b] for a, b in candidate_spans(text, kind)] == spans


def test_a_sentence_with_the_kind_of_measure_asked_for_wins_and_is_trusted_more() -> None:
    """For "how old", the sentence giving an age beats one giving only a year, and the year alone is
    trusted less."""
    text = (
        "Mark Rutte visited Baghdad in 2024 to meet the mission.\n\n"
        "Rutte, aged 57, became Secretary General of the alliance.\n"
    )
    engine = Engine(index_text(text))
    answer = engine.ask("how old is rutte")
    assert answer.span == "aged 57"
    only_year = Engine(index_text(text.split("\n\n")[0])).ask("how old is rutte", min_confidence=0.0)
    assert only_year.evidence is not None and only_year.evidence.type_found == 0.0
    assert only_year.confidence < answer.confidence


@pytest.mark.parametrize(
    ("question", "text", "span"),
    [
        ("how tall is the tower", "The tower, built in 1921, is 45 metres tall.", "45 metres"),
        ("how deep is the lake", "The lake, dammed in 1850, is 40 metres deep.", "40 metres"),
        ("how much ram does it need", "Version 2, from 2023, needs 512 MB of memory.", "512 MB"),
    ],
)
def test_sizes_are_answered_with_a_unit_not_a_year(question: str, text: str, span: str) -> None:
    """ "how tall", "how deep" and "how much … ram" ask for a measurement: the number with a unit, not the
    year beside it."""
    tokens = ENGLISH.tokenize(question)
    assert expected_type(tokens) == SIZE
    assert [text[a:b] for a, b in candidate_spans(text, SIZE)] == [span]


def test_a_capitalised_name_near_the_subject_does_not_outweigh_the_asked_word() -> None:
    """For "who chose", the sentence saying who chose beats one that merely names a person: names are
    found near wrong answers as often as near right ones, so holding one earns a small bonus; given
    the full bonus of a date or a number, the name would win."""
    text = (
        "The committee chose the new design for the bridge after a long debate.\n\n"
        "Anna Berg liked the design of the bridge.\n\nThe river is wide here.\n"
    )
    index = index_text(text)
    question = "who chose the design of the bridge"
    assert "committee chose" in Engine(index).ask(question).text
    as_if_shaped = Engine(index, Settings(name_type_bonus=Settings().type_bonus, min_confidence=0.0))
    assert "Anna Berg" in as_if_shaped.ask(question).text


def test_looking_at_fewer_candidates_for_the_type_bonus_changes_no_answer() -> None:
    """The bonus skips candidates that could not reach the answers asked for; asking for five answers or
    for fifty gives the same five passages and scores, those the bonus lifted past others included."""
    parts = ["The bridge was built."]
    parts += [f"A bridge of wood stands in village number {n}." for n in range(4)]
    parts += [f"The road was built in {1800 + n} by hand over many long and weary months." for n in range(6)]
    engine = Engine(index_text("\n\n".join(parts)), Settings(min_confidence=0.0))
    question = "when was the bridge built"
    five, many = engine.ask(question, top_k=5), engine.ask(question, top_k=5, runners_up=45)
    assert [(h.position, h.score) for h in five.hits] == [(h.position, h.score) for h in many.hits]
    assert all(h.span is not None for h in five.hits[1:])  # the years, lifted past "A bridge of wood"


def test_a_tie_at_the_cut_goes_to_the_earlier_passage() -> None:
    """Among passages scoring the same, the first k are the earliest, however many tie."""
    text = "\n\n".join(
        f"Report {n} says the bridge in Town {n} was built in {1800 + n}. The river there is {n} metres deep."
        for n in range(1, 40)
    )
    hits = (
        Engine(index_text(text), Settings(min_confidence=0.0)).ask("when was the bridge built", top_k=5).hits
    )
    assert [h.position for h in hits] == [0, 2, 4, 6, 8]
