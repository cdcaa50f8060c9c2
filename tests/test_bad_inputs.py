"""Bad input through the command line: each is reported with its file (and line), the run goes on, exit 0/1/2."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from cleaner import clean
from cleaner.pipeline.io import kept_text
from cleaner.labels import LABELS

from conftest import permissions_are_enforced, read_jsonl_file, run_cli, synthetic_document, write_jsonl
from test_io import FRENCH, GERMAN, SMART_QUOTES, png_bytes

ALL_LABELS = ",".join(LABELS)
LONG_LINE_BYTES = 50 * 1024 * 1024
SUMMARY = re.compile(r"cleaner: (\d+) documents, (\d+) paragraphs \(([^)]*)\)")


def page(k: int) -> str:
    return "\n".join(synthetic_document(k)[0]) + "\n"


@pytest.fixture
def good(tmp_path: Path) -> list[Path]:
    """Two ordinary input files, to show that the run goes on past a bad one."""
    paths = [tmp_path / "good1.txt", tmp_path / "good2.txt"]
    for k, path in enumerate(paths):
        path.write_text(page(k), encoding="utf-8")
    return paths


def summary_counts(stderr: str) -> tuple[int, int, dict[str, int]]:
    """Documents, paragraphs and paragraphs per label from the run's summary line."""
    documents, paragraphs, labels = SUMMARY.search(stderr).groups()
    per_label = {name: int(count) for name, count in (item.split() for item in labels.split(", "))}
    return int(documents), int(paragraphs), per_label


def assert_good_outputs_written(out: Path, good: list[Path], model) -> None:
    for path in good:
        expected = kept_text(clean(path.read_text(encoding="utf-8"), model=model), frozenset(LABELS))
        assert (out / path.name).read_text(encoding="utf-8") == expected


def clean_with_one_bad_input(bad: Path, good: list[Path], out: Path, model, model_args: list[str], problem: str):
    """Clean `bad` between the `good` inputs: it is reported with `problem`, and the good ones are written."""
    result = run_cli("clean", good[0], bad, *good[1:], "-o", out, "--keep", ALL_LABELS, *model_args)
    assert result.exit_code == 1
    assert f"cleaner: error: {bad}: {problem}" in result.stderr
    assert_good_outputs_written(out, good, model)
    return result


@pytest.mark.parametrize("name", ["photo.txt", "photo.html"])
def test_a_binary_file_named_txt_or_html_is_reported_and_the_run_goes_on(tmp_path, good, tiny_model, tiny_model_args, name) -> None:
    image = tmp_path / name
    image.write_bytes(png_bytes())
    out = tmp_path / "out"
    result = clean_with_one_bad_input(image, good, out, tiny_model, tiny_model_args, "binary data (a PNG image), not text")
    assert not (out / "photo.txt").exists()
    assert summary_counts(result.stderr)[0] == 2
    assert "1 inputs failed" in result.stderr


@pytest.mark.parametrize(
    ("text", "encoding", "note"),
    [(FRENCH, "latin-1", "cp1252"), (SMART_QUOTES, "cp1252", "cp1252"), (GERMAN, "utf-16", None)],
    ids=["latin-1", "cp1252", "utf-16-bom"],
)
def test_text_in_another_encoding_is_decoded_and_said(tmp_path, tiny_model, tiny_model_args, text, encoding, note) -> None:
    source = tmp_path / "legacy.txt"
    content = "Harbour closed after the storm\n" + text + "Share on Facebook\n"
    source.write_bytes(content.encode(encoding))
    out = tmp_path / "out.jsonl"
    result = run_cli("clean", source, "--format", "jsonl", "-o", out, *tiny_model_args)
    assert result.exit_code == 0, result.output
    (record,) = read_jsonl_file(out)
    assert record["paragraphs"] == [p.text for p in clean(content, model=tiny_model).paragraphs]
    assert record["paragraphs"][1] == text.strip()  # the accented text, not mojibake
    if note:
        assert f"cleaner: note: {source}: not UTF-8; decoded as {note}" in result.stderr
        assert record["encoding"] == note
    else:
        assert "note" not in result.stderr and "encoding" not in record


def test_text_whose_encoding_cannot_be_told_is_reported(tmp_path, good, tiny_model, tiny_model_args) -> None:
    odd = tmp_path / "odd.txt"
    odd.write_bytes(bytes(range(0x80, 0x100)) * 3)
    clean_with_one_bad_input(odd, good, tmp_path / "out", tiny_model, tiny_model_args,
                             "not UTF-8, and its encoding cannot be told reliably")


def test_html_in_an_undeclared_legacy_encoding_is_decoded_and_said(tmp_path, tiny_model_args) -> None:
    source = tmp_path / "legacy.html"
    body = "".join(f"<p>{line}</p>" for line in FRENCH.splitlines() if line.strip())
    source.write_bytes(f"<html><head><title>Le port</title></head><body>{body}</body></html>".encode("cp1252"))
    declared = tmp_path / "declared.html"
    declared.write_bytes(source.read_bytes().replace(b"<head>", b'<head><meta charset="windows-1252">'))
    out = tmp_path / "out.jsonl"
    result = run_cli("clean", source, declared, "--format", "jsonl", "-o", out, *tiny_model_args)
    assert result.exit_code == 0, result.output
    legacy, named = read_jsonl_file(out)
    assert f"cleaner: note: {source}: not UTF-8; decoded as cp1252" in result.stderr
    assert legacy["encoding"] == "cp1252" and "encoding" not in named  # a declared charset is no guess
    assert legacy["paragraphs"] == named["paragraphs"]
    assert any("\u00e9" in p for p in legacy["paragraphs"])


@pytest.mark.parametrize("content", [b"", b"\n \r\n\t\n\xc2\xa0\n"], ids=["empty", "blank"])
def test_an_empty_file_gives_an_empty_output_and_counts_as_a_document(tmp_path, tiny_model_args, content) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(content)
    result = run_cli("clean", empty, "-o", tmp_path / "out", *tiny_model_args)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "empty.txt").read_bytes() == b""
    assert f"cleaner: note: {empty}: empty (no paragraphs); its output is empty" in result.stderr
    assert summary_counts(result.stderr)[:2] == (1, 0)
    assert "1 empty" in result.stderr

    result = run_cli("clean", empty, "--format", "jsonl", "-o", tmp_path / "out.jsonl", *tiny_model_args)
    assert result.exit_code == 0, result.output
    (record,) = read_jsonl_file(tmp_path / "out.jsonl")
    assert record["paragraphs"] == [] and all(record[name] == "" for name in LABELS)


def test_a_file_with_one_50_mb_line_is_cleaned_whole(tmp_path, tiny_model_args) -> None:
    # The model reads only the start of a huge paragraph (api.MAX_CLASSIFIED_CHARS); the output keeps all of it.
    huge = tmp_path / "huge.txt"
    words = b"lorem ipsum dolor sit amet "
    line = words * (LONG_LINE_BYTES // len(words))
    huge.write_bytes(b"A headline over a long line\n" + line + b"\nA closing line.\n")
    out = tmp_path / "out"
    result = run_cli("clean", huge, "-o", out, "--keep", ALL_LABELS, *tiny_model_args)
    assert result.exit_code == 0, result.output
    assert summary_counts(result.stderr)[:2] == (1, 3)
    written = (out / "huge.txt").read_bytes()
    assert written.count(line.strip()) == 1
    assert len(written) == len(huge.read_bytes()) - 1  # every byte but the trailing space of the long line


def test_a_malformed_jsonl_line_and_a_record_without_text_are_reported_by_line(tmp_path, tiny_model_args) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [
        {"id": "a", "text": page(0)},
        '{"id": "broken", "text": "no closing brace"',
        {"id": "no-text", "title": "only a title"},
        {"id": "b", "paragraphs": synthetic_document(1)[0]},
    ])
    with open(source, "ab") as handle:
        handle.write(b'{"id": "latin", "text": "caf\xe9"}\n{"id": "c", "text": "last"}\n')
    out = tmp_path / "out.jsonl"
    result = run_cli("label", source, "-o", out, *tiny_model_args)
    assert result.exit_code == 1
    assert f"cleaner: error: {source}:2: not valid JSON" in result.stderr
    assert f"cleaner: error: {source}:3: the record has neither 'paragraphs' nor 'text'" in result.stderr
    assert f"cleaner: error: {source}:5: not UTF-8" in result.stderr
    assert [r["id"] for r in read_jsonl_file(out)] == ["a", "b", "c"]
    assert "3 inputs failed" in result.stderr


def test_a_missing_path_and_a_broken_link_are_reported(tmp_path, good, tiny_model, tiny_model_args) -> None:
    link = tmp_path / "link.txt"
    os.symlink(tmp_path / "moved-away.txt", link)
    out = tmp_path / "out"
    result = run_cli("clean", tmp_path / "absent.txt", link, *good, "-o", out, "--keep", ALL_LABELS, *tiny_model_args)
    assert result.exit_code == 1
    assert f"cleaner: error: {tmp_path / 'absent.txt'}: no such file or folder" in result.stderr
    assert f"cleaner: error: {link}: broken symbolic link" in result.stderr
    assert_good_outputs_written(out, good, tiny_model)


@pytest.mark.skipif(not permissions_are_enforced(), reason="mode 000 does not stop root")
def test_an_unreadable_file_is_reported(tmp_path, good, tiny_model, tiny_model_args) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text(page(5), encoding="utf-8")
    locked.chmod(0)
    clean_with_one_bad_input(locked, good, tmp_path / "out", tiny_model, tiny_model_args, "cannot read (Permission denied)")


def test_a_folder_where_a_jsonl_file_is_expected_is_a_usage_error(tmp_path, tiny_model_args) -> None:
    result = run_cli("label", tmp_path, "-o", tmp_path / "out.jsonl", *tiny_model_args)
    assert result.exit_code == 2
    assert f"{tmp_path}: cannot read (Is a directory)" in result.output
    assert not (tmp_path / "out.jsonl").exists()


def test_unicode_line_breaks_in_a_record_stay_on_its_one_output_line(tmp_path, tiny_model_args) -> None:
    # JSON may hold U+0085, U+2028 and U+2029 raw, but str.splitlines() and many editors end a line there.
    source = tmp_path / "in.jsonl"
    record = {"id": "a\u2028b", "source": "x\x85y", "text": "One line\u2029of text"}
    source.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = run_cli("clean", source, "--format", "jsonl", "-o", out, *tiny_model_args)
    assert result.exit_code == 0, result.output
    (line,) = out.read_text(encoding="utf-8").splitlines()
    written = json.loads(line)
    assert written["id"] == "a\u2028b" and written["source"] == "x\x85y"


def test_a_lone_surrogate_in_jsonl_is_labeled_and_written_back_as_an_escape(tmp_path, tiny_model_args) -> None:
    # JSON may escape half of a UTF-16 pair on its own; UTF-8 cannot hold it, so the output escapes it again.
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "s", "paragraphs": ["Broken \\ud800 pair", "Fine text"]}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = run_cli("label", source, "-o", out, *tiny_model_args)
    assert result.exit_code == 0, result.output
    assert "\\ud800" in out.read_text(encoding="utf-8")
    (record,) = read_jsonl_file(out)
    assert record["paragraphs"] == ["Broken \ud800 pair", "Fine text"] and len(record["labels"]) == 2
