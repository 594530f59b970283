"""askbot: ask questions of a folder of documents, in the terminal or from Python.

    from askbot import Knowledge

    answer = Knowledge("docs/").ask("how do I install it?")
    print(answer.text, answer.location)

The public names are imported on first use, so `import askbot` (and `askbot --version`) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Answer",
    "AskbotError",
    "Conversation",
    "Hit",
    "Knowledge",
    "KnowledgeError",
    "Passage",
    "__version__",
]

if TYPE_CHECKING:
    from askbot.answering.engine import Answer, Hit
    from askbot.api import Conversation, Knowledge
    from askbot.documents.passages import Passage
    from askbot.errors import AskbotError, KnowledgeError

_HOMES = {
    "Answer": "askbot.answering.engine",
    "Hit": "askbot.answering.engine",
    "Conversation": "askbot.api",
    "Knowledge": "askbot.api",
    "Passage": "askbot.documents.passages",
    "AskbotError": "askbot.errors",
    "KnowledgeError": "askbot.errors",
}


def __getattr__(name: str) -> Any:
    """Import a public name from its module the first time it is asked for."""
    if name not in _HOMES:
        raise AttributeError(f"module 'askbot' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_HOMES[name]), name)


def __dir__() -> list[str]:
    return sorted(__all__)
