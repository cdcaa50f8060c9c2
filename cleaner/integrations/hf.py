"""Cleaning a Hugging Face `datasets.Dataset`: ``Dataset.map(clean_batch, batched=True)`` adds cleaner's columns.

    from datasets import load_dataset
    from cleaner.integrations.hf import clean_dataset

    dataset = load_dataset("json", data_files="docs.jsonl", split="train")
    cleaned = clean_dataset(dataset, num_proc=4)      # or: dataset.map(clean_batch, batched=True,
                                                      #         features=cleaned_features(dataset.features))

The added columns (`COLUMNS`) are the title, the six streams (``body``, ``headline``, ...), the paragraphs' labels,
confidences and spans ([start, end] in the text), what the bylines say (``metadata``, as JSON text: its keys vary)
and ``no_body_reason`` ("" when there is a body). A column the dataset has already keeps its values: cleaner's goes
to ``cleaner_<name>``. Every column has a fixed type (`cleaned_features`): without it, a first batch whose values
are all empty lists would give a column of Arrow's null type, which later batches cannot be cast to. Each process
loads the model once.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from ..api import BATCH_DOCUMENTS, clean_documents
from ..document import SHADOWED_PREFIX, Document
from ..labels import LABELS
from ..pipeline.corpus import NO_BODY_FIELD, no_body_reason
from ..pipeline.parallel import worker_model
from .dask import MissingExtra

HF_INSTALL = 'pip install "cleaner[hf]"'
TEXT_COLUMN = "text"
STRING, FLOAT, INTEGER = "string", "float64", "int64"
# Each column cleaner adds, with its type: a datasets.Value dtype, a list of one ([STRING]: a list of strings), ...
COLUMNS: dict[str, Any] = {
    "title": STRING, **dict.fromkeys(LABELS, STRING), "labels": [STRING], "confidences": [FLOAT],
    "spans": [[INTEGER]], "metadata": STRING, NO_BODY_FIELD: STRING,
}


def clean_batch(batch: Mapping[str, Sequence[Any]], text_column: str = TEXT_COLUMN, model_path: str | None = None,
                trust: bool = False) -> dict[str, list[Any]]:
    """Cleaner's columns (`COLUMNS`) for a batch of `Dataset.map(..., batched=True)`: each text of `text_column`
    cleaned (None counts as an empty text). `model_path` and `trust` choose the model, as for `load_model`."""
    if text_column not in batch:
        raise KeyError(f"no column {text_column!r} to clean; the columns are: {', '.join(batch)}")
    texts = ["" if text is None else text for text in batch[text_column]]
    rows = [_row(document) for document in
            clean_documents(texts, model=worker_model(model_path, trust), batch_size=max(len(texts), 1))]
    names = column_names(batch.keys())
    return {names[column]: [row[column] for row in rows] for column in COLUMNS}


def _row(document: Document) -> dict[str, Any]:
    """A cleaned document as values of `COLUMNS`."""
    row: dict[str, Any] = {"title": document.title, **document.streams(), "labels": document.labels}
    row["confidences"] = [round(p.confidence, 4) for p in document.paragraphs]
    row["spans"] = [[p.start, p.end] for p in document.paragraphs]
    row["metadata"] = json.dumps(document.metadata, ensure_ascii=False)
    row[NO_BODY_FIELD] = no_body_reason(document) or ""
    return row


def column_names(existing: Sequence[str] | Any) -> dict[str, str]:
    """The name each of cleaner's columns gets beside the `existing` ones: its own, or ``cleaner_<name>`` when a
    column of the dataset has it already."""
    taken = set(existing)
    return {column: SHADOWED_PREFIX + column if column in taken else column for column in COLUMNS}


def cleaned_features(features: Any, removed: Sequence[str] | str = ()) -> Any:
    """The `datasets.Features` of a dataset with `features` once `clean_batch` has added its columns (and `Dataset.map`
    has removed the `removed` ones): pass it to `Dataset.map` as ``features=``, so that every batch is written with
    the same types."""
    datasets = _require_datasets()
    names = column_names(features)
    removed = {removed} if isinstance(removed, str) else set(removed)
    kept = {name: feature for name, feature in features.items() if name not in removed}
    return datasets.Features({**kept, **{names[name]: _feature(datasets, kind) for name, kind in COLUMNS.items()}})


def _feature(datasets: Any, kind: Any) -> Any:
    """The datasets feature of a `COLUMNS` type: a Value, or a List of them."""
    return datasets.List(_feature(datasets, kind[0])) if isinstance(kind, list) else datasets.Value(kind)


def clean_dataset(dataset: Any, text_column: str = TEXT_COLUMN, model_path: str | None = None, trust: bool = False,
                  batch_size: int = BATCH_DOCUMENTS, **map_options: Any) -> Any:
    """`dataset` with cleaner's columns added (`clean_batch`), typed (`cleaned_features`); `map_options` go to
    `Dataset.map` (num_proc, remove_columns, desc, ...)."""
    features = cleaned_features(dataset.features, map_options.get("remove_columns") or ())
    return dataset.map(clean_batch, batched=True, batch_size=batch_size, features=features,
                       fn_kwargs={"text_column": text_column, "model_path": model_path, "trust": trust}, **map_options)


def _require_datasets() -> Any:
    """The datasets package, or an ImportError that gives the install command."""
    try:
        import datasets
    except ImportError as error:
        raise MissingExtra(f"cleaning a Hugging Face dataset needs the hf extra: {HF_INSTALL} ({error})") from None
    return datasets
