"""Reading knowledge files and folders into passages."""

from __future__ import annotations

from pathlib import Path

import pytest

from askbot.documents.passages import UnreadableFile, read_document, split_passages
from askbot.documents.walk import Document, find_documents
from askbot.errors import KnowledgeError
from tests.conftest import ARTICLE


def test_article_splits_into_its_nineteen_sentences() -> None:
    """The bundled article gives 19 passages with abbreviations kept whole."""
    passages = split_passages(ARTICLE.read_text(encoding="utf-8"), "a.txt")
    assert len(passages) == 19
    assert any(
        p.text.endswith("currently led by Lt. Gen. Lucas Schreurs from the Netherlands.") for p in passages
    )
    assert passages[-1].text == "Original Source: news.az"


def test_passages_know_line_and_paragraph() -> None:
    """Each passage records the line it starts on and its paragraph number."""
    text = "First one. Second one.\n\nThird\nspans lines. Fourth."
    got = [(p.text, p.line, p.paragraph) for p in split_passages(text, "x")]
    assert got == [
        ("First one.", 1, 0),
        ("Second one.", 1, 0),
        ("Third\nspans lines.", 3, 1),
        ("Fourth.", 4, 1),
    ]


def test_windows_line_endings_count_lines_right() -> None:
    """CRLF files number their lines as a person sees them."""
    passages = split_passages("One.\r\n\r\nTwo.\r\n", "x")
    assert [(p.text, p.line) for p in passages] == [("One.", 1), ("Two.", 3)]


def test_folder_is_read_recursively_in_order(tmp_path: Path) -> None:
    """Text and Markdown files in subfolders are found; other files and hidden ones are not."""
    (tmp_path / "b").mkdir()
    for name in ("b/z.md", "a.txt", "c.pdf.bak", ".hidden.txt"):
        (tmp_path / name).write_text("Hello.", encoding="utf-8")
    assert [d.source for d in find_documents(tmp_path)] == ["a.txt", "b/z.md"]


def test_symlink_loops_are_walked_once(tmp_path: Path) -> None:
    """A folder linking to its parent does not make the walk loop forever."""
    (tmp_path / "a.txt").write_text("Hello.", encoding="utf-8")
    (tmp_path / "loop").symlink_to(tmp_path)
    assert [d.source for d in find_documents(tmp_path)] == ["a.txt"]


def test_missing_path_is_a_knowledge_error(tmp_path: Path) -> None:
    """A path that does not exist is reported by name."""
    with pytest.raises(KnowledgeError, match="not found"):
        list(find_documents(tmp_path / "nope"))


@pytest.mark.parametrize(
    ("data", "reason"), [(b"\x00\x01binary", "binary"), (b"caf\xe9 au lait", "not UTF-8")]
)
def test_binary_and_non_utf8_files_are_unreadable(tmp_path: Path, data: bytes, reason: str) -> None:
    """Binary and Latin-1 files raise UnreadableFile saying why."""
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(UnreadableFile, match=reason):
        read_document(Document(path, "bad.txt"))


def test_utf16_with_byte_order_mark_is_read(tmp_path: Path) -> None:
    """A UTF-16 file marked by its BOM (as Windows tools write) is read, not taken for binary."""
    path = tmp_path / "wide.txt"
    path.write_bytes("Größe matters. Second one.".encode("utf-16"))
    passages = read_document(Document(path, "wide.txt")).passages
    assert [p.text for p in passages] == ["Größe matters.", "Second one."]


def test_byte_order_mark_is_not_part_of_the_text(tmp_path: Path) -> None:
    """A UTF-8 BOM does not end up in the first passage."""
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffHello there.".encode())
    assert read_document(Document(path, "bom.txt")).passages[0].text == "Hello there."
