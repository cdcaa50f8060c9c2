"""Readers of labeled training data.

Four layouts are read:
- the JSONL format of LABELING.md, one document per line ({"id", "paragraphs", "labels"});
- the review layout of ../shared/data/train: container/ID.tsv (index, prelabel, text) with review/ID.fix overrides;
- doccano classification exports: JSONL with one paragraph per line ({"text", "label", ...});
- Label Studio JSON-MIN exports: a JSON array with one paragraph per task.

In the last two, each paragraph names its document in a field (`doc_id`, `document_id` or `document`, at the
top level or under `meta`/`metadata`) and, optionally, its place in it (`index`, `paragraph_index` or `position`;
file order otherwise). A `LabelMap` maps the labeling tool's names onto the six labels.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

from ..labels import LABELS, Label

DOCUMENT_ID_FIELDS = ("doc_id", "document_id", "document")
POSITION_FIELDS = ("index", "paragraph_index", "position")
META_FIELDS = ("meta", "metadata")
# Fields of an export record that never hold the paragraph's label.
NOT_LABEL_FIELDS = frozenset({"id", "text", "annotator", "annotation_id", "created_at", "updated_at", "lead_time",
                              *DOCUMENT_ID_FIELDS, *POSITION_FIELDS, *META_FIELDS})


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
    """Label names of a labeling project mapped onto the six labels; a name not mapped must be one of them."""

    names: Mapping[str, Label] = field(default_factory=dict)

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


def read_jsonl(path: Path, group: str | None = None, labels: LabelMap = LabelMap()) -> Iterator[LabeledDocument]:
    """Labeled documents from a JSONL file of documents, or of paragraphs (a doccano export).

    All documents of a file of documents share `group` when one is given (as the seeds do).
    """
    records = jsonl_records(path)
    first = next(records, None)
    if first is None:
        return
    if "paragraphs" in first[1]:
        for number, record in chain([first], records):
            yield _record_document(path, number, record, group, labels)
    else:
        yield from _paragraph_documents(path, chain([first], records), labels)


def read_label_studio(path: Path, labels: LabelMap = LabelMap()) -> Iterator[LabeledDocument]:
    """Labeled documents from a Label Studio JSON-MIN export (a JSON array, one paragraph per task)."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            tasks = json.load(handle)
    except json.JSONDecodeError as error:
        raise DataError(path, error.lineno, f"not valid JSON ({error.msg})") from None
    if not isinstance(tasks, list):
        raise DataError(path, None, "a Label Studio JSON-MIN export is a JSON array of tasks")
    yield from _paragraph_documents(path, enumerate(tasks, 1), labels, unit="task")


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


def _paragraph_documents(
    path: Path, records: Iterable[tuple[int, Any]], labels: LabelMap, unit: str = "line"
) -> Iterator[LabeledDocument]:
    """Documents assembled from one-paragraph records, in the order their first paragraph appears."""
    documents: dict[str, list[tuple[float, int, str, Label]]] = {}
    for number, record in records:
        where = number if unit == "line" else None
        if not isinstance(record, dict):
            raise DataError(path, where, f"{unit} {number}: expected a JSON object")
        text, label, doc_id, position = _paragraph_fields(path, where, record, labels, f"{unit} {number}")
        documents.setdefault(doc_id, []).append((position if position is not None else number, number, text, label))
    for doc_id, rows in documents.items():
        rows.sort()
        yield LabeledDocument(doc_id, tuple(r[2] for r in rows), tuple(r[3] for r in rows), doc_id)


def _paragraph_fields(
    path: Path, line: int | None, record: dict, labels: LabelMap, where: str
) -> tuple[str, Label, str, float | None]:
    """A paragraph record's text, label, document id and position (None: use the file's order)."""
    fields = {**_meta(record), **record}
    text = fields.get("text")
    if not isinstance(text, str):
        raise DataError(path, line, f'{where}: a paragraph record needs a "text" string')
    doc_id = next((fields[name] for name in DOCUMENT_ID_FIELDS if name in fields), None)
    if doc_id is None:
        raise DataError(path, line, f"{where}: no document id (one of {', '.join(DOCUMENT_ID_FIELDS)}, "
                                    "at the top level or under meta)")
    position = next((fields[name] for name in POSITION_FIELDS if name in fields), None)
    if position is not None and not isinstance(position, (int, float)):
        raise DataError(path, line, f"{where}: paragraph position {position!r} is not a number")
    return text, _record_label(path, line, record, labels, where), str(doc_id), position


def _meta(record: dict) -> dict:
    return next((record[name] for name in META_FIELDS if isinstance(record.get(name), dict)), {})


def _record_label(path: Path, line: int | None, record: dict, labels: LabelMap, where: str) -> Label:
    """The one label of a doccano record ("label": ["body"]) or a JSON-MIN task ("<choices name>": "body")."""
    names = [record[key] for key in ("label", "labels") if key in record]
    if not names:
        names = [value for key, value in record.items() if key not in NOT_LABEL_FIELDS and _choice(value) is not None]
    if len(names) != 1:
        raise DataError(path, line, f'{where}: expected one label field ("label" or a choices field), found {len(names)}')
    value = _choice(names[0])
    if value is None:
        raise DataError(path, line, f"{where}: expected exactly one label, found {names[0]!r}")
    return labels.label(path, line, value)


def _choice(value: Any) -> str | None:
    """The single choice in a label value: "body", ["body"] or {"choices": ["body"]}; None otherwise."""
    if isinstance(value, dict):
        value = value.get("choices")
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    return value if isinstance(value, str) else None


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


def read_labeled(paths: Iterable[Path | str], labels: LabelMap = LabelMap()) -> list[LabeledDocument]:
    """Every labeled document under `paths`: review folders, JSONL files and Label Studio JSON-MIN exports.

    A JSONL file of whole documents forms one group, so a small hand-labeled set such as the seeds,
    which all tell one story, is held out together in cross-validation.
    """
    documents: list[LabeledDocument] = []
    for path in map(Path, paths):
        if (path / "container").is_dir():
            documents.extend(read_review_dir(path, labels))
        elif path.is_file() and _starts_with(path, "["):
            documents.extend(read_label_studio(path, labels))
        elif path.is_file():
            documents.extend(read_jsonl(path, group=f"file:{path.name}", labels=labels))
        elif not path.exists():
            raise DataError(path, None, "no such file or folder")
        else:
            raise DataError(path, None, "not a JSONL or JSON-MIN file, nor a folder with container/*.tsv")
    if not documents:
        raise DataError(", ".join(map(str, paths)), None, "no labeled documents found")
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
