"""Cleaning on a Dask cluster: a bag of records in, a bag of cleaned records out; or JSONL files, one task each.

The same code runs on a laptop's LocalCluster and on a cluster of many machines: every worker needs
cleaner installed (the shipped model comes with it), and the files it reads and writes must be where
the workers can see them (a shared file system). Each worker process loads the model once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .api import Source, clean_documents
from .parallel import worker_model

DASK_INSTALL = 'pip install "cleaner[dask]"'


def require_dask() -> Any:
    """dask.bag, or an ImportError that gives the install command."""
    try:
        import dask.bag
        import distributed  # noqa: F401  (the CLI and clusters need it; fail early rather than on first use)
    except ImportError as error:
        raise ImportError(f"cleaning on Dask needs the dask extra: {DASK_INSTALL} ({error})") from None
    return dask.bag


def clean_bag(bag: Any, model_path: str | None = None, trust: bool = False) -> Any:
    """A bag of cleaned records (`Document.to_dict()`) from a bag of texts or records ({"id", "text"|"paragraphs"}).

    Each partition is cleaned where it lives, in batches; `model_path` (default: the shipped model) must be
    readable on every worker, and `trust` is needed for a model outside the package, as with `load_model`.
    """
    require_dask()
    return bag.map_partitions(_clean_partition, model_path, trust)


def _clean_partition(records: Iterable[Source], model_path: str | None, trust: bool) -> list[dict[str, Any]]:
    model = worker_model(model_path, trust)
    return [document.to_dict() for document in clean_documents(records, model=model)]


def clean_files(
    inputs: Sequence[str], outputs: Sequence[str], options: Any, model_path: str | None, trust: bool, address: str
) -> list[Any]:
    """Clean each JSONL input into its output file on the cluster at `address`, one task per file, as `clean_paths`
    does with `options` (a `commands.CleanOptions`); their summaries."""
    bag = require_dask()
    from distributed import Client

    with Client(address) as client:
        tasks = bag.from_sequence(list(zip(inputs, outputs)), partition_size=1)
        return client.compute(tasks.map(_clean_file, options, model_path, trust)).result()


def _clean_file(paths: tuple[str, str], options: Any, model_path: str | None, trust: bool) -> Any:
    from .commands import clean_paths  # on the worker: commands imports the whole CLI side

    source, target = paths
    return clean_paths([source], target, options, worker_model(model_path, trust))
