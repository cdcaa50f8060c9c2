"""Known mistakes of the shipped model, written down as strict expected failures.

Each test states what a user would expect. It is marked ``xfail(strict=True)``: it fails today, and the day a
model gets it right the test "unexpectedly passes", which fails the suite until the mark is removed.
"""

from __future__ import annotations

import pytest

from cleaner import clean

from test_editorial import ARTICLE


@pytest.mark.xfail(strict=True, reason="known miss: a factual one-line [Ed: …] note after the article comes out as "
                   "body (confidence about 0.08); the previous model got it right, the model with the second-stage "
                   "byline cue does not")
def test_bracketed_editor_note_after_the_article_is_editorial() -> None:
    note = "[Ed: The council confirmed on Friday that the first stations will open in the northern suburbs.]"
    labels = clean("\n".join(ARTICLE + [note])).labels
    assert labels[-1] == "editorial"
    assert [labels[i] for i in range(2, len(ARTICLE)) if labels[i] == "editorial"] == []
