"""HTML input: decode a page, let trafilatura find its text with high recall, and split it into paragraphs.

trafilatura runs with ``favor_recall`` and comments included, so that cleaner, not the extractor, decides
what is body: the paragraphs it returns still hold bylines, captions, link lists and the comment section.
Each block element of trafilatura's output (paragraph, heading, list item, quote, table row, line of a
``<br>``-broken block) becomes one paragraph, in document order, the comment section last.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import trafilatura
from lxml.etree import _Element
from trafilatura.baseline import html2txt

from .io import decode_html
from .segment import split_paragraphs

# The metadata fields of trafilatura that cleaner passes on, under cleaner's names.
METADATA_FIELDS = {"title": "title", "author": "author", "date": "date", "url": "url", "sitename": "sitename"}
# Elements of trafilatura's XML that start and end a paragraph; everything else is inline text.
BLOCK_TAGS = frozenset({"p", "head", "item", "quote", "code", "row", "list", "table", "div", "graphic", "body"})
LINE_BREAK_TAG = "lb"
CELL_TAG = "cell"  # table cells of one row are joined into one paragraph, separated by a space


@dataclass(slots=True)
class HtmlPage:
    """The text of an HTML page as paragraphs, and its metadata (title, author, date, url, sitename)."""

    paragraphs: list[str]
    metadata: dict[str, Any] = field(default_factory=dict)


def extract_html(html: str | bytes, url: str | None = None) -> HtmlPage:
    """The paragraphs of a page, one per block element, and trafilatura's metadata.

    Bytes are decoded (see `decode_html`). The page title comes first when trafilatura's text does not
    start with it, so that the classifier sees the headline as a scraper's text would show it. A page where
    trafilatura finds no text falls back to all the text of the page, so nothing is lost to the extractor.
    """
    text = decode_html(html, url or "<html>") if isinstance(html, bytes) else html
    extracted = trafilatura.bare_extraction(
        text, url=url, favor_recall=True, include_comments=True, include_tables=True, with_metadata=True
    )
    if extracted is None:
        return HtmlPage(split_paragraphs(html2txt(text)), {name: None for name in METADATA_FIELDS.values()} | {"url": url})
    metadata = {ours: getattr(extracted, theirs, None) for theirs, ours in METADATA_FIELDS.items()}
    metadata["url"] = metadata["url"] or url
    paragraphs = block_paragraphs(extracted.body)
    if extracted.commentsbody is not None:
        paragraphs += block_paragraphs(extracted.commentsbody)
    title = metadata["title"]
    if title and (not paragraphs or paragraphs[0] != title):
        paragraphs.insert(0, title)
    return HtmlPage(paragraphs, metadata)


def block_paragraphs(root: _Element | None) -> list[str]:
    """The text of trafilatura's XML tree, one paragraph per block element or ``<lb/>``-separated line."""
    paragraphs: list[str] = []
    pieces: list[str] = []

    def flush() -> None:
        text = " ".join("".join(pieces).split())
        if text:
            paragraphs.append(text)
        pieces.clear()

    def walk(element: _Element) -> None:
        is_block = element.tag in BLOCK_TAGS
        if is_block or element.tag == LINE_BREAK_TAG:
            flush()
        pieces.append(element.text or "")
        for child in element:
            walk(child)
        if is_block:
            flush()
        elif element.tag == CELL_TAG:
            pieces.append(" ")
        pieces.append(element.tail or "")

    if root is not None:
        walk(root)
        flush()
    return paragraphs
