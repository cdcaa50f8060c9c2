"""cleaner: separate a scraped article's body from its headline, byline, boilerplate, comments and editorial notes."""

from importlib.metadata import PackageNotFoundError, version

from ._lazy import lazy_exports

try:
    __version__ = version("cleaner")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"

# Each public name is imported from its module on first use: `import cleaner` (and `cleaner --version`) loads nothing
# that the caller does not use.
_PUBLIC = {
    "clean": "api", "clean_documents": "api", "clean_html": "api", "label": "api",
    "Document": "document", "Paragraph": "document", "Label": "labels",
    "Model": "model.persist", "ModelError": "model.persist", "load_model": "model.persist",
    "split_paragraphs": "text.segment",
}

__all__ = ["__version__", *sorted(_PUBLIC)]
__getattr__, __dir__ = lazy_exports(__name__, _PUBLIC)
