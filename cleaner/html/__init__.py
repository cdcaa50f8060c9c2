"""HTML in: a page's text and metadata (trafilatura), its author, and the section priors (html_priors.json)."""

from .author import page_author
from .extract import HtmlPage, PageTooDeep, extract_html, parse_page
from .priors import section_weights

__all__ = ["HtmlPage", "PageTooDeep", "extract_html", "page_author", "parse_page", "section_weights"]
