"""Segmentation: one paragraph per line with content, trimmed, and always a slice of the source."""

from __future__ import annotations

import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.text.segment import SPLITLINES_ONLY, WHITE_SPACE, split_paragraphs, split_spans

# The line separators and invisible marks of segment.py, restated here so that the tests are an independent oracle.
SEPARATORS = ("\r\n", "\r", "\n", "\u2028", "\u2029", "\x85", "\x0b", "\x0c")
INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"


def lines_of(text: str) -> list[str]:
    """The lines of `text`, split on SEPARATORS with CRLF as one break (a plain scan, not a regex)."""
    lines, current, i = [], [], 0
    while i < len(text):
        if text.startswith("\r\n", i):
            lines.append("".join(current))
            current, i = [], i + 2
        elif text[i] in "".join(SEPARATORS):
            lines.append("".join(current))
            current, i = [], i + 1
        else:
            current.append(text[i])
            i += 1
    lines.append("".join(current))
    return lines


def has_content(line: str) -> bool:
    return any(not (ch.isspace() or ch in INVISIBLE) for ch in line)


def trimmed(line: str) -> str:
    """The line without leading and trailing white space and invisible marks."""
    start, end = 0, len(line)
    while start < end and (line[start].isspace() or line[start] in INVISIBLE):
        start += 1
    while end > start and (line[end - 1].isspace() or line[end - 1] in INVISIBLE):
        end -= 1
    return line[start:end]


def assert_spans_are_slices(text: str) -> None:
    for span in split_spans(text):
        assert text[span.start : span.end] == span.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Title\r\nBody one.\r\nBody two.\r\n", ["Title", "Body one.", "Body two."]),
        ("Title\rBody one.\rBody two.", ["Title", "Body one.", "Body two."]),
        ("Title\r\n\r\nBody.", ["Title", "Body."]),
        ("\ufeffTitle\nBody.", ["Title", "Body."]),
        ("\ufeff\nTitle", ["Title"]),
        ("Title\n\n\n\nBody.\n\n", ["Title", "Body."]),
        ("Title\n   \n\t\t\n \u3000 \nBody.", ["Title", "Body."]),
        ("Title   \nBody.\t \n", ["Title", "Body."]),
        ("\xa0Title\xa0\n\xa0\xa0\n\xa0Body.\xa0", ["Title", "Body."]),
        ("\u200bTitle\u200d\n\u2060\u200b\nBody.", ["Title", "Body."]),
        ("", []),
        ("   \n\r\n\xa0\n", []),
    ],
    ids=["crlf", "cr", "crlf-blank", "bom", "bom-alone", "blank-lines", "whitespace-lines", "trailing-spaces",
         "nbsp", "invisible", "empty", "only-blank"],
)
def test_line_endings_and_blank_space_neither_create_nor_lose_paragraphs(text: str, expected: list[str]) -> None:
    assert split_paragraphs(text) == expected
    assert_spans_are_slices(text)


@pytest.mark.parametrize("separator", SEPARATORS, ids=[repr(s) for s in SEPARATORS])
def test_every_separator_breaks_a_line(separator: str) -> None:
    text = f"first{separator}second{separator}"
    assert split_paragraphs(text) == ["first", "second"]
    assert_spans_are_slices(text)


def test_crlf_is_one_break_not_a_blank_line_between_two() -> None:
    # A lone "\n\r" is two breaks, but that only adds a blank line: the paragraph count stays 2 either way.
    assert split_paragraphs("a\r\nb") == split_paragraphs("a\n\rb") == ["a", "b"]


def test_paragraph_is_the_line_trimmed_with_inner_space_kept() -> None:
    text = "  Two  spaces\tand a tab inside.  \n"
    (span,) = split_spans(text)
    assert span.text == "Two  spaces\tand a tab inside."
    assert (span.start, span.end) == (2, 2 + len(span.text))


def test_spans_point_into_the_original_after_a_bom_and_crlf() -> None:
    text = "\ufeffHeadline\r\n\r\n  By Jane Doe \r\nBody text.\u2028Caption"
    spans = split_spans(text)
    assert [s.text for s in spans] == ["Headline", "By Jane Doe", "Body text.", "Caption"]
    assert [text[s.start : s.end] for s in spans] == [s.text for s in spans]
    assert spans[0].start == 1  # the BOM is not part of the first paragraph


SPECIAL = st.sampled_from(
    [*SEPARATORS, " ", "\t", "\xa0", "\u3000", "\u2003", "\x1c", "\x1d", "\x1e", *INVISIBLE, "a", "Z", "é", ".", "—"]
)
# Pieces rather than characters, so that "\r\n" appears as a pair as often as its halves do.
TEXTS = st.lists(st.one_of(SPECIAL, st.characters()), max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_spans_are_ordered_trimmed_slices_one_per_line_with_content(text: str) -> None:
    spans = split_spans(text)
    for span in spans:
        assert text[span.start : span.end] == span.text
        assert has_content(span.text)
        assert not (span.text[0].isspace() or span.text[0] in INVISIBLE)
        assert not (span.text[-1].isspace() or span.text[-1] in INVISIBLE)
        assert not any(sep in span.text for sep in SEPARATORS)
    for before, after in zip(spans, spans[1:]):
        assert before.end < after.start
    content_lines = [line for line in lines_of(text) if has_content(line)]
    assert len(spans) == len(content_lines)
    assert [s.text for s in spans] == [trimmed(line) for line in content_lines]
    assert [s.text for s in spans] == split_paragraphs(text)


def test_the_white_space_list_is_every_character_python_calls_space() -> None:
    assert WHITE_SPACE == "".join(chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace())


def test_str_splitlines_breaks_where_the_separators_do_and_at_the_three_it_adds() -> None:
    """split_spans cuts with str.splitlines unless a text holds one of SPLITLINES_ONLY: the two must break at the
    same characters otherwise, and CRLF must be one break for both."""
    breaking = {chr(code) for code in range(sys.maxunicode + 1) if len(f"a{chr(code)}b".splitlines()) == 2}
    assert breaking == {separator for separator in SEPARATORS if len(separator) == 1} | {"\x1c", "\x1d", "\x1e"}
    assert {chr(code) for code in range(sys.maxunicode + 1) if SPLITLINES_ONLY.match(chr(code))} == {"\x1c", "\x1d", "\x1e"}
    assert "a\r\nb".splitlines() == ["a", "b"]
