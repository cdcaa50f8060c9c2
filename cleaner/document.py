"""The values that flow out of cleaner: a labeled paragraph and a cleaned document with its streams."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .text.byline import merged_metadata
from .labels import Label

# A computed field whose name an input field already uses, with another value, is written under this prefix:
# the input's own fields are never overwritten.
SHADOWED_PREFIX = "cleaner_"


class InvariantError(RuntimeError):
    """A bug in cleaner: a paragraph was lost, added, changed or left outside the label streams."""

    def __init__(self, problem: str) -> None:
        super().__init__(f"internal error: {problem}; this is a bug in cleaner, please report it")


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph with its label, the model's confidence in it, and why it got that label."""

    text: str
    label: Label
    confidence: float
    reason: str = "classifier"
    start: int = -1  # where the paragraph is in the input text (its characters, text[start:end]); -1: not known
    end: int = -1

    def to_dict(self) -> dict[str, Any]:
        """The paragraph as JSON: text, label, confidence, reason, and its span in the input text when known."""
        record = {"text": self.text, "label": self.label.value, "confidence": round(self.confidence, 4), "reason": self.reason}
        if self.start >= 0:
            record.update(start=self.start, end=self.end)
        return record


class Document:
    """A cleaned document: every input paragraph, in order, each with exactly one label.

    ``meta`` holds the input record's own fields, as given; ``metadata`` what cleaner found out about the
    document (an HTML page's title, author, date, url and site name; what its bylines say). What cleaner finds
    in the paragraphs themselves (`found`, a function) is only worked out when ``metadata`` is first read: a
    text output never needs it, and parsing the dates of bylines costs more than classifying them.
    """

    __slots__ = ("paragraphs", "id", "meta", "_metadata", "_found")

    def __init__(
        self,
        paragraphs: list[Paragraph],
        id: Any = None,
        meta: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        *,
        found: Callable[[], dict[str, Any]] | None = None,
    ) -> None:
        self.paragraphs = paragraphs
        self.id = id
        self.meta: dict[str, Any] = {} if meta is None else meta
        self._metadata: dict[str, Any] = {} if metadata is None else metadata
        self._found = found

    @property
    def metadata(self) -> dict[str, Any]:
        if self._found is not None:
            found, self._found = self._found, None
            self._metadata = merged_metadata(self._metadata, found())
        return self._metadata

    @metadata.setter
    def metadata(self, value: dict[str, Any]) -> None:
        self._metadata, self._found = value, None

    def add_metadata(self, known: dict[str, Any]) -> None:
        """Add what is known from elsewhere (an HTML page's metadata); what cleaner finds in the paragraphs
        wins a clash, as it is read later."""
        self._metadata = known | self._metadata

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Document):
            return NotImplemented
        return (self.paragraphs, self.id, self.meta, self.metadata) == (other.paragraphs, other.id, other.meta, other.metadata)

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it replaced

    def __repr__(self) -> str:
        return f"Document(id={self.id!r}, paragraphs={len(self.paragraphs)}, labels={self.labels!r})"

    def check(self, paragraphs: Sequence[str]) -> None:
        """Raise InvariantError unless this document holds exactly `paragraphs`, in order, each in one stream."""
        texts = [p.text for p in self.paragraphs]
        if texts != list(paragraphs):
            raise InvariantError(f"document {self.id!r}: {len(paragraphs)} paragraphs in, {len(texts)} out"
                                 + ("" if len(texts) != len(paragraphs) else ", with other texts"))
        in_streams = sum(self.stream_sizes())
        if in_streams != len(texts) or not all(isinstance(p.label, Label) for p in self.paragraphs):
            raise InvariantError(f"document {self.id!r}: {len(texts)} paragraphs, {in_streams} in the label streams")

    def stream(self, *labels: Label) -> list[Paragraph]:
        """The paragraphs that carry one of `labels`, in document order."""
        return [p for p in self.paragraphs if p.label in labels]

    def stream_sizes(self) -> tuple[int, ...]:
        """How many paragraphs the stream of each label holds, in the order of `Label`, counted in one pass."""
        counts = Counter(p.label for p in self.paragraphs)
        return tuple(counts[label] for label in Label)

    def text_of(self, *labels: Label) -> str:
        """The text of the paragraphs with one of `labels`, one paragraph per line."""
        return "\n".join(p.text for p in self.stream(*labels))

    @property
    def labels(self) -> list[str]:
        return [p.label.value for p in self.paragraphs]

    @property
    def body(self) -> str:
        """The cleaned article text."""
        return self.text_of(Label.BODY)

    @property
    def title(self) -> str:
        """The first headline paragraph (the title; repeated headlines are left out). With none, the title the page
        itself gives (an HTML page's metadata), so that the title never hangs on one paragraph's label: a headline
        taken for body still leaves the page its title. "" for a text with neither."""
        headlines = self.stream(Label.HEADLINE)
        if headlines:
            return headlines[0].text
        return str(self._metadata.get("title") or "")

    @property
    def byline(self) -> str:
        return self.text_of(Label.BYLINE)

    @property
    def comments(self) -> str:
        return self.text_of(Label.COMMENTS)

    @property
    def editorial(self) -> str:
        return self.text_of(Label.EDITORIAL)

    @property
    def boilerplate(self) -> str:
        return self.text_of(Label.BOILERPLATE)

    def streams(self) -> dict[str, str]:
        """One text per label: every paragraph lands in exactly one of them."""
        return {label.value: self.text_of(label) for label in Label}

    def computed(self) -> dict[str, Any]:
        """What cleaner adds to a record: title, metadata, the six streams, the aligned paragraph labels and, for text
        input, each paragraph's character span in that text (``spans``: [start, end] pairs, as dolma's attributes
        take them)."""
        record: dict[str, Any] = {"title": self.title}
        if self.metadata:
            record["metadata"] = self.metadata
        record.update(self.streams())
        record["paragraphs"] = [p.text for p in self.paragraphs]
        record["labels"] = self.labels
        record["confidences"] = [round(p.confidence, 4) for p in self.paragraphs]
        if self.paragraphs and all(p.start >= 0 for p in self.paragraphs):  # text input: where each paragraph is
            record["spans"] = [[p.start, p.end] for p in self.paragraphs]
        return record

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record: the id and the input's fields as given, then what cleaner computed
        (see `merge_computed` for a computed field whose name the input already uses)."""
        record: dict[str, Any] = {"id": self.id} if self.id is not None else {}
        record.update(self.meta)
        return merge_computed(record, self.computed())


def merge_computed(record: dict[str, Any], computed: dict[str, Any]) -> dict[str, Any]:
    """`record` with the `computed` fields added; an input field of the same name and another value is kept,
    and the computed value goes to ``cleaner_<name>`` instead."""
    for key, value in computed.items():
        record[SHADOWED_PREFIX + key if key in record and record[key] != value else key] = value
    return record
