"""The names that `cleaner suggest` writes and the readers of labeling-tool exports read back, kept in one place.

A Label Studio task holds a whole document: `data.paragraphs` lists its paragraphs in order, and the shipped
labeling config repeats a `Choices` control over them (`label_0`, `label_1`, ... for `paragraph_0`, ...). A doccano
record holds a whole document too: its text is the paragraphs, one a line, and each paragraph is one labeled span
(a sequence-labeling project).
"""

from __future__ import annotations

import re

CHOICES_NAME = "label"  # the Choices control of the shipped Label Studio config; one per paragraph: label_0, ...
PARAGRAPH_NAME = "paragraph"  # the Text object each control labels: paragraph_0, ...
PARAGRAPHS_FIELD = "paragraphs"  # task data: the document's paragraphs in order, each {"text", "note", ...}
REVIEW_FIELD = "review"  # the indices of the paragraphs to review, least confident first
DOCUMENT_ID_FIELD = "doc_id"
TEXT_FIELD = "text"
DOCCANO_TEXT_FIELD = "data"  # older doccano exports name the text "data"
PARAGRAPH_SEPARATOR = "\n"  # a doccano document's text: its paragraphs, one a line
# A control repeated over the paragraphs: NAME_INDEX (Label Studio's Repeater puts the index in the name).
REPEATED_CONTROL = re.compile(r"^(?P<name>.+)_(?P<index>\d+)$")


def control_name(name: str, index: int) -> str:
    """The name of the control (or object) `name` repeated for paragraph `index`."""
    return f"{name}_{index}"
