"""Retraining as a user does it: labeling-tool exports in, a trained model out, evaluated and used (issue 4)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cleaner.training.align import Gold, derive_labels
from cleaner.cli import main
from cleaner.training.data import DataError, LabelMap, read_labeled
from cleaner.labels import Label

from conftest import read_jsonl_file, synthetic_corpus, synthetic_document, write_jsonl

# A labeling project that named its classes its own way, as users do.
THEIR_NAMES = {"body": "Article", "headline": "Title", "byline": "Author", "boilerplate": "Junk",
               "comments": "Comment", "editorial": "Note"}
LABEL_MAP = ",".join(f"{theirs}={ours}" for ours, theirs in THEIR_NAMES.items())


def run(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def doccano_export(path: Path, documents: range) -> Path:
    """A doccano text-classification export: one paragraph per line, the document in its metadata."""
    corpus, labels = synthetic_corpus(max(documents) + 1)
    records = [
        {"id": 1000 * k + i, "text": text, "label": [THEIR_NAMES[label]], "meta": {"doc_id": f"doccano-{k}", "index": i}}
        for k in documents for i, (text, label) in enumerate(zip(corpus[k], labels[k]))
    ]
    return write_jsonl(path, reversed(records))  # the export's order is not the documents' order


def label_studio_export(path: Path, documents: range) -> Path:
    """A Label Studio JSON-MIN export: one task per paragraph, the choice under the control's name."""
    corpus, labels = synthetic_corpus(max(documents) + 1)
    tasks = [
        {"id": 5000 + 100 * k + i, "text": text, "doc_id": f"ls-{k}", "position": i, "paragraph_type": THEIR_NAMES[label],
         "annotator": 1, "annotation_id": 7, "created_at": "2026-01-01T00:00:00Z", "lead_time": 2.5}
        for k in documents for i, (text, label) in enumerate(zip(corpus[k], labels[k]))
    ]
    path.write_text(json.dumps(tasks), encoding="utf-8")
    return path


def test_doccano_and_label_studio_exports_to_a_trained_model_that_evaluates_and_cleans(tmp_path: Path) -> None:
    doccano = doccano_export(tmp_path / "doccano.jsonl", range(0, 4))
    studio = label_studio_export(tmp_path / "label-studio.json", range(4, 8))
    documents = sorted(read_labeled([doccano, studio], LabelMap.parse(LABEL_MAP)), key=lambda doc: doc.id)
    assert [doc.id for doc in documents] == [*(f"doccano-{k}" for k in range(4)), *(f"ls-{k}" for k in range(4, 8))]
    corpus, labels = synthetic_corpus(8)
    assert [doc.paragraphs for doc in documents] == [tuple(p) for p in corpus]
    assert [[label.value for label in doc.labels] for doc in documents] == labels

    model = tmp_path / "mine.npz"
    result = run("train", doccano, studio, "--label-map", LABEL_MAP, "-o", model, "--cv", "0")
    assert result.exit_code == 0, result.output

    held_out = write_jsonl(tmp_path / "held-out.jsonl", [
        {"id": f"new-{k}", "paragraphs": synthetic_document(k)[0], "labels": synthetic_document(k)[1]} for k in (20, 21)
    ])
    report_path = tmp_path / "report.json"
    result = run("evaluate", model, held_out, "--json", report_path)
    assert result.exit_code == 0, result.output
    assert "worst documents" in result.output and "new-2" in result.output
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["documents"] == 2 and report["per_label"]["body"]["f1"] >= 0.8

    page = tmp_path / "page.txt"
    page.write_text("\n".join(synthetic_document(30)[0]) + "\n", encoding="utf-8")
    result = run("clean", page, "-o", tmp_path / "out.jsonl", "--format", "jsonl", "--model", model)
    assert result.exit_code == 0, result.output
    (record,) = read_jsonl_file(tmp_path / "out.jsonl")
    agree = sum(a == b for a, b in zip(record["labels"], synthetic_document(30)[1]))
    assert agree >= 0.7 * len(record["labels"])


def test_an_unmapped_label_is_an_error_naming_the_file_and_line(tmp_path: Path) -> None:
    doccano = doccano_export(tmp_path / "doccano.jsonl", range(0, 2))
    result = run("train", doccano, "-o", tmp_path / "m.npz", "--cv", "0")
    assert result.exit_code == 2
    assert f"{doccano}:1" in result.output and "unknown label" in result.output and "--label-map" in result.output
    assert not (tmp_path / "m.npz").exists()


def test_label_studio_errors_name_the_task(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"task 2: no document id"):
        read_labeled_tasks(tmp_path, [{"text": "a", "label": "body", "doc_id": "d"}, {"text": "b", "label": "body"}])
    with pytest.raises(DataError, match=r"no labeled documents found \(1 unlabeled tasks or records skipped\)"):
        read_labeled_tasks(tmp_path, [{"text": "a", "doc_id": "d"}])  # a task not labeled yet is skipped


def read_labeled_tasks(folder: Path, tasks: list[dict]) -> list:
    path = folder / "tasks.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    return read_labeled([path])


def test_label_map_refuses_a_target_that_is_not_a_label() -> None:
    with pytest.raises(ValueError, match="unknown label 'article'"):
        LabelMap.parse("text=article")


# --- from HTML ------------------------------------------------------------------------------------------------------

ARTICLE = [
    "The river festival drew a record crowd this weekend, organisers said on Sunday evening after the last boats returned.",
    "More than forty thousand people lined the banks to watch the parade, which ran for three hours longer than planned.",
    "Local traders reported their best weekend of the year, and the council said it would fund the festival again.",
]


def html_page(k: int) -> str:
    nav = "".join(f"<li><a href='/s{j}'>Section {j}</a></li>" for j in range(6))
    body = "".join(f"<p>{text.replace('festival', f'festival {k}')}</p>" for text in ARTICLE)
    return (f"<html><head><title>River festival {k} breaks records</title></head><body><nav><ul>{nav}</ul></nav>"
            f"<article><h1>River festival {k} breaks records</h1><p class='byline'>By Ana Torres</p>{body}"
            f"<p>Share this story on Facebook</p></article><footer><p>© 2026 The River Post</p></footer></body></html>")


def write_pairs(root: Path, pages: int) -> Path:
    """Pages and gold text in the wcxb-dev layout: html/ID.html.gz and ground-truth/ID.json."""
    (root / "html").mkdir(parents=True)
    (root / "ground-truth").mkdir()
    for k in range(pages):
        (root / "html" / f"{k:04d}.html.gz").write_bytes(gzip.compress(html_page(k).encode()))
        gold = {"url": f"https://site{k}.example/story", "title": f"River festival {k} breaks records",
                "author": "Ana Torres", "main_content": "\n\n".join(t.replace("festival", f"festival {k}") for t in ARTICLE)}
        (root / "ground-truth" / f"{k:04d}.json").write_text(json.dumps(gold), encoding="utf-8")
    return root


def test_derived_labels_follow_the_gold_text() -> None:
    paragraphs = ["River festival breaks records", "By Ana Torres", *ARTICLE, "Share this story on Facebook", "Home"]
    gold = Gold("\n\n".join(ARTICLE), title="River festival breaks records", author="Ana Torres")
    assert derive_labels(paragraphs, gold) == [Label.HEADLINE, Label.BYLINE, *[Label.BODY] * 3, Label.BOILERPLATE,
                                               Label.BOILERPLATE]


def test_train_from_html_and_gold_pairs(tmp_path: Path) -> None:
    pairs = write_pairs(tmp_path / "pairs", pages=6)
    model = tmp_path / "html.npz"
    result = run("train", "--from-html", pairs, "-o", model, "--cv", "0", "--augment", "0")
    assert result.exit_code == 0, result.output
    card = json.loads(model.with_suffix(".json").read_text(encoding="utf-8"))
    assert card["training"]["documents"] == 6 and card["training"]["sources"] == ["pairs (from HTML)"]

    page = tmp_path / "page.html.txt"
    page.write_text("\n".join(["River festival 9 breaks records", "By Ana Torres", *ARTICLE, "Share this story on Facebook"]),
                    encoding="utf-8")
    result = run("clean", page, "-o", tmp_path / "out.jsonl", "--format", "jsonl", "--model", model)
    assert result.exit_code == 0, result.output
    (record,) = read_jsonl_file(tmp_path / "out.jsonl")
    assert record["labels"][2:5] == ["body"] * 3


# --- suggest --------------------------------------------------------------------------------------------------------


def test_suggest_writes_the_documents_of_the_least_confident_paragraphs_in_a_format_train_reads(
    tmp_path: Path, tiny_trained
) -> None:
    _, model = tiny_trained
    folder = tmp_path / "unlabeled"
    folder.mkdir()
    for k in (50, 51, 52):
        (folder / f"{k}.txt").write_text("\n".join(synthetic_document(k)[0]) + "\n", encoding="utf-8")
    out = tmp_path / "suggested.jsonl"
    result = run("suggest", model, folder, "-n", 5, "-o", out)
    assert result.exit_code == 0, result.output
    records = read_jsonl_file(out)
    confidences = [r["confidence"] for r in records]
    assert 1 <= len(records) <= 5 and confidences == sorted(confidences)
    assert sum(len(r["review"]) for r in records) == 5
    labeled = run("clean", folder, "-o", tmp_path / "all.jsonl", "--format", "jsonl", "--model", model)
    assert labeled.exit_code == 0
    every = sorted(c for doc in read_jsonl_file(tmp_path / "all.jsonl") for c in doc["confidences"])
    assert confidences[0] == pytest.approx(every[0], abs=1e-4)
    documents = read_labeled([out])  # train accepts the file as it is: the model's guesses, whole documents
    assert sorted(len(doc.paragraphs) for doc in documents) == [len(synthetic_document(50)[0])] * len(records)
