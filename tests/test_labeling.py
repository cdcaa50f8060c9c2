"""Labeling with Label Studio and doccano (issue 22): `cleaner suggest` writes whole documents with the paragraphs to
check marked and every paragraph pre-annotated; a labeler's export (edited here as the tool would write it) reads
back as whole documents in order; unlabeled tasks are skipped and counted; two labels for a paragraph are refused."""

from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import pytest

from cleaner.document import Document, Paragraph
from cleaner.labeling import labeling_config, least_confident
from cleaner.labeling.schema import CHOICES_NAME, PARAGRAPH_NAME, PARAGRAPHS_FIELD, control_name
from cleaner.labels import LABELS, Label
from cleaner.training.data import (
    TINY_DOCUMENT_PARAGRAPHS, DataError, DataWarning, LabelMap, ReadNotes, read_labeled,
)

from conftest import labels_of, read_jsonl_file, run_cli, synthetic_document, write_jsonl

UNLABELED_PAGES = (50, 51, 52)
TO_CHECK = 5  # -n: paragraphs to check, spread over the pages


def write_pages(folder: Path, pages: tuple[int, ...] = UNLABELED_PAGES) -> Path:
    """Unlabeled text pages named by their synthetic document's number: 50.txt, ..."""
    folder.mkdir()
    for k in pages:
        (folder / f"{k}.txt").write_text("\n".join(synthetic_document(k)[0]) + "\n", encoding="utf-8")
    return folder


def gold(doc_id: str) -> tuple[list[str], list[str]]:
    """The paragraphs and gold labels of the page whose id is "50.txt", ..."""
    return synthetic_document(int(doc_id.removesuffix(".txt")))


def suggested(tmp_path: Path, tiny_model_args: list[str], fmt: str) -> Path:
    out = tmp_path / f"suggested.{fmt}"
    result = run_cli("suggest", write_pages(tmp_path / "unlabeled"), "-n", TO_CHECK, "--format", fmt, "-o", out,
                     *tiny_model_args)
    assert result.exit_code == 0, result.output
    assert f"{TO_CHECK} paragraphs to check" in result.stderr
    return out


# --- the shipped project settings ----------------------------------------------------------------------------------


def test_the_label_studio_config_parses_and_its_choices_are_the_six_labels() -> None:
    view = ElementTree.fromstring(labeling_config("label-studio"))
    (repeater,) = view.iter("Repeater")
    assert repeater.get("on") == f"${PARAGRAPHS_FIELD}"
    (choices,) = view.iter("Choices")
    flag = repeater.get("indexFlag")
    assert choices.get("name") == control_name(CHOICES_NAME, flag)  # label_{{idx}}: what suggest and the reader use
    assert choices.get("toName") == control_name(PARAGRAPH_NAME, flag)
    assert choices.get("toName") in {text.get("name") for text in view.iter("Text")}
    assert choices.get("choice") != "multiple"
    assert tuple(choice.get("value") for choice in choices.iter("Choice")) == LABELS


def test_the_doccano_label_definitions_are_the_six_labels_with_distinct_shortcuts() -> None:
    definitions = json.loads(labeling_config("doccano"))
    assert tuple(label["text"] for label in definitions) == LABELS
    keys = [label["suffix_key"] for label in definitions]
    assert len(set(keys)) == len(keys) and all(len(key) == 1 for key in keys)


def test_labeling_config_command_prints_or_writes_the_shipped_settings(tmp_path: Path) -> None:
    result = run_cli("labeling-config", "--format", "label-studio")
    assert result.exit_code == 0 and result.stdout == labeling_config("label-studio")
    out = tmp_path / "labels.json"
    assert run_cli("labeling-config", "--format", "doccano", "-o", out).exit_code == 0
    assert out.read_text(encoding="utf-8") == labeling_config("doccano")


# --- choosing what to check ----------------------------------------------------------------------------------------


def document(doc_id: str, confidences: list[float]) -> Document:
    return Document([Paragraph(f"{doc_id} paragraph {i}", Label.BODY, c) for i, c in enumerate(confidences)], id=doc_id)


def test_the_n_least_confident_paragraphs_come_in_their_whole_documents_least_confident_first() -> None:
    documents = [document("a", [0.9, 0.4, 0.8]), document("b", [0.3, 0.95]), document("c", [0.99, 0.97])]
    chosen = least_confident(iter(documents), 3)
    assert [(item.id, item.review) for item in chosen] == [("b", (0,)), ("a", (1, 2))]
    assert [len(item.document.paragraphs) for item in chosen] == [2, 3]  # whole documents, not the paragraphs
    assert least_confident(iter(documents), 100)[-1].id == "c"  # more than there are: every document, once each


# --- Label Studio: suggest, label, export, train ---------------------------------------------------------------------


def label_studio_export(tasks: list[dict[str, Any]], correct: bool = True) -> list[dict[str, Any]]:
    """The full JSON export of the imported tasks once a labeler has submitted each: the predictions accepted,
    and (`correct`) changed to the gold label where the model was wrong."""
    exported = []
    for number, task in enumerate(tasks, 1):
        task = copy.deepcopy(task)
        result = copy.deepcopy(task["predictions"][0]["result"])
        for index, region in enumerate(result):
            region.pop("score")
            region["origin"] = "prediction"
            if correct and region["value"]["choices"] != [gold(task["data"]["doc_id"])[1][index]]:
                region["value"]["choices"] = [gold(task["data"]["doc_id"])[1][index]]
                region["origin"] = "prediction-changed"
        exported.append({"id": number, "data": task["data"], "predictions": task["predictions"], "annotations": [
            {"id": 100 + number, "completed_by": 1, "result": result, "was_cancelled": False, "ground_truth": False,
             "created_at": "2026-01-02T10:00:00Z", "lead_time": 30.5}]})
    return exported


def json_min(exported: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The same tasks as a JSON-MIN export: data fields at the top, each choice under its control's name."""
    return [{"id": task["id"], **task["data"], **{region["from_name"]: region["value"]["choices"][0]
                                                  for region in task["annotations"][0]["result"]},
             "annotator": 1, "annotation_id": task["annotations"][0]["id"], "lead_time": 30.5} for task in exported]


def test_suggest_writes_label_studio_tasks_of_whole_documents_with_predictions(tmp_path: Path, tiny_model_args) -> None:
    tasks = json.loads(suggested(tmp_path, tiny_model_args, "label-studio").read_text(encoding="utf-8"))
    assert sorted(task["data"]["doc_id"] for task in tasks) == [f"{k}.txt" for k in UNLABELED_PAGES]
    assert sum(len(task["data"]["review"]) for task in tasks) == TO_CHECK
    scores = [task["predictions"][0]["score"] for task in tasks]
    assert scores == sorted(scores)
    for task in tasks:
        paragraphs, _ = gold(task["data"]["doc_id"])
        assert [p["text"] for p in task["data"][PARAGRAPHS_FIELD]] == paragraphs
        assert task["data"]["text"] == "\n".join(paragraphs)
        marked = [i for i, p in enumerate(task["data"][PARAGRAPHS_FIELD]) if p["note"]]
        assert marked == sorted(task["data"]["review"])
        (prediction,) = task["predictions"]
        assert [(r["from_name"], r["to_name"], r["type"]) for r in prediction["result"]] == [
            (f"label_{i}", f"paragraph_{i}", "choices") for i in range(len(paragraphs))]
        assert all(len(r["value"]["choices"]) == 1 and r["value"]["choices"][0] in LABELS for r in prediction["result"])
        assert prediction["score"] == min(r["score"] for r in prediction["result"])


def test_a_label_studio_export_of_suggested_tasks_trains_as_whole_documents_in_order(tmp_path: Path,
                                                                                     tiny_model_args) -> None:
    tasks = json.loads(suggested(tmp_path, tiny_model_args, "label-studio").read_text(encoding="utf-8"))
    exported = label_studio_export(tasks)
    exported.append({"id": 99, "data": tasks[0]["data"] | {"doc_id": "never-labeled"},
                     "predictions": tasks[0]["predictions"], "annotations": []})  # imported, never submitted
    full, minimal = tmp_path / "export.json", tmp_path / "export-min.json"
    full.write_text(json.dumps(exported), encoding="utf-8")
    minimal.write_text(json.dumps(json_min(exported[:-1])), encoding="utf-8")
    for path in (full, minimal):
        documents = read_labeled([path], notes=ReadNotes())
        assert [doc.id for doc in documents] == [task["data"]["doc_id"] for task in tasks]
        for doc in documents:
            assert list(doc.paragraphs) == gold(doc.id)[0] and labels_of(doc.labels) == gold(doc.id)[1]

    result = run_cli("train", full, "-o", tmp_path / "m.npz", "--cv", "0", "--augment", "0", "-q")
    assert result.exit_code == 0, result.output
    assert f"{full}: skipped 1 unlabeled task" in result.stderr and "fragments" not in result.stderr
    assert json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))["training"]["documents"] == len(tasks)


def test_accepted_predictions_read_back_as_the_models_labels(tmp_path: Path, tiny_model_args) -> None:
    tasks = json.loads(suggested(tmp_path, tiny_model_args, "label-studio").read_text(encoding="utf-8"))
    path = tmp_path / "accepted.json"
    path.write_text(json.dumps(label_studio_export(tasks, correct=False)), encoding="utf-8")
    for task, doc in zip(tasks, read_labeled([path])):
        assert labels_of(doc.labels) == [r["value"]["choices"][0] for r in task["predictions"][0]["result"]]


# --- doccano: suggest, label, export, train ------------------------------------------------------------------------


def doccano_export(records: list[dict[str, Any]], entities: bool = False) -> list[dict[str, Any]]:
    """doccano's export of the imported records once labeled: each paragraph's span relabeled with its gold label
    (as "label" triples, or as a relation project's "entities"), the metadata kept."""
    exported = []
    for number, record in enumerate(records, 1):
        spans = [[start, end, label] for (start, end, _), label in zip(record["label"], gold(record["doc_id"])[1])]
        fields = {key: value for key, value in record.items() if key != "label"}
        if entities:
            labeled = {"entities": [{"id": i, "label": label, "start_offset": start, "end_offset": end}
                                    for i, (start, end, label) in enumerate(spans)], "relations": []}
        else:
            labeled = {"label": spans}
        exported.append({"id": number, **fields, **labeled, "Comments": []})
    return exported


def test_suggest_writes_doccano_documents_whose_spans_are_the_paragraphs(tmp_path: Path, tiny_model_args) -> None:
    records = read_jsonl_file(suggested(tmp_path, tiny_model_args, "doccano"))
    assert sum(len(record["review"]) for record in records) == TO_CHECK
    for record in records:
        paragraphs, _ = gold(record["doc_id"])
        assert [record["text"][start:end] for start, end, _ in record["label"]] == paragraphs
        assert all(label in LABELS for _, _, label in record["label"])
        assert record["check"].startswith(f"line {record['review'][0] + 1} ")


@pytest.mark.parametrize("entities", [False, True], ids=["label-triples", "entities"])
def test_a_doccano_export_of_suggested_documents_reads_back_whole_and_in_order(tmp_path: Path, tiny_model_args,
                                                                             entities: bool) -> None:
    records = read_jsonl_file(suggested(tmp_path, tiny_model_args, "doccano"))
    exported = doccano_export(records, entities)
    exported.append({"id": 99, "text": "Not labeled yet\nStill not", "label": [], "doc_id": "later"})
    path = write_jsonl(tmp_path / "doccano-export.jsonl", exported)
    notes = ReadNotes()
    documents = read_labeled([path], notes=notes)
    assert [doc.id for doc in documents] == [record["doc_id"] for record in records]
    for doc in documents:
        assert list(doc.paragraphs) == gold(doc.id)[0] and labels_of(doc.labels) == gold(doc.id)[1]
    assert notes.unlabeled == {(str(path), "record"): 1} and notes.fragments == 0


def test_a_doccano_text_in_data_and_a_label_studio_task_whose_data_is_a_string_are_read(tmp_path: Path) -> None:
    paragraphs, labels = synthetic_document(3)
    old_doccano = write_jsonl(tmp_path / "old.jsonl", [
        {"id": i, "data": text, "label": [label], "meta": {"doc_id": "d", "index": i}}
        for i, (text, label) in enumerate(zip(paragraphs, labels))])
    (doc,) = read_labeled([old_doccano])
    assert list(doc.paragraphs) == paragraphs and labels_of(doc.labels) == labels
    task = {"id": 1, "data": json.dumps({"doc_id": "s", PARAGRAPHS_FIELD: paragraphs[:3]}), "annotations": [
        {"result": [{"from_name": f"label_{i}", "to_name": f"paragraph_{i}", "type": "choices",
                     "value": {"choices": [label]}} for i, label in enumerate(labels[:3])]}]}
    studio = tmp_path / "string-data.json"
    studio.write_text(json.dumps([task]), encoding="utf-8")
    (doc,) = read_labeled([studio])
    assert (doc.id, list(doc.paragraphs), labels_of(doc.labels)) == ("s", paragraphs[:3], labels[:3])


# --- unlabeled, multi-choice, custom choices names, fragments --------------------------------------------------------


def paragraph_tasks(path: Path, label_of: dict[int, Any], field: str = "label", **extra: Any) -> Path:
    """A JSON-MIN export of one synthetic document, a task per paragraph; `label_of` says which are labeled."""
    paragraphs, _ = synthetic_document(7)
    tasks = [{"id": i, "text": text, "doc_id": "d7", "index": i, **extra, **({field: label_of[i]} if i in label_of else {})}
             for i, text in enumerate(paragraphs)]
    path.write_text(json.dumps(tasks), encoding="utf-8")
    return path


def test_unlabeled_tasks_are_skipped_and_counted_with_a_warning(tmp_path: Path) -> None:
    paragraphs, labels = synthetic_document(7)
    path = paragraph_tasks(tmp_path / "partial.json", {i: labels[i] for i in range(len(labels)) if i != 4})
    with pytest.warns(DataWarning) as caught:
        (doc,) = read_labeled([path])
    assert list(doc.paragraphs) == paragraphs[:4] + paragraphs[5:]
    said = [str(warning.message) for warning in caught]
    assert said[0].startswith(f"{path}: skipped 1 unlabeled task ")
    assert said[1].startswith("1 of 1 labeled documents look like fragments")  # the gap the unlabeled one left
    none = paragraph_tasks(tmp_path / "none.json", {})
    with pytest.raises(DataError, match=rf"no labeled documents found \({len(paragraphs)} unlabeled"):
        read_labeled([none])


def test_a_paragraph_with_two_labels_is_refused_naming_the_file_and_task(tmp_path: Path) -> None:
    path = paragraph_tasks(tmp_path / "multi.json", {0: "headline", 1: {"choices": ["byline", "body"]}})
    with pytest.raises(DataError, match=rf"^{path}: task 2: 2 labels \['byline', 'body'\] where a paragraph has one"):
        read_labeled([path])
    task = {"id": 7, "data": {"doc_id": "x", PARAGRAPHS_FIELD: ["Title", "By Ann"]}, "annotations": [{"result": [
        {"from_name": "label_0", "to_name": "paragraph_0", "type": "choices", "value": {"choices": ["headline"]}},
        {"from_name": "label_1", "to_name": "paragraph_1", "type": "choices", "value": {"choices": ["byline", "body"]}},
    ]}]}
    export = tmp_path / "export.json"
    export.write_text(json.dumps([task]), encoding="utf-8")
    result = run_cli("train", export, "-o", tmp_path / "m.npz", "--cv", "0")
    assert result.exit_code == 2
    (error,) = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert error.startswith(f"Error: {export}: task 1, paragraph 1: 2 labels ['byline', 'body']")


def test_a_document_task_with_a_paragraph_left_unlabeled_is_an_error_naming_it(tmp_path: Path) -> None:
    task = {"id": 3, "doc_id": "x", PARAGRAPHS_FIELD: [{"text": "Title"}, {"text": "By Ann"}], "label_0": "headline"}
    path = tmp_path / "min.json"
    path.write_text(json.dumps([task]), encoding="utf-8")
    with pytest.raises(DataError, match=rf"^{path}: task 1: paragraph 1 of 2 has no label"):
        read_labeled([path])


def test_choices_field_names_the_control_that_holds_the_labels(tmp_path: Path, tiny_model_args) -> None:
    _, labels = synthetic_document(7)
    path = paragraph_tasks(tmp_path / "kind.json", dict(enumerate(labels)), field="kind", url="https://example.org/7")
    with pytest.raises(DataError, match=r"task 1: 2 fields could hold the label \(url, kind\).*--choices-field"):
        read_labeled([path])
    (doc,) = read_labeled([path], LabelMap(choices="kind"))
    assert labels_of(doc.labels) == labels
    assert run_cli("evaluate", path, *tiny_model_args).exit_code == 2
    result = run_cli("evaluate", path, "--choices-field", "kind", *tiny_model_args)
    assert result.exit_code == 0, result.output
    assert "body" in result.stdout and "could hold the label" not in result.output


def test_fragments_of_documents_are_warned_about_once_with_a_count(tmp_path: Path) -> None:
    """What the old paragraph-only `suggest` made: a few paragraphs of each document, with gaps between them."""
    records = [{"text": synthetic_document(k)[0][i], "label": [synthetic_document(k)[1][i]],
                "doc_id": f"d{k}", "index": i} for k in range(4) for i in (3, 7, 10)]
    path = write_jsonl(tmp_path / "old-suggest.jsonl", records)
    notes = ReadNotes()
    assert [len(doc.paragraphs) for doc in read_labeled([path], notes=notes)] == [3] * 4
    assert notes.fragments == 4 and TINY_DOCUMENT_PARAGRAPHS <= 3  # by their gaps, not their size
    result = run_cli("train", path, "-o", tmp_path / "m.npz", "--cv", "0", "--augment", "0", "-q")
    assert result.exit_code == 0, result.output
    assert result.stderr.count("look like fragments") == 1 and "4 of 4 labeled documents" in result.stderr


def test_whole_short_documents_without_gaps_are_no_fragments(tmp_path: Path) -> None:
    paragraphs, labels = synthetic_document(2)
    path = write_jsonl(tmp_path / "whole.jsonl", [
        {"text": text, "label": [label], "doc_id": "d", "index": i} for i, (text, label) in enumerate(zip(paragraphs, labels))
    ] + [{"text": "Tiny", "label": ["body"], "doc_id": "tiny", "index": 0}])
    notes = ReadNotes()
    read_labeled([path], notes=notes)
    assert notes.fragments == 1  # only the one-paragraph document
