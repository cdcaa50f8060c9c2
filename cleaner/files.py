"""Files written atomically (a temporary file beside the target, renamed into place) and folders made level by level:
what every output of cleaner (cleaned text, JSONL, models, cards) is written with."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


def atomic_write(path: Path, write, binary: bool = False) -> None:
    """Call `write(handle)` on a temporary file beside `path`, then rename it into place."""
    with atomic_open(path, binary) as handle:
        write(handle)


@contextmanager
def atomic_open(path: Path, binary: bool = False) -> Iterator[IO]:
    """A temporary file beside `path`, renamed into place when the block ends without an error, else removed."""
    try:
        make_folders(path.parent)
        handle = tempfile.NamedTemporaryFile(
            "wb" if binary else "w", dir=path.parent, prefix=f".{path.name}.", suffix=".part", delete=False,
            **({} if binary else {"encoding": "utf-8", "newline": ""}),
        )
    except OSError as error:
        raise _naming(error, path) from None
    try:
        with handle:
            yield handle
        os.chmod(handle.name, 0o666 & ~_umask())  # a temporary file is private; the result gets the usual mode
        os.replace(handle.name, path)
    except BaseException as error:
        Path(handle.name).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _naming(error, path) from None
        raise


def _naming(error: OSError, path: Path) -> OSError:
    """`error` as an OSError of the output `path` (a failed write or close names no file of its own)."""
    return OSError(error.errno, error.strerror or str(error), str(path))


def make_folders(folder: Path) -> None:
    """`mkdir -p`, one level after the other: os.makedirs and Path.mkdir(parents=True) recurse once per level and fail
    on a folder nested a thousand deep."""
    missing = []
    while not folder.is_dir() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for level in reversed(missing):
        level.mkdir(exist_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
