"""The shipped model on hand-written documents with editorial notes in three places (issue 3).

None of this text comes from the seeds or the training pages: the model must recognise an editor's
note by where it stands, how it is headed and signed, and the voice it speaks in.
"""

from __future__ import annotations

from cleaner import clean

ARTICLE = [
    "Council approves new tram line after two years of debate",
    "By Marta Oyelaran, Transport Correspondent",
    "The city council voted on Wednesday to build a tram line linking the northern suburbs to the central "
    "station, ending a dispute that has divided residents since the plan was first published.",
    "The line will run for eleven kilometres and stop at fourteen stations, according to the council's "
    "transport department, which expects construction to begin next spring and to take three years.",
    "Shopkeepers along the planned route had warned that the works would keep customers away, and the "
    "council has promised a compensation fund for businesses that can show a fall in their takings.",
    "\u201cThis is the biggest investment in public transport the city has made in a generation,\u201d the "
    "deputy mayor told reporters after the vote, adding that fares would match those of the bus network.",
    "Opposition members argued that the money would be better spent on more frequent buses, which could be "
    "running within months rather than years, and said they would ask for the decision to be reviewed.",
    "The council will publish the detailed timetable for the works in January.",
]
BODY = range(2, len(ARTICLE))


def labels_of(paragraphs: list[str]) -> list[str]:
    return clean("\n".join(paragraphs)).labels


def test_editors_note_at_the_top_is_editorial() -> None:
    note = ("Editor's note: This article was first published on 3 March and has been updated with the result of "
            "Wednesday's council vote.")
    labels = labels_of(ARTICLE[:2] + [note] + ARTICLE[2:])
    assert labels[2] == "editorial"
    assert "editorial" not in labels[3:]


def test_correction_at_the_end_is_editorial() -> None:
    correction = ("Correction: An earlier version of this article said the tram line would have twelve stations. "
                  "It will have fourteen. We regret the error.")
    labels = labels_of(ARTICLE + [correction])
    assert labels[-1] == "editorial"
    assert [labels[i] for i in BODY if labels[i] == "editorial"] == []


def test_appended_commentary_block_is_editorial_from_heading_to_sign_off() -> None:
    commentary = [
        "Our view",
        "We have followed this story for two years, and we think the council has finally made the right call, "
        "although readers will notice that most reports of the vote left out the cost overruns of the last project.",
        "The coverage in the national press treated the tram as a local curiosity. It is not: the same argument "
        "is being had in a dozen cities, and the media would do well to ask why the buses were never improved.",
        "\u2014 The Editors",
    ]
    labels = labels_of(ARTICLE + commentary)
    assert labels[len(ARTICLE):] == ["editorial"] * len(commentary)
    assert [labels[i] for i in BODY if labels[i] == "editorial"] == []


def test_an_article_without_any_note_has_no_editorial() -> None:
    assert "editorial" not in labels_of(ARTICLE)



def test_bracketed_editor_note_after_the_article_is_editorial() -> None:
    note = "[Ed: The council confirmed on Friday that the first stations will open in the northern suburbs.]"
    labels = labels_of(ARTICLE + [note])
    assert labels[-1] == "editorial"
    assert [labels[i] for i in BODY if labels[i] == "editorial"] == []
