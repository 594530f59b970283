"""The confidence corrected per language, and each language's default threshold."""

from __future__ import annotations

import pytest

from askbot.answering import DEFAULT_MIN_CONFIDENCE
from askbot.answering.calibration import LOG_ODDS, Calibration, shipped_calibration
from askbot.answering.confidence import Model
from askbot.answering.engine import Engine, Settings
from askbot.answering.evidence import FEATURES, Evidence
from askbot.index.build import index_text

GERMAN = "Der Kölner Dom wurde 1880 fertiggestellt. Die Türme des Doms sind 157 Meter hoch."


def test_a_language_without_a_map_keeps_the_models_probability() -> None:
    """English, and any language the calibration lacks, keep the probability as the model gives it."""
    calibration = Calibration({"de": ((0.1, 0.5), (0.3, 0.9))}, {"de": 0.2})
    assert calibration.correct("en", 0.37) == 0.37
    assert calibration.correct("xx", 0.37) == 0.37
    assert calibration.threshold("en", 0.25) == 0.25


def test_a_languages_map_raises_or_lowers_the_probability_monotonically() -> None:
    """The map interpolates between its steps and stays within them at the ends."""
    calibration = Calibration({"de": ((0.1, 0.5), (0.3, 0.9))})
    assert calibration.correct("de", 0.3) == pytest.approx(0.6)
    assert calibration.correct("de", 0.0) == 0.3 and calibration.correct("de", 1.0) == 0.9


def test_the_calibration_survives_its_json_form() -> None:
    """Steps and thresholds read back as they were written."""
    calibration = Calibration({"de": ((0.1, 0.5), (0.3, 0.9))}, {"de": 0.2})
    assert Calibration.from_json(calibration.to_json()) == calibration


def test_the_shipped_calibration_has_a_map_and_threshold_for_each_xquad_language() -> None:
    """Every development language but English is calibrated, its threshold at most askbot's default."""
    shipped = shipped_calibration()
    assert set(shipped.steps) == {"de", "es", "ru", "tr", "el", "ro", "ar", "hi", "vi", "zh", "th"}
    assert all(0 < t <= DEFAULT_MIN_CONFIDENCE for t in shipped.thresholds.values())


def test_the_shipped_calibration_reweighs_every_calibrated_language() -> None:
    """Every calibrated language re-weighs the model's probability with the evidence; English is never
    corrected."""
    shipped = shipped_calibration()
    assert set(shipped.weighing) == set(shipped.steps)
    assert "en" not in shipped.weighing


def test_a_threshold_the_user_sets_wins_over_the_languages_default() -> None:
    """By default a German answer is judged by German's threshold; a threshold given explicitly wins."""
    calibration = Calibration({"de": ((0.0, 1.0), (0.0, 1.0))}, {"de": 0.0})
    index = index_text(GERMAN, "dom.txt", "de")
    lenient = Engine(index, calibration=calibration)
    question = "Wann wurde der Dom gebaut?"
    assert lenient.ask(question).known
    assert not lenient.ask(question, min_confidence=1.0).known
    strict = Engine(index, Settings(min_confidence=1.0), calibration=calibration)
    assert not strict.ask(question).known


def _evidence(**figures: float) -> Evidence:
    return Evidence(**{**dict.fromkeys(FEATURES, 0.0), **figures})


def _weighing(bias: float = 0.0, known_share: float = 0.0) -> Model:
    """A re-weighing that keeps the model's log-odds and adds `known_share` times the share."""
    return Model((LOG_ODDS, "known_share"), (0.0, 0.0), (1.0, 1.0), (1.0, known_share), bias)


def test_a_reweighing_weighs_the_evidence_beside_the_models_probability() -> None:
    """Where a language has a re-weighing, an answer whose file holds more of the question gains; the
    probability is unchanged without evidence, and in a language without one."""
    calibration = Calibration(weighing={"de": _weighing(known_share=2.0)})
    low, high = _evidence(known_share=0.2), _evidence(known_share=0.9)
    assert calibration.correct("de", 0.3, low) < calibration.correct("de", 0.3, high)
    assert calibration.correct("de", 0.3) == 0.3
    assert calibration.correct("en", 0.3, high) == 0.3
    no_share = calibration.correct("de", 0.3, _evidence())
    assert no_share == pytest.approx(0.3)


def test_a_reweighing_survives_the_json_form_and_names_only_known_figures() -> None:
    """A re-weighing reads back as written; one over a figure the evidence lacks is refused."""
    calibration = Calibration({"de": ((0.1, 0.5), (0.3, 0.9))}, {"de": 0.2}, {"de": _weighing(0.5, 2.0)})
    data = calibration.to_json()
    assert Calibration.from_json(data) == calibration
    data["de"]["weighing"]["features"] = [LOG_ODDS, "shoe_size"]
    with pytest.raises(ValueError, match="shoe_size"):
        Calibration.from_json(data)


def test_the_engine_reweighs_an_answer_with_its_evidence() -> None:
    """The engine hands the best passage's evidence to the language's re-weighing: one that makes every
    German answer unlikely makes it decline."""
    index = index_text(GERMAN, "dom.txt", "de")
    doubtful = Calibration(thresholds={"de": 0.2}, weighing={"de": _weighing(bias=-20.0)})
    question = "Wann wurde der Dom fertiggestellt?"
    answer = Engine(index, calibration=doubtful).ask(question)
    assert not answer.known and answer.confidence < 0.01
    assert Engine(index, calibration=Calibration(thresholds={"de": 0.2})).ask(question).known
