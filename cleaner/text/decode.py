"""Text in: bytes of any encoding decoded to text, never into silent mojibake; binary data is refused by name."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

UTF8 = "utf-8"

# Byte-order marks, UTF-32 first: the UTF-32 LE mark begins with the UTF-16 LE one.
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
# Binary formats that turn up among scraped files, named for a clearer message than "not text".
BINARY_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF87a": "a GIF image",
    b"GIF89a": "a GIF image", b"%PDF-": "a PDF document", b"PK\x03\x04": "a ZIP archive or office document",
    b"\x1f\x8b": "gzip-compressed data", b"\x7fELF": "an executable",
}
# The commonest legacy encoding of Western pages (WHATWG decodes pages labelled latin-1 with it too).
WESTERN_ENCODING = "cp1252"
# charset-normalizer's "mess" ratio above which its guess is not trusted.
MAX_CHAOS = 0.2
# In Western European text most letters are ASCII; Cyrillic or Greek read as cp1252 are mostly accented letters.
MAX_NON_ASCII_LETTER_SHARE = 0.3
# Non-ASCII characters other than letters that Western text written in cp1252 commonly holds.
WESTERN_PUNCTUATION = frozenset("\u00a0“”‘’„‚–—…«»‹›€£¥¢°§©®™·•×÷¡¿†‡‰ªº")
# Control characters that text does not hold (tab, line and page breaks are text); C1 controls mean mojibake.
CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x9f]")
# CONTROL's characters in UTF-8: the one-byte ones (no byte below 0x80 is part of a longer character), and
# U+0080-U+009F, which are 0xC2 then a byte 0x80-0x9F. Counted on the bytes, a page's controls cost a few times less.
C0_CONTROL_BYTES = bytes(range(0x00, 0x09)) + bytes(range(0x0E, 0x1C)) + b"\x7f"
C1_CONTROL_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
ASCII_LETTER = re.compile("[A-Za-z]")
# Share of control characters above which decoded "text" is taken for binary data, if there are at least
# MIN_BINARY_CONTROLS of them: a few stray escapes in a short text do not make it binary.
MAX_CONTROL_SHARE = 0.05
MIN_BINARY_CONTROLS = 16
# Characters looked at by the checks that read the text, so that a 50 MB file costs no more than a small one.
SAMPLE_CHARS = 1 << 20
# Encodings that declare themselves: UTF-8 (valid UTF-8 is taken for it) and those of a byte-order mark.
SELF_EVIDENT_ENCODINGS = (UTF8, "utf-8-sig", "utf-16", "utf-32")
# Where the declared charset of a page is looked for (the HTML spec asks browsers to look at the first 1024
# bytes; real pages put long scripts first, so look further).
CHARSET_SCAN_BYTES = 4096
DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.+-]+)""", re.IGNORECASE)
# Browsers decode pages labelled Latin-1 or ASCII as windows-1252 (WHATWG Encoding Standard); so do we.
CHARSET_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252"}



class InputError(ValueError):
    """An input that cannot be read; the message names the file (and line) and the problem."""


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text decoded from bytes, and the encoding it was decoded from."""

    text: str
    encoding: str
    guessed: bool = False  # detected, rather than declared (UTF-8, a byte-order mark, a page's charset)


def decode_bytes(data: bytes, name: str) -> str:
    """The text of `data` (see `decode`); `name` (a file name) is what error messages name."""
    return decode(data, name).text


def decode_html(data: bytes, name: str = "<html>") -> str:
    """The text of an HTML page: as `decode`, with the charset the page declares before any guess."""
    return decode(data, name, declared_charset(data)).text


def declared_charset(data: bytes) -> str | None:
    """The charset named by a page's ``<meta charset>`` or ``http-equiv`` tag, if any, as a Python codec name."""
    match = DECLARED_CHARSET.search(data[:CHARSET_SCAN_BYTES])
    if not match:
        return None
    name = match.group(1).decode("ascii").lower()
    return CHARSET_ALIASES.get(name, name)


def decode(data: bytes, name: str, declared: str | None = None) -> Decoded:
    """Decode UTF-8 or a byte-order mark's encoding, else the `declared` one (a page's charset), else a detected
    legacy encoding; never silent mojibake.

    Binary data (a known signature, NUL bytes, many control characters) and text whose encoding cannot be
    told reliably are InputErrors: they are reported, not decoded into garbage.
    """
    encoding = detect_encoding(data, name, declared)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise InputError(f"{name}: not valid {encoding} text (byte {error.start}: {error.reason})") from None
    sample = text[:SAMPLE_CHARS]
    controls = control_count(data, text, encoding)
    if controls > max(MAX_CONTROL_SHARE * len(sample), MIN_BINARY_CONTROLS):
        raise InputError(f"{name}: binary data, not text ({controls} control characters in {len(sample)})")
    return Decoded(text, encoding, guessed=encoding not in (*SELF_EVIDENT_ENCODINGS, declared))


def control_count(data: bytes, text: str, encoding: str) -> int:
    """How many CONTROL characters the first SAMPLE_CHARS of `text` (decoded from `data` with `encoding`) hold; a
    UTF-8 text that fits in the sample is counted on its bytes."""
    if encoding != UTF8 or len(text) > SAMPLE_CHARS:
        return len(CONTROL.findall(text[:SAMPLE_CHARS]))
    return len(data) - len(data.translate(None, C0_CONTROL_BYTES)) + len(C1_CONTROL_UTF8.findall(data))


def detect_encoding(data: bytes, name: str, declared: str | None = None) -> str:
    """The encoding of `data`: a byte-order mark's, UTF-8, UTF-16/32 without a mark, the `declared` one if it
    decodes `data`, or a detected legacy one."""
    for mark, encoding in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            return encoding
    for signature, kind in BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise InputError(f"{name}: binary data ({kind}), not text")
    if b"\0" in data:
        return _wide_encoding(data, name)
    try:
        data.decode(UTF8)
        return UTF8
    except UnicodeDecodeError as error:
        _refuse_mixed_utf8(data, error, name)
    if declared and _decodes(data, declared):
        return declared
    return _legacy_encoding(data, name)


def _refuse_mixed_utf8(data: bytes, error: UnicodeDecodeError, name: str) -> None:
    """An InputError for bytes that are UTF-8, non-ASCII letters included, up to a byte that is not: two encodings in
    one file (UTF-8 lines, then cp1252 ones, say), which no single decoding reads without mojibake."""
    before = data[: error.start]
    if before.isascii():  # nothing showed it was UTF-8: one legacy encoding throughout
        return
    line = before.count(b"\n") + 1
    raise InputError(f"{name}: UTF-8 up to byte {error.start} (line {line}), then not UTF-8 ({error.reason}): "
                     "two encodings in one file; convert it to UTF-8 (for example with iconv)")


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return False
    return True


def _wide_encoding(data: bytes, name: str) -> str:
    """UTF-16 or UTF-32 without a byte-order mark; any other data with NUL bytes is binary."""
    match = from_bytes(data).best()
    if match is not None and match.encoding.startswith(("utf_16", "utf_32")) and match.chaos <= MAX_CHAOS:
        return match.encoding
    raise InputError(f"{name}: binary data (it holds NUL bytes), not text")


def _legacy_encoding(data: bytes, name: str) -> str:
    """cp1252 when charset-normalizer finds it plausible and the text reads as Western; else its best clear guess."""
    matches = [match for match in from_bytes(data) if match.chaos <= MAX_CHAOS]
    if any(WESTERN_ENCODING in match.could_be_from_charset for match in matches) and _reads_as_western(data):
        return WESTERN_ENCODING
    if matches:
        return matches[0].encoding
    raise InputError(f"{name}: not UTF-8, and its encoding cannot be told reliably; "
                     "convert it to UTF-8 (for example with iconv -f ENCODING -t UTF-8)")


def _reads_as_western(data: bytes) -> bool:
    """Whether `data` read as cp1252 looks like Western European text: accented letters among mostly ASCII ones."""
    try:
        text = data[:SAMPLE_CHARS].decode(WESTERN_ENCODING)
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
        return False
    non_ascii = [c for c in text if ord(c) > 0x7F]
    if not all(c.isalpha() or c in WESTERN_PUNCTUATION for c in non_ascii):
        return False
    accented = sum(c.isalpha() for c in non_ascii)
    return accented <= MAX_NON_ASCII_LETTER_SHARE * (accented + len(ASCII_LETTER.findall(text)))
