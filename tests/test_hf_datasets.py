"""Hugging Face datasets: `Dataset.map(clean_batch, batched=True)` and `clean_dataset` on a real `datasets.Dataset`."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

datasets = pytest.importorskip("datasets", reason='needs the hf extra: pip install "cleaner[hf]"')

import cleaner  # noqa: E402
from cleaner.integrations.hf import COLUMNS, HF_INSTALL, clean_batch, clean_dataset, cleaned_features  # noqa: E402
from cleaner.labels import LABELS  # noqa: E402

from conftest import SEEDS_DIR  # noqa: E402

NUM_PROC = 2  # two worker processes: the whole map takes about a second here
NO_BODY_TEXT = "Share on Facebook\nSubscribe to our newsletter"


def _texts() -> list[str | None]:
    """None first: with a batch of one, the first batch's lists are all empty (the case that needs typed columns)."""
    seeds = [path.read_text(encoding="utf-8") for path in sorted(SEEDS_DIR.glob("*.txt"))]
    return [None, *seeds, NO_BODY_TEXT]


@pytest.fixture(scope="module")
def dataset() -> datasets.Dataset:
    texts = _texts()
    return datasets.Dataset.from_dict({"id": list(range(len(texts))), "text": texts, "title": ["scraped"] * len(texts)})


def _assert_cleaned(rows: list[dict], texts: list[str | None], title_column: str) -> None:
    """Each row holds what `cleaner.clean` gives for its text."""
    for row, text in zip(rows, texts, strict=True):
        document = cleaner.clean(text or "")
        assert {name: row[name] for name in LABELS} == document.streams()
        assert row["labels"] == document.labels and row[title_column] == document.title
        assert [(text or "")[start:end] for start, end in row["spans"]] == [p.text for p in document.paragraphs]
        assert json.loads(row["metadata"]) == document.metadata
        assert bool(row["no_body_reason"]) == (not document.body)


def test_map_with_batched_clean_batch_adds_the_columns(dataset: datasets.Dataset) -> None:
    cleaned = dataset.map(clean_batch, batched=True, batch_size=1, features=cleaned_features(dataset.features))
    assert cleaned["title"] == dataset["title"] and cleaned["text"] == dataset["text"]  # the dataset's own stay
    _assert_cleaned(list(cleaned), _texts(), "cleaner_title")  # a computed column never overwrites one of them
    assert cleaned[len(dataset) - 1]["no_body_reason"] == "no paragraph was labeled body (2 boilerplate)"


def test_clean_dataset_on_two_processes_gives_what_one_gives(dataset: datasets.Dataset) -> None:
    one = clean_dataset(dataset, batch_size=2)
    two = clean_dataset(dataset, batch_size=2, num_proc=NUM_PROC, remove_columns=["text"])
    assert "text" not in two.column_names and two.features["spans"] == cleaned_features(dataset.features)["spans"]
    assert two["body"] == one["body"] and two["labels"] == one["labels"]
    _assert_cleaned(list(two), _texts(), "cleaner_title")


def test_clean_batch_names_a_missing_column_and_reads_another() -> None:
    with pytest.raises(KeyError, match="no column 'text' to clean; the columns are: content"):
        clean_batch({"content": ["Hello"]})
    columns = clean_batch({"content": [NO_BODY_TEXT]}, text_column="content")
    assert set(columns) == set(COLUMNS) and columns["boilerplate"] == [NO_BODY_TEXT]


def test_without_datasets_the_features_error_gives_the_install_command() -> None:
    hide = "import sys; sys.modules.update(dict.fromkeys(['datasets'])); "
    code = hide + "from cleaner.integrations.hf import cleaned_features; cleaned_features({})"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and HF_INSTALL == 'pip install "cleaner[hf]"'
    assert f"cleaning a Hugging Face dataset needs the hf extra: {HF_INSTALL}" in done.stderr
