"""Augmentation: realistic appended commentary, editor's notes and comment threads added to training documents.

Real editorial paragraphs are rare (60 lines in 891 labeled pages), so training copies some
documents with commentary placed where re-publishers put it: after the article's end (sometimes
behind a "Continues …" cut), under a heading, with a sign-off; or with one or two notes about the article
(`notes`: corrections, amendments, updates, editor's and wire notes, reprint notes, each where its kind
stands), often beside lines that only look like notes (a bare "Updated …" stamp, a corrections-policy line).
The commentary's prose is real text in an opinion voice (comments and first- or second-person body
paragraphs) taken from *other* documents, so the classifier learns the class from where it stands and how it
speaks, not from one example.

Comment sections are rarer in the training pages than on the web, and each site formats them its own
way, so training also copies some documents with a synthetic comment thread after the article (or at the
page's end): a heading with a count, then comments, each with its commenter line ("name says:", a handle,
"name · date at time"), perhaps a timestamp line, one to three paragraphs of real comment or opinion text
from other documents, perhaps "Reply"/"Report" links, and perhaps the comment form's lines at the end.

Most labeled pages are long (whole-page dumps of WCXB pages, forum threads), and a model trained on them alone
reads a short story among a few chrome lines as a teaser or a forum post. So training also copies some documents
cut to a brief: the few lines before the body, its first one to four body paragraphs with what stands between them,
and the first few lines after the article's end; labels unchanged.

Donor text never comes from a document that has editorial paragraphs of its own, nor from a
protected group (training passes the hand-labeled JSONL sets, such as the seeds), so no seed text
is ever placed. Everything is drawn from one seeded random generator; `rate=0` switches it off.
"""

from __future__ import annotations

import random
import re
from collections.abc import Collection, Sequence

from .data import LabeledDocument
from ..labels import Label
from . import notes
from .notes import MONTHS

AUGMENT_RATE = 0.35  # share of documents that get one augmented copy
OPINION_MIN_WORDS = 12
BRIEF_CONTEXT = 6  # at most this many lines kept on each side of a brief's body
OPINION_VOICE = re.compile(r"\b(?:I|I'm|I've|we|our|us|my|you|your|should|must|think|believe|clearly|of course)\b")

HEADINGS = (
    "Comment", "Comment — {date}", "Editor's note", "Editor's Note", "Our view", "Our View", "Editorial comment",
    "Commentary", "A note from the editors", "Editor's comment — {date}", "Our take", "Comment:", "EDITOR'S NOTE",
)
SIGN_OFFS = ("Ed.", "— The Editors", "— Ed.", "The Editors", "(Ed.)", "— Editor")
# Notes that carry opinion text from other documents; the other kinds of note are made in `notes`.
OPINION_NOTES = ("[Ed: {opinion}]", "Editor's note: {opinion}", "Ed. note: {opinion}")
CUT_MARKERS = ("Continues …", "Continue reading", "Continues...", "(continued)")

COMMENT_HEADINGS = (
    "Comments", "{n} Comments", "{n} comments", "Comments ({n})", "{n} responses to “{title}”",
    "{n} thoughts on “{title}”", "{n} Replies to “{title}”", "Join the discussion", "Reader comments", "Discussion",
    "What readers are saying", "COMMENTS", "Conversation", "Most popular comments",
)
COMMENTER_LINES = ("{name} says:", "{name}", "{name} · {date} at {time}", "{name} on {date} at {time} said:",
                   "{name} wrote:", "@{name}", "{name} {n} points {n} hours ago")
STAMP_LINES = ("{date} at {time}", "{n} hours ago", "{n} days ago", "{date}, {time}", "Posted {date} at {time}",
               "{n} minutes ago")
ACTION_LINES = ("Reply", "Report", "Reply ↓", "Report abuse", "Like", "{n} Likes", "Reply · Report Post", "Flag")
FORM_LINES = (
    "Leave a Reply Cancel reply", "Your email address will not be published. Required fields are marked *",
    "Comment", "Name *", "Email *", "Website", "Post Comment", "Comments are closed.", "Load more comments",
    "You must be logged in to post a comment.", "Sign in to comment", "Show more comments",
    "Notify me of follow-up comments by email.", "Save my name, email, and website in this browser for the next time I comment.",
)
FIRST_NAMES = ("Dave", "Maria", "J.", "Kofi", "Lena", "Tom", "Priya", "Ahmed", "Sue", "Marco", "Yuki", "Ola", "Rick",
               "Anna", "Chris", "Fatima", "Ben", "Ines", "Gary", "Mei")
LAST_NAMES = ("Miller", "K.", "Okafor", "Schmidt", "Rossi", "from Ohio", "Nguyen", "Smith", "Haddad", "Larsen", "Q",
              "Brown", "Silva", "Kowalski", "Tanaka")
HANDLE_WORDS = ("truth", "seeker", "old", "fan", "ranger", "blue", "dog", "skeptic", "reader", "voter", "night", "owl",
                "citizen", "gunner", "sunny", "critic", "bob", "moose", "river", "kid")


def augment(
    documents: Sequence[LabeledDocument], seed: int, rate: float = AUGMENT_RATE, protected: Collection[str] = ()
) -> list[LabeledDocument]:
    """The documents followed by augmented copies: about `rate` of them get editorial text and, drawn
    independently, about `rate` a comment thread and about `rate` a cut to a brief (each copy keeps its
    original's group)."""
    rng = random.Random(seed)
    donors = _opinion_paragraphs(documents, protected)
    if rate <= 0 or not donors:
        return list(documents)
    copies = []
    for doc in documents:
        if Label.BODY not in doc.labels:
            continue
        others = [d for d in donors if d[0] != doc.id]
        if rng.random() < rate:
            copies.append(_with_editorial(doc, rng, others))
        if rng.random() < rate:
            copies.append(_with_comments(doc, rng, others))
        if rng.random() < rate:
            copies.append(_brief(doc, rng))
    return [*documents, *copies]


def _opinion_paragraphs(documents: Sequence[LabeledDocument], protected: Collection[str]) -> list[tuple[str, str]]:
    """(document id, paragraph) pairs of opinion-voiced prose that may be placed in other documents."""
    return [
        (doc.id, text)
        for doc in documents
        if doc.group not in protected and Label.EDITORIAL not in doc.labels
        for text, label in zip(doc.paragraphs, doc.labels)
        if label in (Label.COMMENTS, Label.BODY)
        and len(text.split()) >= OPINION_MIN_WORDS
        and (label is Label.COMMENTS or OPINION_VOICE.search(text))
    ]


def _with_comments(doc: LabeledDocument, rng: random.Random, donors: list[tuple[str, str]]) -> LabeledDocument:
    """A copy with a comment thread after the article's last body paragraph or at the end of the page."""
    body = [i for i, label in enumerate(doc.labels) if label is Label.BODY]
    at = body[-1] + 1 if rng.random() < 0.5 else len(doc.paragraphs)
    title = next((text for text, label in zip(doc.paragraphs, doc.labels) if label is Label.HEADLINE), "this story")
    lines = [] if rng.random() < 0.15 else [_fill(rng.choice(COMMENT_HEADINGS), rng, donors, title)]
    commenter, stamp, action = rng.choice(COMMENTER_LINES), rng.random() < 0.5, rng.random() < 0.5
    for _ in range(rng.randint(2, 8)):
        lines.append(_fill(commenter, rng, donors))
        if stamp:
            lines.append(_fill(rng.choice(STAMP_LINES), rng, donors))
        lines.extend(text for _, text in rng.sample(donors, k=min(len(donors), rng.choice((1, 1, 1, 2, 3)))))
        if action:
            lines.append(_fill(rng.choice(ACTION_LINES), rng, donors))
    if rng.random() < 0.4:
        start = rng.randrange(len(FORM_LINES))
        lines.extend(FORM_LINES[start : start + rng.randint(1, 4)])
    return _inserted(doc, [(at, [(line, Label.COMMENTS) for line in lines])], "comments")


def _brief(doc: LabeledDocument, rng: random.Random) -> LabeledDocument:
    """A copy cut to a brief: up to BRIEF_CONTEXT lines before the first body paragraph, the first one to four body
    paragraphs (and whatever stands between them), then up to BRIEF_CONTEXT lines of what follows the article's
    last body paragraph (its share buttons, comment count, footer)."""
    body = [i for i, label in enumerate(doc.labels) if label is Label.BODY]
    last = body[min(len(body), rng.randint(1, 4)) - 1]
    start = max(0, body[0] - rng.randint(0, BRIEF_CONTEXT))
    after = body[-1] + 1
    keep = [*range(start, last + 1), *range(after, min(len(doc.labels), after + rng.randint(0, BRIEF_CONTEXT)))]
    return LabeledDocument(f"{doc.id}+brief", tuple(doc.paragraphs[i] for i in keep), tuple(doc.labels[i] for i in keep),
                           doc.group)


def _inserted(doc: LabeledDocument, inserts: list[tuple[int, list[tuple[str, Label]]]], kind: str) -> LabeledDocument:
    """A copy of `doc` with each (at, block) of `inserts` put before its paragraph `at` (positions of `doc`)."""
    paragraphs, labels = list(doc.paragraphs), list(doc.labels)
    for at, block in sorted(inserts, key=lambda pair: pair[0], reverse=True):  # from the end: earlier spots stay put
        paragraphs[at:at] = [text for text, _ in block]
        labels[at:at] = [label for _, label in block]
    return LabeledDocument(f"{doc.id}+{kind}", tuple(paragraphs), tuple(labels), doc.group)


def _with_editorial(doc: LabeledDocument, rng: random.Random, donors: list[tuple[str, str]]) -> LabeledDocument:
    """A copy with appended commentary (a third of the copies) or with one or two notes about the article, and
    perhaps lines that only look like notes (`notes`)."""
    body = [i for i, label in enumerate(doc.labels) if label is Label.BODY]
    if rng.random() < 1 / 3:
        return _inserted(doc, [(body[-1] + 1, _commentary(rng, donors))], "editorial")
    placed = [notes.note_block(rng) for _ in range(rng.choice((1, 1, 1, 2)))]
    if rng.random() < 0.2:
        placed[0] = (rng.choice(("top", "end")), [(_fill(rng.choice(OPINION_NOTES), rng, donors), Label.EDITORIAL)])
    placed += [(place, [line]) for place, line in (notes.look_alike(rng) for _ in range(rng.choice((0, 1, 1, 2))))]
    spots = {"top": body[0], "end": body[-1] + 1}
    inserts = [(spots[place] if place in spots else rng.choice(body[1:-1] or body), block) for place, block in placed]
    return _inserted(doc, inserts, "editorial")


def _commentary(rng: random.Random, donors: list[tuple[str, str]]) -> list[tuple[str, Label]]:
    """A heading, a few opinion paragraphs and perhaps a sign-off, perhaps behind a cut marker."""
    block = [(rng.choice(CUT_MARKERS), Label.BOILERPLATE)] if rng.random() < 0.3 else []
    block.append((_fill(rng.choice(HEADINGS), rng, donors), Label.EDITORIAL))
    block.extend((text, Label.EDITORIAL) for _, text in rng.sample(donors, k=min(len(donors), rng.randint(2, 6))))
    sign_off = rng.random()
    if sign_off < 0.35:
        block.append((rng.choice(SIGN_OFFS), Label.EDITORIAL))
    elif sign_off < 0.55:
        text, label = block[-1]
        block[-1] = (f"{text} {rng.choice(SIGN_OFFS)}", label)
    return block


def _fill(template: str, rng: random.Random, donors: list[tuple[str, str]], title: str = "") -> str:
    date = f"{rng.choice(MONTHS)} {rng.randint(1, 28)}, {rng.randint(2012, 2025)}"
    time = f"{rng.randint(1, 12)}:{rng.randint(0, 59):02d} {rng.choice(('am', 'pm', 'AM', 'PM'))}"
    return template.format(
        date=date, time=time, n=rng.randint(1, 60), title=title, name=_commenter(rng),
        opinion=rng.choice(donors)[1],
    )


def _commenter(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    words = rng.sample(HANDLE_WORDS, k=2)
    return f"{words[0]}{rng.choice(('', '_', ''))}{words[1]}{rng.choice(('', str(rng.randint(1, 99))))}"
