"""The library's surface: clean a text, label paragraphs that are already split, or stream many documents."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from .byline import byline_metadata
from .document import Document, Paragraph
from .html import extract_html
from .labels import Label
from .persist import Model, load_model
from .segment import Span, split_spans

BATCH_DOCUMENTS = 64  # documents classified together: features are vectorised across the batch

Source = str | Mapping[str, Any]
SOURCE_FIELDS = ("id", "text", "paragraphs", "html")  # what a record's fields are read for; the rest is kept as meta


def clean(text: str, *, model: Model | None = None) -> Document:
    """Split `text` into paragraphs (one non-empty line each) and label every one."""
    return _labeled([split_spans(text)], model)[0]


def label(paragraphs: Sequence[str], *, model: Model | None = None) -> Document:
    """Label paragraphs that are already split; they are kept exactly as given, one label each."""
    return _labeled([_as_spans(paragraphs)], model)[0]


def clean_html(html: str | bytes, url: str | None = None, *, model: Model | None = None) -> Document:
    """Extract the text of an HTML page (bytes are decoded) and label every paragraph; the page's metadata
    (title, author, date, url, sitename) goes to ``Document.metadata``."""
    page = extract_html(html, url)
    document = _labeled([_as_spans(page.paragraphs)], model)[0]
    document.metadata = page.metadata | document.metadata
    return document


def clean_documents(
    documents: Iterable[Source], *, model: Model | None = None, batch_size: int = BATCH_DOCUMENTS
) -> Iterator[Document]:
    """Clean a stream of documents lazily, in order, loading the model once.

    Each item is a text, or a record with an ``id`` and either ``text`` (to be split), ``paragraphs``
    (already split) or ``html`` (a page, str or bytes, whose text is extracted; its ``url``, if any, helps).
    A record's other fields are kept in ``Document.meta``; an HTML page's metadata is in ``Document.metadata``.
    """
    model = model or load_model()
    items = iter(documents)
    while batch := list(islice(items, batch_size)):
        parsed = [_parse(item) for item in batch]
        labeled = _labeled([item.spans for item in parsed], model)
        for document, item in zip(labeled, parsed):
            document.id, document.meta, document.metadata = item.id, item.meta, item.metadata | document.metadata
            yield document


@dataclass(frozen=True, slots=True)
class _Parsed:
    """A source item read into paragraphs, with what the document keeps of it."""

    spans: list[Span]
    id: Any = None
    meta: dict[str, Any] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)


def _parse(item: Source) -> _Parsed:
    if isinstance(item, str):
        return _Parsed(split_spans(item))
    meta = {key: value for key, value in item.items() if key not in SOURCE_FIELDS}
    doc_id = item.get("id")  # kept as given: an integer id stays an integer
    if "paragraphs" in item:
        return _Parsed(_as_spans(item["paragraphs"]), doc_id, meta)
    if "text" in item:
        return _Parsed(split_spans(item["text"]), doc_id, meta)
    if "html" in item:
        page = extract_html(item["html"], item.get("url"))
        return _Parsed(_as_spans(page.paragraphs), doc_id, meta, page.metadata)
    raise ValueError(f"document {doc_id!r}: a record needs a 'text', 'paragraphs' or 'html' field")


def _as_spans(paragraphs: Sequence[str]) -> list[Span]:
    if isinstance(paragraphs, str):
        raise TypeError("label() takes a sequence of paragraphs; use clean() for a text")
    return [Span(str(p), -1, -1) for p in paragraphs]


def _labeled(documents: list[list[Span]], model: Model | None) -> list[Document]:
    """Classify a batch of documents at once and wrap the results, with what their bylines say."""
    model = model or load_model()
    predictions = model.estimator.decode([[span.text for span in spans] for spans in documents])
    labeled = []
    for spans, p in zip(documents, predictions):
        paragraphs = [
            Paragraph(span.text, Label(name), confidence, "sequence" if changed else "classifier", span.start, span.end)
            for span, name, confidence, changed in zip(spans, p.labels, p.confidences, p.by_sequence)
        ]
        bylines = (paragraph.text for paragraph in paragraphs if paragraph.label is Label.BYLINE)
        labeled.append(Document(paragraphs, metadata=byline_metadata(bylines)))
    return labeled
