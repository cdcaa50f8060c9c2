"""Bounded passes: documents grouped and long documents sliced, every paragraph labeled once, memory by the pass."""

from __future__ import annotations

import pytest

from cleaner import clean, label
from cleaner.model import slices
from cleaner.model.slices import pieces, passes

from conftest import SEEDS_DIR


@pytest.mark.parametrize("lengths", [[0], [5, 0, 3], [1000], [99, 100, 101, 250, 7]])
def test_every_row_is_kept_by_exactly_one_piece_no_pass_is_too_big(lengths: list[int]) -> None:
    found = pieces(lengths, limit=100, margin=10)
    for doc, n in enumerate(lengths):
        kept = [row for piece in found if piece.doc == doc for row in range(piece.keep_start, piece.keep_stop)]
        assert kept == list(range(n))
    for piece in found:
        assert piece.stop - piece.start <= 100 and piece.start <= piece.keep_start <= piece.keep_stop <= piece.stop
        inner = piece.keep_start - piece.start, piece.stop - piece.keep_stop  # a kept row is a margin from any cut
        assert (inner[0] >= 10 or piece.start == 0) and (inner[1] >= 10 or piece.stop == lengths[piece.doc])
    groups = list(passes(found, limit=100))
    assert [piece for group in groups for piece in group] == found
    assert all(sum(p.stop - p.start for p in group) <= 100 for group in groups)


def test_a_margin_that_fills_the_pass_is_refused() -> None:
    with pytest.raises(ValueError, match="no room"):
        pieces([500], limit=20, margin=10)


def _seed_paragraphs() -> list[list[str]]:
    return [[p.text for p in clean(path.read_text(encoding="utf-8")).paragraphs] for path in sorted(SEEDS_DIR.glob("*.txt"))]


def test_documents_labeled_in_small_passes_are_labeled_exactly_as_in_one(monkeypatch: pytest.MonkeyPatch) -> None:
    documents = _seed_paragraphs()
    whole = [label(doc).to_dict() for doc in documents]
    longest = max(map(len, documents))
    monkeypatch.setattr(slices, "MAX_PASS_PARAGRAPHS", longest)  # several passes, no document cut
    monkeypatch.setattr(slices, "SLICE_MARGIN", 16)
    assert [label(doc).to_dict() for doc in documents] == whole


def test_a_document_longer_than_a_pass_is_labeled_in_slices_each_paragraph_once(monkeypatch: pytest.MonkeyPatch) -> None:
    long = [paragraph for doc in _seed_paragraphs() for paragraph in doc] * 3
    monkeypatch.setattr(slices, "SLICE_MARGIN", 16)  # the features look at most 15 paragraphs away
    monkeypatch.setattr(slices, "MAX_PASS_PARAGRAPHS", len(long) + 1)
    whole = label(long)
    monkeypatch.setattr(slices, "MAX_PASS_PARAGRAPHS", len(long) // 3)
    sliced = label(long)
    assert [p.text for p in sliced.paragraphs] == long  # every paragraph once, in order, with a label
    assert all(0 < p.confidence <= 1 for p in sliced.paragraphs)
    # Each slice is labeled as a document of its own (its position and mean are the slice's), so the labels differ:
    # the cut happened.
    assert [p.label for p in sliced.paragraphs] != [p.label for p in whole.paragraphs]
