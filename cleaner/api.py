"""The library's surface: clean a text, label paragraphs that are already split, or stream many documents."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice
from typing import Any

from .document import Document, InvariantError, Paragraph
from .labels import Label
from .persist import Model, load_model
from .segment import LONE_SURROGATE, Span, split_spans

BATCH_DOCUMENTS = 64  # documents classified together: features are vectorised across the batch
# The model sees at most this much of a paragraph. A line of megabytes (a data blob, a page without line
# breaks) would otherwise make millions of character n-grams; the paragraph itself is kept whole.
MAX_CLASSIFIED_CHARS = 100_000

Source = str | Mapping[str, Any]


def clean(text: str, *, model: Model | None = None) -> Document:
    """Split `text` into paragraphs (one non-empty line each) and label every one."""
    return _labeled([split_spans(text)], model)[0]


def label(paragraphs: Sequence[str], *, model: Model | None = None) -> Document:
    """Label paragraphs that are already split; they are kept exactly as given, one label each."""
    return _labeled([_as_spans(paragraphs)], model)[0]


def clean_documents(
    documents: Iterable[Source], *, model: Model | None = None, batch_size: int = BATCH_DOCUMENTS
) -> Iterator[Document]:
    """Clean a stream of documents lazily, in order, loading the model once.

    Each item is a text, or a record with an ``id`` and either ``text`` (to be split) or
    ``paragraphs`` (already split). A record's other fields are kept in ``Document.meta``.
    """
    model = model or load_model()
    items = iter(documents)
    while batch := list(islice(items, batch_size)):
        parsed = [_parse(item) for item in batch]
        labeled = _labeled([spans for spans, _, _ in parsed], model, [doc_id for _, doc_id, _ in parsed])
        for document, (_, _, meta) in zip(labeled, parsed, strict=True):
            document.meta = meta
            yield document


def _parse(item: Source) -> tuple[list[Span], Any, dict[str, Any]]:
    """A stream item's paragraphs, id and other fields; a TypeError or ValueError names a malformed one."""
    if isinstance(item, str):
        return split_spans(item), None, {}
    if not isinstance(item, Mapping):
        raise TypeError(f"document {item!r:.60}: expected a text or a record (a mapping), not {type(item).__name__}")
    meta = {key: value for key, value in item.items() if key not in ("id", "text", "paragraphs")}
    doc_id = item.get("id")  # kept as given: an integer id stays an integer
    if "paragraphs" in item:
        paragraphs = item["paragraphs"]
        if isinstance(paragraphs, (str, bytes)) or not isinstance(paragraphs, Sequence):
            raise TypeError(f"document {doc_id!r}: 'paragraphs' must be a list of strings, "
                            f"not {type(paragraphs).__name__}")
        return _as_spans(paragraphs), doc_id, meta
    if "text" in item:
        if not isinstance(item["text"], str):
            raise TypeError(f"document {doc_id!r}: 'text' must be a string, not {type(item['text']).__name__}")
        return split_spans(item["text"]), doc_id, meta
    raise ValueError(f"document {doc_id!r}: a record needs a 'text' or a 'paragraphs' field")


def _as_spans(paragraphs: Sequence[str]) -> list[Span]:
    if isinstance(paragraphs, str):
        raise TypeError("label() takes a sequence of paragraphs; use clean() for a text")
    return [Span(str(p), -1, -1) for p in paragraphs]


def _model_text(text: str) -> str:
    """What the model reads of a paragraph: its start, with lone surrogates as U+FFFD (n-gram hashing encodes
    text, and they cannot be encoded); the paragraph itself keeps them."""
    return LONE_SURROGATE.sub("\ufffd", text[:MAX_CLASSIFIED_CHARS])


def _labeled(documents: list[list[Span]], model: Model | None, ids: Sequence[Any] | None = None) -> list[Document]:
    """Classify a batch of documents at once and wrap the results, checking that every paragraph came back."""
    model = model or load_model()
    predictions = model.estimator.decode([[_model_text(span.text) for span in spans] for spans in documents])
    if len(predictions) != len(documents):
        raise InvariantError(f"{len(documents)} documents classified, {len(predictions)} predictions came back")
    labeled = []
    for spans, p, doc_id in zip(documents, predictions, ids or [None] * len(documents)):
        document = Document([
            Paragraph(span.text, Label(name), confidence, "sequence" if changed else "classifier", span.start, span.end)
            for span, name, confidence, changed in zip(spans, p.labels, p.confidences, p.by_sequence)
        ], id=doc_id)
        document.check([span.text for span in spans])
        labeled.append(document)
    return labeled
