"""Input and output at the edges: finding and reading input files, writing cleaned text and JSONL atomically."""

from __future__ import annotations

import codecs
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

from charset_normalizer import from_bytes

from .document import Document
from .labels import Label
from .persist import atomic_write
from .segment import LONE_SURROGATE

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl",)
GZIP_SUFFIX = ".gz"  # any input may be gzipped: page.html.gz, docs.jsonl.gz
STDIN = "-"
SNIFF_BYTES = 512  # how much of standard input `sniff_stdin` looks at
HTML_START = re.compile(rb"<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|!--)")
TEXT, HTML, JSONL = "text", "html", "jsonl"  # what an input holds
UTF8 = "utf-8"

# Byte-order marks, UTF-32 first: the UTF-32 LE mark begins with the UTF-16 LE one.
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
# Binary formats that turn up among scraped files, named for a clearer message than "not text".
BINARY_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF87a": "a GIF image",
    b"GIF89a": "a GIF image", b"%PDF-": "a PDF document", b"PK\x03\x04": "a ZIP archive or office document",
    b"\x1f\x8b": "gzip-compressed data", b"\x7fELF": "an executable",
}
# The commonest legacy encoding of Western pages (WHATWG decodes pages labelled latin-1 with it too).
WESTERN_ENCODING = "cp1252"
# charset-normalizer's "mess" ratio above which its guess is not trusted.
MAX_CHAOS = 0.2
# In Western European text most letters are ASCII; Cyrillic or Greek read as cp1252 are mostly accented letters.
MAX_NON_ASCII_LETTER_SHARE = 0.3
# Non-ASCII characters other than letters that Western text written in cp1252 commonly holds.
WESTERN_PUNCTUATION = frozenset("\u00a0“”‘’„‚–—…«»‹›€£¥¢°§©®™·•×÷¡¿†‡‰ªº")
# Control characters that text does not hold (tab, line and page breaks are text); C1 controls mean mojibake.
CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x9f]")
# CONTROL's characters in UTF-8: the one-byte ones (no byte below 0x80 is part of a longer character), and
# U+0080-U+009F, which are 0xC2 then a byte 0x80-0x9F. Counted on the bytes, a page's controls cost a few times less.
C0_CONTROL_BYTES = bytes(range(0x00, 0x09)) + bytes(range(0x0E, 0x1C)) + b"\x7f"
C1_CONTROL_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
ASCII_LETTER = re.compile("[A-Za-z]")
# Share of control characters above which decoded "text" is taken for binary data, if there are at least
# MIN_BINARY_CONTROLS of them: a few stray escapes in a short text do not make it binary.
MAX_CONTROL_SHARE = 0.05
MIN_BINARY_CONTROLS = 16
# Characters looked at by the checks that read the text, so that a 50 MB file costs no more than a small one.
SAMPLE_CHARS = 1 << 20
# Encodings that declare themselves: UTF-8 (valid UTF-8 is taken for it) and those of a byte-order mark.
SELF_EVIDENT_ENCODINGS = (UTF8, "utf-8-sig", "utf-16", "utf-32")
# Where the declared charset of a page is looked for (the HTML spec asks browsers to look at the first 1024
# bytes; real pages put long scripts first, so look further).
CHARSET_SCAN_BYTES = 4096
DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.+-]+)""", re.IGNORECASE)
# Browsers decode pages labelled Latin-1 or ASCII as windows-1252 (WHATWG Encoding Standard); so do we.
CHARSET_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252"}


class InputError(ValueError):
    """An input that cannot be read; the message names the file (and line) and the problem."""


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text decoded from bytes, and the encoding it was decoded from."""

    text: str
    encoding: str
    guessed: bool = False  # detected, rather than declared (UTF-8, a byte-order mark, a page's charset)


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


def decode_bytes(data: bytes, name: str) -> str:
    """The text of `data` (see `decode`); `name` (a file name) is what error messages name."""
    return decode(data, name).text


def decode_html(data: bytes, name: str = "<html>") -> str:
    """The text of an HTML page: as `decode`, with the charset the page declares before any guess."""
    return decode(data, name, declared_charset(data)).text


def declared_charset(data: bytes) -> str | None:
    """The charset named by a page's ``<meta charset>`` or ``http-equiv`` tag, if any, as a Python codec name."""
    match = DECLARED_CHARSET.search(data[:CHARSET_SCAN_BYTES])
    if not match:
        return None
    name = match.group(1).decode("ascii").lower()
    return CHARSET_ALIASES.get(name, name)


def decode(data: bytes, name: str, declared: str | None = None) -> Decoded:
    """Decode UTF-8 or a byte-order mark's encoding, else the `declared` one (a page's charset), else a detected
    legacy encoding; never silent mojibake.

    Binary data (a known signature, NUL bytes, many control characters) and text whose encoding cannot be
    told reliably are InputErrors: they are reported, not decoded into garbage.
    """
    encoding = detect_encoding(data, name, declared)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise InputError(f"{name}: not valid {encoding} text (byte {error.start}: {error.reason})") from None
    sample = text[:SAMPLE_CHARS]
    controls = control_count(data, text, encoding)
    if controls > max(MAX_CONTROL_SHARE * len(sample), MIN_BINARY_CONTROLS):
        raise InputError(f"{name}: binary data, not text ({controls} control characters in {len(sample)})")
    return Decoded(text, encoding, guessed=encoding not in (*SELF_EVIDENT_ENCODINGS, declared))


def control_count(data: bytes, text: str, encoding: str) -> int:
    """How many CONTROL characters the first SAMPLE_CHARS of `text` (decoded from `data` with `encoding`) hold; a
    UTF-8 text that fits in the sample is counted on its bytes."""
    if encoding != UTF8 or len(text) > SAMPLE_CHARS:
        return len(CONTROL.findall(text[:SAMPLE_CHARS]))
    return len(data) - len(data.translate(None, C0_CONTROL_BYTES)) + len(C1_CONTROL_UTF8.findall(data))


def detect_encoding(data: bytes, name: str, declared: str | None = None) -> str:
    """The encoding of `data`: a byte-order mark's, UTF-8, UTF-16/32 without a mark, the `declared` one if it
    decodes `data`, or a detected legacy one."""
    for mark, encoding in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            return encoding
    for signature, kind in BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise InputError(f"{name}: binary data ({kind}), not text")
    if b"\0" in data:
        return _wide_encoding(data, name)
    try:
        data.decode(UTF8)
        return UTF8
    except UnicodeDecodeError as error:
        _refuse_mixed_utf8(data, error, name)
    if declared and _decodes(data, declared):
        return declared
    return _legacy_encoding(data, name)


def _refuse_mixed_utf8(data: bytes, error: UnicodeDecodeError, name: str) -> None:
    """An InputError for bytes that are UTF-8, non-ASCII letters included, up to a byte that is not: two encodings in
    one file (UTF-8 lines, then cp1252 ones, say), which no single decoding reads without mojibake."""
    before = data[: error.start]
    if before.isascii():  # nothing showed it was UTF-8: one legacy encoding throughout
        return
    line = before.count(b"\n") + 1
    raise InputError(f"{name}: UTF-8 up to byte {error.start} (line {line}), then not UTF-8 ({error.reason}): "
                     "two encodings in one file; convert it to UTF-8 (for example with iconv)")


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return False
    return True


def _wide_encoding(data: bytes, name: str) -> str:
    """UTF-16 or UTF-32 without a byte-order mark; any other data with NUL bytes is binary."""
    match = from_bytes(data).best()
    if match is not None and match.encoding.startswith(("utf_16", "utf_32")) and match.chaos <= MAX_CHAOS:
        return match.encoding
    raise InputError(f"{name}: binary data (it holds NUL bytes), not text")


def _legacy_encoding(data: bytes, name: str) -> str:
    """cp1252 when charset-normalizer finds it plausible and the text reads as Western; else its best clear guess."""
    matches = [match for match in from_bytes(data) if match.chaos <= MAX_CHAOS]
    if any(WESTERN_ENCODING in match.could_be_from_charset for match in matches) and _reads_as_western(data):
        return WESTERN_ENCODING
    if matches:
        return matches[0].encoding
    raise InputError(f"{name}: not UTF-8, and its encoding cannot be told reliably; "
                     "convert it to UTF-8 (for example with iconv -f ENCODING -t UTF-8)")


def _reads_as_western(data: bytes) -> bool:
    """Whether `data` read as cp1252 looks like Western European text: accented letters among mostly ASCII ones."""
    try:
        text = data[:SAMPLE_CHARS].decode(WESTERN_ENCODING)
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
        return False
    non_ascii = [c for c in text if ord(c) > 0x7F]
    if not all(c.isalpha() or c in WESTERN_PUNCTUATION for c in non_ascii):
        return False
    accented = sum(c.isalpha() for c in non_ascii)
    return accented <= MAX_NON_ASCII_LETTER_SHARE * (accented + len(ASCII_LETTER.findall(text)))


def kept_text(document: Document, keep: frozenset[Label]) -> str:
    """The document's kept paragraphs, one per line: the title first (once), then the rest in order."""
    lines = [document.title] if Label.HEADLINE in keep and document.title else []
    lines.extend(p.text for p in document.paragraphs if p.label in keep and p.label is not Label.HEADLINE)
    return "\n".join(lines) + "\n" if lines else ""


def write_text(path: Path, text: str) -> None:
    atomic_write(path, lambda handle: handle.write(text))


def json_line(record: dict[str, Any]) -> str:
    """One JSONL line, UTF-8 readable; lone surrogates (which UTF-8 cannot hold) are written as \\u escapes."""
    line = json.dumps(record, ensure_ascii=False)
    return (json.dumps(record) if LONE_SURROGATE.search(line) else line) + "\n"


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
