"""Scale: a folder of 10,000 small generated documents, cleaned in one run; paragraphs in equal paragraphs out.

The corpus writer (JSONL output that keeps the input fields, --split-streams, gzip) is tested in test_corpus_writer.py."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from cleaner.labels import LABELS

from conftest import read_jsonl_file, run_cli
from corpus import write_corpus

CORPUS_DOCUMENTS = 10_000
SUMMARY = re.compile(r"cleaner: (\d+) documents, (\d+) paragraphs \(([^)]*)\)")


def test_ten_thousand_small_files_are_all_cleaned_and_no_paragraph_is_lost(tmp_path: Path, tiny_model_args) -> None:
    expected = write_corpus(tmp_path / "in", CORPUS_DOCUMENTS)
    out = tmp_path / "out.jsonl"
    result = run_cli("clean", tmp_path / "in", "--format", "jsonl", "-o", out, *tiny_model_args)
    assert result.exit_code == 0, result.stderr[-2000:]

    records = read_jsonl_file(out)
    assert [r["id"] for r in records] == sorted(expected)
    assert all(r["paragraphs"] == expected[r["id"]] for r in records)
    written = Counter(name for r in records for name in r["labels"])
    for record in records:  # each paragraph is in the stream of its label, and in no other
        for name in LABELS:
            kept = [p for p, lab in zip(record["paragraphs"], record["labels"]) if lab == name]
            assert record[name] == "\n".join(kept)

    documents, paragraphs, per_label = SUMMARY.search(result.stderr).groups()
    summary_counts = {name: int(n) for name, n in (item.split() for item in per_label.split(", "))}
    paragraphs_in = sum(len(p) for p in expected.values())
    assert int(documents) == CORPUS_DOCUMENTS
    assert int(paragraphs) == sum(summary_counts.values()) == sum(written.values()) == paragraphs_in
    assert summary_counts == {name: written[name] for name in LABELS}
