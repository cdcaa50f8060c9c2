"""Saving and loading models: the card is written beside the model and checked before the model is read; a model
of arrays loads from anywhere without pickle, a pickled one needs trust and its scikit-learn version."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import joblib
import numpy as np
import pytest

from cleaner.model.features import FEATURE_VERSION
from cleaner.labels import LABELS
from cleaner.model.persist import ModelError, card_path, file_sha256, load_model

from conftest import run_cli, synthetic_corpus, synthetic_document

PROBE_DOCUMENTS = [synthetic_document(20)[0], synthetic_document(21)[0][:5]]


def private_copy(saved: Path, folder: Path) -> Path:
    target = folder / saved.name
    shutil.copy(saved, target)
    shutil.copy(card_path(saved), card_path(target))
    return target


@pytest.fixture(params=["arrays", "pickle"])
def model_file(request, tiny_trained, tiny_pickled, tmp_path: Path) -> Path:
    """A private copy of the tiny model (as arrays, then as a pickle) and its card, free to damage."""
    return private_copy(tiny_trained[1] if request.param == "arrays" else tiny_pickled, tmp_path)


@pytest.fixture
def pickle_file(tiny_pickled, tmp_path: Path) -> Path:
    """A private copy of the tiny model as a pickle and its card."""
    return private_copy(tiny_pickled, tmp_path)


def edit_card(path: Path, **changes) -> None:
    card = json.loads(card_path(path).read_text(encoding="utf-8"))
    card.update(changes)
    card_path(path).write_text(json.dumps(card), encoding="utf-8")


def test_save_writes_a_card_describing_the_model(model_file: Path) -> None:
    card = json.loads(card_path(model_file).read_text(encoding="utf-8"))
    assert card["labels"] == list(LABELS)
    assert card["feature_version"] == FEATURE_VERSION
    assert card["versions"]["scikit-learn"] == metadata.version("scikit-learn")
    assert card["model_sha256"] == file_sha256(model_file)
    assert card["params"]["hash_bits"] == 10
    assert card["model_format"] == ("arrays" if model_file.suffix == ".npz" else "pickle")
    assert not list(model_file.parent.glob("*.part"))  # atomic writes leave no temporary files


def test_a_pickled_model_outside_the_package_needs_trust(pickle_file: Path, tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="trust"):
        load_model(pickle_file)
    renamed = tmp_path / "renamed.npz"  # what the file holds decides, not its name
    pickle_file.rename(renamed)
    card_path(pickle_file).rename(card_path(renamed))
    with pytest.raises(ModelError, match="trust"):
        load_model(renamed)


def test_a_model_of_arrays_loads_from_anywhere_without_trust_or_scikit_learn(tiny_trained, tmp_path: Path) -> None:
    target = private_copy(tiny_trained[1], tmp_path)
    with np.load(target, allow_pickle=False) as arrays:  # plain arrays: no object array needs pickle
        assert all(arrays[name].dtype != object for name in arrays.files)
    code = ("import sys, cleaner; model = cleaner.load_model(sys.argv[1]); "
            "print(cleaner.clean('Headline\\nA body sentence here.', model=model).paragraphs[0].label.value); "
            "print('sklearn' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code, str(target)], capture_output=True, text=True, check=True)
    label, imported = result.stdout.split()
    assert label in LABELS and imported == "False"


def test_a_trusted_model_predicts_as_it_did_before_saving(tiny_trained, model_file: Path) -> None:
    fresh, _ = tiny_trained
    documents, labels = synthetic_corpus()
    loaded = load_model(model_file, trust=True)
    assert loaded.path == model_file.resolve()
    assert loaded.estimator.predict(PROBE_DOCUMENTS) == fresh.predict(PROBE_DOCUMENTS)
    for before, after in zip(fresh.predict_proba(PROBE_DOCUMENTS), loaded.estimator.predict_proba(PROBE_DOCUMENTS)):
        np.testing.assert_allclose(before, after)
    # and it learned something: the training documents come back with their labels, mostly
    assert loaded.estimator.score(documents, labels) > 0.8


@pytest.mark.parametrize("damage", ["truncate", "flip-byte", "append"])
def test_a_damaged_model_file_is_refused_by_its_hash(model_file: Path, damage: str) -> None:
    data = bytearray(model_file.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "flip-byte":
        data[len(data) // 2] ^= 0xFF
    else:
        data += b"\0"
    model_file.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="SHA-256"):
        load_model(model_file, trust=True)


def _other_minor(version: str) -> str:
    major, minor = version.split(".")[:2]
    return f"{major}.{int(minor) + 1}.0"


def _other_major(version: str) -> str:
    major, minor = version.split(".")[:2]
    return f"{int(major) + 1}.{minor}.0"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"labels": [*LABELS[:-1], "footnote"]}, "labels"),
        ({"labels": list(reversed(LABELS))}, "labels"),
        ({"feature_version": FEATURE_VERSION + 1}, "feature version"),
        ({"model_sha256": None}, "SHA-256"),
    ],
    ids=["other-labels", "reordered-labels", "feature-version", "no-hash"],
)
def test_a_card_that_does_not_match_this_cleaner_is_refused(model_file: Path, changes: dict, expected: str) -> None:
    edit_card(model_file, **changes)
    with pytest.raises(ModelError, match="refusing to load") as raised:
        load_model(model_file, trust=True)
    assert expected in str(raised.value)
    assert str(model_file.name) in str(raised.value)


SKLEARN_CHANGES = [
    {"versions": {"scikit-learn": _other_minor(metadata.version("scikit-learn"))}},
    {"versions": {"scikit-learn": _other_major(metadata.version("scikit-learn"))}},
    {"versions": {}},
]


@pytest.mark.parametrize("changes", SKLEARN_CHANGES, ids=["sklearn-minor", "sklearn-major", "no-versions"])
def test_a_pickle_saved_with_another_scikit_learn_is_refused(pickle_file: Path, changes: dict) -> None:
    edit_card(pickle_file, **changes)
    with pytest.raises(ModelError, match="refusing to load.*scikit-learn"):
        load_model(pickle_file, trust=True)


@pytest.mark.parametrize("changes", SKLEARN_CHANGES, ids=["sklearn-minor", "sklearn-major", "no-versions"])
def test_a_model_of_arrays_does_not_depend_on_the_scikit_learn_version(tiny_trained, tmp_path: Path, changes: dict) -> None:
    target = private_copy(tiny_trained[1], tmp_path)
    edit_card(target, **changes)
    assert load_model(target).estimator.predict(PROBE_DOCUMENTS) == tiny_trained[0].predict(PROBE_DOCUMENTS)


def test_a_model_of_arrays_of_another_array_format_is_refused(tiny_trained, tmp_path: Path) -> None:
    target = private_copy(tiny_trained[1], tmp_path)
    edit_card(target, array_format=99)
    with pytest.raises(ModelError, match="refusing to load.*array format 99"):
        load_model(target)


def test_a_model_file_of_arrays_missing_one_is_refused(tiny_trained, tmp_path: Path) -> None:
    target = tmp_path / "partial.npz"
    with np.load(tiny_trained[1], allow_pickle=False) as arrays:
        np.savez(target, **{name: arrays[name] for name in arrays.files if name != "second.leaf"})
    shutil.copy(card_path(tiny_trained[1]), card_path(target))
    edit_card(target, model_sha256=file_sha256(target))
    with pytest.raises(ModelError, match="not a cleaner model.*second.leaf"):
        load_model(target)


def test_a_card_with_another_sklearn_patch_release_is_accepted(pickle_file: Path) -> None:
    major, minor = metadata.version("scikit-learn").split(".")[:2]
    edit_card(pickle_file, versions={"scikit-learn": f"{major}.{minor}.999"})
    assert load_model(pickle_file, trust=True).card["versions"]["scikit-learn"].endswith(".999")


def test_a_missing_card_is_refused(model_file: Path) -> None:
    card_path(model_file).unlink()
    with pytest.raises(ModelError, match="card.*missing"):
        load_model(model_file, trust=True)


def test_an_unreadable_card_is_refused(model_file: Path) -> None:
    card_path(model_file).write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError, match="not valid JSON"):
        load_model(model_file, trust=True)


@pytest.mark.parametrize("card", ["[1, 2]", '{"versions": "1.9"}', "\udcff"], ids=["list", "versions-string", "binary"])
def test_a_card_that_is_not_a_json_object_is_refused(model_file: Path, card: str) -> None:
    card_path(model_file).write_bytes(card.encode("utf-8", errors="surrogateescape"))
    with pytest.raises(ModelError, match="metadata card is not"):
        load_model(model_file, trust=True)


class Booby:
    """Unpickling this creates `marker`: the stand-in for a malicious model file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_nothing_is_unpickled_before_the_card_and_trust_are_checked(pickle_file: Path, tmp_path: Path) -> None:
    model_file = pickle_file
    marker = tmp_path / "unpickled"
    joblib.dump(Booby(marker), model_file)
    with pytest.raises(ModelError, match="SHA-256"):  # the card still holds the real model's hash
        load_model(model_file, trust=True)
    edit_card(model_file, model_sha256=file_sha256(model_file))
    with pytest.raises(ModelError, match="trust"):
        load_model(model_file)
    assert not marker.exists()
    with pytest.raises(ModelError, match="not a cleaner model"):  # unpickled only now, and then found not a model
        load_model(model_file, trust=True)
    assert marker.exists()


def test_a_missing_model_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="no such model file"):
        load_model(tmp_path / "absent.joblib", trust=True)


def test_the_shipped_model_loads_without_trust_and_is_cached(shipped_model) -> None:
    assert load_model() is shipped_model
    assert shipped_model.card["labels"] == list(LABELS)


def test_the_command_line_refuses_a_damaged_model_as_a_usage_error(model_file: Path, tmp_path: Path) -> None:
    model_file.write_bytes(model_file.read_bytes()[:-1])
    page = tmp_path / "page.txt"
    page.write_text("Headline\nBody.\n", encoding="utf-8")
    result = run_cli("clean", page, "-o", tmp_path / "out", "--model", model_file, "--trust-model")
    assert result.exit_code == 2
    assert f"{model_file.resolve()}: refusing to load" in result.output and "SHA-256" in result.output
    assert not (tmp_path / "out").exists()
