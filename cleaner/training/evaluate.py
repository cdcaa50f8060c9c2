"""Evaluation: per-label precision, recall and F1, word-weighted body F1, and site-grouped cross-validation."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .data import LabeledDocument
from ..model.features import WORD
from ..labels import LABELS, Label

SECTION_LABELS = (Label.COMMENTS, Label.BYLINE)  # sections that should come out in one piece
WORST_DOCUMENTS = 5  # how many of the least accurate documents a report lists


@dataclass
class Report:
    """Quality of predicted labels against gold labels, over a set of documents."""

    per_label: dict[str, dict[str, float]]
    macro_f1: float
    body_word_f1: float
    confusion: list[list[int]]
    paragraphs: int
    documents: int
    editorial_false_alarm_rate: float
    section_holes: int
    per_document: dict[str, dict[str, float]] = field(default_factory=dict)
    section_holes_by_step: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {key: getattr(self, key) for key in self.__dataclass_fields__}

    def format(self) -> str:
        """The report as an aligned text table."""
        lines = [f"{'label':<12} {'precision':>9} {'recall':>7} {'f1':>6} {'support':>8}"]
        for label, m in self.per_label.items():
            lines.append(f"{label:<12} {m['precision']:>9.3f} {m['recall']:>7.3f} {m['f1']:>6.3f} {int(m['support']):>8}")
        lines.append(f"macro-F1 {self.macro_f1:.3f}   body word-F1 {self.body_word_f1:.3f}   "
                     f"({self.paragraphs} paragraphs, {self.documents} documents)")
        lines.append(f"editorial false alarms {self.editorial_false_alarm_rate:.4%} of non-editorial paragraphs; "
                     f"section holes {self.section_holes}")
        if self.section_holes_by_step:
            steps = ", ".join(f"{step} {holes}" for step, holes in self.section_holes_by_step.items())
            lines.append(f"section holes after each step: {steps}")
        lines.append("confusion (rows gold, columns predicted): " + " ".join(label[:4] for label in LABELS))
        lines.extend(f"  {label[:4]:<5} " + " ".join(f"{c:>4}" for c in row) for label, row in zip(LABELS, self.confusion))
        lines.append("worst documents (paragraph accuracy, body word-F1, paragraphs):")
        worst = sorted(self.per_document.items(), key=lambda item: (item[1]["accuracy"], item[1]["body_word_f1"]))
        lines.extend(f"  {doc_id}  {m['accuracy']:.3f}  {m['body_word_f1']:.3f}  {int(m['paragraphs'])}"
                     for doc_id, m in worst[:WORST_DOCUMENTS])
        return "\n".join(lines)


def report(documents: Sequence[LabeledDocument], predicted: Sequence[Sequence[str]]) -> Report:
    """Compare `predicted` label sequences with the gold labels of `documents`."""
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support  # imported by evaluation alone

    gold = [label.value for doc in documents for label in doc.labels]
    pred = [str(label) for labels in predicted for label in labels]
    precision, recall, f1, support = precision_recall_fscore_support(gold, pred, labels=list(LABELS), zero_division=0)
    per_label = {
        label: {"precision": float(p), "recall": float(r), "f1": float(f), "support": int(s)}
        for label, p, r, f, s in zip(LABELS, precision, recall, f1, support)
    }
    present = [m["f1"] for m in per_label.values() if m["support"] > 0]
    non_editorial = [p for g, p in zip(gold, pred) if g != Label.EDITORIAL.value]
    return Report(
        per_label=per_label,
        macro_f1=float(np.mean(present)) if present else 0.0,
        body_word_f1=body_word_f1(documents, predicted),
        confusion=confusion_matrix(gold, pred, labels=list(LABELS)).tolist(),
        paragraphs=len(gold),
        documents=len(documents),
        editorial_false_alarm_rate=sum(p == Label.EDITORIAL.value for p in non_editorial) / max(1, len(non_editorial)),
        section_holes=sum(count_holes(doc.labels, labels) for doc, labels in zip(documents, predicted)),
        per_document={doc.id: _document_scores(doc, labels) for doc, labels in zip(documents, predicted)},
    )


def _document_scores(doc: LabeledDocument, predicted: Sequence[str]) -> dict[str, float]:
    right = sum(gold.value == str(label) for gold, label in zip(doc.labels, predicted))
    return {
        "accuracy": right / max(1, len(doc.labels)),
        "body_word_f1": body_word_f1([doc], [predicted]),
        "paragraphs": len(doc.labels),
    }


def body_word_f1(documents: Sequence[LabeledDocument], predicted: Sequence[Sequence[str]]) -> float:
    """F1 of the body label with each paragraph weighted by its number of words."""
    hit = gold_words = predicted_words = 0
    for doc, labels in zip(documents, predicted):
        for text, gold, pred in zip(doc.paragraphs, doc.labels, labels):
            words = len(WORD.findall(text))
            is_gold, is_pred = gold == Label.BODY, str(pred) == Label.BODY.value
            hit += words * (is_gold and is_pred)
            gold_words += words * is_gold
            predicted_words += words * is_pred
    if not gold_words and not predicted_words:
        return 1.0
    return 2 * hit / (gold_words + predicted_words)


@dataclass(frozen=True)
class WordOverlap:
    """Bag-of-words overlap of a predicted text with a gold text; sums over pages weight each page by its words."""

    hit: int = 0
    predicted: int = 0
    gold: int = 0

    def __add__(self, other: WordOverlap) -> WordOverlap:
        return WordOverlap(self.hit + other.hit, self.predicted + other.predicted, self.gold + other.gold)

    @property
    def precision(self) -> float:
        return self.hit / self.predicted if self.predicted else float(not self.gold)

    @property
    def recall(self) -> float:
        return self.hit / self.gold if self.gold else float(not self.predicted)

    @property
    def f1(self) -> float:
        total = self.predicted + self.gold
        return 2 * self.hit / total if total else 1.0


def word_overlap(predicted: str, gold: str) -> WordOverlap:
    """How many words of `predicted` match words of `gold`, each word counted as often as it occurs in both."""
    predicted_words, gold_words = Counter(WORD.findall(predicted)), Counter(WORD.findall(gold))
    hit = sum((predicted_words & gold_words).values())
    return WordOverlap(hit, sum(predicted_words.values()), sum(gold_words.values()))


def count_holes(gold: Sequence[Label], predicted: Sequence[str]) -> int:
    """Paragraphs inside a gold comment thread or bio box whose predicted label differs from both neighbours'
    shared label: one stray paragraph in a section that should come out whole."""
    holes = 0
    for i in range(1, len(predicted) - 1):
        section = gold[i - 1]
        if section in SECTION_LABELS and gold[i] == section == gold[i + 1]:
            holes += predicted[i - 1] == predicted[i + 1] == section.value != predicted[i]
    return holes


def cross_validate(
    documents: Sequence[LabeledDocument],
    fit: Callable[[Sequence[LabeledDocument]], Any],
    folds: int = 5,
) -> tuple[list[list[str]], Report]:
    """Site-grouped K-fold cross-validation: each document is predicted by a model that never saw its group.

    `fit` trains a model on a list of documents (augmentation, if any, happens inside it: on training folds only).
    When the model can label with each of its steps (`predict_steps`), the report also counts the section holes
    left after each step, which shows what the sequence steps do.
    """
    from sklearn.model_selection import GroupKFold  # imported by evaluation alone

    groups = [doc.group for doc in documents]
    by_step: dict[str, list[list[str]]] = {}
    for train, test in GroupKFold(n_splits=folds).split(documents, groups=groups):
        model = fit([documents[i] for i in train])
        paragraphs = [documents[i].paragraphs for i in test]
        steps = model.predict_steps(paragraphs) if hasattr(model, "predict_steps") else {"final": model.predict(paragraphs)}
        for step, labels in steps.items():
            column = by_step.setdefault(step, [[] for _ in documents])
            for i, doc_labels in zip(test, labels):
                column[i] = doc_labels
    predicted = list(by_step.values())[-1]
    result = report(documents, predicted)
    if len(by_step) > 1:
        result.section_holes_by_step = {
            step: sum(count_holes(doc.labels, labels) for doc, labels in zip(documents, column))
            for step, column in by_step.items()
        }
    return predicted, result


@dataclass(frozen=True)
class Spread:
    """Cross-validation repeated with several seeds (augmentation and models): every run's report, and the mean,
    lowest and highest of its headline figures. One run's figures move by about 0.01-0.05 with the seed alone."""

    seeds: list[int]
    reports: list[Report]

    def figures(self) -> dict[str, list[float]]:
        """Per-label F1, macro-F1 and body word-F1 of each run, by name."""
        named = {f"{label} F1": [r.per_label[label]["f1"] for r in self.reports] for label in LABELS}
        return {**named, "macro-F1": [r.macro_f1 for r in self.reports],
                "body word-F1": [r.body_word_f1 for r in self.reports]}

    def to_dict(self) -> dict:
        summary = {name: {"mean": float(np.mean(v)), "min": min(v), "max": max(v)} for name, v in self.figures().items()}
        return {"seeds": self.seeds, "summary": summary, "runs": [r.to_dict() for r in self.reports]}

    def format(self) -> str:
        """One line per figure: its mean, range and each seed's value."""
        header = f"{'':<18} {'mean':>6} {'min':>6} {'max':>6}   " + " ".join(f"seed {s:<3}" for s in self.seeds)
        rows = [f"{name:<18} {np.mean(v):>6.3f} {min(v):>6.3f} {max(v):>6.3f}   " + " ".join(f"{x:>8.3f}" for x in v)
                for name, v in self.figures().items()]
        return "\n".join([header, *rows])


def repeated_cross_validation(
    documents: Sequence[LabeledDocument], fit_with_seed: Callable[[int], Callable[[Sequence[LabeledDocument]], Any]],
    seeds: Sequence[int], folds: int = 5,
) -> Spread:
    """`cross_validate` once per seed (the same site-grouped folds; `fit_with_seed(seed)` trains with that seed)."""
    return Spread(list(seeds), [cross_validate(documents, fit_with_seed(seed), folds)[1] for seed in seeds])
