"""HTML input: decode a page, let trafilatura find its text and comment section, and split them into paragraphs.

trafilatura runs at its balance of precision and recall with comments and tables included (`EXTRACTION_OPTIONS`),
so that cleaner, not the extractor, decides what is body: the paragraphs it returns still hold bylines, captions,
link lists and the comment section. Each block element of trafilatura's output (paragraph, heading, list item,
quote, table row, line of a ``<br>``-broken block) becomes one paragraph, in document order, the comment section
last. Each paragraph keeps the section it came from (the page title, the extracted text, the comment section),
which `cleaner.html.priors` turns into a label-prior shift.

The page is parsed once: trafilatura extracts the text from the parsed tree, and the five metadata fields
cleaner keeps are read from the same tree (`page_metadata`), without the categories, tags and licence of
trafilatura's ``with_metadata``; its search for an author among the page's elements looks at the few elements it
can match, and a "By" line names the author where nothing else does (`cleaner.html.author`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import trafilatura
from htmldate import find_date
from lxml.etree import ElementDefaultClassLookup, HTMLParser, _Element
from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HtmlProcessingInstruction, fromstring
from trafilatura.baseline import html2txt
from trafilatura.metadata import (
    META_URL,
    examine_meta,
    extract_meta_json,
    extract_sitename,
    extract_title,
    extract_url,
)
from trafilatura.utils import is_dubious_html, repair_faulty_html

from .author import by_line_author, markup_author, page_author
from .title import page_title
from ..text.byline import clean_author
from ..text.decode import decode_html
from ..text.segment import split_paragraphs

# The metadata fields cleaner passes on (trafilatura's names).
LOGGER = logging.getLogger(__name__)
METADATA_FIELDS = ("title", "author", "date", "url", "sitename")
# trafilatura's settings: high recall, comments and tables kept, so that the classifier decides what is body.
# Not ``fast`` (no readability/jusText comparison for short texts): about 15% faster and level on the pages set,
# but it lost 1.6 points of extraction recall on wcxb-dev (README, HTML benchmark).
# trafilatura's balance of precision and recall, not favor_recall: on WCXB's development pages favor_recall loses
# a forum's posts (mean page F1 0.58 against 0.70), a listing's, a service page's and a product's, and gains nothing on
# articles (0.930 against 0.928) or on the training pages (0.967 both); see the bench README.
EXTRACTION_OPTIONS: dict[str, Any] = {"include_comments": True, "include_tables": True}
# bare_extraction's "python" format also renders the body and comments as text (about 1 ms per page), which cleaner
# does not read: it walks the trees. Any other format leaves them as trees; "txt" is trafilatura's default.
TREE_FORMAT = "txt"
# htmldate's settings: the date the page first declares (markup, URL, JSON-LD), and where it declares none, its
# search of the text for date-like strings. On wcxb-dev's 658 dated articles the search raised exact dates from 0.812
# to 0.848 for 0.8 ms a page (original_date=False, trafilatura's choice, gave 0.546 without the search, 0.578 with it).
DATE_OPTIONS: dict[str, Any] = {"original_date": True, "extensive_search": True}
# Elements of trafilatura's XML that start and end a paragraph; everything else is inline text.
BLOCK_TAGS = frozenset({"p", "head", "item", "quote", "code", "row", "list", "table", "div", "graphic", "body"})
LINE_BREAK_TAG = "lb"
CELL_TAG = "cell"  # table cells of one row are joined into one paragraph, separated by a space

# trafilatura's parser settings (trafilatura.utils.HTML_PARSER), with the class of each element object chosen in C.
# lxml.html's parser asks a Python method for it each time an element object is made (FormElement and four other
# classes for five tags, HtmlElement for the rest), which took about a tenth of trafilatura's extraction. Here every
# element is an HtmlElement: trafilatura, htmldate and jusText use nothing the five classes add.
MAX_DEPTH = 2048  # libxml2's nesting limit with huge_tree; a deeper page is an error (PageTooDeep)
PAGE_PARSER = HTMLParser(
    collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True, remove_pis=True,
    huge_tree=True,  # pages nested deeper than libxml2's default limit (255 levels) would lose all their text
)
PAGE_PARSER.set_element_class_lookup(ElementDefaultClassLookup(
    element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity,
))
DUBIOUS_PREFIX_CHARS = 50  # trafilatura's load_html: a page whose start does not say "html" must parse to two elements
DUBIOUS_MIN_ELEMENTS = 2

# Where a paragraph of a page comes from.
TITLE, TEXT, COMMENTS, PAGE = "title", "text", "comments", "page"
SECTIONS = (TITLE, TEXT, COMMENTS, PAGE)  # PAGE: all the text of a page where trafilatura found none


@dataclass(slots=True)
class HtmlPage:
    """The text of an HTML page as paragraphs, its metadata (title, author, date, url, sitename), and the
    section each paragraph came from (`SECTIONS`; a page built without them counts as extracted text)."""

    paragraphs: list[str]
    metadata: dict[str, Any] = field(default_factory=dict)
    sections: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.sections:
            self.sections = [TEXT] * len(self.paragraphs)
        if len(self.sections) != len(self.paragraphs) or not set(self.sections) <= set(SECTIONS):
            raise ValueError(f"an HtmlPage needs one section (of {', '.join(SECTIONS)}) per paragraph")


def extract_html(html: str | bytes, url: str | None = None) -> HtmlPage:
    """The paragraphs of a page, one per block element, and its metadata.

    Bytes are decoded (see `decode_html`). The page title comes first when trafilatura's text does not
    start with it, so that the classifier sees the headline as a scraper's text would show it. A page where
    trafilatura finds no text falls back to all the text of the page, so nothing is lost to the extractor.
    """
    text = decode_html(html, url or "<html>") if isinstance(html, bytes) else html
    tree = parse_page(text)  # parsed once: the metadata are read first, as trafilatura does, then it copies the tree
    if tree is None:
        return _whole_page(text, dict.fromkeys(METADATA_FIELDS) | {"url": url})
    metadata = page_metadata(tree, url)
    extracted = trafilatura.bare_extraction(tree, url=url, output_format=TREE_FORMAT, **EXTRACTION_OPTIONS)
    if extracted is None:
        return _whole_page(tree, metadata)
    body = block_paragraphs(extracted.body)
    comments = block_paragraphs(extracted.commentsbody)
    title = metadata["title"]
    head = [title] if title and (not body or body[0] != title) else []
    return HtmlPage(head + body + comments, metadata, [TITLE] * len(head) + [TEXT] * len(body) + [COMMENTS] * len(comments))


class PageTooDeep(ValueError):
    """A page libxml2 stops parsing part-way (elements nested past `MAX_DEPTH`): an error, not a page without text."""


def parse_page(text: str) -> HtmlElement | None:
    """The tree trafilatura's ``load_html`` makes of a decoded page (its repairs, its second try with UTF-8 bytes,
    its rejection of what is not HTML), made with PAGE_PARSER; None for a page that is not HTML."""
    beginning = text[:DUBIOUS_PREFIX_CHARS].lower()
    text = repair_faulty_html(text, beginning)
    tree, from_bytes = None, False
    try:
        tree = fromstring(text, parser=PAGE_PARSER)
    except ValueError:  # a text that declares an encoding: lxml parses it from bytes only
        tree, from_bytes = _parsed_bytes(text), True
    except Exception:  # noqa: BLE001 -- libxml2's failures: load_html tries the bytes too
        tree = None
    if (tree is None or len(tree) < 1) and not from_bytes:
        tree = _parsed_bytes(text)
    if tree is not None and is_dubious_html(beginning) and len(tree) < DUBIOUS_MIN_ELEMENTS:
        return None
    if any(entry.type_name == "ERR_RESOURCE_LIMIT" for entry in PAGE_PARSER.error_log):
        raise PageTooDeep(f"the page nests elements more than {MAX_DEPTH} levels deep; its text past that depth "
                          "cannot be parsed")
    return tree


def _parsed_bytes(text: str) -> HtmlElement | None:
    try:
        return fromstring(text.encode("utf-8", "surrogatepass"), parser=PAGE_PARSER)
    except Exception:  # noqa: BLE001 -- as trafilatura's fromstring_bytes: no tree
        return None


def _whole_page(page: str | HtmlElement, metadata: dict[str, Any]) -> HtmlPage:
    """All the text of a page where trafilatura found no article text: nothing is lost to the extractor."""
    paragraphs = split_paragraphs(html2txt(page))
    return HtmlPage(paragraphs, metadata, [PAGE] * len(paragraphs))


def page_metadata(tree: HtmlElement, url: str | None = None) -> dict[str, Any]:
    """The page's title, author, date, url and site name, as trafilatura's ``extract_metadata`` finds them
    (its steps for these five fields, in its order), with `DATE_OPTIONS` for the date; then the title as the page's
    reader sees it: its headline, or its <title> without the site's name (`title.page_title`)."""
    found = _meta_tags(tree)
    try:
        found = extract_meta_json(tree, found)
    except Exception as error:  # trafilatura's JSON-LD reader trips on some schemas (a list inside "@graph"): its own
        LOGGER.debug("JSON-LD metadata skipped: %s", error)  # extract_metadata skips them the same way
    found.title = found.title or extract_title(tree)
    found.author = found.author or page_author(tree)
    if not clean_author(found.author):  # none, or not a name: a "By" line may say who wrote it
        found.author = by_line_author(tree) or found.author
    if not clean_author(found.author):  # still none: what else the markup says (a handle, JSON-LD, an author link)
        found.author = markup_author(tree) or found.author
    found.url = found.url or extract_url(tree, url)
    found.date = find_date(tree, url=found.url, **DATE_OPTIONS)
    found.sitename = _site_name(found.sitename or extract_sitename(tree), found.url)
    found.clean_and_trim()
    found.title = page_title(found.title, tree, found.sitename, found.url)
    return {name: getattr(found, name) for name in METADATA_FIELDS}


def _meta_tags(tree: HtmlElement) -> Any:
    """What the page's <meta> tags say; an author without a space (a handle, a site) is no author."""
    found = examine_meta(tree)
    if found.author and " " not in found.author:
        found.author = None
    return found


def _site_name(name: str | None, url: str | None) -> str | None:
    """A site name as trafilatura writes it: no leading "@", capitalised unless it is a domain; else the URL's host."""
    if name:
        name = name.lstrip("@")
        return name.title() if name and "." not in name and not name[0].isupper() else name
    match = META_URL.match(url) if url else None
    return match[1] if match else None


def block_paragraphs(root: _Element | None) -> list[str]:
    """The text of trafilatura's XML tree, one paragraph per block element or ``<lb/>``-separated line."""
    paragraphs: list[str] = []
    pieces: list[str] = []

    def flush() -> None:
        text = " ".join("".join(pieces).split())
        if text:
            paragraphs.append(text)
        pieces.clear()

    def walk(element: _Element) -> None:
        is_block = element.tag in BLOCK_TAGS
        if is_block or element.tag == LINE_BREAK_TAG:
            flush()
        pieces.append(element.text or "")
        for child in element:
            walk(child)
        if is_block:
            flush()
        elif element.tag == CELL_TAG:
            pieces.append(" ")
        pieces.append(element.tail or "")

    if root is not None:
        walk(root)
        flush()
    return paragraphs
