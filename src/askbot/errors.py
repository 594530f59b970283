"""Errors whose message is meant for the person at the terminal.

This module imports nothing from askbot, so every other module can use it.
"""


class AskbotError(Exception):
    """A problem the user can fix; the CLI prints the message and exits with `exit_code`."""

    exit_code = 2


class KnowledgeError(AskbotError):
    """The knowledge path is missing, empty or unreadable."""


class UsageError(AskbotError):
    """The command line or a REPL command was used wrongly."""
