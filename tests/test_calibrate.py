"""bench/calibrate.py, which fits the shipped confidence model: deterministic, monotone, held out by group."""

from __future__ import annotations

from types import ModuleType

import numpy as np
import pytest

from tests.conftest import bench_module


@pytest.fixture(scope="module")
def cal() -> ModuleType:
    return bench_module("calibrate")


def rows(cal: ModuleType, count: int = 400) -> list[object]:
    """Synthetic rows whose chance of being right grows with the first feature, in eight groups."""
    rng = np.random.default_rng(7)
    out = []
    width = len(cal.FEATURES)
    for n in range(count):
        features = rng.random(width)
        right = bool(rng.random() < features[0])
        kind = "answerable" if n % 3 else "off-topic"
        out.append(cal.Row(f"g{n % 8}", kind, right, tuple(features.tolist()), "q", "squad"))
    return out


def test_fitting_twice_gives_the_same_model(cal: ModuleType) -> None:
    """The fit has no randomness of its own: the same rows give the same coefficients and steps."""
    data = cal.Data.of(rows(cal), 1.0, 1.0, cal.FEATURES[:4])
    first, second = cal.fit(data, 1.0), cal.fit(data, 1.0)
    assert first == second
    assert first.features == tuple(cal.FEATURES[:4])


def test_isotonic_steps_never_decrease(cal: ModuleType) -> None:
    """Pool-adjacent-violators gives a non-decreasing map, whatever the order of the data."""
    rng = np.random.default_rng(3)
    p = rng.random(300)
    y = (rng.random(300) < p).astype(float)
    xs, ys = cal.isotonic(p, y, np.ones(300))
    assert xs == sorted(xs) and ys == sorted(ys)
    assert all(0.0 <= v <= 1.0 for v in ys)


def test_no_step_claims_certainty(cal: ModuleType) -> None:
    """A bin where every answer was wrong (or right) still gets a chance above 0 (below 1), smaller the
    more answers it holds."""
    p = np.linspace(0.0, 1.0, 400)
    y = (p > 0.5).astype(float)
    xs, ys = cal.isotonic(p, y, np.ones(400))
    assert 0.0 < ys[0] < 0.01 and 0.99 < ys[-1] < 1.0
    _, few = cal.isotonic(p[:10], y[:10], np.ones(10))
    assert few[0] > ys[0]


def test_the_fitted_model_learns_which_feature_matters(cal: ModuleType) -> None:
    """On rows right with probability equal to the first feature, that feature gets the largest weight."""
    data = cal.Data.of(rows(cal, 2000), 1.0, 1.0, cal.FEATURES[:4])
    model = cal.fit(data, 1.0)
    assert abs(model.weights[0]) == max(abs(w) for w in model.weights)
    low, high = cal.predict(model, np.array([[0.05, 0.5, 0.5, 0.5], [0.95, 0.5, 0.5, 0.5]]))
    assert low < 0.3 < 0.7 < high


def test_cross_validation_predicts_each_group_without_its_own_rows(cal: ModuleType) -> None:
    """Held-out predictions change when a group's own outcomes change, but not by being fitted on them."""
    base = rows(cal)
    data = cal.Data.of(base, 1.0, 1.0, cal.FEATURES[:4])
    flipped = [
        cal.Row(
            r.group, r.kind, not r.right if r.group == "g0" else r.right, r.features, r.question, r.corpus
        )
        for r in base
    ]
    other = cal.Data.of(flipped, 1.0, 1.0, cal.FEATURES[:4])
    held, held_flipped = cal.cross_validate(data, 1.0), cal.cross_validate(other, 1.0)
    in_g0 = data.groups == "g0"
    assert np.allclose(held[in_g0], held_flipped[in_g0])
    assert not np.allclose(held[~in_g0], held_flipped[~in_g0])


def test_casually_typed_questions_get_a_correction_of_their_own(cal: ModuleType) -> None:
    """When lower-case questions are right less often at the same evidence, their steps map the same raw
    probability lower than the others' steps do."""
    rng = np.random.default_rng(11)
    casual_column = cal.FEATURES.index("casual")
    out = []
    for n in range(1200):
        features = rng.random(len(cal.FEATURES))
        casual = n % 2 == 0
        features[casual_column] = float(casual)
        right = bool(rng.random() < features[0] * (0.5 if casual else 1.0))
        out.append(cal.Row(f"g{n % 6}", "answerable", right, tuple(features.tolist()), "q", "typed"))
    model = cal.fit(cal.Data.of(out, 1.0, 1.0, cal.FEATURES[:4]), 1.0)
    assert model.casual_x and model.steps_x
    assert model.correct(0.8, casual=True) < model.correct(0.8) - 0.2
