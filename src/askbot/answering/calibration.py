"""The confidence model's probability corrected for the language of the passage it judges.

The model (askbot.answering.confidence) is fitted on English.  In another language the same evidence
means a different chance of being right: a translated question shares fewer of its words with the
text than an English one, so the model underrates answers there.  `language_calibration.json` beside
this module holds, per language, a monotone map (isotonic steps) from the model's probability to the
share of answers right, and the default threshold below which to decline: the one with the best
top-1 among those that declined at most 5% of answerable questions and at least 92% of other
articles' questions on XQuAD's development articles.  Both are fitted by
`bench/languages.py --write-calibration`, and measured there on articles held out.  English, and a
language without a map, are left as they are.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from askbot.answering.confidence import Model

CALIBRATION_PATH = Path(__file__).with_name("language_calibration.json")


@dataclass(frozen=True)
class Calibration:
    """Per language, isotonic steps from the model's probability to the calibrated one."""

    steps: Mapping[str, tuple[tuple[float, ...], tuple[float, ...]]] = field(default_factory=dict)
    thresholds: Mapping[str, float] = field(default_factory=dict)

    def threshold(self, language: str, default: float) -> float:
        """The default threshold below which to decline an answer in `language`."""
        return self.thresholds.get(language, default)

    def correct(self, language: str, probability: float) -> float:
        """The probability for an answer in `language` (unchanged where there is no map)."""
        found = self.steps.get(language)
        if found is None:
            return probability
        xs, ys = found
        return Model(features=(), steps_x=xs, steps_y=ys).correct(probability)

    def to_json(self) -> dict[str, dict[str, Any]]:
        """The calibration as plain JSON data."""
        return {
            code: {"x": list(xs), "y": list(ys), "threshold": self.thresholds.get(code)}
            for code, (xs, ys) in sorted(self.steps.items())
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Mapping[str, Any]]) -> Calibration:
        """A calibration from plain JSON data."""
        steps = {code: (tuple(map(float, s["x"])), tuple(map(float, s["y"]))) for code, s in data.items()}
        thresholds = {
            code: float(s["threshold"]) for code, s in data.items() if s.get("threshold") is not None
        }
        return cls(steps, thresholds)


@lru_cache(maxsize=1)
def shipped_calibration() -> Calibration:
    """The calibration that ships with askbot (none when its file is absent)."""
    if not CALIBRATION_PATH.exists():
        return Calibration()
    return Calibration.from_json(json.loads(CALIBRATION_PATH.read_text(encoding="utf-8")))
