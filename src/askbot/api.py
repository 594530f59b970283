"""askbot as a library: open a knowledge folder, ask it questions.  The CLI and the chat use this too.

    from askbot import Knowledge

    kb = Knowledge("docs/")
    answer = kb.ask("how do I install it?", context=1)
    if answer.known:
        print(answer.text, answer.source, answer.location, answer.span, answer.confidence)

`ask` returns the same typed Answer the command line renders.  A Conversation carries the subject of
one question to the next ("who leads NMI?", then "where is he from?").
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from askbot.answering.engine import Answer, Context, Engine, Hit
from askbot.documents.passages import Passage, Skipped
from askbot.index.build import Index
from askbot.index.store import load_index, user_cache_dir

Warn = Callable[[str], None]
Progress = Callable[[int, int], None]
PathLike = str | os.PathLike[str]


def default_knowledge() -> Path:
    """The knowledge askbot answers from when given none: $ASKBOT_KNOWLEDGE or the bundled article."""
    if os.environ.get("ASKBOT_KNOWLEDGE"):
        return Path(os.environ["ASKBOT_KNOWLEDGE"])
    package = Path(__file__).resolve().parent
    installed = package / "default_knowledge"  # where pyproject.toml puts the project's knowledge/
    return installed if installed.is_dir() else package.parents[1] / "knowledge"  # a source checkout


class Knowledge:
    """A knowledge file or folder, indexed (through the cache) and ready for questions.

    `path` defaults to $ASKBOT_KNOWLEDGE, else the bundled article.  `cache=False` neither reads nor
    writes the index cache.  Files that cannot be read are skipped: `skipped` says which and why, and
    `warn` (if given) is told of each as the index is built.  Raises KnowledgeError when the path is
    missing or holds nothing readable.
    """

    def __init__(
        self,
        path: PathLike | None = None,
        *,
        cache: bool = True,
        warn: Warn | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.root = Path(path) if path is not None else default_knowledge()
        self.index: Index = load_index(
            self.root, user_cache_dir() if cache else None, warn or (lambda message: None), progress
        )
        self._engine = Engine(self.index)

    def __repr__(self) -> str:
        return f"Knowledge({str(self.root)!r})"

    @property
    def skipped(self) -> tuple[Skipped, ...]:
        """The files that were not loaded, and why."""
        return self.index.skipped

    def sources(self) -> dict[str, int]:
        """Each loaded file (relative to the root) with its number of passages, in load order."""
        return self.index.sources()

    def path_of(self, passage: Passage) -> Path:
        """The file on disk a passage comes from."""
        return self.root if self.root.is_file() else self.root / passage.source

    def ask(
        self,
        question: str,
        *,
        top_k: int = 1,
        context: int = 0,
        before: int | None = None,
        after: int | None = None,
        runners_up: int = 0,
    ) -> Answer:
        """Answer with at most `top_k` passages, or decline (`answer.known` is False).

        As grep's -C, -B and -A: `context` sentences around each passage, or `before` and `after`
        it, from the same paragraph or section; the answer itself stays one sentence.
        `runners_up` more passages are kept for explaining.
        """
        return self._ask(question, None, top_k, context, before, after, runners_up)

    def conversation(self) -> Conversation:
        """A conversation: questions that may refer to earlier ones ("where is he from?")."""
        return Conversation(self)

    def _ask(
        self,
        question: str,
        state: Context | None,
        top_k: int,
        context: int,
        before: int | None,
        after: int | None,
        runners_up: int,
    ) -> Answer:
        if top_k < 1 or runners_up < 0:
            raise ValueError("top_k must be at least 1 and runners_up at least 0")
        wanted = (context if before is None else before, context if after is None else after)
        if min(wanted) < 0:
            raise ValueError("context, before and after must be at least 0")
        answer = self._engine.ask(question, top_k=top_k, context=state, runners_up=runners_up)
        if not any(wanted) or not answer.hits:
            return answer
        hits = tuple(_with_surroundings(self.index, hit, *wanted) for hit in answer.hits)
        return Answer(
            answer.question,
            hits,
            answer.confidence,
            answer.missing,
            answer.reason,
            answer.expected,
            answer.runners_up,
        )


class Conversation:
    """Questions asked one after another, each able to lean on the last ("who leads it?", "since when?")."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self.last: Answer | None = None
        self._state: Context | None = None

    def ask(
        self,
        question: str,
        *,
        top_k: int = 1,
        context: int = 0,
        before: int | None = None,
        after: int | None = None,
        runners_up: int = 0,
    ) -> Answer:
        """As Knowledge.ask, where "he", "it" or a bare "when?" mean what the last answer was about."""
        kb = self.knowledge
        answer = kb._ask(question, self._state, top_k, context, before, after, runners_up)
        self._state = kb._engine.follow(answer, self._state)
        self.last = answer
        return answer

    def forget(self) -> None:
        """Start over: the next question does not refer to earlier ones."""
        self._state = None


def _with_surroundings(index: Index, hit: Hit, before: int, after: int) -> Hit:
    """The hit with up to `before` and `after` sentences of its paragraph or section around it."""
    from dataclasses import replace

    return replace(
        hit,
        before=tuple(reversed(_neighbours(index, hit.position, -1, before))),
        after=_neighbours(index, hit.position, 1, after),
    )


def _neighbours(index: Index, position: int, step: int, count: int) -> tuple[Passage, ...]:
    """Up to `count` passages next to `position` going `step`-wise, in the same file and section.

    A section is what the passage's location names (a heading, a page, a cell); in a file without
    them, such as plain text, it is the paragraph.
    """
    passages = index.passages
    source, location = passages.source_ids[position], passages.location_ids[position]
    sectioned = bool(passages.locations[location])
    found: list[Passage] = []
    i = position + step
    while len(found) < count and 0 <= i < len(passages) and passages.source_ids[i] == source:
        if sectioned and passages.location_ids[i] != location:
            break
        if not sectioned and index.paragraph_of[i] != index.paragraph_of[position]:
            break
        found.append(passages[i])
        i += step
    return tuple(found)
