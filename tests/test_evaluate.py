"""Evaluation helpers: the bag-of-words overlap behind the HTML benchmark's body word-F1."""

from __future__ import annotations

from cleaner.evaluate import WordOverlap, word_overlap


def test_word_overlap_counts_each_word_as_often_as_it_occurs_in_both() -> None:
    overlap = word_overlap("the storm the harbour closed", "the storm closed the harbour for the week")
    assert (overlap.hit, overlap.predicted, overlap.gold) == (5, 5, 8)
    assert overlap.precision == 1.0 and overlap.recall == 5 / 8 and overlap.f1 == 10 / 13
    total = overlap + word_overlap("", "two words")  # a page with nothing predicted still counts by its words
    assert (total.hit, total.predicted, total.gold) == (5, 5, 10)
    assert WordOverlap().f1 == 1.0 and word_overlap("x", "").precision == 0.0
