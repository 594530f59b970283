"""Zip files of XML (Word documents, EPUB books) read through the standard library, safely.

python-docx and EbookLib would each bring lxml (several MB, ~30 ms to import) to read what zipfile
and ElementTree read in a few dozen lines; so the readers use these, imported only when such a file
is read.  Members are read with a size cap, so a zip bomb is refused rather than unpacked;
ElementTree does not fetch external entities, and the expat it uses refuses entity expansion bombs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from askbot.documents.formats.blocks import UnreadableDocument

if TYPE_CHECKING:
    from xml.etree import ElementTree

MAX_UNPACKED_BYTES = 256 << 20


class ZipOfXml:
    """A zip file's members, read whole but never past MAX_UNPACKED_BYTES in all."""

    def __init__(self, data: bytes, kind: str) -> None:
        self.kind = kind
        import io
        import zipfile

        self._left = MAX_UNPACKED_BYTES
        self._errors = (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError)
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, ValueError, OSError):
            raise UnreadableDocument(f"broken {kind}: not a zip file") from None

    def read(self, name: str) -> bytes | None:
        """A member's bytes, or None when there is no such member."""
        try:
            with self._zip.open(name) as member:
                data = member.read(self._left + 1)
        except KeyError:
            return None
        except self._errors as error:
            raise UnreadableDocument(f"broken {self.kind}: {error}") from None
        self._left -= len(data)
        if self._left < 0:
            raise UnreadableDocument(f"{self.kind} unpacks to more than {MAX_UNPACKED_BYTES >> 20} MiB")
        return data

    def xml(self, name: str) -> ElementTree.Element | None:
        """A member parsed as XML, or None when there is no such member."""
        from xml.etree import ElementTree

        data = self.read(name)
        if data is None:
            return None
        try:
            return ElementTree.fromstring(data)
        except ElementTree.ParseError as error:
            raise UnreadableDocument(f"broken {self.kind}: {name}: {error}") from None
