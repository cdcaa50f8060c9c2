"""Structured bylines: authors, outlet and ISO dates from byline paragraphs, and their normalisation."""

from __future__ import annotations

import pytest

from cleaner.text.byline import (
    byline_metadata, clean_author, merged_metadata, normalized_author, normalized_date, parse_byline,
)


@pytest.mark.parametrize(
    ("text", "authors", "outlet", "dates"),
    [
        ("Charlie Faulkner — Mail Online Sept 8, 2017", ["Charlie Faulkner"], "Mail Online", ["2017-09-08"]),
        ("8 Sep, 2017 06:02 / Updated 7 years ago", [], None, ["2017-09-08"]),
        ("By Lucy Akins", ["Lucy Akins"], None, []),
        ("By Jane Doe and John Smith, Reuters", ["Jane Doe", "John Smith"], "Reuters", []),
        ("Published: 12:30 BST, 3 May 2021 | Updated: 14:00 BST, 4 May 2021", [], None, ["2021-05-03", "2021-05-04"]),
        ("Maria de la Cruz | The Associated Press | Updated Jan. 5, 2020 at 3:04 p.m.",
         ["Maria de la Cruz"], "The Associated Press", ["2020-01-05"]),
        ("By JANE DOE, Staff Writer", ["JANE DOE"], None, []),
        ("By Theresa May", ["Theresa May"], None, []),  # a month name in a name is no date
        # German, French and Spanish bylines: their cue words, dates and name separators.
        ("Von Anna Schmidt | 12. März 2024", ["Anna Schmidt"], None, ["2024-03-12"]),
        ("Von Hans Müller und Eva Braun, Süddeutsche Zeitung, aktualisiert am 5. Januar 2022, 14:03 Uhr",
         ["Hans Müller", "Eva Braun"], "Süddeutsche Zeitung", ["2022-01-05"]),
        ("Veröffentlicht am 03.02.2023 von Jan Weber", ["Jan Weber"], None, ["2023-02-03"]),  # dotted: day first
        ("Par Marie Dubois, Le Monde | 12 mars 2024", ["Marie Dubois"], "Le Monde", ["2024-03-12"]),
        ("Publié le 3 février 2023 à 10h05 par Luc Martin et Anne Petit", ["Luc Martin", "Anne Petit"], None,
         ["2023-02-03"]),
        ("Por Ana López y Juan Pérez | 12 de marzo de 2024", ["Ana López", "Juan Pérez"], None, ["2024-03-12"]),
        ("Marie Curie, rédactrice | Agence France-Presse", ["Marie Curie"], "Agence France-Presse", []),
    ],
)
def test_a_byline_gives_its_authors_outlet_and_dates(text: str, authors: list[str], outlet: str | None,
                                                     dates: list[str]) -> None:
    byline = parse_byline(text)
    assert (byline.authors, byline.outlet, byline.dates) == (authors, outlet, dates)


def test_relative_times_and_long_paragraphs_give_nothing() -> None:
    assert parse_byline("Updated 7 years ago").dates == []
    bio = "Jane Doe is a reporter who has covered the harbour since May 3, 2001, " * 5
    assert parse_byline(bio).to_dict() == {"authors": [], "outlet": None, "dates": []}


def test_the_bylines_of_a_document_are_merged_in_order() -> None:
    merged = byline_metadata(["By Lucy Akins", "Daily Courier | May 3, 2021", "By Lucy Akins and Tom Li"])
    assert merged == {"authors": ["Lucy Akins", "Tom Li"], "outlet": "Daily Courier", "dates": ["2021-05-03"]}


def test_normalisation_for_exact_comparison() -> None:
    assert normalized_author("By José  Álvarez-Ruiz") == normalized_author("jose alvarez ruiz") == "jose alvarez ruiz"
    assert normalized_author("Dylan Bailey, MS, RD") == "dylan bailey"
    assert normalized_author(None) == ""
    assert normalized_date("2021-05-03T10:00:00+02:00") == "2021-05-03"
    assert normalized_date("2021") == "2021"



@pytest.mark.parametrize(("author", "expected"), [
    ("Jane Doe", "Jane Doe"),
    ("By Jane Doe", "Jane Doe"),
    ("View all posts by Jane Doe", "Jane Doe"),
    ("Author Isaiah Shelton", "Isaiah Shelton"),
    ("Jane Doe Senior Autos Reporter", "Jane Doe"),  # a role glued to the name
    ("Benjamin Johnson; Sr Director; Atlas Van Lines", "Benjamin Johnson; Sr Director; Atlas Van Lines"),
    ("Podium Staff", "Podium Staff"), ("AAA Travel Editor", "AAA Travel Editor"),  # collective and corporate authors
    ("Community Editor", "Community Editor"), ("Team SimplyThrilled", "Team SimplyThrilled"),
    ("Page Head Extra Author", None), ("Dec", None), ("Get Started", None), ("View more posts", None), (None, None),
    ("josh_wilmot90", "josh_wilmot90"),  # a forum handle is who wrote it
    ("Wyndo Dec", "Wyndo"), ("Supermove February 8", "Supermove"), ("Jane Doe; October", "Jane Doe"),  # a date after it
    ("Craig McCarthy Last updated", "Craig McCarthy"), ("Name; Maya Perez", "Maya Perez"),  # a form's label
    ("This post was written by Danielle Padula", "Danielle Padula"), ("Article by Cara Dumaplin", "Cara Dumaplin"),
    ("Liz Kenny Former McKinsey Consultant", "Liz Kenny"), ("May", None), ("Theresa May", "Theresa May"),
    ("Grace June 3", "Grace"),  # a day makes the month before it a date
    ("Jordana Cepelewicz December", "Jordana Cepelewicz"), ("Haley Hoekstra \u2022 March", "Haley Hoekstra"),
    ("Nicoletta Richardson Trending Editor", "Nicoletta Richardson"),  # the desk belongs to the role
    ("Zackery Cuevas Writer; Hardware", "Zackery Cuevas"),  # what follows a role cut off is the role's
    ("CM Craig McCarthy", "Craig McCarthy"), ("JD", "JD"),  # an avatar's initials before the name
    ("Yucy 3; 4", "Yucy"), ("Recipe by PJ Hamel", "PJ Hamel"), ("Read more about The Upwork Team", "The Upwork Team"),
])
def test_a_pages_author_string_keeps_only_names(author: str | None, expected: str | None) -> None:
    assert clean_author(author) == expected


def test_the_page_and_its_bylines_give_one_answer_per_field() -> None:
    page = {"title": "T", "author": "View all posts by Jane Doe", "date": "2021-05-03"}
    byline = {"authors": ["Jane Doe", "Tom Li"], "outlet": "Daily Courier", "dates": ["2021-05-04", "2021-05-03"]}
    merged = merged_metadata(page, byline)
    assert merged["author"] == "Jane Doe" and merged["authors"] == ["Jane Doe"]  # the page's answer, in both fields
    assert merged["date"] == "2021-05-03" and merged["dates"] == ["2021-05-03", "2021-05-04"]
    assert merged["outlet"] == "Daily Courier" and merged["title"] == "T"
    junk = merged_metadata({"author": "Page Head Extra Author", "date": None}, byline)
    assert junk["author"] == "Jane Doe; Tom Li" and junk["authors"] == ["Jane Doe", "Tom Li"]  # the bylines' answer
    assert junk["date"] == "2021-05-04"  # when the page has none
    assert merged_metadata({}, byline) == byline  # text input: the bylines alone
