"""Which texts hold which literal strings, found for a whole batch of texts at once.

The cue patterns of `features` run only on paragraphs that contain one of their literals. Testing each of some
45 literals in each paragraph with ``in`` cost more than the patterns themselves, mostly in Python calls. Here the
texts are joined into one UTF-8 buffer, the positions where the first two bytes of some literal stand are found
with one table lookup, and each literal is compared, byte by byte, at those positions only. A literal is in a text
exactly when its UTF-8 bytes are in the text's UTF-8 bytes (no UTF-8 sequence starts inside another), so this
finds what ``literal in text`` finds. tests/test_literals.py checks it against ``in``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np

PREFIX_BYTES = 2  # looked up in a table of 2**16 entries: a pair of bytes is a uint16
SEPARATOR = "\n"  # between the joined texts; no literal may hold it, so that no match spans two texts
ENCODING, ERRORS = "utf-8", "surrogatepass"  # a paragraph may hold a lone surrogate (JSON "\ud800"): kept, not an error


@dataclass(frozen=True)
class Literals:
    """Groups of literals, each a set of necessary conditions for one pattern, and the table of their first bytes."""

    names: tuple[str, ...]
    groups: tuple[tuple[bytes, ...], ...]
    starts: np.ndarray  # 2**16 booleans: does some literal start with this pair of bytes (little-endian uint16)

    @classmethod
    def of(cls, groups: Mapping[str, Sequence[str]]) -> Literals:
        encoded = tuple(tuple(literal.encode(ENCODING) for literal in group) for group in groups.values())
        bad = [literal for literal in chain.from_iterable(encoded)
               if len(literal) < PREFIX_BYTES or SEPARATOR.encode() in literal or b"\0" in literal]
        if bad:
            raise ValueError(f"literals need {PREFIX_BYTES} bytes or more, without {SEPARATOR!r} or NUL: {bad!r}")
        starts = np.zeros(1 << 16, dtype=bool)
        starts[[_prefix(literal) for literal in chain.from_iterable(encoded)]] = True
        return cls(tuple(groups), encoded, starts)

    def find(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """For each group, whether each text holds one of its literals (``any(l in text for l in group)``)."""
        found = {name: np.zeros(len(texts), dtype=bool) for name in self.names}
        if not texts:
            return found
        data, offsets = _joined(texts)
        longest = max(map(len, chain.from_iterable(self.groups)))
        buffer = np.frombuffer(data + bytes(longest), dtype=np.uint8)  # NUL padding: no literal matches into it
        # pairs[p] is the little-endian uint16 of bytes p and p+1: an overlapping view, read without copying.
        pairs = np.ndarray((len(data),), dtype="<u2", buffer=buffer, strides=(1,))
        candidates = np.flatnonzero(self.starts[pairs])
        candidate_pairs = pairs[candidates]
        for name, group in zip(self.names, self.groups):
            positions = [_matches(buffer, candidates[candidate_pairs == _prefix(literal)], literal) for literal in group]
            found[name][np.searchsorted(offsets, np.concatenate(positions), side="right") - 1] = True
        return found


def _prefix(literal: bytes) -> int:
    return literal[0] | literal[1] << 8


def _matches(buffer: np.ndarray, positions: np.ndarray, literal: bytes) -> np.ndarray:
    """The `positions` where `literal` stands in `buffer`, given that its first PREFIX_BYTES bytes do."""
    for offset in range(PREFIX_BYTES, len(literal)):
        positions = positions[buffer[positions + offset] == literal[offset]]
    return positions


def _joined(texts: Sequence[str]) -> tuple[bytes, np.ndarray]:
    """The texts joined by SEPARATOR in UTF-8, and the byte offset where each text starts."""
    joined = SEPARATOR.join(texts)
    data = joined.encode(ENCODING, ERRORS)
    if len(data) == len(joined):  # ASCII: a character is a byte
        sizes = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    else:
        sizes = np.fromiter((len(text.encode(ENCODING, ERRORS)) for text in texts), dtype=np.int64, count=len(texts))
    sizes += len(SEPARATOR)
    return data, np.cumsum(sizes) - sizes
