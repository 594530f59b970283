"""Rerun the console transcripts in README.md and check (or rewrite) the output they show.

    .venv/bin/python bench/transcripts.py           # show how each transcript's output differs; exit 1 if any
    .venv/bin/python bench/transcripts.py --write   # rewrite those output lines in README.md

Run it from the repository root with the project venv (src/ is put on PYTHONPATH for you). Which
blocks of the README it reruns:
- a ```console block of `$ askbot …` commands (also `$ VAR=… askbot …`, and with `;`, `|` after it):
  each command line is run by bash and the lines under it are its output, stdout and stderr together;
- a ```console block of `> question` lines: one chat session, the questions typed into the REPL in
  turn (prompt_toolkit's pipe input, on a dumb terminal), its greeting left out;
- a ```console block right after a ```python block: the script's output.
Commands it cannot rerun faithfully are listed as skipped, with why, and left as they are.

Each command runs in a fresh temporary cache and state directory, with NO_COLOR=1, FORCE_HYPERLINK=0
and COLUMNS=100, in a temporary working directory holding the fixtures the transcripts name: a copy of
bench/data/transcripts/ and of knowledge/, plus what cannot be kept in git, made at run time: the Word
document, EPUB book and notebook of library/ (built by the tests' own helpers in
tests/test_more_formats.py, which need the test dependencies), and proj/'s .git folder, ignored build
output, 2 GB sparse file of NUL bytes, named pipe and link to /dev/zero.
"""

from __future__ import annotations

import argparse
import difflib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
FIXTURES = ROOT / "bench" / "data" / "transcripts"
TIMEOUT = 300  # seconds for one command; a first index of the bundled article takes about two

# Settings of the person running this that would change what askbot prints.
PERSONAL = ("ASKBOT_", "FORCE_HYPERLINK", "VISUAL", "EDITOR")

# Commands left as they are, by a piece of their text, and why.
SKIPPED = {
    "FORCE_HYPERLINK=1": "the link holds this machine's host name and the checkout's absolute path",
}

# One chat session: type each question (argv) and Enter, then end of input, which leaves the chat.
CHAT = """\
import sys
from prompt_toolkit.input import create_pipe_input
from askbot import Knowledge
from askbot.repl import run_repl

with create_pipe_input() as keys:
    keys.send_text("".join(question + "\\r" for question in sys.argv[1:]))
    keys.close()
    run_repl(Knowledge(), input=keys)
"""


@dataclass(frozen=True)
class Step:
    """One command (or question) of a transcript and the output lines shown under it."""

    prompt: str  # "$ " or "> ", or "" for a Python script's output
    command: str
    output: list[str]


@dataclass(frozen=True)
class Transcript:
    """A console block of the README: its lines' span (between the fences) and its steps."""

    start: int
    end: int
    steps: list[Step]
    script: str = ""  # the Python code whose output the block shows

    @property
    def kind(self) -> str:
        return "python" if self.script else "chat" if self.steps[0].prompt == "> " else "commands"

    def lines(self) -> list[str]:
        return [line for s in self.steps for line in ([s.prompt + s.command] if s.prompt else []) + s.output]


def find_transcripts(lines: list[str]) -> Iterator[Transcript]:
    """The console blocks of the README that hold commands, a chat, or a Python script's output."""
    script, after_script = "", False
    i = 0
    while i < len(lines):
        fence = lines[i]
        if not fence.startswith("```"):
            after_script = after_script and not fence.strip()  # only blank lines between the two blocks
            i += 1
            continue
        end = lines.index("```", i + 1)
        body = lines[i + 1 : end]
        if fence == "```python":
            script, after_script = "\n".join(body) + "\n", True
        elif fence == "```console":
            if body and body[0][:2] in ("$ ", "> "):
                yield Transcript(i + 1, end, _steps(body))
            elif after_script:
                yield Transcript(i + 1, end, [Step("", "", body)], script)
            after_script = False
        else:
            after_script = False
        i = end + 1


def _steps(body: list[str]) -> list[Step]:
    steps: list[Step] = []
    for line in body:
        if line[:2] in ("$ ", "> "):
            steps.append(Step(line[:2], line[2:], []))
        else:
            steps[-1].output.append(line)
    return steps


def skip_reason(step: Step) -> str | None:
    """Why a command or question is left as it is, or None when it can be rerun."""
    if step.prompt == "$ " and " askbot " not in f" {step.command} ":
        return "not an askbot command"
    if step.prompt == "> " and step.command.startswith("/open"):
        return "/open needs an editor"
    return next((reason for piece, reason in SKIPPED.items() if piece in step.command), None)


def make_workdir(work: Path) -> None:
    """The fixtures the README's transcripts name, in `work`."""
    shutil.copytree(FIXTURES, work, symlinks=True, dirs_exist_ok=True)
    shutil.copytree(ROOT / "knowledge", work / "knowledge")
    sys.path.insert(0, str(ROOT))  # tests/ is a package of the repository, not installed
    from tests.test_more_formats import NOTEBOOK, make_docx, make_epub

    (work / "library" / "tides.ipynb").write_bytes(NOTEBOOK)
    (work / "library" / "manual.docx").write_bytes(make_docx())
    (work / "library" / "sea.epub").write_bytes(make_epub())

    proj = work / "proj"
    (proj / ".git").mkdir()  # the top of a repository: ignore files above it do not count
    (proj / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    for ignored in ("build/lib/pkg/__init__.py", "pkg.egg-info/PKG-INFO"):  # what its .gitignore names
        (proj / ignored).parent.mkdir(parents=True)
        (proj / ignored).write_text("Built.\n", encoding="utf-8")
    with (proj / "docs" / "huge.txt").open("wb") as huge:
        huge.truncate(2 * 10**9)  # sparse: NUL bytes that take no room on disk
    os.mkfifo(proj / "docs" / "pipe.txt")
    (proj / "docs" / "zero.md").symlink_to("/dev/zero")


def run(transcript: Transcript, work: Path) -> list[str]:
    """The transcript's lines as the current code prints them (a skipped command's as they were)."""
    if transcript.kind == "python":
        return _run([sys.executable, "-c", transcript.script], work)
    if transcript.kind == "chat":
        questions = [step.command for step in transcript.steps]
        return _chat_lines(_run([sys.executable, "-c", CHAT, *questions], work, TERM="dumb"))
    lines = []
    for step in transcript.steps:
        printed = step.output if skip_reason(step) else _run(["bash", "-c", step.command], work)
        lines += [step.prompt + step.command, *printed]
    return lines


def _chat_lines(printed: list[str]) -> list[str]:
    """The session without its greeting and the empty prompt it ends at."""
    if not (printed and printed[0].startswith("askbot ") and printed[-1].rstrip() == ">"):
        raise SystemExit("the chat did not start or end as expected:\n" + "\n".join(printed))
    return printed[1:-1]


def _run(command: list[str], work: Path, **extra: str) -> list[str]:
    """Run `command` in `work`, with a cache and state directory of its own; its output's lines."""
    with tempfile.TemporaryDirectory(prefix="askbot-state-") as state:
        env = {k: v for k, v in os.environ.items() if not k.startswith(PERSONAL)}
        env |= {
            "ASKBOT_CACHE_DIR": str(Path(state, "cache")),
            "ASKBOT_STATE_DIR": str(Path(state, "state")),
            "NO_COLOR": "1",
            "FORCE_HYPERLINK": "0",
            "COLUMNS": "100",
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
            "PYTHONPATH": str(ROOT / "src"),
            **extra,
        }
        result = subprocess.run(
            command,
            cwd=work,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=TIMEOUT,
        )
    printed = result.stdout.replace("\r\n", "\n").rstrip("\n")
    return printed.split("\n") if printed else []


def main(argv: Sequence[str] | None = None) -> int:
    """Rerun every transcript; report or rewrite those that differ. Exit 1 if any differ unwritten."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--write", action="store_true", help="rewrite the differing output in README.md")
    args = parser.parse_args(argv)

    lines = README.read_text(encoding="utf-8").split("\n")
    transcripts = list(find_transcripts(lines))
    rerun: dict[int, list[str]] = {}  # by the index of each transcript that differs
    with tempfile.TemporaryDirectory(prefix="askbot-transcripts-") as temporary:
        work = Path(temporary) / "work"
        make_workdir(work)
        for number, transcript in enumerate(transcripts):
            where = f"README.md:{transcript.start} ({transcript.kind}: {transcript.steps[0].command or '…'})"
            skipped = [(step, reason) for step in transcript.steps if (reason := skip_reason(step))]
            for step, reason in skipped:
                print(f"skipped  README.md:{transcript.start} ({step.prompt}{step.command}): {reason}")
            if skipped and (transcript.kind == "chat" or len(skipped) == len(transcript.steps)):
                continue  # a chat is one session: rerun whole or not at all
            shown, printed = transcript.lines(), run(transcript, work)
            if printed == shown:
                print(f"same     {where}")
                continue
            rerun[number] = printed
            print(f"{'rewrote' if args.write else 'differs'}  {where}")
            if not args.write:
                print("\n".join(difflib.unified_diff(shown, printed, "README.md", "rerun", lineterm="")))
    if not rerun or not args.write:
        return 1 if rerun else 0
    for number in sorted(rerun, reverse=True):  # the last first, so that no earlier block moves
        new = transcripts[number]
        lines[new.start : new.end] = rerun[number]
    README.write_text("\n".join(lines), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
