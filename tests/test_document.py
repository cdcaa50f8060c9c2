"""A document's metadata is found in its bylines only when it is read, and is then what it always was."""

from __future__ import annotations

import pickle

import pytest

from cleaner import api, clean_documents
from cleaner.text.byline import byline_metadata
from cleaner.document import Document, Paragraph
from cleaner.labels import Label

PAGE = """Storm closes the harbour for a week
By Jane Doe \u2014 Daily Courier, May 3, 2021
The harbour in the old town was closed on Tuesday after a storm damaged two of its piers, the port authority said, and it will stay closed for at least a week while engineers inspect the damage.
Share on Facebook"""


@pytest.fixture
def parsed_bylines(monkeypatch) -> list[list[str]]:
    """The byline paragraphs that cleaner parsed, call by call (the real parser still runs)."""
    calls: list[list[str]] = []

    def recording(paragraphs):
        texts = list(paragraphs)
        calls.append(texts)
        return byline_metadata(texts)

    monkeypatch.setattr(api, "byline_metadata", recording)
    return calls


def test_bylines_are_parsed_once_and_only_when_the_metadata_is_read(shipped_model, parsed_bylines) -> None:
    documents = list(clean_documents([{"id": k, "text": PAGE} for k in range(3)], model=shipped_model))
    assert [document.body for document in documents]  # the text outputs need no metadata
    assert parsed_bylines == []
    bylines = [p.text for p in documents[0].paragraphs if p.label is Label.BYLINE]
    assert bylines == ["By Jane Doe \u2014 Daily Courier, May 3, 2021"]
    assert documents[0].metadata["dates"] == ["2021-05-03"]
    assert documents[0].metadata == byline_metadata(bylines)
    assert documents[0].to_dict()["metadata"] == documents[0].metadata
    assert parsed_bylines == [bylines]


def test_known_metadata_comes_first_and_an_assignment_replaces_everything(shipped_model) -> None:
    (document,) = clean_documents([PAGE], model=shipped_model)
    found = byline_metadata(p.text for p in document.paragraphs if p.label is Label.BYLINE)
    document.add_metadata({"title": "From the page", "outlet": "the page's outlet"})
    assert document.metadata == {"title": "From the page", "outlet": "the page's outlet"} | found
    document.metadata = {"only": "this"}
    assert document.metadata == {"only": "this"}


def test_a_document_with_pending_metadata_survives_pickling(shipped_model) -> None:
    (document,) = clean_documents([{"id": "a", "text": PAGE, "lang": "en"}], model=shipped_model)
    copy = pickle.loads(pickle.dumps(document))
    assert copy == document
    assert copy.to_dict() == document.to_dict()


def test_documents_compare_by_their_content() -> None:
    paragraphs = [Paragraph("Text", Label.BODY, 0.9)]
    assert Document(paragraphs, id=1) == Document(list(paragraphs), id=1, metadata={})
    assert Document(paragraphs, id=1) != Document(paragraphs, id=2)
    assert Document(paragraphs, found=lambda: {"dates": []}) != Document(paragraphs)


def test_a_text_records_paragraphs_carry_their_character_spans_in_its_text(tiny_model) -> None:
    text = "  Headline here\n\nA body line, with ünïcode.\r\nAnother one 😀 here\n\n\nLast"
    (document,) = clean_documents([{"id": "a", "text": text}], model=tiny_model)
    record = document.to_dict()
    assert [text[start:end] for start, end in record["spans"]] == record["paragraphs"]
    assert [(p["start"], p["end"]) for p in map(Paragraph.to_dict, document.paragraphs)] == [tuple(s) for s in record["spans"]]


def test_paragraphs_given_without_their_text_have_no_spans(tiny_model) -> None:
    (document,) = clean_documents([{"id": "a", "paragraphs": ["One", "Two"]}], model=tiny_model)
    assert "spans" not in document.to_dict()
    assert "start" not in document.paragraphs[0].to_dict()


def test_the_title_is_the_first_headline_else_the_pages_own_title() -> None:
    paragraphs = [Paragraph("Storm closes the harbour", Label.BODY, 0.6), Paragraph("The harbour closed.", Label.BODY, 0.9)]
    page = Document(paragraphs, metadata={"title": "Storm closes the harbour"})
    assert page.title == "Storm closes the harbour"  # the headline was taken for body: the page still has its title
    assert Document(paragraphs).title == ""
    headed = Document([Paragraph("Harbour shut", Label.HEADLINE, 0.9), *paragraphs], metadata={"title": "Other"})
    assert headed.title == "Harbour shut"
