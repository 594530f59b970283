"""The `askbot` command: argument parsing, exit codes, and the only place that prints and exits.

Exit codes, as grep has them: 0 answered, 1 did not know, 2 usage or knowledge error; 130 after
Ctrl-C.  With several questions (batch stdin), 0 when every one was answered.
"""

from __future__ import annotations

import argparse
import errno
import gc
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from askbot import __version__
from askbot.answering import DEFAULT_MIN_CONFIDENCE
from askbot.errors import AskbotError, UsageError

if TYPE_CHECKING:
    from askbot.api import Knowledge

EXIT_ANSWERED, EXIT_UNKNOWN, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130

_DESCRIPTION = """\
Answer questions from a folder of documents, citing the sentence that answers.

  askbot "who leads NMI?"            answer one question and exit
  askbot                             chat (on a terminal), or answer one question per line of stdin
  askbot --knowledge notes/ "..."    ask your own documents instead of the bundled article
"""
_EPILOG = """\
exit status: 0 answered, 1 did not know, 2 usage or knowledge error, 130 interrupted.
environment: ASKBOT_KNOWLEDGE (default knowledge: paths separated by os.pathsep), ASKBOT_CACHE_DIR,
ASKBOT_STATE_DIR, NO_COLOR, FORCE_HYPERLINK, VISUAL and EDITOR (for /open in the chat).
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see askbot --help)")


def _help_formatter(prog: str) -> argparse.HelpFormatter:
    """argparse's formatter, as wide as the terminal.  argparse itself would import shutil (and with it
    bz2 and lzma) to ask the width, which costs a one-shot answer more than the rest of the command line."""
    return argparse.RawDescriptionHelpFormatter(prog, width=_terminal_columns() - 2)


def _terminal_columns() -> int:
    """The terminal's width as `shutil.get_terminal_size` gives it: $COLUMNS, else stdout's, else 80."""
    given = os.environ.get("COLUMNS", "")
    columns = int(given) if given.isdigit() else 0
    if columns <= 0 and sys.__stdout__ is not None:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (ValueError, OSError):  # closed, detached, or not a terminal
            pass
    return columns if columns > 0 else 80


def build_parser() -> argparse.ArgumentParser:
    """The command line, documented for --help."""
    parser = _Parser(
        prog="askbot",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=_help_formatter,
    )
    parser.add_argument("question", nargs="*", help="the question; without one, chat or read stdin")
    parser.add_argument(
        "-k",
        "--knowledge",
        type=Path,
        action="append",
        metavar="PATH",
        help="a file, or a folder of .txt .md .rst .html .pdf .ipynb .docx .epub files; repeat for more",
    )
    parser.add_argument(
        "-n", "--top-k", type=_whole_number(1, 100), default=1, metavar="N", help="show the N best passages"
    )
    for flag, side in (("-A", "after"), ("-B", "before"), ("-C", "around")):
        parser.add_argument(
            flag,
            type=_whole_number(0, 100),
            metavar="N",
            dest=f"context_{side}",
            help=f"show N sentences {side} the answer, from its paragraph or section",
        )
    parser.add_argument(
        "--min-confidence",
        type=_probability,
        metavar="P",
        help="answer only when the best passage has at least this chance of being right"
        f" (0 to 1, or a percentage; default {DEFAULT_MIN_CONFIDENCE} in English,"
        " each other language's own elsewhere)",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per question, one per line")
    parser.add_argument(
        "--explain", action="store_true", help="show why: matched words, runners-up, confidence"
    )
    parser.add_argument(
        "--sources", action="store_true", help="list the loaded files and skipped ones, then exit"
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="with --sources, also the files and folders passed over, and why",
    )
    parser.add_argument(
        "--no-ignore",
        action="store_true",
        help="read hidden files and what .gitignore, .ignore and .askbotignore files ignore",
    )
    parser.add_argument(
        "--language",
        type=_language_code,
        metavar="CODE",
        help="every file's language, an ISO 639-1 code (de, zh, ...); by default each file's is detected",
    )
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the index cache")
    parser.add_argument("--version", action="version", version=f"askbot {__version__}")
    return parser


def _whole_number(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from `low` to `high`."""

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"must be from {low} to {high}")
        return number

    return parse


def _language_code(value: str) -> str:
    """An argparse type: a language askbot knows, by its ISO 639-1 code."""
    from askbot.analysis.languages import LANGUAGES

    code = value.strip().lower()
    if code not in LANGUAGES:
        raise argparse.ArgumentTypeError(
            f"unknown language {value!r} (known: {', '.join(sorted(LANGUAGES))})"
        )
    return code


def _probability(value: str) -> float:
    from askbot.answering.confidence import parse_probability

    try:
        return parse_probability(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a probability from 0 to 1 (or 0% to 100%): {value!r}"
        ) from None


def context_sizes(args: argparse.Namespace) -> tuple[int, int]:
    """Sentences wanted before and after the answer: -B and -A, each defaulting to -C, as in grep."""
    around = args.context_around or 0
    before = args.context_before if args.context_before is not None else around
    after = args.context_after if args.context_after is not None else around
    return before, after


def main(argv: Sequence[str] | None = None) -> int:
    """Run askbot; returns the exit code."""
    if hasattr(signal, "SIGPIPE"):
        # Die quietly when a reader such as `head` closes the pipe, as Unix tools do.
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    try:
        return _run(build_parser().parse_args(argv))
    except AskbotError as error:
        print(f"askbot: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as error:
        if error.errno in (errno.EPIPE, errno.EBADF):  # stdout closed or gone: nothing may flush into it
            _detach_stdout()
            print(f"askbot: cannot write the answer: {error.strerror}", file=sys.stderr)
        else:
            print(f"askbot: {error.strerror or error}: {error.filename or ''}".rstrip(": "), file=sys.stderr)
        return EXIT_ERROR


def _run(args: argparse.Namespace) -> int:
    with _long_lived():  # numpy and the engine
        from askbot.api import Knowledge

    question = " ".join(args.question)
    if args.question and not question.strip():
        raise UsageError("the question is empty")
    progress = _progress_bar(sys.stderr) if sys.stderr.isatty() else None
    knowledge = Knowledge(
        args.knowledge,
        cache=not args.no_cache,
        ignore=not args.no_ignore,
        warn=_warn,
        progress=progress,
        language=args.language,
        min_confidence=args.min_confidence,
    )
    if args.sources:
        from askbot.render import render_sources

        ignored = knowledge.ignored() if args.verbose else ()
        print(render_sources(knowledge.sources(), knowledge.skipped, ignored, knowledge.languages()))
        return EXIT_ANSWERED
    if args.question:
        return _answer_all(knowledge, [question], args)
    if sys.stdin.isatty():
        from askbot.repl import run_repl

        before, after = context_sizes(args)
        return run_repl(knowledge, top_k=args.top_k, context=(before, after))
    return _answer_all(knowledge, (line for line in sys.stdin if line.strip()), args)


@contextmanager
def _long_lived() -> Iterator[None]:
    """Around code making objects that live until exit, as importing numpy and the engine makes some
    15,000 that the cycle collector tracks: the collector, which would walk them again and again as they
    are made and free none, waits until all are in place, then leaves them out of its later walks."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
        gc.freeze()


def _answer_all(knowledge: Knowledge, questions: Iterable[str], args: argparse.Namespace) -> int:
    from askbot.render import render_explanation, render_json, render_text, wants_colour, wants_hyperlinks

    colour = wants_colour(sys.stdout)
    link = knowledge.path_of if wants_hyperlinks(sys.stdout) else None
    before, after = context_sizes(args)
    status = EXIT_ANSWERED
    for question in questions:
        answer = knowledge.ask(
            question.strip(),
            top_k=args.top_k,
            before=before,
            after=after,
            runners_up=3 if args.explain else 0,
        )
        if args.json:
            print(render_json(answer))
        else:
            print(render_text(answer, colour, link))
            if args.explain:
                print(render_explanation(answer))
        sys.stdout.flush()
        if not answer.known:
            status = EXIT_UNKNOWN
    return status


def _detach_stdout() -> None:
    try:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives until exit, like the stdout it replaces
    except OSError:
        pass


def _warn(message: str) -> None:
    print(f"askbot: warning: {message}", file=sys.stderr)


def _progress_bar(stream: TextIO) -> Callable[[int, int], None]:
    """A one-line progress bar for indexing, drawn only for folders of many files."""

    def draw(done: int, total: int) -> None:
        if total < 50:
            return
        width = 30
        filled = width * done // total
        end = "\n" if done == total else ""
        stream.write(f"\rindexing [{'#' * filled}{'.' * (width - filled)}] {done}/{total} files{end}")
        stream.flush()

    return draw
