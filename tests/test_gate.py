"""The evaluation gate on the fixed development split of ../shared/data/train (issue 4).

The first test is the gate itself: it trains the real training pipeline without the split and fails CI
when any F1 on the split drops below its floor in models/gate.json.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from cleaner.training.data import read_labeled
from cleaner.training.gate import Gate, GateError, run_gate, split
from cleaner.labels import Label
from cleaner.model.classifier import ParagraphClassifier
from cleaner.training.options import TrainingOptions

from conftest import REPO, TINY_MODEL_PARAMS

TRAIN_DATA = REPO.parent / "shared" / "data" / "train"

pytestmark = pytest.mark.skipif(not TRAIN_DATA.is_dir(), reason="needs ../shared/data/train beside the repository")


@pytest.fixture(scope="module")
def documents():
    return read_labeled([TRAIN_DATA])


def test_the_training_pipeline_passes_the_gate(documents) -> None:
    result, failures = run_gate(documents, TrainingOptions().fit, Gate.load())
    assert failures == [], f"below the floors: {failures}\n{result.format()}"


def test_the_gate_fails_a_degraded_model(documents) -> None:
    def degraded_fit(training):  # a model that saw four pages, instead of the whole training part
        few = training[:4]
        return ParagraphClassifier(**TINY_MODEL_PARAMS).fit(
            [doc.paragraphs for doc in few], [[label.value for label in doc.labels] for doc in few]
        )

    _, failures = run_gate(documents, degraded_fit, Gate.load())
    assert failures
    assert any(failure.startswith("macro_f1") for failure in failures)


def test_the_gate_refuses_to_run_on_changed_data(documents) -> None:
    training, dev = split(documents)
    changed = dataclasses.replace(dev[0], labels=(Label.EDITORIAL, *dev[0].labels[1:]))
    with pytest.raises(GateError, match="measure them again"):
        run_gate([*training, changed, *dev[1:]], TrainingOptions().fit, Gate.load())


def test_the_split_is_fixed_and_about_a_fifth(documents) -> None:
    training, dev = split(documents)
    assert 0.1 * len(documents) < len(dev) < 0.3 * len(documents)
    assert {doc.id for doc in dev}.isdisjoint(doc.id for doc in training)
    assert split(list(reversed(documents)))[1] == list(reversed(dev))
