"""Where askbot keeps what it writes for the user: the cache and the state directories.

This module imports nothing from askbot, so the analysis (which caches dictionaries) and the index
(which caches segments) can both ask it.  Code run within `no_cache()` (`--no-cache`,
`Knowledge(cache=False)`) leaves the cache directory alone: it neither reads nor writes anything there.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

_CACHE_IN_USE: ContextVar[bool] = ContextVar("askbot_cache_in_use", default=True)


def cache_in_use() -> bool:
    """Whether askbot may read and write its cache directory here (False within `no_cache()`)."""
    return _CACHE_IN_USE.get()


@contextmanager
def no_cache() -> Iterator[None]:
    """Within it, askbot neither reads nor writes its cache directory: what it would keep there
    (simplemma's dictionaries as words files) is made in memory, or not at all."""
    token = _CACHE_IN_USE.set(False)
    try:
        yield
    finally:
        _CACHE_IN_USE.reset(token)


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


def process_running(pid: int) -> bool:
    """Whether a process of this id is running: a temporary file named after a writer that is not
    was left behind.  Always True where that cannot be asked safely (on Windows, os.kill(pid, 0)
    would end the process)."""
    if sys.platform == "win32":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # another user's process, or no process id at all
    return True
