"""Markdown as documentation sites write it: what a sentence introduces, admonitions, tables."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from askbot import Knowledge
from askbot.documents.formats import Block, markdown_blocks
from askbot.documents.formats.callouts import unwrap_callouts
from askbot.documents.passages import Attachment, block_passages, searchable_text

GUIDE = """\
# Widget guide

## Installation

Install the widget with pip:

```sh
pip install widget
```

The widget needs Python 3.10. This means it runs on every current Linux.

## Configuration

The settings file holds these keys:

| key | meaning |
|---|---|
| timeout | seconds to wait |

Steps, in order:

- Stop the widget.
- Edit the file.

A list that is not introduced.

- Loose item.

To reset the cache, run the following.

    widget --reset-cache

```
orphan: a second code block, right after the first
```
"""


def attachments(blocks: list[Block]) -> dict[str, Attachment]:
    """The attachment of each block that has one, by the block's text."""
    return {b.text: b.attached for b in blocks if b.attached is not None}


def test_a_code_block_goes_with_the_paragraph_before_it_and_is_no_block() -> None:
    """The fenced code under "Install the widget with pip:" is its attachment, with the code's line."""
    blocks = markdown_blocks(GUIDE)
    assert attachments(blocks)["Install the widget with pip:"] == Attachment("code", "pip install widget", 8)
    assert not any("pip install" in b.text for b in blocks)


def test_an_indented_code_block_after_a_sentence_goes_with_it_too() -> None:
    """Indented code after "run the following." is attached even without a colon: code right after."""
    found = attachments(markdown_blocks(GUIDE))["To reset the cache, run the following."]
    assert found == Attachment("code", "widget --reset-cache", 32)


def test_code_with_no_paragraph_right_before_it_is_attached_to_nothing() -> None:
    """A second code block after the first one is left out, as code always was."""
    blocks = markdown_blocks(GUIDE)
    assert all("orphan" not in b.text for b in blocks)
    assert all("orphan" not in a.text for a in attachments(blocks).values())


def test_a_list_or_table_after_a_colon_is_attached_and_still_read_row_by_row() -> None:
    """After a sentence ending in ":", a table or list is attached as written; its rows stay blocks."""
    blocks = markdown_blocks(GUIDE)
    found = attachments(blocks)
    assert found["The settings file holds these keys:"] == Attachment(
        "table", "| key | meaning |\n|---|---|\n| timeout | seconds to wait |", 17
    )
    assert found["Steps, in order:"] == Attachment("list", "- Stop the widget.\n- Edit the file.", 23)
    assert "key: timeout · meaning: seconds to wait" in [b.text for b in blocks]
    assert "Stop the widget." in [b.text for b in blocks]


def test_a_list_after_a_sentence_without_a_colon_is_not_attached() -> None:
    """A paragraph that does not end in ":" does not introduce the list after it."""
    assert "A list that is not introduced." not in attachments(markdown_blocks(GUIDE))


def test_the_attachment_goes_with_the_last_sentence_of_its_block() -> None:
    """In "First. Then run:", only "Then run:" carries the code."""
    passages = block_passages(markdown_blocks("First one. Then run:\n\n```\ngo\n```\n"), "a.md")
    assert [(p.text, p.attached) for p in passages] == [
        ("First one.", None),
        ("Then run:", Attachment("code", "go", 4)),
    ]


def test_code_is_searchable_through_its_sentence_once_per_word() -> None:
    """A passage's searchable text adds each word of the code it introduces once; lists add nothing."""
    passages = block_passages(markdown_blocks("Run:\n\n```\nmake all\nmake all\n```\n\nDo:\n\n- x\n"), "a.md")
    assert searchable_text(passages[0]) == "Run:\nmake all"
    assert searchable_text(passages[1]) == "Do:"


def test_mkdocs_admonition_is_prose_under_its_title() -> None:
    """`!!! tip "Large files"` and its indented body give the body as prose, cited under the title."""
    text = (
        '# Upload\n\n!!! tip "Large files"\n    It is safe to upload large files.\n\n    Really.\n\nAfter.\n'
    )
    assert markdown_blocks(text) == [
        Block("It is safe to upload large files.", 4, "Upload › Large files"),
        Block("Really.", 6, "Upload › Large files"),
        Block("After.", 8, "Upload"),
    ]


def test_mkdocs_admonition_without_title_and_collapsible_ones_use_their_kind() -> None:
    """`!!! note` is titled "Note"; `???+ warning` folds the same way and is titled "Warning"."""
    text = "!!! note\n    Noted.\n\n???+ warning\n    Careful.\n"
    assert [(b.text, b.location) for b in markdown_blocks(text)] == [
        ("Noted.", "Note"),
        ("Careful.", "Warning"),
    ]


def test_github_alert_loses_its_marker() -> None:
    """`> [!NOTE]` is not read; the quote's text is, cited under "Note"."""
    blocks = markdown_blocks("# A\n\n> [!NOTE]\n> Useful information.\n\nPlain.\n")
    assert blocks == [Block("Useful information.", 4, "A › Note"), Block("Plain.", 6, "A")]


def test_docusaurus_admonitions_nest_and_take_their_titles() -> None:
    """`:::tip[Title]`, `:::info Title` and nested `::::` blocks are prose under the innermost title."""
    text = "::::info Outer\nOne.\n\n:::tip[Inner]\nTwo.\n:::\n\nThree.\n::::\n\nFour.\n"
    assert [(b.text, b.location, b.line) for b in markdown_blocks(text)] == [
        ("One.", "Outer", 2),
        ("Two.", "Inner", 5),
        ("Three.", "Outer", 8),
        ("Four.", "", 11),
    ]


def test_admonition_markers_inside_code_blocks_are_left_alone() -> None:
    """A fenced example of admonition syntax stays code: nothing unwrapped, nothing blanked."""
    text = "```\n!!! tip\n    x\n:::note\n:::\n```\n"
    assert unwrap_callouts(text) == (text, [])


def test_a_guide_answers_how_to_questions_with_the_code(tmp_path: Path) -> None:
    """Asked how to install, askbot gives "Install the widget with pip:" and the code under it."""
    (tmp_path / "guide.md").write_text(GUIDE, encoding="utf-8")
    kb = Knowledge(tmp_path, cache=False)
    answer = kb.ask("how do I install the widget?")
    assert answer.text == "Install the widget with pip:"
    assert answer.hits[0].passage.attached == Attachment("code", "pip install widget", 8)
    assert kb.ask("what does --reset-cache do?").text == "To reset the cache, run the following."
    env = {**os.environ, "NO_COLOR": "1"}
    command = [sys.executable, "-m", "askbot", "-k", str(tmp_path)]
    shown = subprocess.run(
        [*command, "how do I install the widget?"], capture_output=True, text=True, env=env
    )
    assert shown.stdout.splitlines()[:2] == ["Install the widget with pip:", "    pip install widget"]
    as_json = subprocess.run(
        [*command, "--json", "how do I install the widget?"], capture_output=True, text=True
    )
    attached = json.loads(as_json.stdout)["answers"][0]["attached"]
    assert attached == {"kind": "code", "text": "pip install widget", "line": 8}
