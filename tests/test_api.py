"""The public surface with the shipped model: clean(), label() and the streaming clean_documents()."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

import cleaner
from cleaner import Document, Label, clean, clean_documents, label
from cleaner.model.persist import _load_default
from cleaner.text.segment import Span, split_paragraphs, split_spans

from conftest import SEEDS_DIR

PAGE = """Storm closes the harbour for a week

By Jane Doe — Daily Courier, May 3, 2021
Share on Facebook
The harbour in the old town was closed on Tuesday after a storm damaged two of its piers, the port authority said, and it will stay closed for at least a week while engineers inspect the damage.
Fishermen said the closure would cost them most of the season's best week, and several asked the council for help.
READ MORE: Ten things to know about the harbour
Share on Facebook
3 comments
Great reporting, thanks!
\u00a9 2021 Daily Courier
"""


def seed_text(prefix: str) -> str:
    (path,) = SEEDS_DIR.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def assert_well_formed(document: Document, paragraphs: list[str]) -> None:
    """Every paragraph once, in order, with a label and a confidence in [0, 1]."""
    assert [p.text for p in document.paragraphs] == paragraphs
    assert len(document.labels) == len(paragraphs)
    for p in document.paragraphs:
        assert isinstance(p.label, Label)
        assert 0.0 <= p.confidence <= 1.0
        assert p.reason in ("classifier", "sequence")


@pytest.mark.parametrize("text", [PAGE, seed_text("002"), seed_text("004")], ids=["page", "seed-002", "seed-004"])
def test_clean_keeps_every_paragraph_once_in_order(text: str) -> None:
    document = clean(text)
    assert_well_formed(document, split_paragraphs(text))
    for p in document.paragraphs:
        assert text[p.start : p.end] == p.text


def test_paragraphs_given_as_spans_keep_their_place_in_the_text_and_are_labeled_as_the_text() -> None:
    text = seed_text("002")
    (split,) = clean_documents([{"id": "s", "paragraphs": split_spans(text)}])
    whole = clean(text)
    assert split.paragraphs == whole.paragraphs  # the same labels, confidences and character spans
    assert all(text[p.start : p.end] == p.text and p.start >= 0 for p in split.paragraphs)
    with pytest.raises(TypeError, match="paragraph 1 must be a string"):
        label(["fine", Span(b"bytes", 0, 5)])  # a span must hold text


def test_clean_of_an_empty_or_blank_text_is_an_empty_document() -> None:
    for text in ("", "\n \n\xa0\n"):
        document = clean(text)
        assert document.paragraphs == [] and document.body == "" and document.title == ""


def test_views_agree_with_the_paragraph_labels() -> None:
    document = clean(seed_text("004"))
    by_label = {label: [p.text for p in document.paragraphs if p.label is label] for label in Label}
    assert document.body == "\n".join(by_label[Label.BODY])
    assert document.byline == "\n".join(by_label[Label.BYLINE])
    assert document.comments == "\n".join(by_label[Label.COMMENTS])
    assert document.editorial == "\n".join(by_label[Label.EDITORIAL])
    assert document.boilerplate == "\n".join(by_label[Label.BOILERPLATE])
    assert document.title == (by_label[Label.HEADLINE][0] if by_label[Label.HEADLINE] else "")
    assert document.body  # a news article has a body; an empty one would make the checks above vacuous


def test_streams_hold_every_paragraph_exactly_once() -> None:
    document = clean(PAGE)
    streams = document.streams()
    assert set(streams) == {label.value for label in Label}
    lines = [line for text in streams.values() if text for line in text.split("\n")]
    assert sorted(lines) == sorted(p.text for p in document.paragraphs)


def test_to_dict_aligns_labels_and_confidences_with_paragraphs() -> None:
    document = clean(PAGE)
    record = document.to_dict()
    assert record["paragraphs"] == split_paragraphs(PAGE)
    assert record["labels"] == [p.label.value for p in document.paragraphs]
    assert len(record["confidences"]) == len(record["paragraphs"])
    assert all(0 <= c <= 1 for c in record["confidences"])
    assert all(record[label.value] == document.text_of(label) for label in Label)
    assert record["title"] == document.title


def test_label_keeps_the_given_paragraphs_without_re_splitting() -> None:
    paragraphs = [
        "Storm closes the harbour for a week",
        "The harbour was closed on Tuesday. Engineers will inspect the piers.",
        "Share on Facebook",
        "Share on Facebook",
        "  Padded paragraph  ",
        "Two lines\ngiven as one paragraph",
    ]
    document = label(paragraphs)
    assert_well_formed(document, paragraphs)


def test_label_refuses_a_string() -> None:
    with pytest.raises(TypeError):
        label("Storm closes the harbour\nThe harbour was closed on Tuesday.")


def test_label_of_no_paragraphs_is_an_empty_document() -> None:
    assert label([]).paragraphs == []


def test_clean_documents_streams_mixed_records_in_order_keeping_ids_and_fields() -> None:
    texts = [PAGE, seed_text("000"), seed_text("001"), seed_text("003"), PAGE]

    def source() -> Iterator[object]:
        yield texts[0]
        yield {"id": "seed-000", "text": texts[1], "url": "https://example.org/a", "tags": ["a", "b"]}
        yield {"id": 7, "paragraphs": split_paragraphs(texts[2]), "lang": "en"}
        yield texts[3]
        yield {"text": texts[4], "source": "no id"}

    documents = list(clean_documents(source(), batch_size=2))
    assert [doc.id for doc in documents] == [None, "seed-000", 7, None, None]  # ids kept as given
    assert [doc.meta for doc in documents] == [
        {}, {"url": "https://example.org/a", "tags": ["a", "b"]}, {"lang": "en"}, {}, {"source": "no id"},
    ]
    for document, text in zip(documents, texts):
        assert_well_formed(document, split_paragraphs(text))


def test_clean_documents_labels_as_clean_does() -> None:
    texts = [PAGE, seed_text("002")]
    streamed = list(clean_documents(texts, batch_size=2))
    assert [doc.labels for doc in streamed] == [clean(text).labels for text in texts]


def test_clean_documents_loads_the_model_once() -> None:
    before = _load_default.cache_info()
    documents = list(clean_documents((PAGE for _ in range(5)), batch_size=2))
    after = _load_default.cache_info()
    assert len(documents) == 5
    assert (after.hits + after.misses) - (before.hits + before.misses) == 1


def test_clean_documents_is_lazy() -> None:
    consumed = []

    def source() -> Iterator[str]:
        for n in range(20):
            consumed.append(n)
            yield f"Headline {n}\nThe harbour was closed on day {n} of the storm."

    first = next(clean_documents(source(), batch_size=3))
    assert [p.text for p in first.paragraphs] == ["Headline 0", "The harbour was closed on day 0 of the storm."]
    assert len(consumed) <= 3  # one batch read, not the whole stream


def test_a_record_without_text_or_paragraphs_is_an_error() -> None:
    with pytest.raises(ValueError, match="'text', 'paragraphs' or 'html'"):
        list(clean_documents([{"id": "empty", "title": "Only a title"}]))


def test_the_public_surface_is_declared() -> None:
    assert {"clean", "label", "clean_documents", "Document", "Label", "load_model"} <= set(cleaner.__all__)


@pytest.mark.parametrize("name", ["clean", "label", "clean_html", "clean_documents", "load_model"])
def test_each_public_function_documents_its_parameters_return_and_errors(name: str) -> None:
    import inspect

    function = getattr(cleaner, name)
    doc = inspect.getdoc(function) or ""
    for parameter in inspect.signature(function).parameters:
        assert f"{parameter}:" in doc, f"{name}() does not document {parameter!r}"
    assert ("Returns:" in doc or "Yields:" in doc) and "Raises:" in doc, name


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        ({"id": "p", "paragraphs": "one string"}, "document 'p': 'paragraphs' must be a list of strings, not str"),
        ({"id": "t", "text": ["a", "list"]}, "document 't': 'text' must be a string, not list"),
        ({"id": "h", "html": 3.5}, "document 'h': 'html' must be a string or bytes, not float"),
        ({"id": "u", "html": "<p>x</p>", "url": 7}, "document 'u': 'url' must be a string, not int"),
        (42, "document 42: expected a text or a record (a mapping), not int"),
    ],
    ids=["paragraphs-string", "text-list", "html-number", "url-number", "not-a-record"],
)
def test_a_malformed_record_is_a_type_error_naming_the_document(record, expected: str) -> None:
    with pytest.raises(TypeError) as raised:
        list(clean_documents(["Fine text", record]))
    assert str(raised.value) == expected


HTML_PAGE = """<!DOCTYPE html><html><head><title>Storm closes the harbour</title>
<meta name="author" content="Jane Doe"><meta property="article:published_time" content="2021-05-03"></head>
<body><article><h1>Storm closes the harbour</h1><p>By Jane Doe \u2014 Daily Courier, May 3, 2021</p>
<p>The harbour in the old town was closed on Tuesday after a storm damaged two of its piers, the port authority said,
and it will stay closed for at least a week while engineers inspect the damage.</p>
<p>Fishermen said the closure would cost them most of the season's best week, and several asked the council for help
with the cost of moving their boats along the coast to the next harbour.</p></article></body></html>"""


def test_clean_html_labels_the_page_text_and_keeps_its_metadata() -> None:
    document = cleaner.clean_html(HTML_PAGE, url="https://example.org/harbour")
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "Storm closes the harbour"
    assert any(p.startswith("The harbour in the old town") for p in paragraphs)
    assert "The harbour in the old town" in document.body
    assert document.metadata["author"] == "Jane Doe"
    assert document.metadata["date"] == "2021-05-03"
    assert document.metadata["url"] == "https://example.org/harbour"
    assert document.metadata["outlet"] == "Daily Courier"  # from the byline paragraph
    assert_well_formed(document, paragraphs)


def test_clean_documents_takes_html_records_with_bytes() -> None:
    records = [{"id": "page", "html": HTML_PAGE.encode("cp1252"), "url": "https://example.org/h", "lang": "en"},
               {"id": "text", "text": PAGE}]
    page, text = clean_documents(records)
    assert page.id == "page" and page.meta == {"url": "https://example.org/h", "lang": "en"}
    assert [p.text for p in page.paragraphs] == [p.text for p in cleaner.clean_html(HTML_PAGE).paragraphs]
    assert page.metadata["author"] == "Jane Doe"
    assert_well_formed(text, split_paragraphs(PAGE))


def test_byline_paragraphs_give_structured_metadata() -> None:
    document = clean(PAGE)
    assert document.byline == "By Jane Doe \u2014 Daily Courier, May 3, 2021"
    assert document.metadata == {"authors": ["Jane Doe"], "outlet": "Daily Courier", "dates": ["2021-05-03"]}
    unlabeled = label(["Storm closes the harbour", "By Jane Doe", "Share on Facebook"])
    bylines = [p.text for p in unlabeled.paragraphs if p.label is Label.BYLINE]
    assert unlabeled.metadata["authors"] == (["Jane Doe"] if bylines else [])


def test_to_dict_never_overwrites_an_input_field() -> None:
    (document,) = clean_documents([{"id": 1, "text": PAGE, "title": "The scraper's title", "body": "<p>raw</p>"}])
    record = document.to_dict()
    assert record["title"] == "The scraper's title" and record["body"] == "<p>raw</p>"
    assert record["cleaner_title"] == document.title
    assert record["cleaner_body"] == document.body
    assert record["byline"] == document.byline  # no clash: no prefix


def test_one_model_cleans_in_many_threads_exactly_as_it_does_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """The model is shared read-only by a Scrapy thread pool: its word cache, the one state prediction changes, must
    not mix up threads, also while it is emptied and refilled (a small bound makes that happen constantly)."""
    from concurrent.futures import ThreadPoolExecutor

    from cleaner.model import lexical
    from cleaner.model.persist import load_model

    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS_DIR.glob("*.txt"))]
    texts += [f"{text}\n\nA closing note number {k} with words like harbour{k} and bridge{k * 7}." for k, text in
              enumerate(texts * 3)]
    alone = [clean(text, model=load_model()).to_dict() for text in texts]  # one after another
    monkeypatch.setattr(lexical, "MAX_CACHED_WORDS", 300)
    shared = load_model(str(_load_default().path))  # a model of its own (load_model() is one cached model)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads switch all the time, also in the middle of the cache's updates
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            together = list(pool.map(lambda text: clean(text, model=shared).to_dict(), texts * 2))
    finally:
        sys.setswitchinterval(interval)
    assert together == alone * 2
