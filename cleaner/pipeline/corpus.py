"""The corpus writer: cleaned documents as JSONL records that keep every input field, one field (or file) per stream.

A record comes out with the input's fields as given (all but the text or HTML that was cleaned), then cleaner's:
``title``, ``metadata``, one field per stream (``body``, ``headline``, ``byline``, ``boilerplate``, ``comments``,
``editorial``), and ``paragraphs``, ``labels`` and ``confidences``. A computed field never overwrites an input
field of the same name: it goes to ``cleaner_<name>`` (see `document.merge_computed`). With split streams each
stream goes to its own file, one record per document in every file, so that line N of each file is document N.
A document without body is written all the same, with an empty body and a ``no_body_reason``.
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
from ..labels import Label
from ..files import atomic_open

NO_BODY_FIELD = "no_body_reason"
GZIP_MTIME = 0  # a fixed time in the gzip header: the same documents give the same bytes


@dataclass(frozen=True)
class RecordFields:
    """Which fields of an input record hold its id, its text and its HTML (and its URL, which helps extraction)."""

    id: str = "id"
    text: str = "text"
    html: str = "html"
    url: str = "url"

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
        """The fields that go to the output as given: all but the text or HTML that was cleaned."""
        return {key: value for key, value in record.items() if key not in (self.text, self.html)}


def no_body_reason(document: Document) -> str | None:
    """Why a document has no body, or None when it has one."""
    if document.body:
        return None
    if not document.paragraphs:
        return "no text: the input is empty, or no text was found in its HTML"
    counts = Counter(document.labels)
    labeled = ", ".join(f"{count} {label}" for label, count in counts.most_common())
    return f"no paragraph was labeled body ({labeled})"


def corpus_record(kept: dict[str, Any], document: Document) -> dict[str, Any]:
    """One output record: the input's kept fields, then everything cleaner computed for the document."""
    computed = document.computed()
    if (reason := no_body_reason(document)) is not None:
        computed[NO_BODY_FIELD] = reason
    return merge_computed(dict(kept), computed)


def stream_record(kept: dict[str, Any], document: Document, label: Label) -> dict[str, Any]:
    """The record of one stream's file: the input's kept fields, the title, the metadata and that stream's text."""
    computed: dict[str, Any] = {"title": document.title, "metadata": document.metadata, label.value: document.text_of(label)}
    if label is Label.BODY and (reason := no_body_reason(document)) is not None:
        computed[NO_BODY_FIELD] = reason
    return merge_computed(dict(kept), computed)


def stream_path(path: Path, label: Label) -> Path:
    """Where one stream goes with split streams: docs.jsonl.gz -> docs.comments.jsonl.gz."""
    gz = GZIP_SUFFIX if path.name.lower().endswith(GZIP_SUFFIX) else ""
    stem = path.name[: len(path.name) - len(gz)]
    base, dot, suffix = stem.rpartition(".")
    name = f"{base}.{label.value}.{suffix}" if dot else f"{stem}.{label.value}"
    return path.with_name(name + gz)


def corpus_line(kept: dict[str, Any], document: Document) -> str:
    """One output record (`corpus_record`) as a JSON line."""
    return json_line(corpus_record(kept, document))


def corpus_lines(kept: dict[str, Any], document: Document, split_streams: bool = False) -> list[str]:
    """A document's JSON lines: its one record, or with split streams one record per stream, in `Label` order."""
    if not split_streams:
        return [corpus_line(kept, document)]
    return [json_line(stream_record(kept, document, label)) for label in Label]


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
