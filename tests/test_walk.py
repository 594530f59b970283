"""Walking a knowledge folder as ripgrep does: ignore files, hidden names, and only regular files read."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from askbot.documents.passages import FIRST_BLOCK, MAX_FILE_BYTES, UnreadableFile, read_document, read_file
from askbot.documents.walk import Document, Ignored, find_documents, walk
from askbot.errors import KnowledgeError

needs_posix = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs, sockets and /dev are POSIX")


def make(root: Path, *names: str, text: str = "Some prose.") -> None:
    """Files under `root`, folders made as needed."""
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def sources(root: Path, ignore: bool = True) -> list[str]:
    return [d.source for d in find_documents(root, ignore)]


def test_gitignored_build_output_is_not_read(tmp_path: Path) -> None:
    """A project's build/ and *.egg-info/, ignored by its .gitignore, are passed over; docs are read."""
    (tmp_path / ".gitignore").write_text("build/\n*.egg-info/\n", encoding="utf-8")
    make(tmp_path, "README.md", "docs/guide.md", "build/lib/pkg/data.txt", "pkg.egg-info/PKG-INFO.txt")
    assert sources(tmp_path) == ["README.md", "docs/guide.md"]
    ignored = {i.source: i.reason for i in walk(tmp_path) if isinstance(i, Ignored)}
    assert ignored["build/"] == ".gitignore:1: build/"
    assert ignored["pkg.egg-info/"] == ".gitignore:2: *.egg-info/"


def test_no_ignore_reads_ignored_and_hidden_files(tmp_path: Path) -> None:
    """With ignore=False, ignored folders and hidden files are read too."""
    (tmp_path / ".gitignore").write_text("build/\n", encoding="utf-8")
    make(tmp_path, "a.md", "build/b.txt", ".notes/c.md")
    assert sources(tmp_path) == ["a.md"]
    assert sources(tmp_path, ignore=False) == ["a.md", ".notes/c.md", "build/b.txt"]


def test_deeper_and_stronger_ignore_files_override(tmp_path: Path) -> None:
    """A subfolder's ignore file overrides its parent's; .askbotignore overrides .ignore and .gitignore."""
    (tmp_path / ".gitignore").write_text("*.txt\n", encoding="utf-8")
    (tmp_path / "keep" / ".gitignore").parent.mkdir()
    (tmp_path / "keep" / ".gitignore").write_text("!*.txt\n", encoding="utf-8")
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / ".gitignore").write_text("!*.txt\n", encoding="utf-8")
    (tmp_path / "drafts" / ".askbotignore").write_text("*.txt\n", encoding="utf-8")
    make(tmp_path, "a.txt", "keep/b.txt", "drafts/c.txt", "drafts/d.md")
    assert sources(tmp_path) == ["drafts/d.md", "keep/b.txt"]


def test_a_file_in_an_ignored_folder_cannot_be_re_included(tmp_path: Path) -> None:
    """As in git, `!keep.md` does not bring back build/keep.md when build/ itself is ignored."""
    (tmp_path / ".gitignore").write_text("build\n!keep.md\n", encoding="utf-8")
    make(tmp_path, "keep.md", "build/keep.md")
    assert sources(tmp_path) == ["keep.md"]


def test_walk_agrees_with_git(tmp_path: Path) -> None:
    """On tricky patterns, the files read are the untracked, unignored ones git lists (hidden left out)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    (tmp_path / ".gitignore").write_text(
        "*\n!*/\n!*.md\n!*.txt\nbuild\n!/foo/build\ndocs/*\n!docs/keep/\na/**/deep.md\n"
        "\\#hash.md\nbad\\\nlogs/\n*.tmp.md\n",
        encoding="utf-8",
    )
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / ".gitignore").write_text("!*.tmp.md\n/only-here.md\n", encoding="utf-8")
    make(
        tmp_path,
        "a.md", "b.html", "c.txt", "#hash.md", "x.tmp.md", "sub/y.tmp.md", "sub/only-here.md",
        "only-here.md", "build/d.md", "foo/build/e.md", "docs/f.md", "docs/keep/g.md",
        "docs/drop/h.md", "a/deep.md", "a/b/c/deep.md", "a/b/shallow.md", "logs/i.md", "n/logs/j.md",
    )  # fmt: skip
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    listed = subprocess.run(
        ["git", "-C", str(tmp_path), "ls-files", "--others", "--exclude-standard"],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    expected = sorted(p for p in listed if p.endswith((".md", ".txt")) and "/." not in "/" + p)
    assert sorted(sources(tmp_path)) == expected
    assert "foo/build/e.md" in expected and "docs/keep/g.md" in expected  # the tricky cases are there


def test_ignore_files_above_the_root_count_inside_a_repository(tmp_path: Path) -> None:
    """Pointed at repo/docs, the repository's .gitignore applies, without hiding docs/ itself."""
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("docs\n*.draft.md\n", encoding="utf-8")
    make(tmp_path, "docs/a.md", "docs/b.draft.md", "docs/docs/c.md")
    assert sources(tmp_path / "docs") == ["a.md"]


def test_ignore_files_above_the_root_do_not_count_outside_a_repository(tmp_path: Path) -> None:
    """Without a git repository around it, a folder's parents' ignore files are none of its business."""
    (tmp_path / ".gitignore").write_text("*.md\n", encoding="utf-8")
    make(tmp_path, "notes/a.md")
    assert sources(tmp_path / "notes") == ["a.md"]


def test_an_unparsable_pattern_leaves_the_others_working(tmp_path: Path) -> None:
    """A line git rejects (a trailing backslash) is skipped; the following lines still apply."""
    (tmp_path / ".ignore").write_text("odd\\\n*.txt\n", encoding="utf-8")
    make(tmp_path, "a.txt", "b.md")
    assert sources(tmp_path) == ["b.md"]


def test_hidden_files_and_folders_are_passed_over_and_said_so(tmp_path: Path) -> None:
    """Names starting with a dot are not read; walk() says they are hidden."""
    make(tmp_path, ".hidden.md", ".cache/x.md", "seen.md")
    found = list(walk(tmp_path))
    assert found == [
        Ignored(".cache/", "hidden"),
        Ignored(".hidden.md", "hidden"),
        Document(tmp_path / "seen.md", "seen.md"),
    ]


@needs_posix
def test_fifos_sockets_and_devices_are_found_but_never_opened(tmp_path: Path) -> None:
    """A FIFO, a socket and a link to /dev/zero with knowledge names are found, marked unreadable."""
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "zero.md").symlink_to("/dev/zero")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tmp_path / "sock.md"))
        problems = {d.source: d.problem for d in find_documents(tmp_path)}
    assert problems == {
        "pipe.txt": "not a regular file (FIFO)",
        "sock.md": "not a regular file (socket)",
        "zero.md": "not a regular file (character device)",
    }
    with pytest.raises(UnreadableFile, match="FIFO"):
        read_document(Document(tmp_path / "pipe.txt", "pipe.txt", problems["pipe.txt"]))


@needs_posix
def test_a_fifo_swapped_in_after_the_walk_is_refused_without_blocking(tmp_path: Path) -> None:
    """read_file opens without waiting for a writer, and refuses what is not a regular file."""
    os.mkfifo(tmp_path / "late.txt")
    with pytest.raises(UnreadableFile, match="not a regular file"):
        read_file(tmp_path / "late.txt")


@needs_posix
def test_the_cli_answers_past_a_fifo_and_a_device_and_warns(tmp_path: Path) -> None:
    """askbot -k on a folder holding a FIFO and a link to /dev/urandom answers, warning of each."""
    make(tmp_path, "notes.md", text="The kettle whistles at noon.")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "random.md").symlink_to("/dev/urandom")
    result = subprocess.run(
        [sys.executable, "-m", "askbot", "-k", str(tmp_path), "when does the kettle whistle?"],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert result.returncode == 0 and "kettle whistles at noon" in result.stdout
    assert "skipped pipe.txt: not a regular file (FIFO)" in result.stderr
    assert "skipped random.md: not a regular file (character device)" in result.stderr


def test_a_huge_binary_file_is_judged_from_its_first_block(tmp_path: Path) -> None:
    """A sparse file of NULs far beyond the size limit is called binary: only its first block is read."""
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES * 8)
    with pytest.raises(UnreadableFile, match="binary file"):
        read_file(path)


def test_a_file_beyond_the_size_limit_is_skipped(tmp_path: Path) -> None:
    """A text file larger than MAX_FILE_BYTES is refused before it is read."""
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.write(b"Prose. " * (FIRST_BLOCK // 7 + 1))
        handle.truncate(MAX_FILE_BYTES + 1)  # the rest is NULs, past the first block
    with pytest.raises(UnreadableFile, match="larger than 256 MiB"):
        read_file(path)


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="needs Linux's /proc")
def test_a_file_that_grows_past_its_size_while_read_is_refused(tmp_path: Path) -> None:
    """A /proc file says it is empty and then gives text: refused as growing, not followed."""
    (tmp_path / "status.txt").symlink_to("/proc/self/status")
    with pytest.raises(UnreadableFile, match="grew while being read, past its size of 0 bytes"):
        read_file(tmp_path / "status.txt")


def test_a_root_that_is_a_device_is_a_knowledge_error() -> None:
    """-k /dev/null names what the path is instead of hanging or reading it."""
    if not Path("/dev/null").exists():
        pytest.skip("no /dev/null")
    with pytest.raises(KnowledgeError, match="character device, not a file or folder"):
        list(find_documents(Path("/dev/null")))


def test_sources_verbose_lists_what_was_ignored_and_why(tmp_path: Path) -> None:
    """askbot --sources --verbose names each ignored file or folder with the rule or reason."""
    (tmp_path / ".gitignore").write_text("build/\n", encoding="utf-8")
    make(tmp_path, "a.md", "build/b.txt", "c.py")
    result = subprocess.run(
        [sys.executable, "-m", "askbot", "-k", str(tmp_path), "--sources", "--verbose"],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert "ignored 3 files and folders:" in result.stdout
    assert "    build/  (.gitignore:1: build/)" in result.stdout
    assert "    .gitignore  (hidden)" in result.stdout
    assert "    c.py  (not a format askbot reads)" in result.stdout
    quiet = subprocess.run(
        [sys.executable, "-m", "askbot", "-k", str(tmp_path), "--sources"],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert "ignored" not in quiet.stdout


def test_bracket_and_escaped_patterns_match_as_git_reads_them(tmp_path: Path) -> None:
    """`[Bb]uild/` and `\\#notes.md` (a literal #) ignore what they name."""
    (tmp_path / ".gitignore").write_text("[Bb]uild/\n\\#notes.md\n", encoding="utf-8")
    make(tmp_path, "Build/a.md", "build/b.md", "#notes.md", "notes.md")
    assert sources(tmp_path) == ["notes.md"]


def test_an_ignore_file_naming_nothing_here_costs_no_pattern_library(tmp_path: Path) -> None:
    """pathspec is imported only once a pattern could match a path being walked."""
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text(".venv/\n*.egg-info/\nbuild/\n", encoding="utf-8")
    make(tmp_path, "docs/guide.md", "other/build/x.md")
    code = (
        "import sys; from pathlib import Path; from askbot.documents.walk import find_documents; "
        "print([d.source for d in find_documents(Path(sys.argv[1]))], 'pathspec' in sys.modules)"
    )
    for root, expected in (("docs", "['guide.md'] False"), ("other", "[] True")):
        result = subprocess.run(
            [sys.executable, "-c", code, str(tmp_path / root)], capture_output=True, text=True, check=True
        )
        assert result.stdout.strip() == expected
