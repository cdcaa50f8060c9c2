"""The batched literal search finds exactly what ``literal in text`` finds, for every text and group."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.model.features import CUE_LITERALS
from cleaner.text.literals import Literals

GROUPS = {"dates": ("jan", "may", "ago"), "dash": ("— the editor", "ed."), "pairs": ("ab", "ba", "aa")}
# Pieces that make literals, near misses and multi-byte neighbours: a literal cut by a paragraph's end, a prefix
# that stands in many places, characters of 2, 3 and 4 bytes, a lone surrogate and the separator itself.
PIECES = ["ja", "n", "jan", "ma", "y", "ago", "—", " the editor", "ed", ".", "a", "b", "é", "€", "😀", "\ud800", "\n", " "]


def assert_finds_what_in_finds(literals: Literals, groups: dict[str, tuple[str, ...]], texts: list[str]) -> None:
    found = literals.find(texts)
    for name, group in groups.items():
        assert found[name].tolist() == [any(literal in text for literal in group) for text in texts], name


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=8).map("".join) | st.text(max_size=10), max_size=12))
def test_the_batched_search_finds_what_in_finds(texts: list[str]) -> None:
    assert_finds_what_in_finds(Literals.of(GROUPS), GROUPS, texts)


def test_a_match_never_spans_two_texts_and_the_last_text_is_searched_to_its_end() -> None:
    literals = Literals.of(GROUPS)
    assert literals.find(["j", "an", "x ja", "n", "abc é ago"])["dates"].tolist() == [False, False, False, False, True]
    assert {name: hits.tolist() for name, hits in literals.find([]).items()} == {name: [] for name in GROUPS}


def test_the_cue_literals_of_the_features_are_searched_like_in() -> None:
    texts = ["Comments (3)", "— The Editors", "posted by a staff writer", "cookie policy", "mayday", "x.com", "nothing"]
    folded = [text.lower() for text in texts]
    groups = {"url": ("http", "www.", ".com", ".org", ".net"), "editorial": ("ed.", "— the editor", "reprinted", "republished")}
    found = CUE_LITERALS.find(folded)
    for name, group in groups.items():
        assert found[name].tolist() == [any(literal in text for literal in group) for text in folded]


@pytest.mark.parametrize("bad", ["a", "x\ny", "nul\0"])
def test_a_literal_that_the_search_cannot_handle_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="literals need"):
        Literals.of({"group": ("fine", bad)})
