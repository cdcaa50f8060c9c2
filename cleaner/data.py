"""Readers of labeled training data: the JSONL format of LABELING.md and the TSV + .fix review layout."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .labels import Label


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


def read_jsonl(path: Path, group: str | None = None) -> Iterator[LabeledDocument]:
    """Labeled documents from a JSONL file; all of them share `group` when one is given (as the seeds do)."""
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                yield _record_document(path, number, line, group)


def _record_document(path: Path, number: int, line: str, group: str | None) -> LabeledDocument:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise DataError(path, number, f"not valid JSON ({error.msg})") from None
    if not isinstance(record, dict):
        raise DataError(path, number, "expected a JSON object")
    paragraphs, labels = record.get("paragraphs"), record.get("labels")
    if not isinstance(paragraphs, list) or not isinstance(labels, list):
        raise DataError(path, number, 'a labeled record needs the lists "paragraphs" and "labels"')
    if len(paragraphs) != len(labels):
        raise DataError(path, number, f"{len(paragraphs)} paragraphs but {len(labels)} labels")
    doc_id = str(record.get("id", f"{path.stem}:{number}"))
    return LabeledDocument(doc_id, tuple(map(str, paragraphs)), _parse_labels(path, number, labels), group or doc_id)


def _parse_labels(path: Path, number: int, names: Iterable[str]) -> tuple[Label, ...]:
    return tuple(_parse_label(path, number, str(name)) for name in names)


def _parse_label(path: Path, number: int, name: str) -> Label:
    try:
        return Label.parse(name)
    except ValueError as error:
        raise DataError(path, number, str(error)) from None


def read_review_dir(root: Path) -> Iterator[LabeledDocument]:
    """Documents from `root/container/ID.tsv` (index, prelabel, text) with `root/review/ID.fix` overrides."""
    for tsv in sorted((root / "container").glob("*.tsv")):
        fix_path = root / "review" / f"{tsv.stem}.fix"
        fixes = _read_fixes(fix_path)
        paragraphs, labels = [], []
        with open(tsv, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                fields = line.rstrip("\n").split("\t", 2)
                if len(fields) != 3:
                    raise DataError(tsv, number, "expected index<TAB>prelabel<TAB>text")
                index, prelabel, text = fields
                paragraphs.append(text)
                labels.append(fixes.pop(index)[0] if index in fixes else _parse_label(tsv, number, prelabel))
        if fixes:
            raise DataError(fix_path, min(n for _, n in fixes.values()), f"fixes for missing indices {sorted(fixes)}")
        yield LabeledDocument(tsv.stem, tuple(paragraphs), tuple(labels), tsv.stem)


def _read_fixes(path: Path) -> dict[str, tuple[Label, int]]:
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
                fixes[fields[0]] = (_parse_label(path, number, fields[1]), number)
    return fixes


def read_labeled(paths: Iterable[Path | str]) -> list[LabeledDocument]:
    """Every labeled document under `paths`: review folders (with container/) or JSONL files.

    A JSONL file's documents form one group, so a small hand-labeled set such as the seeds,
    which all tell one story, is held out together in cross-validation.
    """
    documents: list[LabeledDocument] = []
    for path in map(Path, paths):
        if (path / "container").is_dir():
            documents.extend(read_review_dir(path))
        elif path.is_file():
            documents.extend(read_jsonl(path, group=f"file:{path.name}"))
        else:
            raise DataError(path, None, "neither a JSONL file nor a folder with container/*.tsv")
    if not documents:
        raise DataError(", ".join(map(str, paths)), None, "no labeled documents found")
    return documents


def fingerprint(documents: Iterable[LabeledDocument]) -> str:
    """A SHA-256 of the documents' ids, paragraphs and labels, in order: what the model was trained on."""
    digest = hashlib.sha256()
    for doc in documents:
        digest.update(json.dumps([doc.id, doc.paragraphs, [label.value for label in doc.labels]]).encode())
    return digest.hexdigest()
