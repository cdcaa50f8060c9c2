"""HTML input on the command line and the corpus writer: JSONL in and out, every field kept, streams, gzip."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import cleaner
from cleaner.cli import main
from cleaner.pipeline.corpus import NO_BODY_FIELD, stream_path
from cleaner.labels import LABELS, Label
from cleaner.text.segment import split_paragraphs

from conftest import SEEDS_DIR, read_jsonl_file, write_jsonl
from test_api import HTML_PAGE, PAGE

SEED_TEXTS = [path.read_text(encoding="utf-8") for path in sorted(SEEDS_DIR.glob("*.txt"))[:3]]


def run(*args: object, input: str | bytes | None = None) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


def read_gzip_jsonl(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def assert_every_paragraph_in_one_stream(record: dict, paragraphs: list[str]) -> None:
    """Each paragraph of the document is in exactly one stream field, under its label, in order."""
    assert record["paragraphs"] == paragraphs
    for name in LABELS:
        assert record[name] == "\n".join(p for p, lab in zip(paragraphs, record["labels"]) if lab == name)
    in_streams = [line for name in LABELS if record[name] for line in record[name].split("\n")]
    assert sorted(in_streams) == sorted(paragraphs)


# --- HTML files -------------------------------------------------------------------------------------------------


@pytest.fixture
def html_tree(tmp_path: Path) -> Path:
    """A folder with a page as .html, a gzipped .htm page in cp1252, and a text file."""
    root = tmp_path / "site"
    (root / "sub").mkdir(parents=True)
    (root / "a.html").write_text(HTML_PAGE, encoding="utf-8")
    latin = HTML_PAGE.replace("<head>", '<head><meta charset="windows-1252">').replace("old town", "vieux caf\u00e9")
    (root / "sub" / "b.htm.gz").write_bytes(gzip.compress(latin.encode("cp1252")))
    (root / "c.txt").write_text(PAGE, encoding="utf-8")
    return root


def test_clean_reads_html_files_gzipped_or_not_in_folders(html_tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("clean", html_tree, "-o", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.txt")) == ["a.txt", "c.txt", "sub/b.txt"]
    document = cleaner.clean_html(HTML_PAGE)
    assert (out / "a.txt").read_text(encoding="utf-8") == f"{document.title}\n{document.body}\n"
    assert "vieux caf\u00e9" in (out / "sub" / "b.txt").read_text(encoding="utf-8")


def test_clean_html_jsonl_merges_the_page_metadata(html_tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = run("clean", html_tree / "a.html", "--format", "jsonl", "-o", out)
    assert result.exit_code == 0, result.output
    (record,) = read_jsonl_file(out)
    assert record["id"] == "a.html"
    assert record["metadata"]["author"] == "Jane Doe" and record["metadata"]["date"] == "2021-05-03"
    assert_every_paragraph_in_one_stream(record, [p.text for p in cleaner.clean_html(HTML_PAGE).paragraphs])


def test_html_on_stdin() -> None:
    result = run("clean", "-", "--html", input=HTML_PAGE.encode("utf-8"))
    assert result.exit_code == 0, result.output
    document = cleaner.clean_html(HTML_PAGE)
    assert result.stdout == f"{document.title}\n{document.body}\n"
    assert "<p>" not in result.stdout


# --- JSONL corpus -----------------------------------------------------------------------------------------------

RECORDS = [
    {"doc": "a", "content": SEED_TEXTS[0], "url": "https://example.org/a", "crawl": {"depth": 2, "tags": ["x"]}},
    {"doc": "b", "content": SEED_TEXTS[1], "lang": "en", "score": 0.5, "note": None},
    {"doc": "c", "content": PAGE, "title": "The scraper's own title", "body": "<div>raw</div>"},
]


def test_jsonl_corpus_keeps_unknown_fields_and_every_paragraph(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", RECORDS)
    out = tmp_path / "out.jsonl"
    result = run("clean", source, "--format", "jsonl", "--text-field", "content", "--id-field", "doc", "-o", out)
    assert result.exit_code == 0, result.output
    records = read_jsonl_file(out)
    assert len(records) == len(RECORDS)
    for given, record in zip(RECORDS, records):
        kept = {key: value for key, value in given.items() if key != "content"}
        assert {key: record[key] for key in kept} == kept  # unknown fields, as given (the scraper's title too)
        assert "content" not in record and NO_BODY_FIELD not in record
        if "body" in given:  # a computed field never overwrites an input field
            assert_every_paragraph_in_one_stream(
                {**record, "body": record["cleaner_body"], "title": record["cleaner_title"]}, split_paragraphs(given["content"])
            )
        else:
            assert_every_paragraph_in_one_stream(record, split_paragraphs(given["content"]))
    assert "1 inputs failed" not in result.stderr and "3 documents" in result.stderr


def test_jsonl_corpus_with_html_records(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": 1, "html": HTML_PAGE, "site": "courier"}, {"id": 2, "text": PAGE}])
    out = tmp_path / "out.jsonl"
    assert run("clean", source, "--format", "jsonl", "-o", out).exit_code == 0
    html_record, text_record = read_jsonl_file(out)
    assert html_record["site"] == "courier" and "html" not in html_record
    assert html_record["metadata"]["author"] == "Jane Doe"
    assert "The harbour in the old town" in html_record["body"]
    assert_every_paragraph_in_one_stream(text_record, split_paragraphs(PAGE))


def test_split_streams_and_gzip_in_and_out(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl.gz"
    source.write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in RECORDS).encode("utf-8")))
    out = tmp_path / "corpus.jsonl.gz"
    result = run("clean", source, "--format", "jsonl", "--text-field", "content", "--id-field", "doc",
                 "-o", out, "--split-streams")
    assert result.exit_code == 0, result.output
    assert not out.exists()
    files = {label: read_gzip_jsonl(tmp_path / f"corpus.{label.value}.jsonl.gz") for label in Label}
    for k, given in enumerate(RECORDS):
        paragraphs = split_paragraphs(given["content"])
        lines = []
        for label, records in files.items():
            record = records[k]  # line k of every file is document k
            assert record["doc"] == given["doc"]
            field = label.value if label.value not in given else f"cleaner_{label.value}"
            lines += [line for line in record[field].split("\n") if line]
        assert sorted(lines) == sorted(paragraphs)  # every paragraph in exactly one stream file
    assert stream_path(Path("x/docs.jsonl"), Label.COMMENTS) == Path("x/docs.comments.jsonl")


def test_a_document_without_body_is_written_with_a_reason(tmp_path: Path) -> None:
    records = [{"id": "empty", "text": ""}, {"id": "chrome", "text": "Share on Facebook\nShare on Twitter\n\u00a9 2021"}]
    source = write_jsonl(tmp_path / "in.jsonl", records)
    out = tmp_path / "out.jsonl"
    assert run("clean", source, "--format", "jsonl", "-o", out).exit_code == 0
    empty, chrome = read_jsonl_file(out)
    assert empty["id"] == "empty" and empty["body"] == "" and "no text" in empty[NO_BODY_FIELD]
    assert chrome["id"] == "chrome" and chrome["body"] == "" and chrome["labels"] == ["boilerplate"] * 3
    assert chrome[NO_BODY_FIELD] == "no paragraph was labeled body (3 boilerplate)"


def test_bad_jsonl_records_are_reported_with_their_line_and_the_rest_is_written(tmp_path: Path) -> None:
    lines = [{"id": "ok", "text": PAGE}, '{"id": "broken"', {"id": "no-text", "title": "x"}, {"id": "n", "text": 3},
             {"id": "ok2", "text": PAGE}]
    source = write_jsonl(tmp_path / "in.jsonl", lines)
    out = tmp_path / "out.jsonl"
    result = run("clean", source, "--format", "jsonl", "-o", out)
    assert result.exit_code == 1
    for line in (2, 3, 4):
        assert f"{source}:{line}" in result.stderr
    assert [r["id"] for r in read_jsonl_file(out)] == ["ok", "ok2"]


@pytest.mark.parametrize("args", [["--format", "txt"], ["--format", "jsonl", "--split-streams"]])
def test_usage_errors_of_the_corpus_writer(tmp_path: Path, args: list[str]) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": 1, "text": PAGE}])
    result = run("clean", source, *args)
    assert result.exit_code == 2


def test_body_field_text_and_keep_input_for_datatrove_and_dolma(tmp_path: Path) -> None:
    records = [{"id": 1, "text": PAGE, "raw_text": "the scraper's own"}, {"id": 2, "html": HTML_PAGE}]
    source = write_jsonl(tmp_path / "in.jsonl", records)
    out = tmp_path / "out.jsonl"
    result = run("clean", source, "--format", "jsonl", "--body-field", "text", "--keep-input", "-o", out)
    assert result.exit_code == 0, result.output
    text_record, html_record = read_jsonl_file(out)
    assert text_record["text"] == cleaner.clean(PAGE).body and "body" not in text_record
    assert text_record["raw_text"] == "the scraper's own" and text_record["cleaner_raw_text"] == PAGE  # input kept
    assert html_record["raw_html"] == HTML_PAGE and "The harbour in the old town" in html_record["text"]
    default, = read_jsonl_file(_cleaned_to(tmp_path / "default.jsonl", source, "--format", "jsonl"))[:1]
    assert default["body"] == text_record["text"] and "text" not in default and "cleaner_raw_text" not in default


def test_body_field_in_split_streams_and_keep_input_of_a_text_file(tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_text(PAGE, encoding="utf-8")
    out = _cleaned_to(tmp_path / "docs.jsonl", tmp_path / "page.txt", "--format", "jsonl", "--split-streams",
                      "--body-field", "text", "--keep-input")
    body, = read_jsonl_file(stream_path(out, Label.BODY))
    comments, = read_jsonl_file(stream_path(out, Label.COMMENTS))
    assert body["text"] == cleaner.clean(PAGE).body and body["raw_text"] == PAGE and "body" not in body
    assert comments["comments"] == cleaner.clean(PAGE).comments and "text" not in comments


@pytest.mark.parametrize(("args", "problem"), [
    (["--format", "jsonl", "--body-field", "labels"], "'labels' is a field cleaner writes already"),
    (["--format", "jsonl", "--body-field", ""], "the body field needs a name"),
    (["--body-field", "text"], "--body-field and --keep-input need --format jsonl"),
    (["--keep-input"], "--body-field and --keep-input need --format jsonl"),
])
def test_body_field_and_keep_input_usage_errors(tmp_path: Path, args: list[str], problem: str) -> None:
    (tmp_path / "page.txt").write_text(PAGE, encoding="utf-8")
    result = run("clean", tmp_path / "page.txt", *args)
    assert result.exit_code == 2 and problem in result.stderr


def _cleaned_to(out: Path, *args: object) -> Path:
    """`out`, after `cleaner clean ARGS -o out` succeeded."""
    result = run("clean", *args, "-o", out)
    assert result.exit_code == 0, result.output
    return out
