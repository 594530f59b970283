"""Where askbot keeps what it writes for the user: the cache and the state directories.

This module imports nothing from askbot, so the analysis (which caches dictionaries) and the index
(which caches segments) can both ask it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def user_cache_dir() -> Path:
    """Where askbot keeps indexes and dictionaries: $ASKBOT_CACHE_DIR, else the platform's user cache."""
    return _user_dir("ASKBOT_CACHE_DIR", "XDG_CACHE_HOME", ".cache", "Caches")


def user_state_dir() -> Path:
    """Where askbot keeps history: $ASKBOT_STATE_DIR, else the platform's user state directory."""
    return _user_dir("ASKBOT_STATE_DIR", "XDG_STATE_HOME", ".local/state", "Application Support")


def _user_dir(own: str, xdg: str, unix_default: str, mac_folder: str) -> Path:
    if os.environ.get(own):
        return Path(os.environ[own])
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData/Local"), "askbot")
    if sys.platform == "darwin":
        return Path.home() / "Library" / mac_folder / "askbot"
    return Path(os.environ.get(xdg) or Path.home() / unix_default, "askbot")
