"""Output safety: outputs never replace inputs, --resume skips finished outputs, a killed run can be resumed."""

from __future__ import annotations

import gzip
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaner.pipeline.outputs import partial_path

from conftest import REPO, read_jsonl_file, run_cli, synthetic_document, write_jsonl

KILL_TEST_FILES = 1000
KILL_WAIT_SECONDS = 120
POLL_SECONDS = 0.02


def write_pages(folder: Path, count: int) -> list[Path]:
    """`count` small pages, spread over subfolders, with wording that varies with their number."""
    paths = []
    for k in range(count):
        path = folder / f"part{k % 7}" / f"page{k:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = synthetic_document(k)[0]
        path.write_text("\n".join(lines[: 2 + k % 4]) + f"\nPage number {k}.\n", encoding="utf-8")
        paths.append(path)
    return paths


def folder_files(folder: Path) -> dict[str, bytes]:
    """The visible files under `folder` (not the hidden .part files) and their bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
            and not p.name.startswith(".")}


# --- refusing to overwrite the input ----------------------------------------------------------------------------


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    write_pages(folder, 3)
    return folder


def assert_refused(result, inputs: Path, before: dict[str, bytes]) -> None:
    assert result.exit_code == 2, result.output
    assert "would overwrite the input" in result.output
    assert folder_files(inputs) == before


def test_an_output_folder_equal_to_the_input_folder_is_refused(inputs: Path, tiny_model_args) -> None:
    before = folder_files(inputs)
    assert_refused(run_cli("clean", inputs, "-o", inputs, *tiny_model_args), inputs, before)


def test_an_output_folder_where_an_input_would_be_replaced_is_refused(inputs: Path, tiny_model_args) -> None:
    before = folder_files(inputs)
    single = inputs / "part1" / "page00001.txt"
    assert_refused(run_cli("clean", single, "-o", single.parent, *tiny_model_args), inputs, before)


def test_a_jsonl_output_that_is_an_input_is_refused(inputs: Path, tiny_model_args) -> None:
    before = folder_files(inputs)
    single = inputs / "part2" / "page00002.txt"
    result = run_cli("clean", inputs, "--format", "jsonl", "-o", single, *tiny_model_args)
    assert_refused(result, inputs, before)


def test_an_output_linked_to_an_input_is_refused(inputs: Path, tmp_path: Path, tiny_model_args) -> None:
    before = folder_files(inputs)
    link = tmp_path / "out.jsonl"
    os.symlink(inputs / "part0" / "page00000.txt", link)
    result = run_cli("clean", inputs, "--format", "jsonl", "-o", link, *tiny_model_args)
    assert_refused(result, inputs, before)


def test_label_output_equal_to_its_input_is_refused(tmp_path: Path, tiny_model_args) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "paragraphs": ["Storm closes the harbour"]}])
    before = source.read_bytes()
    result = run_cli("label", source, "-o", source, *tiny_model_args)
    assert result.exit_code == 2
    assert "would overwrite the input" in result.output
    assert source.read_bytes() == before


@pytest.mark.parametrize(
    ("fmt", "make", "expected"),
    [("txt", "file", "is not a folder"), ("jsonl", "folder", "is a folder"), ("txt", None, "--resume needs -o")],
    ids=["txt-to-a-file", "jsonl-to-a-folder", "resume-to-stdout"],
)
def test_an_output_of_the_wrong_kind_is_a_usage_error(inputs, tmp_path, tiny_model_args, fmt, make, expected) -> None:
    target = tmp_path / "target"
    args = ["-o", target] if make else ["--resume"]
    if make == "file":
        target.write_text("keep me", encoding="utf-8")
    elif make == "folder":
        target.mkdir()
    result = run_cli("clean", inputs / "part0" / "page00000.txt", "--format", fmt, *args, *tiny_model_args)
    assert result.exit_code == 2
    assert expected in result.output
    assert make != "file" or target.read_text(encoding="utf-8") == "keep me"


# --- --resume ---------------------------------------------------------------------------------------------------


def test_resume_skips_text_outputs_that_exist_and_writes_the_others(inputs, tmp_path, tiny_model_args) -> None:
    out = tmp_path / "out"
    assert run_cli("clean", inputs, "-o", out, *tiny_model_args).exit_code == 0
    expected = folder_files(out)
    (out / "part0" / "page00000.txt").write_text("finished earlier\n", encoding="utf-8")
    (out / "part2" / "page00002.txt").unlink()
    result = run_cli("clean", inputs, "-o", out, "--resume", *tiny_model_args)
    assert result.exit_code == 0, result.output
    assert "2 already done (--resume)" in result.stderr and "1 documents" in result.stderr
    assert folder_files(out) == {**expected, "part0/page00000.txt": b"finished earlier\n"}


def test_resume_continues_a_partial_jsonl_output_after_its_last_complete_record(inputs, tmp_path, tiny_model_args) -> None:
    out = tmp_path / "out.jsonl"
    assert run_cli("clean", inputs, "--format", "jsonl", "-o", out, *tiny_model_args).exit_code == 0
    complete = out.read_bytes()
    first, second, _ = complete.splitlines(keepends=True)
    out.unlink()
    partial_path(out).write_bytes(first + second[: len(second) // 2])  # as a killed run leaves it
    result = run_cli("clean", inputs, "--format", "jsonl", "-o", out, "--resume", *tiny_model_args)
    assert result.exit_code == 0, result.output
    assert "1 already done (--resume)" in result.stderr and "2 documents" in result.stderr
    assert out.read_bytes() == complete
    assert not partial_path(out).exists()


def test_resume_adds_new_inputs_to_a_finished_jsonl_output(inputs, tmp_path, tiny_model_args) -> None:
    out = tmp_path / "out.jsonl"
    assert run_cli("clean", inputs, "--format", "jsonl", "-o", out, *tiny_model_args).exit_code == 0
    before = read_jsonl_file(out)
    write_pages(tmp_path / "more", 5)
    new = tmp_path / "more" / "part4" / "page00004.txt"
    (inputs / "part4").mkdir()
    new.rename(inputs / "part4" / new.name)
    result = run_cli("clean", inputs, "--format", "jsonl", "-o", out, "--resume", *tiny_model_args)
    assert result.exit_code == 0, result.output
    after = read_jsonl_file(out)
    assert after[:3] == before
    assert [r["id"] for r in after[3:]] == ["part4/page00004.txt"]


def test_without_resume_a_stale_partial_jsonl_output_is_started_afresh(inputs, tmp_path, tiny_model_args) -> None:
    out = tmp_path / "out.jsonl"
    partial_path(out).write_text('{"id": "part0/page00000.txt", "stale": true}\n', encoding="utf-8")
    assert run_cli("clean", inputs, "--format", "jsonl", "-o", out, *tiny_model_args).exit_code == 0
    assert [r.get("stale") for r in read_jsonl_file(out)] == [None, None, None]


# --- --resume with the corpus writer: JSONL input, other id fields, gzip ------------------------------------------


def test_resume_of_a_jsonl_corpus_skips_records_by_their_id_field(tmp_path, tiny_model_args) -> None:
    records = [{"doc": f"d{k}", "content": "\n".join(synthetic_document(k)[0][:4]), "lang": "en"} for k in range(4)]
    source = write_jsonl(tmp_path / "in.jsonl", records)
    out = tmp_path / "out.jsonl"
    args = ["--format", "jsonl", "--text-field", "content", "--id-field", "doc", "-o", out, *tiny_model_args]
    assert run_cli("clean", source, *args).exit_code == 0
    complete = out.read_bytes()
    lines = complete.splitlines(keepends=True)
    out.unlink()
    partial_path(out).write_bytes(b"".join(lines[:2]) + lines[2][:10])
    result = run_cli("clean", source, *args, "--resume")
    assert result.exit_code == 0, result.output
    assert "2 already done (--resume)" in result.stderr and "2 documents" in result.stderr
    assert out.read_bytes() == complete
    assert [r["doc"] for r in read_jsonl_file(out)] == ["d0", "d1", "d2", "d3"]


def test_resume_continues_a_cut_off_gzipped_jsonl_output(inputs, tmp_path, tiny_model_args) -> None:
    out = tmp_path / "out.jsonl.gz"
    assert run_cli("clean", inputs, "--format", "jsonl", "-o", out, *tiny_model_args).exit_code == 0
    expected = gzip.decompress(out.read_bytes())
    first = expected.splitlines(keepends=True)[0]
    out.unlink()
    partial_path(out).write_bytes(gzip.compress(first + b'{"id": "cut off')[:-12])  # no trailer: a killed run
    result = run_cli("clean", inputs, "--format", "jsonl", "-o", out, "--resume", *tiny_model_args)
    assert result.exit_code == 0, result.output
    assert "1 already done (--resume)" in result.stderr and "2 documents" in result.stderr
    assert gzip.decompress(out.read_bytes()) == expected
    assert not partial_path(out).exists()


def test_resume_with_split_streams_is_a_usage_error(inputs, tmp_path, tiny_model_args) -> None:
    out = tmp_path / "out.jsonl"
    result = run_cli("clean", inputs, "--format", "jsonl", "--split-streams", "-o", out, "--resume", *tiny_model_args)
    assert result.exit_code == 2
    assert "--resume cannot continue --split-streams output" in result.output
    assert not list(tmp_path.glob("out*"))


def test_a_jsonl_output_that_is_the_jsonl_input_is_refused(tmp_path, tiny_model_args) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": "Storm closes the harbour"}])
    before = source.read_bytes()
    result = run_cli("clean", source, "--format", "jsonl", "-o", source, *tiny_model_args)
    assert result.exit_code == 2 and "would overwrite the input" in result.output
    assert source.read_bytes() == before


# --- a run killed partway, then resumed -------------------------------------------------------------------------


def start_clean(args: list, tiny_model_args: list[str]) -> subprocess.Popen:
    command = [sys.executable, "-m", "cleaner", "clean", *map(str, args), *tiny_model_args]
    return subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def kill_when(process: subprocess.Popen, ready) -> None:
    """SIGKILL `process` as soon as `ready()` holds; fail if it finished first (the test would prove nothing)."""
    deadline = time.monotonic() + KILL_WAIT_SECONDS
    while not ready():
        assert process.poll() is None, "the run ended before it could be killed: make the corpus larger"
        assert time.monotonic() < deadline, "no output appeared"
        time.sleep(POLL_SECONDS)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("kill") / "in"
    write_pages(folder, KILL_TEST_FILES)
    return folder


@pytest.fixture(scope="module")
def uninterrupted(corpus: Path, tiny_model_args, tmp_path_factory) -> tuple[dict[str, bytes], bytes]:
    """The outputs of runs that were not interrupted: the text folder, and the JSONL file."""
    out = tmp_path_factory.mktemp("whole")
    assert run_cli("clean", corpus, "-o", out / "txt", *tiny_model_args).exit_code == 0
    assert run_cli("clean", corpus, "--format", "jsonl", "-o", out / "all.jsonl", *tiny_model_args).exit_code == 0
    return folder_files(out / "txt"), (out / "all.jsonl").read_bytes()


def test_a_killed_text_run_leaves_only_complete_files_and_resumes_to_the_same_output(corpus, uninterrupted, tmp_path, tiny_model_args) -> None:
    expected, _ = uninterrupted
    out = tmp_path / "out"
    process = start_clean([corpus, "-o", out], tiny_model_args)
    kill_when(process, lambda: out.exists() and any(out.rglob("page*.txt")))
    written = folder_files(out)
    assert 0 < len(written) < len(expected)
    assert all(expected[name] == data for name, data in written.items())  # whatever looks finished is finished
    assert all(p.name.startswith(".") and p.name.endswith(".part") for p in out.rglob("*")
               if p.is_file() and p.relative_to(out).as_posix() not in expected)

    result = run_cli("clean", corpus, "-o", out, "--resume", *tiny_model_args)
    assert result.exit_code == 0, result.output
    assert f"{len(written)} already done (--resume)" in result.stderr
    assert folder_files(out) == expected


def test_a_killed_jsonl_run_leaves_no_output_file_and_resumes_to_the_same_output(corpus, uninterrupted, tmp_path, tiny_model_args) -> None:
    _, expected = uninterrupted
    out = tmp_path / "all.jsonl"
    process = start_clean([corpus, "--format", "jsonl", "-o", out], tiny_model_args)
    kill_when(process, lambda: partial_path(out).exists() and partial_path(out).stat().st_size > 0)
    assert not out.exists()  # only the hidden .part file: nothing looks finished
    done = partial_path(out).read_bytes()
    records_done = done.count(b"\n")
    assert 0 < len(done) < len(expected) and expected.startswith(done[: done.rfind(b"\n") + 1])

    result = run_cli("clean", corpus, "--format", "jsonl", "-o", out, "--resume", *tiny_model_args)
    assert result.exit_code == 0, result.output
    assert f"{records_done} already done (--resume)" in result.stderr
    assert out.read_bytes() == expected
    assert not partial_path(out).exists()
