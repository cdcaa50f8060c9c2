"""The corpus writer: cleaned documents as JSONL records that keep every input field, one field (or file) per stream.

A record comes out with the input's fields as given (all but the text or HTML that was cleaned), then cleaner's:
``title``, ``metadata``, one field per stream (``body``, ``headline``, ``byline``, ``boilerplate``, ``comments``,
``editorial``), and ``paragraphs``, ``labels`` and ``confidences``. A computed field never overwrites an input
field of the same name: it goes to ``cleaner_<name>`` (see `document.merge_computed`). With split streams each
stream goes to its own file, one record per document in every file, so that line N of each file is document N.
A document without body is written all the same, with an empty body and a ``no_body_reason``.

The body may go to another field (``text``, which datatrove's and dolma's readers take for a document's text), and
the input's own text (or HTML) may be kept as ``raw_text`` (``raw_html``): see `RecordFields` and `check_body_field`.
"""

from __future__ import annotations

import gzip
import io
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..document import Document, merge_computed
from .io import GZIP_SUFFIX, json_line
from ..labels import LABELS, Label
from ..files import atomic_open

NO_BODY_FIELD = "no_body_reason"
GZIP_MTIME = 0  # a fixed time in the gzip header: the same documents give the same bytes
BODY_FIELD = Label.BODY.value  # where the body goes unless told otherwise
RAW_FIELDS = {"text": "raw_text", "html": "raw_html"}  # where the input's own text or HTML is kept, if asked
# The fields cleaner writes besides the body: the body cannot take one of their names.
COMPUTED_FIELDS = frozenset({"title", "metadata", *LABELS, "paragraphs", "labels", "confidences", "spans", NO_BODY_FIELD,
                             *RAW_FIELDS.values()}) - {BODY_FIELD}


@dataclass(frozen=True)
class RecordFields:
    """Which fields of an input record hold its id, its text and its HTML (and its URL, which helps extraction)."""

    id: str = "id"
    text: str = "text"
    html: str = "html"
    url: str = "url"
    keep_input: bool = False  # keep the input's text (or HTML) in the output, as raw_text (raw_html)

    def problem(self, record: dict[str, Any]) -> str | None:
        """What keeps `record` from being cleaned, or None."""
        if self.text in record:
            return None if isinstance(record[self.text], str) else f"'{self.text}' must be a string"
        if self.html in record:
            return None if isinstance(record[self.html], str) else f"'{self.html}' must be a string"
        return f"the record has neither '{self.text}' nor '{self.html}'"

    def clean_input(self, record: dict[str, Any]) -> dict[str, Any]:
        """The record as `api.clean_documents` reads it: an id and a text, or an id, HTML and a URL."""
        if self.text in record:
            return {"id": record.get(self.id), "text": record[self.text]}
        return {"id": record.get(self.id), "html": record[self.html], "url": record.get(self.url)}

    def record_id(self, record: dict[str, Any]) -> Any:
        """The id of an input record's kept fields, or of an output record: its id field, else "id" (the
        relative path a text or HTML file's document has)."""
        return record.get(self.id, record.get("id"))

    def kept(self, record: dict[str, Any]) -> dict[str, Any]:
        """The fields that go to the output as given: all but the text or HTML that was cleaned (which, with
        `keep_input`, is kept as ``raw_text`` or ``raw_html``)."""
        kept = {key: value for key, value in record.items() if key not in (self.text, self.html)}
        kind = "text" if self.text in record else "html"
        return self.with_input(kept, kind, record.get(self.text if kind == "text" else self.html))

    def with_input(self, kept: dict[str, Any], kind: str, source: Any) -> dict[str, Any]:
        """`kept` with the input's text or HTML (`kind`: "text" or "html") as ``raw_text`` or ``raw_html`` when
        `keep_input` is set; an input field of that name is kept, and the source goes to ``cleaner_raw_...``."""
        return merge_computed(kept, {RAW_FIELDS[kind]: source}) if self.keep_input else kept


def check_body_field(name: str) -> str:
    """`name`, when the body can go to a field of that name; else a ValueError naming it (empty, or the name of
    another field cleaner writes)."""
    if not name:
        raise ValueError("the body field needs a name (such as body, or text for datatrove and dolma)")
    if name in COMPUTED_FIELDS:
        raise ValueError(f"{name!r} is a field cleaner writes already; choose another name for the body "
                         "(such as body, or text)")
    return name


def _renamed_body(computed: dict[str, Any], body_field: str) -> dict[str, Any]:
    """`computed` with the body under `body_field`, in the same place among the fields."""
    if body_field == BODY_FIELD:
        return computed
    return {body_field if key == BODY_FIELD else key: value for key, value in computed.items()}


def no_body_reason(document: Document) -> str | None:
    """Why a document has no body, or None when it has one."""
    if document.body:
        return None
    if not document.paragraphs:
        return "no text: the input is empty, or no text was found in its HTML"
    counts = Counter(document.labels)
    labeled = ", ".join(f"{count} {label}" for label, count in counts.most_common())
    return f"no paragraph was labeled body ({labeled})"


def corpus_record(kept: dict[str, Any], document: Document, body_field: str = BODY_FIELD) -> dict[str, Any]:
    """One output record: the input's kept fields, then everything cleaner computed for the document (the body
    under `body_field`)."""
    computed = document.computed()
    if (reason := no_body_reason(document)) is not None:
        computed[NO_BODY_FIELD] = reason
    return merge_computed(dict(kept), _renamed_body(computed, body_field))


def stream_record(kept: dict[str, Any], document: Document, label: Label, body_field: str = BODY_FIELD) -> dict[str, Any]:
    """The record of one stream's file: the input's kept fields, the title, the metadata and that stream's text
    (the body's under `body_field`)."""
    computed: dict[str, Any] = {"title": document.title, "metadata": document.metadata, label.value: document.text_of(label)}
    if label is Label.BODY and (reason := no_body_reason(document)) is not None:
        computed[NO_BODY_FIELD] = reason
    return merge_computed(dict(kept), _renamed_body(computed, body_field))


def stream_path(path: Path, label: Label) -> Path:
    """Where one stream goes with split streams: docs.jsonl.gz -> docs.comments.jsonl.gz."""
    gz = GZIP_SUFFIX if path.name.lower().endswith(GZIP_SUFFIX) else ""
    stem = path.name[: len(path.name) - len(gz)]
    base, dot, suffix = stem.rpartition(".")
    name = f"{base}.{label.value}.{suffix}" if dot else f"{stem}.{label.value}"
    return path.with_name(name + gz)


def corpus_line(kept: dict[str, Any], document: Document, body_field: str = BODY_FIELD) -> str:
    """One output record (`corpus_record`) as a JSON line."""
    return json_line(corpus_record(kept, document, body_field))


def corpus_lines(kept: dict[str, Any], document: Document, split_streams: bool = False,
                 body_field: str = BODY_FIELD) -> list[str]:
    """A document's JSON lines: its one record, or with split streams one record per stream, in `Label` order."""
    if not split_streams:
        return [corpus_line(kept, document, body_field)]
    return [json_line(stream_record(kept, document, label, body_field)) for label in Label]


def write_corpus(documents: Iterable[Sequence[str]], output: Path, split_streams: bool) -> None:
    """Write each document's `corpus_lines` to `output`, or one line to each stream's file with split streams;
    gzip for names ending .gz.

    All files are written to temporary files and renamed at the end, together: a crash leaves none of them.
    """
    targets = [stream_path(output, label) for label in Label] if split_streams else [output]
    with ExitStack() as stack:
        handles = [stack.enter_context(_open_output(path)) for path in targets]
        for lines in documents:
            for handle, line in zip(handles, lines, strict=True):
                handle.write(line)


@contextmanager
def _open_output(path: Path) -> Iterator[IO[str]]:
    """An atomic UTF-8 text output at `path`, gzip-compressed when its name ends in .gz."""
    if not path.name.lower().endswith(GZIP_SUFFIX):
        with atomic_open(path) as handle:
            yield handle
        return
    with atomic_open(path, binary=True) as raw:
        compressed = gzip.GzipFile(fileobj=raw, mode="wb", mtime=GZIP_MTIME)  # closing it leaves `raw` open
        with io.TextIOWrapper(compressed, encoding="utf-8", newline="") as text:
            yield text
