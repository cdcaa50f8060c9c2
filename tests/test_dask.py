"""Cleaning on a real Dask cluster: a LocalCluster of worker processes on 127.0.0.1."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner import clean_documents
from cleaner.cli import main
from cleaner.pipeline.corpus import NO_BODY_FIELD, corpus_record

from conftest import SEEDS_DIR, read_jsonl_file, write_jsonl

dask_bag = pytest.importorskip("dask.bag", reason='needs the dask extra: pip install "cleaner[dask]"')
distributed = pytest.importorskip("distributed")

from cleaner.integrations.dask import clean_bag  # noqa: E402  (after the skip: it needs dask)

DOCUMENTS = 8
PARTITIONS = 3


@pytest.fixture(scope="module")
def cluster():
    """One worker process with one thread, on the loopback interface only, without a dashboard."""
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as local:
        yield local


@pytest.fixture(scope="module")
def records() -> list[dict]:
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS_DIR.glob("*.txt"))]
    return [{"id": f"doc{k}", "text": texts[k % len(texts)], "lang": "en"} for k in range(DOCUMENTS)]


def as_written(records: list) -> list[dict]:
    """What `cleaner clean --format jsonl` writes for the records (a document without body gets a no_body_reason)."""
    return [corpus_record({"id": doc.id, **doc.meta}, doc) for doc in clean_documents(records)]


def test_clean_bag_on_a_local_cluster_gives_what_cleaning_here_gives(cluster, records) -> None:
    expected = as_written(records)
    with distributed.Client(cluster) as client:
        bag = dask_bag.from_sequence(records, npartitions=PARTITIONS)
        cleaned = client.compute(clean_bag(bag)).result()
    assert cleaned == expected
    assert all(record["lang"] == "en" for record in cleaned)


def test_the_cli_cleans_partitioned_jsonl_files_on_the_cluster(cluster, records, tmp_path: Path) -> None:
    parts = tmp_path / "in"
    parts.mkdir()
    write_jsonl(parts / "part-0.jsonl", records[:5])
    write_jsonl(parts / "part-1.jsonl", [*records[5:], "{broken"])
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["clean", str(parts), "--dask", cluster.scheduler_address, "-o", str(out)])
    assert result.exit_code == 1, result.output  # the broken line
    assert "part-1.jsonl:4: not valid JSON" in result.stderr
    assert f"{DOCUMENTS} documents" in result.stderr
    written = read_jsonl_file(out / "part-0.jsonl") + read_jsonl_file(out / "part-1.jsonl")
    assert written == as_written(records)


def test_dask_needs_an_output_folder(cluster, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [{"id": 1, "text": "Hello"}])
    result = CliRunner().invoke(main, ["clean", str(path), "--dask", cluster.scheduler_address])
    assert result.exit_code == 2
    assert "-o" in result.output


@pytest.mark.parametrize("option", ["--resume", "--split-streams"])
def test_dask_refuses_resume_and_split_streams(option, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [{"id": 1, "text": "Hello"}])
    result = CliRunner().invoke(main, ["clean", str(path), "--dask", "tcp://127.0.0.1:1", option, "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "--dask" in result.output


def test_a_bad_record_does_not_stop_the_bag_and_empty_documents_say_why(cluster, records) -> None:
    items = [records[0], {"id": "bad", "text": 5}, {"id": "empty", "text": ""}, records[1]]
    with distributed.Client(cluster) as client:
        cleaned = client.compute(clean_bag(dask_bag.from_sequence(items, npartitions=1))).result()
    by_id = {record["id"]: record for record in cleaned}
    assert sorted(by_id) == sorted(["bad", "empty", records[0]["id"], records[1]["id"]])
    assert by_id["bad"] == {"id": "bad", "error": "document 'bad': 'text' must be a string, not int"}
    assert by_id["empty"][NO_BODY_FIELD].startswith("no text")
    assert by_id[records[0]["id"]] == as_written([records[0]])[0]
    with pytest.raises(TypeError, match="must be a string"), distributed.Client(cluster) as client:
        client.compute(clean_bag(dask_bag.from_sequence(items, npartitions=1), errors="raise")).result()


def test_an_unreachable_scheduler_is_one_line_and_exit_2(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [{"id": 1, "text": "Hello"}])
    result = CliRunner().invoke(main, ["clean", str(path), "--dask", "tcp://127.0.0.1:9", "-o", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "tcp://127.0.0.1:9: cannot reach the Dask scheduler" in result.stderr
    assert "Traceback" not in result.output


def test_dask_not_installed_gives_the_install_command(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [{"id": 1, "text": "Hello"}])
    hide = "import sys; sys.modules.update(dict.fromkeys(['dask', 'dask.bag', 'distributed'])); "
    done = subprocess.run(
        [sys.executable, "-c", hide + "from cleaner.cli import main; main()", "clean", str(path), "--dask",
         "tcp://127.0.0.1:9", "-o", str(tmp_path / "out")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert 'pip install "cleaner[dask]"' in done.stderr and "Traceback" not in done.stderr
