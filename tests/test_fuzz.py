"""Fuzzing segmentation, decoding, JSONL reading, the public API and the command line with arbitrary input.

In CI each test runs the profile's examples; for a long run:
`CLEANER_FUZZ_EXAMPLES=20000 python -m pytest tests/test_fuzz.py --hypothesis-profile=fuzz`.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from cleaner import Label, clean, clean_documents, label
from cleaner.cli.commands import CleanOptions, clean_paths
from cleaner.pipeline.io import read_jsonl_records
from cleaner.text.decode import InputError, decode
from cleaner.text.segment import split_spans

from conftest import read_jsonl_file, run_cli
from corpus import expected_paragraphs
from test_segment import SEPARATORS

CODECS = ("utf-8", "utf-16", "utf-16-le", "utf-32", "cp1252", "latin-1", "cp1251", "cp1250", "shift_jis", "gb18030")
PIECE = st.one_of(st.text(st.characters(codec=None), max_size=30), st.sampled_from(SEPARATORS),
                  st.text(st.characters(max_codepoint=0x9F), max_size=10))
TEXT = st.lists(PIECE, max_size=30).map("".join)
JSON_VALUE = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                          lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                          max_leaves=8)
RECORD = st.one_of(
    TEXT,
    JSON_VALUE,
    st.fixed_dictionaries({"id": JSON_VALUE, "text": TEXT}),
    st.fixed_dictionaries({"paragraphs": st.lists(TEXT, max_size=6)}, optional={"id": JSON_VALUE}),
    st.dictionaries(st.sampled_from(["id", "text", "paragraphs", "url"]), JSON_VALUE, max_size=4),
)


def assert_labeled(document, paragraphs: list[str]) -> None:
    assert [p.text for p in document.paragraphs] == paragraphs
    assert all(isinstance(p.label, Label) and 0.0 <= p.confidence <= 1.0 for p in document.paragraphs)


@given(TEXT)
def test_fuzz_segmentation_matches_the_oracle(text: str) -> None:
    spans = split_spans(text)
    assert [s.text for s in spans] == expected_paragraphs(text)
    assert all(text[s.start : s.end] == s.text for s in spans)


@given(st.one_of(st.binary(max_size=300), st.tuples(TEXT, st.sampled_from(CODECS)).map(
    lambda pair: pair[0].encode(pair[1], errors="ignore"))))
def test_fuzz_decoding_gives_text_or_a_clear_error(data: bytes) -> None:
    try:
        decoded = decode(data, "in.txt")
    except InputError as error:
        assert str(error).startswith("in.txt: ")
        return
    assert "\x00" not in decoded.text or decoded.encoding.startswith(("utf_16", "utf_32", "utf-16", "utf-32"))
    decoded.text.encode("utf-8")  # always writable: no lone surrogates
    if decoded.encoding == "utf-8":
        assert decoded.text == data.decode("utf-8")


@given(st.lists(st.one_of(st.binary(max_size=60), JSON_VALUE.map(lambda v: json.dumps(v).encode())), max_size=8))
def test_fuzz_jsonl_reading_yields_records_or_errors_naming_the_line(lines: list[bytes]) -> None:
    data = b"\n".join(line.replace(b"\n", b" ") for line in lines)
    for item in read_jsonl_records(io.BytesIO(data), "in.jsonl"):
        assert isinstance(item, (dict, InputError))
        if isinstance(item, InputError):
            assert str(item).startswith("in.jsonl:")


@given(TEXT)
def test_fuzz_clean_labels_every_paragraph(tiny_model, text: str) -> None:
    assert_labeled(clean(text, model=tiny_model), expected_paragraphs(text))


@given(st.lists(TEXT, max_size=8))
def test_fuzz_label_keeps_the_given_paragraphs(tiny_model, paragraphs: list[str]) -> None:
    assert_labeled(label(paragraphs, model=tiny_model), paragraphs)


@given(st.lists(RECORD, max_size=5), st.integers(1, 4))
def test_fuzz_clean_documents_labels_records_or_refuses_them_clearly(tiny_model, records: list, batch_size: int) -> None:
    try:
        documents = list(clean_documents(records, model=tiny_model, batch_size=batch_size))
    except (ValueError, TypeError) as error:  # a record without text, or with fields of the wrong type
        assert str(error).startswith("document "), error
        return
    assert len(documents) == len(records)
    for document, record in zip(documents, records):
        text = record if isinstance(record, str) else record.get("text")
        if isinstance(text, str) and not (isinstance(record, dict) and "paragraphs" in record):
            assert_labeled(document, expected_paragraphs(text))


@given(st.binary(max_size=400) | TEXT.map(lambda t: t.encode("utf-8", errors="surrogatepass")))
def test_fuzz_the_clean_command_cleans_a_file_or_reports_it(tiny_model, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source, out = Path(folder, "in.txt"), Path(folder, "out.jsonl")
        source.write_bytes(data)
        summary = clean_paths([str(source)], str(out), CleanOptions("jsonl", frozenset(Label)), tiny_model)
        if summary.exit_code == 1:
            (error,) = summary.errors
            assert error.startswith(f"{source}: ")
            assert read_jsonl_file(out) == []
            return
        (record,) = read_jsonl_file(out)
        assert record["paragraphs"] == expected_paragraphs(decode(data, "in.txt").text)


NESTING = st.integers(0, 300).map(lambda depth: ("<div>" * depth + "<p>{}</p>" + "</div>" * depth))
FILE_BYTES = st.one_of(
    st.binary(max_size=300),
    st.tuples(TEXT, st.sampled_from(CODECS)).map(lambda pair: pair[0].encode(pair[1], errors="ignore")),
    st.tuples(NESTING, TEXT).map(lambda pair: pair[0].replace("{}", pair[1]).encode("utf-8", errors="surrogatepass")),
    st.lists(RECORD.map(lambda r: json.dumps(r)) | st.binary(max_size=40).map(lambda b: b.decode("latin-1")),
             max_size=5).map(lambda lines: "\n".join(l.replace("\n", " ") for l in lines).encode("utf-8", "surrogatepass")),
)
FILE_NAME = st.tuples(st.sampled_from(["a", "sub/b", "sub/deeper/c"]),
                      st.sampled_from([".txt", ".html", ".jsonl", ".txt.gz", ".jsonl.gz", ".htm"]))
SUMMARY_LINE = re.compile(r"cleaner: (\d+) documents, (\d+) paragraphs \(([^)]*)\)")


@given(st.dictionaries(FILE_NAME, FILE_BYTES, min_size=1, max_size=4), st.sampled_from(["txt", "jsonl"]),
       st.sampled_from(["body", "body,comments", ",".join(Label)]))
def test_fuzz_the_cli_ends_with_a_documented_exit_code_and_counts_that_add_up(
    tiny_model_args, files: dict, fmt: str, keep: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder, "in")
        for (stem, suffix), data in files.items():
            path = root / f"{stem}{suffix}"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(gzip.compress(data, mtime=0) if suffix.endswith(".gz") else data)
        out = Path(folder, "out.jsonl" if fmt == "jsonl" else "out")
        result = run_cli("clean", root, "--format", fmt, "--keep", keep, "-o", out, *tiny_model_args)
        assert result.exit_code in (0, 1), result.output
        assert "Traceback" not in result.output and "internal error" not in result.output
        documents, paragraphs, per_label = SUMMARY_LINE.search(result.stderr).groups()
        assert sum(int(part.split()[1]) for part in per_label.split(", ")) == int(paragraphs)
        for line in result.stderr.splitlines():
            assert line.startswith(("cleaner: error: ", "cleaner: note: ", "cleaner: ")), line
        if fmt == "jsonl" and out.exists():
            written = read_jsonl_file(out)
            assert len(written) == int(documents)
            # A record that brought its own "paragraphs" field (empty or null, so its "text" was cleaned) keeps it;
            # cleaner's paragraphs then go to "cleaner_paragraphs" (README: Cleaned corpora).
            labeled = [record.get("cleaner_paragraphs", record["paragraphs"]) for record in written]
            assert sum(map(len, labeled)) == int(paragraphs)
