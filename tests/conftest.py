"""Shared fixtures: user state and cache isolated in a temporary folder for every test."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

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


def bench_module(name: str) -> ModuleType:
    """A script of bench/ imported as a module, for testing the tools behind the figures."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module
