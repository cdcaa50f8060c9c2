"""Where outputs go: output paths, refusing to overwrite inputs, and the resumable JSONL output of `clean`."""

from __future__ import annotations

import gzip
import io
import json
import os
import zlib
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from .corpus import GZIP_MTIME
from .io import GZIP_SUFFIX, output_name
from ..files import make_folders

GZIP_WBITS = 16 + zlib.MAX_WBITS  # zlib reads (and checks) a gzip header and trailer


class OutputError(ValueError):
    """An output that cannot be written as asked (it would replace an input, say): a usage error."""


def text_output_path(folder: Path, relative: Path) -> Path:
    """Where the cleaned text of an input goes: its path under the input folder (see `output_name`), mirrored
    under `folder`."""
    return folder / output_name(relative)


def partial_path(path: Path) -> Path:
    """Where a resumable output grows until it is complete: hidden, and named so that it never looks finished."""
    return path.with_name(f".{path.name}.part")


def refuse_overwriting_inputs(outputs: Iterable[Path], inputs: Iterable[Path]) -> None:
    """Raise OutputError when an output would replace an input file (the same file, by any path or link)."""
    existing = {_identity(path): path for path in inputs if _identity(path)}
    for output in outputs:
        identity = _identity(output)
        if identity in existing:
            raise OutputError(f"{output}: the output would overwrite the input {existing[identity]}; "
                              "choose another -o")


def refuse_output_inside_inputs(output: Path, inputs: Iterable[str]) -> None:
    """Raise OutputError when the output (folder or file) lies inside an input folder: the next run would read
    what this one wrote as inputs."""
    target = output.resolve()
    if target.is_file():  # an output that is (or links to) an input is refused as such, by refuse_overwriting_inputs
        return
    for name in inputs:
        folder = Path(name)
        if name != "-" and folder.is_dir() and target != folder.resolve() and target.is_relative_to(folder.resolve()):
            raise OutputError(f"{output}: inside the input folder {folder}, so a later run would clean its outputs "
                              "again; choose an -o outside it")


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


def _record_id(record: dict[str, Any]) -> Any:
    return record.get("id")


class ResumableJsonl:
    """A JSONL output written record by record to a hidden .part file and renamed into place when complete;
    gzip-compressed when its name ends in .gz.

    With `resume`, the complete records of an earlier partial file (or of a finished output) are kept and their
    ids (`key` of a record; records without one cannot be told apart and are not counted) are in `done`; a
    half-written last line is cut off. An interrupted run leaves only the .part file, so nothing that looks
    finished is ever incomplete.
    """

    def __init__(self, path: Path, resume: bool = False, key: Callable[[dict[str, Any]], Any] = _record_id) -> None:
        self.path = path
        self.partial = partial_path(path)
        self.resume = resume
        self.key = key
        self.done: Counter[Any] = Counter()  # records held per id: input ids may repeat
        self.gzip = path.name.lower().endswith(GZIP_SUFFIX)
        self._handle: IO[str] | None = None
        self._file: IO[bytes] | None = None

    def __enter__(self) -> ResumableJsonl:
        try:
            return self._open()
        except OSError as error:
            raise OSError(error.errno, error.strerror, error.filename or str(self.partial)) from None

    def _open(self) -> ResumableJsonl:
        make_folders(self.path.parent)
        start = self.partial if self.partial.exists() else self.path
        lines = b""
        if self.resume and start.exists():  # a finished output too: continue from a copy of it
            data = start.read_bytes()
            lines, self.done = _complete_lines(_gunzipped_prefix(data) if self.gzip else data, self.key)
        self._file = open(self.partial, "wb")
        raw: IO[bytes] = self._file
        if self.gzip:  # flushed per record (a sync flush), so that a cut-off file still decompresses
            raw = gzip.GzipFile(fileobj=self._file, mode="wb", mtime=GZIP_MTIME)
        raw.write(lines)
        self._handle = io.TextIOWrapper(raw, encoding="utf-8", newline="", write_through=True)
        return self

    def holds(self, record: dict[str, Any]) -> bool:
        """Whether the output already holds `record` (by its key), so that a resumed run skips it. Records that share
        an id are told apart by their order: when the output holds N records of an id, the first N of the input are
        done, and the others are cleaned (so repeated ids never lose a record)."""
        key = self.key(record)
        if key is None or self.done[_hashable(key)] <= 0:
            return False
        self.done[_hashable(key)] -= 1
        return True

    def write(self, line: str) -> None:
        """Append one record's line; flushed, so that a killed run keeps every record it finished."""
        assert self._handle is not None
        try:
            self._handle.write(line)
            self._handle.flush()
        except OSError as error:  # a full disk: the records before this one stay in the .part file
            raise OSError(error.errno, error.strerror, str(self.partial)) from None

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        assert self._handle is not None and self._file is not None
        try:
            self._handle.close()  # and a GzipFile's trailer; it leaves the file it was given open
        except OSError:
            if kind is None:
                raise
        finally:
            self._file.close()
        if kind is None:  # on an error the .part file stays, for --resume
            os.replace(self.partial, self.path)


def _complete_lines(data: bytes, key: Callable[[dict[str, Any]], Any]) -> tuple[bytes, Counter[Any]]:
    """The complete records at the start of JSONL `data`, up to the first incomplete one, and how many of them
    each key has."""
    keys: Counter[Any] = Counter()
    keep = 0
    for raw in data.splitlines(keepends=True):
        record = _complete_record(raw)
        if record is None:
            break
        if (value := key(record)) is not None:
            keys[_hashable(value)] += 1
        keep += len(raw)
    return data[:keep], keys


def _gunzipped_prefix(data: bytes) -> bytes:
    """As much of gzip `data` (one or more members) as decompresses: a killed run leaves a cut-off member."""
    pieces = []
    while data:
        inflater = zlib.decompressobj(GZIP_WBITS)
        try:
            pieces.append(inflater.decompress(data))
        except zlib.error:
            break
        if not inflater.eof:
            break
        data = inflater.unused_data
    return b"".join(pieces)


def _complete_record(raw: bytes) -> dict[str, Any] | None:
    """The record on a whole line (ending in a line break) that parses as a JSON object, else None."""
    if not raw.endswith(b"\n"):
        return None
    try:
        record = json.loads(raw)
    except ValueError:  # also UnicodeDecodeError
        return None
    return record if isinstance(record, dict) else None


def _hashable(value: Any) -> Any:
    return json.dumps(value, sort_keys=True) if isinstance(value, (dict, list)) else value
