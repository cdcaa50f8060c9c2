"""Reviewed labels for pages that come as (HTML, gold text): training documents from more web sites.

../shared/data/train renders each page the way a scraper does: the article's container (two levels above the
common ancestor of the elements that hold the gold body) as html_text renders it, one paragraph a line.
`container_paragraphs` renders any page with gold text the same way, so other benchmarks' pages become plain
text of the same kind as the training pages. Their labels come from a labels file: JSONL records
``{"id", "sha256", "labels"}``, one label per rendered paragraph, with the SHA-256 of the rendered paragraphs, so
that a page which renders differently (another html_text, another page) is an error, never a shifted label.
The text itself is never stored: it is rendered again from the pages.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import html_text
from lxml.html import HtmlElement

from .align import GoldBody, read_html_pairs, words
from .data import DataError, LabeledDocument, LabelMap, jsonl_records
from ..html.extract import parse_page
from ..text.decode import decode_html

LEVELS_ABOVE = 2  # how far above the body blocks' common ancestor the container is, as in ../shared/data/train
MIN_BLOCK_WORDS = 6  # a shorter element can match the gold body by chance
BLOCK_TAGS = frozenset({
    "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "td", "dd", "dt", "figcaption",
    "section", "article", "span", "ul", "ol", "table", "tr",
})


def container_paragraphs(html: bytes, gold_body: str) -> list[str] | None:
    """The paragraphs of the page's article container, as html_text renders it; None when no element holds the
    gold body (or the page does not parse)."""
    root = parse_page(decode_html(html, "page"))
    if root is None:
        return None
    for element in root.xpath("//script|//style|//noscript"):
        element.drop_tree()
    blocks = _body_blocks(root, GoldBody.of(gold_body))
    if not blocks:
        return None
    container = _common_ancestor(blocks)
    for _ in range(LEVELS_ABOVE):
        container = container.getparent() if container.getparent() is not None else container
    text = html_text.extract_text(container, guess_layout=True)
    return [line.strip().replace("\t", " ") for line in text.splitlines() if line.strip()]


def _body_blocks(root: HtmlElement, gold: GoldBody) -> list[HtmlElement]:
    """The innermost block elements whose text is part of the gold body."""
    found = [
        element for element in root.iter()
        if isinstance(element.tag, str) and element.tag in BLOCK_TAGS
        and len(tokens := words(element.text_content())) >= MIN_BLOCK_WORDS and gold.holds(tokens)
    ]
    chosen = set(found)
    return [element for element in found if not any(inner in chosen for inner in element.iterdescendants())]


def _common_ancestor(elements: list[HtmlElement]) -> HtmlElement:
    paths = [[*reversed(list(element.iterancestors())), element] for element in elements]
    ancestor = paths[0][0]
    for level in zip(*paths):
        if any(node is not level[0] for node in level):
            break
        ancestor = level[0]
    return ancestor


def paragraphs_sha256(paragraphs: list[str]) -> str:
    return hashlib.sha256(json.dumps(paragraphs).encode()).hexdigest()


def reviewed_documents(root: Path, labels_path: Path, labels: LabelMap = LabelMap()) -> list[LabeledDocument]:
    """The pages under `root` that the labels file labels, rendered by `container_paragraphs`; each page's web site
    is its group. A page that is missing or renders to other paragraphs than were labeled is a `DataError`."""
    records = list(_records(labels_path))
    wanted = {record["id"] for _, record in records}
    pairs = {pair.id: pair for pair in read_html_pairs(root) if pair.id in wanted}  # only their HTML stays in memory
    documents = []
    for number, record in records:
        pair = pairs.get(record["id"])
        if pair is None:
            raise DataError(labels_path, number, f"page {record['id']!r} is not in {root}")
        paragraphs = container_paragraphs(pair.html, pair.gold.body) or []
        if len(paragraphs) != len(record["labels"]) or paragraphs_sha256(paragraphs) != record["sha256"]:
            raise DataError(labels_path, number, f"page {pair.id} renders to other paragraphs ({len(paragraphs)}) "
                                                 f"than were labeled ({len(record['labels'])})")
        parsed = tuple(labels.label(labels_path, number, name) for name in record["labels"])
        documents.append(LabeledDocument(pair.id, tuple(paragraphs), parsed, "site:" + pair.site.removeprefix("www.")))
    return documents


def _records(path: Path) -> Iterator[tuple[int, dict]]:
    for number, record in jsonl_records(path):
        if not isinstance(record, dict) or not {"id", "sha256", "labels"} <= record.keys():
            raise DataError(path, number, 'expected {"id", "sha256", "labels"}')
        yield number, record

