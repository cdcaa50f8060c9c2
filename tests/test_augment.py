"""Training-time augmentation and weighting (issue 18): what the copies hold and how documents are weighed."""

from __future__ import annotations

import re

import numpy as np

from cleaner.labels import Label
from cleaner.model.classifier import _document_weights
from cleaner.training.augment import BRIEF_CONTEXT, augment
from cleaner.training.data import LabeledDocument

B, X = Label.BODY, Label.BOILERPLATE


def page(number: int) -> LabeledDocument:
    """A long page: navigation, a headline, twelve body paragraphs (opinion-voiced, so that augmentation has donors)
    with a caption among them, a long footer."""
    lines = [(f"Menu item {k}", X) for k in range(15)] + [(f"Headline {number}", Label.HEADLINE)]
    for k in range(12):
        lines.append((f"Body paragraph {k} of page {number}, in which the council said it would build a tram line "
                      "to the station next spring, and residents said we should have been asked first.", B))
        if k == 1:
            lines.append(("Photo: the station in winter", X))
    lines += [(f"Footer link {k}", X) for k in range(40)]
    return LabeledDocument(f"p{number}", tuple(t for t, _ in lines), tuple(lab for _, lab in lines), f"site{number % 5}")


def test_briefs_are_short_cuts_of_their_page_with_its_labels_and_group() -> None:
    pages = [page(n) for n in range(40)]
    briefs = [doc for doc in augment(pages, seed=1, rate=0.5) if doc.id.endswith("+brief")]
    assert 10 <= len(briefs) <= 30
    by_id = {doc.id: doc for doc in pages}
    for brief in briefs:
        original = by_id[brief.id.removesuffix("+brief")]
        assert brief.group == original.group
        body = [i for i, label in enumerate(brief.labels) if label is B]
        assert 1 <= len(body) <= 4
        assert body[0] <= BRIEF_CONTEXT and len(brief.labels) - 1 - body[-1] <= BRIEF_CONTEXT
        # The page's start and its first body paragraphs, then what follows the article's end, labels as they were.
        start = original.paragraphs.index(brief.paragraphs[0])
        head = body[-1] + 1
        assert brief.paragraphs[:head] == original.paragraphs[start : start + head]
        assert brief.labels[:head] == original.labels[start : start + head]
        end = original.labels.index(X, 16 + 13)  # the first footer line
        assert brief.paragraphs[head:] == original.paragraphs[end : end + len(brief.paragraphs) - head]
    assert any(len(doc.paragraphs) < 10 for doc in briefs)
    assert augment(pages, seed=1, rate=0) == pages


def test_document_weights_favour_short_documents_and_average_one() -> None:
    lengths = [10, 50, 1000]
    weights = _document_weights(lengths, 0.5)
    assert np.isclose(weights.mean(), 1.0)
    per_paragraph = weights[[0, 10, 60]]
    assert per_paragraph[0] > per_paragraph[1] > per_paragraph[2]
    assert np.isclose(per_paragraph[0] / per_paragraph[2], np.sqrt(100))  # (1000 / 10) ** 0.5
    assert np.allclose(_document_weights(lengths, 0.0), 1.0)
    assert len(_document_weights([], 0.5)) == 0


def test_editorial_copies_keep_the_page_and_add_notes_of_many_kinds_beside_look_alikes() -> None:
    pages = [page(n) for n in range(120)]
    copies = [doc for doc in augment(pages, seed=2, rate=0.9) if doc.id.endswith("+editorial")]
    by_id = {doc.id: doc for doc in pages}
    added: list[tuple[str, Label]] = []
    for copy in copies:
        original = by_id[copy.id.removesuffix("+editorial")]
        kept = iter(zip(copy.paragraphs, copy.labels))
        assert all(line in kept for line in zip(original.paragraphs, original.labels))  # every line, in order
        extra = list(zip(copy.paragraphs, copy.labels))
        for line in zip(original.paragraphs, original.labels):
            extra.remove(line)
        assert extra and copy.group == original.group
        added += extra
    notes = [text for text, label in added if label is Label.EDITORIAL]
    kinds = {"earlier version": 0, "amended on": 0, "updated": 0, "originally": 0, "(": 0, "Editor": 0}
    for text in notes:
        for cue in kinds:
            kinds[cue] += cue.lower() in text.lower()
    assert all(count >= 2 for count in kinds.values()), kinds
    look_alikes = {label for text, label in added if label is not Label.EDITORIAL and not text.startswith("Menu")}
    assert look_alikes == {Label.BYLINE, Label.BOILERPLATE}
    stamps = [text for text, label in added if label is Label.BYLINE]
    assert stamps and all(re.search("updated|published|modified", text, re.I) for text in stamps)
