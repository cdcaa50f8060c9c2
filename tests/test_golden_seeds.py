"""Golden checks of the shipped model on the five hand-labeled seed documents.

The shipped model was trained on these seeds (models/default.json lists seeds/labels.jsonl among its
sources), so this is accuracy measured on training data: it says nothing about generalisation, but it
guards against regressions such as a stale or broken model, a feature change the model was not retrained
for, or a decoding change that breaks the sections the seeds show (editorial commentary, repeated headlines).
"""

from __future__ import annotations

import pytest

from cleaner import Label, clean, label
from cleaner.training.data import LabeledDocument

from conftest import SEEDS_DIR, labels_of, seed_by_prefix

# What the shipped model reaches on every seed; its known misses (seed 001's bio lines after the
# "divider", seed 003's "READ MORE" links) are listed in the closing note of issue 2.
SEED_ACCURACY_FLOOR = 0.85
SEED_PREFIXES = ("000", "001", "002", "003", "004")
EDITORIAL_HEADING = "Comment — Sept 8, 2017"
EDITORIAL_LINES = 8  # the heading and the seven paragraphs of commentary after it
REPEATED_HEADLINE = "Coalition targets Daesh men from stranded convoy"


def predicted(doc: LabeledDocument) -> list[str]:
    return label(list(doc.paragraphs)).labels


def test_there_are_five_seeds_with_text_files(seeds) -> None:
    assert sorted(key[:3] for key in seeds) == list(SEED_PREFIXES)
    assert all((SEEDS_DIR / f"{key}.txt").is_file() for key in seeds)


@pytest.mark.parametrize("prefix", SEED_PREFIXES)
def test_seed_paragraph_accuracy(seeds, prefix: str) -> None:
    doc = seed_by_prefix(seeds, prefix)
    gold, labels = labels_of(doc.labels), predicted(doc)
    mistakes = [(i, g, p, text[:60]) for i, (g, p, text) in enumerate(zip(gold, labels, doc.paragraphs)) if g != p]
    accuracy = 1 - len(mistakes) / len(gold)
    assert accuracy >= SEED_ACCURACY_FLOOR, f"accuracy {accuracy:.3f}; mistakes (index, gold, predicted): {mistakes}"


def test_seed_002_appended_commentary_is_editorial_and_its_body_is_not(seeds) -> None:
    doc = seed_by_prefix(seeds, "002")
    start = doc.paragraphs.index(EDITORIAL_HEADING)
    section = range(start, start + EDITORIAL_LINES)
    # The commentary runs up to, but not including, the final comments line.
    assert section.stop == len(doc.paragraphs) - 1
    assert doc.labels[-1] is Label.COMMENTS
    assert all(doc.labels[i] is Label.EDITORIAL for i in section)  # the gold agrees with this test's reading

    labels = predicted(doc)
    assert [labels[i] for i in section] == ["editorial"] * EDITORIAL_LINES
    body = [i for i, gold in enumerate(doc.labels) if gold is Label.BODY]
    assert body and not [i for i in body if labels[i] == "editorial"]


def test_seed_004_repeated_headlines_are_all_headline(seeds) -> None:
    doc = seed_by_prefix(seeds, "004")
    copies = [i for i, text in enumerate(doc.paragraphs) if text == REPEATED_HEADLINE]
    assert len(copies) == 4
    labels = predicted(doc)
    assert [labels[i] for i in copies] == ["headline"] * len(copies)


@pytest.mark.parametrize("prefix", SEED_PREFIXES)
def test_seed_text_files_segment_into_the_labeled_paragraphs(seeds, prefix: str) -> None:
    doc = seed_by_prefix(seeds, prefix)
    text = (SEEDS_DIR / f"{doc.id}.txt").read_text(encoding="utf-8")
    document = clean(text)
    assert [p.text for p in document.paragraphs] == list(doc.paragraphs)
