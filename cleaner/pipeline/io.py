"""Input and output at the edges: finding and reading input files, writing cleaned text and JSONL atomically.

Decoding bytes to text is `cleaner.text.decode`; its names are imported here for the readers that use them."""

from __future__ import annotations

import errno
import gzip
import json
import os
import re
import sys
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..document import Document
from ..labels import Label
from ..files import atomic_write
from ..text.decode import UTF8, Decoded, InputError, decode, declared_charset
from ..text.segment import LONE_SURROGATE

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl",)
GZIP_SUFFIX = ".gz"  # any input may be gzipped: page.html.gz, docs.jsonl.gz
STDIN = "-"
SNIFF_BYTES = 512  # how much of standard input `sniff_stdin` looks at
HTML_START = re.compile(rb"<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|!--)")
TEXT, HTML, JSONL = "text", "html", "jsonl"  # what an input holds


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


def find_sources(
    paths: Iterable[str], stdin_kind: str | None = TEXT, folder_kinds: Collection[str] = (TEXT, HTML)
) -> Iterator[Source | InputError]:
    """The input files named or found under `paths`, in sorted order; errors for missing ones.

    Folders are searched recursively for files of `folder_kinds`, by default text and HTML files (.txt, .html,
    .htm, each maybe .gz); a file named
    on its own is JSONL when it ends in .jsonl(.gz), HTML when it ends in .html or .htm(.gz), else text.
    Standard input is of `stdin_kind`, or, when that is None, of the kind its first bytes show (`sniff_stdin`).
    """
    for name in paths:
        path = Path(name)
        if name == STDIN:
            yield Source(None, Path("stdin.txt"), stdin_kind or sniff_stdin())
        elif path.is_dir():
            yield from _walk(path, folder_kinds)
        elif path.is_file() or path.is_fifo():  # a pipe such as bash's <(...) too
            yield Source(path, Path(path.name), source_kind(path) or TEXT)
        elif path.exists():  # a device such as /dev/zero would never end
            yield InputError(f"{path}: not a regular file, folder or pipe")
        elif path.is_symlink():
            yield _broken_link(path)
        else:
            yield InputError(f"{path}: no such file or folder")


def sniff_stdin() -> str:
    """The kind of standard input, from its first bytes (peeked, not consumed): JSONL when it opens with "{", HTML
    when it opens with a doctype or an <html>, <head> or <body> tag, else text."""
    buffer = sys.stdin.buffer
    if hasattr(buffer, "peek"):
        start = buffer.peek(SNIFF_BYTES)[:SNIFF_BYTES]
    elif buffer.seekable():  # an in-memory stream (a test runner's)
        position = buffer.tell()
        start = buffer.read(SNIFF_BYTES)
        buffer.seek(position)
    else:
        start = b""
    start = start.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    if start.startswith(b"{"):
        return JSONL
    return HTML if HTML_START.match(start) else TEXT


def _walk(root: Path, kinds: Collection[str]) -> Iterator[Source | InputError]:
    """The files of `kinds` under `root` in sorted order; a folder that cannot be listed or a broken link is an error."""
    found: list[Path] = []
    errors: list[InputError] = []
    for folder, files in _folders(root, errors):
        for name in files:
            path = Path(folder, name)
            if source_kind(path) not in kinds:
                continue
            if path.is_file():
                found.append(path)
            else:
                errors.append(_broken_link(path) if path.is_symlink() else InputError(f"{path}: not a regular file"))
    yield from errors
    for path in sorted(found):
        yield Source(path, path.relative_to(root), source_kind(path) or TEXT)


def _folders(root: Path, errors: list[InputError]) -> Iterator[tuple[str, list[str]]]:
    """Each folder under `root` (itself included) with the names of its files, without following links to folders.
    Iterative, unlike os.walk on Python 3.11, which recursed and failed on folders nested a thousand deep."""
    stack = [str(root)]
    while stack:
        folder = stack.pop()
        files, folders = [], []
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    is_folder = entry.is_dir(follow_symlinks=False)
                    (folders if is_folder else files).append(entry.name)
        except OSError as error:
            errors.append(_listing_error(error))
            continue
        yield folder, files
        stack.extend(os.path.join(folder, name) for name in sorted(folders, reverse=True))


def _broken_link(path: Path) -> InputError:
    try:
        os.stat(path)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return InputError(f"{path}: symbolic link loop (it points to {os.readlink(path)}, which leads back to it)")
    return InputError(f"{path}: broken symbolic link (its target {os.readlink(path)} does not exist)")


def _listing_error(error: OSError) -> InputError:
    return InputError(f"{error.filename}: cannot list the folder ({error.strerror}); its files were not read")


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


def open_binary(path: Path) -> IO[bytes]:
    """A file for reading bytes, decompressed on the fly when its name ends in .gz."""
    return gzip.open(path, "rb") if path.name.lower().endswith(GZIP_SUFFIX) else open(path, "rb")


def read_source(source: Source) -> Decoded:
    """The decoded text of a text or HTML source (see `decode`; a page's declared charset counts);
    unreadable or binary input is an InputError naming it."""
    data = read_bytes(source)
    return decode(data, source.name, declared_charset(data) if source.kind == HTML else None)


def kept_text(document: Document, keep: frozenset[Label]) -> str:
    """The document's kept paragraphs, one per line: the title first (once), then the rest in order."""
    lines = [document.title] if Label.HEADLINE in keep and document.title else []
    lines.extend(p.text for p in document.paragraphs if p.label in keep and p.label is not Label.HEADLINE)
    return "\n".join(lines) + "\n" if lines else ""


def write_text(path: Path, text: str) -> None:
    atomic_write(path, lambda handle: handle.write(text))


# Characters that JSON may hold raw but that str.splitlines() and many editors take for line ends: escaped, so that
# one record is one line for every reader.
LINE_BREAK_ESCAPES = {0x85: "\\u0085", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def json_line(record: dict[str, Any]) -> str:
    """One JSONL line, UTF-8 readable; lone surrogates (which UTF-8 cannot hold) and the Unicode line breaks that
    JSON does not escape are written as \\u escapes."""
    line = json.dumps(record, ensure_ascii=False)
    return (json.dumps(record) if LONE_SURROGATE.search(line) else line.translate(LINE_BREAK_ESCAPES)) + "\n"


def read_jsonl_records(
    handle: IO[bytes], name: str, check: Callable[[dict[str, Any]], str | None] | None = None
) -> Iterator[dict[str, Any] | InputError]:
    """The JSON objects of a (UTF-8) JSONL stream, with an InputError (naming the line) in place of each bad line.

    `check` says what is wrong with a record, if anything (default: `labelable_problem`).
    """
    check = check or labelable_problem
    try:
        for number, raw in enumerate(handle, 1):
            try:
                line = raw.decode("utf-8-sig" if number == 1 else UTF8)
            except UnicodeDecodeError as error:
                yield InputError(f"{name}:{number}: not UTF-8 (byte {error.start} of the line: {error.reason}); "
                                 "JSONL is UTF-8")
                continue
            if line.strip():
                yield _json_record(line, f"{name}:{number}", check)
    except (OSError, EOFError) as error:  # a truncated or corrupt .gz
        yield InputError(f"{name}: cannot read further ({error})")


def _json_record(line: str, where: str, check: Callable[[dict[str, Any]], str | None]) -> dict[str, Any] | InputError:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return InputError(f"{where}: not valid JSON ({error.msg.removesuffix(' at')} at column {error.colno})")
    if not isinstance(record, dict):
        return InputError(f"{where}: expected a JSON object {{...}}, not {json_kind(record)}")
    if problem := check(record):
        return InputError(f"{where}: {problem}")
    return record


def json_kind(value: Any) -> str:
    """What a parsed JSON value is, in JSON's words: "an array", "a string", "null", ..."""
    if value is None:
        return "null"
    kinds = ((bool, "true or false"), (str, "a string"), (list, "an array"), (dict, "an object"), ((int, float), "a number"))
    return next((name for kind, name in kinds if isinstance(value, kind)), type(value).__name__)


def labelable_problem(record: dict[str, Any]) -> str | None:
    """What keeps a record from being labeled: it needs a list of strings "paragraphs" or a string "text"."""
    paragraphs = record.get("paragraphs", [])
    if not isinstance(paragraphs, list) or not all(isinstance(p, str) for p in paragraphs) \
            or not isinstance(record.get("text", ""), str):
        return "'paragraphs' must be a list of strings and 'text' a string"
    if "paragraphs" not in record and "text" not in record:
        return "the record has neither 'paragraphs' nor 'text'"
    return None
