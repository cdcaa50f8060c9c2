"""Features of a paragraph in its document: position, shape, neighbours, repetition and similarity.

Everything here is a pure function of a document's paragraph texts. The lexical features
(word and character n-grams) are in `lexical`.

`batch_context_features` computes the rows of many documents at once: the per-paragraph work is a
few C-level string calls, and everything that compares paragraphs (repeats, neighbours, word bags)
runs as numpy operations over the whole batch. tests/reference_features.py keeps the plain
per-paragraph definition that the tests check this implementation against.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from itertools import chain, repeat
from operator import contains
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

from .hashing import concatenated_ranges
from ..text.literals import Literals

# Bump when the meaning or order of the features (of either stage) changes: a saved model records it and is refused on mismatch.
FEATURE_VERSION = 7

LONG_PARAGRAPH_WORDS = 25  # a paragraph this long is almost always prose: body, comment or commentary
# An editorial cue this short, after the article has begun, is a heading that opens a block ("Comment — March 3",
# "Our view"); a longer one is a note complete in itself ("Editor's note: this story was updated ..."), and the
# article after a note at its top is no commentary.
EDITORIAL_HEADING_WORDS = 8
NEIGHBOUR_OFFSETS = (-2, -1, 1, 2)
LEXICAL_HASH_BITS = 18

WORD = re.compile(r"\w+")
URL = re.compile(r"https?://|www\.|\.(?:com|org|net)\b", re.IGNORECASE)
HANDLE = re.compile(r"(?:^|\s)@\w|\S@\S")
DATE = re.compile(
    r"\b(?:\d{1,2}:\d{2}|(?:19|20)\d{2}|jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)"
    r"(?:[a-z]*)\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|\b(?:ago|updated|published)\b",
    re.IGNORECASE,
)
# DATE with a first-character check in front: every alternative starts with a digit or one of these letters, so the
# lookahead only skips positions where DATE cannot match (same matches, half the time).
DATE_SCAN = re.compile(r"\b(?=[\dJFMASONDUP])(?:" + DATE.pattern + ")", DATE.flags)
# Lines that mark a cut in a reprint ("Continues …", "Continue reading"): what follows is often another voice.
CUT_MARKER = re.compile(r"^\W*(?:continues?|continue reading|read (?:the )?(?:full|rest|more at))\b", re.IGNORECASE)
# Lines that open or mark a comment section; everything after one is likelier to be comments. A section's heading or
# button is a short line of its own ("Comments", "View Comments", "(42) Comments", "3 Kommentare", "Nessun commento",
# "Loading comments..."), anchored so that a sentence about someone's comments is none; the calls and the
# commenter's "says:" are found anywhere, in the languages the bylines are read in and a few more (de, fr, es, it,
# pt, nl): "Schreibe einen Kommentar", "Laisser un commentaire", "Deixe uma resposta", "Hans_M. schreibt:".
COMMENT_NOUNS = (r"comments?|kommentare?n?|commentaires?|comentarios?|comentários?|commenti|commento|reacties|"
                 r"responses|replies|réactions")
COMMENT_CUE = re.compile(
    r"\b(?:\d+\s+(?:comments?|responses?|replies)|comments?\s*(?:\(\d+\)|are (?:closed|moderated|subject))|"
    r"leave a (?:reply|comment)|post a comment|add a comment|join the (?:discussion|conversation)|says:|reply|"
    r"comments powered by|no comments yet|be the first to comment|\d+\s+thoughts on|"
    r"(?:schreibe|schreiben sie) einen kommentar|kommentar (?:schreiben|verfassen)|schreibt:|antworten|"
    r"laisser un commentaire|laissez un commentaire|réagissez|répondre|a écrit\s?:|"
    r"deja (?:un comentario|una respuesta)|responder|escribió:|lascia un commento|rispondi|nessun commento|"
    r"deixe (?:uma resposta|um comentário|seu comentário)|reageer|schreef:)(?:(?<=:)|(?!\w))|"
    r"^\W*(?:(?:view|show|load|loading|read|see|hide|all|top|newest|leave|add|post|write|submit)\s+)?"
    r"(?:all\s+|the\s+|your\s+|a\s+)?(?:\(?\d+\)?\s*)?(?:" + COMMENT_NOUNS + r")\b[^.!?]{0,16}[.!?…]{0,3}$",
    re.IGNORECASE,
)
DIGITS = re.compile(r"\d+")
# Page furniture that reads like a sentence: related links, share prompts, captions and credits.
BOILERPLATE_CUE = re.compile(
    r"^\W*(?:read (?:more|also|next)|related|see also|recommended|share|follow|subscribe|sign up|click|watch|"
    r"advertisement|sponsored|image|photo|video|listen|tags?|topics?)\b|\b(?:getty images|all rights reserved|"
    r"click to enlarge|newsletter|opens in a new window|cookies?)\b",
    re.IGNORECASE,
)
# Headings, labels and sign-offs of editors' notes and appended commentary, and the words of a note about the
# article itself (a correction, an amendment, an update, a wire's note to editors, where the article first ran).
# "Comment" opens commentary, not a comment form's field ("Comment (required)", "Comment *") or its call ("Comment
# on this story"); "Comments" is the comment section's heading (COMMENT_CUE).
EDITORIAL_CUE = re.compile(
    r"^\W*(?:comment(?:ary)?\b(?!\s*[(*]|\s+on\b)|editor'?s'? (?:note|comment)|ed\. note|our (?:view|take)|"
    r"update[ds]?\b|correction|clarification|\[ed\b|note from the editors?|a note from|\(?corrects\b|eds?:)|"
    r"(?:\bEd\.|— the editors?|\(ed\.\))\W*$|\b(?:reprinted|republished)\b|"
    r"\b(?:earlier|previous) version of this\b|\b(?:article|story|post|piece|report) (?:has been|was) "
    r"(?:updated|corrected|amended|adapted)\b|\boriginally (?:published|appeared|ran)\b|"
    r"\b(?:appeared first|first appeared|also appeared) (?:on|in)\b|\ba version of this (?:article|story|post)\b",
    re.IGNORECASE,
)
# Author lines and bio boxes ("By …", "Additional reporting by …", "… is a reporter for …", "View more articles"): a
# second-stage feature only (as a first-stage feature it cost comments and editorial more than it gained).
BYLINE_CUE = re.compile(
    r"^\W*(?:by|written by|words by|posted by|about the author)\b|\b(?:reporting by|contributed (?:to this )?report(?:ing)?|"
    r"(?:staff|contributing|senior|freelance) (?:writer|reporter|editor)|(?:is|was) an? [\w\s-]{0,40}?(?:writer|reporter|"
    r"journalist|correspondent|editor|columnist|contributor|author)|view (?:more|all) (?:articles|posts|stories)|"
    r"write to|email (?:the )?author)\b",
    re.IGNORECASE,
)
# Words with which commentary speaks about the article and the media rather than the story's events.
MEDIA_WORDS = frozenset("media report reports reporting article articles story stories outlets press journalists readers coverage".split())
FIRST_PERSON = frozenset("i me my mine we us our ours".split())
SECOND_PERSON = frozenset("you your yours".split())
SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
SENTENCE_BREAK = re.compile(r"[.!?](?:\s|$)")

FEATURE_NAMES: tuple[str, ...] = (
    "log_words", "log_chars", "mean_word_length", "sentences",
    "relative_position", "log_index", "log_index_from_end", "is_first", "is_last",
    "words_before_fraction", "ends_sentence", "starts_upper", "upper_fraction",
    "digit_fraction", "symbol_fraction", "has_url", "has_handle", "has_copyright", "date_tokens",
    "log_repeats", "is_repeat", "sim_first", "sim_lead", "sim_centroid",
    *(f"log_words_{offset:+d}" for offset in NEIGHBOUR_OFFSETS),
    "log_distance_long_before", "log_distance_long_after", "long_in_window",
    "inside_main_block", "after_main_block", "before_main_block", "after_cut_marker",
    "first_person", "second_person", "is_long",
    "document_vocabulary", "log_shape_repeats", "comment_cue", "after_comment_cue",
    "editorial_cue", "after_editorial_cue", "media_words", "boilerplate_cue",
)


# Necessary conditions for the cue patterns, tested with plain substring checks first: a pattern can only match
# a paragraph whose case-folded text contains one of its literals, so most paragraphs skip the regex scan.
# Keep them in step with the patterns above (tests/test_fast_paths.py compares with the plain definitions).
URL_LITERALS = ("http", "www.", ".com", ".org", ".net")
COMMENT_LITERALS = ("comment", "respons", "repl", "join the", "says:", "thoughts on", "kommentar", "schreibt:", "antwort",
                    "réagiss", "répond", "a écrit", "comentar", "comentár", "escribió:", "rispondi", "reacties",
                    "resposta", "respuesta", "responder", "reageer", "schreef:", "réaction")
# Only for the unanchored branches: the "^…" branches are tried with .match, which looks at position 0 alone.
EDITORIAL_LITERALS = ("ed.", "— the editor", "reprinted", "republished", "version of this", "has been ", "was updated",
                      "was corrected", "was amended", "was adapted", "originally", "appeared")
BYLINE_LITERALS = ("report", "writer", "editor", "journalist", "correspondent", "columnist", "contributor", "author",
                   "view ", "write to")
BOILERPLATE_LITERALS = ("getty images", "all rights reserved", "click to enlarge", "newsletter", "opens in a new window", "cookie")
DATE_LITERALS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "ago", "updated", "published")
# The groups searched for in every paragraph of a batch at once (`TextBatch.literals`).
CUE_LITERALS = Literals.of({
    "url": URL_LITERALS, "comment": COMMENT_LITERALS, "editorial": EDITORIAL_LITERALS, "byline": BYLINE_LITERALS,
    "boilerplate": BOILERPLATE_LITERALS, "date": DATE_LITERALS,
})
# Non-ASCII characters that a case-insensitive `re` pattern matches to an ASCII letter but str.lower() does not
# turn into that letter (found by checking every code point): folded before the literal checks.
REGEX_CASE_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})
REGEX_CASE_FOLDED = ("\u0130", "\u0131", "\u017f")
SENTENCE_CLOSERS = "\"'”’)]"
SENTENCE_ENDS = ".!?…"

# Character classes of the shape features, one bit each, looked up in a table instead of a per-character loop.
ALPHA, UPPER, DIGIT, SYMBOL = 1, 2, 4, 8
TABLE_SIZE = 0x10000  # the Basic Multilingual Plane; rarer characters are classified one by one
WINDOW_RADIUS = 3  # long_in_window counts the long paragraphs among the 7 around a paragraph
NONE = np.iinfo(np.int64).max // 4  # "no such paragraph" in index arithmetic, far beyond any document


class Tokens(NamedTuple):
    """Tokens of a batch's paragraphs: the distinct ones (a token's id is its place there, in order of first
    occurrence), and for every token in order its id and its paragraph's row."""

    distinct: list[str]
    ids: np.ndarray
    rows: np.ndarray


@dataclass(frozen=True)
class TextBatch:
    """The paragraphs of several documents, stripped, lower-cased and split into tokens once for all features."""

    texts: list[str]
    lowered: list[str]
    lengths: list[int]  # paragraphs per document

    @classmethod
    def of(cls, documents: Sequence[Sequence[str]]) -> TextBatch:
        texts = [p.strip() for doc in documents for p in doc]
        return cls(texts, [t.lower() for t in texts], [len(doc) for doc in documents])

    @cached_property
    def words(self) -> Tokens:
        """The lower-cased paragraphs split at white space: the words whose character n-grams are counted."""
        return _tokens([text.split() for text in self.lowered])

    @cached_property
    def vocabulary(self) -> Tokens:
        """The WORD tokens of the lower-cased paragraphs.

        WORD never matches white space, so a paragraph's tokens are those of its words, in order: each distinct
        word is searched once, not each paragraph (and the ids come out in the same order of first occurrence).
        """
        words = self.words
        inner = _tokens([[word] if word.isalnum() else WORD.findall(word) for word in words.distinct])
        per_word = np.bincount(inner.rows, minlength=len(words.distinct))
        counts = per_word[words.ids]
        take = concatenated_ranges((np.cumsum(per_word) - per_word)[words.ids], counts)
        return Tokens(inner.distinct, inner.ids[take], np.repeat(words.rows, counts))

    @cached_property
    def token_counts(self) -> np.ndarray:
        """The number of WORD tokens of each paragraph."""
        return np.bincount(self.vocabulary.rows, minlength=len(self.texts))

    @cached_property
    def literals(self) -> dict[str, np.ndarray]:
        """For each group of CUE_LITERALS, whether each paragraph's case-folded text holds one of its literals."""
        return CUE_LITERALS.find([_folded(text, low) for text, low in zip(self.texts, self.lowered)])

    @cached_property
    def copies(self) -> tuple[np.ndarray, np.ndarray]:
        """For each paragraph, how many paragraphs of its document have its text, and the row of the first of them
        (computed once for the repeat features of the first stage and the copies of the second)."""
        return _occurrences(self.texts, _Layout.of(self.lengths))


def _tokens(pieces: list[list[str]]) -> Tokens:
    """The tokens of `pieces` (one list of tokens per row), numbered in order of first occurrence."""
    ids: dict[str, int] = {}
    flat = np.array([ids.setdefault(token, len(ids)) for token in chain.from_iterable(pieces)], dtype=np.int64)
    rows = np.repeat(np.arange(len(pieces)), np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces)))
    return Tokens(list(ids), flat, rows)


def context_features(paragraphs: Sequence[str]) -> np.ndarray:
    """One row of FEATURE_NAMES per paragraph, computed in the context of the whole document."""
    return batch_context_features(TextBatch.of([paragraphs]))


def batch_context_features(batch: TextBatch) -> np.ndarray:
    """The rows of `context_features` for the documents of `batch`, stacked in order, computed in one pass."""
    texts = batch.texts
    if not texts:
        return np.zeros((0, len(FEATURE_NAMES)), dtype=np.float32)
    layout = _Layout.of(batch.lengths)
    counts = batch.token_counts
    is_long = counts >= LONG_PARAGRAPH_WORDS
    characters = _character_counts(texts)
    columns = {
        **_shape_columns(texts, counts, characters),
        **_cue_columns(batch, characters.digit, layout, is_long),
        **_position_columns(layout, counts, is_long),
        **_repeat_columns(batch, layout, characters.digit),
        **_bag_columns(batch, counts, layout, is_long),
    }
    return np.column_stack([columns[name] for name in FEATURE_NAMES]).astype(np.float32)


@dataclass(frozen=True)
class _Layout:
    """Where each paragraph of a batch stands: its document, its index there and the document's first row and size."""

    doc: np.ndarray
    index: np.ndarray
    start: np.ndarray
    size: np.ndarray
    documents: int

    @classmethod
    def of(cls, lengths: Sequence[int]) -> _Layout:
        sizes = np.asarray(lengths, dtype=np.int64)
        doc = np.repeat(np.arange(len(sizes)), sizes)
        start = (np.cumsum(sizes) - sizes)[doc]
        return cls(doc, np.arange(len(doc)) - start, start, sizes[doc], len(sizes))

    def first_where(self, flags: np.ndarray) -> np.ndarray:
        """For each paragraph, the index of the first flagged paragraph of its document (its size when none)."""
        first = np.full(self.documents, NONE)
        np.minimum.at(first, self.doc[flags], self.index[flags])
        return np.minimum(first[self.doc], self.size)

    def last_where(self, flags: np.ndarray) -> np.ndarray:
        """For each paragraph, the index of the last flagged paragraph of its document (-1 when none)."""
        last = np.full(self.documents, -1)
        np.maximum.at(last, self.doc[flags], self.index[flags])
        return last[self.doc]


@cache
def _character_table() -> np.ndarray:
    """The class bits of every character of the Basic Multilingual Plane, built once per process."""
    return np.fromiter(map(_character_class, map(chr, range(TABLE_SIZE))), dtype=np.uint8, count=TABLE_SIZE)


def _character_class(ch: str) -> int:
    symbol = not (ch.isalnum() or ch.isspace())
    return ALPHA * ch.isalpha() | UPPER * ch.isupper() | DIGIT * ch.isdigit() | SYMBOL * symbol


class _Characters(NamedTuple):
    """Per paragraph: its length, how many of its characters fall in each class, and whether the first is upper case."""

    length: np.ndarray
    alpha: np.ndarray
    upper: np.ndarray
    digit: np.ndarray
    symbol: np.ndarray
    starts_upper: np.ndarray


def _character_counts(texts: list[str]) -> _Characters:
    """The character classes of all paragraphs, looked up for the batch's text at once and summed per paragraph."""
    codes = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    classes = _character_table()[np.minimum(codes, TABLE_SIZE - 1)]
    rare = np.flatnonzero(codes >= TABLE_SIZE)
    if rare.size:
        classes[rare] = [_character_class(chr(code)) for code in codes[rare]]
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    bounds = np.concatenate([[0], np.cumsum(lengths)])

    def count(bit: int) -> np.ndarray:
        running = np.concatenate([[0], np.cumsum(classes & bit != 0)])
        return running[bounds[1:]] - running[bounds[:-1]]

    first = np.append(classes, 0)[bounds[:-1]]  # the padding 0 stands for an empty paragraph's missing first char
    starts_upper = (lengths > 0) & (first & UPPER != 0)
    return _Characters(lengths, count(ALPHA), count(UPPER), count(DIGIT), count(SYMBOL), starts_upper)


def _shape_columns(texts: list[str], counts: np.ndarray, characters: _Characters) -> dict[str, np.ndarray]:
    chars = np.maximum(1, characters.length)
    letters = np.where(characters.alpha > 0, characters.alpha, 1)
    return {
        "log_words": np.log1p(counts), "log_chars": np.log1p(characters.length),
        "sentences": np.log1p(np.fromiter(map(len, map(SENTENCE_BREAK.findall, texts)), np.int64, len(texts))),
        "ends_sentence": np.fromiter(map(_ends_sentence, texts), dtype=bool, count=len(texts)),
        "starts_upper": characters.starts_upper, "upper_fraction": characters.upper / letters,
        "digit_fraction": characters.digit / chars, "symbol_fraction": characters.symbol / chars,
        "is_long": counts >= LONG_PARAGRAPH_WORDS,
    }


def _ends_sentence(text: str) -> bool:
    """SENTENCE_END.search(text) for a stripped text: sentence punctuation, then closing quotes or brackets only."""
    rest = text.rstrip(SENTENCE_CLOSERS)
    return bool(rest) and rest[-1] in SENTENCE_ENDS


def _cue_columns(batch: TextBatch, digits: np.ndarray, layout: _Layout, is_long: np.ndarray) -> dict[str, np.ndarray]:
    """The pattern features: links, handles, dates, and the cut, comment, editorial and boilerplate cues."""
    cue = _cue_flags(batch, digits > 0)
    first_long = layout.first_where(is_long)
    cut = layout.first_where(cue["cut"] & (layout.index > first_long))
    first_comment = layout.first_where(cue["comment"] & (layout.index > first_long))
    heading = cue["editorial"] & (batch.token_counts <= EDITORIAL_HEADING_WORDS) & (layout.index > first_long)
    first_editorial = layout.first_where(heading)
    return {
        "has_url": cue["url"], "has_handle": cue["handle"], "has_copyright": cue["copyright"],
        "date_tokens": np.log1p(cue["dates"]), "after_cut_marker": layout.index > cut,
        "comment_cue": cue["comment"], "after_comment_cue": layout.index > first_comment,
        "editorial_cue": cue["editorial"], "after_editorial_cue": layout.index > first_editorial,
        "boilerplate_cue": cue["boilerplate"],
    }


def _cue_flags(batch: TextBatch, has_digit: np.ndarray) -> dict[str, np.ndarray]:
    """Each paragraph's cues; a pattern searches only the paragraphs that hold one of its literals."""
    texts, literals = batch.texts, batch.literals
    return {
        "url": _searched(URL, texts, literals["url"]),
        "handle": _searched(HANDLE, texts, _holds(texts, "@")),
        "copyright": _holds(texts, "©") | _holds(batch.lowered, "copyright"),
        "dates": _counted(DATE_SCAN, texts, has_digit | literals["date"]),
        "cut": _matched(CUT_MARKER, texts),
        "comment": _searched(COMMENT_CUE, texts, literals["comment"]),
        "editorial": _matched(EDITORIAL_CUE, texts) | _searched(EDITORIAL_CUE, texts, literals["editorial"]),
        "boilerplate": _matched(BOILERPLATE_CUE, texts) | _searched(BOILERPLATE_CUE, texts, literals["boilerplate"]),
    }


def byline_cues(batch: TextBatch) -> np.ndarray:
    """1.0 for each paragraph of `batch` that BYLINE_CUE finds, else 0.0 (the regex runs only where one of its
    literals is, or at the paragraph's start)."""
    texts = batch.texts
    return (_matched(BYLINE_CUE, texts) | _searched(BYLINE_CUE, texts, batch.literals["byline"])).astype(np.float64)


def _holds(texts: list[str], literal: str) -> np.ndarray:
    """Whether each text contains `literal`."""
    return np.fromiter(map(contains, texts, repeat(literal)), dtype=bool, count=len(texts))


def _matched(pattern: re.Pattern[str], texts: list[str]) -> np.ndarray:
    """Whether `pattern` matches at the start of each text."""
    return np.fromiter(map(bool, map(pattern.match, texts)), dtype=bool, count=len(texts))


def _searched(pattern: re.Pattern[str], texts: list[str], where: np.ndarray) -> np.ndarray:
    """Whether `pattern` is found in each text; searched only `where` it may be (elsewhere False)."""
    found = np.zeros(len(texts), dtype=bool)
    rows = np.flatnonzero(where)
    found[rows] = [pattern.search(texts[k]) is not None for k in rows.tolist()]
    return found


def _counted(pattern: re.Pattern[str], texts: list[str], where: np.ndarray) -> np.ndarray:
    """How often `pattern` is found in each text; counted only `where` it may be (elsewhere 0)."""
    counts = np.zeros(len(texts), dtype=np.int64)
    rows = np.flatnonzero(where)
    counts[rows] = [len(pattern.findall(texts[k])) for k in rows.tolist()]
    return counts


def _folded(text: str, lowered: str) -> str:
    """The text lower-cased so that a literal is in it whenever a case-insensitive `re` pattern could match it."""
    if text.isascii() or not any(map(text.__contains__, REGEX_CASE_FOLDED)):
        return lowered
    return text.translate(REGEX_CASE_FOLD).lower()


def _position_columns(layout: _Layout, counts: np.ndarray, is_long: np.ndarray) -> dict[str, np.ndarray]:
    """Where the paragraph stands: in its document, among its neighbours and relative to the long-prose block."""
    index, size, start = layout.index, layout.size, layout.start
    rows = np.arange(len(index))
    words = np.concatenate([[0], np.cumsum(counts)])
    long_running = np.concatenate([[0], np.cumsum(is_long)])
    low, high = start + np.maximum(index - WINDOW_RADIUS, 0), start + np.minimum(index + WINDOW_RADIUS + 1, size)
    previous_long = np.concatenate([[-1], np.maximum.accumulate(np.where(is_long, rows, -1))[:-1]])
    next_long = np.concatenate([np.minimum.accumulate(np.where(is_long, rows, NONE)[::-1])[::-1][1:], [NONE]])
    first_long, last_long = layout.first_where(is_long), layout.last_where(is_long)
    columns = {
        "relative_position": index / np.maximum(1, size - 1), "log_index": np.log1p(index),
        "log_index_from_end": np.log1p(size - 1 - index), "is_first": index == 0, "is_last": index == size - 1,
        "words_before_fraction": (words[rows] - words[start]) / np.maximum(1, words[start + size] - words[start]),
        "log_distance_long_before": np.where(previous_long >= start, np.log1p(rows - previous_long), -1.0),
        "log_distance_long_after": np.where(next_long < start + size, np.log1p(next_long - rows), -1.0),
        "long_in_window": (long_running[high] - long_running[low]) / (2 * WINDOW_RADIUS + 1),
        "inside_main_block": (first_long <= index) & (index <= last_long),
        "after_main_block": index > last_long, "before_main_block": index < first_long,
    }
    for offset in NEIGHBOUR_OFFSETS:
        inside = (index + offset >= 0) & (index + offset < size)
        neighbour = np.clip(rows + offset, 0, len(rows) - 1)
        columns[f"log_words_{offset:+d}"] = np.where(inside, np.log1p(counts[neighbour]), -1.0)
    return columns


def _repeat_columns(batch: TextBatch, layout: _Layout, digits: np.ndarray) -> dict[str, np.ndarray]:
    """How often the line, and lines of its template (_shape), occur in the document; is it a later copy."""
    repeats, first_copy = batch.copies
    shapes, _ = _occurrences(_shapes(batch, digits), layout)
    return {
        "log_repeats": np.log1p(repeats - 1), "is_repeat": first_copy != np.arange(len(batch.texts)),
        "log_shape_repeats": np.log(shapes),
    }


def first_copies(batch: TextBatch) -> np.ndarray:
    """For each paragraph of `batch`, the row of the first paragraph of its document with the same (stripped) text."""
    return batch.copies[1]


def _occurrences(keys: list[str], layout: _Layout) -> tuple[np.ndarray, np.ndarray]:
    """For each paragraph, how many paragraphs of its document share its key, and the row of the first of them."""
    ids: dict[str, int] = {}
    key_ids = np.fromiter((ids.setdefault(key, len(ids)) for key in keys), dtype=np.int64, count=len(keys))
    combined = layout.doc * max(1, len(ids)) + key_ids
    _, first, inverse, counts = np.unique(combined, return_index=True, return_inverse=True, return_counts=True)
    return counts[inverse], first[inverse]


def _shapes(batch: TextBatch, digits: np.ndarray) -> list[str]:
    """Each line with digits masked and only its first and last words kept: what templated lines share.

    Lower-casing never makes or removes white space, so a line has as many words as its lower-cased text, which
    the batch has split already; masking digits never changes where a line splits, so only the two words kept
    are masked, and only in lines with a digit (`digits`, per line: DIGITS finds only characters that
    str.isdigit counts).
    """
    counts = np.bincount(batch.words.rows, minlength=len(batch.texts)).tolist()
    return [
        f"{_masked(text.split(maxsplit=1)[0], digit)} {count} {_masked(text.rsplit(maxsplit=1)[-1], digit)}"
        if count else "" for text, count, digit in zip(batch.texts, counts, (digits > 0).tolist())
    ]


def _masked(word: str, has_digit: bool) -> str:
    return DIGITS.sub("0", word) if has_digit else word


def _bag_columns(batch: TextBatch, counts: np.ndarray, layout: _Layout, is_long: np.ndarray) -> dict[str, np.ndarray]:
    """Word-bag features: word length, person and media words, and similarity to the first line, the lead and the body."""
    bags = _WordBags.of(batch, layout)
    words = np.maximum(1, counts)
    lead = layout.first_where(is_long)
    lead_row = np.where(lead < layout.size, layout.start + lead, -1)
    return {
        "mean_word_length": bags.per_paragraph(bags.lengths) / words,
        "first_person": bags.per_paragraph(bags.member(FIRST_PERSON)) / words,
        "second_person": bags.per_paragraph(bags.member(SECOND_PERSON)) / words,
        "media_words": bags.per_paragraph(bags.member(MEDIA_WORDS)) / words,
        "sim_first": bags.cosine_with(layout.start), "sim_lead": bags.cosine_with(lead_row),
        **bags.centroid_columns(is_long),
    }


@dataclass(frozen=True)
class _WordBags:
    """The batch's paragraphs as word bags: one entry per (paragraph, distinct word) with its count."""

    words: list[str]  # the batch's vocabulary, by id
    paragraph: np.ndarray  # per entry
    word: np.ndarray
    count: np.ndarray
    doc: np.ndarray
    layout: _Layout

    @classmethod
    def of(cls, batch: TextBatch, layout: _Layout) -> _WordBags:
        vocabulary, ids, rows = batch.vocabulary
        bags = sp.csr_matrix((np.ones(len(ids), dtype=np.int64), (rows, ids)), shape=(len(batch.texts), max(1, len(vocabulary))))
        bags.sum_duplicates()  # one entry per (paragraph, word), sorted by paragraph and then word
        paragraph = np.repeat(np.arange(len(batch.texts)), np.diff(bags.indptr))
        return cls(vocabulary, paragraph, bags.indices.astype(np.int64), bags.data, layout.doc[paragraph], layout)

    @property
    def rows(self) -> int:
        return len(self.layout.doc)

    @property
    def lengths(self) -> np.ndarray:
        """Per entry, the characters of its word times its count."""
        return np.fromiter(map(len, self.words), dtype=np.int64, count=len(self.words))[self.word] * self.count

    def member(self, words: frozenset[str]) -> np.ndarray:
        """Per entry, its count if its word is in `words`, else 0."""
        inside = np.fromiter(map(words.__contains__, self.words), dtype=bool, count=len(self.words))
        return inside[self.word] * self.count

    def per_paragraph(self, values: np.ndarray) -> np.ndarray:
        return np.bincount(self.paragraph, weights=values, minlength=self.rows)

    def _keys(self) -> np.ndarray:
        return self.doc * max(1, len(self.words)) + self.word

    def _lookup(self, keys: np.ndarray, values: np.ndarray) -> np.ndarray:
        """Per entry, the value that sorted `keys` (document, word) gives its own document and word, else 0."""
        wanted = self._keys()
        position = np.minimum(np.searchsorted(keys, wanted), max(0, len(keys) - 1))
        found = keys[position] == wanted if len(keys) else np.zeros(len(wanted), dtype=bool)
        return np.where(found, values[position] if len(keys) else 0, 0)

    def cosine_with(self, reference: np.ndarray) -> np.ndarray:
        """Cosine between each paragraph's bag and that of the row `reference` gives for it (-1: an empty bag)."""
        chosen = reference[self.paragraph] == self.paragraph
        other = self._lookup(self._keys()[chosen], self.count[chosen])
        dot = self.per_paragraph(self.count * other)
        norm2 = self.per_paragraph(self.count**2)
        other_norm2 = np.where(reference >= 0, norm2[np.maximum(reference, 0)], 0)
        product = norm2 * other_norm2
        return np.where(dot > 0, dot / np.sqrt(np.where(product > 0, product, 1)), 0.0)

    def centroid_columns(self, is_long: np.ndarray) -> dict[str, np.ndarray]:
        """Similarity to, and vocabulary shared with, the sum of the document's long paragraphs other than itself."""
        own_long = is_long[self.paragraph]
        keys, inverse = np.unique(self._keys()[own_long], return_inverse=True)
        sums = np.bincount(inverse, weights=self.count[own_long], minlength=len(keys))
        centroid = self._lookup(keys, sums)
        centroid_norm2 = np.bincount(keys // max(1, len(self.words)), weights=sums**2, minlength=self.layout.documents)
        distinct = np.bincount(self.paragraph, minlength=self.rows)
        shared = self.per_paragraph(centroid > np.where(own_long, self.count, 0))
        dot = self.per_paragraph(self.count * centroid)
        norm2 = self.per_paragraph(self.count**2)
        rest2 = centroid_norm2[self.layout.doc]
        dot, rest2 = np.where(is_long, dot - norm2, dot), np.where(is_long, rest2 - 2 * dot + norm2, rest2)
        usable = (dot > 0) & (rest2 > 0)
        return {
            "document_vocabulary": np.where(distinct > 0, shared / np.maximum(1, distinct), 0.0),
            "sim_centroid": np.where(usable, dot / np.sqrt(np.where(usable, norm2 * rest2, 1)), 0.0),
        }
