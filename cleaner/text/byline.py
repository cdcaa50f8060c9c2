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
    r"^(?:(?:this\s+(?:post|article|story)\s+(?:was\s+)?)?"
    r"(?:written|posted|words|story|article|reporting|text|photos?|recipe|reviewed)\s+by|read\s+more\s+about|"
    r"(?:view\s+)?(?:all|more)\s+posts\s+by|by|"
    r"authors?|published|updated|"
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


# Words that name no one: what a page's author element holds when it is a label, a button or a month ("Page Head
# Extra Author", "Get Started", "View more posts", "Dec").
MONTH_WORDS = frozenset("""jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july
    august september october november december""".split())
NOT_NAME_WORDS = frozenset("""page head extra author authors post posts view all more abstract get started menu read
    share follow profile name""".split()) | MONTH_WORDS
# What a page's author element may hold after the name, cut off its end: a time stamp's words ("Craig McCarthy Last
# updated"), a day and its month ("Supermove February 8"), a month's abbreviation ("Wyndo Dec"). A month's full
# name alone stays: it may be the name's own ("Theresa May", "Grace June").
TRAILING_STAMP_WORDS = frozenset("last updated published posted on".split())
MONTH_ABBREVIATIONS = frozenset("jan feb mar apr jun jul aug sep sept oct nov dec".split())
# A role glued to a person's name ("Jane Doe Senior Autos Reporter", "Mateusz Haberny Founder"): the name ends where
# the role begins. A collective author keeps its noun: "Podium Staff", "News Desk", "The Lavazza Team".
ROLE_START_WORDS = (ROLE_WORDS | frozenset("""senior sr chief executive managing contributing deputy associate
    assistant lead principal director manager founder ceo former consultant analyst strategist specialist""".split())) - frozenset("team staff desk editors".split())
# The desk before a role ("Trending Editor", "Senior Tech Reporter"): part of the role, not of the name.
DESK_WORDS = frozenset("""tech technology trending news sports business science health politics features digital
    social autos hardware software home privacy security travel food style entertainment opinion audience content
    marketing commerce deals shopping video data investigative breaking weekend foreign national metro""".split())
# The months no one is named after, cut off a name's end with no day ("Jordana Cepelewicz December"); "May", "June",
# "April" and "August" stay.
NO_NAME_MONTHS = frozenset("january february march july september october november december".split())
MIN_NAME_TOKENS_BEFORE_ROLE = 2  # "Community Editor", "SFist Contributor": one word before the role is no person
PAGE_AUTHOR_SEPARATOR = re.compile(r"\s*;\s*")  # trafilatura joins a page's several authors with "; "


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


def clean_author(author: str | None) -> str | None:
    """A page's author string (trafilatura's: names joined by "; ") with only names in it: cue words stripped ("By",
    "Author", "View all posts by"), a role glued on cut off, and None when nothing is left that names someone."""
    return "; ".join(_page_names(author)) or None


def _page_names(author: str | None) -> list[str]:
    """The names of a page's author string, cleaned (see `clean_author`), in order. A part whose role was cut off
    ends the names: what follows it is the role's continuation ("Zackery Cuevas Writer; Hardware")."""
    names = []
    for part in PAGE_AUTHOR_SEPARATOR.split(author or ""):
        name, role_cut = _person(part)
        if name:
            names.append(name)
        if role_cut:
            break
    return names


def merged_metadata(page: dict[str, Any], byline: dict[str, Any]) -> dict[str, Any]:
    """One answer per field from what a page's markup says (`page`: author, date) and what its bylines say
    (`byline`: authors, outlet, dates): ``authors`` are the page's names (cleaned), or where it names no one the
    bylines'; ``author`` is them joined by "; ", so the two always agree (the names of other byline paragraphs on a
    page that names its author were mostly not authors: credits, roles, places, a bio's employers); ``date`` the
    page's, else the first byline date; ``dates`` all of them, the page's first. Without a page author or date field
    (text input), the byline's fields alone."""
    merged = page | byline
    if "author" in page:
        names = _page_names(page["author"]) or list(byline.get("authors", []))
        merged.update(author="; ".join(names) or None, authors=names)
    if "date" in page:
        day = normalized_date(page["date"]) if page["date"] else None
        dates = [day] if day else []
        dates += [date for date in byline.get("dates", []) if date not in dates]
        merged.update(date=page["date"] or (dates[0] if dates else None), dates=dates)
    return merged


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


def _person(part: str) -> tuple[str | None, bool]:
    """One name of a page's author string, or None (see `clean_author`), and whether a role was cut off its end."""
    tokens = _without_initials(_strip_cues(part).split())
    role_cut = False
    for k, token in enumerate(tokens):
        if token.casefold().strip(".,") in ROLE_START_WORDS:
            while k > 0 and tokens[k - 1].casefold() in DESK_WORDS:
                k -= 1  # "Nicoletta Richardson Trending Editor": the desk is the role's
            if k >= MIN_NAME_TOKENS_BEFORE_ROLE and all(t[0].isupper() and not t.isupper() for t in tokens[:k]):
                tokens, role_cut = tokens[:k], True  # a person's name, then the role
            break
    tokens = _without_trailing_date(tokens)
    if not any(c.isalpha() for c in "".join(tokens)) or all(
            token.casefold().strip(".,:") in NOT_NAME_WORDS for token in tokens):
        return None, role_cut
    return " ".join(tokens).strip(" ,;"), role_cut


def _without_initials(tokens: list[str]) -> list[str]:
    """A name's tokens without the avatar's initials before it: "CM Craig McCarthy" -> "Craig McCarthy"."""
    if len(tokens) > 2 and tokens[0].isupper() and tokens[0] == "".join(t[0] for t in tokens[1:len(tokens[0]) + 1]):
        return tokens[1:]
    return tokens


def _without_trailing_date(tokens: list[str]) -> list[str]:
    """A name's tokens without the time stamp, day and month after it (`TRAILING_STAMP_WORDS`); one token is kept."""
    day = False
    while len(tokens) > 1:
        word = tokens[-1].casefold().strip(".,:")
        if tokens[-1].isdigit():
            day = True
        elif not (word in TRAILING_STAMP_WORDS or word in MONTH_ABBREVIATIONS or word in NO_NAME_MONTHS
                  or not any(c.isalnum() for c in word) or (day and word in MONTH_WORDS)):
            break
        tokens = tokens[:-1]
    return tokens


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
