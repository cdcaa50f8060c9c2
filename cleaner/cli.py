"""The `cleaner` command line: declares arguments and calls `commands`, which holds the logic."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

from . import commands
from .data import DataError
from .document import InvariantError
from .io import InputError
from .outputs import OutputError
from .labels import LABELS, Label
from .augment import AUGMENT_RATE
from .persist import Model, ModelError, load_model
from .training import DEFAULT_SEED, TrainingOptions

MODEL_OPTION = click.option("--model", "model_path", type=click.Path(dir_okay=False), help="Model file (default: the shipped model).")
AUGMENT_OPTION = click.option("--augment", "augment_rate", default=AUGMENT_RATE, show_default=True, help="Share of training documents copied with synthetic editorial commentary (0: off).")
TRUST_OPTION = click.option("--trust-model", is_flag=True, help="Load --model although it lies outside the package (model files are pickles and can run code).")


def _load(model_path: str | None, trust: bool) -> Model:
    try:
        return load_model(model_path, trust=trust)
    except ModelError as error:
        raise click.UsageError(str(error)) from None


INTERNAL_ERROR_EXIT = 3  # a bug in cleaner, not bad input: the run stopped


def _finish(run: Callable[[], commands.Summary]) -> None:
    """Call `run()` for a Summary; report it and exit 0 (all done) or 1 (inputs failed), 2 for a usage error."""
    try:
        summary = run()
    except (InputError, OutputError) as error:
        raise click.UsageError(str(error)) from None
    except InvariantError as error:
        click.echo(f"cleaner: {error}", err=True)
        sys.exit(INTERNAL_ERROR_EXIT)
    click.echo(f"cleaner: {summary.format()}", err=True)
    sys.exit(summary.exit_code)


def _parse_keep(_ctx, _param, value: str) -> frozenset[Label]:
    try:
        return frozenset(Label.parse(name.strip()) for name in value.split(",") if name.strip())
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


@click.group()
@click.version_option(package_name="cleaner")
def main() -> None:
    """Separate an article's body from its headline, byline, boilerplate, comments and editorial notes."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", help="Output folder for --format txt, output file for jsonl; '-' or none: stdout.")
@click.option("--format", "fmt", type=click.Choice(["txt", "jsonl"]), default="txt", show_default=True, help="txt: the kept text per input file; jsonl: one record per document with every label and stream.")
@click.option("--keep", default=",".join(sorted(label.value for label in commands.DEFAULT_KEEP)), show_default=True, callback=_parse_keep, help=f"Labels the txt output keeps, comma-separated, from: {', '.join(LABELS)}.")
@click.option("--resume", is_flag=True, help="Skip inputs whose output is complete: the txt file exists, or the JSONL output (or the .part file an interrupted run left) holds its record.")
@MODEL_OPTION
@TRUST_OPTION
def clean(paths, output, fmt, keep, resume, model_path, trust_model) -> None:
    """Clean .txt files and folders of them (recursively); '-' reads standard input."""
    if fmt == "txt" and output in (None, "-") and len(paths) > 1:
        raise click.UsageError("several inputs need -o OUTDIR for --format txt")
    model = _load(model_path, trust_model)
    _finish(lambda: commands.clean_paths(paths, output, fmt, keep, model, resume))


@main.command()
@click.argument("input_path", metavar="IN.jsonl")
@click.option("-o", "--output", help="Output JSONL file ('-' or none: stdout).")
@MODEL_OPTION
@TRUST_OPTION
def label(input_path, output, model_path, trust_model) -> None:
    """Add "labels" and "confidences" to JSONL records {"id", "paragraphs"} (or "text"), one per paragraph."""
    model = _load(model_path, trust_model)
    _finish(lambda: commands.label_jsonl(input_path, output, model))


@main.command()
@click.argument("data", nargs=-1, required=True)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Where to write the model; its card goes beside it as .json.")
@click.option("--seed", default=DEFAULT_SEED, show_default=True, help="Random seed: the same data and seed give the same model.")
@click.option("--cv", "folds", default=commands.DEFAULT_CV_FOLDS, show_default=True, help="Site-grouped cross-validation folds for the card's metrics (0: skip).")
@AUGMENT_OPTION
def train(data, output, seed, folds, augment_rate) -> None:
    """Train a model on labeled data: review folders (container/*.tsv + review/*.fix) or JSONL files."""
    try:
        card, cv_report = commands.train_model(data, output, TrainingOptions(seed, augment_rate), folds)
    except DataError as error:
        raise click.UsageError(str(error)) from None
    if cv_report:
        click.echo(f"site-grouped {folds}-fold cross-validation:\n{cv_report.format()}")
    click.echo(f"wrote {output} ({card['training']['documents']} documents, data {card['training']['data_sha256'][:12]})")


@main.command()
@click.argument("data", nargs=-1, required=True)
@MODEL_OPTION
@TRUST_OPTION
@click.option("--cv", "folds", type=int, help="Instead of a model, run site-grouped K-fold cross-validation on DATA.")
@click.option("--holdout", type=click.Path(exists=True, dir_okay=False), help="Label each document of this JSONL file with a model trained on DATA and the file's other documents.")
@click.option("--json", "json_path", help="Also write the report as JSON to this file.")
@click.option("--seed", default=DEFAULT_SEED, show_default=True, help="Random seed of the models trained for --cv and --holdout.")
@AUGMENT_OPTION
def evaluate(data, model_path, trust_model, folds, holdout, json_path, seed, augment_rate) -> None:
    """Per-label precision, recall and F1, body word-F1 and the confusion matrix on labeled DATA."""
    options = TrainingOptions(seed, augment_rate)
    try:
        if holdout:
            _print_held_out(commands.evaluate_held_out(data, holdout, options), json_path)
            return
        result = commands.evaluate_cv(data, folds, options) if folds else commands.evaluate_model(_load(model_path, trust_model), data)
    except DataError as error:
        raise click.UsageError(str(error)) from None
    click.echo(result.format())
    if json_path:
        commands.print_json(result.to_dict(), json_path)


def _print_held_out(results, json_path: str | None) -> None:
    summary = []
    for doc, predicted in results:
        mistakes = [(i, gold.value, pred, text) for i, (text, gold, pred) in enumerate(zip(doc.paragraphs, doc.labels, predicted)) if gold.value != pred]
        click.echo(f"{doc.id}: {len(doc.paragraphs) - len(mistakes)}/{len(doc.paragraphs)} paragraphs right")
        for i, gold, pred, text in mistakes:
            click.echo(f"  [{i}] gold {gold}, predicted {pred}: {text[:80]}")
        summary.append({"id": doc.id, "paragraphs": len(doc.paragraphs), "mistakes": mistakes})
    if json_path:
        commands.print_json(summary, json_path)
