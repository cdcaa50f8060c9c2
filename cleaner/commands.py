"""What the CLI's commands do; cli.py only declares their arguments and calls these."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO

from .data import LabeledDocument, fingerprint, read_labeled
from .document import Document
from .evaluate import Report, cross_validate, report
from .dask import clean_files
from .io import TEXT_SUFFIXES, InputError, Source, find_sources, json_line, kept_text, read_jsonl_records, read_source, write_text
from .labels import LABELS, Label
from .parallel import Cleaned, ParallelOptions, R, clean_stream
from .persist import Model, atomic_write, default_model_path, save_model
from .progress import Progress
from .training import DEFAULT_SEED, TrainingOptions

DEFAULT_KEEP = frozenset({Label.HEADLINE, Label.BODY})
DEFAULT_CV_FOLDS = 5
JSONL_SUFFIXES = (".jsonl",)


@dataclass
class Summary:
    """What a run did: documents and paragraphs per label, and the inputs that failed."""

    documents: int = 0
    labels: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def add(self, document: Document) -> None:
        self.add_labels(document.labels)

    def add_labels(self, labels: Iterable[str]) -> None:
        """One more document, with these paragraph labels."""
        self.documents += 1
        self.labels.update(labels)

    def fail(self, error: Exception | str) -> None:
        self.errors.append(str(error))
        print(f"cleaner: error: {error}", file=sys.stderr)

    def merge(self, other: Summary) -> None:
        """Add the counts and errors of a part of the run (done elsewhere, e.g. on a Dask worker)."""
        self.documents += other.documents
        self.labels.update(other.labels)
        for error in other.errors:
            self.fail(error)

    def format(self) -> str:
        counts = ", ".join(f"{label} {self.labels[label]}" for label in LABELS)
        text = f"{self.documents} documents, {sum(self.labels.values())} paragraphs ({counts})"
        return text + (f"; {len(self.errors)} inputs failed" if self.errors else "")

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0


def clean_paths(
    paths: Sequence[str], output: str | None, fmt: str, keep: frozenset[Label], model: Model,
    parallel: ParallelOptions = ParallelOptions(),
) -> Summary:
    """Clean every input file; write one text file per input (mirroring folders) or one JSONL record each.

    A .jsonl input holds one document per line (records with "text" or "paragraphs"); its documents are
    written as JSONL records, or as their kept text to standard output.
    """
    summary = Summary()
    sources = _unique_sources(paths, summary)
    to_stdout = output in (None, "-")
    if fmt == "txt" and not to_stdout and any(_is_jsonl(source) for source in sources):
        raise InputError("JSONL inputs hold many documents: clean them with --format jsonl (or to standard output)")
    records = (record for source in sources for record in _records(source, summary))
    render = render_json_line if fmt == "jsonl" else partial(render_kept_text, keep=keep)
    outputs = _counted(clean_stream(records, render, model, parallel), summary)
    if fmt == "jsonl":
        _write_stream(outputs, output)
    else:
        for doc_id, text in outputs:
            if to_stdout:
                sys.stdout.write(text)
            else:
                write_text(Path(output) / Path(doc_id).with_suffix(".txt"), text)
    return summary


def render_json_line(_record: object, document: Document) -> str:
    """A cleaned document as one line of --format jsonl."""
    return json_line(document.to_dict())


def render_kept_text(_record: object, document: Document, keep: frozenset[Label]) -> tuple[str, str]:
    """A cleaned document's id and its kept text (--format txt)."""
    return str(document.id), kept_text(document, keep)


def render_labeled_line(record: dict, document: Document) -> str:
    """The input record with "paragraphs", "labels" and "confidences" added, as a JSON line (`cleaner label`)."""
    return json_line(_labeled_record(record, document))


def clean_on_dask(paths: Sequence[str], output: str | None, model: Model, address: str) -> Summary:
    """Clean JSONL files on the Dask cluster at `address`: one task and one output file (in `output`) per input."""
    if output in (None, "-"):
        raise InputError("--dask writes one JSONL file per input: give an output folder with -o")
    summary = Summary()
    sources = []
    for source in _unique_sources(paths, summary, JSONL_SUFFIXES):
        if _is_jsonl(source):
            sources.append(source)
        else:
            summary.fail(InputError(f"{source.name}: --dask cleans JSONL files (records with \"text\" or \"paragraphs\")"))
    targets = [str((Path(output) / source.relative).resolve()) for source in sources]
    shipped = model.path.resolve() == default_model_path().resolve()
    inputs = [str(source.path.resolve()) for source in sources]
    for part in clean_files(inputs, targets, None if shipped else str(model.path), True, address):
        summary.merge(part)
    return summary


def label_jsonl(input_path: str, output: str | None, model: Model, parallel: ParallelOptions = ParallelOptions()) -> Summary:
    """Add "labels" and "confidences" to each record, aligned with its "paragraphs" (split from "text" if absent)."""
    summary = Summary()
    with _open_input(input_path) as handle:
        records = (r for r in read_jsonl_records(handle, input_path) if not _failed(r, summary))
        _write_stream(_counted(clean_stream(records, render_labeled_line, model, parallel), summary), output)
    return summary


def train_model(
    data: Sequence[str], output: Path, options: TrainingOptions, folds: int = DEFAULT_CV_FOLDS
) -> tuple[dict, Report | None]:
    """Cross-validate (site-grouped) when `folds` > 1, then fit on all the data and save the model with its card."""
    documents = read_labeled(data)
    cv_report = cross_validate(documents, options.fit, folds)[1] if folds > 1 else None
    estimator = options.fit(documents)
    training = {
        "sources": [Path(path).name for path in data],
        "data_sha256": fingerprint(documents),
        "documents": len(documents),
        "paragraphs": sum(len(doc.paragraphs) for doc in documents),
        "seed": options.seed,
        "augment_rate": options.augment_rate,
    }
    metrics = {"cross_validation": {"folds": folds, "grouping": "site", **cv_report.to_dict()}} if cv_report else {}
    return save_model(estimator, output, training, metrics), cv_report


def evaluate_model(model: Model, data: Sequence[str]) -> Report:
    """Label the documents of `data` with a trained model and compare with their gold labels."""
    documents = read_labeled(data)
    return report(documents, model.estimator.predict([doc.paragraphs for doc in documents]))


def evaluate_cv(data: Sequence[str], folds: int, options: TrainingOptions) -> Report:
    """Site-grouped K-fold cross-validation on `data` alone."""
    return cross_validate(read_labeled(data), options.fit, folds)[1]


def evaluate_held_out(
    data: Sequence[str], held_out: str, options: TrainingOptions
) -> list[tuple[LabeledDocument, list[str]]]:
    """Label each document of `held_out` with a model trained on `data` and the other held-out documents."""
    base, pool = read_labeled(data), read_labeled([held_out])
    results = []
    for doc in pool:
        others = [other for other in pool if other.id != doc.id]
        model = options.fit(base + others)
        results.append((doc, model.predict([doc.paragraphs])[0]))
    return results


def _unique_sources(paths: Sequence[str], summary: Summary, suffixes: Sequence[str] = TEXT_SUFFIXES) -> list[Source]:
    """The input files, each once; missing ones, and ones whose output would collide, are reported as failed."""
    sources: dict[Path, Source] = {}
    for found in find_sources(paths, suffixes):
        if isinstance(found, Source) and found.relative in sources:
            found = InputError(f"{found.name}: its output would overwrite that of {sources[found.relative].name}; "
                               "clean the two in separate runs or pass their folders")
        if isinstance(found, InputError):
            summary.fail(found)
        else:
            sources[found.relative] = found
    return list(sources.values())


def _is_jsonl(source: Source) -> bool:
    return source.path is not None and source.path.suffix.lower() in JSONL_SUFFIXES


def _records(source: Source, summary: Summary) -> Iterator[dict]:
    """The documents of one input: a text file is one record; a JSONL file one per valid line."""
    try:
        if not _is_jsonl(source):
            yield {"id": source.relative.as_posix(), "text": read_source(source)}
            return
        with _open_input(str(source.path)) as handle:
            yield from (r for r in read_jsonl_records(handle, source.name) if not _failed(r, summary))
    except InputError as error:
        summary.fail(error)
    except UnicodeDecodeError as error:
        summary.fail(InputError(f"{source.name}: not UTF-8 text ({error.reason}); the lines before it were cleaned"))


def _failed(record: dict | InputError, summary: Summary) -> bool:
    if isinstance(record, InputError):
        summary.fail(record)
        return True
    return False


def _counted(cleaned: Iterable[Cleaned[R]], summary: Summary) -> Iterator[R]:
    """Each document's output; its labels go into the summary and the progress bar (on a terminal only)."""
    progress = Progress()
    try:
        for item in cleaned:
            summary.add_labels(item.labels)
            progress.update(len(item.labels))
            yield item.output
    finally:
        progress.close()


def _labeled_record(original: dict, document: Document) -> dict:
    """The input record, every field as it was, plus paragraphs, labels and confidences."""
    record = dict(original)
    record["paragraphs"] = [p.text for p in document.paragraphs]
    record["labels"] = document.labels
    record["confidences"] = [round(p.confidence, 4) for p in document.paragraphs]
    return record


def _open_input(name: str) -> IO[str]:
    if name == "-":
        return open(sys.stdin.fileno(), encoding="utf-8", closefd=False)
    try:
        return open(name, encoding="utf-8")
    except OSError as error:
        raise InputError(f"{name}: cannot read ({error.strerror})") from None


def _write_stream(lines: Iterable[str], output: str | None) -> None:
    """Write lines to stdout, or atomically to a file: a crash leaves no partial file that looks complete."""
    if output in (None, "-"):
        for line in lines:
            sys.stdout.write(line)
        sys.stdout.flush()
        return
    atomic_write(Path(output), lambda handle: handle.writelines(lines))


def print_json(data: object, path: str) -> None:
    write_text(Path(path), json.dumps(data, indent=2) + "\n")
