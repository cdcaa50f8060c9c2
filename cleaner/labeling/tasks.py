"""Review tasks for labeling tools: whole documents, the paragraphs the model is least sure of marked, every
paragraph pre-annotated with the model's guess and its confidence.

Two formats, read back by `cleaner.training.data` as whole documents in their order:
- Label Studio: a JSON array of tasks to import (`{"data": {...}, "predictions": [...]}`), one per document, for
  the labeling config `label_studio.xml` (a `Choices` per paragraph, repeated over `data.paragraphs`);
- doccano: JSONL for a sequence-labeling project, one document per line, its text the paragraphs one a line and
  each paragraph one labeled span (`"label": [[start, end, "body"], ...]`); the other fields are its metadata.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .schema import (
    CHOICES_NAME, DOCUMENT_ID_FIELD, PARAGRAPH_NAME, PARAGRAPH_SEPARATOR, PARAGRAPHS_FIELD, REVIEW_FIELD, TEXT_FIELD,
    control_name,
)

if TYPE_CHECKING:
    from ..document import Document, Paragraph
    from ..model.persist import Model

LABEL_STUDIO, DOCCANO = "label-studio", "doccano"
FORMATS = (DOCCANO, LABEL_STUDIO)
DEFAULT_FORMAT = DOCCANO  # JSONL, as `cleaner suggest` wrote before it wrote whole documents
CONFIDENCE_DIGITS = 4
NOTE_FIELD = "note"  # a Label Studio paragraph's mark, shown above it: empty unless it is to be checked
CHECK_FIELD = "check"  # a doccano record's metadata: the paragraphs to check, said for a person
GUESS = "the model guessed {label}, confidence {confidence:.2f}"
CHECK_NOTE = "CHECK: " + GUESS  # above a Label Studio paragraph to check
QUOTED_CHARACTERS = 60  # of a paragraph to check, quoted in a doccano record's metadata


@dataclass(frozen=True)
class ReviewDocument:
    """A cleaned document to review, and which of its paragraphs to check first (least confident first)."""

    document: Document
    id: str
    review: tuple[int, ...]

    @property
    def confidence(self) -> float:
        """The model's confidence in the least sure of the paragraphs to check."""
        return self.document.paragraphs[self.review[0]].confidence


def least_confident(documents: Iterable[Document], count: int) -> list[ReviewDocument]:
    """The documents that hold the `count` least confident paragraphs, each once with those paragraphs to check,
    least confident first. Only `count` paragraphs (and their documents) are held at a time."""
    candidates = ((paragraph.confidence, order, index, doc)
                  for order, doc in enumerate(documents) for index, paragraph in enumerate(doc.paragraphs))
    chosen = heapq.nsmallest(count, candidates, key=lambda candidate: candidate[:3])
    marked: dict[int, tuple[Document, list[int]]] = {}
    for _, order, index, doc in chosen:  # least confident first: so are the documents and each one's list
        marked.setdefault(order, (doc, []))[1].append(index)
    return [ReviewDocument(doc, _document_id(doc, order), tuple(indices)) for order, (doc, indices) in marked.items()]


def _document_id(document: Document, order: int) -> str:
    return str(document.id) if document.id is not None else f"document-{order + 1}"


def model_version(model: Model) -> str:
    """What Label Studio shows as the predictions' model: the model file, and its training data's hash."""
    digest = model.card.get("training", {}).get("data_sha256", "")
    return f"{model.path.name} {digest[:12]}".strip()


def label_studio_task(item: ReviewDocument, version: str) -> dict[str, Any]:
    """A Label Studio task of a whole document, with the model's guess for every paragraph as its prediction."""
    paragraphs = item.document.paragraphs
    to_check = set(item.review)
    data = {
        DOCUMENT_ID_FIELD: item.id,
        TEXT_FIELD: PARAGRAPH_SEPARATOR.join(paragraph.text for paragraph in paragraphs),
        PARAGRAPHS_FIELD: [{TEXT_FIELD: paragraph.text, NOTE_FIELD: _note(paragraph) if index in to_check else ""}
                           for index, paragraph in enumerate(paragraphs)],
        REVIEW_FIELD: list(item.review),
    }
    result = [{"id": f"{PARAGRAPH_NAME}-{index}", "from_name": control_name(CHOICES_NAME, index),
               "to_name": control_name(PARAGRAPH_NAME, index), "type": "choices",
               "value": {"choices": [paragraph.label.value]}, "score": _rounded(paragraph.confidence)}
              for index, paragraph in enumerate(paragraphs)]
    # The task's score is its least sure paragraph's: Label Studio's Data Manager sorts tasks by it.
    return {"data": data, "predictions": [{"model_version": version, "score": _rounded(item.confidence),
                                           "result": result}]}


def doccano_record(item: ReviewDocument) -> dict[str, Any]:
    """A doccano sequence-labeling record of a whole document: a span per paragraph, labeled with the model's guess."""
    texts = [_one_line(paragraph.text) for paragraph in item.document.paragraphs]
    spans, start = [], 0
    for text, paragraph in zip(texts, item.document.paragraphs):
        spans.append([start, start + len(text), paragraph.label.value])
        start += len(text) + len(PARAGRAPH_SEPARATOR)
    check = "; ".join(f"line {index + 1} ({_guess(item.document.paragraphs[index])}): "
                      f"{texts[index][:QUOTED_CHARACTERS]!r}" for index in item.review)
    return {TEXT_FIELD: PARAGRAPH_SEPARATOR.join(texts), "label": spans, DOCUMENT_ID_FIELD: item.id,
            CHECK_FIELD: check, REVIEW_FIELD: list(item.review), "confidence": _rounded(item.confidence)}


def review_lines(items: Sequence[ReviewDocument], fmt: str = DEFAULT_FORMAT, version: str = "") -> Iterator[str]:
    """The text of a file to import: doccano JSONL, or a Label Studio JSON array (a task a line)."""
    if fmt == DOCCANO:
        for item in items:
            yield json.dumps(doccano_record(item), ensure_ascii=False) + "\n"
        return
    if fmt != LABEL_STUDIO:
        raise ValueError(f"unknown format {fmt!r} (expected one of: {', '.join(FORMATS)})")
    yield "["
    for number, item in enumerate(items):
        yield ("," if number else "") + "\n" + json.dumps(label_studio_task(item, version), ensure_ascii=False)
    yield "\n]\n"


def _note(paragraph: Paragraph) -> str:
    return CHECK_NOTE.format(label=paragraph.label.value, confidence=paragraph.confidence)


def _guess(paragraph: Paragraph) -> str:
    return GUESS.format(label=paragraph.label.value, confidence=paragraph.confidence)


def _rounded(confidence: float) -> float:
    return round(confidence, CONFIDENCE_DIGITS)


def _one_line(text: str) -> str:
    """A paragraph as one line of a doccano text, whose lines are the paragraphs (a paragraph is one already)."""
    return " ".join(text.split(PARAGRAPH_SEPARATOR))
