"""Saving and loading models with their metadata card, which is checked before the model is read.

A model file is a ``.npz`` of plain arrays (`runtime.ArrayClassifier`), read with ``allow_pickle=False``: loading it
cannot run code and needs no scikit-learn, so a model from anywhere is safe to load. A ``.joblib`` file is a pickle of
the fitted scikit-learn classifier, for those who want the estimator itself: it can run code when loaded, so one from
outside the package needs trust, and it needs the scikit-learn version it was saved with."""

from __future__ import annotations

import hashlib
import json
import platform
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from .features import FEATURE_VERSION
from ..files import atomic_write
from .runtime import ARRAY_FORMAT, ArrayClassifier
from ..labels import LABELS

CARD_FORMAT = 2  # 2: the card says the file's kind ("arrays" or "pickle") and, for arrays, their format
ARRAYS, PICKLE = "arrays", "pickle"
PICKLE_SUFFIX = ".joblib"  # a model saved under this suffix is a pickle; under any other, arrays
DEFAULT_MODEL_NAME = "default.npz"
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
    """Write the model and, next to it, its card; both atomically. Returns the card.

    `path` ending in .joblib gets a pickle of `estimator` (a fitted ParagraphClassifier); any other, its arrays."""
    path = Path(path)
    kind = PICKLE if path.suffix == PICKLE_SUFFIX else ARRAYS
    if kind == PICKLE:
        import joblib

        atomic_write(path, lambda handle: joblib.dump(estimator, handle, compress=3), binary=True)
    else:
        arrays = (estimator if isinstance(estimator, ArrayClassifier) else ArrayClassifier.of(estimator)).arrays()
        atomic_write(path, lambda handle: np.savez(handle, **arrays), binary=True)
    card = {
        "format": CARD_FORMAT,
        "model_format": kind,
        **({"array_format": ARRAY_FORMAT} if kind == ARRAYS else {}),
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
    """Load a model after checking its card. A file of arrays loads from anywhere; a pickle from outside the package
    needs `trust=True` (a pickle can run code).

    Args:
        path: a model file (``.npz``: arrays; ``.joblib``: a pickle), with its card (``.json``) beside it;
            None: the shipped model, loaded once per process and shared.
        trust: allow a pickle from outside the package to be unpickled.

    Returns:
        A `Model`: the classifier (``estimator``), its card (``card``: labels, versions, data hash, metrics) and
        its ``path``.

    Raises:
        ModelError: the file is missing or unreadable, its card is missing or does not match it, it was made for
            other labels or an incompatible format, or it is an untrusted pickle.
    """
    if path is None:
        return _load_default()
    path = Path(path).resolve()
    inside = any(path.parent == folder for folder in PACKAGED_MODEL_DIRS)
    kind = _kind(path)
    if not trust and not inside and kind == PICKLE:
        raise ModelError(
            f"{path}: refusing to load a model from outside the cleaner package: this model file is a pickle and "
            "can run code when loaded. If you trust it, pass trust=True (CLI: --trust-model); a model saved as .npz "
            "loads without that risk."
        )
    return _load_checked(path, kind)


@lru_cache(maxsize=1)
def _load_default() -> Model:
    path = default_model_path()
    return _load_checked(path, _kind(path))


def _kind(path: Path) -> str | None:
    """What the file holds, by its content, not its name: arrays (a .npz is a zip archive) or a pickle; None when
    there is no such file. Read once per load: the trust check and the reader go by the same answer."""
    if not path.exists():
        return None  # read_card says so
    return ARRAYS if zipfile.is_zipfile(path) else PICKLE


def _load_checked(path: Path, kind: str | None) -> Model:
    """The model at `path`, read as `kind` (arrays never unpickle, whatever the file holds by now)."""
    card = read_card(path)
    check_card(path, card, kind)
    estimator = _read_arrays(path, card) if kind == ARRAYS else _read_pickle(path)
    if not all(callable(getattr(estimator, name, None)) for name in MODEL_METHODS):
        raise ModelError(f"{path}: not a cleaner model (it holds a {type(estimator).__name__}, which cannot "
                         "label paragraphs)")
    return Model(estimator, card, path)


def _read_arrays(path: Path, card: dict[str, Any]) -> ArrayClassifier:
    """The classifier of a .npz model file, read without pickle."""
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
        return ArrayClassifier.from_arrays(arrays, card.get("params"))
    except KeyError as error:
        raise ModelError(f"{path}: not a cleaner model (the array {error} is missing)") from None
    except Exception as error:  # noqa: BLE001 -- a damaged archive, arrays of the wrong shape or type
        raise ModelError(f"{path}: not a cleaner model (its arrays do not load: {type(error).__name__}: {error})") from None


def _read_pickle(path: Path) -> Any:
    """The estimator of a pickled (.joblib) model file."""
    import joblib

    try:
        return joblib.load(path)
    except Exception as error:  # noqa: BLE001 -- a pickle of classes this code lacks, or a file joblib cannot read
        raise ModelError(f"{path}: not a cleaner model (it does not load: {type(error).__name__}: {error})") from None


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


def check_card(path: Path, card: dict[str, Any], kind: str | None) -> None:
    """Raise ModelError when the card does not match the file (of `kind`, arrays or pickle), this code or, for a
    pickle, the installed scikit-learn."""
    problems = []
    if kind == ARRAYS and card.get("array_format") != ARRAY_FORMAT:
        problems.append(f"array format {card.get('array_format')} differs from this cleaner's {ARRAY_FORMAT}")
    if card.get("labels") != list(LABELS):
        problems.append(f"labels {card.get('labels')} differ from this cleaner's {list(LABELS)}")
    if card.get("feature_version") != FEATURE_VERSION:
        problems.append(f"feature version {card.get('feature_version')} differs from this cleaner's {FEATURE_VERSION}")
    saved = str(card.get("versions", {}).get("scikit-learn", "unknown"))
    installed = metadata.version("scikit-learn") if kind == PICKLE else saved
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


def _major_minor(version: str) -> tuple[str, ...]:
    return tuple(version.split(".")[:2])


def _cleaner_version() -> str:
    try:
        return metadata.version("cleaner")
    except metadata.PackageNotFoundError:
        return "unknown"
