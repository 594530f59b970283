"""The confidence: a probability from a fitted model shipped as data, and declining on it."""

from __future__ import annotations

import json

import pytest

from askbot.answering.confidence import MODEL_PATH, Model, parse_probability, shipped_model
from askbot.answering.engine import Engine
from askbot.answering.evidence import FEATURES, is_casual
from askbot.documents.passages import Passage
from askbot.index.build import analyse_file, build_index, index_text

TEXT = """\
Mark Rutte is the Secretary General of NATO. He visited Baghdad in May 2025.
The mission is led by Lucas Schreurs, a general from the Netherlands.

Jim Smith said: "Jim loves the river, and Jim will always love it."
Born in 1912, Smith grew up in a small town by the river.
"""


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(index_text(TEXT, "news.txt"))


def test_shipped_model_is_plain_data_over_known_features() -> None:
    """The model file is JSON naming only features the engine computes, with one weight each."""
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert set(data["features"]) <= set(FEATURES)
    assert len(data["weights"]) == len(data["mean"]) == len(data["scale"]) == len(data["features"])
    assert shipped_model().features == tuple(data["features"])


def test_monotone_correction_keeps_probabilities_in_order() -> None:
    """The isotonic steps map raw probabilities to calibrated ones without reordering them."""
    model = shipped_model()
    raw = [i / 100 for i in range(101)]
    corrected = [model.correct(r) for r in raw]
    assert corrected == sorted(corrected)
    assert all(0.0 <= c <= 1.0 for c in corrected)


def test_a_casually_typed_question_has_its_own_correction() -> None:
    """A question typed all in lower case goes through its own steps; others through the common ones,
    and a model without casual steps uses the common ones for every question."""
    model = Model(
        features=(), steps_x=(0.0, 1.0), steps_y=(0.0, 1.0), casual_x=(0.0, 1.0), casual_y=(0.0, 0.5)
    )
    assert model.correct(0.8) == pytest.approx(0.8)
    assert model.correct(0.8, casual=True) == pytest.approx(0.4)
    plain = Model(features=(), steps_x=(0.0, 1.0), steps_y=(0.0, 1.0))
    assert plain.correct(0.8, casual=True) == pytest.approx(0.8)
    assert Model.from_json(model.to_json()) == model


@pytest.mark.parametrize(
    ("question", "casual"),
    [
        ("who leads nmi", True),
        ("when did she die?", True),
        ("Who leads NMI?", False),
        ("who leads NMI", False),
        ("谁领导北约伊拉克任务", False),  # a script without capitals says nothing about how it was typed
        ("1939?", False),
    ],
)
def test_a_question_is_casual_when_typed_all_in_lower_case(question: str, casual: bool) -> None:
    """Only a question with lower-case letters and no capital counts as casually typed."""
    assert is_casual(question) is casual


def test_a_model_with_unknown_features_is_refused() -> None:
    """A model file naming a feature the engine does not compute cannot be loaded."""
    with pytest.raises(ValueError, match="unknown features"):
        Model.from_json({"features": ["shoe_size"], "weights": [1.0]})


@pytest.mark.parametrize(
    ("typed", "value"), [("0.7", 0.7), (".25", 0.25), ("70%", 0.7), ("70", 0.7), ("0", 0.0)]
)
def test_probabilities_are_read_as_people_type_them(typed: str, value: float) -> None:
    """ "0.7", "70%" and "70" all mean a 70% chance."""
    assert parse_probability(typed) == pytest.approx(value)


@pytest.mark.parametrize("typed", ["-1", "150%", "abc", "", "nan"])
def test_impossible_probabilities_are_refused(typed: str) -> None:
    """Values outside 0 to 1 (0% to 100%), and words, are not probabilities."""
    with pytest.raises(ValueError):
        parse_probability(typed)


def test_confidence_is_a_probability_that_ranks_right_answers_higher(engine: Engine) -> None:
    """A question its passage answers word for word scores higher than one about an absent detail."""
    sure = engine.ask("who leads the mission", min_confidence=0.0)
    unsure = engine.ask("how old is Rutte", min_confidence=0.0)
    assert 0.0 <= unsure.confidence < sure.confidence <= 1.0
    assert "Schreurs" in sure.hits[0].passage.text


def test_threshold_decides_between_answering_and_declining(engine: Engine) -> None:
    """The same question is answered at a low threshold and declined above its confidence."""
    low = engine.ask("who leads the mission", min_confidence=0.0)
    high = engine.ask("who leads the mission", min_confidence=min(1.0, low.confidence + 0.01))
    assert low.known and not high.known
    assert high.confidence == pytest.approx(low.confidence)
    assert high.runners_up and high.runners_up[0].passage == low.hits[0].passage


@pytest.mark.parametrize(
    ("question", "shaped", "found"),
    [
        ("When was Jim Smith born?", 1.0, 1.0),  # a date: told by its shape, and there
        ("How old is Rutte?", 1.0, 0.0),  # an age: told by its shape, and missing
        ("Who leads the mission?", 0.0, 0.0),  # a person: any capitalised words, so no shape
    ],
)
def test_evidence_tells_kinds_with_a_shape_from_names(
    engine: Engine, question: str, shaped: float, found: float
) -> None:
    """A date, number or measure asked for is weighed apart from a person, place or name."""
    evidence = engine.ask(question, min_confidence=0.0).evidence
    assert evidence is not None
    assert (evidence.wants_shape, evidence.shape_found) == (shaped, found)


def test_decline_names_the_subject_found_without_the_kind_of_answer(engine: Engine) -> None:
    """ "how old is Rutte": the knowledge mentions Rutte, but gives no age."""
    answer = engine.ask("how old is Rutte", min_confidence=1.0)
    assert not answer.known
    assert answer.reason == 'the knowledge mentions "Rutte", but gives no age'


def test_a_number_describing_another_word_is_no_answer_to_how_many() -> None:
    """ "what's the population of Baghdad" against "a two-day visit to Baghdad": declined, as the
    knowledge gives no number (failure 1 of issue 11: the name found, not what was asked)."""
    engine = Engine(index_text("During his two-day visit to Baghdad, Rutte met officials.\n", "news.txt"))
    assert not engine.ask("what's the population of baghdad").known
    answer = engine.ask("what's the population of baghdad", min_confidence=1.0)
    assert answer.reason == 'the knowledge mentions "Baghdad", but gives no number'


def test_decline_names_the_subject_found_without_what_was_asked(engine: Engine) -> None:
    """ "what did Rutte eat": the knowledge mentions Rutte, but not "eat"."""
    answer = engine.ask("what did Rutte eat", min_confidence=1.0)
    assert not answer.known
    assert answer.reason == 'the knowledge mentions "Rutte", but not "eat"'


def test_decline_names_the_missing_name_first(engine: Engine) -> None:
    """A question about a name the knowledge never mentions says so."""
    answer = engine.ask("who leads the mission in Warsaw", min_confidence=1.0)
    assert answer.reason == 'the knowledge doesn\'t mention "Warsaw"'


def test_asked_word_outweighs_a_repeated_name(engine: Engine) -> None:
    """ "when was Jim Smith born" finds the birth sentence, not the quote that says "Jim" twice."""
    assert "Born in 1912" in engine.ask("when was Jim Smith born", min_confidence=0.0).hits[0].passage.text


def test_words_held_only_by_another_file_do_not_count_as_known() -> None:
    """In a folder, the best passage's own file decides which of the question's words are known: a word
    another file happens to hold does not make the answer likelier."""
    mission = [Passage("The mission is led by Lucas Schreurs from the Netherlands.", "nato.txt", 1, 0)]
    kitchen = [Passage("The kettle whistles at noon.", "kitchen.txt", 1, 0)]
    folder = Engine(build_index([analyse_file("nato.txt", mission), analyse_file("kitchen.txt", kitchen)]))
    one_file = Engine(index_text(mission[0].text + "\n\n" + kitchen[0].text, "all.txt"))
    question = "who leads the kettle mission"
    apart = folder.ask(question, min_confidence=0.0)
    together = one_file.ask(question, min_confidence=0.0)
    assert apart.evidence is not None and together.evidence is not None
    assert apart.evidence.known_share < together.evidence.known_share == 1.0
    assert apart.confidence < together.confidence
