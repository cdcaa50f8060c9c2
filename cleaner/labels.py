"""The six paragraph labels of LABELING.md, shared by training, prediction, metrics and the CLI."""

from __future__ import annotations

from enum import Enum


class Label(str, Enum):
    """What a paragraph of a scraped page is."""

    BODY = "body"
    HEADLINE = "headline"
    BYLINE = "byline"
    BOILERPLATE = "boilerplate"
    COMMENTS = "comments"
    EDITORIAL = "editorial"

    def __str__(self) -> str:
        return self.value

    @classmethod
    def parse(cls, name: str) -> Label:
        """The label called `name`, or a ValueError that lists the valid names."""
        try:
            return cls(name)
        except ValueError:
            valid = ", ".join(label.value for label in cls)
            raise ValueError(f"unknown label {name!r} (expected one of: {valid})") from None


LABELS: tuple[str, ...] = tuple(label.value for label in Label)
DEFAULT_KEEP = frozenset({Label.HEADLINE, Label.BODY})  # what a cleaned text keeps unless told otherwise
