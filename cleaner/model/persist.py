"""Saving and loading models with their metadata card, which is checked before anything is unpickled."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import IO, Any

import joblib

from .features import FEATURE_VERSION
from ..labels import LABELS

CARD_FORMAT = 1
DEFAULT_MODEL_NAME = "default.joblib"
# The shipped model: inside the installed package (pyproject maps models/ to cleaner/models),
# or in models/ at the top of a checkout.
PACKAGED_MODEL_DIRS = (Path(__file__).resolve().parents[1] / "models", Path(__file__).resolve().parents[2] / "models")
VERSIONED_LIBRARIES = ("scikit-learn", "numpy", "scipy", "joblib")


class ModelError(RuntimeError):
    """A model file that cleaner refuses to load, and why."""


@dataclass(frozen=True)
class Model:
    """A trained classifier with the card that describes it."""

    estimator: Any
    card: dict[str, Any]
    path: Path


def card_path(model_path: Path) -> Path:
    return model_path.with_suffix(".json")


def default_model_path() -> Path:
    """Where the shipped model is: the installed package's copy, else the checkout's models/ folder."""
    for folder in PACKAGED_MODEL_DIRS:
        if (folder / DEFAULT_MODEL_NAME).exists():
            return folder / DEFAULT_MODEL_NAME
    raise ModelError(f"no shipped model found in {' or '.join(map(str, PACKAGED_MODEL_DIRS))}; "
                     "train one with `cleaner train` or reinstall cleaner")


def library_versions() -> dict[str, str]:
    versions = {name: metadata.version(name) for name in VERSIONED_LIBRARIES}
    versions["python"] = platform.python_version()
    versions["cleaner"] = _cleaner_version()
    return versions


MODEL_METHODS = ("decode",)  # what cleaner calls on a loaded model to label paragraphs


def save_model(estimator: Any, path: Path, training: dict[str, Any], metrics: dict[str, Any]) -> dict[str, Any]:
    """Write the model and, next to it, its card; both atomically. Returns the card."""
    path = Path(path)
    atomic_write(path, lambda handle: joblib.dump(estimator, handle, compress=3), binary=True)
    card = {
        "format": CARD_FORMAT,
        "feature_version": FEATURE_VERSION,
        "labels": list(LABELS),
        "versions": library_versions(),
        "model_sha256": file_sha256(path),
        "params": estimator.get_params(),
        "training": training,
        "metrics": metrics,
    }
    atomic_write(card_path(path), lambda handle: handle.write(json.dumps(card, indent=2) + "\n"))
    return card


def load_model(path: Path | str | None = None, trust: bool = False) -> Model:
    """Load a model after checking its card; a path outside the package needs `trust=True` (pickles run code)."""
    if path is None:
        return _load_default()
    path = Path(path).resolve()
    if not trust and not any(path.parent == folder for folder in PACKAGED_MODEL_DIRS):
        raise ModelError(
            f"{path}: refusing to load a model from outside the cleaner package: a model file is a pickle and "
            "can run code when loaded. If you trust it, pass trust=True (CLI: --trust-model)."
        )
    return _load_checked(path)


@lru_cache(maxsize=1)
def _load_default() -> Model:
    return _load_checked(default_model_path())


def _load_checked(path: Path) -> Model:
    card = read_card(path)
    check_card(path, card)
    try:
        estimator = joblib.load(path)
    except Exception as error:  # noqa: BLE001 -- a pickle of classes this code lacks, or a file joblib cannot read
        raise ModelError(f"{path}: not a cleaner model (it does not load: {type(error).__name__}: {error})") from None
    if not all(callable(getattr(estimator, name, None)) for name in MODEL_METHODS):
        raise ModelError(f"{path}: not a cleaner model (it holds a {type(estimator).__name__}, which cannot "
                         "label paragraphs)")
    return Model(estimator, card, path)


def read_card(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise ModelError(f"{path}: no such model file")
    try:
        card = json.loads(card_path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{path}: its metadata card {card_path(path).name} is missing") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ModelError(f"{card_path(path)}: the metadata card is not valid JSON ({error})") from None
    if not isinstance(card, dict) or not isinstance(card.get("versions", {}), dict):
        raise ModelError(f"{card_path(path)}: the metadata card is not a JSON object with a \"versions\" object")
    return card


def check_card(path: Path, card: dict[str, Any]) -> None:
    """Raise ModelError when the card does not match the file, this code or the installed scikit-learn."""
    problems = []
    if card.get("labels") != list(LABELS):
        problems.append(f"labels {card.get('labels')} differ from this cleaner's {list(LABELS)}")
    if card.get("feature_version") != FEATURE_VERSION:
        problems.append(f"feature version {card.get('feature_version')} differs from this cleaner's {FEATURE_VERSION}")
    saved = str(card.get("versions", {}).get("scikit-learn", "unknown"))
    installed = metadata.version("scikit-learn")
    if _major_minor(saved) != _major_minor(installed):
        problems.append(f"saved with scikit-learn {saved}, but {installed} is installed (retrain, or install {saved})")
    if not problems and card.get("model_sha256") != file_sha256(path):
        problems.append("the file's SHA-256 differs from the card's: it is truncated, altered or not the card's model")
    if problems:
        raise ModelError(f"{path}: refusing to load: " + "; ".join(problems))


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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


def _major_minor(version: str) -> tuple[str, ...]:
    return tuple(version.split(".")[:2])


def _cleaner_version() -> str:
    try:
        return metadata.version("cleaner")
    except metadata.PackageNotFoundError:
        return "unknown"
