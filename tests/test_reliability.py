"""Faults a new user meets (issue 19): each is a clear error naming the input, or the input's text, never a silent loss."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import joblib
import pytest

from cleaner import clean, clean_documents, clean_html, label

from cleaner.labels import LABELS
from cleaner.model.persist import file_sha256

from conftest import SEEDS_DIR, labeled_records, read_jsonl_file, run_cli, write_jsonl

DEEP_TEXT = "Deep text inside many nested elements, written for the reader."
AFTER_TEXT = "Another paragraph after the nesting, also with words."


def nested_page(depth: int) -> str:
    return (f"<html><body>{'<div>' * depth}<p>{DEEP_TEXT}</p>{'</div>' * depth}<p>{AFTER_TEXT}</p>"
            "</body></html>")


@pytest.mark.parametrize("bad", [None, 5, b"x"])
def test_label_refuses_a_paragraph_that_is_not_a_string(tiny_model, bad) -> None:
    with pytest.raises(TypeError, match=r"paragraph 1 must be a string, not (None|int|bytes)"):
        label(["a", bad, "c"], model=tiny_model)


def test_clean_documents_names_the_document_whose_paragraphs_hold_a_non_string(tiny_model) -> None:
    with pytest.raises(TypeError, match=r"document 'd7': paragraph 0 must be a string, not None"):
        list(clean_documents([{"id": "d7", "paragraphs": [None]}], model=tiny_model))


@pytest.mark.parametrize("call, bad, message", [
    (clean, b"bytes", r"clean\(\) takes a text \(str\), not bytes"),
    (clean, None, r"clean\(\) takes a text \(str\), not None"),
    (clean_html, None, r"clean_html\(\) takes a page as str or bytes, not None"),
    (clean_html, 42, r"clean_html\(\) takes a page as str or bytes, not int"),
])
def test_the_library_says_what_a_function_takes(tiny_model, call, bad, message) -> None:
    with pytest.raises(TypeError, match=message):
        call(bad, model=tiny_model)


def test_clean_documents_refuses_a_bare_string(tiny_model) -> None:
    with pytest.raises(TypeError, match="not a single text"):
        next(clean_documents("abc", model=tiny_model))


def test_clean_documents_yields_the_good_documents_before_a_bad_one_then_raises(tiny_model) -> None:
    stream = clean_documents(["first text\nline", "second text", 12, "never reached"], model=tiny_model, batch_size=64)
    got = [next(stream), next(stream)]
    assert [doc.paragraphs[0].text for doc in got] == ["first text", "second text"]
    with pytest.raises(TypeError, match="expected a text or a record"):
        next(stream)


def test_clean_documents_can_skip_bad_documents_with_a_warning(tiny_model, caplog) -> None:
    items = ["one", {"id": "bad", "text": 5}, "two", {"id": "x"}, "three"]
    with caplog.at_level(logging.WARNING, logger="cleaner"):
        docs = list(clean_documents(items, model=tiny_model, errors="skip", batch_size=2))
    assert [doc.paragraphs[0].text for doc in docs] == ["one", "two", "three"]
    assert "document 'bad'" in caplog.text and "document 'x'" in caplog.text


def test_clean_documents_refuses_an_unknown_errors_choice(tiny_model) -> None:
    with pytest.raises(ValueError, match="errors must be one of raise, skip"):
        next(clean_documents(["a"], model=tiny_model, errors="ignore"))


def test_html_nested_past_libxml2s_default_depth_keeps_its_text(tiny_model) -> None:
    texts = [p.text for p in clean_html(nested_page(300), model=tiny_model).paragraphs]
    assert DEEP_TEXT in texts and AFTER_TEXT in texts


def test_html_nested_past_the_parsers_limit_is_an_error_not_an_empty_page(tmp_path: Path, tiny_model, tiny_model_args) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "deep.html").write_text(nested_page(3000), encoding="utf-8")
    (tmp_path / "in" / "fine.html").write_text(nested_page(300), encoding="utf-8")
    # Every label kept: this is about the page that nests too deep, not about how the tiny model labels the other.
    result = run_cli("clean", tmp_path / "in", "-o", tmp_path / "out", "--keep", ",".join(LABELS), *tiny_model_args)
    assert result.exit_code == 1
    assert f"cleaner: error: {tmp_path / 'in' / 'deep.html'}: the page nests elements more than 2048" in result.stderr
    assert not (tmp_path / "out" / "deep.txt").exists()
    assert DEEP_TEXT in (tmp_path / "out" / "fine.txt").read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="more than 2048 levels"):
        clean_html(nested_page(3000), model=tiny_model)


# --- the command line -------------------------------------------------------------------------------------------

def test_repeated_ids_are_noted_and_resume_never_drops_a_record(tmp_path: Path, tiny_model_args) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": "x", "text": f"Record number {k} of three."} for k in range(3)])
    out = tmp_path / "out.jsonl"
    first = run_cli("clean", source, "--format", "jsonl", "-o", out, *tiny_model_args)
    assert first.exit_code == 0 and "id 'x' repeats an earlier record's" in first.stderr and "2 repeated ids" in first.stderr
    whole = out.read_text(encoding="utf-8").splitlines()
    (tmp_path / ".out.jsonl.part").write_text(whole[0] + "\n", encoding="utf-8")  # interrupted after one record
    out.unlink()
    resumed = run_cli("clean", source, "--format", "jsonl", "-o", out, "--resume", *tiny_model_args)
    assert resumed.exit_code == 0 and "1 already done" in resumed.stderr
    assert out.read_text(encoding="utf-8").splitlines() == whole


def test_utf8_lines_then_cp1252_lines_are_an_error_naming_the_byte_and_line(tmp_path: Path, tiny_model_args) -> None:
    mixed = tmp_path / "mixed.txt"
    mixed.write_bytes("Première ligne, déjà.\n".encode() + "Deuxième ligne, très.\n".encode("cp1252"))
    result = run_cli("clean", mixed, *tiny_model_args)
    assert result.exit_code == 1
    assert f"{mixed}: UTF-8 up to byte 30 (line 2), then not UTF-8" in result.stderr and "two encodings" in result.stderr


def test_a_folder_of_jsonl_files_is_cleaned_with_format_jsonl(tmp_path: Path, tiny_model_args) -> None:
    parts = tmp_path / "parts"
    parts.mkdir()
    write_jsonl(parts / "a.jsonl", [{"id": "a", "text": "First part."}])
    write_jsonl(parts / "b.jsonl", [{"id": "b", "text": "Second part."}])
    result = run_cli("clean", parts, "--format", "jsonl", "-o", tmp_path / "x.jsonl", *tiny_model_args)
    assert result.exit_code == 0 and "2 documents" in result.stderr
    assert [record["id"] for record in read_jsonl_file(tmp_path / "x.jsonl")] == ["a", "b"]
    as_text = run_cli("clean", parts, "-o", tmp_path / "txt", *tiny_model_args)
    assert as_text.exit_code == 1 and "no inputs to clean" in as_text.stderr and "--format jsonl" in as_text.stderr
    folder = run_cli("clean", parts, "--format", "jsonl", "-o", f"{tmp_path / 'dir'}/", *tiny_model_args)
    assert folder.exit_code == 2 and "is a folder; --format jsonl writes one file" in folder.output
    assert not (tmp_path / "dir").exists()


def test_standard_input_is_sniffed_for_jsonl_and_html(tmp_path: Path, tiny_model_args) -> None:
    record = json.dumps({"id": "r1", "text": "A line of the record.\nAnother line."}) + "\n"
    jsonl = run_cli("clean", "-", "--format", "jsonl", *tiny_model_args, input=record)
    assert jsonl.exit_code == 0, jsonl.output
    assert json.loads(jsonl.stdout.splitlines()[0])["id"] == "r1"
    page = "<!DOCTYPE html><html><head><title>A page</title></head><body><p>Words of the page body.</p></body></html>"
    html = run_cli("clean", "-", "--keep", ",".join(LABELS), *tiny_model_args, input=page)
    assert html.exit_code == 0 and "<p>" not in html.stdout and "Words of the page body." in html.stdout


def test_a_folder_nested_a_thousand_deep_is_cleaned(tmp_path: Path, tiny_model_args) -> None:
    top = tmp_path / "in"
    deep = top
    for _ in range(1000):
        deep = deep / "d"
    _make_deep(deep)
    (deep / "deep.txt").write_text("Deep file text.\n", encoding="utf-8")
    (top / "top.txt").write_text("Top file text.\n", encoding="utf-8")
    result = run_cli("clean", top, "-o", tmp_path / "out", "--keep", "body,boilerplate,headline", *tiny_model_args)
    try:
        assert result.exit_code == 0, result.output
        assert "2 documents" in result.stderr
        assert (tmp_path / "out" / deep.relative_to(top) / "deep.txt").exists()
    finally:  # pytest's own clean-up of old temporary folders recurses, and would fail on these
        _remove_deep(top)
        _remove_deep(tmp_path / "out")


def _remove_deep(root: Path) -> None:
    """rm -r, one level after another (shutil.rmtree recurses)."""
    stack = [(str(root), False)]
    while stack:
        folder, emptied = stack.pop()
        if emptied:
            os.rmdir(folder)
            continue
        stack.append((folder, True))
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, False))
                else:
                    os.unlink(entry.path)


def _make_deep(folder: Path) -> None:
    """mkdir -p for a path too deep for os.makedirs (which recurses)."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for level in reversed(missing):
        level.mkdir()


@pytest.fixture
def small_filesystem(tmp_path: Path):
    """A 64 KiB tmpfs, mounted read-write, or skip where mounting is not allowed."""
    mount = tmp_path / "fs"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True)
    if made.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_a_full_disk_is_one_line_and_keeps_the_part_file(tmp_path: Path, small_filesystem: Path, tiny_model_args) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": k, "text": "A long line of text. " * 200} for k in range(40)])
    result = run_cli("clean", source, "--format", "jsonl", "-o", small_filesystem / "out.jsonl", *tiny_model_args)
    assert result.exit_code == 1
    assert f"cleaner: error: {small_filesystem / '.out.jsonl.part'}: cannot write (No space left on device)" in result.stderr
    assert "Traceback" not in result.output and (small_filesystem / ".out.jsonl.part").exists()


def test_a_read_only_file_system_is_one_line(tmp_path: Path, small_filesystem: Path, tiny_model_args) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(small_filesystem)], check=True)
    source = tmp_path / "a.txt"
    source.write_text("Some text.\n", encoding="utf-8")
    result = run_cli("clean", source, "-o", small_filesystem / "out", *tiny_model_args)
    assert result.exit_code == 1
    assert "cannot write (Read-only file system)" in result.stderr and "Traceback" not in result.output


def test_a_trusted_pickle_that_is_not_a_cleaner_model_is_refused(tmp_path: Path, tiny_trained) -> None:
    fake = tmp_path / "fake.joblib"
    joblib.dump({"not": "a model"}, fake)
    card = json.loads(Path(tiny_trained[1]).with_suffix(".json").read_text(encoding="utf-8"))
    card["model_sha256"] = file_sha256(fake)
    fake.with_suffix(".json").write_text(json.dumps(card), encoding="utf-8")
    source = tmp_path / "a.txt"
    source.write_text("Some text.\n", encoding="utf-8")
    result = run_cli("clean", source, "--model", fake, "--trust-model")
    assert result.exit_code == 2 and "not a cleaner model (it holds a dict" in result.output


def test_training_on_one_group_skips_cross_validation_and_says_so(tmp_path: Path) -> None:
    records = labeled_records(6)
    data = write_jsonl(tmp_path / "mine.jsonl", records)
    result = run_cli("train", data, "-o", tmp_path / "m.npz")
    assert result.exit_code == 0, result.output
    assert "cross-validation skipped: all 6 documents are one group" in result.stderr
    assert "Warning" not in result.stderr and "warn" not in result.stderr
    evaluated = run_cli("evaluate", data, "--cv", "5")
    assert evaluated.exit_code == 2 and "needs documents of at least two groups" in evaluated.output
    one = write_jsonl(tmp_path / "one.jsonl", records[:1])
    single = run_cli("train", one, "-o", tmp_path / "one.npz")
    assert single.exit_code == 2 and "training needs at least 2 labeled documents" in single.output


def test_fewer_groups_than_folds_means_fewer_folds_said_so(tmp_path: Path) -> None:
    for part in ("a", "b", "c"):
        write_jsonl(tmp_path / f"{part}.jsonl", labeled_records(3, prefix=part))
    result = run_cli("evaluate", *(tmp_path / f"{part}.jsonl" for part in "abc"), "--cv", "5")
    assert result.exit_code == 0, result.output
    assert "3 groups of documents: 3-fold cross-validation instead of 5-fold" in result.stderr


def test_the_gate_given_a_model_file_says_it_trains_its_own(tmp_path: Path, tiny_trained) -> None:
    result = run_cli("gate", tiny_trained[1])
    assert result.exit_code == 2 and "a model file; the gate trains its own model" in result.output


def test_messages_name_the_problem_in_the_users_words(tmp_path: Path, tiny_model_args) -> None:
    missing = run_cli("train", tmp_path / "nope.jsonl", "-o", tmp_path / "m.npz")
    assert missing.exit_code == 2 and "nope.jsonl: no such file or folder" in missing.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "tab\there"}\nnull\n', encoding="utf-8")
    result = run_cli("clean", bad, "--format", "jsonl", *tiny_model_args)
    assert "bad.jsonl:1: not valid JSON (Invalid control character at column 25)" in result.stderr
    assert "bad.jsonl:2: expected a JSON object {...}, not null" in result.stderr
    loop = tmp_path / "loop"
    loop.mkdir()
    os.symlink(loop / "b.txt", loop / "a.txt")
    os.symlink(loop / "a.txt", loop / "b.txt")
    looped = run_cli("clean", loop, "-o", tmp_path / "out", *tiny_model_args)
    assert "symbolic link loop" in looped.stderr


def test_an_output_inside_the_input_folder_is_refused_the_first_time(tmp_path: Path, tiny_model_args) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Some text.\n", encoding="utf-8")
    result = run_cli("clean", folder, "-o", folder / "out", *tiny_model_args)
    assert result.exit_code == 2 and "inside the input folder" in result.output
    assert not (folder / "out").exists()


def test_workers_exit_when_the_parent_is_killed(tmp_path: Path) -> None:
    text = (SEEDS_DIR / "000_dd04177b7bbca202.txt").read_text(encoding="utf-8")
    source = write_jsonl(tmp_path / "many.jsonl", [{"id": k, "text": text} for k in range(20_000)])
    parent = subprocess.Popen([sys.executable, "-m", "cleaner", "clean", str(source), "--format", "jsonl", "-o",
                               str(tmp_path / "out.jsonl"), "--jobs", "2"], stderr=subprocess.DEVNULL)
    workers = _wait_for_children(parent.pid, 2)
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.2)
    assert not [pid for pid in workers if _alive(pid)]


def _wait_for_children(pid: int, count: int) -> list[int]:
    """The pids of `pid`'s worker processes (loky's), once `count` of them run."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        found = subprocess.run(["pgrep", "-P", str(pid), "-f", "popen_loky"], capture_output=True, text=True).stdout.split()
        if len(found) >= count:
            time.sleep(1)  # let them load the model and take work
            return [int(p) for p in found]
        time.sleep(0.2)
    raise AssertionError("the workers did not start")


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as handle:
            return handle.read().split(") ", 1)[1][0] != "Z"
    except FileNotFoundError:
        return False


def test_a_killed_worker_is_one_line_exit_3_and_resume_finishes_the_run(tmp_path: Path) -> None:
    text = (SEEDS_DIR / "000_dd04177b7bbca202.txt").read_text(encoding="utf-8")
    source = write_jsonl(tmp_path / "many.jsonl", [{"id": k, "text": text} for k in range(20_000)])
    command = [sys.executable, "-m", "cleaner", "clean", str(source), "--format", "jsonl", "-o",
               str(tmp_path / "out.jsonl"), "--jobs", "2"]
    parent = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    workers = _wait_for_children(parent.pid, 2)
    os.kill(workers[0], 9)
    _, stderr = parent.communicate(timeout=300)
    assert parent.returncode == 3, stderr
    assert "a worker process died" in stderr and "rerun with --resume" in stderr and "Traceback" not in stderr
