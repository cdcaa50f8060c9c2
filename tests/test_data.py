"""Readers of labeled data: review folders (container/ID.tsv + review/ID.fix) and JSONL, with errors that say where."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cleaner.training.data import DataError, LabeledDocument, fingerprint, read_jsonl, read_labeled, read_review_dir
from cleaner.labels import Label

from conftest import labeled_records, labels_of, write_jsonl

TSV = "0\tboilerplate\tBy\n1\tboilerplate\tJane Doe\n2\tbody\tThe council met on Tuesday.\n3\tboilerplate\tShare\n"


def review_folder(root: Path, tsv: str = TSV, fix: str | None = "0\tbyline\n1\tbyline\n", name: str = "x") -> Path:
    """A review folder with one document: container/NAME.tsv and, unless `fix` is None, review/NAME.fix."""
    (root / "container").mkdir(parents=True, exist_ok=True)
    (root / "review").mkdir(exist_ok=True)
    (root / "container" / f"{name}.tsv").write_text(tsv, encoding="utf-8")
    if fix is not None:
        (root / "review" / f"{name}.fix").write_text(fix, encoding="utf-8")
    return root


def test_review_folder_applies_fixes_over_prelabels(tmp_path: Path) -> None:
    (doc,) = read_review_dir(review_folder(tmp_path))
    assert doc.id == "x"
    assert doc.paragraphs == ("By", "Jane Doe", "The council met on Tuesday.", "Share")
    assert labels_of(doc.labels) == ["byline", "byline", "body", "boilerplate"]


def test_review_folder_without_a_fix_file_keeps_the_prelabels(tmp_path: Path) -> None:
    (doc,) = read_review_dir(review_folder(tmp_path, fix=None))
    assert labels_of(doc.labels) == ["boilerplate", "boilerplate", "body", "boilerplate"]


def test_read_labeled_recognises_a_review_folder(tmp_path: Path) -> None:
    review_folder(tmp_path, name="a")
    review_folder(tmp_path, name="b", fix="3\tcomments\n")
    documents = read_labeled([tmp_path])
    assert [doc.id for doc in documents] == ["a", "b"]
    assert labels_of(documents[1].labels)[-1] == "comments"
    assert documents[0].group != documents[1].group  # each page is its own site in cross-validation


def test_a_fix_for_a_missing_index_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"x\.fix.*missing indices"):
        list(read_review_dir(review_folder(tmp_path, fix="9\tbody\n")))


@pytest.mark.parametrize(
    ("tsv", "fix", "where"),
    [
        (TSV.replace("2\tbody", "2\tbodyy"), "", "x.tsv:3"),
        (TSV, "0\tbyline\n1\tauthor\n", "x.fix:2"),
    ],
    ids=["unknown-prelabel", "unknown-fix"],
)
def test_unknown_label_in_a_review_folder_names_the_file_and_line(tmp_path: Path, tsv: str, fix: str, where: str) -> None:
    with pytest.raises(DataError) as raised:
        list(read_review_dir(review_folder(tmp_path, tsv=tsv, fix=fix)))
    message = str(raised.value)
    assert where in message, message
    assert "unknown label" in message


def test_unknown_label_in_jsonl_names_the_file_and_line(tmp_path: Path) -> None:
    records = labeled_records(2)
    records[1]["labels"][0] = "title"
    path = write_jsonl(tmp_path / "labels.jsonl", records)
    with pytest.raises(DataError, match=re.escape(f"{path}:2") + r".*'title'"):
        list(read_jsonl(path))


def test_malformed_jsonl_line_names_the_file_and_line(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "labels.jsonl", [labeled_records(1)[0], "", '{"id": "broken", "paragraphs": ['])
    with pytest.raises(DataError, match=re.escape(f"{path}:3") + ".*JSON"):
        list(read_jsonl(path))


@pytest.mark.parametrize(
    "record",
    [
        {"id": "d", "paragraphs": ["one", "two"], "labels": ["body"]},
        {"id": "d", "paragraphs": ["one"], "labels": ["body", "body"]},
        {"id": "d", "paragraphs": ["one"]},
        ["one", "body"],
    ],
    ids=["fewer-labels", "more-labels", "no-labels", "not-an-object"],
)
def test_records_whose_paragraphs_and_labels_do_not_match_are_refused(tmp_path: Path, record) -> None:
    path = write_jsonl(tmp_path / "labels.jsonl", [record])
    with pytest.raises(DataError, match=re.escape(f"{path}:1")):
        list(read_jsonl(path))


def test_jsonl_documents_of_one_file_share_a_group(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "set.jsonl", labeled_records(3))
    documents = read_labeled([path])
    assert [doc.id for doc in documents] == ["doc0", "doc1", "doc2"]
    assert len({doc.group for doc in documents}) == 1
    assert all(isinstance(label, Label) for doc in documents for label in doc.labels)


def test_read_labeled_refuses_a_path_that_is_neither_jsonl_nor_review_folder(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=re.escape(str(tmp_path / "nothing"))):
        read_labeled([tmp_path / "nothing"])


def test_fingerprint_is_stable_and_changes_when_a_label_changes() -> None:
    doc = LabeledDocument("d", ("Title", "Body."), (Label.HEADLINE, Label.BODY), "g")
    same = LabeledDocument("d", ("Title", "Body."), (Label.HEADLINE, Label.BODY), "other-group")
    relabeled = LabeledDocument("d", ("Title", "Body."), (Label.HEADLINE, Label.BOILERPLATE), "g")
    assert fingerprint([doc]) == fingerprint([same])
    assert fingerprint([doc]) != fingerprint([relabeled])
    assert len(fingerprint([doc])) == 64


def test_fingerprint_changes_with_paragraph_text_and_document_order() -> None:
    a = LabeledDocument("a", ("Title",), (Label.HEADLINE,), "g")
    b = LabeledDocument("b", ("Title",), (Label.HEADLINE,), "g")
    edited = LabeledDocument("a", ("Title!",), (Label.HEADLINE,), "g")
    assert fingerprint([a, b]) != fingerprint([b, a])
    assert fingerprint([a]) != fingerprint([edited])
