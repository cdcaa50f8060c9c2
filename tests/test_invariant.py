"""The invariant: every paragraph of every input document ends up in exactly one output stream, with its label,
and the run summary's per-label counts add up to the paragraphs read. Property-based over random texts."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import Document, Label, clean, clean_documents, label
from cleaner.api import MAX_CLASSIFIED_CHARS
from cleaner.cli.commands import Summary
from cleaner.document import InvariantError, Paragraph
from cleaner.model.persist import Model, save_model

from conftest import read_jsonl_file, run_cli, synthetic_document
from corpus import expected_paragraphs
from test_segment import SEPARATORS

INVARIANT_EXAMPLES = 500  # the issue asks for at least 500 examples in CI
LONG_LINE_CHARS = 5_000
# Text with a terminal escape, CRLF and a Unicode line separator: odd, but text.
LOG_LINES = "Odd lines\x1b[0m of a terminal log,\r\nthen a line separator\u2028and a last line after it."

# Lines of every kind: any Unicode (control characters included), white space, invisible marks, long and short.
ANY_LINE = st.text(st.characters(codec=None), max_size=40)
CONTROL_LINE = st.text(st.characters(max_codepoint=0x9F), max_size=20)
SPACE_LINE = st.text(st.sampled_from(" \t\xa0\u3000\u200b\ufeff\u2060"), max_size=5)
LONG_LINE = st.integers(1, LONG_LINE_CHARS).map(lambda n: ("word " * (n // 5 + 1))[:n])
NEWS_LINE = st.integers(0, 40).flatmap(lambda k: st.sampled_from(synthetic_document(k)[0]))
LINE = st.one_of(ANY_LINE, CONTROL_LINE, SPACE_LINE, NEWS_LINE, st.just(""), LONG_LINE)
TEXT = st.tuples(st.lists(LINE, max_size=12), st.lists(st.sampled_from(SEPARATORS), min_size=1)).map(
    lambda pair: "".join(line + pair[1][i % len(pair[1])] for i, line in enumerate(pair[0]))
)
DOCUMENTS = st.lists(st.one_of(TEXT, st.just("")), min_size=1, max_size=4)


def assert_every_paragraph_in_exactly_one_stream(document: Document, paragraphs: list[str]) -> None:
    assert [p.text for p in document.paragraphs] == paragraphs
    for p in document.paragraphs:
        assert isinstance(p.label, Label) and 0.0 <= p.confidence <= 1.0
    per_stream = {lab: [p.text for p in document.stream(lab)] for lab in Label}
    assert sum(len(texts) for texts in per_stream.values()) == len(paragraphs)
    record = document.to_dict()
    assert record["paragraphs"] == paragraphs and len(record["labels"]) == len(paragraphs)
    for lab, texts in per_stream.items():
        assert record[lab.value] == "\n".join(texts)
        assert [t for t, name in zip(paragraphs, record["labels"]) if name == lab.value] == texts


@settings(max_examples=INVARIANT_EXAMPLES, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(texts=DOCUMENTS, batch_size=st.integers(1, 3))
def test_every_paragraph_is_in_exactly_one_stream_and_the_summary_adds_up(tiny_model, texts, batch_size) -> None:
    summary = Summary()
    records = [summary.count_read({"id": k, "text": text}) for k, text in enumerate(texts)]
    documents = list(clean_documents(records, model=tiny_model, batch_size=batch_size))
    assert [doc.id for doc in documents] == list(range(len(texts)))
    for document, text in zip(documents, texts):
        paragraphs = expected_paragraphs(text)
        assert_every_paragraph_in_exactly_one_stream(document, paragraphs)
        assert all(text[p.start : p.end] == p.text for p in document.paragraphs)
        summary.add(document)
    summary.check()
    assert summary.documents == len(texts)
    assert sum(summary.labels.values()) == sum(len(expected_paragraphs(text)) for text in texts)


@settings(max_examples=100, derandomize=True, deadline=None)
@given(paragraphs=st.lists(st.one_of(ANY_LINE, CONTROL_LINE, SPACE_LINE, LONG_LINE), max_size=10))
def test_given_paragraphs_each_get_one_label_and_stay_as_given(tiny_model, paragraphs) -> None:
    assert_every_paragraph_in_exactly_one_stream(label(paragraphs, model=tiny_model), paragraphs)


def test_a_paragraph_longer_than_the_model_reads_is_labeled_and_kept_whole(tiny_model) -> None:
    huge = "word " * (MAX_CLASSIFIED_CHARS // 2)
    document = clean(f"Headline\n{huge}\nLast line.", model=tiny_model)
    assert_every_paragraph_in_exactly_one_stream(document, ["Headline", huge.strip(), "Last line."])


# --- the checks themselves fail when a paragraph goes missing ----------------------------------------------------


class LossyEstimator:
    """A stand-in for a buggy classifier: it forgets the label of every document's last paragraph."""

    def __init__(self, inner) -> None:
        self.inner = inner

    def get_params(self) -> dict:
        return {}

    def decode(self, X, weights=None):
        return [replace(p, labels=p.labels[:-1], confidences=p.confidences[:-1], by_sequence=p.by_sequence[:-1])
                for p in self.inner.decode(X, weights)]


def test_a_classifier_that_loses_a_paragraph_is_an_internal_error(tiny_model) -> None:
    lossy = Model(LossyEstimator(tiny_model.estimator), tiny_model.card, tiny_model.path)
    with pytest.raises(InvariantError, match=r"internal error: document 'd': 3 paragraphs in, 2 out"):
        list(clean_documents([{"id": "d", "text": "a\nb\nc"}], model=lossy))
    with pytest.raises(InvariantError):
        clean("Headline\nBody.", model=lossy)


def test_the_command_line_stops_with_exit_3_on_an_internal_error(tiny_trained, tmp_path: Path) -> None:
    path = tmp_path / "lossy.joblib"
    save_model(LossyEstimator(tiny_trained[0]), path, training={}, metrics={})
    page = tmp_path / "page.txt"
    page.write_text("Headline\nBody.\n", encoding="utf-8")
    result = run_cli("clean", page, "-o", tmp_path / "out", "--model", path, "--trust-model")
    assert result.exit_code == 3
    assert "internal error" in result.stderr and "a bug in cleaner" in result.stderr
    assert not (tmp_path / "out" / "page.txt").exists()


def test_a_paragraph_outside_every_stream_is_an_internal_error() -> None:
    document = Document([Paragraph("kept", Label.BODY, 0.9), Paragraph("lost", "footer", 0.9)], id="x")  # type: ignore[arg-type]
    with pytest.raises(InvariantError, match="2 paragraphs, 1 in the label streams"):
        document.check(["kept", "lost"])


def test_a_summary_whose_counts_do_not_add_up_is_an_internal_error(tiny_model) -> None:
    summary = Summary()
    summary.count_read({"id": 1, "text": "one\ntwo\nthree"})
    summary.add(clean("one\ntwo", model=tiny_model))
    with pytest.raises(InvariantError, match="3 paragraphs read but 2 in the label streams"):
        summary.check()
    summary.count_read({"id": 2, "text": "four"})
    with pytest.raises(InvariantError, match="2 documents read but 1 written"):
        summary.check()


def test_the_jsonl_output_of_a_run_holds_every_paragraph_read(tmp_path: Path, tiny_model_args) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    texts = ["\n".join(synthetic_document(k)[0][k % 5 :]) for k in range(12)] + ["", LOG_LINES]
    for k, text in enumerate(texts):
        (folder / f"{k:02d}.txt").write_text(text, encoding="utf-8")
    result = run_cli("clean", folder, "--format", "jsonl", "-o", tmp_path / "out.jsonl", *tiny_model_args)
    assert result.exit_code == 0, result.output
    records = read_jsonl_file(tmp_path / "out.jsonl")
    assert [r["paragraphs"] for r in records] == [expected_paragraphs(text) for text in texts]
    total = sum(len(expected_paragraphs(text)) for text in texts)
    assert f"{len(texts)} documents, {total} paragraphs" in result.stderr
