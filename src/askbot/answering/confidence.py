"""The chance that the best passage answers the question, from a small fitted model shipped as data.

`confidence.json` beside this module is written by bench/calibrate.py (seeded, reproducible, fitted on
the development question sets with articles held out).  It holds either a logistic regression over the
standardised features of askbot.answering.evidence, or a few shallow regression trees whose summed
leaves are a log-odds; either may be followed by a monotone map (isotonic regression's steps) that
corrects the remaining miscalibration.  A question typed all in lower case has a map of its own: at
equal evidence such questions are answered right less often, so one map cannot serve both kinds (the
logistic part, which orders answers, is the same for both).  Reading it needs only the standard library.
"""

from __future__ import annotations

import bisect
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from askbot.answering.evidence import FEATURES, Evidence

MODEL_PATH = Path(__file__).with_name("confidence.json")


@dataclass(frozen=True)
class Model:
    """A fitted confidence model: log-odds from the features, then an optional monotone correction."""

    features: tuple[str, ...]
    mean: tuple[float, ...] = ()
    scale: tuple[float, ...] = ()
    weights: tuple[float, ...] = ()
    bias: float = 0.0
    trees: tuple[Mapping[str, Any], ...] = ()
    steps_x: tuple[float, ...] = ()  # a monotone map of the raw probability: x ascending, y at each x
    steps_y: tuple[float, ...] = ()
    casual_x: tuple[float, ...] = ()  # the map for questions typed all in lower case (none: the one above)
    casual_y: tuple[float, ...] = ()

    def log_odds(self, vector: Sequence[float]) -> float:
        """The model's raw log-odds for a feature vector in `features` order."""
        total = self.bias
        for x, m, s, w in zip(vector, self.mean, self.scale, self.weights, strict=False):
            total += w * (x - m) / s
        for tree in self.trees:
            total += _leaf(tree, vector)
        return total

    def probability(self, evidence: Evidence) -> float:
        """The calibrated chance that the passage the evidence describes answers the question."""
        values = {name: getattr(evidence, name) for name in FEATURES}
        vector = [float(values[name]) for name in self.features]
        raw = _sigmoid(self.log_odds(vector))
        return self.correct(raw, casual=bool(evidence.casual))

    def correct(self, raw: float, casual: bool = False) -> float:
        """The monotone correction of a raw probability, interpolated between the fitted steps (a
        casually typed question's own steps where the model has them)."""
        xs, ys = (self.casual_x, self.casual_y) if casual and self.casual_x else (self.steps_x, self.steps_y)
        if not xs:
            return raw
        i = bisect.bisect_left(xs, raw)
        if i == 0:
            return ys[0]
        if i == len(xs):
            return ys[-1]
        x0, x1, y0, y1 = xs[i - 1], xs[i], ys[i - 1], ys[i]
        return y0 + (y1 - y0) * (raw - x0) / (x1 - x0) if x1 > x0 else y1

    def to_json(self) -> dict[str, Any]:
        """The model as plain JSON data."""
        return {
            "features": list(self.features),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "weights": list(self.weights),
            "bias": self.bias,
            "trees": list(self.trees),
            "steps_x": list(self.steps_x),
            "steps_y": list(self.steps_y),
            "casual_x": list(self.casual_x),
            "casual_y": list(self.casual_y),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Model:
        """A model from plain JSON data; ValueError when a feature is unknown."""
        unknown = set(data["features"]) - set(FEATURES)
        if unknown:
            raise ValueError(f"unknown features in the confidence model: {sorted(unknown)}")
        return cls(
            tuple(data["features"]),
            tuple(data.get("mean", ())),
            tuple(data.get("scale", ())),
            tuple(data.get("weights", ())),
            float(data.get("bias", 0.0)),
            tuple(data.get("trees", ())),
            tuple(data.get("steps_x", ())),
            tuple(data.get("steps_y", ())),
            tuple(data.get("casual_x", ())),
            tuple(data.get("casual_y", ())),
        )


def parse_probability(text: str) -> float:
    """A probability as a person types it: "0.7", ".7", "70%" or "70" -> 0.7; ValueError otherwise."""
    value = text.strip()
    percent = value.endswith("%")
    number = float(value.rstrip("%").strip())
    if percent or number > 1:
        number /= 100
    if not 0.0 <= number <= 1.0 or math.isnan(number):
        raise ValueError(f"not a probability from 0 to 1 (or 0% to 100%): {text!r}")
    return number


@lru_cache(maxsize=1)
def shipped_model() -> Model:
    """The model that ships with askbot."""
    return Model.from_json(json.loads(MODEL_PATH.read_text(encoding="utf-8")))


def _leaf(tree: Mapping[str, Any], vector: Sequence[float]) -> float:
    node = tree
    while "value" not in node:
        node = node["left"] if vector[node["feature"]] <= node["threshold"] else node["right"]
    return float(node["value"])


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)
