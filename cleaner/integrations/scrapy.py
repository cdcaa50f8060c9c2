"""A Scrapy item pipeline that cleans each item's HTML (or text) and stores the streams it asks for.

Enable it in the project's settings::

    ITEM_PIPELINES = {"cleaner.integrations.scrapy.CleanerPipeline": 300}
    CLEANER_SOURCE_FIELD = "html"        # the item field that holds the page
    CLEANER_SOURCE_FORMAT = "html"       # or "text": one paragraph per line
    CLEANER_KEEP = ["body"]              # the labels whose text is stored, each in its own field
    CLEANER_OUTPUT_FIELDS = {"body": "article"}  # field names for those labels (default: the label's name)
    CLEANER_METADATA_FIELD = "metadata"  # title, author, date, url, sitename, authors, outlet, dates (None: off)
    CLEANER_MODEL = None                 # a model file you trust (default: the shipped model)
    CLEANER_URL_FIELD = "url"            # the item field with the page's address (metadata, relative links; None: off)
    CLEANER_DROP_SOURCE = False          # True: remove the source field (the raw page) once it is cleaned
    CLEANER_ENABLED = True

Items may be dicts, ``scrapy.Item`` s or dataclasses (through ``ItemAdapter``); an Item or a dataclass must
declare the output fields. The cleaning runs in Twisted's thread pool (``REACTOR_THREADPOOL_MAXSIZE`` threads), so the
event loop keeps downloading, and several items are cleaned at once: the model is read-only while it predicts.

The crawler's stats count what happened, under ``cleaner/``: ``cleaned``, ``paragraphs``, ``empty_body``,
``items_without_source`` and ``dropped/<reason>`` (``not_text``, ``empty_source``, ``unreadable``); the pipeline logs
to the ``cleaner.integrations.scrapy`` logger (a dropped item at WARNING, an item with no body at DEBUG).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

try:
    from itemadapter import ItemAdapter
    from scrapy.exceptions import DropItem, NotConfigured
    from scrapy.utils.defer import maybe_deferred_to_future
    from twisted.internet.threads import deferToThread
except ImportError as error:  # pragma: no cover - depends on the installed extras
    raise ImportError(f'cleaner\'s Scrapy pipeline needs Scrapy: pip install "cleaner[scrapy]" ({error})') from None

from ..api import clean, clean_html
from ..document import Document
from ..text.decode import InputError, decode_bytes, decode_html
from ..labels import Label
from ..model.persist import Model, load_model

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
    "CLEANER_DROP_SOURCE": False,
}
STATS_PREFIX = "cleaner/"
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PipelineOptions:
    """The pipeline's settings, checked: which field to read, how, and which fields to write."""

    source_field: str
    source_format: str
    url_field: str | None
    outputs: Mapping[Label, str]  # label -> item field
    metadata_field: str | None
    drop_source: bool = False  # remove the source field (the raw page) from the item once it is cleaned

    @classmethod
    def from_settings(cls, settings: Any) -> PipelineOptions:
        """The options from Scrapy settings (a `Settings` or a mapping); a bad value is a `SettingsError` naming the
        setting, which fails the crawl at start-up (a typo must not leave the items uncleaned)."""
        value = {name: settings.get(name, default) for name, default in DEFAULTS.items()}
        source_format = str(value["CLEANER_SOURCE_FORMAT"]).lower()
        if source_format not in (HTML_FORMAT, TEXT_FORMAT):
            raise SettingsError(f"CLEANER_SOURCE_FORMAT must be {HTML_FORMAT!r} or {TEXT_FORMAT!r}, not {source_format!r}")
        try:
            keep = [Label.parse(name) for name in _as_list(value["CLEANER_KEEP"])]
        except ValueError as error:
            raise SettingsError(f"CLEANER_KEEP: {error}") from None
        names = _as_dict(settings, "CLEANER_OUTPUT_FIELDS")
        return cls(str(value["CLEANER_SOURCE_FIELD"]), source_format, value["CLEANER_URL_FIELD"] or None,
                   {label: str(names.get(label.value, label.value)) for label in keep}, value["CLEANER_METADATA_FIELD"] or None,
                   _as_bool(value["CLEANER_DROP_SOURCE"]))


class SettingsError(ValueError):
    """A CLEANER_* setting with a value the pipeline cannot use."""


class CleanerPipeline:
    """Label the paragraphs of each item's page and store the text of the kept labels in the item."""

    def __init__(self, options: PipelineOptions, model: Model, stats: Any = None) -> None:
        self.options = options
        self.model = model
        self.stats = stats  # the crawler's stats collector: what the pipeline cleaned, dropped and passed
        self.counts: dict[str, int] = {}

    @classmethod
    def from_crawler(cls, crawler: Any) -> CleanerPipeline:
        settings = crawler.settings
        if not settings.getbool("CLEANER_ENABLED", DEFAULTS["CLEANER_ENABLED"]):
            raise NotConfigured("cleaner is disabled (CLEANER_ENABLED is False)")
        options = PipelineOptions.from_settings(settings)
        model_path = settings.get("CLEANER_MODEL")
        # A model named in the project's own settings is trusted: whoever writes the settings runs the code anyway.
        model = load_model(model_path, trust=True) if model_path else load_model()
        return cls(options, model, getattr(crawler, "stats", None))

    async def process_item(self, item: Any, spider: Any = None) -> Any:
        """Clean the item's source field off the event loop and write the kept streams (and metadata) into it.
        An item without the source field passes through unchanged; one whose source cannot be cleaned (not text or
        bytes, empty, binary) is dropped with the reason (`DropItem`)."""
        adapter = ItemAdapter(item)
        source = adapter.get(self.options.source_field)
        if source is None:
            self._count("items_without_source")
            return item
        url = adapter.get(self.options.url_field) if self.options.url_field else None
        self._refuse_bad_source(source)
        try:
            document = await maybe_deferred_to_future(deferToThread(self._clean, source, url))
        except (InputError, ValueError) as error:
            self._drop(f"its {self.options.source_field!r} cannot be cleaned: {error}", "unreadable")
        for field_name, value in self.fields(document).items():
            try:
                adapter[field_name] = value
            except KeyError:
                raise KeyError(f"cleaner cannot set {field_name!r} on {type(item).__name__}: declare the field "
                               "or change CLEANER_OUTPUT_FIELDS / CLEANER_METADATA_FIELD") from None
        if self.options.drop_source:
            del adapter[self.options.source_field]
        self._count("cleaned")
        self._count("paragraphs", len(document.paragraphs))
        if not document.body:
            self._count("empty_body")
            logger.debug("cleaner: no body in %s", url or f"an item's {self.options.source_field!r}")
        return item

    def _refuse_bad_source(self, source: Any) -> None:
        if not isinstance(source, (str, bytes)):
            self._drop(f"its {self.options.source_field!r} is {type(source).__name__}, not text or bytes", "not_text")
        if not source.strip():
            self._drop(f"its {self.options.source_field!r} is empty", "empty_source")

    def _drop(self, reason: str, kind: str) -> None:
        self._count(f"dropped/{kind}")  # Scrapy itself logs the dropped item with this reason, at WARNING
        raise DropItem(f"cleaner: {reason}")

    def _count(self, key: str, count: int = 1) -> None:
        """Count in the crawler's stats and in the pipeline's own tally (counted on the reactor thread only)."""
        self.counts[key] = self.counts.get(key, 0) + count
        if self.stats is not None:
            self.stats.inc_value(STATS_PREFIX + key, count)

    def close_spider(self, spider: Any = None) -> None:
        """Log one line of what the crawl's items came to."""
        dropped = sum(count for key, count in self.counts.items() if key.startswith("dropped/"))
        logger.info("cleaner: cleaned %d items (%d paragraphs, %d without body), dropped %d, passed %d without %r",
                    self.counts.get("cleaned", 0), self.counts.get("paragraphs", 0), self.counts.get("empty_body", 0),
                    dropped, self.counts.get("items_without_source", 0), self.options.source_field)

    def fields(self, document: Document) -> dict[str, Any]:
        """The item fields that `document` fills: one text per kept label, and the metadata."""
        values: dict[str, Any] = {field: document.text_of(label) for label, field in self.options.outputs.items()}
        if self.options.metadata_field:
            values[self.options.metadata_field] = document.metadata
        return values

    def _clean(self, source: str | bytes, url: str | None) -> Document:
        """One item's document; runs in a pool thread, beside others (prediction changes no state but a locked cache)."""
        if self.options.source_format == TEXT_FORMAT:
            text = decode_bytes(source, url or self.options.source_field) if isinstance(source, bytes) else source
            return clean(text, model=self.model)
        if isinstance(source, bytes):
            source = decode_html(source, url or self.options.source_field)  # binary junk: an InputError
        return clean_html(source, url, model=self.model)


def _as_dict(settings: Any, name: str) -> dict[str, Any]:
    """A dict setting, also when given as JSON on the command line (-s 'CLEANER_OUTPUT_FIELDS={"body": "text"}')."""
    try:
        value = settings.getdict(name) if hasattr(settings, "getdict") else dict(settings.get(name) or {})
    except (ValueError, TypeError) as error:
        raise SettingsError(f"{name} must be a dict (JSON on the command line): {error}") from None
    return value or {}


def _as_bool(value: Any) -> bool:
    if isinstance(value, str):
        if value.strip().lower() not in ("1", "0", "true", "false", "yes", "no", ""):
            raise SettingsError(f"CLEANER_DROP_SOURCE must be true or false, not {value!r}")
        return value.strip().lower() in ("1", "true", "yes")
    return bool(value)


def _as_list(value: str | Sequence[str]) -> list[str]:
    """A list setting given as a list or as a comma-separated string (as on the command line: -s CLEANER_KEEP=a,b)."""
    return [part.strip() for part in value.split(",")] if isinstance(value, str) else list(value)
