"""Paragraph labels derived from a page's gold text: training data from (HTML, gold article) pairs.

A benchmark or a site's own archive often has the clean article for each page, but no paragraph
labels. Aligning the page's paragraphs with that gold text labels them:

- a paragraph most of whose word trigrams occur in the gold body (or, when it is short, that is
  a whole line of it) is ``body``;
- one that matches the gold title is ``headline``;
- a short one that names the gold author is ``byline``;
- everything else is ``boilerplate``: the gold says nothing about comments or editorial notes,
  so pages with comment sections teach the model the wrong thing about them. Use derived labels
  to add body/boilerplate examples, next to hand-labeled data.

A page whose text rendering was labeled by hand (the review layout of ../shared/data/train) gets better
labels for its HTML rendering with `transfer_labels`: each paragraph takes the reviewed label of the same
paragraph, and only the paragraphs the text rendering lacks fall back on the gold text.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from urllib.parse import urlsplit

from .data import LabeledDocument
from ..html.extract import COMMENTS, PAGE, TEXT, TITLE, HtmlPage, extract_html
from ..pipeline.io import open_binary
from ..labels import Label

SHINGLE = 3  # words per shingle
BODY_COVERAGE = 0.5  # share of a paragraph's shingles found in the gold body that makes it body
TITLE_SIMILARITY = 0.85
BYLINE_MAX_WORDS = 20
WORD = re.compile(r"\w+")
# The label of a paragraph the reviewed text rendering lacks and the gold body does not hold, by the section of
# the page it comes from: the page title is the headline, the comment section's text is comments (LABELING.md:
# the thread and its chrome), anything else is boilerplate.
NOT_BODY_BY_SECTION = {TITLE: Label.HEADLINE, TEXT: Label.BOILERPLATE, COMMENTS: Label.COMMENTS, PAGE: Label.BOILERPLATE}


@dataclass(frozen=True, slots=True)
class Gold:
    """What a benchmark knows of a page: its article text and perhaps its title, author and publication date."""

    body: str
    title: str | None = None
    author: str | None = None
    date: str | None = None


@dataclass(frozen=True, slots=True)
class HtmlPair:
    """One page of a gold set: its id, its raw HTML bytes, its URL and its gold text."""

    id: str
    html: bytes
    url: str | None
    gold: Gold

    @property
    def site(self) -> str:
        """The page's web site (its URL's host), or its id when it has no URL: its cross-validation group."""
        return urlsplit(self.url or "").netloc or self.id


def words(text: str) -> list[str]:
    return WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def shingles(tokens: Sequence[str]) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1)}


def joined_words(text: str) -> str:
    """The words of `text`, normalised, joined by single spaces: how paragraphs are compared."""
    return " ".join(words(text))


@dataclass(frozen=True, slots=True)
class GoldBody:
    """A gold article text, ready for asking whether a paragraph is part of it."""

    shingles: set[tuple[str, ...]]
    lines: set[str]

    @classmethod
    def of(cls, body: str) -> GoldBody:
        return cls(shingles(words(body)), {joined_words(line) for line in body.splitlines()})

    def holds(self, tokens: list[str]) -> bool:
        """Whether a paragraph (its `words`) is body: most of its shingles are in the gold body, or, when it
        is short (a subheading, a list item), it is a whole line of it."""
        if len(tokens) < SHINGLE + 2:
            return " ".join(tokens) in self.lines
        own = shingles(tokens)
        return len(own & self.shingles) >= BODY_COVERAGE * len(own)


def derive_labels(paragraphs: Sequence[str], gold: Gold) -> list[Label]:
    """One label per paragraph, from how it aligns with the gold body, title and author."""
    body = GoldBody.of(gold.body)
    title = joined_words(gold.title or "")
    author = joined_words(gold.author or "")
    labels = []
    for text in paragraphs:
        tokens = words(text)
        joined = " ".join(tokens)
        if title and joined and SequenceMatcher(None, joined, title).ratio() >= TITLE_SIMILARITY:
            labels.append(Label.HEADLINE)
        elif author and len(tokens) <= BYLINE_MAX_WORDS and f" {author} " in f" {joined} ":
            labels.append(Label.BYLINE)
        else:
            labels.append(Label.BODY if body.holds(tokens) else Label.BOILERPLATE)
    return labels


def transfer_labels(page: HtmlPage, reviewed: LabeledDocument, gold: Gold) -> list[Label]:
    """One label per paragraph of `page`, an HTML rendering of the `reviewed` document: the reviewed label of the
    same paragraph (same words); else ``body`` when it aligns with the gold body; else `NOT_BODY_BY_SECTION`."""
    known: dict[str, Label] = {}
    for text, label in zip(reviewed.paragraphs, reviewed.labels):
        known.setdefault(joined_words(text), label)
    body = GoldBody.of(gold.body)
    labels = []
    for text, section in zip(page.paragraphs, page.sections):
        tokens = words(text)
        label = known.get(" ".join(tokens))
        labels.append(label or (Label.BODY if body.holds(tokens) else NOT_BODY_BY_SECTION[section]))
    return labels


def read_html_pairs(root: Path) -> Iterator[HtmlPair]:
    """Pages with gold text in either layout of ../shared/data.

    - `html/ID.html.gz` with `ground-truth/ID.json` ({"main_content", "title", "author", "url"}), as in wcxb-dev;
    - `ID.html.gz` files with one `ground-truth.json` mapping each ID to {"articleBody", "url"}, as in pages/.

    The few pages without gold text can be neither aligned nor scored, and are left out.
    """
    if (root / "ground-truth.json").is_file():
        truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
        for page_id, entry in sorted(truth.items()):
            if entry.get("articleBody"):
                yield HtmlPair(page_id, _read_html(root / f"{page_id}.html.gz"), entry.get("url"), Gold(entry["articleBody"]))
    elif (root / "ground-truth").is_dir():
        for path in sorted((root / "ground-truth").glob("*.json")):
            entry = json.loads(path.read_text(encoding="utf-8"))
            if entry.get("main_content"):
                gold = Gold(entry["main_content"], entry.get("title"), entry.get("author"), entry.get("publish_date"))
                yield HtmlPair(path.stem, _read_html(root / "html" / f"{path.stem}.html.gz"), entry.get("url"), gold)
    else:
        raise FileNotFoundError(f"{root}: expected ground-truth.json or a ground-truth/ folder")


def _read_html(path: Path) -> bytes:
    with open_binary(path) as handle:
        return handle.read()


def html_documents(root: Path) -> Iterator[LabeledDocument]:
    """Labeled documents from the (HTML, gold) pairs under `root`: the paragraphs `extract_html` finds in each page,
    labeled by `derive_labels`. Pages of one web site share a cross-validation group."""
    for pair in read_html_pairs(root):
        page = extract_html(pair.html, pair.url)
        labels = derive_labels(page.paragraphs, pair.gold)
        yield LabeledDocument(pair.id, tuple(page.paragraphs), tuple(labels), pair.site)
