"""Context features: one row per paragraph, each column a named, document-aware property."""

from __future__ import annotations

import numpy as np
import pytest

from cleaner.model.features import FEATURE_NAMES, LONG_PARAGRAPH_WORDS, context_features

LONG = (
    "Russia has killed several top commanders of the group in an air strike near the city, the defence ministry "
    "said on Friday, adding that about forty fighters died when the command post was hit at night."
)
OTHER_LONG = (
    "Local officials in the region reported that the river had flooded several villages overnight, forcing "
    "hundreds of families to leave their homes and seek shelter in schools and other public buildings."
)


def column(rows: np.ndarray, name: str) -> np.ndarray:
    return rows[:, FEATURE_NAMES.index(name)]


def test_long_fixtures_are_long() -> None:
    assert len(LONG.split()) >= LONG_PARAGRAPH_WORDS and len(OTHER_LONG.split()) >= LONG_PARAGRAPH_WORDS


@pytest.mark.parametrize("n", [1, 2, 7])
def test_one_row_per_paragraph_and_one_column_per_name(n: int) -> None:
    rows = context_features([f"Paragraph number {i}." for i in range(n)])
    assert rows.shape == (n, len(FEATURE_NAMES))
    assert np.isfinite(rows).all()


def test_empty_document_has_no_rows_but_every_column() -> None:
    assert context_features([]).shape == (0, len(FEATURE_NAMES))


def test_feature_names_are_unique() -> None:
    assert len(set(FEATURE_NAMES)) == len(FEATURE_NAMES)


def test_relative_position_runs_from_zero_at_the_first_to_one_at_the_last() -> None:
    rows = context_features(["Headline", LONG, "Middle line", OTHER_LONG, "Footer"])
    position = column(rows, "relative_position")
    assert position[0] == 0.0 and position[-1] == 1.0
    assert np.all(np.diff(position) > 0)
    assert list(column(rows, "is_first")) == [1, 0, 0, 0, 0]
    assert list(column(rows, "is_last")) == [0, 0, 0, 0, 1]


def test_a_line_repeated_four_times_counts_its_repeats_and_marks_only_later_copies() -> None:
    paragraphs = ["Share on Facebook", LONG, "Share on Facebook", "Unique line", " Share on Facebook ", "Share on Facebook"]
    rows = context_features(paragraphs)
    copies = [0, 2, 4, 5]
    repeats, is_repeat = column(rows, "log_repeats"), column(rows, "is_repeat")
    assert np.all(repeats[copies] > 0)
    assert repeats[copies] == pytest.approx(np.log(4))
    assert repeats[1] == repeats[3] == 0
    assert list(is_repeat) == [0, 0, 1, 0, 1, 1]


def test_after_cut_marker_is_set_after_a_continues_line_that_follows_a_long_paragraph() -> None:
    paragraphs = ["Headline", LONG, "Continues …", "Comment — Sept 8, 2017", "This is all very well."]
    cut = column(context_features(paragraphs), "after_cut_marker")
    assert list(cut) == [0, 0, 0, 1, 1]


def test_a_continues_line_before_any_long_paragraph_is_not_a_cut() -> None:
    paragraphs = ["Continues …", "Short line", LONG]
    assert not column(context_features(paragraphs), "after_cut_marker").any()


def test_sim_lead_is_high_for_a_paragraph_repeating_the_leads_words_and_zero_for_unrelated_text() -> None:
    echo = "Russia killed several top commanders in an air strike near the city, the defence ministry said."
    paragraphs = ["Headline", LONG, echo, "Subscribe to our newsletter today", OTHER_LONG]
    sim = column(context_features(paragraphs), "sim_lead")
    assert sim[1] == pytest.approx(1.0)  # the lead itself
    assert sim[2] > 0.5
    assert sim[3] == 0.0
    assert sim[2] > sim[4]


def test_is_long_follows_the_word_threshold() -> None:
    short = " ".join(["word"] * (LONG_PARAGRAPH_WORDS - 1))
    exact = " ".join(["word"] * LONG_PARAGRAPH_WORDS)
    assert list(column(context_features([short, exact]), "is_long")) == [0, 1]


def test_features_are_a_pure_function_of_the_paragraphs() -> None:
    paragraphs = ["Headline", "By Jane Doe", LONG, "Share", "Share", "Continues …", OTHER_LONG, "3 comments"]
    given = list(paragraphs)
    first = context_features(paragraphs)
    context_features(["Something else entirely", LONG])  # no state may leak from one document to the next
    second = context_features(paragraphs)
    np.testing.assert_array_equal(first, second)
    assert paragraphs == given  # the input is not modified


def test_surrounding_white_space_does_not_change_the_features() -> None:
    plain = ["Headline", LONG, "Share"]
    padded = ["  Headline\t", f" {LONG} ", "Share\xa0"]
    np.testing.assert_array_equal(context_features(plain), context_features(padded))


NOTES = (
    "Correction: An earlier version of this story misstated the date of the vote.",
    "This article was amended on 8 December 2025 to correct the name of the village.",
    "This story has been updated to include comment from the company.",
    "(Corrects paragraph 10 to show the agency issued the report)",
    "Eds: Updates with details from the hearing.",
    "This article originally appeared in The Conversation.",
    "The post Ten Ways to Save appeared first on the Daily Courier.",
    "A version of this article appeared in print on March 3, on Page A12.",
    "Editor's note: the author is a member of our advisory board.",
    "Comment — Sept 8, 2017",
)
NOT_NOTES = (
    "Comment (required)", "Comment *", "Comment on this Story", "Comments", "12 Comments",
    "The findings appeared in the journal BMJ Case Reports.", "He first published the novel in 1982.",
)


COMMENT_SECTIONS = (
    "Comments", "View Comments", "(42) Comments", "Add Your Comment", "Post Comment", "1 comment", "3 Kommentare",
    "Comments (3)", "Loading comments...", "Show comments",
    "comments powered by Disqus", "No comments yet", "12 thoughts on “Storm closes the harbour”", "Jane says:",
    "Leave a Reply", "Kommentare (3)", "Hans_M. schreibt:", "Schreibe einen Kommentar", "Réagissez (2)",
    "Laisser un commentaire", "2 Comentários", "Deixe uma resposta", "Nessun commento", "Responder",
)
NOT_COMMENT_SECTIONS = (
    "The minister's comments on Tuesday drew criticism from the opposition.",
    "Comments from the chief executive suggested a slowdown in hiring.", "He declined to comment.",
    "In the comments section, readers argued for weeks about the result.", "Replies to the survey were mixed.",
)
# (cue, text, whether it fires): the editorial cue finds notes of every kind and leaves comment forms, the comment
# section's heading and plain prose alone; the comment cue finds a comment section's headings and calls in seven
# languages and leaves sentences about someone's comments alone.
CUE_CASES = ([("editorial_cue", text, True) for text in NOTES] + [("editorial_cue", text, False) for text in NOT_NOTES]
             + [("comment_cue", text, True) for text in COMMENT_SECTIONS]
             + [("comment_cue", text, False) for text in NOT_COMMENT_SECTIONS])


@pytest.mark.parametrize(("cue", "text", "fires"), CUE_CASES)
def test_each_cue_fires_on_its_lines_and_leaves_the_others_alone(cue: str, text: str, fires: bool) -> None:
    assert context_features([text])[0, FEATURE_NAMES.index(cue)] == float(fires)

