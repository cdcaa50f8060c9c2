"""Input and output at the edges: finding and reading input files, writing cleaned text and JSONL atomically."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .document import Document
from .labels import Label
from .persist import atomic_write

TEXT_SUFFIXES = (".txt",)
STDIN = "-"


class InputError(ValueError):
    """An input that cannot be read; the message names the file (and line) and the problem."""


@dataclass(frozen=True, slots=True)
class Source:
    """One input file, and where its output goes relative to the output folder."""

    path: Path | None  # None: standard input
    relative: Path

    @property
    def name(self) -> str:
        return str(self.path) if self.path else "<stdin>"


def find_sources(paths: Iterable[str], suffixes: Sequence[str] = TEXT_SUFFIXES) -> Iterator[Source | InputError]:
    """The input files named or found (recursively, with `suffixes`) under `paths`, in sorted order; errors for missing ones."""
    for name in paths:
        if name == STDIN:
            yield Source(None, Path("stdin.txt"))
            continue
        path = Path(name)
        if path.is_dir():
            for found in sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in suffixes):
                yield Source(found, found.relative_to(path))
        elif path.is_file():
            yield Source(path, Path(path.name))
        else:
            yield InputError(f"{path}: no such file or folder")


def read_source(source: Source) -> str:
    """The text of a source, decoded as UTF-8 (a BOM is dropped); undecodable bytes are an error, never mojibake."""
    try:
        data = sys.stdin.buffer.read() if source.path is None else source.path.read_bytes()
    except OSError as error:
        raise InputError(f"{source.name}: cannot read ({error.strerror})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{source.name}: not UTF-8 text (byte {error.start}: {error.reason})") from None


def kept_text(document: Document, keep: frozenset[Label]) -> str:
    """The document's kept paragraphs, one per line: the title first (once), then the rest in order."""
    lines = [document.title] if Label.HEADLINE in keep and document.title else []
    lines.extend(p.text for p in document.paragraphs if p.label in keep and p.label is not Label.HEADLINE)
    return "\n".join(lines) + "\n" if lines else ""


def write_text(path: Path, text: str) -> None:
    atomic_write(path, lambda handle: handle.write(text))


def json_line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"


def read_jsonl_records(handle: IO[str], name: str) -> Iterator[dict[str, Any] | InputError]:
    """The JSON objects of a JSONL stream, with an InputError (naming the line) in place of each bad line."""
    for number, line in enumerate(handle, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            yield InputError(f"{name}:{number}: not valid JSON ({error.msg})")
            continue
        if not isinstance(record, dict):
            yield InputError(f"{name}:{number}: expected a JSON object, got {type(record).__name__}")
        elif not isinstance(record.get("paragraphs", []), list) or not isinstance(record.get("text", ""), str):
            yield InputError(f"{name}:{number}: 'paragraphs' must be a list of strings and 'text' a string")
        elif "paragraphs" not in record and "text" not in record:
            yield InputError(f"{name}:{number}: the record has neither 'paragraphs' nor 'text'")
        else:
            yield record
