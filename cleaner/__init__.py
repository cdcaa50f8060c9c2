"""cleaner: separate a scraped article's body from its headline, byline, boilerplate, comments and editorial notes."""

from importlib.metadata import PackageNotFoundError, version

from .api import clean, clean_documents, clean_html, label
from .document import Document, Paragraph
from .labels import Label
from .model.persist import Model, ModelError, load_model
from .text.segment import split_paragraphs

try:
    __version__ = version("cleaner")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "__version__",
    "Document",
    "Label",
    "Model",
    "ModelError",
    "Paragraph",
    "clean",
    "clean_documents",
    "clean_html",
    "label",
    "load_model",
    "split_paragraphs",
]
