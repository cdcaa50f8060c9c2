"""Measure the label counts behind the HTML path's section priors (`cleaner.html.priors`) and write them.

    python -m cleaner.training.measure_priors ../shared/data/train seeds/labels.jsonl --pages ../shared/data/pages

reads the training documents (their labels give the training prior) and the HTML pages of the reviewed ones
(../shared/data/pages: a page's id starts with its .tsv id), extracts each page as `cleaner.html.extract.extract_html`
does, transfers the reviewed labels to its paragraphs (`cleaner.training.align.transfer_labels`), counts the labels in each
section, and writes the counts to `cleaner/html_priors.json`. Rerun it when the training data or the extraction
changes; a retrained model needs nothing new (the counts are labels, not model outputs).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .align import read_html_pairs, transfer_labels
from .data import LabeledDocument, read_labeled
from ..html.extract import SECTIONS, extract_html
from ..html.priors import PRIORS_FILE, UNSHIFTED_SECTIONS, label_weights
from ..labels import LABELS
from ..files import atomic_write

# Pseudo-paragraphs of the training prior added to each section's counts, so that a label a section never showed
# keeps a small weight. Chosen on the pages set (out-of-fold probabilities; 1, 10 and 50 tried), never on wcxb-dev.
SMOOTHING = 1.0


def count_labels(training: Iterable[LabeledDocument], pages_root: Path) -> dict[str, Any]:
    """Label counts of the training documents, and of each section of the pages under `pages_root` whose text
    rendering is among them (a page's id starts with its document's id), with labels transferred."""
    reviewed = {doc.id: doc for doc in training}
    text = Counter(label.value for doc in reviewed.values() for label in doc.labels)
    sections: dict[str, Counter] = {section: Counter() for section in SECTIONS if section not in UNSHIFTED_SECTIONS}
    pages = 0
    for pair in read_html_pairs(pages_root):
        document = _reviewed_document(reviewed, pair.id)
        if document is None:
            continue
        page = extract_html(pair.html, pair.url)
        for section, label in zip(page.sections, transfer_labels(page, document, pair.gold)):
            if section in sections:
                sections[section][label.value] += 1
        pages += 1
    return {"pages": pages, "smoothing": SMOOTHING, "text": _ordered(text),
            "sections": {section: _ordered(counts) for section, counts in sections.items()}}


def _reviewed_document(reviewed: dict[str, LabeledDocument], page_id: str) -> LabeledDocument | None:
    """The reviewed document of a page: its id is the page id or the page id's start (a .tsv id is 16 characters)."""
    return next((reviewed[page_id[:n]] for n in sorted({len(i) for i in reviewed}) if page_id[:n] in reviewed), None)


def _ordered(counts: Counter) -> dict[str, int]:
    return {label: counts[label] for label in LABELS}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m cleaner.training.measure_priors", description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="+", help="the training data (as for `cleaner train`)")
    parser.add_argument("--pages", type=Path, required=True, help="the HTML pages of the reviewed documents, with gold text")
    parser.add_argument("-o", "--output", type=Path, default=PRIORS_FILE, help=f"where to write the counts (default {PRIORS_FILE})")
    options = parser.parse_args(argv)
    counts = count_labels(read_labeled(options.data), options.pages)
    atomic_write(options.output, lambda handle: handle.write(json.dumps(counts, indent=2) + "\n"))
    for section, weights in label_weights(counts).items():
        print(f"{section:<9}", " ".join(f"{label} {weight:.3f}" for label, weight in zip(LABELS, weights)))


if __name__ == "__main__":
    main()
