"""The plain per-paragraph definition of the context features: what cleaner.model.features computed before it was vectorised.

It is kept as the reference that tests/test_fast_paths.py checks `cleaner.model.features.batch_context_features`
against. The patterns and thresholds are imported, so that a change of definition applies to both; what
this file fixes is the arithmetic of every feature, one paragraph at a time.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence

import numpy as np

from cleaner.model.features import (
    BOILERPLATE_CUE, COMMENT_CUE, CUT_MARKER, DATE, DIGITS, EDITORIAL_CUE, EDITORIAL_HEADING_WORDS, FEATURE_NAMES,
    FIRST_PERSON, HANDLE, LONG_PARAGRAPH_WORDS, MEDIA_WORDS, NEIGHBOUR_OFFSETS, SECOND_PERSON, SENTENCE_END, URL, WORD,
)


def context_features(paragraphs: Sequence[str]) -> np.ndarray:
    """One row of FEATURE_NAMES per paragraph, computed in the context of the whole document."""
    texts = [p.strip() for p in paragraphs]
    tokens = [WORD.findall(t.lower()) for t in texts]
    counts = [len(words) for words in tokens]
    n = len(texts)
    if n == 0:
        return np.zeros((0, len(FEATURE_NAMES)), dtype=np.float32)
    context = _DocumentContext(texts, tokens, counts)
    rows = [_paragraph_row(i, texts[i], tokens[i], context) for i in range(n)]
    return np.asarray(rows, dtype=np.float32)


class _DocumentContext:
    """What every paragraph's features look up in its document, computed once per document."""

    def __init__(self, texts: list[str], tokens: list[list[str]], counts: list[int]) -> None:
        self.n = len(texts)
        self.counts = counts
        self.total_words = max(1, sum(counts))
        self.words_before = np.concatenate([[0], np.cumsum(counts)[:-1]])
        self.repeats = Counter(texts)
        self.seen: set[str] = set()
        self.long = [i for i, c in enumerate(counts) if c >= LONG_PARAGRAPH_WORDS]
        first_long, last_long = (self.long[0], self.long[-1]) if self.long else (self.n, -1)
        self.main_block = (first_long, last_long)
        cut = next((i for i, t in enumerate(texts) if first_long < i and CUT_MARKER.match(t)), self.n)
        self.cut_index = cut
        self.bags = [Counter(words) for words in tokens]
        self.first = self.bags[0]
        self.lead = self.bags[self.long[0]] if self.long else Counter()
        self.centroid: Counter = Counter()
        for i in self.long:
            self.centroid.update(self.bags[i])
        self.centroid_norm2 = float(sum(v * v for v in self.centroid.values()))
        # Lines of one template (a commenter's "NAME says:", a timestamp) repeat with other names and digits.
        self.shapes = [_shape(t) for t in texts]
        self.shape_counts = Counter(self.shapes)
        self.comment_cues = [bool(COMMENT_CUE.search(t)) for t in texts]
        self.first_cue = next((i for i, cue in enumerate(self.comment_cues) if cue and i > first_long), self.n)
        self.editorial_cues = [bool(EDITORIAL_CUE.search(t)) for t in texts]
        # A block opens at a heading-length cue after the article has begun, not at a note complete in itself.
        self.first_editorial_cue = next((i for i, cue in enumerate(self.editorial_cues)
                                         if cue and i > first_long and counts[i] <= EDITORIAL_HEADING_WORDS), self.n)

    def vocabulary_share(self, i: int) -> float:
        """Share of the paragraph's words that the document's long paragraphs (others than itself) also use."""
        bag = self.bags[i]
        if not bag:
            return 0.0
        own = self.counts[i] >= LONG_PARAGRAPH_WORDS
        shared = sum(self.centroid.get(k, 0) > (v if own else 0) for k, v in bag.items())
        return shared / len(bag)

    def centroid_similarity(self, i: int) -> float:
        """Cosine between paragraph i and the sum of the long paragraphs other than i (leave-one-out)."""
        bag = self.bags[i]
        if not bag:
            return 0.0
        dot = float(sum(v * self.centroid.get(k, 0) for k, v in bag.items()))
        norm2 = float(sum(v * v for v in bag.values()))
        rest2 = self.centroid_norm2
        if self.counts[i] >= LONG_PARAGRAPH_WORDS:  # take the paragraph itself out of the centroid
            dot, rest2 = dot - norm2, rest2 - 2 * dot + norm2
        return dot / math.sqrt(norm2 * rest2) if dot > 0 and rest2 > 0 else 0.0


def _paragraph_row(i: int, text: str, words: list[str], doc: _DocumentContext) -> list[float]:
    n, count = doc.n, doc.counts[i]
    chars = max(1, len(text))
    letters = sum(ch.isalpha() for ch in text) or 1
    first_long, last_long = doc.main_block
    bag = doc.bags[i]
    is_repeat = text in doc.seen
    doc.seen.add(text)
    return [
        math.log1p(count), math.log1p(len(text)), sum(map(len, words)) / max(1, count),
        math.log1p(len(re.findall(r"[.!?](?:\s|$)", text))),
        i / max(1, n - 1), math.log1p(i), math.log1p(n - 1 - i), float(i == 0), float(i == n - 1),
        doc.words_before[i] / doc.total_words, float(bool(SENTENCE_END.search(text))), float(text[:1].isupper()),
        sum(ch.isupper() for ch in text) / letters,
        sum(ch.isdigit() for ch in text) / chars, sum(not (ch.isalnum() or ch.isspace()) for ch in text) / chars,
        float(bool(URL.search(text))), float(bool(HANDLE.search(text))), float("©" in text or "copyright" in text.lower()),
        math.log1p(len(DATE.findall(text))),
        math.log1p(doc.repeats[text] - 1), float(is_repeat),
        _cosine(bag, doc.first), _cosine(bag, doc.lead), doc.centroid_similarity(i),
        *(math.log1p(doc.counts[j]) if 0 <= (j := i + offset) < n else -1.0 for offset in NEIGHBOUR_OFFSETS),
        _log_distance(doc.long, i, before=True), _log_distance(doc.long, i, before=False),
        sum(doc.counts[j] >= LONG_PARAGRAPH_WORDS for j in range(max(0, i - 3), min(n, i + 4))) / 7,
        float(first_long <= i <= last_long), float(i > last_long), float(i < first_long), float(i > doc.cut_index),
        sum(w in FIRST_PERSON for w in words) / max(1, count), sum(w in SECOND_PERSON for w in words) / max(1, count),
        float(count >= LONG_PARAGRAPH_WORDS),
        doc.vocabulary_share(i), math.log(doc.shape_counts[doc.shapes[i]]), float(doc.comment_cues[i]),
        float(i > doc.first_cue),
        float(doc.editorial_cues[i]), float(i > doc.first_editorial_cue),
        sum(w in MEDIA_WORDS for w in words) / max(1, count), float(bool(BOILERPLATE_CUE.search(text))),
    ]


def _shape(text: str) -> str:
    """The line with digits masked and only its first and last words kept: what templated lines share."""
    words = DIGITS.sub("0", text).split()
    return f"{words[0]} {len(words)} {words[-1]}" if words else ""


def _cosine(a: Counter, b: Counter) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(value * b.get(key, 0) for key, value in a.items())
    if not dot:
        return 0.0
    return dot / math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))


def _log_distance(long: list[int], i: int, before: bool) -> float:
    """log(1 + paragraphs to the nearest long paragraph on one side of i), or -1 when there is none."""
    if before:
        k = bisect_left(long, i)
        return math.log1p(i - long[k - 1]) if k > 0 else -1.0
    k = bisect_right(long, i)
    return math.log1p(long[k] - i) if k < len(long) else -1.0
