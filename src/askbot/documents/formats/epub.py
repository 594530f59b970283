"""EPUB books: each chapter's paragraphs, numbered within the chapter, which is the location.

The chapters are the spine's XHTML files, in reading order, each read as HTML is; a chapter's title
comes from the book's table of contents (EPUB 3's nav document or EPUB 2's NCX), else from the page.
A book has no lines a person can go to, so `Block.line` is the paragraph's number in its chapter and
the citation says "paragraph 12" (askbot.documents.passages).
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING

from askbot.documents.formats.blocks import Block, UnreadableDocument, one_line
from askbot.documents.formats.html import read_page
from askbot.documents.formats.zipped import ZipOfXml

if TYPE_CHECKING:
    from xml.etree import ElementTree

_OPF = "{http://www.idpf.org/2007/opf}"
_CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
_NCX = "{http://www.daisy.org/z3986/2005/ncx/}"
_XHTML = "{http://www.w3.org/1999/xhtml}"


def epub_blocks(data: bytes) -> list[Block]:
    """A book's paragraphs in reading order, each numbered within its chapter, which is the location."""
    archive = ZipOfXml(data, "EPUB")
    package_path = _package_path(archive)
    package = archive.xml(package_path)
    if package is None:
        raise UnreadableDocument(f"broken EPUB: no {package_path}")
    folder = posixpath.dirname(package_path)
    items = {
        item.get("id"): (posixpath.normpath(posixpath.join(folder, item.get("href") or "")), item)
        for item in package.iter(_OPF + "item")
    }
    titles = _toc_titles(archive, items)
    blocks: list[Block] = []
    for number, ref in enumerate(package.iter(_OPF + "itemref"), 1):
        path, item = items.get(ref.get("idref"), ("", None))
        if item is None or "html" not in (item.get("media-type") or ""):
            continue
        page = archive.read(path)
        if page is None:
            continue
        title, chapter_blocks = read_page(page)
        first_heading = next((b.location for b in chapter_blocks if b.location), "")
        chapter = titles.get(path) or title or first_heading or f"chapter {number}"
        blocks += [Block(one_line(b.text), n, chapter) for n, b in enumerate(chapter_blocks, 1)]
    return blocks


def _package_path(archive: ZipOfXml) -> str:
    """Where the book's package document (.opf) is, as META-INF/container.xml says."""
    container = archive.xml("META-INF/container.xml")
    rootfile = container.find(f".//{_CONTAINER}rootfile") if container is not None else None
    if rootfile is None or not rootfile.get("full-path"):
        raise UnreadableDocument("not an EPUB book (no META-INF/container.xml)")
    return rootfile.get("full-path") or ""


def _toc_titles(
    archive: ZipOfXml, items: dict[str | None, tuple[str, ElementTree.Element]]
) -> dict[str, str]:
    """Chapter file -> its title in the table of contents (EPUB 3's nav document, or EPUB 2's NCX)."""
    titles: dict[str, str] = {}
    for path, item in items.values():
        is_nav = "nav" in (item.get("properties") or "").split()
        if not is_nav and item.get("media-type") != "application/x-dtbncx+xml":
            continue
        toc = archive.xml(path)
        if toc is None:
            continue
        folder = posixpath.dirname(path)
        links = _nav_links(toc) if is_nav else _ncx_links(toc)
        for href, title in links:
            target = posixpath.normpath(posixpath.join(folder, href.split("#")[0]))
            if one_line(title):
                titles.setdefault(target, one_line(title))
    return titles


def _nav_links(nav: ElementTree.Element) -> list[tuple[str, str]]:
    """(href, title) of each link in an EPUB 3 nav document."""
    return [(a.get("href") or "", "".join(a.itertext())) for a in nav.iter(_XHTML + "a")]


def _ncx_links(ncx: ElementTree.Element) -> list[tuple[str, str]]:
    """(src, title) of each navigation point of an EPUB 2 NCX."""
    links = []
    for point in ncx.iter(_NCX + "navPoint"):
        content, label = point.find(_NCX + "content"), point.find(_NCX + "navLabel")
        if content is not None and label is not None:
            links.append((content.get("src") or "", "".join(label.itertext())))
    return links
