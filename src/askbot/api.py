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

import bisect
import os
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from pathlib import Path

from askbot.answering.engine import Answer, Context, Engine, Hit
from askbot.dirs import no_cache, user_cache_dir
from askbot.documents.passages import Passage, Skipped
from askbot.documents.walk import Ignored, walk
from askbot.index.collection import Index, open_index
from askbot.index.layout import Live
from askbot.index.segment import Segment
from askbot.index.store import load_index

Warn = Callable[[str], None]
Progress = Callable[[int, int], None]
PathLike = str | os.PathLike[str]


def default_knowledge() -> list[Path]:
    """The knowledge askbot answers from when given none: $ASKBOT_KNOWLEDGE (a list of paths, separated
    as PATH is, by os.pathsep), or the bundled article."""
    listed = [Path(p) for p in os.environ.get("ASKBOT_KNOWLEDGE", "").split(os.pathsep) if p]
    if listed:
        return listed
    package = Path(__file__).resolve().parent
    installed = package / "default_knowledge"  # where pyproject.toml puts the project's knowledge/
    return [installed if installed.is_dir() else package.parents[1] / "knowledge"]  # or a source checkout


@dataclass(frozen=True)
class _Root:
    """One knowledge path: its own index (and cache), and where its passages are in the joint index."""

    path: Path
    label: str  # how citations name it when there are several roots; "" when it is the only one
    index: Index
    start: int  # its first passage's number in the joint index

    def name(self, source: str) -> str:
        """A source path as citations give it: after this root's label when there are several."""
        if not self.label:
            return source
        return self.label if self.path.is_file() else f"{self.label}/{source}"

    def cite(self, passage: Passage) -> Passage:
        """The passage with its source named after this root when there are several ("notes/todo.md")."""
        return replace(passage, source=self.name(passage.source)) if self.label else passage

    def own(self, source: str) -> str | None:
        """A cited source's path inside this root, or None when it is not this root's."""
        if not self.label:
            return source
        if self.path.is_file():
            return source if source == self.label else None
        return source.removeprefix(self.label + "/") if source.startswith(self.label + "/") else None


class Knowledge:
    """Knowledge files or folders, indexed (each through its own cache) and ready for questions.

    `paths` is one path or several; by default $ASKBOT_KNOWLEDGE, else the bundled article.  Each path
    is indexed on its own, in its own cache; questions are answered from one index over all their
    segments, and with several paths citations start with the one they come from ("notes/todo.md").
    A folder is walked as ripgrep walks it (hidden files and what .gitignore, .ignore and .askbotignore
    files ignore are passed over); `ignore=False` reads them all.  Each file's language is detected
    from its text; `language` (an ISO 639-1 code) sets it for all.  `cache=False` neither reads nor
    writes the index cache.  Files that cannot be read are skipped: `skipped` says which and why, and
    `warn` (if given) is told of each as an index is built.  `min_confidence` is the chance of being
    right an answer needs (askbot's default when None).  Raises KnowledgeError when a path is missing
    or holds nothing readable.
    """

    def __init__(
        self,
        paths: PathLike | Sequence[PathLike] | None = None,
        *,
        cache: bool = True,
        ignore: bool = True,
        warn: Warn | None = None,
        progress: Progress | None = None,
        language: str | None = None,
        min_confidence: float | None = None,
    ) -> None:
        if paths is None:
            paths = default_knowledge()
        given = [Path(paths)] if isinstance(paths, str | os.PathLike) else [Path(p) for p in paths]
        if not given:
            raise ValueError("no knowledge path given")
        unique = list({_identity(p): p for p in given}.values())
        self.roots = tuple(unique)
        self.ignore = ignore
        # Below this chance that the best passage answers, ask() declines; None: askbot's default.
        self.min_confidence = min_confidence
        # Without the cache, nothing is read or written there: not the index, nor the dictionaries
        # that analysing words would otherwise keep there (askbot.dirs.no_cache).
        self._cache = cache
        cache_dir = user_cache_dir() if cache else None
        self._roots: list[_Root] = []
        start = 0
        for path, label in zip(unique, _labels(unique), strict=True):
            with self._cache_use():
                index = load_index(path, cache_dir, _labelled(warn, label), progress, ignore, language)
            self._roots.append(_Root(path, label, index, start))
            start += len(index.passages)
        # One index over every root's segments: BM25's statistics are summed over all of them, so
        # scores, ranks and confidence compare passages of different roots as of one collection.
        self.index = _joined([root.index for root in self._roots])
        self._engine = Engine(self.index)

    def __repr__(self) -> str:
        return f"Knowledge({', '.join(repr(str(p)) for p in self.roots)})"

    def _cache_use(self) -> AbstractContextManager[None]:
        """Where the knowledge analyses words: the cache directory left alone if it is not to be used."""
        return nullcontext() if self._cache else no_cache()

    @property
    def skipped(self) -> tuple[Skipped, ...]:
        """The files that were not loaded, and why."""
        return tuple(
            replace(s, source=root.name(s.source)) for root in self._roots for s in root.index.skipped
        )

    def ignored(self) -> list[Ignored]:
        """The files and folders the walk passed over, and why (an ignore file's line, hidden, format)."""
        return [
            replace(found, source=root.name(found.source))
            for root in self._roots
            for found in walk(root.path, self.ignore)
            if isinstance(found, Ignored)
        ]

    def sources(self) -> dict[str, int]:
        """Each loaded file (as citations name it) with its number of passages, in load order."""
        return {
            root.name(source): count for root in self._roots for source, count in root.index.sources().items()
        }

    def languages(self) -> dict[str, str]:
        """Each loaded file (as citations name it) with its language, an ISO 639-1 code."""
        return {
            root.name(source): root.index.language_of_source(source)
            for root in self._roots
            for source in root.index.sources()
        }

    @property
    def words(self) -> Mapping[str, str]:
        """Every word of the knowledge, folded, with its usual spelling; the most frequent first."""
        return self.index.words

    def path_of(self, passage: Passage) -> Path:
        """The file on disk a passage comes from."""
        for root in self._roots:
            inside = root.own(passage.source)
            if inside is not None:
                return root.path if root.path.is_file() else root.path / inside
        raise ValueError(f"no knowledge root holds {passage.source!r}")

    def ask(
        self,
        question: str,
        *,
        top_k: int = 1,
        context: int = 0,
        before: int | None = None,
        after: int | None = None,
        runners_up: int = 0,
        min_confidence: float | None = None,
    ) -> Answer:
        """Answer with at most `top_k` passages, or decline (`answer.known` is False).

        As grep's -C, -B and -A: `context` sentences around each passage, or `before` and `after`
        it, from the same paragraph or section; the answer itself stays one sentence.
        `runners_up` more passages are kept for explaining.  `answer.confidence` is the chance that
        the best passage answers; below `min_confidence` (else the knowledge's own) the question is
        declined and `answer.reason` says why.
        """
        answer, _ = self._ask(question, None, top_k, (context, before, after), runners_up, min_confidence)
        return answer

    def conversation(self) -> Conversation:
        """A conversation: questions that may refer to earlier ones ("where is he from?")."""
        return Conversation(self)

    def _ask(
        self,
        question: str,
        state: Context | None,
        top_k: int,
        sizes: tuple[int, int | None, int | None],
        runners_up: int,
        min_confidence: float | None = None,
    ) -> tuple[Answer, Answer]:
        """The answer as the caller sees it, and as the engine gave it (for following the conversation)."""
        if top_k < 1 or runners_up < 0:
            raise ValueError("top_k must be at least 1 and runners_up at least 0")
        context, before, after = sizes
        wanted = (context if before is None else before, context if after is None else after)
        if min(wanted) < 0:
            raise ValueError("context, before and after must be at least 0")
        threshold = self.min_confidence if min_confidence is None else min_confidence
        if threshold is not None and not 0.0 <= threshold <= 1.0:
            raise ValueError("min_confidence must be from 0 to 1")
        with self._cache_use():
            own = self._engine.ask(
                question, top_k=top_k, context=state, runners_up=runners_up, min_confidence=threshold
            )
        return self._cited(own, wanted), own

    def _cited(self, answer: Answer, wanted: tuple[int, int]) -> Answer:
        """The answer with the sentences around each hit, and its sources named after their roots."""

        def cited(hit: Hit) -> Hit:
            root = self._roots[bisect.bisect_right([r.start for r in self._roots], hit.position) - 1]
            if any(wanted):
                bounds = (root.start, root.start + len(root.index.passages))
                hit = _with_surroundings(self.index, hit, bounds, *wanted)
            return replace(
                hit,
                passage=root.cite(hit.passage),
                before=tuple(map(root.cite, hit.before)),
                after=tuple(map(root.cite, hit.after)),
            )

        return replace(
            answer, hits=tuple(map(cited, answer.hits)), runners_up=tuple(map(cited, answer.runners_up))
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
        min_confidence: float | None = None,
    ) -> Answer:
        """As Knowledge.ask, where "he", "it" or a bare "when?" mean what the last answer was about."""
        kb = self.knowledge
        sizes = (context, before, after)
        answer, own = kb._ask(question, self._state, top_k, sizes, runners_up, min_confidence)
        with kb._cache_use():
            self._state = kb._engine.follow(own, self._state)
        self.last = answer
        return answer

    def forget(self) -> None:
        """Start over: the next question does not refer to earlier ones."""
        self._state = None


def _identity(path: Path) -> Path:
    """What tells two spellings of one path apart from two paths."""
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def _labels(paths: Sequence[Path]) -> list[str]:
    """How citations name each root: "" for a single one, else the shortest distinct ends of the paths.

    ~/notes and ./docs are "notes" and "docs"; a/docs and b/docs are "a/docs" and "b/docs".
    """
    if len(paths) < 2:
        return [""] * len(paths)
    parts = [_identity(p).parts[1:] or (str(p),) for p in paths]
    depth = [1] * len(paths)
    while True:
        labels = ["/".join(part[-d:]) for part, d in zip(parts, depth, strict=True)]
        clashing = [
            i for i, label in enumerate(labels) if labels.count(label) > 1 and depth[i] < len(parts[i])
        ]
        if not clashing:
            return labels
        for i in clashing:
            depth[i] += 1


def _labelled(warn: Warn | None, label: str) -> Warn:
    """A warn function that names the root its messages are about, when there are several."""
    if warn is None:
        return lambda message: None
    if not label:
        return warn
    return lambda message: warn(f"{label}: {message}")


def _joined(indexes: Sequence[Index]) -> Index:
    """One index over the live files of several indexes' segments, in order; the index itself for one."""
    if len(indexes) == 1:
        return indexes[0]
    segments: list[Segment] = []
    live: list[Live] = []
    for index in indexes:
        live += [Live(f.segment + len(segments), f.file) for f in index.live]
        segments += index.segments
    return open_index(segments, live, [s for index in indexes for s in index.skipped], indexes[0].params)


def _with_surroundings(index: Index, hit: Hit, bounds: tuple[int, int], before: int, after: int) -> Hit:
    """The hit with up to `before` and `after` sentences of its paragraph or section around it."""
    return replace(
        hit,
        before=tuple(reversed(_neighbours(index, hit.position, bounds, -1, before))),
        after=_neighbours(index, hit.position, bounds, 1, after),
    )


def _neighbours(
    index: Index, position: int, bounds: tuple[int, int], step: int, count: int
) -> tuple[Passage, ...]:
    """Up to `count` passages next to `position` going `step`-wise, in the same root, file and section.

    A section is what the passage's location names (a heading, a page, a cell); in a file without
    them, such as plain text, it is the paragraph.  `bounds` are the root's first passage and the one
    after its last.
    """
    passages = index.passages
    origin = passages[position]
    found: list[Passage] = []
    i = position + step
    while len(found) < count and bounds[0] <= i < bounds[1]:
        passage = passages[i]
        if passage.source != origin.source:
            break
        if origin.location and passage.location != origin.location:
            break
        if not origin.location and index.paragraph_of[i] != index.paragraph_of[position]:
            break
        found.append(passage)
        i += step
    return tuple(found)
