"""A Scrapy item pipeline that cleans each item's HTML (or text) and stores the streams it asks for.

Enable it in the project's settings::

    ITEM_PIPELINES = {"cleaner.integrations.scrapy.CleanerPipeline": 300}
    CLEANER_SOURCE_FIELD = "html"        # the item field that holds the page
    CLEANER_SOURCE_FORMAT = "html"       # or "text": one paragraph per line
    CLEANER_KEEP = ["body"]              # the labels whose text is stored, each in its own field
    CLEANER_OUTPUT_FIELDS = {"body": "article"}  # field names for those labels (default: the label's name)
    CLEANER_METADATA_FIELD = "metadata"  # title, author, date, url, sitename, authors, outlet, dates (None: off)
    CLEANER_MODEL = None                 # a model file you trust (default: the shipped model)
    CLEANER_ENABLED = True

Items may be dicts, ``scrapy.Item`` s or dataclasses (through ``ItemAdapter``); an Item or a dataclass must
declare the output fields. The cleaning runs in Twisted's thread pool, so the event loop keeps downloading.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

try:
    from itemadapter import ItemAdapter
    from scrapy.exceptions import NotConfigured
    from scrapy.utils.defer import maybe_deferred_to_future
    from twisted.internet.threads import deferToThread
except ImportError as error:  # pragma: no cover - depends on the installed extras
    raise ImportError(f'cleaner\'s Scrapy pipeline needs Scrapy: pip install "cleaner[scrapy]" ({error})') from None

from ..api import clean, clean_html
from ..document import Document
from ..io import decode_bytes
from ..labels import Label
from ..persist import Model, load_model

HTML_FORMAT, TEXT_FORMAT = "html", "text"
DEFAULTS = {
    "CLEANER_ENABLED": True,
    "CLEANER_SOURCE_FIELD": "html",
    "CLEANER_SOURCE_FORMAT": HTML_FORMAT,
    "CLEANER_URL_FIELD": "url",
    "CLEANER_KEEP": ["body"],
    "CLEANER_OUTPUT_FIELDS": {},
    "CLEANER_METADATA_FIELD": "metadata",
    "CLEANER_MODEL": None,
}


@dataclass(frozen=True)
class PipelineOptions:
    """The pipeline's settings, checked: which field to read, how, and which fields to write."""

    source_field: str
    source_format: str
    url_field: str | None
    outputs: Mapping[Label, str]  # label -> item field
    metadata_field: str | None

    @classmethod
    def from_settings(cls, settings: Any) -> PipelineOptions:
        """The options from Scrapy settings (a `Settings` or a mapping), or NotConfigured naming the bad one."""
        value = {name: settings.get(name, default) for name, default in DEFAULTS.items()}
        source_format = str(value["CLEANER_SOURCE_FORMAT"]).lower()
        if source_format not in (HTML_FORMAT, TEXT_FORMAT):
            raise NotConfigured(f"CLEANER_SOURCE_FORMAT must be {HTML_FORMAT!r} or {TEXT_FORMAT!r}, not {source_format!r}")
        try:
            keep = [Label.parse(name) for name in _as_list(value["CLEANER_KEEP"])]
        except ValueError as error:
            raise NotConfigured(f"CLEANER_KEEP: {error}") from None
        names = dict(value["CLEANER_OUTPUT_FIELDS"] or {})
        return cls(str(value["CLEANER_SOURCE_FIELD"]), source_format, value["CLEANER_URL_FIELD"] or None,
                   {label: str(names.get(label.value, label.value)) for label in keep}, value["CLEANER_METADATA_FIELD"] or None)


class CleanerPipeline:
    """Label the paragraphs of each item's page and store the text of the kept labels in the item."""

    def __init__(self, options: PipelineOptions, model: Model) -> None:
        self.options = options
        self.model = model
        self._lock = threading.Lock()  # one document at a time through the model: it is not meant to be shared

    @classmethod
    def from_crawler(cls, crawler: Any) -> CleanerPipeline:
        settings = crawler.settings
        if not settings.getbool("CLEANER_ENABLED", DEFAULTS["CLEANER_ENABLED"]):
            raise NotConfigured("cleaner is disabled (CLEANER_ENABLED is False)")
        model_path = settings.get("CLEANER_MODEL")
        # A model named in the project's own settings is trusted: whoever writes the settings runs the code anyway.
        model = load_model(model_path, trust=True) if model_path else load_model()
        return cls(PipelineOptions.from_settings(settings), model)

    async def process_item(self, item: Any, spider: Any = None) -> Any:
        """Clean the item's source field off the event loop and write the kept streams (and metadata) into it.
        An item without the source field passes through unchanged."""
        adapter = ItemAdapter(item)
        source = adapter.get(self.options.source_field)
        if source is None:
            return item
        url = adapter.get(self.options.url_field) if self.options.url_field else None
        document = await maybe_deferred_to_future(deferToThread(self._clean, source, url))
        for field_name, value in self.fields(document).items():
            try:
                adapter[field_name] = value
            except KeyError:
                raise KeyError(f"cleaner cannot set {field_name!r} on {type(item).__name__}: declare the field "
                               "or change CLEANER_OUTPUT_FIELDS / CLEANER_METADATA_FIELD") from None
        return item

    def fields(self, document: Document) -> dict[str, Any]:
        """The item fields that `document` fills: one text per kept label, and the metadata."""
        values: dict[str, Any] = {field: document.text_of(label) for label, field in self.options.outputs.items()}
        if self.options.metadata_field:
            values[self.options.metadata_field] = document.metadata
        return values

    def _clean(self, source: str | bytes, url: str | None) -> Document:
        with self._lock:
            if self.options.source_format == TEXT_FORMAT:
                text = decode_bytes(source, url or self.options.source_field) if isinstance(source, bytes) else source
                return clean(text, model=self.model)
            return clean_html(source, url, model=self.model)


def _as_list(value: str | Sequence[str]) -> list[str]:
    """A list setting given as a list or as a comma-separated string (as on the command line: -s CLEANER_KEEP=a,b)."""
    return [part.strip() for part in value.split(",")] if isinstance(value, str) else list(value)
