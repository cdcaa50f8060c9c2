"""A tiny language guess for the HTML benchmark's breakdown: which language's common function words a text uses most.

Each language is represented by 20 of its most frequent function words; a text's language is the one whose
words occur most often among its words, when they make up at least `MIN_SHARE` of them and number at least
`MIN_HITS`; otherwise it is `UNKNOWN`. Good enough to split a benchmark by language (the gold text is long),
not a language identifier.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

UNKNOWN = "other"
MIN_HITS = 5  # fewer function words than this: too little text to say
MIN_SHARE = 0.08  # the winning language's function words are at least this share of all words (about 0.3 in prose)
WORD = re.compile(r"\w+")

FUNCTION_WORDS: dict[str, frozenset[str]] = {language: frozenset(words.split()) for language, words in {
    "en": "the of and to a in is that for it was on with as are be this by at from",
    "de": "der die und den von zu das mit sich des auf für ist im dem nicht ein eine auch es",
    "fr": "de la le et les des en un du une que est pour qui dans par plus pas sur au",
    "es": "de la que el en y los se del las un por con no una su para es al lo",
    "it": "di e il la che per un è del della non i si le con da una sono gli nel",
    "pt": "de a o que e do da em um para é com não uma os no se na por mais",
    "nl": "de het een en van in is dat op te voor met zijn niet er aan ook die als om",
}.items()}


def guess_language(text: str) -> str:
    """The language (ISO 639-1) whose function words are the most frequent in `text`, or `UNKNOWN`."""
    words = Counter(WORD.findall(unicodedata.normalize("NFKC", text).casefold()))
    total = sum(words.values())
    hits = {language: sum(words[w] for w in vocabulary) for language, vocabulary in FUNCTION_WORDS.items()}
    language, best = max(hits.items(), key=lambda item: item[1])
    return language if best >= MIN_HITS and best >= MIN_SHARE * total else UNKNOWN
