"""Readers of labeled training data.

These layouts are read:
- the JSONL format of LABELING.md, one document per line ({"id", "paragraphs", "labels"});
- the review layout of ../shared/data/train: container/ID.tsv (index, prelabel, text) with review/ID.fix overrides;
- doccano exports (JSONL): text classification, one paragraph per line ({"text", "label": ["body"], ...}), or
  sequence labeling, one document per line whose paragraphs (its lines) are labeled spans ({"text", "label":
  [[start, end, "body"], ...]} or {"text", "entities": [...]}), as `cleaner suggest --format doccano` writes them;
- Label Studio exports (a JSON array of tasks), JSON-MIN or full JSON (`annotations[].result[]`): one paragraph
  per task, or one document per task with a choice per paragraph (`data.paragraphs` and the controls label_0,
  label_1, ...), as `cleaner suggest --format label-studio` writes them.

A paragraph record names its document in a field (`doc_id`, `document_id` or `document`, at the top level or under
`meta`/`metadata`) and, optionally, its place in it (`index`, `paragraph_index` or `position`; file order
otherwise). A `LabelMap` maps the labeling tool's names onto the six labels. A task or record without a label yet
is skipped and counted in `ReadNotes`, never trained on; a paragraph with two labels is an error.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any, NamedTuple

from ..labeling.schema import DOCCANO_TEXT_FIELD, PARAGRAPH_SEPARATOR, PARAGRAPHS_FIELD, REPEATED_CONTROL, TEXT_FIELD
from ..labels import LABELS, Label

DOCUMENT_ID_FIELDS = ("doc_id", "document_id", "document")
POSITION_FIELDS = ("index", "paragraph_index", "position")
META_FIELDS = ("meta", "metadata")
# Fields of an export record that never hold the paragraph's label.
NOT_LABEL_FIELDS = frozenset({"id", "text", "data", "annotator", "annotation_id", "created_at", "updated_at",
                              "lead_time", *DOCUMENT_ID_FIELDS, *POSITION_FIELDS, *META_FIELDS})
LABEL_FIELDS = ("label", "labels")  # a doccano record's label field
# Fewer paragraphs than this, and a document is likely a fragment: paragraphs exported alone, without their document.
TINY_DOCUMENT_PARAGRAPHS = 3


class DataError(ValueError):
    """Labeled data that cannot be read; the message names the file, the line and the problem."""

    def __init__(self, path: Path | str, line: int | None, problem: str) -> None:
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True, slots=True)
class LabeledDocument:
    """A document's paragraphs with their gold labels; `group` keeps one site in one cross-validation fold."""

    id: str
    paragraphs: tuple[str, ...]
    labels: tuple[Label, ...]
    group: str


@dataclass(frozen=True)
class LabelMap:
    """Label names of a labeling project mapped onto the six labels; a name not mapped must be one of them.

    `choices` names the project's Label Studio `Choices` control (`--choices-field`); None: found by its values.
    """

    names: Mapping[str, Label] = field(default_factory=dict)
    choices: str | None = None

    @classmethod
    def parse(cls, spec: str | None) -> LabelMap:
        """From "theirs=ours,theirs=ours" (the `--label-map` option), for example "article=body,title=headline"."""
        names = {}
        for pair in filter(None, (part.strip() for part in (spec or "").split(","))):
            theirs, sep, ours = pair.partition("=")
            if not sep or not theirs.strip():
                raise ValueError(f"label map entry {pair!r} is not NAME=LABEL")
            names[theirs.strip()] = Label.parse(ours.strip())
        return cls(names)

    def label(self, path: Path, line: int | None, name: Any) -> Label:
        """The label that `name` stands for, or a DataError naming the file and line."""
        name = str(name)
        if name in self.names:
            return self.names[name]
        if name in LABELS:
            return Label(name)
        hint = " or map it with --label-map NAME=LABEL" if not self.names else " and it is not in --label-map"
        raise DataError(path, line, f"unknown label {name!r} (expected one of: {', '.join(LABELS)}{hint})")


class DataWarning(UserWarning):
    """Labeled data read with something passed over: unlabeled tasks, or documents that look like fragments."""


@dataclass
class ReadNotes:
    """What the readers passed over without failing: unlabeled tasks and records (by file), and fragments."""

    unlabeled: Counter = field(default_factory=Counter)  # (file, "task" or "record") -> how many were skipped
    fragments: int = 0  # documents with fewer than TINY_DOCUMENT_PARAGRAPHS paragraphs or gaps in their positions
    documents: int = 0
    gapped: set = field(default_factory=set, repr=False)  # (file, document id) assembled with gaps in positions

    def count(self, documents: Iterable[LabeledDocument], path: Path) -> None:
        """Count the documents read from `path` and those of them that look like fragments."""
        for doc in documents:
            self.documents += 1
            self.fragments += len(doc.paragraphs) < TINY_DOCUMENT_PARAGRAPHS or (str(path), doc.id) in self.gapped

    def messages(self) -> list[str]:
        """One line per file with unlabeled tasks, and one for all the fragments."""
        lines = [f"{path}: skipped {n} unlabeled {unit}{'s' * (n != 1)} (not labeled yet: nothing to learn from)"
                 for (path, unit), n in self.unlabeled.items()]
        if self.fragments:
            lines.append(f"{self.fragments} of {self.documents} labeled documents look like fragments (fewer than "
                         f"{TINY_DOCUMENT_PARAGRAPHS} paragraphs, or gaps in their paragraph positions), as paragraphs "
                         "labeled without their document are: the model learns from whole documents, so label them "
                         "whole (`cleaner suggest` writes whole documents)")
        return lines


def _warn(notes: ReadNotes) -> None:
    """Say what `notes` hold as DataWarnings, for library callers who did not ask for the notes."""
    for message in notes.messages():
        warnings.warn(message, DataWarning, stacklevel=3)


def read_jsonl(
    path: Path, group: str | None = None, labels: LabelMap = LabelMap(), notes: ReadNotes | None = None
) -> Iterator[LabeledDocument]:
    """Labeled documents from a JSONL file of documents, or of a doccano export (paragraphs, or labeled spans).

    All documents of a file of documents share `group` when one is given (as the seeds do).
    """
    records = jsonl_records(path)
    first = next(records, None)
    if first is None:
        return
    if PARAGRAPHS_FIELD in first[1]:
        for number, record in chain([first], records):
            yield _record_document(path, number, record, group, labels)
        return
    own = notes is None
    notes = ReadNotes() if notes is None else notes
    yield from _export_documents(path, chain([first], records), labels, notes)
    if own:
        _warn(notes)


def read_label_studio(path: Path, labels: LabelMap = LabelMap(), notes: ReadNotes | None = None
                      ) -> Iterator[LabeledDocument]:
    """Labeled documents from a Label Studio export: a JSON array of tasks, JSON-MIN or full JSON."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            tasks = json.load(handle)
    except json.JSONDecodeError as error:
        raise DataError(path, error.lineno, f"not valid JSON ({error.msg})") from None
    if not isinstance(tasks, list):
        raise DataError(path, None, "a Label Studio export is a JSON array of tasks")
    own = notes is None
    notes = ReadNotes() if notes is None else notes
    yield from _export_documents(path, enumerate(tasks, 1), labels, notes, unit="task")
    if own:
        _warn(notes)


def jsonl_records(path: Path) -> Iterator[tuple[int, Any]]:
    """(line number, parsed JSON) of each non-blank line; invalid JSON or UTF-8 is a `DataError` naming the line."""
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, 1):
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as error:
                raise DataError(path, number, f"not UTF-8 text (byte {error.start} of the line): labeled data is "
                                "JSONL, UTF-8") from None
            if line.strip():
                try:
                    yield number, json.loads(line)
                except json.JSONDecodeError as error:
                    problem = f"not valid JSON ({error.msg.removesuffix(' at')} at column {error.colno})"
                    raise DataError(path, number, problem) from None


def _record_document(path: Path, number: int, record: Any, group: str | None, labels: LabelMap) -> LabeledDocument:
    if not isinstance(record, dict):
        raise DataError(path, number, "expected a JSON object")
    paragraphs, names = record.get("paragraphs"), record.get("labels")
    if not isinstance(paragraphs, list) or not isinstance(names, list):
        raise DataError(path, number, 'a labeled record needs the lists "paragraphs" and "labels"')
    if len(paragraphs) != len(names):
        raise DataError(path, number, f"{len(paragraphs)} paragraphs but {len(names)} labels")
    doc_id = str(record.get("id", f"{path.stem}:{number}"))
    parsed = tuple(labels.label(path, number, name) for name in names)
    return LabeledDocument(doc_id, tuple(map(str, paragraphs)), parsed, group or doc_id)


@dataclass(frozen=True)
class _Where:
    """Where a record is, for errors: the file, its line (None in a JSON array) and "line N" or "task N"."""

    path: Path
    line: int | None
    name: str

    def error(self, problem: str) -> DataError:
        return DataError(self.path, self.line, f"{self.name}: {problem}")


class _Row(NamedTuple):
    """A one-paragraph record, sorted by its position in its document (else its place in the file)."""

    position: float
    number: int
    text: str
    label: Label
    placed: bool  # the record gave its position


def _export_documents(
    path: Path, records: Iterable[tuple[int, Any]], labels: LabelMap, notes: ReadNotes, unit: str = "line"
) -> Iterator[LabeledDocument]:
    """Documents of a labeling tool's export: whole-document records as they come, then the documents assembled
    from one-paragraph records; records without a label are skipped and counted in `notes`."""
    paragraphs: dict[str, list[_Row]] = {}
    for number, record in records:
        where = _Where(path, number if unit == "line" else None, f"{unit} {number}")
        if not isinstance(record, dict):
            raise where.error("expected a JSON object")
        results = None  # the names of a full-export task's choices results: where its labels are
        if unit == "task" and _is_full_task(record):
            record, results = _flat_task(where, record)
        if record is None:
            labeled: LabeledDocument | bool | None = None
        elif _is_document(record):
            labeled = _whole_document(where, number, record, labels, results)
        else:
            labeled = _add_paragraph(where, number, record, labels, paragraphs, results)
        if not labeled:
            notes.unlabeled[str(path), "task" if unit == "task" else "record"] += 1
        elif isinstance(labeled, LabeledDocument):
            yield labeled
    for doc_id, rows in paragraphs.items():
        rows.sort()
        positions = [row.position for row in rows]
        if all(row.placed for row in rows) and any(b - a != 1 for a, b in zip(positions, positions[1:])):
            notes.gapped.add((str(path), doc_id))
        yield LabeledDocument(doc_id, tuple(row.text for row in rows), tuple(row.label for row in rows), doc_id)


def _is_document(record: dict) -> bool:
    return isinstance(record.get(PARAGRAPHS_FIELD), list) or _spans(record) is not None


def _whole_document(where: _Where, number: int, record: dict, labels: LabelMap, results: Collection[str] | None
                    ) -> LabeledDocument | None:
    """A record that holds a whole document (a Label Studio task of paragraphs, a doccano record of spans); None
    when it is not labeled yet."""
    if isinstance(record.get(PARAGRAPHS_FIELD), list):
        return _task_document(where, number, record, labels, results)
    return _span_document(where, number, record, _spans(record) or [], labels)


def _add_paragraph(where: _Where, number: int, record: dict, labels: LabelMap,
                   documents: dict[str, list[_Row]], results: Collection[str] | None) -> bool:
    """File a one-paragraph record under its document; False when it has no label yet."""
    label = _record_label(where, record, labels, results)
    if label is None:
        return False
    text, doc_id, position = _paragraph_fields(where, record)
    row = _Row(position if position is not None else number, number, text, label, position is not None)
    documents.setdefault(doc_id, []).append(row)
    return True


def _paragraph_fields(where: _Where, record: dict) -> tuple[str, str, float | None]:
    """A paragraph record's text, document id and position (None: use the file's order)."""
    fields = {**_meta(record), **record}
    text = _text(fields)
    if text is None:
        raise where.error(f'a paragraph record needs a "{TEXT_FIELD}" (or "{DOCCANO_TEXT_FIELD}") string')
    doc_id = _document_id(fields)
    if doc_id is None:
        raise where.error(f"no document id (one of {', '.join(DOCUMENT_ID_FIELDS)}, at the top level or under meta)")
    position = next((fields[name] for name in POSITION_FIELDS if name in fields), None)
    if position is not None and not isinstance(position, (int, float)):
        raise where.error(f"paragraph position {position!r} is not a number")
    return text, doc_id, position


def _text(fields: dict) -> str | None:
    """The text of a record: "text", else a string "data" (older doccano exports)."""
    text = fields.get(TEXT_FIELD)
    if isinstance(text, str):
        return text
    text = fields.get(DOCCANO_TEXT_FIELD)
    return text if isinstance(text, str) else None


def _document_id(fields: dict) -> str | None:
    doc_id = next((fields[name] for name in DOCUMENT_ID_FIELDS if name in fields), None)
    return None if doc_id is None else str(doc_id)


def _meta(record: dict) -> dict:
    return next((record[name] for name in META_FIELDS if isinstance(record.get(name), dict)), {})


def _record_label(where: _Where, record: dict, labels: LabelMap, results: Collection[str] | None = None
                  ) -> Label | None:
    """The one label of a doccano record ("label": ["body"]) or a Label Studio task ("<choices name>": "body", or
    a full export's result); None when it has none yet."""
    if labels.choices is not None:
        keys = [labels.choices] if labels.choices in record else []
    elif results is not None:
        keys = sorted(results)
    else:
        keys = [key for key in LABEL_FIELDS if key in record] or [
            key for key, value in record.items() if key not in NOT_LABEL_FIELDS and _is_choice(value)]
    if len(keys) > 1:
        raise where.error(f"{len(keys)} fields could hold the label ({', '.join(keys)}): name the choices "
                          "with --choices-field")
    value = _one_choice(where, record[keys[0]]) if keys else None
    return None if value is None else labels.label(where.path, where.line, value)


def _is_choice(value: Any) -> bool:
    """Whether `value` looks like a label field: "body", ["body"] or {"choices": ["body"]} (any number of them)."""
    if isinstance(value, dict):
        value = value.get("choices")
        return isinstance(value, list)
    return isinstance(value, str) or (isinstance(value, list) and all(isinstance(item, str) for item in value))


def _one_choice(where: _Where, value: Any) -> str | None:
    """The single label name in a label field; None when it holds none; an error for two or more."""
    names = value.get("choices") if isinstance(value, dict) else value
    names = [names] if isinstance(names, str) else names
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise where.error(f"expected a label name, found {value!r}")
    if len(names) > 1:
        raise where.error(f"{len(names)} labels {names} where a paragraph has one (make the choices single-choice)")
    return names[0] if names else None


# --- Label Studio: the full JSON export, and tasks of whole documents ------------------------------------------------


def _is_full_task(task: dict) -> bool:
    """A task of the full JSON export ({"data", "annotations"}), not a JSON-MIN one (its data's fields at the top)."""
    return "annotations" in task or isinstance(task.get("data"), dict)


def _flat_task(where: _Where, task: dict) -> tuple[dict | None, set[str]]:
    """A full-export task as JSON-MIN has it (its data's fields, and each choices result of its annotation under
    the control's name) and the names of those results; None when no annotation was submitted (a prediction alone
    is no label)."""
    data = task.get("data")
    if isinstance(data, str):  # a task imported as a bare string, or its data as a JSON string
        data = _parsed(data) if data.lstrip().startswith("{") else {TEXT_FIELD: data}
    if not isinstance(data, dict):
        raise where.error('a task\'s "data" is an object (or a string)')
    annotations = task.get("annotations") or []
    if not isinstance(annotations, list):
        raise where.error('"annotations" is a list')
    submitted = [a for a in annotations if isinstance(a, dict) and not a.get("was_cancelled")]
    if not submitted:
        return None, set()
    chosen = next((a for a in reversed(submitted) if a.get("ground_truth")), submitted[-1])  # the newest, or the truth
    results = {str(result["from_name"]): result.get("value") or {} for result in chosen.get("result") or []
               if isinstance(result, dict) and result.get("type") == "choices" and "from_name" in result}
    return {"id": task.get("id"), **data, **results}, set(results)


def _parsed(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return {TEXT_FIELD: text}


def _task_document(where: _Where, number: int, record: dict, labels: LabelMap, results: Collection[str] | None
                   ) -> LabeledDocument | None:
    """A task of a whole document: data.paragraphs in order, a choice per paragraph (label_0, ...); None when
    it has no choice yet."""
    paragraphs = [item.get(TEXT_FIELD) if isinstance(item, dict) else item for item in record[PARAGRAPHS_FIELD]]
    if not all(isinstance(text, str) for text in paragraphs):
        raise where.error(f'every item of "{PARAGRAPHS_FIELD}" is a string or an object with a "{TEXT_FIELD}" string')
    choices = _repeated_choices(where, record, labels.choices, results)
    if not choices:
        return None
    if extra := sorted(set(choices) - set(range(len(paragraphs)))):
        raise where.error(f"a label for paragraph {extra[0]}, but the task has {len(paragraphs)} paragraphs")
    if missing := [index for index in range(len(paragraphs)) if index not in choices]:
        raise where.error(f"paragraph {missing[0]} of {len(paragraphs)} has no label ({len(missing)} unlabeled): "
                          "label every paragraph, or none")
    doc_id = _document_id({**_meta(record), **record}) or f"{where.path.stem}:{number}"
    parsed = tuple(labels.label(where.path, where.line, choices[index]) for index in range(len(paragraphs)))
    return LabeledDocument(doc_id, tuple(paragraphs), parsed, doc_id)


def _repeated_choices(where: _Where, record: dict, name: str | None, results: Collection[str] | None
                      ) -> dict[int, str]:
    """Paragraph index -> label name of the choices NAME_INDEX of a task (of any one NAME when `name` is None)."""
    found: dict[str, dict[int, Any]] = {}
    for key, value in record.items():
        match = REPEATED_CONTROL.match(key)
        if (match and (name is None or match["name"] == name) and (results is None or key in results)
                and _is_choice(value)):
            found.setdefault(match["name"], {})[int(match["index"])] = value
    if len(found) > 1:
        raise where.error(f"choices of {len(found)} controls ({', '.join(sorted(found))}): name the one that holds "
                          "the labels with --choices-field")
    choices = next(iter(found.values()), {})
    names = {index: _one_choice(_Where(where.path, where.line, f"{where.name}, paragraph {index}"), value)
             for index, value in choices.items()}
    return {index: label for index, label in names.items() if label is not None}


# --- doccano: sequence labeling, a document per record ------------------------------------------------------------


def _spans(record: dict) -> list[Any] | None:
    """The labeled spans of a doccano sequence-labeling record, as given; None when it is not one (or has none)."""
    if isinstance(record.get("entities"), list) and record["entities"]:
        return record["entities"]
    value = next((record[key] for key in LABEL_FIELDS if key in record), None)
    if isinstance(value, list) and value and all(isinstance(span, (list, dict)) for span in value):
        return value
    return None


def _span(where: _Where, span: Any) -> tuple[int, int, str]:
    """(start, end, label name) of a doccano span: [start, end, "body"] or {"start_offset", "end_offset", "label"}."""
    if isinstance(span, dict):
        span = [span.get("start_offset"), span.get("end_offset"), span.get("label")]
    if not (isinstance(span, list) and len(span) == 3 and all(isinstance(n, int) for n in span[:2])
            and isinstance(span[2], str)):
        raise where.error(f"expected a labeled span [start, end, label], found {span!r}")
    return span[0], span[1], span[2]


def _span_document(where: _Where, number: int, record: dict, spans: list[Any], labels: LabelMap
                   ) -> LabeledDocument | None:
    """A doccano record of a whole document: each line of its text a paragraph, labeled by the span that covers
    most of it; None when it has no span yet."""
    if not spans:
        return None
    text = _text(record)
    if text is None:
        raise where.error(f'a document record needs a "{TEXT_FIELD}" string')
    parsed_spans = [_span(where, span) for span in spans]
    paragraphs, parsed, start = [], [], 0
    for index, line in enumerate(text.split(PARAGRAPH_SEPARATOR)):
        end = start + len(line)
        if line.strip():
            overlaps = [(min(end, s_end) - max(start, s_start), name) for s_start, s_end, name in parsed_spans]
            overlap, name = max(overlaps, default=(0, ""))
            if overlap <= 0:
                raise where.error(f"line {index + 1} of the text ({line.strip()[:40]!r}) has no label: label "
                                  "every paragraph")
            paragraphs.append(line.strip())
            parsed.append(labels.label(where.path, where.line, name))
        start = end + len(PARAGRAPH_SEPARATOR)
    doc_id = _document_id({**_meta(record), **record}) or f"{where.path.stem}:{number}"
    return LabeledDocument(doc_id, tuple(paragraphs), tuple(parsed), doc_id)


def read_review_dir(root: Path, labels: LabelMap = LabelMap()) -> Iterator[LabeledDocument]:
    """Documents from `root/container/ID.tsv` (index, prelabel, text) with `root/review/ID.fix` overrides."""
    for tsv in sorted((root / "container").glob("*.tsv")):
        fix_path = root / "review" / f"{tsv.stem}.fix"
        fixes = _read_fixes(fix_path, labels)
        paragraphs, parsed = [], []
        with open(tsv, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                fields = line.rstrip("\n").split("\t", 2)
                if len(fields) != 3:
                    raise DataError(tsv, number, "expected index<TAB>prelabel<TAB>text")
                index, prelabel, text = fields
                paragraphs.append(text)
                parsed.append(fixes.pop(index)[0] if index in fixes else labels.label(tsv, number, prelabel))
        if fixes:
            raise DataError(fix_path, min(n for _, n in fixes.values()), f"fixes for missing indices {sorted(fixes)}")
        yield LabeledDocument(tsv.stem, tuple(paragraphs), tuple(parsed), tsv.stem)


def _read_fixes(path: Path, labels: LabelMap) -> dict[str, tuple[Label, int]]:
    """index -> (label, line number) of a .fix file; none when the page has no fixes."""
    fixes: dict[str, tuple[Label, int]] = {}
    if not path.exists():
        return fixes
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                fields = line.rstrip("\n").split("\t")
                if len(fields) != 2:
                    raise DataError(path, number, "expected index<TAB>label")
                fixes[fields[0]] = (labels.label(path, number, fields[1]), number)
    return fixes


def read_labeled(
    paths: Iterable[Path | str], labels: LabelMap = LabelMap(), notes: ReadNotes | None = None
) -> list[LabeledDocument]:
    """Every labeled document under `paths`: review folders, JSONL files (LABELING.md, doccano exports) and Label
    Studio exports.

    A JSONL file of whole documents forms one group, so a small hand-labeled set such as the seeds,
    which all tell one story, is held out together in cross-validation. What was passed over (unlabeled tasks,
    fragments) goes to `notes`, or is said as a `DataWarning` when no notes are given.
    """
    own = notes is None
    notes = ReadNotes() if notes is None else notes
    documents: list[LabeledDocument] = []
    for path in map(Path, paths):
        if (path / "container").is_dir():
            read = list(read_review_dir(path, labels))
        elif path.is_file() and _starts_with(path, "["):
            read = list(read_label_studio(path, labels, notes))
        elif path.is_file():
            read = list(read_jsonl(path, group=f"file:{path.name}", labels=labels, notes=notes))
        elif not path.exists():
            raise DataError(path, None, "no such file or folder")
        else:
            raise DataError(path, None, "not a JSONL or JSON file, nor a folder with container/*.tsv")
        notes.count(read, path)
        documents.extend(read)
    if not documents:
        skipped = sum(notes.unlabeled.values())
        raise DataError(", ".join(map(str, paths)), None, "no labeled documents found"
                        + (f" ({skipped} unlabeled tasks or records skipped)" if skipped else ""))
    if own:
        _warn(notes)
    return documents


def _starts_with(path: Path, char: str) -> bool:
    with open(path, encoding="utf-8", errors="replace") as handle:
        return handle.read(4096).lstrip("\ufeff \t\r\n").startswith(char)


def fingerprint(documents: Iterable[LabeledDocument]) -> str:
    """A SHA-256 of the documents' ids, paragraphs and labels, in order: what the model was trained on."""
    digest = hashlib.sha256()
    for doc in documents:
        digest.update(json.dumps([doc.id, doc.paragraphs, [label.value for label in doc.labels]]).encode())
    return digest.hexdigest()
