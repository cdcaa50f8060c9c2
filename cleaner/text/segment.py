"""Segmentation: text to paragraphs, one non-empty line each (the convention of the seeds and the training data)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Line ends: CRLF first so that it counts as one break, then lone CR, LF and the Unicode separators.
LINE_BREAK = re.compile(r"\r\n|[\r\n\u2028\u2029\x85\x0b\x0c]")
# The separators that str.splitlines also breaks at (file, group and record separators), and LINE_BREAK does not.
SPLITLINES_ONLY = re.compile("[\x1c\x1d\x1e]")
# Characters that carry no text: str.strip() already removes NBSP and other Unicode spaces,
# these are the invisible ones it keeps.
INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"
# Every character for which str.isspace() is true (tests/test_segment.py checks the list against Python's own).
WHITE_SPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
TRIMMED = WHITE_SPACE + INVISIBLE  # what a paragraph loses at both ends
# Half of a UTF-16 pair on its own: Python strings may hold one (JSON "\\ud800" decodes to it), UTF-8 cannot.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class Span:
    """A paragraph's text and where it stands in the original string: ``source[start:end] == text``."""

    text: str
    start: int
    end: int


def split_spans(text: str) -> list[Span]:
    """Split `text` into paragraphs, one per non-blank line, trimmed of surrounding white space."""
    if SPLITLINES_ONLY.search(text):
        return _split_spans_by_pattern(text)
    # str.splitlines breaks where LINE_BREAK does (save SPLITLINES_ONLY), in C; every break is white space, so
    # trimming a line with its break gives the same text.
    spans = []
    start = 0
    for line in text.splitlines(keepends=True):
        kept = line.strip(TRIMMED)
        if kept:
            first = start + len(line) - len(line.lstrip(TRIMMED))
            spans.append(Span(kept, first, first + len(kept)))
        start += len(line)
    return spans


def _split_spans_by_pattern(text: str) -> list[Span]:
    """`split_spans` by LINE_BREAK itself: for the texts that str.splitlines would cut elsewhere."""
    spans = []
    position = 0
    for match in (*LINE_BREAK.finditer(text), None):
        line_end = match.start() if match else len(text)
        span = _trimmed(text, position, line_end)
        if span is not None:
            spans.append(span)
        if match:
            position = match.end()
    return spans


def split_paragraphs(text: str) -> list[str]:
    """The paragraphs of `text` as strings."""
    return [span.text for span in split_spans(text)]


def _trimmed(text: str, start: int, end: int) -> Span | None:
    """The line text[start:end] without surrounding space and invisible marks, or None when nothing is left."""
    line = text[start:end]
    kept = line.strip(TRIMMED)
    if not kept:
        return None
    start += len(line) - len(line.lstrip(TRIMMED))
    return Span(kept, start, start + len(kept))
