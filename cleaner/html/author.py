"""trafilatura's search for an author in a page's elements (`extract_author`), with its result in a fraction of its time.

trafilatura copies the page, deletes the parts where a name is not to be trusted (comment sections, sidebars,
dates, figures: ``AUTHOR_DISCARD_XPATHS``), then runs up to three XPath searches over every element
(``AUTHOR_XPATHS``) and keeps the first match whose text has the length of a name. libxml2 evaluates their
dozens of attribute tests on each of a page's thousand or so elements: about 9 ms for each page whose markup
names no author (half of wcxb-dev's pages), which had made it the slowest part of reading a page's metadata.

Every element those searches can match has one of a few strings (`AUTHOR_LITERALS`) in one of six attributes,
or is an ``<author>``, or has a ``<rel>`` child. The page's values of those attributes are read first, and one
search that tests only the strings they hold finds these few candidates (none tested on half of the pages).
Then trafilatura's own expressions, each turned into a test of one element (the ``self::`` axis), run on the
candidates alone, in trafilatura's order; a candidate counts only if neither it nor an ancestor is a deleted
part, and its text is read from a copy of it with the deleted parts removed, as trafilatura would read it.
The literals are derived from trafilatura's expressions as they are (`KNOWN_EXPRESSIONS` fingerprints them):
with any other expressions, `page_author` is trafilatura's own function.

When neither the markup nor those elements name an author, `by_line_author` reads the page's first short "By …"
line ("By Jane Doe", "Written by Jane Doe and Tom Li", "Author: Jane Doe"; a cue alone with the names in the
next element: "<h3>Written by</h3><p>Jane Doe</p>") outside scripts, navigation, forms, footers and comment
sections, if what follows the cue is two to five capitalised words: a name, not "By checking out, you agree" or
"BY USE CASE". Where that finds no one either, `markup_author` reads what else the markup says: the JSON-LD's
author, an author <meta> anywhere (a handle too), a link to an author's page.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from copy import deepcopy
from functools import cache
from hashlib import sha256
from typing import Any

from lxml.etree import XPath, _Element
from lxml.html import HtmlElement
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.metadata import extract_author, normalize_authors
from trafilatura.utils import trim
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

from ..text.byline import parse_byline

# Strings that an attribute tested by AUTHOR_XPATHS holds whenever the test passes (case as written there):
# "author" in any case, "byline"/"Byline", "byl", "BBL", and the rarer names of its alternatives.
AUTHOR_LITERALS = ("uthor", "byl", "yline", "BBL", "username", "screenname", "writer", "zuozhe", "bianji", "xiaobian",
                   "channel-name", "submitted-by", "posted-by", "journalist-name")
AUTHOR_ATTRIBUTES = ("class", "id", "rel", "itemprop", "data-testid", "data-component")  # the ones AUTHOR_XPATHS tests
# The values of the tested attributes, as plain strings (no element objects: those cost more than the search).
ATTRIBUTE_VALUES = XPath("|".join(f"descendant-or-self::*/@{name}" for name in AUTHOR_ATTRIBUTES), smart_strings=False)
# The fingerprint of the trafilatura expressions the literals were derived from (trafilatura 2.3).
KNOWN_EXPRESSIONS = "bd5f280624916a83"
MIN_AUTHOR_CHARS, MAX_AUTHOR_CHARS = 2, 120  # trafilatura's bounds (exclusive) on the text of an author element
REGEXP_NS = {"re": "http://exslt.org/regular-expressions"}
# What a page's markup names its author in where trafilatura does not look (its <head> alone) or does not keep it.
AUTHOR_META_NAMES = frozenset({"author", "article:author", "parsely-author", "dc.creator", "sailthru.author"})
NOT_A_NAME = re.compile(r"https?:|www\.|/")  # a URL, not a name
JSON_LD = XPath("//script[@type='application/ld+json']/text()", smart_strings=False)
MAX_JSON_DEPTH = 8
# A link to an author's page: what its address holds, where the author's part of it starts.
AUTHOR_PAGE_MARKERS = ("/author/", "/authors/", "author=", "/contributor/")
AUTHOR_LINKS = XPath("//a[" + " or ".join(f"contains(@href, '{marker}')" for marker in AUTHOR_PAGE_MARKERS) + "]")
AUTHOR_PAGE = re.compile("|".join(map(re.escape, AUTHOR_PAGE_MARKERS)))
# A "By" line: its cue, then the name (also glued on: "ByDaryl Austin"); and the page's text outside the parts where
# a "By" is not a byline ("Browse by category" menus, forms, scripts, footers).
BY_CUE = re.compile(r"^\s*(?:(?:written|posted|authored|words|article|story)\s+)?"
                    r"(?:by(?::?\s+|$|(?=[A-Z]))|(?:authors?|contributors?):\s*)", re.IGNORECASE)
# A cue alone in its element, the names in the next one ("<h3>Author</h3><p>Jane Doe</p>").
LONE_CUE = re.compile(r"^(?:(?:written|posted|authored|article|story)\s+by|by|authors?|contributors?)\s*:?$",
                      re.IGNORECASE)
MAX_BY_CUE_CHARS, MAX_BY_LINE_CHARS = 60, 80  # the text node holding the cue; the whole line with the name
MAX_WALKED_CHARS = 4 * MAX_BY_LINE_CHARS  # an element whose text is longer holds no line of names
# The short text nodes that may hold a cue: a cheap first sieve in libxml2 (an ancestor test for every text node, or
# a case-folded comparison, cost 40-60 ms on a large page), the cue and the ancestors tested in Python after it.
BY_TEXTS = XPath(f"//text()[string-length(.) < {MAX_BY_CUE_CHARS}]"
                 "[contains(., 'By') or contains(., 'by') or contains(., 'BY') or contains(., 'uthor')"
                 " or contains(., 'ontributor')]",
                 smart_strings=True)
NOT_BYLINE_TAGS = frozenset("script style noscript footer nav aside form button select option".split())
MIN_BY_NAME_WORDS, MAX_BY_NAME_WORDS = 2, 5  # what follows the cue, up to a separator or a digit
BY_NAME_END = re.compile(r"[|\u00b7\u2022\u22c5,\u2014\u2013]| - |\d")
NAME_PARTICLES = frozenset("de van von der da di du la le and &".split())
# A branch of an XPath union that searches the whole tree: "//" (the root element included) or ".//" (below it).
TREE_SEARCH = re.compile(r"(^|\|)\s*(\.?)//")


def page_author(tree: HtmlElement) -> str | None:
    """The author ``trafilatura.metadata.extract_author(tree)`` finds, found only among the candidate elements."""
    if not SUPPORTED:
        return extract_author(tree)
    values = "\n".join(ATTRIBUTE_VALUES(tree))  # no literal holds a line break: none is made by the joining
    candidates = candidate_search(tuple(literal for literal in AUTHOR_LITERALS if literal in values))(tree)
    if any(candidate.find("rel") is not None for candidate in candidates):
        return extract_author(tree)  # "rel='me'" reads a child's text, which the deleted parts can change
    for test in _AUTHOR_TESTS:
        for candidate in candidates:
            if test(candidate) and not _deleted(candidate, tree):
                text = trim(" ".join(prune_unwanted_nodes(deepcopy(candidate), AUTHOR_DISCARD_XPATHS).itertext()))
                if text and MIN_AUTHOR_CHARS < len(text) < MAX_AUTHOR_CHARS:
                    return normalize_authors(None, text)
    return None


def by_line_author(tree: HtmlElement) -> str | None:
    """The names of the page's first "By …" line (see the module's docstring), joined by "; ", or None."""
    for node in BY_TEXTS(tree):
        parent = node.getparent()
        if not (BY_CUE.match(node) or LONE_CUE.match(node.strip())) or _in_chrome(parent):
            continue
        for line in _cue_lines(node):
            if _is_by_line(line):
                names = [name for name in parse_byline(BY_CUE.sub("By ", line, count=1)).authors
                         if len(name.split()) >= MIN_BY_NAME_WORDS]
                if names:
                    return "; ".join(names)
    return None


def _cue_lines(node: Any) -> Iterator[str]:
    """The lines that may hold the names after a cue (a text node): its element's, the one around it ("<b>By</b>
    <a>name</a>"), and where the cue stands alone ("By <a>Jane Doe</a> ⋅ Review Editor ⋅ …", "<h3>Written by</h3>
    <p>Jane Doe</p>"), the cue and the element after it."""
    element = node.getparent()  # the element the text is in, or the one it follows (a tail)
    for line_element in (element, element.getparent()):
        if line_element is not None:
            yield _text(line_element)
    if LONE_CUE.match(node.strip()):
        after = element[0] if node.is_text and len(element) else element.getnext()
        if after is not None:
            yield f"{node.strip().rstrip(' :')}: {_text(after)}"


def _text(element: _Element) -> str:
    """An element's text on one line; list items apart ("Written by: <ul><li>Jane Doe</li><li>Tom Li</li></ul>"
    is "Written by: Jane Doe, Tom Li")."""
    whole = element.text_content()
    if len(whole) > MAX_WALKED_CHARS:  # too long for a line of names: no need to keep its list items apart
        return " ".join(whole.split())
    return " ".join(_items_apart(element).split())


def _items_apart(element: _Element) -> str:
    """An element's text with ", " before each list item that follows some text."""
    pieces = [element.text or ""]
    for child in element:
        if child.tag == "li" and "".join(pieces).strip():
            pieces.append(", ")
        pieces += [_items_apart(child) if isinstance(child.tag, str) else "", child.tail or ""]
    return "".join(pieces)


def markup_author(tree: HtmlElement) -> str | None:
    """Where neither trafilatura's reading of the markup nor a "By" line names anyone, what the markup still says:
    the author of the page's JSON-LD (an organisation included), an author <meta> anywhere in the page, a handle
    included ("StephenT": trafilatura drops a name without a space), else the text of the first link to an author's
    page ("/author/jane-doe") outside navigation, footers and comments, when it is a name that shares a word with
    the link's address or the address's words themselves (a handle)."""
    return _json_ld_author(tree) or _meta_author(tree) or _linked_author(tree)


def _meta_author(tree: HtmlElement) -> str | None:
    labels = {meta.get("name", "").casefold(): meta.get("content", "") for meta in tree.iter("meta")}
    for meta in tree.iter("meta"):
        key = (meta.get("name") or meta.get("property") or "").casefold()
        content = " ".join(meta.get("content", "").split())
        written_by = key.startswith("twitter:data") and labels.get(key.replace("data", "label")) == "Written by"
        if content and (key in AUTHOR_META_NAMES or written_by) and not NOT_A_NAME.search(content):
            return content
    return None


def _json_ld_author(tree: HtmlElement) -> str | None:
    for script in JSON_LD(tree):
        try:
            names = _author_names(json.loads(script))
        except (ValueError, RecursionError):
            continue
        if names:
            return "; ".join(dict.fromkeys(names))
    return None


def _author_names(value: Any, depth: int = 0) -> list[str]:
    """The names under the first "author" key of a JSON-LD value, searched depth first."""
    if depth > MAX_JSON_DEPTH:
        return []
    if isinstance(value, dict):
        if "author" in value:
            authors = value["author"] if isinstance(value["author"], list) else [value["author"]]
            names = [author.get("name") if isinstance(author, dict) else author for author in authors]
            return [name.strip() for name in names if isinstance(name, str) and name.strip()
                    and not NOT_A_NAME.search(name)]
        value = list(value.values())
    if isinstance(value, list):
        for item in value:
            if names := _author_names(item, depth + 1):
                return names
    return []


def _linked_author(tree: HtmlElement) -> str | None:
    for link in AUTHOR_LINKS(tree):
        text = _text(link)
        words = set(_words(text))
        slug = set(_words(AUTHOR_PAGE.split(link.get("href", ""), maxsplit=1)[-1]))
        if not (0 < len(text.split()) <= MAX_BY_NAME_WORDS and len(text) < MAX_AUTHOR_CHARS):
            continue
        if words <= slug or (words & slug and all(word[0].isupper() or word.casefold() in NAME_PARTICLES
                                                   for word in text.split())):
            if not _in_chrome(link):
                return text
    return None


def _in_chrome(element: _Element) -> bool:
    """Whether an element is in a part of the page where a "By" or a name is not the article's author: scripts,
    navigation, forms, footers, and comment sections (their "Posted by:")."""
    return any(ancestor.tag in NOT_BYLINE_TAGS or "comment" in f"{ancestor.get('class')} {ancestor.get('id')}"
               for ancestor in (element, *element.iterancestors()))


def _words(text: str) -> list[str]:
    """The words of `text`, lower-cased, without accents."""
    return re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold())


def _is_by_line(line: str) -> bool:
    """Whether a short line is a cue and then two to five capitalised words (a name's particles aside)."""
    if len(line) > MAX_BY_LINE_CHARS or not BY_CUE.match(line):
        return False
    words = BY_NAME_END.split(BY_CUE.sub("", line, count=1).strip())[0].split()
    return MIN_BY_NAME_WORDS <= len(words) <= MAX_BY_NAME_WORDS and all(
        word.casefold() in NAME_PARTICLES or (word[0].isupper() and not word.isupper()) for word in words)


@cache
def candidate_search(literals: tuple[str, ...]) -> XPath:
    """The elements AUTHOR_XPATHS can match on a page whose tested attributes hold only these of the literals:
    <author>, an element with a <rel> child (its "rel='me'" test), or one with a literal in a tested attribute;
    below the page's root, as in trafilatura's copy of it. Each literal tested costs as much as finding the
    values, so only those a page has are tested."""
    attributes = "|".join(f"@{name}" for name in AUTHOR_ATTRIBUTES)
    held = " or ".join(f"contains(., '{literal}')" for literal in literals)
    return XPath(f"descendant-or-self::*[self::author or rel{f' or ({attributes})[{held}]' if literals else ''}]")


def _deleted(element: _Element, tree: HtmlElement) -> bool:
    """Whether trafilatura's pruning of a copy of `tree` deletes `element`: it or an ancestor up to `tree` matches."""
    for ancestor in (element, *element.iterancestors()):
        for test, below_root in _DISCARD_TESTS:
            if test(ancestor) and not (below_root and ancestor is tree):
                return True
        if ancestor is tree:
            return False
    return False


def element_test(expression: XPath) -> tuple[XPath, bool] | None:
    """`expression`, a union of searches of the whole tree, as a test of one element (the same steps on the
    ``self::`` axis), and whether it searched below the root only (".//"); None for any other expression."""
    branches = TREE_SEARCH.findall(expression.path)
    below_root = {relative == "." for _, relative in branches}
    test = TREE_SEARCH.sub(r"\1self::", expression.path)
    if len(below_root) != 1 or "//" in test or re.search(r"position\(|last\(|\[\s*\d", test):
        return None
    return XPath(test, namespaces=REGEXP_NS), below_root.pop()


def expressions_fingerprint() -> str:
    """A short hash of trafilatura's author expressions, which `AUTHOR_LITERALS` was derived from."""
    paths = "\n".join(expression.path for expression in (*AUTHOR_XPATHS, *AUTHOR_DISCARD_XPATHS))
    return sha256(paths.encode("utf-8")).hexdigest()[:16]


_AUTHOR = [element_test(expression) for expression in AUTHOR_XPATHS]
_DISCARD = [element_test(expression) for expression in AUTHOR_DISCARD_XPATHS]
# False when trafilatura's expressions are not the ones AUTHOR_LITERALS was derived from: its own search is used.
SUPPORTED = expressions_fingerprint() == KNOWN_EXPRESSIONS and None not in (*_AUTHOR, *_DISCARD)
_AUTHOR_TESTS = [test for test, _ in filter(None, _AUTHOR)]
_DISCARD_TESTS = list(filter(None, _DISCARD))
