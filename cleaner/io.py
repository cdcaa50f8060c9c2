"""Input and output at the edges: finding and reading input files, writing cleaned text and JSONL atomically."""

from __future__ import annotations

import gzip
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .document import Document
from .labels import Label
from .persist import atomic_write

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl",)
GZIP_SUFFIX = ".gz"  # any input may be gzipped: page.html.gz, docs.jsonl.gz
STDIN = "-"
TEXT, HTML, JSONL = "text", "html", "jsonl"  # what an input holds


class InputError(ValueError):
    """An input that cannot be read; the message names the file (and line) and the problem."""


@dataclass(frozen=True, slots=True)
class Source:
    """One input file, and where its output goes relative to the output folder."""

    path: Path | None  # None: standard input
    relative: Path
    kind: str = TEXT  # TEXT, HTML or JSONL

    @property
    def name(self) -> str:
        return str(self.path) if self.path else "<stdin>"


def source_kind(path: Path) -> str | None:
    """What a file holds, from its name (gzipped or not): TEXT, HTML, JSONL, or None for another suffix."""
    suffixes = [suffix.lower() for suffix in path.suffixes[-2:]]
    if suffixes and suffixes[-1] == GZIP_SUFFIX:
        suffixes.pop()
    suffix = suffixes[-1] if suffixes else ""
    kinds = {**dict.fromkeys(TEXT_SUFFIXES, TEXT), **dict.fromkeys(HTML_SUFFIXES, HTML), **dict.fromkeys(JSONL_SUFFIXES, JSONL)}
    return kinds.get(suffix)


def output_name(relative: Path) -> Path:
    """The .txt file a text or HTML input is cleaned to: page.html.gz -> page.txt."""
    name = relative.name[: -len(GZIP_SUFFIX)] if relative.name.lower().endswith(GZIP_SUFFIX) else relative.name
    return relative.with_name(name).with_suffix(".txt")


def find_sources(paths: Iterable[str], stdin_kind: str = TEXT) -> Iterator[Source | InputError]:
    """The input files named or found under `paths`, in sorted order; errors for missing ones.

    Folders are searched recursively for text and HTML files (.txt, .html, .htm, each maybe .gz); a file named
    on its own is JSONL when it ends in .jsonl(.gz), HTML when it ends in .html or .htm(.gz), else text.
    """
    for name in paths:
        if name == STDIN:
            yield Source(None, Path("stdin.txt"), stdin_kind)
            continue
        path = Path(name)
        if path.is_dir():
            for found in sorted(p for p in path.rglob("*") if p.is_file() and source_kind(p) in (TEXT, HTML)):
                yield Source(found, found.relative_to(path), source_kind(found) or TEXT)
        elif path.is_file():
            yield Source(path, Path(path.name), source_kind(path) or TEXT)
        else:
            yield InputError(f"{path}: no such file or folder")


def read_bytes(source: Source) -> bytes:
    """The bytes of a source, decompressed when its name ends in .gz."""
    try:
        data = sys.stdin.buffer.read() if source.path is None else source.path.read_bytes()
        if source.path is not None and source.path.name.lower().endswith(GZIP_SUFFIX):
            data = gzip.decompress(data)
    except OSError as error:
        raise InputError(f"{source.name}: cannot read ({error.strerror or error})") from None
    except EOFError:
        raise InputError(f"{source.name}: the gzip file is truncated") from None
    return data


def open_text(path: Path) -> IO[str]:
    """A UTF-8 text file for reading, decompressed on the fly when its name ends in .gz."""
    if path.name.lower().endswith(GZIP_SUFFIX):
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


def read_source(source: Source) -> str:
    """The text of a source, decoded as UTF-8 (a BOM is dropped); undecodable bytes are an error, never mojibake."""
    data = read_bytes(source)
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


def read_jsonl_records(
    handle: IO[str], name: str, check: Callable[[dict[str, Any]], str | None] | None = None
) -> Iterator[dict[str, Any] | InputError]:
    """The JSON objects of a JSONL stream, with an InputError (naming the line) in place of each bad line.

    `check` says what is wrong with a record, if anything (default: it needs "paragraphs" or "text").
    """
    check = check or labelable_problem
    try:
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
            elif problem := check(record):
                yield InputError(f"{name}:{number}: {problem}")
            else:
                yield record
    except (OSError, EOFError, UnicodeDecodeError) as error:  # a truncated .gz, bytes that are not UTF-8
        yield InputError(f"{name}: cannot read further ({error})")


def labelable_problem(record: dict[str, Any]) -> str | None:
    """What keeps a record from being labeled: it needs a list "paragraphs" or a string "text"."""
    if not isinstance(record.get("paragraphs", []), list) or not isinstance(record.get("text", ""), str):
        return "'paragraphs' must be a list of strings and 'text' a string"
    if "paragraphs" not in record and "text" not in record:
        return "the record has neither 'paragraphs' nor 'text'"
    return None
