"""The evaluation gate on the fixed development split of ../shared/data/train (issue 4).

The first test is the gate itself: it trains the real training pipeline without the split and fails CI
when any F1 on the split drops below its floor in models/gate.json.
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from cleaner.training.data import LabeledDocument, read_labeled
from cleaner.training.evaluate import report
from cleaner.training.gate import MARGIN, UNSEEN_SOURCES, Gate, GateError, floors_of, run_gate, split, unseen_pages
from cleaner.labels import Label
from cleaner.model.classifier import ParagraphClassifier
from cleaner.training.options import TrainingOptions

from conftest import REPO, TINY_MODEL_PARAMS

SHARED = REPO.parent / "shared" / "data"
TRAIN_DATA = SHARED / "train"
PAGES_LABELS = REPO / "models" / "labels" / "pages.jsonl"

pytestmark = pytest.mark.skipif(not TRAIN_DATA.is_dir(), reason="needs ../shared/data/train beside the repository")


@pytest.fixture(scope="module")
def documents():
    return read_labeled([TRAIN_DATA])


@pytest.fixture(scope="module")
def unseen():
    return unseen_pages(SHARED, PAGES_LABELS)


def test_the_training_pipeline_passes_the_gate_in_and_out_of_source(documents, unseen) -> None:
    result, unseen_results, failures = run_gate(documents, TrainingOptions().fit, Gate.load(), unseen)
    assert sorted(unseen_results) == ["container", "extract", "page"]
    assert all(Gate.load().unseen_floors[rendering] for rendering in unseen_results)
    assert failures == [], f"below the floors: {failures}\n{result.format()}"


def test_the_out_of_source_pages_are_another_benchmarks_and_about_a_fifth(unseen) -> None:
    pages = {doc.id.split("#")[0] for doc in unseen}
    assert all(page.split("/")[0] in UNSEEN_SOURCES for page in pages)
    labeled = {(r["source"], r["id"]) for r in map(json.loads, PAGES_LABELS.read_text(encoding="utf-8").splitlines())
               if r["source"] in UNSEEN_SOURCES}
    assert 0.1 * len(labeled) < len(pages) < 0.3 * len(labeled)


def test_the_gate_fails_a_degraded_model(documents) -> None:
    def degraded_fit(training):  # a model that saw four pages, instead of the whole training part
        few = training[:4]
        return ParagraphClassifier(**TINY_MODEL_PARAMS).fit(
            [doc.paragraphs for doc in few], [[label.value for label in doc.labels] for doc in few]
        )

    _, _, failures = run_gate(documents, degraded_fit, Gate.load())
    assert failures
    assert any(failure.startswith("macro_f1") for failure in failures)


def test_the_gate_refuses_to_run_on_changed_data(documents, unseen) -> None:
    training, dev = split(documents)
    changed = dataclasses.replace(dev[0], labels=(Label.EDITORIAL, *dev[0].labels[1:]))
    with pytest.raises(GateError, match="development split .* measure them again"):
        run_gate([*training, changed, *dev[1:]], TrainingOptions().fit, Gate.load())
    with pytest.raises(GateError, match="out-of-source pages .* measure them again"):
        run_gate(documents, TrainingOptions().fit, Gate.load(), unseen[1:])


def test_the_split_is_fixed_and_about_a_fifth(documents) -> None:
    training, dev = split(documents)
    assert 0.1 * len(documents) < len(dev) < 0.3 * len(documents)
    assert {doc.id for doc in dev}.isdisjoint(doc.id for doc in training)
    assert split(list(reversed(documents)))[1] == list(reversed(dev))


def test_floors_sit_below_the_lowest_seed_and_report_the_first() -> None:
    """A floor is the lowest of the seeds' figures minus the margin, not one draw's (gate.main)."""
    doc = LabeledDocument("d", tuple(f"p{k}" for k in range(20)), (Label.BODY,) * 10 + (Label.BOILERPLATE,) * 10, "g")
    right = ["body"] * 10 + ["boilerplate"] * 10
    worse = ["body"] * 10 + ["boilerplate"] * 6 + ["body"] * 4  # four boilerplate lines taken for body
    first, second = report([doc], [right]), report([doc], [worse])
    measured, floors = floors_of([first, second])
    assert measured["boilerplate"] == 1.0  # the first seed's figure
    assert floors["boilerplate"] == round(second.per_label["boilerplate"]["f1"] - MARGIN, 3)
    assert floors["body"] == round(second.per_label["body"]["f1"] - MARGIN, 3)
    assert "comments" not in floors  # no support, no floor
    assert floors_of([second, first])[1] == floors  # the order of the seeds does not matter to the floors
