"""The confidence model's probability corrected for the language of the passage it judges.

The model (askbot.answering.confidence) is fitted on English.  In another language the same evidence
means a different chance of being right: a translated question shares fewer of its words with the
text than an English one, so the model underrates answers there, and weighs the share of the question
the text holds as English needs it weighed.  `language_calibration.json` beside this module holds,
per language:
- a re-weighing: a logistic regression over the model's log-odds and a few of the evidence's figures
  (the share of the question's words the file holds, the rarest word the sentence misses, the share
  of the question's word pairs the sentence holds together), fitted in that language;
- a monotone map (isotonic steps) from that probability to the share of answers right;
- the default threshold below which to decline: the one with the best top-1 among those that declined
  at most 5% of answerable questions and at least 93% of other articles' questions on XQuAD's
  development articles.
All are fitted by `bench/languages.py --write-calibration`, and measured there on articles held out.
English, and a language without a map, are left as they are.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from askbot.answering.confidence import Model
from askbot.answering.evidence import FEATURES, Evidence

CALIBRATION_PATH = Path(__file__).with_name("language_calibration.json")
# The first input of a re-weighing: the English model's log-odds; the evidence's figures follow.
LOG_ODDS = "log_odds"


@dataclass(frozen=True)
class Calibration:
    """Per language, a re-weighing of the model's probability, then isotonic steps to the calibrated one."""

    steps: Mapping[str, tuple[tuple[float, ...], tuple[float, ...]]] = field(default_factory=dict)
    thresholds: Mapping[str, float] = field(default_factory=dict)
    # Per language, a logistic model over (LOG_ODDS, *evidence figures): its `features` name them.
    weighing: Mapping[str, Model] = field(default_factory=dict)

    def threshold(self, language: str, default: float) -> float:
        """The default threshold below which to decline an answer in `language`."""
        return self.thresholds.get(language, default)

    def correct(self, language: str, probability: float, evidence: Evidence | None = None) -> float:
        """The probability for an answer in `language`, re-weighed with the `evidence` it came from where
        the language has a re-weighing (unchanged where there is no map)."""
        weighing = self.weighing.get(language)
        if weighing is not None and evidence is not None:
            probability = reweigh(weighing, probability, evidence)
        found = self.steps.get(language)
        if found is None:
            return probability
        xs, ys = found
        return Model(features=(), steps_x=xs, steps_y=ys).correct(probability)

    def to_json(self) -> dict[str, dict[str, Any]]:
        """The calibration as plain JSON data."""
        out: dict[str, dict[str, Any]] = {}
        for code, (xs, ys) in sorted(self.steps.items()):
            out[code] = {"x": list(xs), "y": list(ys), "threshold": self.thresholds.get(code)}
            if code in self.weighing:
                out[code]["weighing"] = self.weighing[code].to_json()
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Mapping[str, Any]]) -> Calibration:
        """A calibration from plain JSON data; ValueError when a re-weighing names an unknown figure."""
        steps = {code: (tuple(map(float, s["x"])), tuple(map(float, s["y"]))) for code, s in data.items()}
        thresholds = {
            code: float(s["threshold"]) for code, s in data.items() if s.get("threshold") is not None
        }
        weighing = {code: _weighing(s["weighing"]) for code, s in data.items() if "weighing" in s}
        return cls(steps, thresholds, weighing)


def reweigh(weighing: Model, probability: float, evidence: Evidence) -> float:
    """The probability a language's re-weighing gives the model's `probability` and the evidence."""
    p = min(max(probability, 1e-6), 1 - 1e-6)
    vector = [math.log(p / (1 - p)), *(float(getattr(evidence, name)) for name in weighing.features[1:])]
    return 1 / (1 + math.exp(-max(min(weighing.log_odds(vector), 700.0), -700.0)))


def _weighing(data: Mapping[str, Any]) -> Model:
    features = tuple(data["features"])
    if features[:1] != (LOG_ODDS,) or not set(features[1:]) <= set(FEATURES):
        raise ValueError(f"a re-weighing over unknown figures: {list(features)}")
    return Model(
        features,
        tuple(data["mean"]),
        tuple(data["scale"]),
        tuple(data["weights"]),
        float(data["bias"]),
    )


@lru_cache(maxsize=1)
def shipped_calibration() -> Calibration:
    """The calibration that ships with askbot (none when its file is absent)."""
    if not CALIBRATION_PATH.exists():
        return Calibration()
    return Calibration.from_json(json.loads(CALIBRATION_PATH.read_text(encoding="utf-8")))
