"""The report stage: what a run did to every paragraph, for a person to see. One self-contained HTML page (inline
CSS and JS, no network) with every paragraph of every document in its place, coloured by label, with its confidence
and reason, a legend that counts and filters the labels, and an index of the documents; or a plain terminal view.

The page is written as the documents come (`ReportWriter`), so a run never holds its documents in memory: the
legend and the index, which need the whole run, are written last, in a sidebar that CSS fixes to the left.
All text goes through `_escaped`; a Content-Security-Policy lets only the page's own script run, so that even a
paragraph that got past the escaping could not run code or load anything.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import IO

from ..document import Document, Paragraph
from ..files import atomic_open
from ..labels import DEFAULT_KEEP, Label
from ..text.segment import LONE_SURROGATE

LOW_CONFIDENCE = 0.6  # a paragraph whose label the model gave with less confidence than this is outlined
DEFAULT_TITLE = "cleaner report"
REPLACEMENT = "\ufffd"
# NUL is not allowed in HTML text (a browser shows it as U+FFFD anyway); lone surrogates cannot be written as UTF-8.
UNWRITABLE = re.compile(f"\x00|{LONE_SURROGATE.pattern}")
# What a terminal would act on instead of showing: C0 and C1 controls (ESC starts colour and cursor sequences), DEL.
TERMINAL_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
LINE_BREAKS = re.compile(r"\r\n|[\n\r\u2028\u2029\x85]")
LINE_BREAK_MARK = " \u23ce "  # a paragraph given with line breaks stays on one line of the terminal view
SEQUENCE_MARK = "*"  # terminal view: the label was revised from the paragraph's neighbours (reason "sequence")

# Each label's background and the accent of its left border (a colour a reader tells apart at a glance).
LABEL_COLOURS: dict[Label, tuple[str, str]] = {
    Label.BODY: ("#eaf6ea", "#2e7d32"),
    Label.HEADLINE: ("#e3eefc", "#1565c0"),
    Label.BYLINE: ("#f2e9fb", "#7b1fa2"),
    Label.BOILERPLATE: ("#ececec", "#757575"),
    Label.COMMENTS: ("#fff0de", "#e65100"),
    Label.EDITORIAL: ("#fdf7c3", "#b28704"),
}
ANSI_COLOURS: dict[Label, str] = {
    Label.BODY: "32", Label.HEADLINE: "1;34", Label.BYLINE: "35",
    Label.BOILERPLATE: "90", Label.COMMENTS: "33", Label.EDITORIAL: "36",
}
ANSI_DIM, ANSI_RESET = "\x1b[2m", "\x1b[0m"
LABEL_WIDTH = max(len(label.value) for label in Label)

SCRIPT = """
(() => {
  const body = document.body;
  const boxes = [...document.querySelectorAll("input[data-filter]")];
  const apply = () => boxes.forEach(box => body.classList.toggle("hide-" + box.dataset.filter, !box.checked));
  const choose = keep => { boxes.forEach(box => { box.checked = keep(box); }); apply(); };
  boxes.forEach(box => box.addEventListener("change", apply));
  document.getElementById("show-all").addEventListener("click", () => choose(() => true));
  document.getElementById("removed-only").addEventListener("click", () => choose(box => box.dataset.kept !== "true"));
  const docs = [...document.querySelectorAll("section.doc")];
  const current = () => {
    const i = docs.findIndex(doc => doc.getBoundingClientRect().bottom > 1);
    return i < 0 ? docs.length - 1 : i;
  };
  const go = step => {
    if (!docs.length) return;
    const doc = docs[Math.min(docs.length - 1, Math.max(0, current() + step))];
    doc.scrollIntoView();
    history.replaceState(null, "", "#" + doc.id);
  };
  document.getElementById("previous-doc").addEventListener("click", () => go(-1));
  document.getElementById("next-doc").addEventListener("click", () => go(1));
  document.addEventListener("keydown", event => {
    if (event.target.closest("input, textarea") || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "j" || event.key === "n") go(1);
    if (event.key === "k" || event.key === "p") go(-1);
  });
  apply();
})();
"""
SCRIPT_HASH = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
# Nothing loads (default-src 'none'); only the script above runs (by its hash): no inline handler, no injected tag.
CSP = f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{SCRIPT_HASH}'; base-uri 'none'; form-action 'none'"

STYLE = """
:root { --side: 18rem; font: 15px/1.45 system-ui, sans-serif; color: #1d1d1f; }
body { margin: 0; background: #f5f5f2; }
main { margin-left: var(--side); padding: 1rem 2rem 60vh; max-width: 64rem; }
#side { position: fixed; top: 0; bottom: 0; left: 0; width: var(--side); box-sizing: border-box; overflow-y: auto;
  padding: 1rem; background: #fff; border-right: 1px solid #ddd; font-size: .9rem; }
#side h1 { font-size: 1.05rem; margin: 0 0 .25rem; overflow-wrap: anywhere; }
#side .note, .doc h2 small, .index small, .empty { color: #666; font-weight: normal; }
#side .note { overflow-wrap: anywhere; }
#side button { font: inherit; margin: .2rem .2rem .2rem 0; }
.legend { list-style: none; padding: 0; margin: .5rem 0; }
.legend label { display: flex; align-items: center; gap: .4rem; padding: .15rem .3rem; border-left-width: 6px;
  border-left-style: solid; }
.legend .count { margin-left: auto; font-variant-numeric: tabular-nums; }
.legend .fate { color: #666; font-size: .8rem; width: 4.2rem; text-align: right; }
.index { padding-left: 1.6rem; margin: .5rem 0; }
.index a { overflow-wrap: anywhere; }
.doc { margin: 0 0 2rem; background: #fff; border: 1px solid #ddd; border-radius: 6px; scroll-margin-top: .5rem; }
.doc h2 { font-size: 1rem; margin: 0; padding: .5rem .75rem; border-bottom: 1px solid #ddd; overflow-wrap: anywhere; }
.para { display: flex; gap: .75rem; padding: .3rem .75rem; border-left: 6px solid transparent; }
.para .meta { flex: 0 0 12.5rem; font: .75rem/1.7 ui-monospace, monospace; color: #444; }
.para .meta .tag { font-weight: bold; }
.para .text { white-space: pre-wrap; overflow-wrap: anywhere; min-width: 0; }
.para.removed .text { color: #5a5a5a; }
.para.low { outline: 1px dashed #c62828; outline-offset: -2px; }
.empty { padding: .5rem .75rem; margin: 0; }
"""

PAGE_HEAD = Template("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="$csp">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>$style$label_style</style>
</head>
<body>
<main>
""")
PAGE_TAIL = Template("""</main>
<nav id="side" aria-label="legend and documents">
<h1>$title</h1>
<p class="note">$subtitle</p>
<p>$summary</p>
<ul class="legend">
$legend
</ul>
<button type="button" id="show-all">show all</button><button type="button" id="removed-only">removed only</button>
<p class="note">Uncheck a label to hide its paragraphs. Dashed: confidence below $low.</p>
<button type="button" id="previous-doc" title="previous document (k)">&uarr; previous</button><button type="button" id="next-doc" title="next document (j)">&darr; next</button>
<ol class="index">
$index
</ol>
</nav>
<script>$script</script>
</body>
</html>
""")


@dataclass(frozen=True)
class ReportOptions:
    """What the report says besides the paragraphs: its title, a line about the run, the labels the run keeps (the
    others are marked removed), and the confidence below which a paragraph is outlined."""

    title: str = DEFAULT_TITLE
    subtitle: str = ""
    keep: frozenset[Label] = DEFAULT_KEEP
    low_confidence: float = LOW_CONFIDENCE


class ReportWriter:
    """Writes the HTML report of a run to a text handle, document by document; `close` writes the legend, the index
    and the script, so the page is only complete after it."""

    def __init__(self, handle: IO[str], options: ReportOptions = ReportOptions()) -> None:
        self.handle = handle
        self.options = options
        self.counts: Counter[Label] = Counter()
        self.documents = 0
        self._index: list[str] = []  # one entry per document, written last
        self._started = False

    def add(self, document: Document) -> None:
        """Write one document's section: its heading, then every paragraph in its place."""
        self._start()
        self.documents += 1
        self.handle.write(document_html(document, self.documents, self.options))
        self.counts.update(p.label for p in document.paragraphs)
        self._index.append(_index_entry(document, self.documents, self.options.keep))

    def close(self) -> None:
        """Finish the page: the sidebar with the per-label counts and filters, the index of documents, the script."""
        self._start()
        self.handle.write(PAGE_TAIL.substitute(
            title=_escaped(self.options.title), subtitle=_escaped(self.options.subtitle), summary=self._summary(),
            legend="\n".join(_legend_entry(label, self.counts[label], label in self.options.keep) for label in Label),
            low=f"{self.options.low_confidence:g}", index="\n".join(self._index), script=SCRIPT,
        ))

    def _start(self) -> None:
        if not self._started:
            self._started = True
            self.handle.write(PAGE_HEAD.substitute(csp=CSP, title=_escaped(self.options.title), style=STYLE,
                                                   label_style=label_style()))

    def _summary(self) -> str:
        total = sum(self.counts.values())
        removed = sum(count for label, count in self.counts.items() if label not in self.options.keep)
        return f"{self.documents} documents, {total} paragraphs, {removed} removed"


@contextmanager
def open_report(path: Path | None, options: ReportOptions = ReportOptions()) -> Iterator[ReportWriter]:
    """A report writer to `path`, written atomically (complete, or not there), or to standard output when None."""
    if path is None:
        writer = ReportWriter(sys.stdout, options)
        yield writer
        writer.close()
        sys.stdout.flush()
        return
    with atomic_open(path) as handle:
        writer = ReportWriter(handle, options)
        yield writer
        writer.close()


def render_report(documents: Iterable[Document], options: ReportOptions = ReportOptions()) -> str:
    """The whole HTML report of `documents`, as one string."""
    pieces: list[str] = []
    writer = ReportWriter(_Pieces(pieces), options)  # type: ignore[arg-type]
    for document in documents:
        writer.add(document)
    writer.close()
    return "".join(pieces)


class _Pieces:
    """A write-only text handle that collects what is written."""

    def __init__(self, pieces: list[str]) -> None:
        self.write = pieces.append


def label_style() -> str:
    """The CSS of the labels: each one's colours, its swatch in the legend, and its paragraphs hidden by its filter."""
    rules = []
    for label, (background, accent) in LABEL_COLOURS.items():
        rules.append(f".l-{label.value} {{ background: {background}; border-left-color: {accent}; }}")
        rules.append(f"body.hide-{label.value} .para.l-{label.value} {{ display: none; }}")
    return "\n" + "\n".join(rules) + "\n"


def document_html(document: Document, number: int, options: ReportOptions = ReportOptions()) -> str:
    """One document's section: its name and counts, then each paragraph (or a note that it has none)."""
    removed = sum(p.label not in options.keep for p in document.paragraphs)
    heading = (f'<h2><span class="n">{number}.</span> {_escaped(_document_name(document, number))} '
               f'<small>{len(document.paragraphs)} paragraphs, {removed} removed</small></h2>')
    paragraphs = [paragraph_html(p, index, number, options) for index, p in enumerate(document.paragraphs, 1)]
    if not paragraphs:
        paragraphs = ['<p class="empty">no paragraphs: the input is empty, or no text was found in its HTML</p>']
    return f'<section class="doc" id="doc-{number}">\n{heading}\n' + "\n".join(paragraphs) + "\n</section>\n"


def paragraph_html(paragraph: Paragraph, index: int, number: int, options: ReportOptions = ReportOptions()) -> str:
    """One paragraph in its label's colours, with its number, label, confidence and reason beside its text."""
    label = paragraph.label.value
    kept = paragraph.label in options.keep
    classes = ["para", f"l-{label}", "kept" if kept else "removed"]
    classes += ["low"] if paragraph.confidence < options.low_confidence else []
    where = f", characters {paragraph.start}-{paragraph.end}" if paragraph.start >= 0 else ""
    title = (f"paragraph {index}: {label} ({'kept' if kept else 'removed'}), confidence {paragraph.confidence:.4f}, "
             f"reason: {paragraph.reason}{where}")
    return (f'<div class="{" ".join(classes)}" id="doc-{number}-{index}" data-label="{label}" '
            f'data-confidence="{paragraph.confidence:.4f}" data-reason="{_escaped(paragraph.reason)}" '
            f'title="{_escaped(title)}"><span class="meta"><span class="i">{index}</span> <span class="tag">{label}</span> '
            f'<span class="conf">{paragraph.confidence:.2f}</span> <span class="why">{_escaped(paragraph.reason)}</span>'
            f'</span><span class="text">{_escaped(paragraph.text)}</span></div>')


def _legend_entry(label: Label, count: int, kept: bool) -> str:
    """A label's line of the legend: its filter (checked: shown), swatch colours, name, count and fate."""
    return (f'<li><label class="l-{label.value}"><input type="checkbox" checked data-filter="{label.value}" '
            f'data-kept="{str(kept).lower()}"> {label.value} <span class="count">{count}</span>'
            f'<span class="fate">{"kept" if kept else "removed"}</span></label></li>')


def _index_entry(document: Document, number: int, keep: frozenset[Label]) -> str:
    """A document's line of the index: a link to its section, with its paragraphs and how many were removed."""
    removed = sum(p.label not in keep for p in document.paragraphs)
    return (f'<li><a href="#doc-{number}">{_escaped(_document_name(document, number))}</a> '
            f'<small>{len(document.paragraphs)}\u00a0\u00b6, {removed}\u00a0removed</small></li>')


def _document_name(document: Document, number: int) -> str:
    return f"document {number}" if document.id is None else str(document.id)


def _escaped(text: str) -> str:
    """`text` as HTML text or attribute value: markup characters escaped, and what UTF-8 or HTML cannot hold
    (lone surrogates, NUL) replaced by U+FFFD."""
    return html.escape(UNWRITABLE.sub(REPLACEMENT, text), quote=True)


def terminal_lines(document: Document, *, colour: bool = False, keep: frozenset[Label] = DEFAULT_KEEP) -> Iterator[str]:
    """A document for a terminal: a heading, then one line per paragraph: label, confidence (marked * when the label
    was revised from its neighbours), text; with `colour`, labels in ANSI colours and removed text dimmed.
    Control characters in the text are shown as U+FFFD, never sent to the terminal."""
    name = "(no id)" if document.id is None else str(document.id)
    yield f"== {_terminal_text(name)} ({len(document.paragraphs)} paragraphs) =="
    for paragraph in document.paragraphs:
        label = paragraph.label.value.ljust(LABEL_WIDTH)
        mark = SEQUENCE_MARK if paragraph.reason == "sequence" else " "
        text = _terminal_text(paragraph.text)
        if colour:
            label = f"\x1b[{ANSI_COLOURS[paragraph.label]}m{label}{ANSI_RESET}"
            text = text if paragraph.label in keep else f"{ANSI_DIM}{text}{ANSI_RESET}"
        yield f"{label} {paragraph.confidence:.2f}{mark} {text}"


def write_terminal(documents: Iterable[Document], handle: IO[str], *, colour: bool = False,
                   keep: frozenset[Label] = DEFAULT_KEEP) -> None:
    """Write the terminal view of each document (see `terminal_lines`), a blank line between documents."""
    for number, document in enumerate(documents):
        if number:
            handle.write("\n")
        handle.writelines(line + "\n" for line in terminal_lines(document, colour=colour, keep=keep))
    handle.flush()


def _terminal_text(text: str) -> str:
    """`text` on one line, with nothing a terminal would interpret: line breaks marked, controls replaced."""
    text = LINE_BREAKS.sub(LINE_BREAK_MARK, text)
    return TERMINAL_CONTROLS.sub(REPLACEMENT, UNWRITABLE.sub(REPLACEMENT, text))
