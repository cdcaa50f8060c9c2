"""Where outputs go: output paths, refusing to overwrite inputs, and the resumable JSONL output of `clean`."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from .io import Source

TEXT_OUTPUT_SUFFIX = ".txt"


class OutputError(ValueError):
    """An output that cannot be written as asked (it would replace an input, say): a usage error."""


def text_output_path(folder: Path, source: Source) -> Path:
    """Where the cleaned text of `source` goes: its path under the input folder, mirrored under `folder`."""
    return folder / source.relative.with_suffix(TEXT_OUTPUT_SUFFIX)


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


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


class ResumableJsonl:
    """A JSONL output written record by record to a hidden .part file and renamed into place when complete.

    With `resume`, the complete records of an earlier partial file (or of a finished output) are kept and their
    ids are in `done`; a half-written last line is cut off. An interrupted run leaves only the .part file, so
    nothing that looks finished is ever incomplete.
    """

    def __init__(self, path: Path, resume: bool = False) -> None:
        self.path = path
        self.partial = partial_path(path)
        self.resume = resume
        self.done: set[Any] = set()
        self._handle: IO[str] | None = None

    def __enter__(self) -> ResumableJsonl:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        start = self.partial if self.partial.exists() else self.path
        if self.resume and start.exists():
            if start != self.partial:
                self.partial.write_bytes(start.read_bytes())  # a finished output: continue from a copy
            self.done = _complete_ids(self.partial)
            self._handle = open(self.partial, "a", encoding="utf-8", newline="")
        else:
            self._handle = open(self.partial, "w", encoding="utf-8", newline="")
        return self

    def write(self, line: str) -> None:
        """Append one record's line; flushed, so that a killed run keeps every record it finished."""
        assert self._handle is not None
        self._handle.write(line)
        self._handle.flush()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        assert self._handle is not None
        self._handle.close()
        if kind is None:  # on an error the .part file stays, for --resume
            os.replace(self.partial, self.path)


def _complete_ids(path: Path) -> set[Any]:
    """The ids of the complete records at the start of a JSONL file, which is cut after the last of them."""
    ids: set[Any] = set()
    keep = 0
    with open(path, "rb") as handle:
        for raw in handle:
            record = _complete_record(raw)
            if record is None:
                break
            ids.add(_hashable(record.get("id")))
            keep += len(raw)
    os.truncate(path, keep)
    return ids


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
