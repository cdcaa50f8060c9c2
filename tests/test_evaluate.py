"""Evaluation: the bag-of-words overlap behind the HTML benchmark's body word-F1, section holes and cross-validation."""

from __future__ import annotations

from cleaner.training.data import LabeledDocument
from cleaner.training.evaluate import WordOverlap, count_holes, cross_validate, repeated_cross_validation, word_overlap
from cleaner.labels import Label
from cleaner.model.classifier import ParagraphClassifier

from conftest import TINY_MODEL_PARAMS, synthetic_corpus


def test_word_overlap_counts_each_word_as_often_as_it_occurs_in_both() -> None:
    overlap = word_overlap("the storm the harbour closed", "the storm closed the harbour for the week")
    assert (overlap.hit, overlap.predicted, overlap.gold) == (5, 5, 8)
    assert overlap.precision == 1.0 and overlap.recall == 5 / 8 and overlap.f1 == 10 / 13
    total = overlap + word_overlap("", "two words")  # a page with nothing predicted still counts by its words
    assert (total.hit, total.predicted, total.gold) == (5, 5, 10)
    assert WordOverlap().f1 == 1.0 and word_overlap("x", "").precision == 0.0


def test_a_hole_is_one_stray_paragraph_inside_a_comment_thread_or_bio_box() -> None:
    thread = [Label.BODY, Label.COMMENTS, Label.COMMENTS, Label.COMMENTS, Label.COMMENTS]
    assert count_holes(thread, ["body", "comments", "boilerplate", "comments", "comments"]) == 1
    assert count_holes(thread, ["body", "comments", "boilerplate", "boilerplate", "comments"]) == 0  # two: not one hole
    assert count_holes(thread, ["body", "body", "comments", "body", "body"]) == 0  # its neighbours are not the section
    assert count_holes([Label.BODY] * 5, ["body", "body", "boilerplate", "body", "body"]) == 0  # body is not a section


def test_cross_validation_counts_holes_after_each_step() -> None:
    corpus, labels = synthetic_corpus(6)
    documents = [LabeledDocument(f"d{k}", tuple(p), tuple(map(Label, y)), f"site{k}") for k, (p, y) in enumerate(zip(corpus, labels))]

    def fit(training):
        return ParagraphClassifier(**TINY_MODEL_PARAMS).fit(
            [d.paragraphs for d in training], [[label.value for label in d.labels] for d in training],
            groups=[d.group for d in training])

    predicted, result = cross_validate(documents, fit, folds=3)
    assert list(result.section_holes_by_step) == ["first stage", "stacked", "decoded"]
    assert result.section_holes == result.section_holes_by_step["decoded"]
    assert [len(p) for p in predicted] == [len(d.paragraphs) for d in documents]


def test_repeated_cross_validation_runs_once_per_seed_and_summarises_the_spread() -> None:
    corpus, labels = synthetic_corpus(6)
    documents = [LabeledDocument(f"d{k}", tuple(p), tuple(map(Label, y)), f"site{k}") for k, (p, y) in enumerate(zip(corpus, labels))]
    seen = []

    def fit_with_seed(seed):
        seen.append(seed)
        params = {**TINY_MODEL_PARAMS, "random_state": seed}
        return lambda training: ParagraphClassifier(**params).fit(
            [d.paragraphs for d in training], [[label.value for label in d.labels] for d in training])

    spread = repeated_cross_validation(documents, fit_with_seed, seeds=[3, 4], folds=3)
    assert seen == [3, 4] and spread.seeds == [3, 4] and len(spread.reports) == 2
    summary = spread.to_dict()["summary"]
    for name, values in spread.figures().items():
        assert len(values) == 2
        assert summary[name]["min"] <= summary[name]["mean"] <= summary[name]["max"]
    assert summary["macro-F1"]["mean"] == sum(r.macro_f1 for r in spread.reports) / 2
    assert "body word-F1" in spread.format() and "seed 4" in spread.format()
