"""Structured bylines: authors, outlet and ISO dates from the paragraphs labeled byline.

"Charlie Faulkner — Mail Online Sept 8, 2017" gives authors ["Charlie Faulkner"], outlet "Mail Online" and
dates ["2017-09-08"]. Dates are found by dateparser (a maintained library, already brought by trafilatura's
htmldate); names are what is left once dates, times and cue words ("By", "Updated") are taken out, split at
the usual separators. Only absolute dates with a day, a month and a year count: "Updated 7 years ago" says
nothing exact.

English, German, French and Spanish bylines are read: "Von Anna Schmidt | 12. März 2024", "Par Marie Dubois,
Le Monde, 12 mars 2024", "Por Ana López y Juan Pérez, 12 de marzo de 2024". A dotted numeric date (12.03.2024)
is day first, as everywhere that writes dates with dots.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

# Longer paragraphs are author bio boxes or prose, whose names and dates are not the byline's.
MAX_BYLINE_CHARS = 200
MAX_NAME_TOKENS = 5
# The languages whose bylines are read. dateparser is told them: its language detection on a short line is slow
# and often wrong.
DATE_LANGUAGES = ["en", "de", "fr", "es"]
DATE_SETTINGS = {
    "PARSERS": ["absolute-time", "custom-formats"],  # no "7 years ago": it depends on when the page is read
    "REQUIRE_PARTS": ["day", "month", "year"],
    "RETURN_AS_TIMEZONE_AWARE": False,
}
YEAR = re.compile(r"\b(?:19|20)\d\d\b|\d{4}-\d\d-\d\d")
# The pieces of a byline: a dash with spaces, a bar, a slash, a bullet or a colon; names within a piece are
# separated by commas, "and" or "&".
SEPARATOR = re.compile(r"\s+[-\u2013\u2014]\s+|[\u2013\u2014|/\u00b7\u2022:]")
NAME_SEPARATOR = re.compile(r",\s*|\s+(?:and|&|und|et|y)\s+", re.IGNORECASE)
CUE = re.compile(
    r"^(?:(?:written|posted|words|story|reporting|text|photos?)\s+by|by|author|published|updated|"
    r"last\s+updated|posted|modified|on|at|"
    r"von|text|autor(?:in)?|veröffentlicht|aktualisiert|zuletzt\s+aktualisiert|stand|"  # German
    r"par|texte|auteur|publié|mis\s+à\s+jour|"  # French
    r"por|publicado|actualizado)\b[\s:]*",  # Spanish
    re.IGNORECASE,
)
# What a date leaves of "am 12. März", "le 12 mars", "el 12 de marzo", "on May 12": no name.
LONE_WORDS = frozenset("on at am um vom le du à el del de a".split())
DOTTED_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.((?:19|20)\d\d)\b")
# dateparser reads "Jan 5, 2020" but not the AP style "Jan. 5, 2020".
MONTH_DOT = re.compile(r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.", re.IGNORECASE)
TIME = re.compile(r"\b\d{1,2}(?:[:.]|h(?=\d))\d\d(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,4}\b)?|\b\d+\s+\w+\s+ago\b",
                  re.IGNORECASE)
NAME_TOKEN = re.compile(r"^(?:[A-Z\u00c0-\u00de][\w'\u2019.-]*|[A-Z]\.|de|van|von|der|den|da|di|du|la|le|bin|al|y)$")
ROLE_WORDS = frozenset("""writer reporter editor correspondent contributor staff columnist journalist photographer
    producer author editors team desk
    redakteur redakteurin korrespondent korrespondentin autorin redaktion
    journaliste rédacteur rédactrice correspondant correspondante rédaction
    periodista redactor redactora corresponsal redacción""".split())
OUTLET_WORDS = frozenset("""news times post online press daily magazine journal herald tribune reuters ap afp bbc
    cnn media radio tv network gazette today weekly telegraph guardian wire associated agency
    zeitung nachrichten presse agentur dpa monde figaro libération agence diario noticias periódico efe país""".split())


@dataclass
class Byline:
    """What a byline says: its authors, the outlet and the dates, in the order they appear."""

    authors: list[str] = field(default_factory=list)
    outlet: str | None = None
    dates: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"authors": self.authors, "outlet": self.outlet, "dates": self.dates}


def parse_byline(text: str) -> Byline:
    """The authors, outlet and ISO dates of one byline paragraph."""
    byline = Byline()
    if len(text) > MAX_BYLINE_CHARS:
        return byline
    # Times go first: dateparser misses "Jan 5, 2020 at 3:04 p.m." but finds "Jan 5, 2020 at".
    text = DOTTED_DATE.sub(_iso_of_dotted, text)  # before TIME, which would take "12.03" for a time
    text = MONTH_DOT.sub(r"\1", TIME.sub(" | ", text))
    for matched, iso in find_dates(text):
        text = text.replace(matched, " | ")
        if iso not in byline.dates:
            byline.dates.append(iso)
    for piece in SEPARATOR.split(text):
        names = [_name(part) for part in NAME_SEPARATOR.split(_strip_cues(piece))]
        names = [name for name in names if name]
        if not names:
            continue
        if not byline.authors and not _is_outlet(names[0]):
            byline.authors, names = [n for n in names if not _is_outlet(n)], [n for n in names if _is_outlet(n)]
        if names and byline.outlet is None:
            byline.outlet = names[0]
    return byline


def byline_metadata(paragraphs: Iterable[str]) -> dict[str, Any]:
    """The authors, outlet and dates of a document's byline paragraphs, merged in order."""
    merged = Byline()
    for text in paragraphs:
        found = parse_byline(text)
        merged.authors.extend(a for a in found.authors if a not in merged.authors)
        merged.dates.extend(d for d in found.dates if d not in merged.dates)
        merged.outlet = merged.outlet or found.outlet
    return merged.to_dict()


def find_dates(text: str) -> list[tuple[str, str]]:
    """The absolute dates in `text` with a year: each as the matched substring and its ISO date."""
    if not YEAR.search(text):
        return []
    found = _search_dates()(text, languages=DATE_LANGUAGES, settings=DATE_SETTINGS) or []
    return [(matched, moment.date().isoformat()) for matched, moment in found if YEAR.search(matched)]


def normalized_author(name: str | None) -> str:
    """A name for exact comparison: the first of several, without "By", accents, punctuation or case."""
    if not name:
        return ""
    first = NAME_SEPARATOR.split(_strip_cues(name.strip()))[0]
    plain = unicodedata.normalize("NFKD", first).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.sub(r"[^\w\s]", " ", plain).casefold().split())


def normalized_date(value: str | None) -> str:
    """A date for exact comparison: its ISO day (YYYY-MM-DD), or the string trimmed when it is not one."""
    match = re.match(r"\s*(\d{4}-\d\d-\d\d)", value or "")
    return match.group(1) if match else (value or "").strip()


@lru_cache(maxsize=1)
def _search_dates():
    """dateparser's search, imported on first use: the import and its language data take a fraction of a second."""
    from dateparser.search import search_dates

    return search_dates


def _iso_of_dotted(match: re.Match[str]) -> str:
    """12.3.2024 -> 2024-03-12."""
    day, month, year = match.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


def _strip_cues(piece: str) -> str:
    piece = piece.strip(" \t,.;")
    while (stripped := CUE.sub("", piece).strip(" \t,.;")) != piece:
        piece = stripped
    return piece


def _name(part: str) -> str | None:
    """`part` when it looks like a person's or an outlet's name: a few capitalised words, no digits or roles."""
    part = part.strip(" \t,.;()[]\"'")
    tokens = part.split()
    if not tokens or len(tokens) > MAX_NAME_TOKENS or any(ch.isdigit() for ch in part):
        return None
    if len(tokens) == 1 and part.casefold() in LONE_WORDS:
        return None
    if any(token.casefold() in ROLE_WORDS for token in tokens):
        return None
    if not all(NAME_TOKEN.match(token) for token in tokens) or not tokens[0][0].isupper():
        return None
    return part


def _is_outlet(name: str) -> bool:
    return any(token.casefold() in OUTLET_WORDS for token in name.split())
