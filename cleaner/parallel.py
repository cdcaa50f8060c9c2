"""Cleaning a stream of documents in chunks, in this process or on worker processes, with bounded memory.

The input is read lazily and cut into chunks of documents. With one job the chunks are cleaned here;
with more, they go to joblib's loky worker processes, at most `CHUNKS_PER_WORKER` per worker at a time,
so that however long the stream, only a few chunks are ever held in memory. Each worker loads the model
once, on its first chunk, and turns every document into its output (a JSON line, a text) itself, so that
the parent process only reads input and writes results. Results come back in input order, or, with
``ordered=False``, as soon as each chunk is done.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any, Generic, TypeVar

from .api import BATCH_DOCUMENTS, Source, clean_documents
from .document import Document
from .persist import Model, default_model_path, load_model

R = TypeVar("R")
Render = Callable[[Source, Document], R]  # a document's output, from its input record and its cleaned form

CHUNKS_PER_WORKER = 2  # one being cleaned, one waiting: a worker never idles, and memory holds jobs x 2 chunks
WORKER_IDLE_TIMEOUT_S = 60  # idle workers exit after this; a later run in the same process starts new ones
# Each worker runs on one core: thread pools inside it would only compete with the other workers.
WORKER_ENV = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}


@dataclass(frozen=True)
class ParallelOptions:
    """How to spread the work: worker processes (1: none), documents per chunk, and whether to keep input order."""

    jobs: int = 1
    chunk_documents: int = BATCH_DOCUMENTS
    ordered: bool = True

    def __post_init__(self) -> None:
        if self.jobs < 1 or self.chunk_documents < 1:
            raise ValueError(f"jobs and chunk_documents must be at least 1, got {self.jobs} and {self.chunk_documents}")


@dataclass(frozen=True, slots=True)
class Cleaned(Generic[R]):
    """One document's output and its labels (for the run's summary)."""

    output: R
    labels: list[str]


def clean_stream(
    records: Iterable[Source], render: Render[R], model: Model, options: ParallelOptions = ParallelOptions()
) -> Iterator[Cleaned[R]]:
    """Clean `records` (texts or records, as `clean_documents` takes them) and yield each one's rendered output.

    `render` runs where the document is cleaned, so with several jobs it must be picklable (a module-level
    function, or a functools.partial of one).
    """
    chunks = _chunks(iter(records), options.chunk_documents)
    if options.jobs == 1:
        for chunk in chunks:
            yield from clean_chunk(chunk, render, model)
        return
    reference = _ModelReference.of(model)
    executor = _executor(options.jobs)
    pending: deque[Future] = deque()
    for chunk in chunks:
        pending.append(executor.submit(_clean_chunk_in_worker, chunk, render, reference))
        if len(pending) >= options.jobs * CHUNKS_PER_WORKER:
            yield from _next_result(pending, options.ordered)
    while pending:
        yield from _next_result(pending, options.ordered)


def clean_chunk(chunk: list[Source], render: Render[R], model: Model) -> list[Cleaned[R]]:
    """Clean one chunk as one batch and render each document."""
    documents = clean_documents(chunk, model=model, batch_size=max(1, len(chunk)))
    return [Cleaned(render(record, document), document.labels) for record, document in zip(chunk, documents)]


def _chunks(records: Iterator[Source], size: int) -> Iterator[list[Source]]:
    while chunk := list(islice(records, size)):
        yield chunk


def _next_result(pending: deque[Future], ordered: bool) -> list[Cleaned]:
    """The results of the oldest chunk, or of whichever finishes first when order does not matter."""
    if ordered:
        return pending.popleft().result()
    done, _ = wait(pending, return_when=FIRST_COMPLETED)
    future = next(iter(done))
    pending.remove(future)
    return future.result()


_EXECUTORS: list[Any] = []  # the executor this process started, if any, for shutdown_workers


def _executor(jobs: int) -> Any:
    """joblib's reusable loky executor: worker processes that survive between runs of the same parent."""
    from joblib.externals.loky import get_reusable_executor

    executor = get_reusable_executor(max_workers=jobs, timeout=WORKER_IDLE_TIMEOUT_S, env=WORKER_ENV)
    _EXECUTORS[:] = [executor]
    return executor


def shutdown_workers() -> None:
    """Stop this process's worker processes and wait for them (they would otherwise exit when idle)."""
    while _EXECUTORS:
        _EXECUTORS.pop().shutdown(wait=True)


@dataclass(frozen=True)
class _ModelReference:
    """How a worker finds the parent's model: the shipped one, or a file the parent already checked and trusted."""

    path: str | None

    @classmethod
    def of(cls, model: Model) -> _ModelReference:
        shipped = Path(model.path).resolve() == default_model_path().resolve()
        return cls(None if shipped else str(model.path))


_WORKER_MODELS: dict[tuple[str | None, bool], Model] = {}


def worker_model(path: str | None, trust: bool = True) -> Model:
    """The model at `path` (None: the shipped one), loaded on a worker's first task and kept for its next ones."""
    key = (path, trust)
    if key not in _WORKER_MODELS:
        _WORKER_MODELS[key] = load_model(path, trust=trust)
    return _WORKER_MODELS[key]


def _clean_chunk_in_worker(chunk: list[Source], render: Render[R], reference: _ModelReference) -> list[Cleaned[R]]:
    """A worker's task: the parent already checked (and, if asked, trusted) the model file."""
    return clean_chunk(chunk, render, worker_model(reference.path))

