"""The report stage (cleaner.pipeline.report): the HTML page of every paragraph, the terminal view, `cleaner show`
and `cleaner clean --report`; and the page itself in a real headless Chromium, through Playwright."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import shutil
import sys
from pathlib import Path

import lxml.html
import pytest

from cleaner.cli import commands
from cleaner.document import Document, Paragraph
from cleaner.labels import DEFAULT_KEEP, Label
from cleaner.text.segment import split_paragraphs
from cleaner.pipeline.report import (
    ANSI_COLOURS, CSP, LABEL_COLOURS, LOW_CONFIDENCE, SEQUENCE_MARK, ReportOptions, open_report, render_report,
    terminal_lines,
)

from conftest import SEEDS_DIR, run_cli as run

SEED_FILES = sorted(SEEDS_DIR.glob("*.txt"))
HOSTILE = "<script>window.pwned = 1</script>"
HOSTILE_IMAGE = '<img src="x" onerror="window.pwned = 2">'
BROWSER_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")
NO_BROWSER = ("no Chromium found (looked for /usr/bin/chromium, chromium, chromium-browser): install it with "
              "`apt-get install chromium` to run the browser test")
BROWSER_TIMEOUT_MS = 30_000


def paragraph(text: str = "Some text.", label: Label = Label.BODY, confidence: float = 0.9,
              reason: str = "classifier") -> Paragraph:
    return Paragraph(text, label, confidence, reason)


def document(*paragraphs: Paragraph, id: object = "doc") -> Document:
    return Document(list(paragraphs), id=id)


def every_label(id: object = "doc") -> Document:
    """A document with one paragraph of each label, in `Label` order."""
    return document(*(paragraph(f"A {label.value} paragraph.", label) for label in Label), id=id)


def parsed(page: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(page)


def sections(page: str) -> list[list[lxml.html.HtmlElement]]:
    """The paragraph elements of each document section of a report, in order."""
    return [section.cssselect("div.para") for section in parsed(page).cssselect("section.doc")]


# --- the HTML page ----------------------------------------------------------------------------------------------


def test_every_paragraph_appears_exactly_once_in_its_place() -> None:
    documents = [every_label("a"), document(paragraph("one"), paragraph("two", Label.COMMENTS), id="b")]
    found = sections(render_report(documents))
    assert len(found) == len(documents)
    for elements, doc in zip(found, documents):
        assert [e.cssselect(".text")[0].text_content() for e in elements] == [p.text for p in doc.paragraphs]
        assert [e.get("data-label") for e in elements] == doc.labels
        assert all(f"l-{e.get('data-label')}" in e.classes for e in elements)


def test_each_paragraph_shows_its_confidence_and_reason() -> None:
    page = render_report([document(paragraph("x", Label.BYLINE, 0.8312, "sequence"))])
    (element,) = sections(page)[0]
    assert element.get("data-confidence") == "0.8312"
    assert element.cssselect(".conf")[0].text == "0.83"
    assert element.cssselect(".why")[0].text == "sequence"
    assert "confidence 0.8312" in element.get("title") and "reason: sequence" in element.get("title")


def test_text_and_ids_are_escaped() -> None:
    texts = [HOSTILE, HOSTILE_IMAGE, 'a "quoted" & <b>bold</b> line', "</div></section><p>"]
    page = render_report([document(*map(paragraph, texts), id='<img src=x onerror="alert(1)">')])
    assert HOSTILE not in page and HOSTILE_IMAGE not in page and "<b>bold" not in page
    tree = parsed(page)
    assert len(tree.cssselect("script")) == 1 and not tree.cssselect("img, b, p.injected")
    assert [e.cssselect(".text")[0].text_content() for e in sections(page)[0]] == texts
    assert 'onerror="alert(1)">' in tree.cssselect("section.doc h2")[0].text_content()


def test_text_that_utf8_or_html_cannot_hold_becomes_a_replacement_character() -> None:
    page = render_report([document(paragraph("lone \ud800 surrogate"), paragraph("a nul \x00 byte"))])
    page.encode("utf-8")  # writable as it is
    texts = [e.cssselect(".text")[0].text_content() for e in sections(page)[0]]
    assert texts == ["lone \ufffd surrogate", "a nul \ufffd byte"]


def test_the_legend_counts_each_label_and_says_what_is_kept() -> None:
    documents = [every_label("a"), document(paragraph("x", Label.BOILERPLATE), paragraph("y"), id="b")]
    tree = parsed(render_report(documents, ReportOptions(keep=frozenset({Label.BODY}))))
    legend = {box.get("data-filter"): box.getparent() for box in tree.cssselect("input[data-filter]")}
    assert list(legend) == [label.value for label in Label]
    counts = {name: int(entry.cssselect(".count")[0].text) for name, entry in legend.items()}
    assert counts == {"body": 2, "headline": 1, "byline": 1, "boilerplate": 2, "comments": 1, "editorial": 1}
    fates = {name: entry.cssselect(".fate")[0].text for name, entry in legend.items()}
    assert fates["body"] == "kept" and fates["headline"] == "removed"
    assert "2 documents, 8 paragraphs, 6 removed" in tree.cssselect("#side")[0].text_content()


def test_paragraphs_outside_keep_are_marked_removed_and_unsure_ones_outlined() -> None:
    doc = document(paragraph("kept", Label.BODY, 0.99), paragraph("gone", Label.BOILERPLATE, LOW_CONFIDENCE - 0.01))
    kept, removed = sections(render_report([doc]))[0]
    assert "kept" in kept.classes and "low" not in kept.classes
    assert "removed" in removed.classes and "low" in removed.classes


def test_the_index_links_every_document() -> None:
    documents = [every_label("first.txt"), document(id=None), every_label("third.txt")]
    tree = parsed(render_report(documents))
    links = tree.cssselect(".index a")
    assert [a.text for a in links] == ["first.txt", "document 2", "third.txt"]
    assert [a.get("href") for a in links] == [f"#doc-{n}" for n in (1, 2, 3)]
    assert [s.get("id") for s in tree.cssselect("section.doc")] == ["doc-1", "doc-2", "doc-3"]
    assert "no paragraphs" in tree.cssselect("#doc-2")[0].text_content()


def test_the_page_loads_nothing_and_only_its_own_script_may_run() -> None:
    tree = parsed(render_report([every_label()]))
    assert not tree.xpath("//*[@src] | //link | //iframe | //object")
    (script,) = tree.cssselect("script")
    digest = base64.b64encode(hashlib.sha256(script.text.encode()).digest()).decode()
    policy = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert policy == CSP and f"'sha256-{digest}'" in policy and "default-src 'none'" in policy


def test_an_empty_run_is_a_complete_page() -> None:
    tree = parsed(render_report([]))
    assert not tree.cssselect("section.doc") and tree.cssselect("#side") and tree.cssselect("script")
    assert "0 documents, 0 paragraphs" in tree.cssselect("#side")[0].text_content()


def test_a_report_that_fails_on_the_way_is_not_written(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    with pytest.raises(RuntimeError), open_report(target) as report:
        report.add(every_label())
        raise RuntimeError("the run failed")
    assert not target.exists() and not list(tmp_path.iterdir())
    with open_report(target) as report:
        report.add(every_label())
    assert len(sections(target.read_text(encoding="utf-8"))[0]) == len(Label)


# --- the terminal view ------------------------------------------------------------------------------------------


def test_the_terminal_view_prefixes_each_paragraph_with_its_label_and_confidence() -> None:
    doc = document(paragraph("Title", Label.HEADLINE, 0.95), paragraph("Share", Label.BOILERPLATE, 0.5, "sequence"),
                   id="a.txt")
    heading, *lines = terminal_lines(doc)
    assert heading == "== a.txt (2 paragraphs) =="
    assert lines == ["headline    0.95  Title", f"boilerplate 0.50{SEQUENCE_MARK} Share"]
    assert "\x1b" not in "".join(lines)


def test_the_terminal_view_colours_labels_and_dims_removed_text_only_when_asked() -> None:
    doc = document(paragraph("Body", Label.BODY), paragraph("Share", Label.BOILERPLATE))
    _, body, boilerplate = terminal_lines(doc, colour=True, keep=DEFAULT_KEEP)
    assert body.startswith(f"\x1b[{ANSI_COLOURS[Label.BODY]}mbody") and body.endswith(" Body")
    assert boilerplate.startswith(f"\x1b[{ANSI_COLOURS[Label.BOILERPLATE]}m") and "\x1b[2mShare\x1b[0m" in boilerplate


def test_the_terminal_view_sends_no_control_characters_to_the_terminal() -> None:
    doc = document(paragraph("red \x1b[31m text\x07"), paragraph("two\nlines"))
    _, escape, breaks = terminal_lines(doc)
    assert "\x1b" not in escape and "\x07" not in escape and "\ufffd[31m" in escape
    assert "\n" not in breaks and breaks.endswith("two \u23ce lines")


# --- cleaner show and cleaner clean --report --------------------------------------------------------------------


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A text file whose lines are markup that must be shown, never run."""
    path = tmp_path / "hostile.txt"
    path.write_text(f"Local news\n{HOSTILE}\n{HOSTILE_IMAGE}\nShare on Facebook\n", encoding="utf-8")
    return path


def seed_paragraphs() -> list[list[str]]:
    """Each seed's paragraphs, as cleaning splits them."""
    return [split_paragraphs(path.read_text(encoding="utf-8")) for path in SEED_FILES]


def test_show_writes_the_report_of_every_seed_paragraph(tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.html"
    result = run("show", *SEED_FILES, "-o", target)
    assert result.exit_code == 0, result.stderr
    found = sections(target.read_text(encoding="utf-8"))
    assert [[e.cssselect(".text")[0].text_content() for e in elements] for elements in found] == seed_paragraphs()
    assert result.stdout == "" and f"{len(SEED_FILES)} documents" in result.stderr


def test_show_with_dash_or_a_pipe_writes_the_html_to_stdout(hostile: Path) -> None:
    for args in (["-o", "-"], []):  # CliRunner's stdout is no terminal
        result = run("show", hostile, *args)
        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith("<!DOCTYPE html>") and result.stdout.rstrip().endswith("</html>")
        assert len(sections(result.stdout)[0]) == 4


def test_show_terminal_lists_every_paragraph_with_its_label(hostile: Path) -> None:
    result = run("show", "--terminal", hostile, SEED_FILES[0])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"== {hostile.name} (4 paragraphs) =="
    assert lines[2].split()[0] in {label.value for label in Label} and lines[2].endswith(HOSTILE)
    assert "\x1b" not in result.stdout  # no colour off a terminal
    assert sum(line.startswith("== ") for line in lines) == 2


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_one_document_is_shown_in_colour_and_several_need_an_output(
    hostile: Path, shipped_model, monkeypatch: pytest.MonkeyPatch
) -> None:
    screen = FakeTerminal()
    monkeypatch.setattr(sys, "stdout", screen)
    summary = commands.show_paths([str(hostile)], None, commands.CleanOptions(), shipped_model)
    assert summary.documents == 1 and "\x1b[" in screen.getvalue() and "<!DOCTYPE" not in screen.getvalue()
    with pytest.raises(commands.OutputError, match="-o report.html"):
        commands.show_paths([str(hostile), str(SEED_FILES[0])], None, commands.CleanOptions(), shipped_model)


def test_show_of_a_missing_input_is_one_error_line_and_exit_1(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    result = run("show", tmp_path / "absent.txt", "-o", target)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"cleaner: error: {tmp_path / 'absent.txt'}: no such file or folder"
    assert "Traceback" not in result.stderr and not target.exists()


def test_show_refuses_terminal_with_an_output_and_a_report_over_an_input(hostile: Path, tmp_path: Path) -> None:
    result = run("show", "--terminal", hostile, "-o", tmp_path / "r.html")
    assert result.exit_code == 2 and "--terminal prints to stdout" in result.stderr
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>An input page</p></body></html>", encoding="utf-8")
    result = run("show", page, "-o", page)
    assert result.exit_code == 2 and "would overwrite the input" in result.stderr
    assert page.read_text(encoding="utf-8").startswith("<html><body>")


def test_clean_report_shows_what_the_run_removed(tmp_path: Path) -> None:
    out, target = tmp_path / "out", tmp_path / "report.html"
    result = run("clean", *SEED_FILES, "-o", out, "--report", target)
    assert result.exit_code == 0, result.stderr
    assert len(list(out.glob("*.txt"))) == len(SEED_FILES)
    page = target.read_text(encoding="utf-8")
    assert [len(elements) for elements in sections(page)] == [len(p) for p in seed_paragraphs()]
    removed = [e for elements in sections(page) for e in elements if "removed" in e.classes]
    assert removed and all(e.get("data-label") not in {"body", "headline"} for e in removed)


def test_clean_report_from_worker_processes_keeps_every_paragraph(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    result = run("clean", SEEDS_DIR, "-o", tmp_path / "out", "--report", target, "--jobs", "2")
    assert result.exit_code == 0, result.stderr
    assert [len(elements) for elements in sections(target.read_text(encoding="utf-8"))] == \
        [len(p) for p in seed_paragraphs()]


def test_clean_report_refuses_stdout_twice_and_a_report_that_is_the_output(tmp_path: Path) -> None:
    result = run("clean", SEED_FILES[0], "--report", "-")
    assert result.exit_code == 2 and "--report - writes the report to stdout" in result.stderr
    result = run("clean", SEED_FILES[0], "--format", "jsonl", "-o", tmp_path / "x", "--report", tmp_path / "x")
    assert result.exit_code == 2 and "is also the -o output" in result.stderr
    assert not (tmp_path / "x").exists()


# --- in a real browser ------------------------------------------------------------------------------------------


def chromium_path() -> str | None:
    """The system's Chromium (Playwright drives it; no browser is downloaded), or None."""
    for candidate in BROWSER_CANDIDATES:
        found = shutil.which(candidate)
        if found and os.access(found, os.X_OK):
            return found
    return None


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium, or a skip that says how to install it."""
    executable = chromium_path()
    if executable is None:
        pytest.skip(NO_BROWSER)
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is missing: pip install -e '.[test]'")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield launched
        launched.close()


def rgb(colour: str) -> str:
    """A #rrggbb colour as the browser computes it: rgb(r, g, b)."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def test_the_report_in_a_browser(browser, hostile: Path, tmp_path: Path, record_property) -> None:
    target = tmp_path / "report.html"
    result = run("show", *SEED_FILES, hostile, "-o", target)
    assert result.exit_code == 0, result.stderr
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(BROWSER_TIMEOUT_MS)
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(target.as_uri())

    paragraphs = page.locator("div.para")
    total = sum(len(p) for p in seed_paragraphs()) + 4
    assert paragraphs.count() == total
    labels = set(page.eval_on_selector_all("div.para", "els => els.map(e => e.dataset.label)"))
    assert {"body", "boilerplate"} <= labels
    for name in labels:
        background, accent = LABEL_COLOURS[Label(name)]
        first = page.locator(f"div.para.l-{name}").first
        assert first.is_visible()
        style = first.evaluate("e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).borderLeftColor]")
        assert style == [rgb(background), rgb(accent)], name

    page.click('input[data-filter="boilerplate"]')
    assert page.locator("div.para.l-boilerplate:visible").count() == 0
    assert page.locator("div.para.l-body:visible").count() == page.locator("div.para.l-body").count() > 0
    page.click("#removed-only")
    assert page.locator("div.para.l-body:visible").count() == 0
    assert page.locator("div.para.l-boilerplate:visible").count() == page.locator("div.para.l-boilerplate").count()
    page.click("#show-all")
    assert page.locator("div.para:visible").count() == total

    hostile_text = page.locator("div.para .text", has_text="window.pwned = 1")
    assert hostile_text.inner_text() == HOSTILE
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.locator("main img, main script").count() == 0

    page.click("#next-doc")
    assert page.evaluate("location.hash") == "#doc-2"
    page.click('.index a[href="#doc-1"]')
    assert page.evaluate("location.hash") == "#doc-1"
    page.keyboard.press("j")
    assert page.evaluate("location.hash") == "#doc-2"
    page.keyboard.press("k")
    assert page.evaluate("location.hash") == "#doc-1"

    screenshot = tmp_path / "report.png"
    page.screenshot(path=str(screenshot))
    print(f"screenshot of the report: {screenshot}")
    record_property("screenshot", str(screenshot))
    page.close()
    assert screenshot.stat().st_size > 0
    assert problems == []
    assert requests == [target.as_uri()]
