"""Known mistakes of the shipped model, written down as strict expected failures.

Each test states what a user would expect. It is marked ``xfail(strict=True)``: it fails today, and the day a
model gets it right the test "unexpectedly passes", which fails the suite until the mark is removed.
"""

from __future__ import annotations

import pytest

from cleaner import clean, clean_html

from test_editorial import ARTICLE

PROSE = ("The harbour in the old town was closed on Tuesday after a storm damaged two of its piers, the port "
         "authority said, and it will stay closed for at least a week while engineers inspect the damage.")
MORE = ("Fishermen said the closure would cost them most of the season's best week, and several of them asked "
        "the council for help with the cost of moving their boats to the next harbour along the coast.")


@pytest.mark.xfail(strict=True, reason="known miss: on a two-paragraph article followed by a comment section, the "
                   "comment-thread augmentation makes the model take the article's paragraphs for comments")
def test_a_two_paragraph_article_before_a_comment_section_stays_body() -> None:
    page = (f"<html><head><title>Harbour news</title></head><body><article><h1>Harbour news</h1><p>{PROSE}</p>"
            f"<p>{MORE}</p></article><div id='comments'><h3>2 comments</h3><p>reader1 says: I live by the harbour and "
            "this is exactly what happened to us last night.</p></div></body></html>")
    labels = {p.text: p.label.value for p in clean_html(page).paragraphs}
    assert labels[PROSE] == labels[MORE] == "body"
