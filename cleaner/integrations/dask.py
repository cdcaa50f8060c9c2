"""Cleaning on a Dask cluster: a bag of records in, a bag of cleaned records out; or JSONL files, one task each.

The same code runs on a laptop's LocalCluster and on a cluster of many machines: every worker needs
cleaner installed (the shipped model comes with it), and the files it reads and writes must be where
the workers can see them (a shared file system). Each worker process loads the model once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ..api import Source, clean_documents
from ..pipeline.corpus import corpus_record
from ..pipeline.parallel import worker_model

DASK_INSTALL = 'pip install "cleaner[dask]"'
BAG_ERRORS = ("record", "raise")  # what clean_bag does with a malformed record
ERROR_FIELD = "error"
SCHEDULER_TIMEOUT_S = 10  # how long to try to reach the scheduler before saying it cannot be reached
# What cleans one file on a worker: (input paths, output path, options, model) -> summary.
CleanPaths = Callable[[Sequence[str], str, Any, Any], Any]


def require_dask() -> Any:
    """dask.bag, or an ImportError that gives the install command."""
    try:
        import dask.bag
        import distributed  # noqa: F401  (the CLI and clusters need it; fail early rather than on first use)
    except ImportError as error:
        raise MissingExtra(f"cleaning on Dask needs the dask extra: {DASK_INSTALL} ({error})") from None
    return dask.bag


class MissingExtra(ImportError):
    """An optional dependency is not installed; the message gives the install command."""


class SchedulerError(RuntimeError):
    """The Dask scheduler cannot be reached."""


def clean_bag(bag: Any, model_path: str | None = None, trust: bool = False, errors: str = "record") -> Any:
    """A bag of cleaned records from a bag of texts or records ({"id", "text"|"paragraphs"|"html"}), each as the
    CLI's JSONL output writes it (`corpus.corpus_record`: a document without body has a ``no_body_reason``).

    Each partition is cleaned where it lives, in batches; `model_path` (default: the shipped model) must be
    readable on every worker, and `trust` is needed for a model outside the package, as with `load_model`.
    A malformed record does not stop the bag: with ``errors="record"`` (the default) it becomes
    ``{"id": ..., "error": "..."}``, after its partition's cleaned records; ``errors="raise"`` fails the task.
    """
    require_dask()
    if errors not in BAG_ERRORS:
        raise ValueError(f"errors must be one of {', '.join(BAG_ERRORS)}, not {errors!r}")
    return bag.map_partitions(_clean_partition, model_path, trust, errors)


def _clean_partition(records: Iterable[Source], model_path: str | None, trust: bool, errors: str) -> list[dict[str, Any]]:
    model = worker_model(model_path, trust)
    failed: list[dict[str, Any]] = []

    def keep_error(item: Any, error: Exception) -> None:
        failed.append({"id": item.get("id") if isinstance(item, dict) else None, ERROR_FIELD: str(error)})

    mode = "raise" if errors == "raise" else "skip"
    cleaned = [corpus_record({"id": doc.id, **doc.meta} if doc.id is not None else dict(doc.meta), doc)
               for doc in clean_documents(records, model=model, errors=mode, on_error=keep_error)]
    return cleaned + failed


def clean_files(
    inputs: Sequence[str], outputs: Sequence[str], clean: CleanPaths, options: Any, model_path: str | None, trust: bool,
    address: str,
) -> list[Any]:
    """Clean each JSONL input into its output file on the cluster at `address`, one task per file, with `clean`
    (the CLI's `cli.commands.clean_paths`, given by the caller so that this module never imports the CLI) and
    its `options` (a `cli.commands.CleanOptions`); their summaries."""
    bag = require_dask()
    from distributed import Client

    try:
        client = Client(address, timeout=SCHEDULER_TIMEOUT_S)
    except (OSError, TimeoutError) as error:
        raise SchedulerError(f"{address}: cannot reach the Dask scheduler ({_one_line(error)})") from None
    with client:
        tasks = bag.from_sequence(list(zip(inputs, outputs)), partition_size=1)
        return client.compute(tasks.map(_clean_file, clean, options, model_path, trust)).result()


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def _clean_file(paths: tuple[str, str], clean: CleanPaths, options: Any, model_path: str | None, trust: bool) -> Any:
    source, target = paths
    return clean([source], target, options, worker_model(model_path, trust))
