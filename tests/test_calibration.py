"""The confidence corrected per language, and each language's default threshold."""

from __future__ import annotations

import pytest

from askbot.answering import DEFAULT_MIN_CONFIDENCE
from askbot.answering.calibration import Calibration, shipped_calibration
from askbot.answering.engine import Engine, Settings
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
