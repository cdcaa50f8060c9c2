"""Label priors of the HTML path: a prior shift from the text renderings the model learned on to extracted pages.

The classifier learns from text renderings of article containers, where about half the paragraphs are
boilerplate. trafilatura's extraction has already dropped most of it: among an extracted page's paragraphs
body is far more common, and the comment section trafilatura finds is nearly all comments. So before
decoding, each paragraph's probabilities are reweighted by how much more (or less) common each label is in
its section of an extracted page than in the training text (Saerens, Latinne and Decaestecker 2002):

    p'(y | x) ∝ p(y | x) · (π_section(y) / π_text(y))^SHIFT_POWER

π_text is the label frequency of the training documents; π_section the label frequency, in each section
(`cleaner.html.extract.SECTIONS`), of the HTML renderings of the same pages (../shared/data/pages) with the reviewed
labels transferred to them (`cleaner.training.align.transfer_labels`), smoothed by a few paragraphs of the
training prior (`cleaner.training.measure_priors.SMOOTHING`). The shift is raised to `SHIFT_POWER`: on pages from
sources it did not learn from, the classifier is less right than its probabilities say, so the extractor's decision
weighs more than Bayes' rule gives it (see the constant). Both are label counts, not model outputs, so a retrained
model needs no new priors; new training data or a new extraction does: rerun

    python -m cleaner.training.measure_priors ../shared/data/train seeds/labels.jsonl --pages ../shared/data/pages

which rewrites `cleaner/html_priors.json` (the counts; the weights are computed from them on load).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from .extract import PAGE
from ..labels import LABELS

PRIORS_FILE = Path(__file__).with_name("html_priors.json")
# Sections whose paragraphs keep the model's own probabilities: a page without extracted text is rendered whole,
# like the training text.
UNSHIFTED_SECTIONS = frozenset({PAGE})
# The power of the shift. Chosen with the session-11 model on WCXB's development pages (out of source: that model
# never saw them; the session-12 model, which learned from some of them, uses it as chosen), split in two halves by
# site: on each half the mean page word-F1 over the seven page types rose with the power
# (1, 1.5, 2, 2.5, 3, 4: half A 0.747 0.754 0.755 0.759 0.761 0.761, half B 0.703 0.710 0.714 0.715 0.715 0.715);
# 3 is the best of half A and level with 4 on half B (cleaner/bench/README.md, session 12).
SHIFT_POWER = 3.0
# Labels whose shift keeps the power 1: a byline inside the extracted text stays a byline as often as Bayes' rule
# says (at power 3 for every label, 70 paragraphs of those pages were bylines against 272; with bylines at power 1,
# 176, and page F1 the same to three places on every page type), and the bylines are where a page's author is read.
UNPOWERED_LABELS = frozenset({"byline"})


def label_weights(counts: dict[str, Any], power: float = SHIFT_POWER) -> dict[str, np.ndarray]:
    """(π_section(y) / π_text(y))^power for each section (ones for `UNSHIFTED_SECTIONS`; the power 1 for
    `UNPOWERED_LABELS`), in `LABELS` order, from label counts (`cleaner.training.measure_priors.count_labels`),
    each section's smoothed by ``counts["smoothing"]`` paragraphs of the training prior."""
    text = np.array([counts["text"][label] for label in LABELS], dtype=float)
    text_prior = text / text.sum()
    powers = np.array([1.0 if label in UNPOWERED_LABELS else power for label in LABELS])
    weights = {section: np.ones(len(LABELS)) for section in UNSHIFTED_SECTIONS}
    for section, section_counts in counts["sections"].items():
        smoothed = np.array([section_counts[label] for label in LABELS], dtype=float) + counts["smoothing"] * text_prior
        weights[section] = (smoothed / smoothed.sum() / text_prior) ** powers
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
