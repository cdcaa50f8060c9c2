"""HTML extraction: paragraphs one per block element, comments kept, metadata, and decoding of non-UTF-8 pages."""

from __future__ import annotations

from pathlib import Path

import pytest
import trafilatura
from lxml.etree import tostring
from lxml.html import HtmlElement
from trafilatura.metadata import extract_metadata
from trafilatura.utils import load_html

from cleaner.training.align import read_html_pairs
from cleaner.html.title import page_title, without_site
from conftest import run_cli
from cleaner.html.extract import (
    COMMENTS, DATE_OPTIONS, EXTRACTION_OPTIONS, METADATA_FIELDS, PAGE, TEXT, TITLE, HtmlPage, block_paragraphs,
    decode_html, extract_html, page_metadata, parse_page,
)
from cleaner.html.extract import _whole_page

PAGES_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "pages"
METADATA_PAGES = 25  # real pages whose metadata are compared with trafilatura's own

PROSE = (
    "The harbour in the old town was closed on Tuesday after a storm damaged two of its piers, the port authority "
    "said, and it will stay closed for at least a week while engineers inspect the damage to the structure."
)
MORE = (
    "Fishermen said the closure would cost them most of the season's best week, and several of them asked the "
    "council for help with the cost of moving their boats to the next harbour along the coast."
)


def page(body: str, head: str = "", comments: str = "") -> str:
    """A small article page with the usual chrome around `body`."""
    return f"""<!DOCTYPE html><html lang="en"><head>{head}<title>Storm closes the harbour | Daily Courier</title>
<meta name="author" content="Jane Doe"><meta property="article:published_time" content="2021-05-03T10:00:00Z">
<meta property="og:site_name" content="Daily Courier"></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Storm closes the harbour</h1>{body}</article>{comments}
<footer>&copy; 2021 Daily Courier</footer></body></html>"""


ARTICLE = page(
    f"""<p>{PROSE}</p><p>{MORE}</p>
<ul><li>First point about the piers and their condition after the storm</li><li>Second point about the boats</li></ul>
<p>Harbour office<br>12 Quay Street<br>Open daily</p>
<blockquote><p>We have never seen a storm like it in forty years of fishing here.</p></blockquote>""",
    comments="""<div id="comments" class="comments"><h3>3 comments</h3>
<div class="comment"><p>reader1 says: I live by the harbour and this is exactly what happened to us last night.</p></div>
<div class="comment"><p>reader2 says: The council should have repaired the piers years ago, everyone knew.</p></div></div>""",
)


def test_each_block_element_is_one_paragraph() -> None:
    result = extract_html(ARTICLE)
    assert isinstance(result, HtmlPage)
    paragraphs = result.paragraphs
    assert paragraphs[0] == "Storm closes the harbour"
    assert PROSE in paragraphs and MORE in paragraphs
    assert paragraphs.index(PROSE) + 1 == paragraphs.index(MORE)
    assert "First point about the piers and their condition after the storm" in paragraphs
    assert "Second point about the boats" in paragraphs
    # A <br>-broken block gives one paragraph per line, as a scraper's text would show it.
    assert ["Harbour office", "12 Quay Street", "Open daily"] == paragraphs[paragraphs.index("Harbour office"):][:3]
    assert "We have never seen a storm like it in forty years of fishing here." in paragraphs
    assert all(p == " ".join(p.split()) and p for p in paragraphs)


def test_comments_are_kept_after_the_body() -> None:
    paragraphs = extract_html(ARTICLE).paragraphs
    comment = "reader1 says: I live by the harbour and this is exactly what happened to us last night."
    assert comment in paragraphs
    assert paragraphs.index(comment) > paragraphs.index(MORE)


def test_metadata_comes_from_the_page() -> None:
    metadata = extract_html(ARTICLE, url="https://example.org/harbour").metadata
    assert metadata["author"] == "Jane Doe"
    assert metadata["date"] == "2021-05-03"
    assert metadata["sitename"] == "Daily Courier"
    assert metadata["url"] == "https://example.org/harbour"
    assert "Storm closes the harbour" in metadata["title"]


def test_the_title_is_put_first_when_the_extracted_text_lacks_it() -> None:
    html = page(f"<p>{PROSE}</p><p>{MORE}</p>").replace("<h1>Storm closes the harbour</h1>", "")
    result = extract_html(html)
    assert result.paragraphs[0] == result.metadata["title"]
    assert result.paragraphs[1:3] == [PROSE, MORE]


def test_a_page_without_article_text_still_gives_its_text() -> None:
    result = extract_html("<html><body><p>Only a line.</p><p>And another.</p></body></html>")
    assert "Only a line." in " ".join(result.paragraphs)


def test_table_rows_are_paragraphs_with_their_cells() -> None:
    from lxml import etree

    tree = etree.fromstring(
        "<body><table><row><cell>Piers</cell><cell>2</cell></row><row><cell>Boats</cell><cell>40</cell></row></table>"
        "<p>Text with <hi>inline</hi> markup<lb/>and a break.</p></body>"
    )
    assert block_paragraphs(tree) == ["Piers 2", "Boats 40", "Text with inline markup", "and a break."]


def test_a_declared_charset_is_used_for_pages_that_are_not_utf8() -> None:
    html = page(f"<p>Caf\u00e9 cr\u00e8me \u2014 {PROSE}</p><p>{MORE}</p>", head='<meta charset="windows-1252">')
    result = extract_html(html.encode("cp1252"))
    assert f"Caf\u00e9 cr\u00e8me \u2014 {PROSE}" in result.paragraphs


def test_an_undeclared_legacy_encoding_is_detected() -> None:
    russian = "Шторм закрыл гавань в старом городе во вторник, сообщили в управлении порта. " * 4
    data = f"<html><head><title>Гавань</title></head><body><p>{russian}</p></body></html>".encode("cp1251")
    assert russian in decode_html(data)


def test_latin1_label_means_windows_1252_and_a_bom_is_dropped() -> None:
    declared = b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"></head>'
    assert decode_html(declared + "\u201cquoted\u201d".encode("cp1252")).endswith("\u201cquoted\u201d")
    assert decode_html(b"\xef\xbb\xbf<html>\xc3\xa9</html>") == "<html>\u00e9</html>"


def test_each_paragraph_keeps_the_section_it_came_from() -> None:
    html = page(f"<p>{PROSE}</p><p>{MORE}</p>").replace("<h1>Storm closes the harbour</h1>", "")
    result = extract_html(html.replace("</article>", "</article>" + ARTICLE[ARTICLE.index('<div id="comments"'):ARTICLE.index("<footer>")]))
    sections = dict(zip(result.paragraphs, result.sections))
    assert result.sections[0] == TITLE and sections[PROSE] == sections[MORE] == TEXT
    comment = "reader2 says: The council should have repaired the piers years ago, everyone knew."
    assert sections[comment] == COMMENTS
    assert result.sections == sorted(result.sections, key=[TITLE, TEXT, COMMENTS].index)  # title, text, comments


def test_a_page_built_without_sections_is_extracted_text_and_sections_must_match() -> None:
    assert HtmlPage(["a", "b"]).sections == [TEXT, TEXT]
    with pytest.raises(ValueError, match="one section"):
        HtmlPage(["a", "b"], sections=[TEXT])
    with pytest.raises(ValueError, match="one section"):
        HtmlPage(["a"], sections=["sidebar"])


def test_the_whole_page_fallback_is_one_page_section() -> None:
    result = _whole_page("<html><body><p>Only a line.</p><p>And another.</p></body></html>", {"url": None})
    assert "Only a line." in " ".join(result.paragraphs) and result.sections == [PAGE] * len(result.paragraphs) != []


@pytest.mark.parametrize("text", [
    ARTICLE, "", "not html at all", "<p>a fragment</p>", "<div><p>one</p><p>two</p></div>",
    '<?xml version="1.0" encoding="utf-8"?><html><body><p>declares its encoding</p></body></html>',
    "<!DOCTYPE html/>\n<html/><body><p>repaired</p></body></html>", "<html><body><p>con\x01trols</p></body></html>",
    "<html><body><form><input value='x'><label>Name</label><select></select><textarea>t</textarea></form></body></html>",
])
def test_a_page_parses_to_trafilaturas_tree_with_html_elements_only(text: str) -> None:
    ours, theirs = parse_page(text), load_html(text)
    assert (ours is None) == (theirs is None)
    if ours is not None:
        assert tostring(ours) == tostring(theirs)
        assert {type(element) for element in ours.iter("*")} == {HtmlElement}


def _extracted(tree: HtmlElement, url: str | None) -> list[list[str]]:
    found = trafilatura.bare_extraction(tree, url=url, **EXTRACTION_OPTIONS)
    return [block_paragraphs(found.body), block_paragraphs(found.commentsbody)] if found is not None else []


@pytest.mark.skipif(not PAGES_DATA.is_dir(), reason="needs ../shared/data/pages beside the repository")
def test_page_metadata_and_text_are_trafilaturas_own() -> None:
    """The five fields read from the parsed page are what trafilatura's extract_metadata gives, and the text is
    what it extracts from its own parse of the page, on real pages."""
    pages = list(read_html_pairs(PAGES_DATA))[:METADATA_PAGES]
    found_authors = 0
    for pair in pages:
        text = decode_html(pair.html)
        tree = parse_page(text)
        ours = page_metadata(tree, pair.url)
        theirs = extract_metadata(load_html(text), pair.url, dict(DATE_OPTIONS))
        expected = {name: getattr(theirs, name) for name in METADATA_FIELDS}
        expected["title"] = page_title(theirs.title, tree, theirs.sitename, theirs.url)  # the headline, not <title>
        assert ours == expected, pair.id
        assert _extracted(tree, pair.url) == _extracted(load_html(text), pair.url), pair.id
        found_authors += bool(ours["author"])
    assert found_authors > METADATA_PAGES // 2  # the comparison is not between empty values


@pytest.mark.skipif(not PAGES_DATA.is_dir(), reason="needs ../shared/data/pages beside the repository")
def test_real_pages_parse_to_trafilaturas_tree() -> None:
    for pair in read_html_pairs(PAGES_DATA):
        text = decode_html(pair.html)
        assert tostring(parse_page(text)) == tostring(load_html(text)), pair.id


BROKEN_JSON_LD = """<html><head><title>Harbour shut</title><meta name="author" content="Jane Doe">
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [[{"@type": "Organization"}]]}</script>
</head><body><article><h1>Harbour shut</h1><p>The harbour in the old town was closed on Tuesday after a storm damaged
two of its piers, the port authority said, and it will stay closed for a week.</p></article></body></html>"""


def test_a_json_ld_block_that_trafilatura_cannot_read_leaves_the_rest_of_the_metadata(tmp_path) -> None:
    """A list inside "@graph" makes trafilatura's JSON-LD reader raise; its own extract_metadata skips the block, and
    so does cleaner, in the library and on the command line (where any page an extractor fails on is one failed
    input, not the end of the run)."""
    from cleaner import clean_html

    document = clean_html(BROKEN_JSON_LD)
    assert document.metadata["author"] == "Jane Doe" and document.metadata["title"] == "Harbour shut"
    assert "old town was closed" in document.body
    page = tmp_path / "page.html"
    page.write_text(BROKEN_JSON_LD, encoding="utf-8")
    done = run_cli("clean", page, tmp_path / "missing.html", "-o", tmp_path / "out")
    assert done.exit_code == 1 and "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert "old town was closed" in (tmp_path / "out" / "page.txt").read_text(encoding="utf-8")


def test_a_page_an_extractor_fails_on_is_one_failed_input_and_the_run_goes_on(tmp_path, monkeypatch) -> None:
    """Fault injection: the extractor raises on one page, as a third-party parser's bug would."""
    from cleaner.html import extract

    real = extract.extract_html

    def failing(html, url=None):
        if "Tuesday" not in (html if isinstance(html, str) else html.decode()):
            raise AttributeError("'list' object has no attribute 'get'")
        return real(html, url)

    monkeypatch.setattr(extract, "extract_html", failing)
    (tmp_path / "good.html").write_text(BROKEN_JSON_LD, encoding="utf-8")
    (tmp_path / "bad.html").write_text("<html><body><p>Another page.</p></body></html>", encoding="utf-8")
    done = run_cli("clean", tmp_path / "good.html", tmp_path / "bad.html", "-o", tmp_path / "out")
    assert done.exit_code == 1 and "Traceback" not in done.stderr
    assert "bad.html: the page could not be extracted (AttributeError: 'list' object" in done.stderr
    assert (tmp_path / "out" / "good.txt").exists() and not (tmp_path / "out" / "bad.txt").exists()


@pytest.mark.parametrize(("title", "headings", "expected"), [
    ("Index Funds: How to Invest | Vanguard", [], "Index Funds: How to Invest"),  # the site's name stripped
    ("Vanguard - Index Funds: How to Invest", [], "Index Funds: How to Invest"),  # in front, too
    ("How to Book a Flight | Vanguard Blog | Vanguard", [], "How to Book a Flight"),  # and twice
    ("How to Book a Flight | Blog | Vanguard", [], "How to Book a Flight | Blog"),  # only what names the site
    ("Storm closes the harbour - Daily Courier", ["Storm closes the harbour for a week"],
     "Storm closes the harbour for a week"),  # the headline says the same: it wins
    ("Storm closes the harbour - Daily Courier", ["Subscribe to our newsletter", "Storm closes the harbour"],
     "Storm closes the harbour"),  # the headline that says the same, not the first
    ("Well-known co-author's book - a review", ["Menu"], "Well-known co-author's book - a review"),  # no site: kept
    (None, ["The only headline"], "The only headline"),
    (None, ["One", "Two"], None),
])
def test_the_title_is_the_headline_or_the_title_without_the_sites_name(title, headings, expected) -> None:
    from lxml.html import fromstring

    tree = fromstring("<html><body>" + "".join(f"<h1>{h}</h1>" for h in headings) + "<p>x</p></body></html>")
    assert page_title(title, tree, "Vanguard", "https://investor.vanguard.com/x") == expected
    assert without_site("Index Funds | investor.vanguard.com", None, "https://investor.vanguard.com/") == "Index Funds"


def test_what_the_extractor_kept_stays_body_unless_the_classifier_is_sure_it_is_boilerplate() -> None:
    from cleaner.api import EXTRACTOR_REASON, KEEP_UNSURE_BELOW, _kept_by_extractor
    from cleaner.document import Paragraph
    from cleaner.labels import Label

    unsure, sure = KEEP_UNSURE_BELOW - 0.1, KEEP_UNSURE_BELOW + 0.05
    paragraphs = [Paragraph("a", Label.BOILERPLATE, unsure, start=0, end=1), Paragraph("b", Label.BOILERPLATE, sure),
                  Paragraph("c", Label.BOILERPLATE, unsure), Paragraph("d", Label.COMMENTS, unsure),
                  Paragraph("e", Label.BODY, 0.8)]
    kept = _kept_by_extractor(paragraphs, [True, True, False, True, True], [0.35, 0.02, 0.3, 0.2, 0.8])
    assert [(p.label, p.reason) for p in kept] == [
        (Label.BODY, EXTRACTOR_REASON), (Label.BOILERPLATE, "classifier"), (Label.BOILERPLATE, "classifier"),
        (Label.COMMENTS, "classifier"), (Label.BODY, "classifier")]
    assert kept[0].confidence == 0.35 and (kept[0].start, kept[0].end) == (0, 1)  # the model's body probability
