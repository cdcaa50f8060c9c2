"""The page's title as its reader sees it: the headline (<h1>) when the page's <title> says the same thing, else the
<title> without the site's name ("How to Invest | Vanguard" -> "How to Invest").

A <title> is written for search results and browser tabs: it often carries the site's name after a separator, or a
longer or shorter wording than the headline on the page. WCXB's gold titles are the headline. Chosen among five
variants on the wcxb-dev articles (exact match after lower-casing and stripping punctuation: trafilatura's title 0.554,
the site's name stripped 0.782, the <h1> when it shares at least 30% of its words with the title 0.852), and checked
on the other page types of wcxb-dev-other (0.459 -> 0.679); see `python -m cleaner.bench.html`.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

from lxml.html import HtmlElement

# A site's name is set off by a bar, a spaced dash or bullet, "::", "//", "»" or "~".
SEPARATOR = re.compile(r"\s+(?:\||-|\u2014|\u2013|\u2022|\u00b7|::|//|\u00bb|~)\s+")
SEPARATOR_CHARS = " |-\u2014\u2013\u2022\u00b7:/\u00bb~"
MIN_SHARED_WORDS = 0.3  # an <h1> whose words are at least this share of the title's and its own (Jaccard) says the same
MAX_HEADLINE_CHARS = 300  # longer "headings" are markup misuse: a whole block set as <h1>
MAX_HEADINGS = 5  # the first headings only: later ones are a sidebar's or a footer's
STRIP_ROUNDS = 2  # "Title | Blog | Site": the site, then what remains of it
WORD = re.compile(r"\w+")


def page_title(title: str | None, tree: HtmlElement, sitename: str | None, url: str | None) -> str | None:
    """The headline that `title` (trafilatura's) stands for: an <h1> of `tree` that says the same thing, else
    `title` without the site's name (`sitename`, or the host of `url`); None when there is no title at all."""
    if not title:
        return _only_heading(tree)
    for heading in _headings(tree):
        if _words(heading) and (_plain(heading) in _plain(title) or _shared(heading, title) >= MIN_SHARED_WORDS):
            return heading
    return without_site(title, sitename, url)


def without_site(title: str, sitename: str | None, url: str | None) -> str:
    """`title` without a leading or trailing part that is the site's name."""
    names = _site_names(sitename, url)
    for _ in range(STRIP_ROUNDS):
        parts = SEPARATOR.split(title)
        if len(parts) < 2:
            break
        if _is_site(parts[-1], names):
            title = title[: title.rfind(parts[-1])].rstrip(SEPARATOR_CHARS)
        elif _is_site(parts[0], names):
            title = title[len(parts[0]):].lstrip(SEPARATOR_CHARS)
        else:
            break
    return title


def _headings(tree: HtmlElement) -> list[str]:
    headings = (" ".join(element.text_content().split()) for element in tree.iter("h1"))
    return [text for _, text in zip(range(MAX_HEADINGS), headings) if text and len(text) <= MAX_HEADLINE_CHARS]


def _only_heading(tree: HtmlElement) -> str | None:
    """A page without a <title>: its one <h1>, if it has exactly one."""
    headings = _headings(tree)
    return headings[0] if len(headings) == 1 else None


def _site_names(sitename: str | None, url: str | None) -> list[str]:
    """The site's name and host, squeezed (lower case, no spaces or punctuation), to compare a title's part with."""
    names = [_squeezed(sitename)] if sitename else []
    if url:
        host = urlparse(url).netloc.lower().removeprefix("www.")
        names += [_squeezed(host), _squeezed(host.split(".")[0])]
    return [name for name in names if name]


def _is_site(part: str, names: list[str]) -> bool:
    squeezed = _squeezed(part)
    return bool(squeezed) and any(squeezed in name or name in squeezed for name in names)


def _words(text: str) -> set[str]:
    return set(WORD.findall(text.lower()))


def _plain(text: str) -> str:
    return " ".join(WORD.findall(text.lower()))


def _squeezed(text: str) -> str:
    return "".join(WORD.findall(text.lower()))


def _shared(a: str, b: str) -> float:
    """Jaccard overlap of the two texts' words."""
    first, second = _words(a), _words(b)
    return len(first & second) / max(1, len(first | second))
