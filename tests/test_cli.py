"""The askbot command as a user runs it: exit codes, output formats, batch input and errors."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from askbot import api
from tests.conftest import ARTICLE


def askbot(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "askbot", *args],
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


def test_answers_with_the_passage_naming_the_leader() -> None:
    """ "who leads NMI?" answers with the Schreurs sentence, its source and line, exit 0."""
    result = askbot("who leads NMI?")
    assert result.returncode == 0
    assert "currently led by Lt. Gen. Lucas Schreurs" in result.stdout
    assert "nato-mission-iraq.txt, line 6" in result.stdout
    assert result.stderr == ""


def test_unknown_question_exits_1_and_names_missing_words() -> None:
    """A question the knowledge does not cover says so, names the words, and exits 1."""
    result = askbot("what is the capital of Australia?")
    assert result.returncode == 1
    assert "I don't know" in result.stdout and '"Australia"' in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["   "], "the question is empty"),
        (["--top-k", "0", "q"], "--top-k"),
        (["--knowledge", "/no/such/place", "q"], "not found"),
        (["--bogus"], "unrecognized arguments"),
    ],
)
def test_usage_and_knowledge_errors_exit_2_with_one_line(args: list[str], message: str) -> None:
    """Bad usage and a missing knowledge path give a one-line message on stderr and exit 2."""
    result = askbot(*args)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_empty_folder_is_an_error(tmp_path: Path) -> None:
    """A knowledge folder with nothing to read exits 2 with a message."""
    result = askbot("--knowledge", str(tmp_path), "q")
    assert result.returncode == 2 and "no .txt, .md" in result.stderr


def test_json_output_follows_the_contract() -> None:
    """--json prints one object per question with answers best first, at most top-k long."""
    result = askbot("--json", "--top-k", "3", "who leads NMI?")
    payload = json.loads(result.stdout)
    assert payload["question"] == "who leads NMI?"
    answers = payload["answers"]
    assert len(answers) == 3
    assert [a["score"] for a in answers] == sorted((a["score"] for a in answers), reverse=True)
    first = answers[0]
    assert first["source"] == "nato-mission-iraq.txt" and first["line"] == 6
    assert first["text"] in ARTICLE.read_text(encoding="utf-8")
    assert first["span"] == "Lt. Gen. Lucas Schreurs"


def test_json_declined_answer_is_empty() -> None:
    """A declined question has an empty answers list in JSON and exits 1."""
    result = askbot("--json", "how do I bake sourdough bread")
    assert result.returncode == 1
    assert json.loads(result.stdout)["answers"] == []


def test_batch_stdin_answers_each_line_in_order() -> None:
    """Without a question and with stdin not a terminal, each non-blank line is one question."""
    result = askbot("--json", stdin="who leads NMI?\n\n   \nhow do I bake bread\n")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["question"] for line in lines] == ["who leads NMI?", "how do I bake bread"]
    assert lines[0]["answers"] and not lines[1]["answers"]
    assert result.returncode == 1


def test_batch_of_answered_questions_exits_0() -> None:
    """A batch whose every question was answered exits 0."""
    assert askbot(stdin="who leads NMI?\nwho did Rutte meet in Baghdad?\n").returncode == 0


def test_pipe_output_is_plain_text() -> None:
    """In a pipe there are no colour codes, even with colour-friendly TERM."""
    result = askbot("who leads NMI?", env={"TERM": "xterm-256color"})
    assert "\x1b[" not in result.stdout


def test_explain_shows_matched_words_and_runners_up() -> None:
    """--explain prints each matched word's contribution and the runners-up."""
    result = askbot("--explain", "who leads NMI?")
    assert "matched:" in result.stdout and "Runners-up:" in result.stdout and "Confidence" in result.stdout
    assert "Looking for: a person's name" in result.stdout
    assert "Looking for: an age" in askbot("--explain", "how old is Rutte?").stdout


def test_sources_lists_files_and_skipped_ones(tmp_path: Path) -> None:
    """--sources lists loaded files with passage counts and skipped files with the reason."""
    (tmp_path / "good.txt").write_text("One sentence. Two sentences.", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\x00\xff")
    result = askbot("--knowledge", str(tmp_path), "--sources")
    assert "good.txt  2 passages" in result.stdout and "text: 1 file, 2 passages" in result.stdout
    assert "bad.txt  (binary file)" in result.stdout
    assert "skipped bad.txt: binary file" in result.stderr


def test_knowledge_can_come_from_the_environment(tmp_path: Path) -> None:
    """ASKBOT_KNOWLEDGE picks the knowledge when --knowledge is not given."""
    (tmp_path / "k.txt").write_text("The kettle whistles at noon.", encoding="utf-8")
    result = askbot("when does the kettle whistle", env={"ASKBOT_KNOWLEDGE": str(tmp_path)})
    assert result.returncode == 0 and "k.txt, line 1" in result.stdout


def test_bundled_knowledge_is_the_projects_folder_in_a_checkout() -> None:
    """Run from the source tree, the default knowledge is the project's knowledge/ folder."""
    assert api.default_knowledge() == [ARTICLE.parent]


def test_installed_package_answers_from_its_own_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Installed, askbot/default_knowledge/ (where the wheel puts knowledge/) is used."""
    package = tmp_path / "site-packages" / "askbot"
    (package / "default_knowledge").mkdir(parents=True)
    monkeypatch.setattr(api, "__file__", str(package / "api.py"))
    assert api.default_knowledge() == [package / "default_knowledge"]


def test_huge_question_is_handled_quickly() -> None:
    """A 100,000-character question is answered or refused without error."""
    result = askbot("--json", "Rutte " * 20_000)
    assert result.returncode in (0, 1) and json.loads(result.stdout)["question"]


def test_closed_pipe_ends_quietly() -> None:
    """`askbot q | head -c 10` prints no BrokenPipe traceback."""
    result = subprocess.run(
        f'"{sys.executable}" -m askbot --top-k 5 "who leads NMI?" | head -c 10',
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert len(result.stdout) == 10 and "Traceback" not in result.stderr


def test_interrupt_exits_130_without_traceback() -> None:
    """Ctrl-C (SIGINT) during a run exits 130 with no traceback."""
    process = subprocess.Popen(
        [sys.executable, "-m", "askbot"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write("who leads NMI?\n")
    process.stdin.flush()
    process.stdout.readline()  # it has answered, and now waits for the next question
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130 and "Traceback" not in err


def test_version_and_help() -> None:
    """--version prints the version; --help documents exit codes and options."""
    assert askbot("--version").stdout.startswith("askbot ")
    help_text = askbot("--help").stdout
    assert "--knowledge" in help_text and "exit status" in help_text


def test_help_wraps_options_to_the_terminal_width() -> None:
    """--help wraps its usage and options (not the examples) to $COLUMNS, as argparse does."""
    narrow = askbot("--help", env={"COLUMNS": "60"}).stdout
    wide = askbot("--help", env={"COLUMNS": "200"}).stdout
    usage = narrow[: narrow.index("\n\n")]
    options = narrow[narrow.index("positional arguments:") : narrow.index("exit status")]
    assert max(len(line) for line in (usage + options).splitlines()) <= 60
    assert len(wide.splitlines()) < len(narrow.splitlines())


def answer_in_process(then: str) -> str:
    """What `print(then)` prints in a fresh Python after askbot.cli.main answered "who leads NMI?"."""
    code = (
        "import contextlib, gc, io, sys\n"
        "from askbot.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    code = main(['who leads NMI?'])\n"
        f"print({then})"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout


def test_one_shot_from_the_cache_loads_no_chat_reader_or_indexer() -> None:
    """A one-shot answer from a warm cache imports no chat, sentence splitter, language detector,
    dictionary, ignore-pattern compiler or indexer, nor shutil (argparse's way to the terminal width)."""
    assert askbot("who leads NMI?").returncode == 0  # fills the cache
    unneeded = [
        "prompt_toolkit",
        "sentencex",
        "py3langid",
        "simplemma",
        "pathspec",
        "shutil",
        "askbot.analysis.sentences",
        "askbot.index.build",
        "askbot.index.indexing",
    ]
    assert answer_in_process(f"code, [m for m in {unneeded!r} if m in sys.modules]").strip() == "0 []"


def test_answering_leaves_the_cycle_collector_on() -> None:
    """The collector waits while the engine is imported, and runs again for the answering after it."""
    printed = answer_in_process("code, gc.isenabled(), gc.get_freeze_count() > 0")
    assert printed.split() == ["0", "True", "True"]


def test_markdown_html_and_pdf_are_answered_and_cited(tmp_path: Path) -> None:
    """Each format is read as prose and cited by heading, page title or page, with a location field."""
    from tests.documents import make_pdf

    (tmp_path / "guide.md").write_text(
        "---\ntitle: x\n---\n# Guide\n\n## Installation\n\nRun the **installer** from [the site](http://x).\n\n"
        "```\nrm -rf /\n```\n",
        encoding="utf-8",
    )
    (tmp_path / "page.html").write_bytes(
        b"<html><head><title>Ferries</title><script>var boat = 1;</script></head><body>"
        b"<nav>Home | Boats</nav><h1>Timetable</h1><p>The ferry leaves at dawn.</p></body></html>"
    )
    pdf = make_pdf(["Intro page."], ["The lighthouse keeper lives on the hill."])
    (tmp_path / "manual.pdf").write_bytes(pdf)
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a PDF")

    def ask(question: str) -> dict[str, object]:
        result = askbot("--knowledge", str(tmp_path), "--json", question)
        answer = json.loads(result.stdout)["answers"][0]
        assert isinstance(answer, dict)
        return answer

    assert ask("how do I run the installer?")["location"] == "Guide › Installation, line 8"
    assert ask("how do I run the installer?")["text"] == "Run the installer from the site."
    ferry = ask("when does the ferry leave?")
    assert ferry["source"] == "page.html" and ferry["location"].startswith("Ferries › Timetable")
    keeper = ask("where does the lighthouse keeper live?")
    assert keeper["source"] == "manual.pdf" and keeper["location"] == "page 2, line 1"
    assert askbot("--knowledge", str(tmp_path), "what is var boat").returncode == 1
    text = askbot("--knowledge", str(tmp_path), "where does the lighthouse keeper live?").stdout
    assert "manual.pdf › page 2, line 1" in text
    sources = askbot("--knowledge", str(tmp_path), "--sources")
    assert "PDF: 1 file, 2 passages" in sources.stdout and "Markdown: 1 file" in sources.stdout
    assert "broken.pdf  (broken PDF" in sources.stdout


def test_progress_bar_draws_for_large_folders_only() -> None:
    """Indexing many files draws a one-line bar ending in a newline; a few files draw nothing."""
    import io

    from askbot.cli import _progress_bar

    stream = io.StringIO()
    draw = _progress_bar(stream)
    for done in range(0, 101, 25):
        draw(done, 100)
    assert stream.getvalue().count("\rindexing [") == 5 and stream.getvalue().endswith("100/100 files\n")
    quiet = io.StringIO()
    _progress_bar(quiet)(3, 3)
    assert quiet.getvalue() == ""


def test_knowledge_with_nothing_readable_says_why(tmp_path: Path) -> None:
    """A knowledge path whose only file is skipped names the file and why, then exits 2."""
    (tmp_path / "scan.txt").write_bytes(b"\x00\x01\x02")
    result = askbot("--knowledge", str(tmp_path), "q")
    assert result.returncode == 2
    assert "skipped scan.txt: binary file" in result.stderr and "nothing readable" in result.stderr


def test_context_options_show_sentences_around_the_answer_as_grep_does() -> None:
    """-B 1 shows the sentence before the answer, indented above it; -C 0 shows none."""
    before = askbot("-B", "1", "who leads NMI?").stdout.splitlines()
    assert (
        before[0] == "  During his discussions, Rutte conferred with high-profile Iraqi officials including"
        " President Abdul Latif Rashid and Prime Minister Mohammed Shia Al-Sudani."
    )
    assert before[1].startswith("The NMI was officially launched") and before[2].startswith("— ")
    assert askbot("-C", "0", "who leads NMI?").stdout == askbot("who leads NMI?").stdout


def test_json_context_field_lists_sentences_before_and_after_with_lines() -> None:
    """--json -C 1 gives each answer a context of before and after sentences, each with its line."""
    answer = json.loads(askbot("--json", "-C", "1", "who leads NMI?").stdout)["answers"][0]
    assert answer["line"] == 6
    assert [c["line"] for c in answer["context"]["before"]] == [6]
    assert answer["context"]["after"] == []  # the answer ends its paragraph
    assert answer["text"].startswith("The NMI was officially launched")
    plain = json.loads(askbot("--json", "who leads NMI?").stdout)["answers"][0]
    assert plain["context"] == {"before": [], "after": []}


def test_context_counts_must_be_whole_numbers_from_0() -> None:
    """-A with a negative or non-numeric count is a usage error."""
    for value in ("-1", "x"):
        result = askbot("-A", value, "who leads NMI?")
        assert result.returncode == 2 and "-A" in result.stderr


def test_min_confidence_decides_whether_a_question_is_answered() -> None:
    """--min-confidence 0 answers; at 100% the same question is declined with exit 1 and a reason."""
    question = "how long did rutte stay in baghdad"
    low = askbot("--min-confidence", "0", "--json", question)
    high = askbot("--min-confidence", "100%", "--json", question)
    assert low.returncode == 0 and json.loads(low.stdout)["answers"]
    assert high.returncode == 1
    declined = json.loads(high.stdout)
    assert declined["answers"] == [] and declined["reason"]
    assert declined["confidence"] == json.loads(low.stdout)["confidence"]


def test_min_confidence_that_is_not_a_probability_is_a_usage_error() -> None:
    """A threshold outside 0 to 1 exits 2 with a one-line message and no traceback."""
    result = askbot("--min-confidence", "1.5x", "who leads NMI?")
    assert result.returncode == 2
    assert "not a probability" in result.stderr and "Traceback" not in result.stderr


def test_no_cache_writes_nothing_in_the_cache_directory(tmp_path: Path) -> None:
    """--no-cache answers, words the knowledge lacks and all, without writing anything in the cache
    directory: neither an index nor simplemma's dictionaries."""
    cache, notes = tmp_path / "cache", tmp_path / "notes"
    notes.mkdir()
    (notes / "harbour.txt").write_text("Ada Morrow leads the harbour of Velden.", encoding="utf-8")
    answers = []
    for question in ("who led the harbours of the villages?", "who leads the harbour?"):
        result = askbot("--no-cache", "-k", str(notes), question, env={"ASKBOT_CACHE_DIR": str(cache)})
        assert result.returncode in (0, 1) and result.stderr == ""
        answers.append(result.stdout)
    assert not cache.exists() and "Ada Morrow" in answers[1]
