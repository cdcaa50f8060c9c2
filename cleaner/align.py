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
from .html import extract_html
from .io import open_binary
from .labels import Label

SHINGLE = 3  # words per shingle
BODY_COVERAGE = 0.5  # share of a paragraph's shingles found in the gold body that makes it body
TITLE_SIMILARITY = 0.85
BYLINE_MAX_WORDS = 20
WORD = re.compile(r"\w+")


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


def words(text: str) -> list[str]:
    return WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def shingles(tokens: Sequence[str]) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1)}


def derive_labels(paragraphs: Sequence[str], gold: Gold) -> list[Label]:
    """One label per paragraph, from how it aligns with the gold body, title and author."""
    body_shingles = shingles(words(gold.body))
    body_lines = {" ".join(words(line)) for line in gold.body.splitlines()}
    title = " ".join(words(gold.title or ""))
    author = " ".join(words(gold.author or ""))
    labels = []
    for text in paragraphs:
        tokens = words(text)
        joined = " ".join(tokens)
        if title and joined and SequenceMatcher(None, joined, title).ratio() >= TITLE_SIMILARITY:
            labels.append(Label.HEADLINE)
        elif author and len(tokens) <= BYLINE_MAX_WORDS and f" {author} " in f" {joined} ":
            labels.append(Label.BYLINE)
        elif _in_body(tokens, joined, body_shingles, body_lines):
            labels.append(Label.BODY)
        else:
            labels.append(Label.BOILERPLATE)
    return labels


def _in_body(tokens: list[str], joined: str, body_shingles: set, body_lines: set[str]) -> bool:
    if len(tokens) < SHINGLE + 2:  # short lines (subheadings, list items) must be a line of the gold body
        return joined in body_lines
    own = shingles(tokens)
    return len(own & body_shingles) >= BODY_COVERAGE * len(own)


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
        yield LabeledDocument(pair.id, tuple(page.paragraphs), tuple(labels), urlsplit(pair.url or "").netloc or pair.id)
