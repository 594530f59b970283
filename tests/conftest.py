"""Shared fixtures: user state and cache isolated in a temporary folder for every test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "knowledge" / "nato-mission-iraq.txt"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user's cache, history or default knowledge."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("ASKBOT_CACHE_DIR", str(home / "cache"))
    monkeypatch.setenv("ASKBOT_STATE_DIR", str(home / "state"))
    monkeypatch.delenv("ASKBOT_KNOWLEDGE", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    # Subprocesses (`python -m askbot`) run the same source tree as the tests import.
    paths = [str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(paths))
