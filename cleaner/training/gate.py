"""The evaluation gate: per-label F1 floors on a fixed development split, tied to a hash of that split.

The split is every page of the review set whose id hashes into one bucket of `DEV_BUCKETS` (about a fifth
of the pages, chosen by a hash rather than by hand, and stable as pages are added). The gate trains the
training pipeline on the other pages and evaluates it on the split; it fails when any F1 falls below its
floor in `models/gate.json`. The file also records the SHA-256 of the split's documents and labels: when the
data changes, the floors no longer mean anything and the gate refuses to run until they are measured again.
Floors are lowered only on purpose, in a commit that says why.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .data import LabeledDocument, fingerprint
from .evaluate import Report, report
from ..model.persist import default_model_path

DEV_BUCKETS = 5
GATE_FILE_NAME = "gate.json"  # beside the shipped model


class GateError(RuntimeError):
    """The gate cannot run: its evaluation data is not the data its floors were measured on."""


@dataclass(frozen=True)
class Gate:
    """Floors for per-label F1 (and for "macro_f1" and "body_word_f1"), and the hash of the split they hold on."""

    floors: dict[str, float]
    dev_sha256: str

    @classmethod
    def load(cls, path: Path | None = None) -> Gate:
        path = path or default_model_path().with_name(GATE_FILE_NAME)
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(data["floors"], data["dev_sha256"])

    def failures(self, result: Report) -> list[str]:
        """Each floor the report falls below, as "name: measured < floor"."""
        measured = {label: m["f1"] for label, m in result.per_label.items()}
        measured |= {"macro_f1": result.macro_f1, "body_word_f1": result.body_word_f1}
        return [f"{name}: {measured[name]:.3f} < {floor:.3f}" for name, floor in self.floors.items() if measured[name] < floor]

    def check_data(self, dev: Sequence[LabeledDocument]) -> None:
        digest = fingerprint(dev)
        if digest != self.dev_sha256:
            raise GateError(f"the development split's hash is {digest[:12]}, but the floors were measured on "
                            f"{self.dev_sha256[:12]}: measure them again (and say why in the commit)")


def is_dev(doc: LabeledDocument) -> bool:
    return int(hashlib.sha256(doc.id.encode()).hexdigest(), 16) % DEV_BUCKETS == 0


def split(documents: Sequence[LabeledDocument]) -> tuple[list[LabeledDocument], list[LabeledDocument]]:
    """(training, development) documents."""
    return [d for d in documents if not is_dev(d)], [d for d in documents if is_dev(d)]


def run_gate(documents: Sequence[LabeledDocument], fit: Callable[[Sequence[LabeledDocument]], Any],
             gate: Gate) -> tuple[Report, list[str]]:
    """Train with `fit` on the training part, evaluate on the development split: the report and the failures."""
    training, dev = split(documents)
    gate.check_data(dev)
    model = fit(training)
    result = report(dev, model.predict([doc.paragraphs for doc in dev]))
    return result, gate.failures(result)
