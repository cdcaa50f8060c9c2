"""datatrove: CleanerStep and NoBodyFilter in a real LocalPipelineExecutor run (JsonlReader in, JsonlWriter out), and
`cleaner clean --format jsonl --body-field text` output read by datatrove's JsonlReader."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("datatrove", reason='needs the datatrove extra: pip install "cleaner[datatrove]"')
pytest.importorskip("orjson", reason='needs the datatrove extra: pip install "cleaner[datatrove]"')

from datatrove.data import Document as DatatroveDocument  # noqa: E402
from datatrove.executor import LocalPipelineExecutor  # noqa: E402
from datatrove.pipeline.readers import JsonlReader  # noqa: E402
from datatrove.pipeline.writers import JsonlWriter  # noqa: E402

import cleaner  # noqa: E402
from cleaner.integrations.datatrove import (  # noqa: E402
    CLEAN_ERROR, DATATROVE_INSTALL, METADATA_KEY, NO_BODY, NO_TEXT, CleanerStep, NoBodyFilter,
)
from cleaner.labels import Label  # noqa: E402

from conftest import SEEDS_DIR, read_jsonl_file, run_cli, write_jsonl  # noqa: E402

TASKS = 2  # two tasks on two worker processes: each loads the model once (about a second for the whole run)
NO_BODY_TEXT = "Share on Facebook\nSubscribe to our newsletter"  # only boilerplate: no body
BLANK_TEXT = " \n \n"  # text to datatrove's reader, no paragraph to cleaner
STEP, FILTER = 1, 2  # the positions of cleaner's steps in the pipeline, and so in its stats


@dataclass(frozen=True)
class Run:
    """What a pipeline run wrote, and its stats."""

    inputs: dict[str, str]  # id -> input text
    written: list[dict[str, Any]]
    excluded: list[dict[str, Any]]
    stats: Any  # datatrove's PipelineStats


def _inputs() -> dict[str, str]:
    texts = {path.stem: path.read_text(encoding="utf-8") for path in sorted(SEEDS_DIR.glob("*.txt"))}
    return {**texts, "no-body": NO_BODY_TEXT, "blank": BLANK_TEXT}


def _read_folder(folder: Path) -> list[dict[str, Any]]:
    return [record for path in sorted(folder.glob("*.jsonl")) for record in read_jsonl_file(path)]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """The seeds and two documents without body, in TASKS input files, through reader, cleaner, filter and writer."""
    root = tmp_path_factory.mktemp("datatrove")
    inputs = _inputs()
    records = [{"id": doc_id, "text": text, "url": f"https://example.org/{doc_id}"} for doc_id, text in inputs.items()]
    (root / "in").mkdir()
    for task in range(TASKS):
        write_jsonl(root / "in" / f"part{task}.jsonl", records[task::TASKS])
    stats = LocalPipelineExecutor([
        JsonlReader(str(root / "in")),
        CleanerStep(),
        NoBodyFilter(exclusion_writer=JsonlWriter(str(root / "excluded"), compression=None)),
        JsonlWriter(str(root / "out"), compression=None),
    ], tasks=TASKS, workers=TASKS, logging_dir=str(root / "logs")).run()
    return Run(inputs, _read_folder(root / "out"), _read_folder(root / "excluded"), stats)


def _stat(run: Run, step: int, name: str) -> float:
    return run.stats.stats[step][name].total


def test_the_written_text_is_the_body_cleaner_gives(run: Run) -> None:
    assert sorted(record["id"] for record in run.written) == sorted(set(run.inputs) - {"no-body", "blank"})
    for record in run.written:
        assert record["text"] == cleaner.clean(run.inputs[record["id"]]).body != ""


def test_the_metadata_carries_the_streams_labels_and_spans(run: Run) -> None:
    for record in run.written:
        text, document = run.inputs[record["id"]], cleaner.clean(run.inputs[record["id"]])
        found = record["metadata"][METADATA_KEY]
        assert record["metadata"]["url"] == f"https://example.org/{record['id']}"  # the reader's metadata stays
        assert found["labels"] == document.labels and found["title"] == document.title
        assert all(found[label.value] == document.text_of(label) for label in Label if label is not Label.BODY)
        assert [text[start:end] for start, end in found["spans"]] == [p.text for p in document.paragraphs]
        assert found["no_body_reason"] is None and found["metadata"] == document.metadata


def test_documents_without_body_are_excluded_with_their_reason(run: Run) -> None:
    excluded = {record["id"]: record["metadata"] for record in run.excluded}
    assert {doc_id: meta["filter_reason"] for doc_id, meta in excluded.items()} == {"no-body": NO_BODY, "blank": NO_TEXT}
    assert excluded["no-body"][METADATA_KEY]["labels"] == ["boilerplate", "boilerplate"]
    assert excluded["no-body"][METADATA_KEY]["no_body_reason"] == "no paragraph was labeled body (2 boilerplate)"
    assert excluded["no-body"][METADATA_KEY]["boilerplate"] == NO_BODY_TEXT  # dropped text keeps its label
    assert "no text" in excluded["blank"][METADATA_KEY]["no_body_reason"]


def test_the_stats_count_cleaned_documents_paragraphs_and_drops(run: Run) -> None:
    documents = [cleaner.clean(text) for text in run.inputs.values()]
    assert _stat(run, STEP, "total") == _stat(run, STEP, "cleaned") == len(run.inputs)
    assert _stat(run, STEP, NO_BODY) == 2
    for label in Label:
        assert _stat(run, STEP, f"paragraphs_{label.value}") == sum(len(doc.stream(label)) for doc in documents)
    assert _stat(run, FILTER, "forwarded") == len(run.written)
    assert _stat(run, FILTER, "dropped") == 2
    assert _stat(run, FILTER, f"dropped_{NO_BODY}") == _stat(run, FILTER, f"dropped_{NO_TEXT}") == 1


def test_the_step_batches_keeps_the_input_when_asked_and_counts_what_it_cannot_clean() -> None:
    inputs = _inputs()
    docs = [DatatroveDocument(text, doc_id) for doc_id, text in inputs.items()]
    docs.insert(2, DatatroveDocument(None, "no-text-at-all"))  # type: ignore[arg-type]  # a reader's bad record
    step = CleanerStep(batch_size=3, keep_input=True)
    cleaned = list(step.run(iter(docs)))
    assert [doc.id for doc in cleaned] == list(inputs)  # in order, the one it cannot clean left out
    for doc in cleaned:
        assert doc.text == cleaner.clean(inputs[doc.id]).body and doc.metadata[METADATA_KEY]["raw_text"] == inputs[doc.id]
    assert step.stats[CLEAN_ERROR].total == 1 and step.stats["cleaned"].total == len(inputs)


def test_bad_arguments_and_uncleaned_documents_are_errors_that_say_why() -> None:
    with pytest.raises(ValueError, match="batch_size must be at least 1, not 0"):
        CleanerStep(batch_size=0)
    with pytest.raises(ValueError, match="put a CleanerStep before the NoBodyFilter"):
        NoBodyFilter().filter(DatatroveDocument("some text", "raw"))


def test_clean_jsonl_with_body_field_text_is_read_by_datatrove(tmp_path: Path) -> None:
    inputs = _inputs()
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": doc_id, "text": text, "site": "x"} for doc_id, text in inputs.items()])
    (tmp_path / "cleaned").mkdir()
    result = run_cli("clean", source, "--format", "jsonl", "--body-field", "text", "--keep-input",
                     "-o", tmp_path / "cleaned" / "docs.jsonl")
    assert result.exit_code == 0, result.output
    docs = {doc.id: doc for doc in JsonlReader(str(tmp_path / "cleaned"))()}
    # datatrove's reader skips a record whose text is empty: the documents without body
    assert sorted(docs) == sorted(set(inputs) - {"no-body", "blank"})
    for doc_id, doc in docs.items():
        document = cleaner.clean(inputs[doc_id])
        assert doc.text == document.body
        assert doc.metadata["labels"] == document.labels and doc.metadata["raw_text"] == inputs[doc_id]
        assert doc.metadata["site"] == "x" and "body" not in doc.metadata


def test_without_datatrove_the_import_error_gives_the_install_command() -> None:
    hide = "import sys; sys.modules.update(dict.fromkeys(['datatrove'])); "
    done = subprocess.run([sys.executable, "-c", hide + "import cleaner.integrations.datatrove"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert DATATROVE_INSTALL == 'pip install "cleaner[datatrove]"'
    assert f"cleaner's datatrove steps need datatrove: {DATATROVE_INSTALL}" in done.stderr
