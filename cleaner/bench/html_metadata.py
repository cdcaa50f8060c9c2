"""The HTML benchmark's metadata figures: title, author and date against WCXB's gold, exact match after normalisation.

A value is compared as its words: Unicode-normalised (NFKC), lower-cased, every punctuation character taken for
a space. A date is compared as its ISO day (YYYY-MM-DD) when it starts with one. Only pages whose gold has the
field count. Each page gives, for every field, the value each source found (`PageMetadata`); the figures are
the share of pages whose value matches the gold's, how many found a value at all, and, for two sources of one
extractor, on how many pages both found one and they differ.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

FIELDS = ("title", "author", "date")
ISO_DAY = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})")

# Pairs of sources of one extractor that should agree (cleaner's page metadata and its structured byline); the
# figures say on how many pages both found a value and the two differ.
DISAGREEING = {
    "author": ("cleaner metadata['author']", "cleaner metadata['authors']"),
    "date": ("cleaner metadata['date']", "cleaner metadata['dates']"),
    "title": ("cleaner doc.title", "cleaner metadata['title']"),
}


@dataclass(frozen=True, slots=True)
class PageMetadata:
    """One page's gold title, author and date, and what each source found for each field (None: nothing)."""

    gold: Mapping[str, str | None]
    found: Mapping[str, Mapping[str, str | None]]


def normalized(value: str | None) -> str:
    """A title or a name for exact comparison: its words, lower-cased, without punctuation."""
    text = unicodedata.normalize("NFKC", value or "").casefold()
    return " ".join("".join(" " if unicodedata.category(c).startswith("P") else c for c in text).split())


def iso_day(value: str | None) -> str:
    """A date for exact comparison: its ISO day (zero-padded) when it starts with one, else its normalised text."""
    match = ISO_DAY.match(value or "")
    if not match:
        return normalized(value)
    year, month, day = match.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


NORMALIZERS: dict[str, Callable[[str | None], str]] = {"title": normalized, "author": normalized, "date": iso_day}


def field_accuracy(pages: Sequence[PageMetadata], field: str) -> dict[str, dict[str, float | int | None]]:
    """For each source of `field`: pages with a gold value, values found, and accuracy (over the gold pages)."""
    normalize = NORMALIZERS[field]
    scored = [(normalize(page.gold.get(field)), page.found.get(field, {})) for page in pages if page.gold.get(field)]
    sources = list(dict.fromkeys(source for _, found in scored for source in found))
    figures: dict[str, dict[str, float | int | None]] = {}
    for source in sources:
        values = [(gold, normalize(found.get(source))) for gold, found in scored]
        right = sum(gold == value for gold, value in values)
        found_count = sum(bool(value) for _, value in values)
        figures[source] = {"pages": len(values), "found": found_count,
                           "accuracy": right / len(values) if values else None}
    return figures


def disagreements(pages: Sequence[PageMetadata], field: str) -> dict[str, int | str]:
    """On how many pages the two sources of `DISAGREEING[field]` both found a value and the values differ."""
    first, second = DISAGREEING[field]
    normalize = NORMALIZERS[field]
    both = [(normalize(page.found[field].get(first)), normalize(page.found[field].get(second)))
            for page in pages if field in page.found]
    both = [(a, b) for a, b in both if a and b]
    return {"sources": f"{first} vs {second}", "both_found": len(both), "differ": sum(a != b for a, b in both)}


def metadata_accuracy(pages: Sequence[PageMetadata]) -> dict[str, dict[str, object]]:
    """Every field's accuracy per source, and the disagreement of cleaner's two sources for it."""
    return {field: {"sources": field_accuracy(pages, field), "disagreement": disagreements(pages, field)}
            for field in FIELDS}
