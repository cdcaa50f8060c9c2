"""The author search in a page's elements: trafilatura's result, found among the candidate elements only."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
from trafilatura.metadata import extract_author
from trafilatura.utils import load_html
from trafilatura.xpaths import AUTHOR_XPATHS

from cleaner.training.align import read_html_pairs
from cleaner.html.extract import decode_html, page_metadata
from cleaner.html.author import (
    AUTHOR_LITERALS, SUPPORTED, by_line_author, candidate_search, element_test, markup_author, page_author,
)

PAGES_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "pages"
PROSE = "The harbour was closed on Tuesday after a storm damaged two of its piers, the port authority said. " * 3


def page(body: str) -> str:
    return (f"<!DOCTYPE html><html><head><title>Storm</title></head><body><nav><a href='/'>Home</a></nav>"
            f"<article><h1>Storm closes the harbour</h1>{body}<p>{PROSE}</p></article></body></html>")


def both(html: str) -> tuple[str | None, str | None]:
    tree = load_html(html)
    return page_author(tree), extract_author(tree)


def test_the_candidate_search_is_used_with_the_installed_trafilatura() -> None:
    # False would mean that trafilatura's author expressions changed: AUTHOR_LITERALS must be derived again.
    assert SUPPORTED


@pytest.mark.parametrize(("body", "author"), [
    ('<div class="byline">By Jane Doe</div>', "Jane Doe"),
    ("<author>Jane Doe</author>", "Jane Doe"),
    ('<div data-component="Byline">Jane Doe</div>', "Jane Doe"),
    ('<span itemprop="author">Jane Doe</span>', "Jane Doe"),
    ('<p id="zuozhe">Li Wei</p>', "Li Wei"),
    # An author in a comment section or a figure is deleted before the search: the article's own is found.
    ('<div id="comments"><span class="author">Reader Name</span></div><p class="author-name">Jane Doe</p>', "Jane Doe"),
    ('<figure><span class="author">Photo Person</span></figure><span class="author">Jane Doe</span>', "Jane Doe"),
    # The text is read without the deleted parts inside the element.
    ('<span class="author">Jane <time>May 3</time>Doe</span>', "Jane Doe"),
    # The first expression that finds a name wins, whatever the order of the elements.
    ('<div class="writer">Other Writer</div><p class="author-name">Jane Doe</p>', "Jane Doe"),
    # Texts too long for a name are passed over.
    (f'<span class="author">{"word " * 30}</span><div class="byline">Jane Doe</div>', "Jane Doe"),
    ('<p class="summary">No author here</p>', None),
])
def test_the_author_is_trafilaturas(body: str, author: str | None) -> None:
    assert both(page(body)) == (author, author)


def test_a_rel_child_falls_back_to_trafilaturas_own_search() -> None:
    found, theirs = both(page('<span class="author-card"><rel>me</rel>Jane Doe</span>'))
    assert found == theirs and found is not None and "Jane Doe" in found


def test_an_element_is_searched_as_trafilatura_searches_a_copy_of_it() -> None:
    """Only the element and what is below it count: a comment section above it deletes nothing, and the element
    itself is not deleted by a relative (".//") expression, as trafilatura copies it before pruning."""
    root = lxml.html.fromstring(
        '<html><body><div class="comments"><div class="comments" id="inner">'
        '<p class="byline">By Jane Doe</p></div></div></body></html>'
    )
    inner = root.get_element_by_id("inner")
    assert page_author(inner) == extract_author(inner) == "Jane Doe"
    assert page_author(root) == extract_author(root) is None


def test_every_author_expression_is_a_test_of_one_element() -> None:
    for expression in AUTHOR_XPATHS:
        test = element_test(expression)
        assert test is not None and "self::" in test[0].path and "//" not in test[0].path


@pytest.mark.skipif(not PAGES_DATA.is_dir(), reason="needs ../shared/data/pages beside the repository")
def test_real_pages_give_trafilaturas_author_and_candidates_hold_all_matches() -> None:
    found = 0
    for pair in read_html_pairs(PAGES_DATA):
        tree = load_html(decode_html(pair.html))
        candidates = set(candidate_search(AUTHOR_LITERALS)(tree))
        assert all(set(expression(tree)) <= candidates for expression in AUTHOR_XPATHS), pair.id
        author = page_author(tree)
        assert author == extract_author(tree), pair.id
        found += author is not None
    assert found > 50  # the comparison is not between empty values


@pytest.mark.parametrize(("body", "author"), [
    ("<p class='meta'>By Jane Doe | May 3, 2021</p>", "Jane Doe"),
    ("<div><span>Written by</span> <a href='/jane'>Jane Doe</a> and <a href='/tom'>Tom Li</a></div>",
     "Jane Doe; Tom Li"),
    ("<p>Author: Jane Doe</p>", "Jane Doe"),
    ("<p>ByJane Doe</p>", "Jane Doe"),  # the cue glued to the name
    ("<nav><p>By Category</p></nav><p>By Jane Doe</p>", "Jane Doe"),  # a menu's "By" is no byline
    ("<form><p>By checking out, you agree to our Terms of Use and Privacy Policy.</p></form>", None),
    ("<p>By checking out, you agree to our Terms of Use and Privacy Policy.</p>", None),  # lower-case words: a sentence
    ("<p>BY USE CASE</p>", None), ("<p>By Jane</p>", None),  # one word, or capitals alone, is no name
    ("<p>The piers were built by Jane Doe in 1901.</p>", None),  # a "by" inside a sentence
    # A cue alone, the names in the element after it.
    ("<div>By <a href='/author/jane-doe'>Jane Doe</a> \u22c5 Review Editor \u22c5 updated 3 December 2025, a long"
     " line of the reviewer's titles and the date</div>", "Jane Doe"),
    ("<h3>Written by</h3><div>Jane Doe</div>", "Jane Doe"), ("<h3>Author</h3><p>Jane Doe</p>", "Jane Doe"),
    ("<p><strong>Contributors:</strong> Jane Doe</p>", "Jane Doe"),
    ("<span>Written by: <ul><li><a href='/a'>Jane Doe</a></li><li><a href='/b'>Tom Li</a></li></ul></span>",
     "Jane Doe; Tom Li"),  # list items are names apart
    ("<div class='comments-body'><span>Posted by: <a href='mailto:x'>Reader Name</a></span></div>", None),
])
def test_a_by_line_names_the_author_when_the_markup_does_not(body: str, author: str | None) -> None:
    assert by_line_author(load_html(page(body))) == author


def test_the_page_metadata_read_a_by_line_only_without_an_author_in_the_markup() -> None:
    by_line = page("<p>By Jane Doe</p>")
    assert page_metadata(load_html(by_line))["author"] == "Jane Doe"
    marked = by_line.replace("<head>", "<head><meta name='author' content='Tom Li'>")
    assert page_metadata(load_html(marked))["author"] == "Tom Li"


@pytest.mark.parametrize(("head", "body", "author"), [
    ("<meta name='author' content='StephenT'>", "", "StephenT"),  # a handle: trafilatura drops a name without a space
    ("", "<meta name='author' content='Loona Construction'>", "Loona Construction"),  # a <meta> outside the <head>
    ("<meta name='twitter:label1' content='Written by'><meta name='twitter:data1' content='Zach'>", "", "Zach"),
    ("<meta name='author' content='https://example.org/jane'>", "", None),  # an address is no name
    ('<script type="application/ld+json">{"@graph": [{"@type": "WebPage"}, {"@type": "Article", "author":'
     ' {"@type": "Organization", "name": "Loona Construction"}}]}</script>', "", "Loona Construction"),
    ('<script type="application/ld+json">{"author": [{"name": "Jane Doe"}, {"name": "Tom Li"}]}</script>', "",
     "Jane Doe; Tom Li"),
    ('<script type="application/ld+json">{"author": </script>', "", None),  # broken JSON-LD is passed over
    ("", "<p>by <a href='/author/amanda/'>Amanda</a></p>", "Amanda"),  # a link to the author's page
    ("", "<a href='/author/flowguard-emea'>FlowGuard EMEA</a>", "FlowGuard EMEA"),
    ("", "<a href='/authors/juliette-carreiro'>Articles by Juliette</a>", None),  # a button, not a name
    ("", "<footer><a href='/author/jane-doe'>Jane Doe</a></footer>", None),  # a footer's link list
    ("", "<div id='comments'><a href='/author/tom-li'>Tom Li</a></div>", None),  # a commenter
    ("", "<a href='/author/jane-doe'>Tom Li</a>", None),  # the name is not the address's
])
def test_the_markup_names_an_author_where_trafilatura_finds_none(head: str, body: str, author: str | None) -> None:
    html = page(body).replace("<head>", f"<head>{head}")
    assert markup_author(load_html(html)) == author


def test_the_page_metadata_read_the_markup_last() -> None:
    handle = page("<p>By Jane Doe</p>").replace("<head>", "<head><meta name='author' content='jdoe'>")
    assert page_metadata(load_html(handle))["author"] == "Jane Doe"  # a "By" line's name before a handle
    assert page_metadata(load_html(page("<p>Text</p>").replace("<head>", "<head><meta name='author' "
                                                                "content='jdoe'>")))["author"] == "jdoe"
