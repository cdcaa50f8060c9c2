"""Cleaning a stream of documents in chunks, in this process or on worker processes, with bounded memory.

The input is read lazily and cut into chunks of documents. With one job the chunks are cleaned here;
with more, they go to joblib's loky worker processes, at most `CHUNKS_PER_WORKER` per worker at a time,
so that however long the stream, only a few chunks are ever held in memory. Each worker loads the model
once, on its first chunk, and turns every document into its output (a JSON line, a text) itself, so that
the parent process only reads input and writes results. Results come back in input order, or, with
``ordered=False``, as soon as each chunk is done.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any, Generic, TypeVar

from ..api import BATCH_DOCUMENTS, Source, clean_documents
from ..document import Document
from ..model.persist import Model, default_model_path, load_model

C = TypeVar("C")
R = TypeVar("R")
Render = Callable[[C, Document], R]  # a document's output, from what came with its input and its cleaned form

CHUNKS_PER_WORKER = 2  # one being cleaned, one waiting: a worker never idles, and memory holds jobs x 2 chunks
PARENT_CHECK_S = 0.5  # how often a worker looks whether its parent is still alive
WORKER_ORPHANED_EXIT = 1
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
    """One document's output, and what the run's summary counts of it: its paragraphs and each stream's share."""

    output: R
    paragraphs: int
    streams: tuple[int, ...]  # paragraphs in each label's stream, in `Label` order

    @classmethod
    def of(cls, output: R, document: Document) -> Cleaned[R]:
        return cls(output, len(document.paragraphs), document.stream_sizes())


def clean_stream(
    items: Iterable[tuple[C, Source]], render: Render[C, R], model: Model, options: ParallelOptions = ParallelOptions()
) -> Iterator[Cleaned[R]]:
    """Clean the source of each (context, source) pair (a text or record, as `clean_documents` takes them) and
    yield each one's `render(context, document)`, in input order unless `options.ordered` is false.

    The context is what the output needs besides the document (the input record's fields, say). `render` runs
    where the document is cleaned, so with several jobs it and the contexts must be picklable (a module-level
    function, or a functools.partial of one).
    """
    chunks = _chunks(iter(items), options.chunk_documents)
    if options.jobs == 1:
        for chunk in chunks:
            yield from clean_chunk(chunk, render, model)
        return
    path = worker_model_path(model)
    executor = _executor(options.jobs)
    pending: deque[Future] = deque()
    for chunk in chunks:
        pending.append(executor.submit(_clean_chunk_in_worker, chunk, render, path))
        if len(pending) >= options.jobs * CHUNKS_PER_WORKER:
            yield from _next_result(pending, options.ordered)
    while pending:
        yield from _next_result(pending, options.ordered)


def clean_chunk(chunk: list[tuple[C, Source]], render: Render[C, R], model: Model) -> list[Cleaned[R]]:
    """Clean one chunk as one batch and render each document."""
    documents = clean_documents([source for _, source in chunk], model=model, batch_size=max(1, len(chunk)))
    return [Cleaned.of(render(context, document), document) for (context, _), document in zip(chunk, documents, strict=True)]


def _chunks(items: Iterator[tuple[C, Source]], size: int) -> Iterator[list[tuple[C, Source]]]:
    while chunk := list(islice(items, size)):
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

    executor = get_reusable_executor(
        max_workers=jobs, timeout=WORKER_IDLE_TIMEOUT_S, env=WORKER_ENV,
        initializer=watch_parent, initargs=(os.getpid(),),
    )
    _EXECUTORS[:] = [executor]
    return executor


def watch_parent(parent: int) -> None:
    """A worker's initializer: a daemon thread that ends the worker once its parent process has died (a `kill -9`
    of the parent would otherwise leave the workers running, each holding a model in memory)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_S)
        os._exit(WORKER_ORPHANED_EXIT)

    threading.Thread(target=watch, name="cleaner-parent-watch", daemon=True).start()


def shutdown_workers() -> None:
    """Stop this process's worker processes and wait for them (they would otherwise exit when idle)."""
    while _EXECUTORS:
        _EXECUTORS.pop().shutdown(wait=True)


def worker_model_path(model: Model) -> str | None:
    """How a worker finds the parent's model: None for the shipped one, else the file the parent already checked
    (and, if asked, trusted)."""
    shipped = Path(model.path).resolve() == default_model_path().resolve()
    return None if shipped else str(model.path)


_WORKER_MODELS: dict[tuple[str | None, bool], Model] = {}


def worker_model(path: str | None, trust: bool = True) -> Model:
    """The model at `path` (None: the shipped one), loaded on a worker's first task and kept for its next ones."""
    key = (path, trust)
    if key not in _WORKER_MODELS:
        _WORKER_MODELS[key] = load_model(path, trust=trust)
    return _WORKER_MODELS[key]


def _clean_chunk_in_worker(chunk: list[tuple[C, Source]], render: Render[C, R], path: str | None) -> list[Cleaned[R]]:
    """A worker's task: the parent already checked (and, if asked, trusted) the model file."""
    return clean_chunk(chunk, render, worker_model(path))

