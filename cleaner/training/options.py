"""Training: one options object, augmentation of the training documents, and fitting the classifier."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .augment import AUGMENT_RATE, augment
from .data import LabeledDocument, fingerprint

if TYPE_CHECKING:
    from ..model.classifier import ParagraphClassifier

DEFAULT_SEED = 0
DEFAULT_CV_FOLDS = 5  # site-grouped folds of the cross-validation that `cleaner train` writes into the card


@dataclass(frozen=True)
class TrainingOptions:
    """How to train: the seed of everything random, the editorial augmentation (rate 0 turns it off), and extra
    documents that every training set gets (reviewed pages of other sites: `cleaner.training.container`), and whether
    each fit says its steps on stderr (`verbose`). Cross-validation
    and the gate fit on their training folds with these options, so the extra documents are never scored."""

    seed: int = DEFAULT_SEED
    augment_rate: float = AUGMENT_RATE
    extra: tuple[LabeledDocument, ...] = ()
    verbose: int = 0

    def fit(self, documents: Sequence[LabeledDocument]) -> ParagraphClassifier:
        """A classifier fitted on `documents` and the extra documents, plus their augmented copies; each group stays
        in one inner fold. Hand-labeled JSONL sets (groups named "file:…", such as the seeds) never donate
        augmentation text.
        """
        from ..model.classifier import ParagraphClassifier  # scikit-learn: imported by training alone

        documents = [*documents, *self.extra]
        protected = {doc.group for doc in documents if doc.group.startswith("file:")}
        training = augment(documents, seed=self.seed, rate=self.augment_rate, protected=protected)
        return ParagraphClassifier(random_state=self.seed, verbose=self.verbose).fit(
            [doc.paragraphs for doc in training],
            [[label.value for label in doc.labels] for doc in training],
            groups=[doc.group for doc in training],
        )

    def card(self, documents: Sequence[LabeledDocument], sources: list[str]) -> dict[str, Any]:
        """The `training` part of the card of a model fitted on `documents` (read from `sources`) with these options."""
        every = [*documents, *self.extra]
        return {"sources": sources, "data_sha256": fingerprint(every), "documents": len(every),
                "paragraphs": sum(len(doc.paragraphs) for doc in every), "seed": self.seed,
                "augment_rate": self.augment_rate}
