"""What the CLI's commands do; cli.py only declares their arguments and calls these."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from itertools import tee
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from .api import clean_documents
from .data import LabeledDocument, fingerprint, read_labeled
from .document import Document, InvariantError
from .evaluate import Report, cross_validate, report
from .io import InputError, Source, find_sources, json_line, kept_text, read_jsonl_records, read_source, write_text
from .labels import LABELS, Label
from .outputs import OutputError, ResumableJsonl, refuse_overwriting_inputs, text_output_path
from .persist import Model, atomic_write, save_model
from .segment import split_spans
from .training import DEFAULT_SEED, TrainingOptions

DEFAULT_KEEP = frozenset({Label.HEADLINE, Label.BODY})
DEFAULT_CV_FOLDS = 5


@dataclass
class Summary:
    """What a run did: documents and paragraphs read, paragraphs written per label, and the inputs that failed."""

    documents: int = 0
    read: int = 0
    paragraphs_read: int = 0
    labels: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    empty: int = 0
    skipped: int = 0

    def count_read(self, record: dict, name: str | None = None) -> dict:
        """Count a document read, and its paragraphs (as the library will split them), before it is cleaned."""
        paragraphs = len(record["paragraphs"]) if "paragraphs" in record else len(split_spans(record["text"]))
        self.read += 1
        self.paragraphs_read += paragraphs
        if name and not paragraphs:
            self.note(f"{name}: empty (no paragraphs); its output is empty")
        return record

    def add(self, document: Document) -> None:
        """Count a document written, and its paragraphs in each label's stream."""
        self.documents += 1
        self.empty += not document.paragraphs
        for label in Label:
            self.labels[label.value] += len(document.stream(label))

    def check(self) -> None:
        """Raise InvariantError unless every document read was written and its every paragraph is in one stream."""
        if self.documents != self.read:
            raise InvariantError(f"{self.read} documents read but {self.documents} written")
        if sum(self.labels.values()) != self.paragraphs_read:
            raise InvariantError(f"{self.paragraphs_read} paragraphs read but {sum(self.labels.values())} "
                                 "in the label streams")

    def fail(self, error: Exception) -> None:
        self.errors.append(str(error))
        print(f"cleaner: error: {error}", file=sys.stderr)

    def note(self, message: str) -> None:
        print(f"cleaner: note: {message}", file=sys.stderr)

    def format(self) -> str:
        counts = ", ".join(f"{label} {self.labels[label]}" for label in LABELS)
        parts = [f"{self.documents} documents, {sum(self.labels.values())} paragraphs ({counts})"]
        parts += [f"{self.empty} empty"] if self.empty else []
        parts += [f"{self.skipped} already done (--resume)"] if self.skipped else []
        parts += [f"{len(self.errors)} inputs failed"] if self.errors else []
        return "; ".join(parts)

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0


def clean_paths(
    paths: Sequence[str], output: str | None, fmt: str, keep: frozenset[Label], model: Model, resume: bool = False
) -> Summary:
    """Clean every input file; write one text file per input (mirroring folders) or one JSONL record each.

    With `resume`, inputs whose output is already complete are skipped. An output that would replace an input,
    or --resume without an output, is an OutputError raised before anything is written.
    """
    to_stdout = output in (None, "-")
    if resume and to_stdout:
        raise OutputError("--resume needs -o: it skips the inputs whose outputs are already written")
    summary = Summary()
    sources = _sources(paths, summary)
    if to_stdout:
        _clean_to_stdout(sources, fmt, keep, model, summary)
    elif fmt == "jsonl":
        _clean_to_jsonl(sources, Path(output), model, summary, resume)
    else:
        _clean_to_folder(sources, Path(output), keep, model, summary, resume)
    summary.check()
    return summary


def _sources(paths: Sequence[str], summary: Summary) -> list[Source]:
    """The inputs found under `paths`; missing ones and two with the same output are reported."""
    sources: dict[Path, Source] = {}
    for found in find_sources(paths):
        if isinstance(found, Source) and found.relative in sources:
            found = InputError(f"{found.name}: its output would overwrite that of {sources[found.relative].name}; "
                               "clean the two in separate runs or pass their folders")
        if isinstance(found, InputError):
            summary.fail(found)
        else:
            sources[found.relative] = found
    return list(sources.values())


def _clean_to_stdout(sources: list[Source], fmt: str, keep: frozenset[Label], model: Model, summary: Summary) -> None:
    documents = _documents(sources, model, summary)
    if fmt == "jsonl":
        _write_stream((json_line(doc.to_dict()) for doc in documents), None)
    else:
        for doc in documents:
            sys.stdout.write(kept_text(doc, keep))


def _clean_to_folder(
    sources: list[Source], folder: Path, keep: frozenset[Label], model: Model, summary: Summary, resume: bool
) -> None:
    """One text file per input, mirrored under `folder`; with `resume`, inputs whose file exists are skipped."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: is not a folder; --format txt writes one file per input into a folder")
    outputs = {_source_id(source): text_output_path(folder, source) for source in sources}
    refuse_overwriting_inputs(outputs.values(), [source.path for source in sources if source.path])
    todo = [source for source in sources if not (resume and outputs[_source_id(source)].exists())]
    summary.skipped = len(sources) - len(todo)
    for doc in _documents(todo, model, summary):
        write_text(outputs[doc.id], kept_text(doc, keep))


def _clean_to_jsonl(sources: list[Source], path: Path, model: Model, summary: Summary, resume: bool) -> None:
    """One record per input in one JSONL file; with `resume`, inputs whose record is complete are skipped."""
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; --format jsonl writes one file")
    refuse_overwriting_inputs([path], [source.path for source in sources if source.path])
    with ResumableJsonl(path, resume) as out:
        todo = [source for source in sources if _source_id(source) not in out.done]
        summary.skipped = len(sources) - len(todo)
        for doc in _documents(todo, model, summary):
            out.write(json_line(doc.to_dict()))


def label_jsonl(input_path: str, output: str | None, model: Model) -> Summary:
    """Add "labels" and "confidences" to each record, aligned with its "paragraphs" (split from "text" if absent)."""
    if output not in (None, "-") and input_path != "-":
        refuse_overwriting_inputs([Path(output)], [Path(input_path)])
    summary = Summary()
    with _open_input(input_path) as handle:
        records, originals = tee(
            summary.count_read(r) for r in read_jsonl_records(handle, input_path) if not _failed(r, summary)
        )
        documents = _counted(clean_documents(records, model=model), summary)
        _write_stream((json_line(_labeled_record(record, doc)) for record, doc in zip(originals, documents)), output)
    summary.check()
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


def _documents(sources: Iterable[Source], model: Model, summary: Summary) -> Iterator[Document]:
    """The cleaned documents of the sources that can be read, counted in the summary; the others are reported."""
    records = (_text_record(source, summary) for source in sources)
    return _counted(clean_documents((r for r in records if r is not None), model=model), summary)


def _source_id(source: Source) -> str:
    return source.relative.as_posix()


def _text_record(source: Source, summary: Summary) -> dict | None:
    try:
        decoded = read_source(source)
    except InputError as error:
        summary.fail(error)
        return None
    record = {"id": _source_id(source), "text": decoded.text}
    if decoded.guessed:  # said, and kept in the JSONL record: a wrong guess must not pass unnoticed
        summary.note(f"{source.name}: not UTF-8; decoded as {decoded.encoding}")
        record["encoding"] = decoded.encoding
    return summary.count_read(record, source.name)


def _failed(record: dict | InputError, summary: Summary) -> bool:
    if isinstance(record, InputError):
        summary.fail(record)
        return True
    return False


def _counted(documents: Iterable[Document], summary: Summary) -> Iterable[Document]:
    for doc in documents:
        summary.add(doc)
        yield doc


def _labeled_record(original: dict, document: Document) -> dict:
    """The input record, every field as it was, plus paragraphs, labels and confidences."""
    record = dict(original)
    record["paragraphs"] = [p.text for p in document.paragraphs]
    record["labels"] = document.labels
    record["confidences"] = [round(p.confidence, 4) for p in document.paragraphs]
    return record


def _open_input(name: str) -> IO[bytes]:
    if name == "-":
        return open(sys.stdin.fileno(), "rb", closefd=False)
    try:
        return open(name, "rb")
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
