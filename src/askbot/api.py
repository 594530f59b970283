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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from askbot.answering.engine import Answer, Context, Engine, Hit
from askbot.documents.passages import Passage, Skipped
from askbot.documents.walk import Ignored, walk
from askbot.index.build import Index
from askbot.index.store import load_index, user_cache_dir

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
    """One knowledge path, with its own index (and cache) and engine."""

    path: Path
    label: str  # how citations name it when there are several roots; "" when it is the only one
    index: Index
    engine: Engine

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

    `paths` is one path or several; by default $ASKBOT_KNOWLEDGE, else the bundled article.  With
    several, a question is asked of each and the best answer wins; citations then start with the root
    they come from ("notes/todo.md").  A folder is walked as ripgrep walks it (hidden files and what
    .gitignore, .ignore and .askbotignore files ignore are passed over); `ignore=False` reads them all.
    Each file's language is detected from its text; `language` (an ISO 639-1 code) sets it for all.
    `cache=False` neither reads nor writes the index cache.  Files that cannot be read are skipped:
    `skipped` says which and why, and `warn` (if given) is told of each as an index is built.
    `min_confidence` is the chance of being right an answer needs (askbot's default when None).  Raises
    KnowledgeError when a path is missing or holds nothing readable.
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
        cache_dir = user_cache_dir() if cache else None
        self._roots: list[_Root] = []
        for path, label in zip(unique, _labels(unique), strict=True):
            heard = _labelled(warn, label)
            index = load_index(path, cache_dir, heard, progress, ignore, language)
            self._roots.append(_Root(path, label, index, Engine(index)))

    def __repr__(self) -> str:
        return f"Knowledge({', '.join(repr(str(p)) for p in self.roots)})"

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
    def words(self) -> dict[str, str]:
        """Every word of the knowledge, folded, with its usual spelling; the most frequent first."""
        words: dict[str, str] = {}
        for root in self._roots:
            for folded, written in root.index.words.items():
                words.setdefault(folded, written)
        return words

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
        states: Sequence[Context | None] | None,
        top_k: int,
        sizes: tuple[int, int | None, int | None],
        runners_up: int,
        min_confidence: float | None = None,
    ) -> tuple[Answer, list[Answer]]:
        """The answer, and each root's own answer (for following the conversation in each)."""
        if top_k < 1 or runners_up < 0:
            raise ValueError("top_k must be at least 1 and runners_up at least 0")
        context, before, after = sizes
        wanted = (context if before is None else before, context if after is None else after)
        if min(wanted) < 0:
            raise ValueError("context, before and after must be at least 0")
        threshold = self.min_confidence if min_confidence is None else min_confidence
        if threshold is not None and not 0.0 <= threshold <= 1.0:
            raise ValueError("min_confidence must be from 0 to 1")
        states = states or [None] * len(self._roots)
        own = [
            root.engine.ask(
                question, top_k=top_k, context=state, runners_up=runners_up, min_confidence=threshold
            )
            for root, state in zip(self._roots, states, strict=True)
        ]
        cited = [_cited(root, answer, wanted) for root, answer in zip(self._roots, own, strict=True)]
        return (cited[0] if len(cited) == 1 else _best_of(cited, top_k, runners_up)), own


class Conversation:
    """Questions asked one after another, each able to lean on the last ("who leads it?", "since when?")."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self.last: Answer | None = None
        self._states: list[Context | None] = [None] * len(knowledge._roots)

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
        answer, own = kb._ask(question, self._states, top_k, sizes, runners_up, min_confidence)
        self._states = [
            root.engine.follow(mine, state)
            for root, mine, state in zip(kb._roots, own, self._states, strict=True)
        ]
        self.last = answer
        return answer

    def forget(self) -> None:
        """Start over: the next question does not refer to earlier ones."""
        self._states = [None] * len(self._states)


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


def _cited(root: _Root, answer: Answer, wanted: tuple[int, int]) -> Answer:
    """A root's answer with the sentences around each hit, and its sources named after the root."""
    if not answer.hits:
        return answer

    def cited(hit: Hit) -> Hit:
        if any(wanted):
            hit = _with_surroundings(root.index, hit, *wanted)
        return replace(
            hit,
            passage=root.cite(hit.passage),
            before=tuple(map(root.cite, hit.before)),
            after=tuple(map(root.cite, hit.after)),
        )

    return replace(
        answer, hits=tuple(map(cited, answer.hits)), runners_up=tuple(map(cited, answer.runners_up))
    )


def _best_of(answers: list[Answer], top_k: int, runners_up: int) -> Answer:
    """One answer from several roots' answers to the same question.

    Confidence is the chance of being right, comparable across roots where BM25 scores are not
    (each root's statistics are its own): the root answering with the highest confidence, then score,
    gives the answer; the other roots' passages follow it by score.  A question no root answers is
    declined, naming the words none of them holds.
    """
    known = [a for a in answers if a.known]
    if not known:
        best = max(answers, key=lambda a: a.confidence)
        missing = tuple(w for w in best.missing if all(w in a.missing for a in answers))
        return replace(best, missing=missing)
    best = max(known, key=lambda a: (a.confidence, a.hits[0].score))
    rest = sorted((h for a in known for h in a.hits if h is not best.hits[0]), key=lambda h: -h.score)
    spare = sorted((h for a in known for h in a.runners_up), key=lambda h: -h.score)
    missing = tuple(w for w in best.missing if all(w in a.missing for a in answers))
    hits = (best.hits[0], *rest[: top_k - 1])
    return replace(best, hits=hits, runners_up=tuple(spare[:runners_up]), missing=missing)


def _with_surroundings(index: Index, hit: Hit, before: int, after: int) -> Hit:
    """The hit with up to `before` and `after` sentences of its paragraph or section around it."""
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
    origin = passages[position]
    found: list[Passage] = []
    i = position + step
    while len(found) < count and 0 <= i < len(passages):
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
