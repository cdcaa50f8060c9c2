"""What the CLI's commands do; cli.py only declares their arguments and calls these."""

from __future__ import annotations

import heapq
import json
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from itertools import count as count_from, tee
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from .api import clean_documents
from .align import html_documents
from .data import DataError, LabeledDocument, LabelMap, fingerprint, read_labeled
from .document import Document
from .evaluate import Report, cross_validate, report
from .corpus import RecordFields, corpus_record, write_corpus
from .io import (
    HTML, JSONL, TEXT, InputError, Source, find_sources, json_line, kept_text, open_text, output_name, read_bytes,
    read_jsonl_records, read_source, write_text,
)
from .labels import LABELS, Label
from .persist import Model, atomic_write, save_model
from .training import DEFAULT_SEED, TrainingOptions

DEFAULT_KEEP = frozenset({Label.HEADLINE, Label.BODY})
DEFAULT_CV_FOLDS = 5


@dataclass
class Summary:
    """What a run did: documents and paragraphs per label, and the inputs that failed."""

    documents: int = 0
    labels: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def add(self, document: Document) -> None:
        self.documents += 1
        self.labels.update(document.labels)

    def fail(self, error: Exception) -> None:
        self.errors.append(str(error))
        print(f"cleaner: error: {error}", file=sys.stderr)

    def format(self) -> str:
        counts = ", ".join(f"{label} {self.labels[label]}" for label in LABELS)
        text = f"{self.documents} documents, {sum(self.labels.values())} paragraphs ({counts})"
        return text + (f"; {len(self.errors)} inputs failed" if self.errors else "")

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0


@dataclass(frozen=True)
class CleanOptions:
    """How `clean` reads its inputs and writes its outputs."""

    fmt: str = "txt"
    keep: frozenset[Label] = DEFAULT_KEEP
    fields: RecordFields = RecordFields()
    split_streams: bool = False
    stdin_kind: str = TEXT


def clean_paths(paths: Sequence[str], output: str | None, options: CleanOptions, model: Model) -> Summary:
    """Clean every input (text and HTML files, JSONL records); write one text file per input (mirroring
    folders), or one JSONL record per document that keeps the input record's fields (see `corpus`)."""
    summary = Summary()
    pairs, inputs = tee(pair for source in _unique_sources(paths, options, summary)
                        for pair in _source_records(source, options.fields, summary))
    documents = clean_documents((clean_input for _, clean_input in inputs), model=model)
    results = zip((kept for kept, _ in pairs), _counted(documents, summary))
    if options.fmt == "jsonl" and output not in (None, "-"):
        write_corpus(results, Path(output), options.split_streams)
    elif options.fmt == "jsonl":
        _write_stream((json_line(corpus_record(kept, doc)) for kept, doc in results), output)
    else:
        for _, doc in results:
            text = kept_text(doc, options.keep)
            if output in (None, "-"):
                sys.stdout.write(text)
            else:
                write_text(Path(output) / output_name(Path(doc.id)), text)
    return summary


def _unique_sources(paths: Sequence[str], options: CleanOptions, summary: Summary) -> list[Source]:
    """The sources found under `paths`; a missing one, or a file whose output (and id) would be another's, fails."""
    sources: list[Source] = []
    targets: dict[Path, Source] = {}
    for found in find_sources(paths, options.stdin_kind):
        target = output_name(found.relative) if isinstance(found, Source) and found.kind != JSONL else None
        if target is not None and target in targets:
            found = InputError(f"{found.name}: its output would overwrite that of {targets[target].name}; "
                               "clean the two in separate runs or pass their folders")
        if isinstance(found, InputError):
            summary.fail(found)
            continue
        sources.append(found)
        if target is not None:
            targets[target] = found
    return sources


def _source_records(source: Source, fields: RecordFields, summary: Summary) -> Iterator[tuple[dict, dict]]:
    """The documents of a source, each as (the fields the output keeps, the record `clean_documents` reads)."""
    try:
        if source.kind != JSONL:
            doc_id = source.relative.as_posix()
            document = {"html": read_bytes(source)} if source.kind == HTML else {"text": read_source(source)}
            yield {"id": doc_id}, {"id": doc_id, **document}
            return
        with _open_input(str(source.path)) as handle:
            for record in read_jsonl_records(handle, source.name, fields.problem):
                if not _failed(record, summary):
                    yield fields.kept(record), fields.clean_input(record)
    except InputError as error:
        summary.fail(error)


def label_jsonl(input_path: str, output: str | None, model: Model) -> Summary:
    """Add "labels" and "confidences" to each record, aligned with its "paragraphs" (split from "text" if absent)."""
    summary = Summary()
    with _open_input(input_path) as handle:
        records, originals = tee(r for r in read_jsonl_records(handle, input_path) if not _failed(r, summary))
        documents = _counted(clean_documents(records, model=model), summary)
        _write_stream((json_line(_labeled_record(record, doc)) for record, doc in zip(originals, documents)), output)
    return summary


def read_training(
    data: Sequence[str], labels: LabelMap = LabelMap(), html_roots: Sequence[str] = ()
) -> list[LabeledDocument]:
    """Labeled documents from `data` (any format `read_labeled` reads) and, derived by alignment with their gold
    text, from the (HTML, gold) pairs under each of `html_roots`."""
    documents = read_labeled(data, labels) if data else []
    for root in html_roots:
        documents.extend(html_documents(Path(root)))
    if not documents:
        raise DataError(", ".join([*data, *html_roots]) or "(no input)", None, "no labeled documents found")
    return documents


def train_model(
    data: Sequence[str], output: Path, options: TrainingOptions, folds: int = DEFAULT_CV_FOLDS,
    labels: LabelMap = LabelMap(), html_roots: Sequence[str] = (),
) -> tuple[dict, Report | None]:
    """Cross-validate (site-grouped) when `folds` > 1, then fit on all the data and save the model with its card."""
    documents = read_training(data, labels, html_roots)
    cv_report = cross_validate(documents, options.fit, folds)[1] if folds > 1 else None
    estimator = options.fit(documents)
    training = {
        "sources": [Path(path).name for path in data] + [f"{Path(root).name} (from HTML)" for root in html_roots],
        "data_sha256": fingerprint(documents),
        "documents": len(documents),
        "paragraphs": sum(len(doc.paragraphs) for doc in documents),
        "seed": options.seed,
        "augment_rate": options.augment_rate,
    }
    metrics = {"cross_validation": {"folds": folds, "grouping": "site", **cv_report.to_dict()}} if cv_report else {}
    return save_model(estimator, output, training, metrics), cv_report


def evaluate_model(model: Model, data: Sequence[str], labels: LabelMap = LabelMap()) -> Report:
    """Label the documents of `data` with a trained model and compare with their gold labels."""
    documents = read_labeled(data, labels)
    return report(documents, model.estimator.predict([doc.paragraphs for doc in documents]))


def evaluate_cv(
    data: Sequence[str], folds: int, options: TrainingOptions, labels: LabelMap = LabelMap(),
    html_roots: Sequence[str] = (),
) -> Report:
    """Site-grouped K-fold cross-validation on `data` alone."""
    return cross_validate(read_training(data, labels, html_roots), options.fit, folds)[1]


def suggest(model: Model, paths: Sequence[str], count: int, output: str | None) -> Summary:
    """Write the `count` least confident paragraphs of the unlabeled documents under `paths` (what `clean` reads), least confident first,
    as doccano records ({"text", "label", "doc_id", "index", "confidence"}) that `cleaner train` reads back once
    their labels are checked; the label is the model's guess."""
    summary = Summary()
    records = _unlabeled_records(paths, summary)
    least: list[tuple[float, int, dict]] = []  # a max-heap (negated confidence) of the `count` least confident
    order = count_from()
    for doc in _counted(clean_documents(records, model=model), summary):
        for index, paragraph in enumerate(doc.paragraphs):
            entry = (-paragraph.confidence, next(order), {
                "doc_id": doc.id, "index": index, "text": paragraph.text, "label": [paragraph.label.value],
                "confidence": round(paragraph.confidence, 4),
            })
            if len(least) < count:
                heapq.heappush(least, entry)
            elif entry[0] > least[0][0]:
                heapq.heapreplace(least, entry)
    chosen = sorted(least, key=lambda entry: -entry[0])
    _write_stream((json_line(record) for _, _, record in chosen), output)
    return summary


def _unlabeled_records(paths: Sequence[str], summary: Summary) -> Iterator[dict]:
    """The documents under `paths` as `clean` reads them: text and HTML files and folders, JSONL records."""
    for source in _unique_sources(paths, CleanOptions(), summary):
        for _, record in _source_records(source, RecordFields(), summary):
            yield record


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


def _open_input(name: str) -> IO[str]:
    if name == "-":
        return open(sys.stdin.fileno(), encoding="utf-8", closefd=False)
    try:
        return open_text(Path(name))
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
