"""What the CLI's cleaning commands do (clean, label, show, suggest); `arguments` only declares their arguments
and calls these, and `retrain` does the training commands."""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from contextlib import nullcontext
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..integrations.dask import clean_files
from ..labeling import DEFAULT_FORMAT, labeling_config, least_confident, model_version, review_lines
from ..document import Document, InvariantError
from ..pipeline.corpus import BODY_FIELD, RecordFields, corpus_line, corpus_lines, stream_path, write_corpus
from ..pipeline.io import (
    HTML, HTML_SUFFIXES, JSONL, JSONL_SUFFIXES, STDIN, TEXT, TEXT_SUFFIXES, InputError, Source, find_sources, json_line,
    kept_text, open_binary, output_name,
    read_jsonl_records, read_source, write_text,
)
from ..labels import DEFAULT_KEEP, LABELS, Label
from ..pipeline.outputs import (
    OutputError, ResumableJsonl, refuse_output_inside_inputs, refuse_overwriting_inputs, text_output_path,
)
from ..pipeline.parallel import Cleaned, ParallelOptions, R, Render, clean_stream, worker_model_path
from ..files import atomic_write
from ..model.persist import Model
from ..pipeline.progress import Progress
from ..pipeline.report import ReportOptions, open_report, write_terminal
from ..text.segment import split_spans

if TYPE_CHECKING:
    from ..html.extract import HtmlPage



QUIET, NORMAL, VERBOSE = 0, 1, 2  # -q, neither, -v
REPEATED_IDS_NAMED = 5  # repeated JSONL ids named on stderr; the summary counts them all
LONG_TEXT_CHARS = 1 << 20  # a text file longer than this is split before it is labeled (`_file_document`)
REPORT_INPUTS_NAMED = 3  # inputs named in a report's title; the rest are counted


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
    ids: set = field(default_factory=set, repr=False)  # the JSONL record ids seen, to tell of repeated ones
    repeated_ids: int = 0
    verbosity: int = NORMAL  # QUIET: errors only; NORMAL: notes, the progress bar and the summary; VERBOSE: and timing
    expected: int | None = None  # the documents the run will write, when the inputs tell (text and HTML files)
    started: float = field(default_factory=time.perf_counter, repr=False)

    def saw_id(self, value: Any, where: str) -> None:
        """Note a JSONL record id that an earlier record had already (the first few are named)."""
        if value is None or not isinstance(value, (str, int, float, bool)):
            return
        if value in self.ids:
            self.repeated_ids += 1
            if self.repeated_ids <= REPEATED_IDS_NAMED:
                self.note(f"{where}: id {value!r} repeats an earlier record's; --resume tells them apart by order")
        else:
            self.ids.add(value)

    def count_read(self, record: dict, name: str | None = None) -> dict:
        """Count a document read, and its paragraphs (as the library will split them), before it is cleaned."""
        if "paragraphs" in record:
            paragraphs = len(record["paragraphs"])
        elif "html" in record:  # an extracted page (see `_source_records`)
            paragraphs = len(record["html"].paragraphs)
        else:
            paragraphs = len(split_spans(record["text"]))
        self.read += 1
        self.paragraphs_read += paragraphs
        if name and not paragraphs:
            self.note(f"{name}: empty (no paragraphs); its output is empty")
        return record

    def add(self, document: Document) -> None:
        """Count a document written, and its paragraphs in each label's stream."""
        self.add_cleaned(Cleaned.of(None, document))

    def add_cleaned(self, cleaned: Cleaned) -> None:
        """Count a document written (perhaps cleaned in a worker process), by its paragraphs in each stream."""
        self.documents += 1
        self.empty += not cleaned.paragraphs
        for label, size in zip(Label, cleaned.streams, strict=True):
            self.labels[label.value] += size

    def check(self) -> None:
        """Raise InvariantError unless every document read was written and its every paragraph is in one stream."""
        if self.documents != self.read:
            raise InvariantError(f"{self.read} documents read but {self.documents} written")
        if sum(self.labels.values()) != self.paragraphs_read:
            raise InvariantError(f"{self.paragraphs_read} paragraphs read but {sum(self.labels.values())} "
                                 "in the label streams")

    def fail(self, error: Exception | str) -> None:
        self.errors.append(str(error))
        print(f"cleaner: error: {error}", file=sys.stderr)

    def note(self, message: str) -> None:
        """Say something worth knowing about the run on stderr (not with -q)."""
        if self.verbosity > QUIET:
            print(f"cleaner: note: {message}", file=sys.stderr)

    def merge(self, other: Summary) -> None:
        """Add the counts and errors of a part of the run done elsewhere (on a Dask worker, say)."""
        self.documents += other.documents
        self.read += other.read
        self.paragraphs_read += other.paragraphs_read
        self.labels.update(other.labels)
        self.empty += other.empty
        self.skipped += other.skipped
        self.repeated_ids += other.repeated_ids
        for error in other.errors:
            self.fail(error)

    def format(self) -> str:
        counts = ", ".join(f"{label} {self.labels[label]}" for label in LABELS)
        parts = [f"{self.documents} documents, {sum(self.labels.values())} paragraphs ({counts})"]
        parts += [f"{self.empty} empty"] if self.empty else []
        parts += [f"{self.skipped} already done (--resume)"] if self.skipped else []
        parts += [f"{self.repeated_ids} repeated ids"] if self.repeated_ids else []
        parts += [f"{len(self.errors)} inputs failed"] if self.errors else []
        if self.verbosity >= VERBOSE:
            elapsed = time.perf_counter() - self.started
            parts.append(f"{elapsed:.1f} s ({sum(self.labels.values()) / max(elapsed, 1e-9):,.0f} paragraphs/s)")
        return "; ".join(parts)

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
    stdin_kind: str | None = None  # None: told from its first bytes (JSONL, HTML or text)
    resume: bool = False  # skip the inputs whose output is already complete
    parallel: ParallelOptions = ParallelOptions()  # worker processes (--jobs) and output order
    body_field: str = BODY_FIELD  # the JSONL field of the body (text: as datatrove and dolma read it)
    report: str | None = None  # --report: also write the HTML report of every paragraph to this file ('-': stdout)
    verbosity: int = NORMAL  # -q / -v

    @property
    def jsonl_line(self) -> Render[dict, str]:
        """A document's JSON line (`corpus_line`), with the body in `body_field`; picklable, for worker processes."""
        return partial(corpus_line, body_field=self.body_field)


def clean_paths(paths: Sequence[str], output: str | None, options: CleanOptions, model: Model) -> Summary:
    """Clean every input (text and HTML files, JSONL records); write one text file per input (mirroring
    folders), or one JSONL record per document that keeps the input record's fields (see `corpus`).

    With `options.resume`, inputs whose output is already complete are skipped. An output that would replace an
    input, or --resume without an output or with split streams, is an OutputError raised before anything is read.
    """
    to_stdout = output in (None, "-")
    if options.resume and to_stdout:
        raise OutputError("--resume needs -o: it skips the inputs whose outputs are already written")
    if options.resume and options.split_streams:
        raise OutputError("--resume cannot continue --split-streams output (its files must stay line-aligned); "
                          "write one JSONL file, or run again without --resume")
    if options.fmt == "jsonl" and output and not to_stdout and output.endswith(os.sep):
        raise OutputError(f"{output}: is a folder; --format jsonl writes one file (-o corpus.jsonl)")
    if not to_stdout:
        refuse_output_inside_inputs(Path(output), paths)
    summary = Summary(verbosity=options.verbosity)
    folder_kinds = (TEXT, HTML, JSONL) if options.fmt == "jsonl" else (TEXT, HTML)
    sources = _unique_sources(paths, options, summary, folder_kinds)
    summary.expected = _expected_documents(sources, options)
    if not sources and not summary.errors:
        hint = "" if options.fmt == "jsonl" else "; .jsonl files are cleaned with --format jsonl"
        summary.fail(InputError(f"{', '.join(paths)}: no inputs to clean (files ending in "
                                f"{', '.join(_suffixes(folder_kinds))}, maybe .gz{hint})"))
    if options.report is not None:
        refuse_report_target(options.report, output, paths, sources)
    if to_stdout:
        _clean_to_stdout(sources, options, model, summary)
    elif options.fmt == "jsonl":
        _clean_to_jsonl(sources, Path(output), options, model, summary)
    else:
        _clean_to_folder(sources, Path(output), options, model, summary)
    summary.check()
    return summary


def _clean_to_stdout(sources: list[Source], options: CleanOptions, model: Model, summary: Summary) -> None:
    if options.fmt == "jsonl":
        _write_stream(_cleaned(sources, options, model, summary, options.jsonl_line), None)
    else:
        for _, text in _cleaned(sources, options, model, summary, partial(render_kept_text, keep=options.keep)):
            sys.stdout.write(text)


def _clean_to_folder(sources: list[Source], folder: Path, options: CleanOptions, model: Model, summary: Summary) -> None:
    """One text file per input, mirrored under `folder`; with resume, inputs whose file exists are skipped."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: is not a folder; --format txt writes one file per input into a folder")
    refuse_overwriting_inputs([text_output_path(folder, source.relative) for source in sources], _input_paths(sources))
    done = (lambda kept: text_output_path(folder, Path(kept["id"])).exists()) if options.resume else None
    for doc_id, text in _cleaned(sources, options, model, summary, partial(render_kept_text, keep=options.keep), done):
        write_text(text_output_path(folder, Path(doc_id)), text)


def _clean_to_jsonl(sources: list[Source], path: Path, options: CleanOptions, model: Model, summary: Summary) -> None:
    """One record per document in one JSONL file (resumable), or in one file per stream with split streams."""
    targets = [stream_path(path, label) for label in Label] if options.split_streams else [path]
    for target in targets:
        if target.is_dir():
            raise OutputError(f"{target}: is a folder; --format jsonl writes one file")
    refuse_overwriting_inputs(targets, _input_paths(sources))
    if options.split_streams:
        lines = _cleaned(sources, options, model, summary,
                         partial(corpus_lines, split_streams=True, body_field=options.body_field))
        write_corpus(lines, path, split_streams=True)
        return
    with ResumableJsonl(path, options.resume, options.fields.record_id) as out:
        for line in _cleaned(sources, options, model, summary, options.jsonl_line, out.holds if out.done else None):
            out.write(line)


def render_kept_text(_kept: dict, document: Document, keep: frozenset[Label]) -> tuple[str, str]:
    """A cleaned document's id and its kept text (--format txt)."""
    return str(document.id), kept_text(document, keep)


def render_labeled_line(record: dict, document: Document) -> str:
    """The input record with "paragraphs", "labels" and "confidences" added, as a JSON line (`cleaner label`)."""
    return json_line(_labeled_record(record, document))


def clean_on_dask(paths: Sequence[str], output: str | None, options: CleanOptions, model: Model, address: str) -> Summary:
    """Clean JSONL files on the Dask cluster at `address`: one task and one JSONL output file (in the folder
    `output`) per input, each written as `clean_paths` writes it with `options` (--format jsonl)."""
    if output in (None, "-"):
        raise OutputError("--dask writes one JSONL file per input: give an output folder with -o")
    if options.resume or options.split_streams:
        raise OutputError("--dask writes one JSONL file per input; it cannot --resume them or --split-streams")
    if options.report is not None:
        raise OutputError("--report shows the documents cleaned in this process; --dask cleans them on the cluster")
    summary = Summary()
    sources = []
    for source in _unique_sources(paths, options, summary, folder_kinds=(JSONL,)):
        if source.kind == JSONL and source.path is not None:
            sources.append(source)
        else:
            summary.fail(InputError(f"{source.name}: --dask cleans JSONL files (records with a text or HTML field)"))
    inputs = [str(source.path.resolve()) for source in sources]
    targets = [str((Path(output) / source.relative).resolve()) for source in sources]
    task_options = replace(options, parallel=ParallelOptions())
    for part in clean_files(inputs, targets, clean_paths, task_options, worker_model_path(model), True, address):
        summary.merge(part)
    summary.check()
    return summary


def _suffixes(kinds: Collection[str]) -> list[str]:
    by_kind = {TEXT: TEXT_SUFFIXES, HTML: HTML_SUFFIXES, JSONL: JSONL_SUFFIXES}
    return [suffix for kind in kinds for suffix in by_kind[kind]]


def _input_paths(sources: Iterable[Source]) -> list[Path]:
    return [source.path for source in sources if source.path is not None]


def _unique_sources(
    paths: Sequence[str], options: CleanOptions, summary: Summary, folder_kinds: Collection[str] = (TEXT, HTML)
) -> list[Source]:
    """The sources found under `paths` (in folders: those of `folder_kinds`); a missing one, or a file whose output
    (and id) would be another's, fails."""
    sources: list[Source] = []
    targets: dict[Path, Source] = {}
    for found in find_sources(paths, options.stdin_kind, folder_kinds):
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


def _cleaned(
    sources: Iterable[Source], options: CleanOptions, model: Model, summary: Summary, render: Render[dict, R],
    done: Callable[[dict], bool] | None = None,
) -> Iterator[R]:
    """`render(kept fields, cleaned document)` for every document of the sources, counted in the summary; in input
    order, unless `options.parallel` says otherwise (`render` then runs in the worker processes)."""
    pairs = (pair for source in sources for pair in _source_records(source, options.fields, summary, done))
    if options.report is None:
        return _counted(clean_stream(pairs, render, model, options.parallel), summary)
    with_documents = clean_stream(pairs, partial(_with_document, render), model, options.parallel)
    target = None if options.report == "-" else Path(options.report)
    return _reported(_counted(with_documents, summary), target, report_options(options.keep, model, sources))


def _expected_documents(sources: Sequence[Source], options: CleanOptions) -> int | None:
    """How many documents the run will write, when the inputs tell (text and HTML files, one document each); None
    for JSONL or standard input (counting their records would read them twice) and with --resume."""
    if options.resume or any(source.kind == JSONL or source.path is None for source in sources):
        return None
    return len(sources)


def _with_document(render: Render[dict, R], kept: dict, document: Document) -> tuple[R, Document]:
    """A document's output and the document itself, for the report (module-level: it runs in worker processes)."""
    return render(kept, document), document


def _reported(cleaned: Iterable[tuple[R, Document]], target: Path | None, options: ReportOptions) -> Iterator[R]:
    """Each document's output, its document added to the HTML report at `target` (None: stdout) on the way; the
    report is complete when the stream is, and not written at all when the run fails."""
    with open_report(target, options) as report:
        for output, document in cleaned:
            report.add(document)
            yield output


def report_options(keep: frozenset[Label], model: Model, sources: Iterable[Source]) -> ReportOptions:
    """What the report of a run says about it: the inputs (the first few), the model, the labels kept."""
    names = [source.name for source in sources]
    shown = ", ".join(names[:REPORT_INPUTS_NAMED]) + (f" and {len(names) - REPORT_INPUTS_NAMED} more"
                                                      if len(names) > REPORT_INPUTS_NAMED else "")
    kept = ", ".join(label.value for label in Label if label in keep)
    return ReportOptions(subtitle=f"{shown or 'no inputs'}; model {model.path.name}; keeps {kept}", keep=keep)


def refuse_report_target(report: str, output: str | None, paths: Sequence[str], sources: Iterable[Source]) -> None:
    """Raise OutputError when the report cannot go where asked: a folder, the -o output itself, an input, inside an
    input folder (a later run would read it as an HTML input), or stdout when the cleaned output goes there."""
    if report == STDIN:
        if output in (None, STDIN):
            raise OutputError("--report - writes the report to stdout, where the cleaned output goes without -o; "
                              "give -o, or --report FILE")
        return
    target = Path(report)
    if target.is_dir():
        raise OutputError(f"{report}: is a folder; --report writes one HTML file (--report report.html)")
    if output not in (None, STDIN) and target.resolve() == Path(output).resolve():
        raise OutputError(f"{report}: is also the -o output; give the report another name")
    refuse_overwriting_inputs([target], _input_paths(sources))
    refuse_output_inside_inputs(target, paths)


def show_paths(
    paths: Sequence[str], output: str | None, options: CleanOptions, model: Model, terminal: bool = False
) -> Summary:
    """Clean the inputs (what `clean` reads, JSONL too) and show every paragraph with its label: as the HTML report
    (`cleaner.pipeline.report`), written to `output` ('-', or none when stdout is not a terminal: stdout), or, with
    `terminal` (or no `output` on a terminal, for one document), as the terminal view on stdout.

    Nothing is written when no input could be found; several documents and no `output` on a terminal is an
    OutputError, before anything is cleaned."""
    summary = Summary(verbosity=options.verbosity)
    sources = _unique_sources(paths, options, summary, (TEXT, HTML, JSONL))
    summary.expected = _expected_documents(sources, options)
    if not sources:
        if not summary.errors:
            summary.fail(InputError(f"{', '.join(paths)}: no inputs to show (files ending in "
                                    f"{', '.join(_suffixes((TEXT, HTML, JSONL)))}, maybe .gz)"))
        return summary
    on_terminal = output is None and sys.stdout.isatty()
    if on_terminal and not terminal and (len(sources) > 1 or sources[0].kind == JSONL):
        raise OutputError("several documents: write the report with -o report.html (or -o - for HTML on stdout), "
                          "or list them here with --terminal")
    if terminal or on_terminal:
        documents = _cleaned(sources, options, model, summary, _the_document)
        write_terminal(documents, sys.stdout, colour=sys.stdout.isatty(), keep=options.keep)
    else:
        report = replace(options, report=STDIN if output in (None, STDIN) else output)
        if report.report != STDIN:
            refuse_report_target(report.report, None, paths, sources)
        for _ in _cleaned(sources, report, model, summary, _nothing):
            pass
    summary.check()
    return summary


def _nothing(_kept: dict, _document: Document) -> None:
    """No output of its own: `show` writes only the report."""


def _file_document(text: str, source: Source) -> dict[str, Any]:
    """What `clean_documents` reads of a text or HTML file: the extracted page, the text, or a long text's spans.
    A long text is split here, so that only its paragraphs are held while it is labeled: the whole text, four
    bytes a character once it holds one emoji, would double the memory of a million-line log."""
    if source.kind == HTML:
        return {"html": _extracted(text, None, source.name)}
    return {"paragraphs": split_spans(text)} if len(text) > LONG_TEXT_CHARS else {"text": text}


def _source_records(
    source: Source, fields: RecordFields, summary: Summary, done: Callable[[dict], bool] | None = None
) -> Iterator[tuple[dict, dict]]:
    """The documents of a source, each as (the fields the output keeps, the record `clean_documents` reads),
    counted as read; unreadable ones are reported, and those `done` says are already written are skipped.
    HTML is decoded and extracted here, so that a bad page is reported by name and its paragraphs are counted."""
    try:
        if source.kind != JSONL:
            kept = {"id": source.relative.as_posix()}
            if done and done(kept):
                summary.skipped += 1
                return
            decoded = read_source(source)
            if decoded.guessed:  # said, and kept in the JSONL record: a wrong guess must not pass unnoticed
                summary.note(f"{source.name}: not UTF-8; decoded as {decoded.encoding}")
                kept["encoding"] = decoded.encoding
            kept = fields.with_input(kept, HTML if source.kind == HTML else TEXT, decoded.text)
            document = _file_document(decoded.text, source)
            del decoded  # a long text is not held while it is labeled (`_file_document`)
            yield kept, summary.count_read({"id": kept["id"], **document}, source.name)
            return
        with _open_input(STDIN if source.path is None else str(source.path)) as handle:
            for record in read_jsonl_records(handle, source.name, fields.problem):
                if _failed(record, summary):
                    continue
                kept = fields.kept(record)
                summary.saw_id(fields.record_id(kept), source.name)
                if done and done(kept):
                    summary.skipped += 1
                    continue
                clean_input = fields.clean_input(record)
                if "html" in clean_input:
                    try:
                        clean_input["html"] = _extracted(clean_input["html"], clean_input["url"],
                                                         f"{source.name}: record {kept.get('id', '(no id)')!r}")
                    except InputError as error:
                        summary.fail(error)
                        continue
                yield kept, summary.count_read(clean_input)
    except InputError as error:
        summary.fail(error)


def _extracted(html: str | bytes, url: str | None, where: str) -> HtmlPage:
    """`extract_html`, with a page libxml2 cannot parse whole reported as an input error naming `where`, and so is a
    page the extractors (lxml, trafilatura, htmldate) fail on: that input fails, the run goes on."""
    from ..html.extract import PageTooDeep, extract_html  # trafilatura: imported for HTML input alone

    try:
        return extract_html(html, url)
    except PageTooDeep as error:
        raise InputError(f"{where}: {error}") from None
    except InputError:  # binary data: it names the input already
        raise
    except Exception as error:  # a third-party parser's bug on one page must not stop a run of thousands
        raise InputError(f"{where}: the page could not be extracted ({type(error).__name__}: {error})") from None


def label_jsonl(
    input_path: str, output: str | None, model: Model, parallel: ParallelOptions = ParallelOptions(),
    verbosity: int = NORMAL,
) -> Summary:
    """Add "labels" and "confidences" to each record, aligned with its "paragraphs" (split from "text" if absent)."""
    if output not in (None, "-") and input_path != "-":
        refuse_overwriting_inputs([Path(output)], [Path(input_path)])
    summary = Summary(verbosity=verbosity)
    with _open_input(input_path) as handle:
        records = (
            summary.count_read(r) for r in read_jsonl_records(handle, input_path) if not _failed(r, summary)
        )
        lines = clean_stream(((record, record) for record in records), render_labeled_line, model, parallel)
        _write_stream(_counted(lines, summary), output)
    summary.check()
    return summary


def suggest(model: Model, paths: Sequence[str], count: int, output: str | None, fmt: str = DEFAULT_FORMAT,
            verbosity: int = NORMAL) -> Summary:
    """Write the documents (what `clean` reads under `paths`) that hold the `count` least confident paragraphs,
    least confident first, as whole documents with those paragraphs marked and every paragraph pre-annotated with
    the model's guess: doccano sequence-labeling JSONL, or Label Studio tasks (`cleaner.labeling`); `cleaner train`
    reads the labeling tool's export back as whole documents."""
    summary = Summary(verbosity=verbosity)
    options = CleanOptions(verbosity=verbosity)
    sources = _unique_sources(paths, options, summary)
    summary.expected = _expected_documents(sources, options)
    documents = _cleaned(sources, options, model, summary, _the_document)
    chosen = least_confident(documents, count)
    _write_stream(review_lines(chosen, fmt, model_version(model)), output)
    summary.note(f"{sum(len(item.review) for item in chosen)} paragraphs to check, in {len(chosen)} whole documents "
                 f"({fmt})")
    summary.check()
    return summary


def write_labeling_config(tool: str, output: str | None) -> None:
    """Write the shipped project settings of a labeling tool (`cleaner.labeling.configs`) to `output` or stdout."""
    _write_stream([labeling_config(tool)], output)


def _failed(record: dict | InputError, summary: Summary) -> bool:
    if isinstance(record, InputError):
        summary.fail(record)
        return True
    return False


def _the_document(_kept: dict, document: Document) -> Document:
    return document


def _counted(cleaned: Iterable[Cleaned[R]], summary: Summary) -> Iterator[R]:
    """Each document's output; it is counted in the summary and the progress bar (on a terminal only)."""
    progress = Progress(enabled=None if summary.verbosity > QUIET else False, total=summary.expected)
    try:
        for item in cleaned:
            summary.add_cleaned(item)
            progress.update(item.paragraphs)
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


def _open_input(name: str) -> IO[bytes]:
    if name == "-":
        # stdin's own buffer, not a new file object on its descriptor (that would miss what sniff_stdin peeked)
        return nullcontext(sys.stdin.buffer)  # type: ignore[return-value]
    try:
        return open_binary(Path(name))
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
