"""Text in: decoding bytes, splitting paragraphs, reading bylines, and the cue literals the features look for."""

from .byline import Byline, byline_metadata, normalized_author, normalized_date, parse_byline
from .decode import Decoded, InputError, decode, decode_bytes, decode_html
from .literals import Literals
from .segment import Span, split_paragraphs, split_spans

__all__ = [
    "Byline",
    "Decoded",
    "InputError",
    "Literals",
    "Span",
    "byline_metadata",
    "decode",
    "decode_bytes",
    "decode_html",
    "normalized_author",
    "normalized_date",
    "parse_byline",
    "split_paragraphs",
    "split_spans",
]
