"""Parallel cleaning: --jobs gives the same output as one process, in input order unless --unordered, with bounded
memory, for text, HTML and JSONL inputs and every output form; the progress bar only on a terminal."""

from __future__ import annotations

import gzip
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cleaner.pipeline import parallel
from cleaner.cli import main
from cleaner.pipeline.corpus import corpus_line
from cleaner.pipeline.parallel import ParallelOptions, clean_stream
from cleaner.pipeline.progress import RATE_EVERY_DOCUMENTS, Progress

from conftest import SEEDS_DIR, read_jsonl_file, write_jsonl
from test_html import ARTICLE, PROSE, page

SEED_FILES = sorted(SEEDS_DIR.glob("*.txt"))
DOCUMENTS = 30
JOBS = 2


def run(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def records() -> list[dict]:
    """Seed texts as JSONL records, each with an id and an extra field that must survive."""
    texts = [path.read_text(encoding="utf-8") for path in SEED_FILES]
    return [{"id": k, "text": texts[k % len(texts)], "source": f"s{k}"} for k in range(DOCUMENTS)]


@pytest.fixture(scope="module")
def jsonl_input(records, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("in") / "docs.jsonl"
    return write_jsonl(path, [*records[:10], "{not json", *records[10:]])


@pytest.fixture(scope="module")
def one_process_output(jsonl_input, tmp_path_factory) -> list[dict]:
    out = tmp_path_factory.mktemp("one") / "out.jsonl"
    result = run("clean", jsonl_input, "--format", "jsonl", "-o", out)
    assert result.exit_code == 1, result.output  # the malformed line
    return read_jsonl_file(out)


def test_clean_reads_jsonl_records_and_reports_a_bad_line_with_its_number(one_process_output, jsonl_input) -> None:
    assert [r["id"] for r in one_process_output] == list(range(DOCUMENTS))
    assert all(r["source"] == f"s{r['id']}" for r in one_process_output)
    result = run("clean", jsonl_input, "--format", "jsonl")
    assert f"{jsonl_input}:11: not valid JSON" in result.stderr


def test_two_jobs_write_exactly_what_one_process_writes(one_process_output, jsonl_input, tmp_path) -> None:
    out = tmp_path / "out.jsonl"
    result = run("clean", jsonl_input, "--format", "jsonl", "-o", out, "--jobs", JOBS)
    assert result.exit_code == 1
    assert f"{DOCUMENTS} documents" in result.stderr and "1 inputs failed" in result.stderr
    assert read_jsonl_file(out) == one_process_output


def test_unordered_writes_the_same_records_in_some_order(one_process_output, jsonl_input, tmp_path) -> None:
    out = tmp_path / "out.jsonl"
    run("clean", jsonl_input, "--format", "jsonl", "-o", out, "--jobs", JOBS, "--unordered")
    key = lambda record: record["id"]  # noqa: E731
    assert sorted(read_jsonl_file(out), key=key) == sorted(one_process_output, key=key)


def test_two_jobs_mirror_a_folder_of_text_files_like_one_process(tmp_path) -> None:
    source = tmp_path / "in"
    (source / "sub").mkdir(parents=True)
    for k, path in enumerate(SEED_FILES):
        shutil.copy(path, source / ("sub" if k % 2 else ".") / path.name)
    assert run("clean", source, "-o", tmp_path / "one").exit_code == 0
    assert run("clean", source, "-o", tmp_path / "two", "--jobs", JOBS).exit_code == 0
    written = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*.txt"))
    assert len(written) == len(SEED_FILES)
    for relative in written:
        assert (tmp_path / "two" / relative).read_text() == (tmp_path / "one" / relative).read_text()


def test_label_with_two_jobs_keeps_every_record_and_its_order(records, tmp_path) -> None:
    path = write_jsonl(tmp_path / "in.jsonl", records[:12])
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert run("label", path, "-o", one).exit_code == 0
    assert run("label", path, "-o", two, "--jobs", JOBS).exit_code == 0
    assert read_jsonl_file(two) == read_jsonl_file(one)


def test_jsonl_input_to_a_text_folder_is_a_usage_error(jsonl_input, tmp_path) -> None:
    result = run("clean", jsonl_input, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert "--format jsonl" in result.output


def test_the_stream_is_consumed_only_a_few_chunks_ahead_of_the_results(records, shipped_model) -> None:
    consumed = 0

    def endless():
        nonlocal consumed
        for k in range(10 * DOCUMENTS):
            consumed += 1
            record = records[k % DOCUMENTS]
            yield record, record

    options = ParallelOptions(jobs=JOBS, chunk_documents=4)
    ahead = []
    for produced, _ in enumerate(clean_stream(endless(), corpus_line, shipped_model, options), 1):
        ahead.append(consumed - produced)
    bound = (JOBS * parallel.CHUNKS_PER_WORKER + 1) * options.chunk_documents
    assert max(ahead) <= bound
    assert len(ahead) == 10 * DOCUMENTS


def test_the_options_refuse_zero_jobs() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        ParallelOptions(jobs=0)


def test_progress_draws_nothing_when_not_on_a_terminal() -> None:
    stream = io.StringIO()
    progress = Progress(stream)
    for _ in range(RATE_EVERY_DOCUMENTS * 2):
        progress.update(10)
    progress.close()
    assert stream.getvalue() == ""
    assert (progress.documents, progress.paragraphs) == (RATE_EVERY_DOCUMENTS * 2, RATE_EVERY_DOCUMENTS * 20)


def test_progress_on_a_terminal_shows_documents_and_paragraphs_per_second() -> None:
    stream = io.StringIO()
    progress = Progress(stream, enabled=True)
    for _ in range(RATE_EVERY_DOCUMENTS):
        progress.update(10)
    progress.bar.refresh()
    progress.close()
    text = stream.getvalue()
    assert "docs" in text and "paragraphs/s" in text and str(RATE_EVERY_DOCUMENTS) in text


def test_json_lines_of_two_jobs_are_valid_json(jsonl_input, tmp_path) -> None:
    out = tmp_path / "out.jsonl"
    run("clean", jsonl_input, "--format", "jsonl", "-o", out, "--jobs", JOBS)
    for line in out.read_text(encoding="utf-8").splitlines():
        assert set(json.loads(line)) >= {"id", "title", "body", "paragraphs", "labels", "confidences"}


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of three documents, so that a few inputs already spread over both workers and come back in pieces."""
    chunks = parallel._chunks
    monkeypatch.setattr(parallel, "_chunks", lambda items, _size: chunks(items, 3))


@pytest.fixture(scope="module")
def mixed_inputs(records, tmp_path_factory) -> Path:
    """Text files, HTML pages (one gzipped) and a JSONL file of text and HTML records, in a folder and its subfolder."""
    root = tmp_path_factory.mktemp("mixed")
    (root / "pages" / "sub").mkdir(parents=True)
    for k, path in enumerate(SEED_FILES):
        shutil.copy(path, root / "pages" / ("sub" if k % 2 else ".") / path.name)
    (root / "pages" / "article.html").write_text(ARTICLE, encoding="utf-8")
    (root / "pages" / "sub" / "other.html.gz").write_bytes(gzip.compress(page(f"<p>{PROSE}</p>").encode()))
    (root / "pages" / "empty.txt").write_text("", encoding="utf-8")
    html_records = [{"id": f"h{k}", "html": ARTICLE, "url": f"https://example.com/{k}"} for k in range(4)]
    write_jsonl(root / "records.jsonl", [*records[:8], *html_records, *records[8:12]])
    return root


def test_two_jobs_write_what_one_process_writes_for_text_html_and_jsonl_inputs(mixed_inputs, small_chunks, tmp_path) -> None:
    inputs = [mixed_inputs / "pages", mixed_inputs / "records.jsonl"]
    outputs = {}
    for jobs in (1, JOBS):
        out = tmp_path / f"jobs{jobs}.jsonl"
        result = run("clean", *inputs, "--format", "jsonl", "-o", out, "--jobs", jobs)
        assert result.exit_code == 0, result.output
        outputs[jobs] = read_jsonl_file(out), result.stderr.splitlines()[-1]
    assert outputs[JOBS] == outputs[1]
    records, summary = outputs[1]
    assert len(records) == len(SEED_FILES) + 3 + 16
    assert summary.startswith(f"cleaner: {len(records)} documents, {sum(len(r['labels']) for r in records)} paragraphs")
    assert "1 empty" in summary


def test_two_jobs_write_the_same_text_folder_and_split_streams_as_one_process(mixed_inputs, small_chunks, tmp_path) -> None:
    pages = mixed_inputs / "pages"
    for jobs in (1, JOBS):
        assert run("clean", pages, "-o", tmp_path / f"txt{jobs}", "--jobs", jobs).exit_code == 0
        result = run("clean", pages, mixed_inputs / "records.jsonl", "--format", "jsonl", "--split-streams",
                     "-o", tmp_path / f"split{jobs}" / "out.jsonl", "--jobs", jobs)
        assert result.exit_code == 0, result.output
    for kind in ("txt", "split"):
        one = sorted(p.relative_to(tmp_path / f"{kind}1") for p in (tmp_path / f"{kind}1").rglob("*") if p.is_file())
        assert one and one == sorted(p.relative_to(tmp_path / f"{kind}{JOBS}")
                                     for p in (tmp_path / f"{kind}{JOBS}").rglob("*") if p.is_file())
        for relative in one:
            assert (tmp_path / f"{kind}{JOBS}" / relative).read_bytes() == (tmp_path / f"{kind}1" / relative).read_bytes()


def test_dask_refuses_local_jobs(mixed_inputs, tmp_path) -> None:
    result = run("clean", mixed_inputs / "records.jsonl", "--dask", "tcp://127.0.0.1:1", "--jobs", JOBS, "-o", tmp_path)
    assert result.exit_code == 2 and "--jobs" in result.output
