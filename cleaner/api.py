"""The library's surface: clean a text, label paragraphs that are already split, or stream many documents."""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from itertools import chain
from typing import TYPE_CHECKING, Any

import numpy as np

from .text.byline import byline_metadata
from .document import Document, InvariantError, Paragraph
from .labels import Label
from .model.persist import Model, load_model
from .text.segment import LONE_SURROGATE, Span, split_spans

if TYPE_CHECKING:  # the HTML path (trafilatura) is imported when a page comes in
    from .html.extract import HtmlPage

BATCH_DOCUMENTS = 64  # documents classified together: features are vectorised across the batch
# The model sees at most this much of a paragraph. A line of megabytes (a data blob, a page without line
# breaks) would otherwise make millions of character n-grams; the paragraph itself is kept whole.
MAX_CLASSIFIED_CHARS = 100_000

Source = str | Mapping[str, Any]
LABEL_BY_NAME = {label.value: label for label in Label}
REASONS = {False: "classifier", True: "sequence"}  # a paragraph's reason: did sequence decoding change its label?
EXTRACTOR_REASON = "extractor"  # body because the extractor kept it and the classifier was unsure (`_kept_by_extractor`)
# An HTML page's paragraph in trafilatura's main text that the classifier calls boilerplate with less confidence than
# this stays body: losing body costs more than keeping a caption. Chosen among 7 values (0 to always) with 2
# extraction settings, on the 181 training pages and the 1,419 WCXB development pages (mean page F1; both sets
# weigh alike, since the training pages favour the classifier and WCXB the extractor); see the bench README.
KEEP_UNSURE_BELOW = 0.9
SOURCE_FIELDS = ("id", "text", "paragraphs", "html")  # what a record's fields are read for; the rest is kept as meta
ERROR_CHOICES = ("raise", "skip")  # what clean_documents does with a malformed item
LOG = logging.getLogger("cleaner")


def clean(text: str, *, model: Model | None = None) -> Document:
    """Split `text` into paragraphs (one non-empty line each) and label every one.

    Args:
        text: the article's text, as a scraper gives it: one paragraph a line (blank lines are dropped).
        model: the model to label with (`load_model`); default: the shipped one, loaded once.

    Returns:
        A `Document` holding every paragraph of `text` once, in order, each with a label, a confidence, a reason
        and its character span in `text` (``Paragraph.start``/``end``); ``body`` is the article.

    Raises:
        TypeError: `text` is not a str (decode bytes first, or give an HTML page to `clean_html`).
    """
    if not isinstance(text, str):
        raise TypeError(f"clean() takes a text (str), not {_type_name(text)}; decode bytes first, "
                        "or use clean_html() for an HTML page")
    return _labeled([split_spans(text)], model)[0]


def label(paragraphs: Sequence[str], *, model: Model | None = None) -> Document:
    """Label paragraphs that are already split; they are kept exactly as given (never re-split), one label each.

    Args:
        paragraphs: the document's paragraphs, in order (a list or tuple of str; a single str is refused).
        model: the model to label with; default: the shipped one.

    Returns:
        A `Document` with one `Paragraph` per item of `paragraphs` (no character spans: there is no text).

    Raises:
        TypeError: `paragraphs` is a str, or holds something that is not a str.
    """
    return _labeled([_as_spans(paragraphs)], model)[0]


def clean_html(html: str | bytes, url: str | None = None, *, model: Model | None = None) -> Document:
    """Extract the text of an HTML page and label every paragraph.

    Args:
        html: the page, as str or bytes (bytes are decoded by the page's declared charset, else detected).
        url: the page's address, if known: it goes to the metadata and helps resolve the page's own links.
        model: the model to label with; default: the shipped one.

    Returns:
        A `Document` of the page's paragraphs (title, text and comment section as trafilatura finds them, every
        one labeled), with the page's metadata (title, author, date, url, sitename, and what its bylines say) in
        ``Document.metadata``.

    Raises:
        TypeError: `html` is neither str nor bytes.
        cleaner.text.decode.InputError: bytes that are not a text page (binary data).
    """
    if not isinstance(html, (str, bytes)):
        raise TypeError(f"clean_html() takes a page as str or bytes, not {_type_name(html)}")
    from .html.extract import extract_html

    parsed = _page_parsed(extract_html(html, url))
    document = _labeled([parsed.spans], model, weights=[parsed.weights], extracted=[parsed.extracted])[0]
    document.add_metadata(parsed.metadata)
    return document


def clean_documents(
    documents: Iterable[Source], *, model: Model | None = None, batch_size: int = BATCH_DOCUMENTS,
    errors: str = "raise", on_error: Callable[[Any, Exception], None] | None = None,
) -> Iterator[Document]:
    """Clean a stream of documents lazily, in order, loading the model once.

    Each item is a text, or a record with an ``id`` and either ``text`` (to be split), ``paragraphs``
    (already split: strings, or the spans of `cleaner.text.segment.split_spans`, which keep their place in the text
    and let a caller drop a long text before it is labeled) or ``html`` (a page, str or bytes, whose text is extracted; its ``url``, if any, helps;
    or an `HtmlPage` already extracted). A record's other fields are kept in ``Document.meta``; an HTML
    page's metadata is in ``Document.metadata``. A malformed item is a TypeError (a field of the wrong type)
    or a ValueError (no text), naming the document. With ``errors="raise"`` (the default) every document before
    it is yielded first, then the error is raised; with ``errors="skip"`` the stream goes on, and the item and its
    error go to `on_error` (by default, a warning of the logger ``cleaner``).

    Args:
        documents: texts and records, any iterable (read lazily: a generator over a huge file is fine).
        model: the model to label with; default: the shipped one.
        batch_size: documents labeled together (features are vectorised across a batch).
        errors: "raise" or "skip" (see above).
        on_error: with ``errors="skip"``, called with each bad item and its error.

    Yields:
        One `Document` per good item, in input order; a record's fields other than its text are in ``meta``.

    Raises:
        TypeError: `documents` is a single str or bytes, or (``errors="raise"``) an item has a field of the wrong
            type.
        ValueError: `errors` is not one of the choices, or (``errors="raise"``) an item has no text.
    """
    if isinstance(documents, (str, bytes)):
        raise TypeError("clean_documents() takes an iterable of documents, not a single text; use clean() for one")
    if errors not in ERROR_CHOICES:
        raise ValueError(f"errors must be one of {', '.join(ERROR_CHOICES)}, not {errors!r}")
    model = model or load_model()
    pending: list[_Parsed] = []
    for item in documents:
        try:
            pending.append(_parse(item))
        except (TypeError, ValueError) as error:
            if errors == "raise":  # the documents before the bad one are delivered first
                yield from _batch_documents(pending, model)
                raise
            (on_error or _warn_skipped)(item, error)
            continue
        if len(pending) >= batch_size:
            yield from _batch_documents(pending, model)
            pending = []
    yield from _batch_documents(pending, model)


def _warn_skipped(_item: Any, error: Exception) -> None:
    LOG.warning("skipped a document: %s", error)


def _batch_documents(parsed: list[_Parsed], model: Model) -> Iterator[Document]:
    """The labeled documents of a batch of parsed items, with their fields and metadata."""
    if not parsed:
        return
    labeled = _labeled([item.spans for item in parsed], model, [item.id for item in parsed],
                       [item.weights for item in parsed], [item.extracted for item in parsed])
    for document, item in zip(labeled, parsed, strict=True):
        document.meta = item.meta
        document.add_metadata(item.metadata)
        yield document


@dataclass(frozen=True, slots=True)
class _Parsed:
    """A source item read into paragraphs, with what the document keeps of it."""

    spans: list[Span]
    id: Any = None
    meta: dict[str, Any] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)
    weights: np.ndarray | None = None  # label weights per paragraph (an HTML page's section priors), or none
    extracted: list[bool] | None = None  # per paragraph: in the extractor's main text (HTML); None for text


def _page_parsed(page: HtmlPage, doc_id: Any = None, meta: dict[str, Any] | None = None) -> _Parsed:
    """An extracted page's paragraphs, with its metadata and the label weights of its sections."""
    from .html.extract import TEXT
    from .html.priors import section_weights

    return _Parsed(_as_spans(page.paragraphs), doc_id, meta or {}, page.metadata, section_weights(page.sections),
                   [section == TEXT for section in page.sections])


def _parse(item: Source) -> _Parsed:
    """A stream item's paragraphs, id and other fields; a TypeError or ValueError names a malformed one."""
    if isinstance(item, str):
        return _Parsed(split_spans(item))
    if not isinstance(item, Mapping):
        raise TypeError(f"document {item!r:.60}: expected a text or a record (a mapping), not {_type_name(item)}")
    meta = {key: value for key, value in item.items() if key not in SOURCE_FIELDS}
    doc_id = item.get("id")  # kept as given: an integer id stays an integer
    if "paragraphs" in item:
        paragraphs = item["paragraphs"]
        if isinstance(paragraphs, (str, bytes)) or not isinstance(paragraphs, Sequence):
            raise TypeError(f"document {doc_id!r}: 'paragraphs' must be a list of strings, "
                            f"not {_type_name(paragraphs)}")
        try:
            return _Parsed(_as_spans(paragraphs), doc_id, meta)
        except TypeError as error:
            raise TypeError(f"document {doc_id!r}: {error}") from None
    if "text" in item:
        if not isinstance(item["text"], str):
            raise TypeError(f"document {doc_id!r}: 'text' must be a string, not {_type_name(item['text'])}")
        return _Parsed(split_spans(item["text"]), doc_id, meta)
    if "html" in item:
        return _page_parsed(_page(item["html"], item.get("url"), doc_id), doc_id, meta)
    raise ValueError(f"document {doc_id!r}: a record needs a 'text', 'paragraphs' or 'html' field")


def _page(html: Any, url: Any, doc_id: Any) -> HtmlPage:
    """The page of a record's 'html' field: a page (str or bytes) to extract, or one already extracted."""
    from .html.extract import HtmlPage, extract_html  # trafilatura: imported when a page comes in

    if isinstance(html, HtmlPage):
        return html
    if not isinstance(html, (str, bytes)):
        raise TypeError(f"document {doc_id!r}: 'html' must be a string or bytes, not {_type_name(html)}")
    if url is not None and not isinstance(url, str):
        raise TypeError(f"document {doc_id!r}: 'url' must be a string, not {_type_name(url)}")
    return extract_html(html, url)


def _as_spans(paragraphs: Sequence[str | Span]) -> list[Span]:
    """Paragraphs given as a sequence of strings (no place in a text), or of spans that `split_spans` made (each
    keeps its place in the text it came from); anything else in it is a TypeError naming the paragraph."""
    if isinstance(paragraphs, (str, bytes)):
        raise TypeError("label() takes a sequence of paragraphs; use clean() for a text")
    spans = []
    for number, paragraph in enumerate(paragraphs):
        if isinstance(paragraph, Span) and isinstance(paragraph.text, str):
            spans.append(paragraph)
        elif isinstance(paragraph, str):
            spans.append(Span(paragraph, -1, -1))
        else:
            raise TypeError(f"paragraph {number} must be a string, not {_type_name(paragraph)}: {paragraph!r:.40}")
    return spans


def _type_name(value: Any) -> str:
    """What a value is, in words: "None", "bytes", "int", ..."""
    return "None" if value is None else type(value).__name__


def _model_text(text: str) -> str:
    """What the model reads of a paragraph: its start, with lone surrogates as U+FFFD (n-gram hashing encodes
    text, and they cannot be encoded); the paragraph itself keeps them."""
    return LONE_SURROGATE.sub("\ufffd", text[:MAX_CLASSIFIED_CHARS])


def _model_texts(documents: list[list[Span]]) -> list[list[str]]:
    """What the model reads of each paragraph of each document (`_model_text`). A batch without lone surrogates
    and overlong paragraphs, the usual one, is checked with one scan of its text instead of a pattern call a
    paragraph."""
    texts = [[span.text for span in spans] for spans in documents]
    flat = list(chain.from_iterable(texts))
    if max(map(len, flat), default=0) <= MAX_CLASSIFIED_CHARS and not LONE_SURROGATE.search("".join(flat)):
        return texts
    return [[_model_text(text) for text in doc] for doc in texts]


def _labeled(
    documents: list[list[Span]], model: Model | None, ids: Sequence[Any] | None = None,
    weights: Sequence[np.ndarray | None] | None = None, extracted: Sequence[list[bool] | None] | None = None,
) -> list[Document]:
    """Classify a batch of documents at once (with each one's label weights, if any: see `ParagraphClassifier.decode`)
    and wrap the results, with what their bylines say; checks that every paragraph came back, in its place and in
    one stream. `extracted` marks, per document, the paragraphs of an extractor's main text (`_kept_by_extractor`)."""
    model = model or load_model()
    texts = _model_texts(documents)
    with _without_cycle_collection():
        predictions = model.estimator.decode(texts, weights)
    if len(predictions) != len(documents):
        raise InvariantError(f"{len(documents)} documents classified, {len(predictions)} predictions came back")
    labeled = []
    for k, (spans, p, doc_id) in enumerate(zip(documents, predictions, ids or [None] * len(documents))):
        paragraphs = [
            Paragraph(span.text, LABEL_BY_NAME[name], confidence, REASONS[changed], span.start, span.end)
            for span, name, confidence, changed in zip(spans, p.labels, p.confidences, p.by_sequence)
        ]
        if extracted is not None and extracted[k] is not None:
            paragraphs = _kept_by_extractor(paragraphs, extracted[k], p.body)
        document = Document(paragraphs, id=doc_id, found=partial(_byline_metadata, paragraphs))
        document.check([span.text for span in spans])
        labeled.append(document)
    return labeled


def _kept_by_extractor(paragraphs: list[Paragraph], extracted: list[bool], body: list[float]) -> list[Paragraph]:
    """Body again for each paragraph of the extractor's main text that the classifier took for boilerplate without
    being sure (below `KEEP_UNSURE_BELOW`), with the model's body probability and the reason "extractor"."""
    return [
        Paragraph(p.text, Label.BODY, probability, EXTRACTOR_REASON, p.start, p.end)
        if kept and p.label is Label.BOILERPLATE and p.confidence < KEEP_UNSURE_BELOW else p
        for p, kept, probability in zip(paragraphs, extracted, body, strict=True)
    ]


def _byline_metadata(paragraphs: list[Paragraph]) -> dict[str, Any]:
    """What a document's byline paragraphs say (a module-level function: a document can be pickled)."""
    return byline_metadata(paragraph.text for paragraph in paragraphs if paragraph.label is Label.BYLINE)


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector for one batch: the batch allocates many small lists (words, tokens) but no
    cycles, and the collector kept rescanning them (about 5% of the time). Reference counting still frees them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
