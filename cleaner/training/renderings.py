"""The texts a scraper makes of one page: what cleaner must clean, and so what it trains and is validated on.

Users hand cleaner text made in different ways, and a model trained on one of them learns that one. Each labeled
page is rendered three ways:

- ``container``: the article's container (two levels above the common ancestor of the gold body's blocks) as
  html_text renders it, as ../shared/data/train was made (`cleaner.training.container`);
- ``page``: the whole page as html_text renders it (navigation, teasers, sidebars, comment threads all in);
- ``extract``: trafilatura's text with ``favor_recall`` and comments, as a pipeline that runs an extractor first
  hands it on.

The labels of the whole-page rendering (the superset) are carried to the other two by matching lines
(`carry_labels`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from difflib import SequenceMatcher

import html_text

from ..html.extract import parse_page
from ..text.decode import decode_html
from .align import joined_words, words
from .container import container_paragraphs

RENDERINGS = ("container", "page", "extract")
DROPPED = "//script|//style|//noscript|//template"  # never visible text
MAX_WORD_SPREAD = 20  # a word on more page lines than this says nothing about where a line came from
WORD_SHARE = 0.5  # share of a line's words the page lines of one label must hold for it to take that label


def lines_of(text: str | None) -> list[str]:
    """Non-empty lines, stripped, tabs as spaces: one paragraph each."""
    return [line.strip().replace("\t", " ") for line in (text or "").splitlines() if line.strip()]


def page_paragraphs(html: bytes) -> list[str]:
    """The whole page's visible text as html_text renders it, one paragraph a line."""
    root = parse_page(decode_html(html, "page"))
    if root is None:
        return []
    for element in root.xpath(DROPPED):
        element.drop_tree()
    return lines_of(html_text.extract_text(root, guess_layout=True))


def extract_paragraphs(html: bytes) -> list[str]:
    """trafilatura's text of the page with favor_recall, comments and tables, one paragraph a line."""
    import trafilatura  # only training renders pages this way

    text = trafilatura.extract(
        html, favor_recall=True, include_comments=True, include_tables=True, output_format="txt"
    )
    return lines_of(text)


def render(html: bytes, gold_body: str, rendering: str) -> list[str]:
    """The paragraphs of one rendering of a page (empty when the rendering finds nothing)."""
    renderers: dict[str, Callable[[], list[str] | None]] = {
        "container": lambda: container_paragraphs(html, gold_body),
        "page": lambda: page_paragraphs(html),
        "extract": lambda: extract_paragraphs(html),
    }
    if rendering not in renderers:
        raise ValueError(f"unknown rendering {rendering!r} (expected one of {', '.join(RENDERINGS)})")
    return renderers[rendering]() or []


def carry_labels(source: Sequence[str], labels: Sequence[str], target: Sequence[str]) -> tuple[list[str], Counter]:
    """Labels for the `target` lines from the labeled `source` lines, and how each was settled: the same line in
    order ("match"), the same line elsewhere ("copy"), the label of the source lines that hold most of its words
    (a line the renderer split or merged: "words"), else its previous neighbour's ("neighbour")."""
    carried: list[str | None] = [None] * len(target)
    how: Counter = Counter()
    keys = [joined_words(line) for line in source]
    wanted = [joined_words(line) for line in target]
    for block in SequenceMatcher(None, keys, wanted, autojunk=False).get_matching_blocks():
        carried[block.b : block.b + block.size] = labels[block.a : block.a + block.size]
    how["match"] = sum(label is not None for label in carried)
    first = dict(zip(reversed(keys), reversed(labels)))
    by_word = _word_lines(source)
    for i, key in enumerate(wanted):
        if carried[i] is None and key in first:
            carried[i] = first[key]
            how["copy"] += 1
        elif carried[i] is None and (voted := _voted_label(target[i], by_word, labels)):
            carried[i] = voted
            how["words"] += 1
    for i, label in enumerate(carried):
        if label is None:
            carried[i] = carried[i - 1] if i else "boilerplate"
            how["neighbour"] += 1
    return carried, how  # type: ignore[return-value]


def _word_lines(lines: Sequence[str]) -> dict[str, list[int]]:
    where: dict[str, list[int]] = defaultdict(list)
    for k, line in enumerate(lines):
        for word in set(words(line)):
            where[word].append(k)
    return where


def _voted_label(line: str, by_word: dict[str, list[int]], labels: Sequence[str]) -> str | None:
    own = set(words(line))
    votes: Counter = Counter()
    for word in own:
        if len(by_word.get(word, ())) <= MAX_WORD_SPREAD:
            votes.update(labels[k] for k in by_word.get(word, ()))
    if not own or not votes:
        return None
    label, count = votes.most_common(1)[0]
    return label if count >= WORD_SHARE * len(own) else None
