"""Bounded passes: the documents of a batch are labeled in groups of at most `MAX_PASS_PARAGRAPHS` paragraphs,
and a longer document in overlapping slices, so that memory follows the pass, not the input.

Features are computed per document, so grouping documents changes nothing. A document longer than a pass (a log
file, a data dump: no article is near 10,000 paragraphs) is cut into slices that overlap by `SLICE_MARGIN`
paragraphs on each side; each paragraph takes its probabilities from the one slice that holds it at least that far
from a cut, so its neighbours and the section-level averages around it are those of the whole document. What a slice
cannot see is the far rest of the document: its position in the whole and the document's mean probabilities are
the slice's, so a cut document is labeled much as a run of 10,000-paragraph documents would be (on five articles
glued together and cut in thirds, a quarter of the labels stay the same: position matters to this model). Decoding
then runs over the whole document.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

# Rows of one pass. Its features and probabilities are what a worker holds beyond the model: passes of 20,000 rows
# peaked at 266 MB a worker on the benchmark's 10 MB JSONL, passes of 10,000 at 207 MB, at the same speed.
MAX_PASS_PARAGRAPHS = 10_000
SLICE_MARGIN = 64  # paragraphs each slice sees beyond the ones it labels: more than any window of the features


@dataclass(frozen=True, slots=True)
class Piece:
    """Rows `start:stop` of document `doc`, of which `keep_start:keep_stop` (document rows) take its results."""

    doc: int
    start: int
    stop: int
    keep_start: int
    keep_stop: int


def pieces(lengths: Sequence[int], limit: int | None = None, margin: int | None = None) -> list[Piece]:
    """Every document as one piece, or a long one as overlapping slices of at most `limit` rows (default
    `MAX_PASS_PARAGRAPHS`, with `SLICE_MARGIN`; read at each call)."""
    limit = MAX_PASS_PARAGRAPHS if limit is None else limit
    margin = SLICE_MARGIN if margin is None else margin
    step = limit - 2 * margin
    if step <= 0:
        raise ValueError(f"a pass of {limit} paragraphs leaves no room inside margins of {margin}")
    found = []
    for doc, n in enumerate(lengths):
        if n <= limit:
            found.append(Piece(doc, 0, n, 0, n))
            continue
        for keep in range(0, n, step):
            keep_stop = min(n, keep + step)
            found.append(Piece(doc, max(0, keep - margin), min(n, keep_stop + margin), keep, keep_stop))
    return found


def passes(found: Sequence[Piece], limit: int | None = None) -> Iterator[list[Piece]]:
    """The pieces in order, grouped so that each group holds at most `limit` rows (default `MAX_PASS_PARAGRAPHS`)."""
    limit = MAX_PASS_PARAGRAPHS if limit is None else limit
    group: list[Piece] = []
    rows = 0
    for piece in found:
        size = piece.stop - piece.start
        if group and rows + size > limit:
            yield group
            group, rows = [], 0
        group.append(piece)
        rows += size
    if group:
        yield group
