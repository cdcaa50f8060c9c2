"""Shared factories and fixtures: synthetic labeled documents, the seeds, JSONL helpers and small trained models."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, settings
from threadpoolctl import threadpool_limits

from cleaner.cli import main

from cleaner.training.data import LabeledDocument, read_jsonl
from cleaner.labels import Label
from cleaner.model.classifier import ParagraphClassifier
from cleaner.model.persist import Model, load_model, save_model

REPO = Path(__file__).resolve().parent.parent
SEEDS_DIR = REPO / "seeds"
SEED_LABELS = SEEDS_DIR / "labels.jsonl"

# Small enough to train in a few seconds, large enough that every label appears in several documents.
SYNTHETIC_DOCUMENTS = 8
TINY_MODEL_PARAMS = {"hash_bits": 10, "inner_folds": 2}

# Hypothesis: CI runs a fixed, derandomized set of examples; `--hypothesis-profile=fuzz` runs many random ones
# (CLEANER_FUZZ_EXAMPLES of them per test, 20,000 by default), e.g. `python -m pytest tests/test_fuzz.py
# --hypothesis-profile=fuzz`. Tests that set max_examples themselves (the invariant's 500) keep their number.
FUZZ_EXAMPLES = int(os.environ.get("CLEANER_FUZZ_EXAMPLES", "20000"))
settings.register_profile("ci", derandomize=True, deadline=None)
settings.register_profile("fuzz", max_examples=FUZZ_EXAMPLES, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile("ci")

_TOPICS = ("storm", "election", "harbour", "vaccine", "railway", "festival", "drought", "bridge", "museum", "market")
_PLACES = ("Lisbon", "Oslo", "Quito", "Nairobi", "Hanoi", "Perth", "Tbilisi", "Dakar", "Lima", "Riga")


def synthetic_document(k: int) -> tuple[list[str], list[str]]:
    """A small news page whose paragraphs carry all six labels, with wording that varies with `k`."""
    topic, place = _TOPICS[k % len(_TOPICS)], _PLACES[k % len(_PLACES)]
    prose = (
        f"Officials in {place} said on Tuesday that the {topic} had changed daily life for thousands of residents, "
        f"and that the city council would meet again next week to discuss what should happen now."
    )
    more = (
        f"Residents interviewed near the {topic} described long queues, closed shops and uncertainty, while local "
        f"businesses in {place} reported that sales had fallen sharply over the previous month."
    )
    rows = [
        ("headline", f"{place} {topic} leaves residents waiting for answers"),
        ("byline", f"By Reporter {k} — Daily Courier, May {k + 1}, 2021"),
        ("boilerplate", "Share on Facebook"),
        ("body", prose),
        ("body", more),
        ("boilerplate", f"READ MORE: Ten things to know about the {topic}"),
        ("body", f"The council in {place} is expected to publish its findings on the {topic} before the end of the year."),
        ("editorial", f"Editor's note: this story about the {topic} in {place} was updated to include a statement."),
        ("editorial", "The views of our editors do not reflect those of the reporter. Ed."),
        ("comments", f"{k + 2} comments"),
        ("comments", f"reader{k} says: I live in {place} and this is exactly what happened to us."),
        ("comments", "Reply"),
        ("boilerplate", "© 2021 Daily Courier. All rights reserved."),
    ]
    return [text for _, text in rows], [label for label, _ in rows]


def synthetic_corpus(n: int = SYNTHETIC_DOCUMENTS) -> tuple[list[list[str]], list[list[str]]]:
    """`n` synthetic documents and their label sequences."""
    pairs = [synthetic_document(k) for k in range(n)]
    return [p for p, _ in pairs], [labels for _, labels in pairs]


def write_jsonl(path: Path, records: Iterable[Any]) -> Path:
    """Write one JSON value per line (strings are written as they are, to make malformed lines)."""
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def read_jsonl_file(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def labeled_records(n: int = SYNTHETIC_DOCUMENTS, prefix: str = "doc") -> list[dict[str, Any]]:
    """Synthetic documents as records of the LABELING.md JSONL format."""
    documents, labels = synthetic_corpus(n)
    return [{"id": f"{prefix}{k}", "paragraphs": p, "labels": y} for k, (p, y) in enumerate(zip(documents, labels))]


@pytest.fixture(scope="session", autouse=True)
def one_openmp_thread():
    """Train and predict on one OpenMP thread: on tiny data, the thread pool of gradient boosting costs
    far more than it saves, and a busy 2-core machine makes it tens of times slower."""
    with threadpool_limits(limits=1, user_api="openmp"):
        yield


@pytest.fixture(scope="session")
def seeds() -> dict[str, LabeledDocument]:
    """The gold-labeled seed documents, by id."""
    return {doc.id: doc for doc in read_jsonl(SEED_LABELS)}


def seed_by_prefix(seeds: dict[str, LabeledDocument], prefix: str) -> LabeledDocument:
    (doc,) = [doc for key, doc in seeds.items() if key.startswith(prefix)]
    return doc


@pytest.fixture(scope="session")
def shipped_model() -> Model:
    """The model shipped in models/default.npz (loaded once, as the library itself caches it)."""
    return load_model()


@pytest.fixture(scope="session")
def tiny_trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[ParagraphClassifier, Path]:
    """A tiny classifier trained on synthetic documents, and where it was saved with its card (copy before damaging)."""
    documents, labels = synthetic_corpus()
    groups = [f"site{k}" for k in range(len(documents))]
    estimator = ParagraphClassifier(**TINY_MODEL_PARAMS).fit(documents, labels, groups=groups)
    path = tmp_path_factory.mktemp("tiny") / "tiny.npz"
    save_model(estimator, path, training={"documents": len(documents)}, metrics={})
    return estimator, path


@pytest.fixture(scope="session")
def tiny_pickled(tiny_trained, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny classifier saved as a pickle (.joblib) with its card (copy before damaging)."""
    estimator, _ = tiny_trained
    path = tmp_path_factory.mktemp("tiny-pickle") / "tiny.joblib"
    save_model(estimator, path, training={}, metrics={})
    return path


@pytest.fixture(scope="session")
def tiny_model(tiny_trained) -> Model:
    """The tiny classifier as a loaded model, for fast tests of the library."""
    return load_model(tiny_trained[1])


@pytest.fixture(scope="session")
def tiny_model_args(tiny_trained) -> list[str]:
    """The CLI options that make a command use the tiny classifier."""
    return ["--model", str(tiny_trained[1])]


def permissions_are_enforced() -> bool:
    """Whether a file of mode 000 is unreadable here (not so for root, unless its capabilities were dropped)."""
    with tempfile.NamedTemporaryFile() as probe:
        os.chmod(probe.name, 0)
        return not os.access(probe.name, os.R_OK)


def run_cli(*args: Any, input: str | bytes | None = None) -> Result:
    """Run the `cleaner` command line in this process; stdout and stderr are kept apart."""
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


def labels_of(doc_labels: Iterable[Label]) -> list[str]:
    return [label.value for label in doc_labels]
