"""Answer -> text for a terminal, or one JSON line.  Returns strings; never prints."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TextIO

from askbot.answering.cues import KIND_NOUNS
from askbot.answering.engine import Answer, Hit
from askbot.answering.evidence import Evidence
from askbot.documents.passages import Attachment, Passage, Skipped
from askbot.documents.walk import Ignored

_BOLD, _DIM, _GREEN, _YELLOW, _CYAN, _RESET = (
    "\x1b[1m",
    "\x1b[2m",
    "\x1b[32m",
    "\x1b[33m",
    "\x1b[36m",
    "\x1b[0m",
)
_WHITESPACE_RE = re.compile(r"\s+")


def wants_colour(stream: TextIO) -> bool:
    """Colour only on a terminal, and never with NO_COLOR set or TERM=dumb (no-color.org)."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def confidence_label(confidence: float) -> str:
    """A confidence a person can read: "high (92%)", the chance that the answer is right."""
    level = "high" if confidence >= 0.75 else "medium" if confidence >= 0.5 else "low"
    return f"{level} ({round(100 * confidence)}%)"


Link = Callable[[Passage], Path | None]  # the file a passage comes from, to link its citation to


def wants_hyperlinks(stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """Whether citations may be OSC 8 hyperlinks: on a terminal known to show them, or when asked.

    FORCE_HYPERLINK=1 or 0 decides outright.  Otherwise only terminals that announce themselves as
    supporting them get the escape codes, since an old terminal may print them as garbage.
    """
    environ = os.environ if environ is None else environ
    forced = environ.get("FORCE_HYPERLINK")
    if forced is not None:
        return forced not in ("", "0")
    if environ.get("TERM") == "dumb" or environ.get("CI"):
        return False
    try:
        if not stream.isatty():
            return False
    except (AttributeError, ValueError):
        return False
    vte = environ.get("VTE_VERSION", "")
    return (
        environ.get("TERM_PROGRAM") in _HYPERLINK_PROGRAMS
        or environ.get("TERM") in _HYPERLINK_TERMS
        or any(environ.get(name) for name in ("WT_SESSION", "KONSOLE_VERSION", "DOMTERM", "KITTY_WINDOW_ID"))
        or (vte.isdigit() and int(vte) >= 5000)  # GNOME Terminal and other VTE terminals since 0.50
    )


# Terminals that show OSC 8 hyperlinks, by $TERM_PROGRAM and by $TERM.
_HYPERLINK_PROGRAMS = frozenset({"iTerm.app", "WezTerm", "vscode", "ghostty", "Hyper", "rio", "Tabby"})
_HYPERLINK_TERMS = frozenset({"xterm-kitty", "xterm-ghostty", "alacritty", "foot", "foot-extra", "wezterm"})


def hyperlink(text: str, path: Path) -> str:
    """`text` as an OSC 8 hyperlink to the file `path` (with this host's name, as the spec asks)."""
    import socket
    from urllib.parse import quote

    absolute = path.absolute()
    if os.name == "nt":
        uri = absolute.as_uri()
    else:
        uri = f"file://{quote(socket.gethostname())}{quote(absolute.as_posix())}"
    return f"\x1b]8;;{uri}\x1b\\{text}\x1b]8;;\x1b\\"


def render_text(answer: Answer, colour: bool = False, link: Link | None = None) -> str:
    """The answer as readable prose: the passage, where it came from, the likely answer marked.

    What the passage introduces (a code block, list or table) follows it, indented four spaces;
    sentences of context (grep's -B/-A) stand indented before and after, dimmed on a terminal.  With
    `link`, each citation is a hyperlink to its file (see wants_hyperlinks).
    """
    if not answer.known:
        return _decline(answer, colour)
    lines = []
    for n, hit in enumerate(answer.hits, 1):
        prefix = f"{n}. " if len(answer.hits) > 1 else ""
        margin = " " * len(prefix)
        lines += [_paint(margin + "  " + _one_line(p.text), _DIM, colour) for p in hit.before]
        lines.append(prefix + _passage(hit, colour))
        if hit.passage.attached is not None:
            lines += [margin + "    " + line for line in hit.passage.attached.text.split("\n")]
        lines += [_paint(margin + "  " + _one_line(p.text), _DIM, colour) for p in hit.after]
        lines.append(margin + _paint(_citation(hit, answer, n == 1, link), _DIM, colour))
    return "\n".join(lines)


def _one_line(text: str) -> str:
    return _WHITESPACE_RE.sub(" ", text)


def _decline(answer: Answer, colour: bool) -> str:
    text = "I don't know"
    if answer.reason:
        text += f": {answer.reason}"
    elif answer.missing:
        quoted = ", ".join(f'"{w}"' for w in answer.missing[:8])
        text += f": the knowledge doesn't mention {quoted}"
    return _paint(text + ".", _YELLOW, colour)


def _citation(hit: Hit, answer: Answer, first: bool, link: Link | None = None) -> str:
    passage = hit.passage
    separator = " › " if passage.location else ", "
    where = f"{passage.source}{separator}{passage.citation}"
    path = link(passage) if link is not None else None
    if path is not None:
        where = hyperlink(where, path)
    parts = [f"— {where}", f"score {hit.score:.2f}"]
    if first:
        if hit.span_text is not None:
            parts.append(f"answer: {hit.span_text}")
        parts.append(f"confidence {confidence_label(answer.confidence)}")
    return " · ".join(parts)


def _passage(hit: Hit, colour: bool) -> str:
    """The passage on one line; on a terminal, matched words bold and the answer span green."""
    text = hit.passage.text
    if not colour:
        return _WHITESPACE_RE.sub(" ", text)
    marks: list[tuple[int, int, str]] = []
    if hit.span is not None:
        marks.append((hit.span[0], hit.span[1], _GREEN + _BOLD))
    taken = [hit.span] if hit.span is not None else []
    for word in hit.matched:
        for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE):
            if not any(a < m.end() and m.start() < b for a, b in taken):
                marks.append((m.start(), m.end(), _BOLD + _CYAN))
                taken.append(m.span())
    out, cursor = [], 0
    for start, end, style in sorted(marks):
        out += [text[cursor:start], style, text[start:end], _RESET]
        cursor = end
    out.append(text[cursor:])
    return _WHITESPACE_RE.sub(" ", "".join(out))


def _paint(text: str, style: str, colour: bool) -> str:
    return f"{style}{text}{_RESET}" if colour else text


def render_json(answer: Answer) -> str:
    """One JSON object on one line: the question and its answers, best first."""
    import json  # only --json needs it

    answers = []
    for hit in answer.hits:
        item: dict[str, object] = {
            "text": hit.passage.text,
            "source": hit.passage.source,
            "line": _line(hit.passage),
            "location": hit.passage.citation,
            "score": round(hit.score, 4),
            "span": hit.span_text,
            "matched": list(hit.matched),
            "context": {
                "before": [_context_json(p) for p in hit.before],
                "after": [_context_json(p) for p in hit.after],
            },
            "attached": _attached_json(hit.passage.attached),
        }
        answers.append(item)
    payload: dict[str, object] = {
        "question": answer.question,
        "answers": answers,
        "confidence": round(answer.confidence, 4),
    }
    if not answer.known:
        payload["missing"] = list(answer.missing)
        payload["reason"] = answer.reason
    return json.dumps(payload, ensure_ascii=False)


def _line(passage: Passage) -> int | None:
    """The passage's line, or None in formats numbered by paragraph (its location says which)."""
    return passage.line if passage.unit == "line" else None


def _attached_json(attached: Attachment | None) -> dict[str, object] | None:
    if attached is None:
        return None
    return {"kind": attached.kind, "text": attached.text, "line": attached.line}


def _context_json(passage: Passage) -> dict[str, object]:
    return {"text": passage.text, "line": _line(passage)}


def render_explanation(answer: Answer) -> str:
    """Why this answer: matched words and their share of the score, runners-up, confidence basis."""
    lines = [f"Question: {answer.question}"]
    if answer.expected:
        noun = KIND_NOUNS.get(answer.expected, answer.expected)
        lines.append(f"Looking for: {'an' if noun[:1] in 'aeiou' else 'a'} {noun}")
    if answer.missing:
        lines.append("Not in the knowledge: " + ", ".join(answer.missing))
    lines.append(
        f"Confidence {confidence_label(answer.confidence)}: the chance that the best passage answers, "
        "from a model fitted on questions about documents it was not fitted on."
    )
    if answer.evidence is not None:
        lines.append(_evidence(answer.evidence))
    if not answer.known:
        lines.append(f"Declined: {answer.reason}.")
    for title, hits in (("Answer", answer.hits), ("Runners-up", answer.runners_up)):
        if hits:
            lines.append(f"{title}:")
            lines.extend(_explain_hit(hit) for hit in hits)
    return "\n".join(lines)


def _evidence(evidence: Evidence) -> str:
    """What the confidence weighed, in a line: how much of the question the best passage holds."""
    parts = [
        f"the sentence holds {evidence.sentence_coverage:.0%} of the question's weight"
        f" ({evidence.coverage:.0%} with its paragraph)",
        f"the knowledge holds {evidence.known_share:.0%} of its words",
    ]
    if evidence.has_names:
        parts.append(f"names found {evidence.name_coverage:.0%}")
    if evidence.has_asked:
        parts.append(f"asked words found {evidence.asked_coverage:.0%}")
    if evidence.wants_type:
        parts.append(
            "an answer of the kind asked for " + ("is there" if evidence.type_found else "is missing")
        )
    return "Evidence: " + "; ".join(parts) + "."


def _explain_hit(hit: Hit) -> str:
    text = _WHITESPACE_RE.sub(" ", hit.passage.text)
    shown = text if len(text) <= 100 else text[:100] + "…"
    head = f"  {hit.score:6.2f}  {hit.passage.source}:{hit.passage.line}  {shown}"
    words = _contributions(hit.contributions)
    return head + ("\n          " + words if words else "")


def _contributions(contributions: dict[str, float]) -> str:
    ordered: Sequence[tuple[str, float]] = sorted(contributions.items(), key=lambda kv: -kv[1])
    return "matched: " + ", ".join(f"{term} +{value:.2f}" for term, value in ordered) if ordered else ""


_FORMATS = {
    ".md": "Markdown",
    ".markdown": "Markdown",
    ".rst": "reStructuredText",
    ".html": "HTML",
    ".htm": "HTML",
    ".pdf": "PDF",
    ".ipynb": "Jupyter notebook",
    ".docx": "Word",
    ".epub": "EPUB",
}


def render_sources(
    counts: Mapping[str, int],
    skipped: Sequence[Skipped] = (),
    ignored: Sequence[Ignored] = (),
    languages: Mapping[str, str] | None = None,
) -> str:
    """What is loaded, by format: each file with its passage count (and its language, when given); the
    files skipped and why; then the files and folders passed over while walking (`ignored`), and why."""
    languages = languages or {}
    by_format: dict[str, list[tuple[str, int]]] = {}
    for source, count in counts.items():
        by_format.setdefault(_format_of(source), []).append((source, count))
    lines = [f"{_plural(len(counts), 'file')}, {_plural(sum(counts.values()), 'passage')}:"]
    for name, files in sorted(by_format.items()):
        total = sum(count for _, count in files)
        lines.append(f"  {name}: {_plural(len(files), 'file')}, {_plural(total, 'passage')}")
        lines += [
            f"    {source}  {_plural(count, 'passage')}"
            + (f", {languages[source]}" if source in languages else "")
            for source, count in files
        ]
    if skipped:
        lines.append(f"skipped {_plural(len(skipped), 'file')}:")
        lines += [f"    {s.source}  ({s.reason})" for s in skipped]
    if ignored:
        lines.append(f"ignored {_plural(len(ignored), 'file or folder', 'files and folders')}:")
        lines += [f"    {i.source}  ({i.reason})" for i in ignored]
    return "\n".join(lines)


def _format_of(source: str) -> str:
    suffix = source[source.rfind(".") :].lower() if "." in source else ""
    return _FORMATS.get(suffix, "text")


def _plural(count: int, noun: str, nouns: str = "") -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {nouns or noun + 's'}"
