"""Editorial notes of every kind, and the lines that look like them but are not, for training-time augmentation.

Real notes about an article are rare in labeled pages (60 lines on 41 of 891), and the few there are mostly one kind
(a review site's "Editor's note: we updated this list"). The model has to learn the kinds `LABELING.md` names from
the words they are made of, so each note here is put together from parts: an opener that varies as outlets vary
it ("Correction:", "CORRECTION (Nov. 3):", "*", a wire's parenthesis), a sentence of its kind (a correction says
what an earlier version got wrong, an amendment when and what, an update what was added, a wire note to editors
what the story does, a provenance note where the article first ran) and fillers. Some notes take two lines (a
heading, then the note), and an update log takes several. Where each kind stands follows the outlets that use it:
a wire's parenthesis under the dateline at the top, corrections and reprint notes after the end, updates at either.

The look-alikes teach where the class ends (`LABELING.md`): a bare timestamp ("Updated 3:15 p.m.") is `byline`, a
site-wide correction or disclosure policy ("If you spot an error …", "We may earn a commission …") is
`boilerplate`. `augment` places them beside the notes and, as often, in copies without a note.
"""

from __future__ import annotations

import random

from ..labels import Label

MONTHS = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")
LONG_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")
DOCUMENTS = ("article", "story", "post", "piece", "report", "column", "review", "guide")
NAMES = ("Maria Delgado", "the mayor", "Dr. Anand Rao", "the company's chief executive", "Jürgen Weiss",
         "the team's coach", "Senator Ellen Park", "the museum's director", "Kwame Mensah", "the lead researcher",
         "Sophie Laurent", "the committee chair")
THINGS = ("the name of the village", "the year the bridge opened", "the size of the grant", "her title",
          "the number of people affected", "the location of the hearing", "the company's market share",
          "the date of the vote", "his age", "the spelling of her surname", "the cost of the project",
          "which agency issued the report", "the distance of the race", "the share of voters polled")
WRONG = ("was 42", "would cost $3 million", "took place in 2014", "was a Republican", "had been arrested",
         "lives in Leeds", "was founded by two brothers", "was the first to find the fossil", "had resigned",
         "works for the health ministry", "was dismissed from the case", "won the award twice")
ADDED = ("comment from the company", "the latest figures", "a statement from the ministry", "details from the hearing",
         "a response from the spokesperson", "new polling data", "reaction from local officials", "video of the launch",
         "the final results", "an interview with the driver", "the court's ruling", "our latest picks",
         "additional reporting", "background on the dispute", "the police's account")
OUTLETS = ("The Conversation", "ProPublica", "Reuters", "the Associated Press", "Kaiser Health News", "Grist",
           "Live Science", "Futurism", "The Texas Tribune", "CalMatters", "Undark", "Inside Climate News",
           "Global Voices", "Yale Environment 360", "our sister site", "the Daily Courier", "Medium", "Wired.com")
HEADLINES = ("Council Votes to Close the Old Bridge", "A Quiet Fight Over Water", "Inside the Race for Cheaper Batteries",
             "Why the Ferry Stopped Running", "The Last Days of the Mill")
SECTIONS = ("National edition", "New York edition", "Sunday paper", "print edition", "Weekend magazine")

CORRECTION_OPENERS = ("Correction: ", "CORRECTION: ", "Correction, {date}: ", "Correction ({date}): ",
                      "Correction appended: ", "Clarification: ", "* ", "Correction added {date}: ", "",
                      "Corrections & clarifications: ", "Correction — ")
# Each kind's openers; a wire's note and a reprint note stand without one.
OPENERS = {
    "correction": CORRECTION_OPENERS, "amendment": CORRECTION_OPENERS, "wire": ("",), "reprint": ("",),
    "update": ("Update: ", "UPDATE: ", "Update, {date}: ", "Update ({time}): ", "Updated {date}: ", "UPDATE {date}: ",
               "", "Update at {time}: ", "[Update] "),
    "editor": ("Editor's note: ", "Editor’s Note: ", "EDITOR'S NOTE: ", "Editors' note: ", "Editor's note, {date}: ",
               "Note from the editor: ", "Ed. note: ", "Publisher's note: "),
}
SENTENCES = {
    "correction": (
        "An earlier version of this {doc} misstated {thing}.",
        "A previous version of this {doc} incorrectly said that {name} {wrong}.",
        "This {doc} originally misidentified {name}.",
        "An earlier version of this {doc} gave the wrong date for the hearing. It is on {date}.",
        "This {doc} has been corrected to show that it was not {name} who {wrong}.",
        "Because of an editing error, an earlier version of this {doc} said {name} {wrong}.",
        "An earlier version of this {doc} misspelled the name of {name}.",
        "This {doc} was corrected on {date} to fix {thing}.",
        "The headline of this {doc} has been changed to reflect {thing}.",
        "We regret the error.",
    ),
    "amendment": (
        "This {doc} was amended on {date}. An earlier version said {name} {wrong}; this should have said otherwise.",
        "This {doc} was amended on {date} to correct {thing}.",
        "This {doc} was amended on {date} to clarify that {name} {wrong}.",
        "This {doc} has been amended to remove a reference to {name}.",
        "This {doc} was amended on {date} because an earlier version referred incorrectly to {thing}.",
    ),
    "update": (
        "This {doc} has been updated to include {added}.",
        "This {doc} was updated on {date} to include {added}.",
        "This {doc} has been updated with {added}.",
        "This {doc} was originally published on {date} and has been updated with {added}.",
        "We updated this {doc} on {date} to add {added}.",
        "{name} resigned on {date}, after this {doc} was published.",
        "This {doc} will be updated as more information becomes available.",
        "This is a developing story and will be updated.",
        "Since this {doc} was published, {name} has responded; the response has been added below.",
    ),
    "editor": (
        "This {doc} was updated on {date} to include {added}.",
        "{name} did not respond to requests for comment before publication.",
        "This {doc} contains descriptions of violence that some readers may find distressing.",
        "The author's name has been withheld at the author's request.",
        "This {doc} is part of a series on {thing}, produced in partnership with {outlet}.",
        "{name} is a member of our advisory board, which has no say in what we publish.",
        "This {doc} first ran in our {date} newsletter.",
    ),
    "wire": (
        "(Corrects paragraph {n} to show {thing})", "(Corrects spelling of name in paragraph {n})",
        "(Adds {added} in paragraphs {n}-{m})", "(Updates with {added})", "(Recasts, adds {added})",
        "(Fixes typo in headline)", "(Adds byline, {added})", "(This story corrects the date of the vote in the {nth} paragraph)",
        "Eds: Updates with {added}.", "EDS: Adds details, background.", "Editors' note: Updates with {added}.",
        "Eds: This story contains language that some readers may find offensive.",
        "ATTENTION EDITORS: this story contains graphic descriptions.",
        "(Refiles to fix formatting; no change to text)",
    ),
    "reprint": (
        "This {doc} originally appeared in {outlet}.",
        "This {doc} was originally published by {outlet}. Read the original {doc}.",
        "This {doc} is republished from {outlet} under a Creative Commons license. Read the original {doc}.",
        "Originally published on {outlet}.",
        "This {doc} first appeared on {outlet} and is republished here with permission.",
        "Republished with permission from {outlet}.",
        "This story was produced by {outlet} and is reprinted with permission.",
        "A version of this {doc} appeared in print on {long_date}, on Page {page} of the {section} with the headline: {headline}.",
        "The post {headline} appeared first on {outlet}.",
        "This {doc} was reprinted on {outlet}.",
        "A version of this {doc} also appeared in {outlet}.",
        "This {doc} is adapted from a talk given at {outlet} on {date}.",
        "Reprinted from {outlet}, {date}.",
    ),
}
HEADINGS = {"correction": ("Correction", "Corrections", "CORRECTION", "Clarification"),
            "amendment": ("Correction",), "update": ("Update", "UPDATE", "Updated", "Editor's update"),
            "editor": ("Editor's note", "Editor’s Note", "EDITOR'S NOTE", "Note"),
            "reprint": ("About this article", "Republishing note"), "wire": ("Editors' note",)}
UPDATE_LOG_HEADINGS = ("How has this {doc} been updated?", "Update history", "Changelog", "What's changed",
                       "Recent updates to this {doc}:")
UPDATE_LOG_LINES = ("{long_date}: Added {added}.", "{long_date}: Corrected {thing}.",
                    "{long_date}: Updated {thing} and added {added}.", "{long_date}: Removed an outdated reference to {name}.")
# Where each kind stands: weights for the top (under the headline and byline), after the end, inside the body.
PLACES = {"correction": (2, 7, 1), "amendment": (1, 8, 1), "update": (4, 4, 2), "editor": (5, 4, 1),
          "wire": (9, 1, 0), "reprint": (2, 8, 0)}

STAMPS = ("Updated {time}", "Updated: {date} {time}", "Updated {date}", "Last updated on {long_date}",
          "Published {date} | Updated {date}", "UPDATED: {date} at {time}", "Updated {n} hours ago",
          "First published on {long_date}", "Updated at {time} ET", "Last modified: {long_date}",
          "Originally published {date}; updated {date}")
POLICIES = (
    "If you spot an error, please contact corrections@{site}.", "Corrections", "Report an error", "Submit a correction",
    "We may earn a commission when you buy through links on our site.", "Read our corrections policy.",
    "Clarifications and Corrections", "Have a news tip or a correction? Email us at tips@{site}.",
    "Our editorial standards", "Copyright {year} {outlet}. All rights reserved. This material may not be "
    "published, broadcast, rewritten or redistributed.", "Affiliate disclosure: some links on this page earn us a commission.",
    "Found a mistake? Let us know.", "Editorial policy", "The views expressed in the comments are those of the readers.",
    "Want to republish this story? Read our republishing guidelines.", "Sign up for our Corrections newsletter",
)
SITES = ("dailycourier.com", "example-news.org", "thepost.co.uk", "newsroom.net")


def note_block(rng: random.Random) -> tuple[str, list[tuple[str, Label]]]:
    """One editorial note of a random kind and where it stands ("top", "end" or "inside"): one line, a heading and a
    line, or an update log."""
    kind = rng.choice(tuple(PLACES))
    place = rng.choices(("top", "end", "inside"), weights=PLACES[kind])[0]
    if kind == "update" and rng.random() < 0.15:
        lines = [rng.choice(UPDATE_LOG_HEADINGS)] + [rng.choice(UPDATE_LOG_LINES) for _ in range(rng.randint(2, 5))]
    else:
        sentence = " ".join(rng.choice(SENTENCES[kind]) for _ in range(1 if rng.random() < 0.8 else 2))
        opener = rng.choice(OPENERS[kind])
        if rng.random() < 0.2:  # a heading on its own line, then the note without its opener
            lines = [rng.choice(HEADINGS[kind]), sentence]
        else:
            lines = [opener + sentence]
    return place, [(_filled(line, rng), Label.EDITORIAL) for line in lines]


def look_alike(rng: random.Random) -> tuple[str, tuple[str, Label]]:
    """A line that is not editorial though it speaks of corrections or updates, and where it stands: a bare
    timestamp (`byline`, at the top) or a site-wide policy line (`boilerplate`, after the end)."""
    if rng.random() < 0.5:
        return "top", (_filled(rng.choice(STAMPS), rng), Label.BYLINE)
    return "end", (_filled(rng.choice(POLICIES), rng), Label.BOILERPLATE)


def _filled(template: str, rng: random.Random) -> str:
    day, year = rng.randint(1, 28), rng.randint(2008, 2026)
    fields = {
        "date": f"{rng.choice(MONTHS)} {day}, {year}" if rng.random() < 0.7 else f"{day} {rng.choice(LONG_MONTHS)} {year}",
        "long_date": f"{rng.choice(LONG_MONTHS)} {day}, {year}",
        "time": f"{rng.randint(1, 12)}:{rng.randint(0, 59):02d} {rng.choice(('a.m.', 'p.m.', 'am', 'pm', 'PM', 'AM'))}",
        "doc": rng.choice(DOCUMENTS), "name": rng.choice(NAMES), "thing": rng.choice(THINGS), "wrong": rng.choice(WRONG),
        "added": rng.choice(ADDED),
        "outlet": rng.choice(OUTLETS), "n": rng.randint(2, 12), "m": rng.randint(13, 20),
        "nth": rng.choice(("second", "third", "fifth", "ninth")), "page": f"A{rng.randint(1, 24)}",
        "section": rng.choice(SECTIONS), "headline": rng.choice(HEADLINES), "site": rng.choice(SITES),
        "year": year,
    }
    text = template.format(**fields)
    return text[:1].upper() + text[1:]
