"""Label priors of the HTML path: a prior shift from the text renderings the model learned on to extracted pages.

The classifier learns from text renderings of article containers, where about half the paragraphs are
boilerplate. trafilatura's extraction has already dropped most of it: among an extracted page's paragraphs
body is far more common, and the comment section trafilatura finds is nearly all comments. So before
decoding, each paragraph's probabilities are reweighted by how much more (or less) common each label is in
its section of an extracted page than in the training text (Saerens, Latinne and Decaestecker 2002):

    p'(y | x) ∝ p(y | x) · π_section(y) / π_text(y)

π_text is the label frequency of the training documents; π_section the label frequency, in each section
(`cleaner.html.SECTIONS`), of the HTML renderings of the same pages (../shared/data/pages) with the reviewed
labels transferred to them (`cleaner.align.transfer_labels`), smoothed by `SMOOTHING` paragraphs of the
training prior. Both are label counts, not model outputs, so a retrained model needs no new priors; new
training data or a new extraction does: rerun

    python -m cleaner.html_priors ../shared/data/train seeds/labels.jsonl --pages ../shared/data/pages

which rewrites `cleaner/html_priors.json` (the counts; the weights are computed from them on load).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from .align import read_html_pairs, transfer_labels
from .data import LabeledDocument, read_labeled
from .html import PAGE, SECTIONS, extract_html
from .labels import LABELS
from .persist import atomic_write

PRIORS_FILE = Path(__file__).with_name("html_priors.json")
# Pseudo-paragraphs of the training prior added to each section's counts, so that a label a section never showed
# keeps a small weight. Chosen on the pages set (out-of-fold probabilities; 1, 10 and 50 tried), never on wcxb-dev.
SMOOTHING = 1.0
# Sections whose paragraphs keep the model's own probabilities: a page without extracted text is rendered whole,
# like the training text.
UNSHIFTED_SECTIONS = frozenset({PAGE})


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


def label_weights(counts: dict[str, Any]) -> dict[str, np.ndarray]:
    """π_section(y) / π_text(y) for each section (ones for `UNSHIFTED_SECTIONS`), in `LABELS` order."""
    text = np.array([counts["text"][label] for label in LABELS], dtype=float)
    text_prior = text / text.sum()
    weights = {section: np.ones(len(LABELS)) for section in UNSHIFTED_SECTIONS}
    for section, section_counts in counts["sections"].items():
        smoothed = np.array([section_counts[label] for label in LABELS], dtype=float) + counts["smoothing"] * text_prior
        weights[section] = smoothed / smoothed.sum() / text_prior
    return weights


@cache
def shipped_weights() -> dict[str, np.ndarray]:
    """The label weights of `PRIORS_FILE`, read once."""
    return label_weights(json.loads(PRIORS_FILE.read_text(encoding="utf-8")))


def section_weights(sections: Sequence[str]) -> np.ndarray:
    """One row of label weights per paragraph, by its section (paragraphs x labels)."""
    weights = shipped_weights()
    if not sections:
        return np.ones((0, len(LABELS)))
    return np.stack([weights[section] for section in sections])


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m cleaner.html_priors", description=__doc__.splitlines()[0])
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
