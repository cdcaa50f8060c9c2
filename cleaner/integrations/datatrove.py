"""datatrove pipeline steps: clean each document's text with cleaner, and drop the documents left without body.

`CleanerStep` puts each document's body in ``text`` and the rest of what cleaner found in one metadata entry,
``metadata["cleaner"]`` (see `cleaner_metadata`), so that it never clashes with a reader's own metadata (a crawl's
``url`` and ``date``) and a ``JsonlWriter`` writes it as it is (``expand_metadata=True`` makes it a ``cleaner``
column). `NoBodyFilter` drops the documents without body, with the reason ``no_body`` (or ``no_text``, for an input
without any text), which an ``exclusion_writer`` writes as ``metadata["filter_reason"]``::

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from cleaner.integrations.datatrove import CleanerStep, NoBodyFilter

    LocalPipelineExecutor([
        JsonlReader("raw/"),
        CleanerStep(),
        NoBodyFilter(exclusion_writer=JsonlWriter("no_body/")),
        JsonlWriter("cleaned/"),
    ], tasks=4, logging_dir="logs/").run()

Each task loads the model once. The steps count what they did in datatrove's stats: documents cleaned, those
without body, and paragraphs per label (``paragraphs_body``, ...).
"""

from __future__ import annotations

from typing import Any

from .dask import MissingExtra

DATATROVE_INSTALL = 'pip install "cleaner[datatrove]"'

try:
    from datatrove.data import Document as DatatroveDocument
    from datatrove.data import DocumentsPipeline
    from datatrove.pipeline.base import PipelineStep
    from datatrove.pipeline.filters.base_filter import BaseFilter
    from datatrove.pipeline.writers.disk_base import DiskWriter
    from datatrove.utils.batching import batched
    from datatrove.utils.logging import logger
    from datatrove.utils.typeshelper import StatHints
except ImportError as error:  # pragma: no cover - depends on the installed extras
    raise MissingExtra(f"cleaner's datatrove steps need datatrove: {DATATROVE_INSTALL} ({error})") from None

from ..api import BATCH_DOCUMENTS, clean_documents
from ..document import Document
from ..labels import Label
from ..model.persist import Model
from ..pipeline.corpus import NO_BODY_FIELD, RAW_FIELDS, no_body_reason
from ..pipeline.parallel import worker_model

METADATA_KEY = "cleaner"  # the entry of a datatrove document's metadata that holds what cleaner found
NO_BODY, NO_TEXT = "no_body", "no_text"  # NoBodyFilter's reasons; datatrove counts each as dropped_<reason>
CLEANED, CLEAN_ERROR = "cleaned", "clean_error"  # CleanerStep's stats, besides datatrove's total and forwarded
PARAGRAPHS_STAT = "paragraphs_{label}"  # paragraphs of each label, per document


def cleaner_metadata(document: Document) -> dict[str, Any]:
    """What `CleanerStep` stores of a cleaned document besides its body, with the same keys for every document:
    the title, the other five streams, the paragraphs' labels and confidences, their ``spans`` ([start, end] in
    the input text), what the bylines say (``metadata``) and ``no_body_reason`` (None when there is a body)."""
    found: dict[str, Any] = {"title": document.title}
    found.update((label.value, document.text_of(label)) for label in Label if label is not Label.BODY)
    found["labels"] = document.labels
    found["confidences"] = [round(p.confidence, 4) for p in document.paragraphs]
    found["spans"] = [[p.start, p.end] for p in document.paragraphs]
    found["metadata"] = document.metadata
    found[NO_BODY_FIELD] = no_body_reason(document)
    return found


class CleanerStep(PipelineStep):
    """Clean each document's text: the body goes to ``text``, the rest to ``metadata[metadata_key]``.

    Documents are cleaned `batch_size` at a time (features are computed for a batch at once). `model_path` is a
    model file (default: the shipped model), which must be readable where the tasks run; `trust` is needed for a
    pickled one outside the package, as with `load_model`. With `keep_input`, the input text is kept too, as
    ``metadata[metadata_key]["raw_text"]``. A document without body is passed on with an empty ``text``: put a
    `NoBodyFilter` after this step to drop it, with its reason.
    """

    name = "🧹 cleaner"
    type = "✂️ - FORMAT"

    def __init__(self, model_path: str | None = None, trust: bool = False, batch_size: int = BATCH_DOCUMENTS,
                 metadata_key: str = METADATA_KEY, keep_input: bool = False) -> None:
        super().__init__()
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, not {batch_size!r}")
        self.model_path = model_path
        self.trust = trust
        self.batch_size = batch_size
        self.metadata_key = metadata_key
        self.keep_input = keep_input

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        """The documents of `data`, cleaned in batches; one whose text cannot be cleaned is counted and left out."""
        if data is None:
            return
        model = worker_model(self.model_path, self.trust)  # loaded once per process, on its first task
        for batch in batched(data, self.batch_size):
            with self.track_time("batch"):
                cleaned = self._clean_batch(batch, model)
            for position, doc in enumerate(batch):
                self.stat_update(StatHints.total)
                if position not in cleaned:
                    self.stat_update(CLEAN_ERROR)
                    continue
                self._store(doc, cleaned[position])
                self.stat_update(StatHints.forwarded)
                self.update_doc_stats(doc)
                yield doc

    def _clean_batch(self, batch: list[DatatroveDocument], model: Model) -> dict[int, Document]:
        """The cleaned form of each document of `batch`, by its position; one that cannot be cleaned is missing."""
        def skipped(item: Any, error: Exception) -> None:
            logger.warning(f"cleaner: skipped document {batch[item['id']].id!r}: {error}")

        records = ({"id": position, "text": doc.text} for position, doc in enumerate(batch))
        documents = clean_documents(records, model=model, batch_size=len(batch), errors="skip", on_error=skipped)
        return {document.id: document for document in documents}

    def _store(self, doc: DatatroveDocument, document: Document) -> None:
        """Put the body of `document` in ``doc.text`` and the rest in its metadata; count its paragraphs."""
        found = cleaner_metadata(document)
        if self.keep_input:
            found[RAW_FIELDS["text"]] = doc.text
        doc.text = document.body
        doc.metadata[self.metadata_key] = found
        self.stat_update(CLEANED)
        if found[NO_BODY_FIELD] is not None:
            self.stat_update(NO_BODY)
        for label, size in zip(Label, document.stream_sizes(), strict=True):
            self.stat_update(PARAGRAPHS_STAT.format(label=label.value), value=size)


class NoBodyFilter(BaseFilter):
    """Drop the documents that `CleanerStep` left without body: the reason is ``no_text`` for an input without
    any text, else ``no_body`` (``metadata[metadata_key]["no_body_reason"]`` says which labels it had). A document
    that `CleanerStep` did not clean is a ValueError: the filter would otherwise keep or drop it by accident."""

    name = "🧹 cleaner: no body"

    def __init__(self, exclusion_writer: DiskWriter | None = None, metadata_key: str = METADATA_KEY) -> None:
        super().__init__(exclusion_writer)
        self.metadata_key = metadata_key

    def filter(self, doc: DatatroveDocument) -> bool | tuple[bool, str]:
        """True to keep a document with body; (False, reason) to drop one without."""
        found = doc.metadata.get(self.metadata_key)
        if not isinstance(found, dict) or NO_BODY_FIELD not in found:
            raise ValueError(f"document {doc.id!r} was not cleaned (no metadata[{self.metadata_key!r}]): "
                             "put a CleanerStep before the NoBodyFilter")
        if found[NO_BODY_FIELD] is None:
            return True
        return False, NO_TEXT if not found["labels"] else NO_BODY

