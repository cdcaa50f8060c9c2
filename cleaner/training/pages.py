"""Labeled pages in every rendering: training and validation documents from many sites.

`models/labels/pages.jsonl` holds one record per page and rendering,
``{"source", "id", "rendering", "sha256", "labels"}``: the source folder under ../shared/data (``pages``,
``wcxb-dev``, ``wcxb-dev-other``), the page's id there, the rendering (`cleaner.training.renderings`), the SHA-256
of the rendered paragraphs and one label per paragraph. The text is never stored: it is rendered again from the
pages, and a page that renders to other paragraphs than were labeled is an error, never a shifted label.

A WCXB page's `page_type` (article, forum, service, ...) is in its ground truth (``ground-truth/ID.json``);
`skip_types` leaves out the pages of some types (the shipped model is trained without the forum threads:
models/README.md says why).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterator
from functools import cache
from pathlib import Path

from .align import HtmlPair, read_html_pairs
from .container import paragraphs_sha256
from .data import DataError, LabeledDocument, LabelMap, jsonl_records
from .renderings import RENDERINGS, render

FIELDS = frozenset({"source", "id", "rendering", "sha256", "labels"})


def read_labeled_pages(
    data: Path, labels_path: Path, renderings: Collection[str] = RENDERINGS, sources: Collection[str] | None = None,
    labels: LabelMap = LabelMap(), keep: Callable[[str], bool] | None = None, skip_types: Collection[str] = (),
) -> list[LabeledDocument]:
    """The labeled pages under `data` (one folder per source) in the chosen renderings and sources, and only those
    whose ``SOURCE/ID`` `keep` accepts when it is given and whose page type is not one of `skip_types`. A document's
    id is ``SOURCE/ID#RENDERING`` and its group the page's web site, so a site's renderings stay in one fold."""
    records = [(n, r) for n, r in _records(labels_path)
               if r["rendering"] in renderings and (sources is None or r["source"] in sources)
               and (keep is None or keep(f"{r['source']}/{r['id']}"))
               and not (skip_types and page_types(data / r["source"]).get(r["id"]) in skip_types)]
    pairs = _pairs(data, {(r["source"], r["id"]) for _, r in records})
    documents = []
    for number, record in records:
        pair = pairs.get((record["source"], record["id"]))
        if pair is None:
            raise DataError(labels_path, number, f"page {record['source']}/{record['id']} is not under {data}")
        paragraphs = render(pair.html, pair.gold.body, record["rendering"])
        if len(paragraphs) != len(record["labels"]) or paragraphs_sha256(paragraphs) != record["sha256"]:
            raise DataError(labels_path, number, f"page {record['source']}/{pair.id} renders to other {record['rendering']} "
                                                 f"paragraphs ({len(paragraphs)}) than were labeled ({len(record['labels'])})")
        parsed = tuple(labels.label(labels_path, number, name) for name in record["labels"])
        doc_id = f"{record['source']}/{pair.id}#{record['rendering']}"
        documents.append(LabeledDocument(doc_id, tuple(paragraphs), parsed, "site:" + pair.site.removeprefix("www.")))
    return documents


@cache
def page_types(root: Path) -> dict[str, str]:
    """The `page_type` of each page of a WCXB-layout set (ground-truth/ID.json), by page id; {} without one."""
    folder = root / "ground-truth"
    if not folder.is_dir():
        return {}
    types = {path.stem: json.loads(path.read_text(encoding="utf-8")).get("page_type") for path in folder.glob("*.json")}
    return {page_id: kind for page_id, kind in types.items() if kind}


def without_types(skip_types: Collection[str]) -> str:
    """What a model card's sources say of the page types left out: ", without the forum pages", or ""."""
    return f", without the {', '.join(skip_types)} pages" if skip_types else ""


def page_type(data: Path, doc: LabeledDocument) -> str | None:
    """The page type of a document that `read_labeled_pages` made from a page under `data`, if its set has types."""
    page = doc.id.rpartition("#")[0]
    source, _, page_id = page.partition("/")
    return page_types(data / source).get(page_id)


def source_and_rendering(doc: LabeledDocument) -> tuple[str, str]:
    """The source folder and the rendering of a document that `read_labeled_pages` made (id ``SOURCE/ID#RENDERING``)."""
    page, _, rendering = doc.id.rpartition("#")
    return page.split("/", 1)[0], rendering


def _pairs(data: Path, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], HtmlPair]:
    """The wanted pages' HTML and gold text, by (source, id); only theirs stay in memory."""
    pairs = {}
    for source in sorted({source for source, _ in wanted}):
        for pair in read_html_pairs(data / source):
            if (source, pair.id) in wanted:
                pairs[source, pair.id] = pair
    return pairs


def _records(path: Path) -> Iterator[tuple[int, dict]]:
    for number, record in jsonl_records(path):
        if not isinstance(record, dict) or not FIELDS <= record.keys():
            raise DataError(path, number, 'expected {"source", "id", "rendering", "sha256", "labels"}')
        if record["rendering"] not in RENDERINGS:
            raise DataError(path, number, f"unknown rendering {record['rendering']!r}")
        yield number, record
