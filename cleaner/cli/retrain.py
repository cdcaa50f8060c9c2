"""What the CLI's training commands do (train, evaluate, the gate's reading of reviewed pages): read labeled data
in every format, fit, cross-validate and hold out; `arguments` declares them and calls these."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from ..model.persist import Model, save_model
from ..training.data import DataError, LabeledDocument, LabelMap, ReadNotes, read_labeled
from ..training.evaluate import Report, Spread, cross_validate, repeated_cross_validation, report
from ..training.options import DEFAULT_CV_FOLDS, TrainingOptions

MIN_TRAINING_DOCUMENTS = 2


def read_training(
    data: Sequence[str], labels: LabelMap = LabelMap(), html_roots: Sequence[str] = (),
    pages: Sequence[tuple[str, str]] = (), skip_types: Sequence[str] = (),
) -> list[LabeledDocument]:
    """Labeled documents from `data` (any format `read_labeled` reads); derived by alignment with their gold
    text, from the (HTML, gold) pairs under each of `html_roots`; and each (data folder, labels file) pair of `pages`
    (`cleaner.training.pages`: labeled pages in every rendering), without the pages of `skip_types`."""
    from ..training.align import html_documents  # trafilatura: imported for HTML training data alone
    from ..training.pages import read_labeled_pages

    documents = _read_labeled(data, labels) if data else []
    for root in html_roots:
        documents.extend(html_documents(Path(root)))
    for root, path in pages:
        documents.extend(read_labeled_pages(Path(root), Path(path), labels=labels, skip_types=skip_types))
    if not documents:
        names = [*data, *html_roots, *(path for _, path in pages)]
        raise DataError(", ".join(names) or "(no input)", None, "no labeled documents found")
    return documents


def _read_labeled(data: Sequence[str], labels: LabelMap = LabelMap()) -> list[LabeledDocument]:
    """`read_labeled`, what it passed over (unlabeled tasks, fragments of documents) said once on stderr."""
    notes = ReadNotes()
    documents = read_labeled(data, labels, notes)
    for message in notes.messages():
        print(f"cleaner: warning: {message}", file=sys.stderr)
    return documents


def read_reviewed(pairs: Sequence[tuple[str, str]], labels: LabelMap = LabelMap()) -> tuple[LabeledDocument, ...]:
    """The reviewed pages of each (HTML folder, labels file) pair (`cleaner.training.container.reviewed_documents`)."""
    from ..training.container import reviewed_documents  # trafilatura: imported for HTML training data alone

    return tuple(doc for root, path in pairs for doc in reviewed_documents(Path(root), Path(path), labels))


def train_model(
    data: Sequence[str], output: Path, options: TrainingOptions, folds: int = DEFAULT_CV_FOLDS,
    labels: LabelMap = LabelMap(), html_roots: Sequence[str] = (), pages: Sequence[tuple[str, str]] = (),
    skip_types: Sequence[str] = (),
) -> tuple[dict, Report | None]:
    """Cross-validate (site-grouped) when `folds` > 1, then fit on all the data and save the model with its card."""
    from ..training.pages import without_types

    documents = read_training(data, labels, html_roots, pages, skip_types)
    if len(documents) + len(options.extra) < MIN_TRAINING_DOCUMENTS:
        raise DataError(", ".join(data), None, f"training needs at least {MIN_TRAINING_DOCUMENTS} labeled documents "
                        f"(the second stage learns from held-out ones); found {len(documents)}")
    if folds > 1 and _groups(documents) < 2:
        print(f"cleaner: note: cross-validation skipped: all {len(documents)} documents are one group (one site, or "
              "one JSONL file), and site-grouped folds need two", file=sys.stderr)
        folds = 0
    folds = checked_folds(documents, folds) if folds > 1 else folds
    cv_report = cross_validate(documents, options.fit, folds)[1] if folds > 1 else None
    estimator = options.fit(documents)
    training = options.card(documents, sources=[
        *(Path(path).name for path in data), *(f"{Path(root).name} (from HTML)" for root in html_roots),
        *(f"{Path(path).name} (pages of {root}, every rendering{without_types(skip_types)})" for root, path in pages),
        *[f"{len(options.extra)} reviewed pages of other sites"] * bool(options.extra),
    ])
    metrics = {"cross_validation": {"folds": folds, "grouping": "site", **cv_report.to_dict()}} if cv_report else {}
    return save_model(estimator, output, training, metrics), cv_report


def evaluate_model(
    model: Model, data: Sequence[str], labels: LabelMap = LabelMap(), pages: Sequence[tuple[str, str]] = ()
) -> Report:
    """Label the documents of `data` (and of `pages`, see `read_training`) with a trained model and compare with their
    gold labels."""
    documents = read_training(data, labels, pages=pages)
    return report(documents, model.estimator.predict([doc.paragraphs for doc in documents]))


def evaluate_cv(
    data: Sequence[str], folds: int, options: TrainingOptions, labels: LabelMap = LabelMap(),
    html_roots: Sequence[str] = (), pages: Sequence[tuple[str, str]] = (),
) -> Report:
    """Site-grouped K-fold cross-validation on `data` alone."""
    documents = read_training(data, labels, html_roots, pages)
    return cross_validate(documents, options.fit, checked_folds(documents, folds))[1]


def evaluate_cv_seeds(
    data: Sequence[str], folds: int, options: TrainingOptions, repeats: int, labels: LabelMap = LabelMap(),
    html_roots: Sequence[str] = (), pages: Sequence[tuple[str, str]] = (),
) -> Spread:
    """Site-grouped K-fold cross-validation repeated with `repeats` seeds from `options.seed` on: the spread."""
    seeds = range(options.seed, options.seed + repeats)
    documents = read_training(data, labels, html_roots, pages)
    return repeated_cross_validation(documents, lambda seed: replace(options, seed=seed).fit, seeds,
                                     checked_folds(documents, folds))


def _groups(documents: Sequence[LabeledDocument]) -> int:
    return len({doc.group for doc in documents})


def checked_folds(documents: Sequence[LabeledDocument], folds: int) -> int:
    """The number of site-grouped folds `documents` allow, at most `folds` (fewer are said on stderr); a DataError
    when they are one group or `folds` is below 2."""
    groups = _groups(documents)
    if folds < 2:
        raise DataError("--cv", None, f"cross-validation needs at least 2 folds, not {folds}")
    if groups < 2:
        raise DataError("--cv", None, f"site-grouped cross-validation needs documents of at least two groups (sites, "
                        f"or JSONL files); all {len(documents)} documents are one group")
    if groups < folds:
        print(f"cleaner: note: {groups} groups of documents: {groups}-fold cross-validation instead of {folds}-fold",
              file=sys.stderr)
    return min(folds, groups)


def evaluate_held_out(
    data: Sequence[str], held_out: str, options: TrainingOptions, labels: LabelMap = LabelMap()
) -> list[tuple[LabeledDocument, list[str]]]:
    """Label each document of `held_out` with a model trained on `data` and the other held-out documents."""
    base, pool = _read_labeled(data, labels), _read_labeled([held_out], labels)
    results = []
    for doc in pool:
        others = [other for other in pool if other.id != doc.id]
        model = options.fit(base + others)
        results.append((doc, model.predict([doc.paragraphs])[0]))
    return results
