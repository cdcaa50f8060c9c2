"""The HTML path's label-prior shift: label transfer to HTML renderings, the counts, the weights and their use."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pytest

import cleaner
from cleaner.training.align import Gold, transfer_labels
from cleaner.training.data import LabeledDocument, read_labeled
from cleaner.html.extract import COMMENTS, PAGE, TEXT, TITLE, HtmlPage, extract_html
from cleaner.html.priors import PRIORS_FILE, SHIFT_POWER, label_weights, section_weights
from cleaner.training.measure_priors import count_labels
from cleaner.labels import LABELS, Label

from conftest import REPO, SEED_LABELS
from test_html import ARTICLE, MORE, PROSE

DATA = REPO.parent / "shared" / "data"
PAGE_ID = "0123456789abcdef0123"  # a reviewed .tsv is named by the first 16 characters of its page's id
QUOTE = "We have never seen a storm like it in forty years of fishing here."
COMMENT_LINES = [
    "3 comments",
    "reader1 says: I live by the harbour and this is exactly what happened to us last night.",
    "reader2 says: The council should have repaired the piers years ago, everyone knew.",
]


def write_reviewed_page(root: Path) -> None:
    """A review folder with the text rendering of ARTICLE (the quote reviewed as boilerplate), and the page with gold."""
    rows = [("headline", "Storm closes the harbour"), ("body", PROSE), ("body", MORE), ("body", QUOTE)]
    (root / "train" / "container").mkdir(parents=True)
    (root / "train" / "review").mkdir()
    lines = "".join(f"{k}\t{label}\t{text}\n" for k, (label, text) in enumerate(rows))
    (root / "train" / "container" / f"{PAGE_ID[:16]}.tsv").write_text(lines, encoding="utf-8")
    (root / "train" / "review" / f"{PAGE_ID[:16]}.fix").write_text("3\tboilerplate\n", encoding="utf-8")
    (root / "pages").mkdir()
    (root / "pages" / f"{PAGE_ID}.html.gz").write_bytes(gzip.compress(ARTICLE.encode("utf-8")))
    truth = {PAGE_ID: {"articleBody": f"{PROSE}\n{MORE}\n{QUOTE}", "url": "https://example.org/harbour"}}
    (root / "pages" / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")


def test_transferred_labels_prefer_the_review_then_the_gold_then_the_section() -> None:
    page = HtmlPage(["Storm closes the harbour | Daily Courier", PROSE, QUOTE, "Share this", "Reply"],
                    sections=[TITLE, TEXT, TEXT, TEXT, COMMENTS])
    reviewed = LabeledDocument("doc", (PROSE, QUOTE), (Label.BODY, Label.BOILERPLATE), "doc")
    labels = transfer_labels(page, reviewed, Gold(f"{PROSE}\n{QUOTE}"))
    assert labels == [Label.HEADLINE, Label.BODY, Label.BOILERPLATE, Label.BOILERPLATE, Label.COMMENTS]


def test_counts_come_from_each_section_of_the_reviewed_pages(tmp_path: Path) -> None:
    write_reviewed_page(tmp_path)
    counts = count_labels(read_labeled([tmp_path / "train"]), tmp_path / "pages")
    assert counts["pages"] == 1
    assert counts["text"] == {"body": 2, "headline": 1, "byline": 0, "boilerplate": 1, "comments": 0, "editorial": 0}
    sections = counts["sections"]
    assert PAGE not in sections  # the whole-page fallback keeps the model's probabilities
    assert sections[COMMENTS]["comments"] == len(COMMENT_LINES) == sum(sections[COMMENTS].values())
    # The reviewed headline and paragraphs; the list items and address lines neither the review nor the gold body
    # holds are boilerplate, and so is the quote: the gold body holds it, but the review says boilerplate.
    assert sections[TEXT] == {"body": 2, "headline": 1, "byline": 0, "boilerplate": 2 + 3 + 1, "comments": 0, "editorial": 0}
    page = extract_html(ARTICLE)
    assert sum(map(sum, (section.values() for section in sections.values()))) == len(page.paragraphs)


def test_weights_are_the_section_prior_over_the_training_prior() -> None:
    counts = {"smoothing": 0.0, "text": dict.fromkeys(LABELS, 5) | {"body": 40, "boilerplate": 40},
              "sections": {TEXT: dict.fromkeys(LABELS, 0) | {"body": 90, "boilerplate": 10}}}
    weights = label_weights(counts, power=1.0)
    body, boilerplate = LABELS.index("body"), LABELS.index("boilerplate")
    assert weights[TEXT][body] == pytest.approx(0.9 / 0.4) and weights[TEXT][boilerplate] == pytest.approx(0.1 / 0.4)
    stronger = label_weights(counts, power=2.0)[TEXT]  # the shift raised to a power: the ratios squared
    assert stronger[body] == pytest.approx((0.9 / 0.4) ** 2) and stronger[boilerplate] == pytest.approx((0.1 / 0.4) ** 2)
    plain = label_weights(counts, power=1.0)[TEXT]
    assert stronger[LABELS.index("byline")] == plain[LABELS.index("byline")]  # bylines keep Bayes' rule
    assert list(label_weights(counts)[TEXT]) == pytest.approx(list(label_weights(counts, power=SHIFT_POWER)[TEXT]))
    assert weights[TEXT][LABELS.index("comments")] == 0.0
    assert list(weights[PAGE]) == [1.0] * len(LABELS)
    smoothed = label_weights(counts | {"smoothing": 1.0})[TEXT]
    assert 0 < smoothed[LABELS.index("comments")] < 1  # a label the section never showed keeps some weight


def test_section_weights_give_one_row_per_paragraph() -> None:
    rows = section_weights([TITLE, TEXT, COMMENTS, PAGE])
    assert rows.shape == (4, len(LABELS))
    assert rows[0].argmax() == LABELS.index("headline") and rows[2].argmax() == LABELS.index("comments")
    assert rows[1][LABELS.index("body")] > 1 > rows[1][LABELS.index("boilerplate")]
    assert section_weights([]).shape == (0, len(LABELS))


def test_decoding_with_weights(tiny_model: cleaner.Model) -> None:
    documents = [["A short paragraph about the harbour.", "Reply", "Another paragraph about the storm and the piers."]]
    plain = tiny_model.estimator.decode(documents)[0]
    assert tiny_model.estimator.decode(documents, [None])[0] == plain
    unshifted = tiny_model.estimator.decode(documents, [np.ones((3, len(LABELS)))])[0]
    assert unshifted.labels == plain.labels and unshifted.confidences == pytest.approx(plain.confidences)
    steered = np.full((3, len(LABELS)), 1e-9)
    steered[:, LABELS.index("editorial")] = 1.0
    shifted = tiny_model.estimator.decode(documents, steered[None])[0]
    assert shifted.labels == ["editorial"] * 3
    assert all(0 < c <= 1 for c in shifted.confidences)


def test_html_paragraphs_are_labeled_with_their_sections_prior(shipped_model: cleaner.Model) -> None:
    """The same prose is body in the extracted text and comments in the comment section trafilatura found."""
    paragraphs = ["Storm closes the harbour", PROSE, MORE, *COMMENT_LINES[1:]]
    as_text = HtmlPage(paragraphs, sections=[TITLE, TEXT, TEXT, TEXT, TEXT])
    as_comments = HtmlPage(paragraphs, sections=[TITLE, TEXT, TEXT, COMMENTS, COMMENTS])
    text_doc, comments_doc = cleaner.clean_documents([{"html": as_text}, {"html": as_comments}], model=shipped_model)
    assert comments_doc.labels[3:] == ["comments", "comments"]
    assert text_doc.labels[1:3] == comments_doc.labels[1:3] == ["body", "body"]
    assert text_doc.labels[0] == "headline"


def test_a_two_paragraph_article_before_a_comment_section_stays_body() -> None:
    """Once a known miss: the comment-thread augmentation made the model take a short article for comments. The
    extracted text's prior (mostly body) and the comment section's (comments) keep them apart."""
    page = (f"<html><head><title>Harbour news</title></head><body><article><h1>Harbour news</h1><p>{PROSE}</p>"
            f"<p>{MORE}</p></article><div id='comments'><h3>2 comments</h3><p>reader1 says: I live by the harbour and "
            "this is exactly what happened to us last night.</p></div></body></html>")
    labels = {p.text: p.label.value for p in cleaner.clean_html(page).paragraphs}
    assert labels[PROSE] == labels[MORE] == "body"
    assert labels["reader1 says: I live by the harbour and this is exactly what happened to us last night."] == "comments"


@pytest.mark.skipif(not (DATA / "pages").is_dir(), reason="needs ../shared/data beside the repository")
def test_the_shipped_counts_are_what_the_documented_command_measures() -> None:
    """cleaner/html_priors.json is reproducible: `python -m cleaner.html.priors` over the shared data gives it."""
    counts = count_labels(read_labeled([DATA / "train", SEED_LABELS]), DATA / "pages")
    assert counts == json.loads(PRIORS_FILE.read_text(encoding="utf-8"))
