"""HTML in: a page's text and metadata (trafilatura), its author, and the section priors (html_priors.json); each
imported on first use."""

from .._lazy import lazy_exports

_PUBLIC = {
    "HtmlPage": "extract",
    "PageTooDeep": "extract",
    "extract_html": "extract",
    "page_author": "author",
    "parse_page": "extract",
    "section_weights": "priors",
}

__all__ = sorted(_PUBLIC)
__getattr__, __dir__ = lazy_exports(__name__, _PUBLIC)
