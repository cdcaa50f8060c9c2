"""The `cleaner` command line: declares arguments and calls `commands`, which holds the logic."""

from __future__ import annotations

import errno
import importlib.util
import sys
from dataclasses import replace
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import click

from ..document import InvariantError
from ..labels import DEFAULT_KEEP, LABELS, Label
from ..pipeline.corpus import BODY_FIELD, RAW_FIELDS, RecordFields, check_body_field
from ..pipeline.io import HTML, JSONL, InputError, source_kind
from ..pipeline.outputs import OutputError
from ..labeling.tasks import DEFAULT_FORMAT, FORMATS
from ..training.augment import AUGMENT_RATE
from ..training.data import DataError, LabelMap
from ..training.options import DEFAULT_CV_FOLDS, DEFAULT_SEED, TrainingOptions

if TYPE_CHECKING:
    from ..model.persist import Model


def _lazy_module(name: str) -> ModuleType:
    """Module `name`, imported when one of its attributes is first read (importlib's LazyLoader)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


# `commands` and what it imports (the model, trafilatura; scikit-learn for training) load when a command runs, not
# when the CLI starts: `cleaner --version` and `-h` stay fast.
commands = _lazy_module("cleaner.cli.commands")
retrain = _lazy_module("cleaner.cli.retrain")

def _verbosity(function: Callable) -> Callable:
    """-q and -v: the run's verbosity (`commands.QUIET`, `NORMAL`, `VERBOSE`), given to the command as `verbosity`."""
    def parse(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
        if value and ctx.params.get("quiet"):
            raise click.UsageError("-q and -v say opposite things: give one")
        return value

    quiet = click.option("-q", "--quiet", is_flag=True, is_eager=True,
                         help="Errors only: no notes, no progress bar, no summary line.")
    verbose = click.option("-v", "--verbose", is_flag=True, callback=parse,
                           help="Also say how long the run took and how fast it went, in the summary line.")
    return quiet(verbose(function))


def _level(quiet: bool, verbose: bool) -> int:
    """The verbosity that -q / -v ask for (0 quiet, 1 normal, 2 verbose; the values of `commands.QUIET` ...)."""
    return 0 if quiet else 2 if verbose else 1


MODEL_OPTION = click.option("--model", "model_path", type=click.Path(dir_okay=False), help="Model file (default: the shipped model).")
AUGMENT_OPTION = click.option("--augment", "augment_rate", default=AUGMENT_RATE, show_default=True, help="Share of training documents copied with synthetic editorial commentary, and (drawn separately) with a synthetic comment thread (0: off).")
LABEL_MAP_OPTION = click.option("--label-map", "label_map", callback=lambda _c, _p, value: _parse_label_map(value), help="Map your labeling project's names onto cleaner's: 'article=body,title=headline'.")
CHOICES_OPTION = click.option("--choices-field", "choices_field", metavar="NAME", help="The name of your Label Studio project's Choices control that holds the labels (one per paragraph: NAME_0, NAME_1, ... in a task of a whole document); default: found by its values.")
HTML_OPTION = click.option("--from-html", "html_roots", multiple=True, type=click.Path(exists=True, file_okay=False), help="Also derive labeled documents from (HTML, gold text) pairs in this folder, by alignment (repeatable).")
REVIEWED_OPTION = click.option(
    "--train-html", "reviewed", nargs=2, multiple=True, metavar="FOLDER LABELS",
    type=(click.Path(exists=True, file_okay=False), click.Path(exists=True, dir_okay=False)),
    help="Add to every training set the pages of FOLDER ((HTML, gold text) pairs) that the JSONL file LABELS labels, "
         "rendered as the training pages are (cleaner.training.container); they are never scored (repeatable).",
)
PAGES_OPTION = click.option(
    "--pages", "pages", nargs=2, multiple=True, metavar="DATA LABELS",
    type=(click.Path(exists=True, file_okay=False), click.Path(exists=True, dir_okay=False)),
    help="Also train on the labeled pages of the JSONL file LABELS (models/labels/pages.jsonl), rendered again from "
         "their HTML under DATA (../shared/data) in every rendering they were labeled in (repeatable).",
)
MODEL_SUFFIXES = (".npz", ".joblib")  # a model file of arrays, or a pickle
JOBS_OPTION = click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(min=1), help="Worker processes; each loads the model once and cleans chunks of documents.")
UNORDERED_OPTION = click.option("--unordered", is_flag=True, help="With --jobs: write each chunk as soon as it is done, not in input order.")
REPORT_OPTION = click.option("--report", metavar="REPORT.html", help="Also write one HTML page that shows every paragraph in its place, coloured by label, with its confidence and reason, to filter by label ('-': stdout, with -o). Not with --dask.")
TRUST_OPTION = click.option("--trust-model", is_flag=True, help="Load a pickled (.joblib) --model although it lies outside the package (a pickle can run code; .npz models need no trust).")


def _load(model_path: str | None, trust: bool) -> Model:
    from ..model.persist import ModelError, load_model

    try:
        return load_model(model_path, trust=trust)
    except ModelError as error:
        raise click.UsageError(str(error)) from None


def _parse_label_map(value: str | None) -> LabelMap:
    try:
        return LabelMap.parse(value)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--label-map") from None


def _training_options(seed: int, augment_rate: float, reviewed: tuple[tuple[str, str], ...],
                      label_map: LabelMap = LabelMap()) -> TrainingOptions:
    try:
        return TrainingOptions(seed, augment_rate, retrain.read_reviewed(reviewed, label_map))
    except DataError as error:
        raise click.UsageError(str(error)) from None


def _model_and_data(args: tuple[str, ...], model_path: str | None) -> tuple[str | None, tuple[str, ...]]:
    """A leading MODEL.npz (or .joblib) argument is the model (as in `cleaner evaluate MODEL DATA`); the rest is data."""
    if args and args[0].endswith(MODEL_SUFFIXES):
        if model_path:
            raise click.UsageError(f"two models: {args[0]} and --model {model_path}")
        return args[0], args[1:]
    return model_path, args


INTERNAL_ERROR_EXIT = 3  # a bug in cleaner, not bad input: the run stopped


def _finish(run: Callable[[], commands.Summary]) -> None:
    """Call `run()` for a Summary; report it and exit 0 (all done) or 1 (inputs failed), 2 for a usage error."""
    from ..integrations.dask import MissingExtra, SchedulerError

    try:
        summary = run()
    except (InputError, OutputError, MissingExtra, SchedulerError) as error:
        raise click.UsageError(str(error)) from None
    except InvariantError as error:
        click.echo(f"cleaner: {error}", err=True)
        sys.exit(INTERNAL_ERROR_EXIT)
    if summary.verbosity > 0:  # -q: errors only, and they were said as they happened
        click.echo(f"cleaner: {summary.format()}", err=True)
    sys.exit(summary.exit_code)


def _parse_keep(_ctx, _param, value: str) -> frozenset[Label]:
    try:
        return frozenset(Label.parse(name.strip()) for name in value.split(",") if name.strip())
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


def _parse_body_field(_ctx, _param, value: str) -> str:
    try:
        return check_body_field(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


USAGE_EXIT, FAILED_EXIT = 2, 1
WRITE_ERRORS = frozenset({errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EACCES, errno.EPERM})


class CleanerGroup(click.Group):
    """The command group, with the floor of error handling: no traceback reaches a user.

    Errors a user can act on get one line and their documented exit code: an output that cannot be written (a
    read-only file system, a full disk: finished outputs are complete, the .part file of a JSONL output is kept for
    --resume) exits 1; a worker process that died exits 3 and says to rerun with --resume; anything else unexpected
    is `cleaner: internal error: …`, exit 3.
    """

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except OSError as error:
            _fail(f"cleaner: error: {_os_error(error)}", FAILED_EXIT)
        except Exception as error:  # noqa: BLE001 -- the last resort: a bug, said in one line
            if type(error).__name__ == "TerminatedWorkerError":
                _fail("cleaner: error: a worker process died (killed, or out of memory); finished outputs are "
                      "complete: rerun with --resume", INTERNAL_ERROR_EXIT)
            _fail(f"cleaner: internal error: {type(error).__name__}: {_one_line(str(error))}", INTERNAL_ERROR_EXIT)


def _os_error(error: OSError) -> str:
    """An OSError in one line, with the file it names and what --resume can do after it."""
    where = f"{error.filename}: " if error.filename else ""
    cause = error.strerror or _one_line(str(error))
    verb = "cannot write" if error.errno in WRITE_ERRORS else "file system error"
    return f"{where}{verb} ({cause}); finished outputs are complete, rerun with --resume to go on"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _fail(message: str, code: int) -> None:
    click.echo(message, err=True)
    sys.exit(code)


@click.group(cls=CleanerGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cleaner")
def main() -> None:
    """Separate an article's body from its headline, byline, boilerplate, comments and editorial notes."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", help="Output folder for --format txt, output file for jsonl (.gz: gzipped); '-' or none: stdout.")
@click.option("--format", "fmt", type=click.Choice(["txt", "jsonl"]), default="txt", show_default=True, help="txt: the kept text per input file; jsonl: one record per document with the input's fields, every stream and label.")
@click.option("--keep", default=",".join(sorted(label.value for label in DEFAULT_KEEP)), show_default=True, callback=_parse_keep, help=f"Labels the txt output keeps, comma-separated, from: {', '.join(LABELS)}.")
@click.option("--html", "stdin_html", is_flag=True, help="Standard input ('-') is an HTML page, not text.")
@click.option("--text-field", default=RecordFields.text, show_default=True, help="The field of a JSONL input record that holds its text.")
@click.option("--html-field", default=RecordFields.html, show_default=True, help="The field of a JSONL input record that holds its HTML (used when the text field is absent).")
@click.option("--id-field", default=RecordFields.id, show_default=True, help="The field of a JSONL input record that holds its id.")
@click.option("--split-streams", is_flag=True, help="With --format jsonl -o FILE: each stream in its own file (FILE.body.jsonl, FILE.comments.jsonl, ...), one record per document in each.")
@click.option("--resume", is_flag=True, help="Skip inputs whose output is complete: the txt file exists, or the JSONL output (or the .part file an interrupted run left) holds its record (by id). Not with --split-streams.")
@click.option("--body-field", default=BODY_FIELD, show_default=True, callback=_parse_body_field, help="With --format jsonl: the field the body goes to; 'text' makes records that datatrove's JsonlReader and dolma read as the document's text.")
@click.option("--keep-input", is_flag=True, help=f"With --format jsonl: keep the input's text (or HTML) in each record, as {RAW_FIELDS['text']} ({RAW_FIELDS['html']}).")
@MODEL_OPTION
@TRUST_OPTION
@JOBS_OPTION
@UNORDERED_OPTION
@click.option("--dask", "dask_address", metavar="SCHEDULER_ADDRESS", help="Clean JSONL inputs on a Dask cluster (e.g. tcp://10.0.0.5:8786): one task per file, one JSONL output file each in the -o folder.")
@REPORT_OPTION
@_verbosity
def clean(paths, output, fmt, keep, stdin_html, text_field, html_field, id_field, split_streams, resume, body_field, keep_input, model_path, trust_model, jobs, unordered, dask_address, report, quiet, verbose) -> None:
    """Clean text and HTML files (.txt, .html, .htm, also .gz) and folders of them, and JSONL files of records; '-' reads standard input."""
    from ..pipeline.parallel import ParallelOptions  # the model and its libraries load with it

    if dask_address and (jobs > 1 or unordered):
        raise click.UsageError("--jobs and --unordered run local worker processes; --dask runs on the cluster's")
    if dask_address:
        fmt = "jsonl"  # one JSONL file per input
    if fmt == "txt" and output in (None, "-") and len(paths) > 1:
        raise click.UsageError("several inputs need -o OUTDIR for --format txt")
    if fmt == "txt" and any(source_kind(Path(path)) == JSONL for path in paths):
        raise click.UsageError("JSONL input needs --format jsonl")
    if split_streams and (fmt != "jsonl" or output in (None, "-")):
        raise click.UsageError("--split-streams needs --format jsonl and -o FILE")
    if fmt != "jsonl" and (keep_input or body_field != BODY_FIELD):
        raise click.UsageError("--body-field and --keep-input need --format jsonl")
    options = commands.CleanOptions(fmt, keep, RecordFields(id_field, text_field, html_field, keep_input=keep_input),
                                    split_streams, HTML if stdin_html else None, resume,
                                    ParallelOptions(jobs, ordered=not unordered), body_field=body_field, report=report,
                                    verbosity=_level(quiet, verbose))
    model = _load(model_path, trust_model)
    if dask_address:
        _finish(lambda: commands.clean_on_dask(paths, output, options, model, dask_address))
    else:
        _finish(lambda: commands.clean_paths(paths, output, options, model))


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", metavar="REPORT.html", help="Write the HTML report here ('-': stdout). None: the terminal view of one document on a terminal, else the HTML on stdout.")
@click.option("--terminal", is_flag=True, help="Print each paragraph as 'label confidence text' (* marks a label revised from its neighbours), coloured on a terminal, instead of the HTML report.")
@click.option("--keep", default=",".join(sorted(label.value for label in DEFAULT_KEEP)), show_default=True, callback=_parse_keep, help=f"Labels that count as kept, comma-separated, from: {', '.join(LABELS)}; the others are marked removed.")
@click.option("--html", "stdin_html", is_flag=True, help="Standard input ('-') is an HTML page, not text.")
@click.option("--text-field", default=RecordFields.text, show_default=True, help="The field of a JSONL input record that holds its text.")
@click.option("--html-field", default=RecordFields.html, show_default=True, help="The field of a JSONL input record that holds its HTML (used when the text field is absent).")
@click.option("--id-field", default=RecordFields.id, show_default=True, help="The field of a JSONL input record that holds its id.")
@MODEL_OPTION
@TRUST_OPTION
@_verbosity
def show(paths, output, terminal, keep, stdin_html, text_field, html_field, id_field, model_path, trust_model, quiet, verbose) -> None:
    """Show what cleaning does to each paragraph of the inputs (what `clean` reads, JSONL too): one self-contained
    HTML page, coloured by label and filterable, or a terminal view."""
    if terminal and output is not None:
        raise click.UsageError("--terminal prints to stdout; leave out -o, or drop --terminal for the HTML report")
    options = commands.CleanOptions(keep=keep, fields=RecordFields(id_field, text_field, html_field),
                                    stdin_kind=HTML if stdin_html else None, verbosity=_level(quiet, verbose))
    model = _load(model_path, trust_model)
    _finish(lambda: commands.show_paths(paths, output, options, model, terminal))


@main.command()
@click.argument("input_path", metavar="IN.jsonl")
@click.option("-o", "--output", help="Output JSONL file ('-' or none: stdout).")
@MODEL_OPTION
@TRUST_OPTION
@JOBS_OPTION
@UNORDERED_OPTION
@_verbosity
def label(input_path, output, model_path, trust_model, jobs, unordered, quiet, verbose) -> None:
    """Add "labels" and "confidences" to JSONL records {"id", "paragraphs"} (or "text"), one per paragraph."""
    from ..pipeline.parallel import ParallelOptions  # the model and its libraries load with it

    model = _load(model_path, trust_model)
    _finish(lambda: commands.label_jsonl(input_path, output, model, ParallelOptions(jobs, ordered=not unordered),
                                         _level(quiet, verbose)))


@main.command()
@click.argument("data", nargs=-1)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Where to write the model (.npz: arrays, loadable anywhere without trust; .joblib: a pickle of the scikit-learn estimator); its card goes beside it as .json.")
@click.option("--seed", default=DEFAULT_SEED, show_default=True, help="Random seed: the same data and seed give the same model.")
@click.option("--cv", "folds", default=DEFAULT_CV_FOLDS, show_default=True, help="Site-grouped cross-validation folds for the card's metrics (0: skip).")
@AUGMENT_OPTION
@LABEL_MAP_OPTION
@CHOICES_OPTION
@HTML_OPTION
@PAGES_OPTION
@click.option("--skip-page-type", "skip_types", multiple=True, metavar="TYPE",
              help="Leave out the --pages pages of this WCXB page type (forum, listing, ...; repeatable).")
@REVIEWED_OPTION
@click.option("-q", "--quiet", is_flag=True, help="Do not say each training step on stderr.")
def train(data, output, seed, folds, augment_rate, label_map, choices_field, html_roots, pages, skip_types, reviewed,
          quiet) -> None:
    """Train a model on labeled DATA: JSONL documents (LABELING.md), review folders (container/*.tsv + review/*.fix),
    doccano JSONL exports and Label Studio exports (JSON-MIN or JSON); and/or on HTML pages with gold text (--from-html)."""
    if not data and not html_roots and not pages:
        raise click.UsageError("give labeled DATA, --from-html FOLDER or --pages DATA LABELS")
    label_map = replace(label_map, choices=choices_field)
    options = replace(_training_options(seed, augment_rate, reviewed, label_map), verbose=int(not quiet))
    try:
        card, cv_report = retrain.train_model(data, output, options, folds, label_map, html_roots, pages, skip_types)
    except DataError as error:
        raise click.UsageError(str(error)) from None
    if cv_report:
        click.echo(f"site-grouped {folds}-fold cross-validation:\n{cv_report.format()}")
    click.echo(f"wrote {output} ({card['training']['documents']} documents, data {card['training']['data_sha256'][:12]})")


@main.command()
@click.argument("data", nargs=-1, required=True, metavar="[MODEL.npz] DATA...")
@MODEL_OPTION
@TRUST_OPTION
@click.option("--cv", "folds", type=int, help="Instead of a model, run site-grouped K-fold cross-validation on DATA.")
@click.option("--holdout", type=click.Path(exists=True, dir_okay=False), help="Label each document of this JSONL file with a model trained on DATA and the file's other documents.")
@click.option("--json", "json_path", help="Also write the report as JSON to this file.")
@click.option("--seed", default=DEFAULT_SEED, show_default=True, help="Random seed of the models trained for --cv and --holdout.")
@click.option("--repeats", default=1, show_default=True, type=click.IntRange(min=1),
              help="With --cv: run it with this many seeds (--seed, --seed + 1, ...) and print each figure's mean and range.")
@AUGMENT_OPTION
@LABEL_MAP_OPTION
@CHOICES_OPTION
@HTML_OPTION
@PAGES_OPTION
@REVIEWED_OPTION
def evaluate(data, model_path, trust_model, folds, holdout, json_path, seed, repeats, augment_rate, label_map,
             choices_field, html_roots, pages, reviewed) -> None:
    """Per-label precision, recall and F1, body word-F1, the confusion matrix and the worst documents on labeled DATA,
    for MODEL (default: the shipped model), or by site-grouped cross-validation (--cv K) on the data alone."""
    model_path, data = _model_and_data(data, model_path)
    label_map = replace(label_map, choices=choices_field)
    options = _training_options(seed, augment_rate, reviewed, label_map)
    try:
        if holdout:
            _print_held_out(retrain.evaluate_held_out(data, holdout, options, label_map), json_path)
            return
        if folds and repeats > 1:
            result = retrain.evaluate_cv_seeds(data, folds, options, repeats, label_map, html_roots, pages)
        elif folds:
            result = retrain.evaluate_cv(data, folds, options, label_map, html_roots, pages)
        else:
            result = retrain.evaluate_model(_load(model_path, trust_model), data, label_map, pages)
    except DataError as error:
        raise click.UsageError(str(error)) from None
    click.echo(result.format())
    if json_path:
        commands.print_json(result.to_dict(), json_path)


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="[MODEL.npz] DATA...")
@click.option("-n", "count", default=100, show_default=True, type=click.IntRange(min=1), help="How many paragraphs to check: the documents that hold the N least confident ones are written whole (N documents at most).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=DEFAULT_FORMAT, show_default=True, help="doccano: JSONL for a sequence-labeling project, a document a line, a labeled span per paragraph; label-studio: a JSON array of tasks with predictions, for the config of `cleaner labeling-config`.")
@click.option("-o", "--output", help="Output file ('-' or none: stdout).")
@MODEL_OPTION
@TRUST_OPTION
@_verbosity
def suggest(paths, count, fmt, output, model_path, trust_model, quiet, verbose) -> None:
    """Write the documents of unlabeled DATA (.txt files and folders, JSONL records) that hold the N least confident
    paragraphs, least confident first, whole, with those paragraphs marked and every paragraph pre-annotated with
    the model's guess: import them into doccano or Label Studio, check the labels, export, and train on the export."""
    model_path, data = _model_and_data(paths, model_path)
    if not data:
        raise click.UsageError("give the unlabeled DATA to look through")
    model = _load(model_path, trust_model)
    _finish(lambda: commands.suggest(model, data, count, output, fmt, _level(quiet, verbose)))


@main.command("labeling-config")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=DEFAULT_FORMAT, show_default=True, help="label-studio: the labeling config (XML) of the tasks suggest writes; doccano: the six labels to import (JSON).")
@click.option("-o", "--output", help="Output file ('-' or none: stdout).")
def labeling_config(fmt, output) -> None:
    """Print the labeling project's settings for the six labels: Label Studio's labeling interface, or doccano's
    label definitions (Labels > Import Labels)."""
    commands.write_labeling_config(fmt, output)


@main.command()
@click.argument("data", nargs=-1, required=True)
@click.option("--seed", default=DEFAULT_SEED, show_default=True, help="Random seed of the model the gate trains.")
@REVIEWED_OPTION
@click.option("--pages", "pages", nargs=2, metavar="DATA LABELS",
              type=(click.Path(exists=True, file_okay=False), click.Path(exists=True, dir_okay=False)),
              help="Also hold the model to the out-of-source floors on the development bucket of these labeled pages "
                   "(../shared/data models/labels/pages.jsonl).")
def gate(data, seed, reviewed, pages) -> None:
    """Train the training pipeline on DATA without its fixed development split, evaluate it on the split (and, with
    --pages, on pages of another benchmark), and fail (exit 1) when an F1 falls below its floor in models/gate.json.
    CI runs it on ../shared/data/train with the labeled pages."""
    from ..training.gate import Gate, GateError, run_gate, unseen_pages

    if models := [path for path in data if path.endswith(MODEL_SUFFIXES)]:
        raise click.UsageError(f"{models[0]}: a model file; the gate trains its own model on labeled DATA "
                               "(cleaner gate ../shared/data/train)")
    try:
        options = _training_options(seed, AUGMENT_RATE, reviewed)
        unseen = unseen_pages(Path(pages[0]), Path(pages[1])) if pages else []
        result, unseen_results, failures = run_gate(retrain.read_training(data), options.fit, Gate.load(), unseen)
    except (DataError, GateError) as error:
        raise click.UsageError(str(error)) from None
    click.echo(result.format())
    for rendering, unseen_result in unseen_results.items():
        click.echo(f"\nout of source, {rendering} rendering:\n{unseen_result.format()}")
    for failure in failures:
        click.echo(f"gate: below the floor: {failure}", err=True)
    sys.exit(1 if failures else 0)


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
