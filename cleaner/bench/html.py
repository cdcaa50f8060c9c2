"""HTML benchmark: cleaner's HTML path beside trafilatura's main text and its defaults, per page type, in one run.

Run as ``python -m cleaner.bench.html [--data PATH] [--sets pages,wcxb-dev,wcxb-dev-other] [--limit N]
[--model PATH] [--json PATH]``.

Extractors, each run once on every page:
- cleaner: `cleaner.clean_documents` over the page bytes (what `cleaner clean` and `clean_html` do), the body
  kept; on a forum page the body and the comments, as ``--keep body,comments`` writes them (LABELING.md labels
  a thread's posts comments, and WCXB's gold of a forum page is its posts);
- trafilatura main text: ``extract(include_comments=False)``, the article text a user who wants the article gets;
- trafilatura defaults: ``extract()``, which appends the comment section it finds;
- trafilatura ``bare_extraction(with_metadata=True)``: the time baseline, and trafilatura's title, author, date.

The metric is WCXB's: each page's word F1 over bags of words (`evaluate.word_overlap`), then the mean over pages;
beside it the micro (word-weighted) precision and recall of the pages pooled. Per page type: ``article`` is
wcxb-dev, the six other types are wcxb-dev-other's, ``pages`` the 181 training pages. The metadata figures
(`cleaner.bench.html_metadata`) and a breakdown by the gold text's language (`cleaner.bench.html_language`)
follow; time per page is measured single-threaded, batch by batch with the extractors in turn, the first
`WARM_UP_PAGES` pages of each set untimed.

wcxb-dev and wcxb-dev-other: WCXB, Murrough Foley (CC-BY-4.0).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from statistics import mean
from typing import Any

import trafilatura
from threadpoolctl import threadpool_limits

import cleaner
from cleaner.api import BATCH_DOCUMENTS
from cleaner.bench.html_language import guess_language
from cleaner.bench.html_metadata import PageMetadata, metadata_accuracy
from cleaner.labels import Label
from cleaner.pipeline.io import kept_text
from cleaner.training.align import HtmlPair, read_html_pairs
from cleaner.training.pages import page_types
from cleaner.training.data import jsonl_records
from cleaner.training.evaluate import WordOverlap, word_overlap

REPO = Path(__file__).resolve().parents[2]
DEFAULT_DATA = REPO.parent / "shared" / "data"  # read in place: the data is never copied into the repository
PAGES_SET, WCXB_SET, WCXB_OTHER_SET = "pages", "wcxb-dev", "wcxb-dev-other"
SETS = (PAGES_SET, WCXB_SET, WCXB_OTHER_SET)
CREDIT = "wcxb-dev, wcxb-dev-other: WCXB, Murrough Foley (CC-BY-4.0)"
SINGLE_THREAD = 1
MS = 1000
WARM_UP_PAGES = 3  # each set's first pages are not timed: first-call costs (caches, imports) are not speed
MIN_LANGUAGE_PAGES = 5  # languages with fewer pages are left out of the printed breakdown
TYPE_WIDTH, SOURCE_WIDTH, COLUMN_WIDTH = 17, 30, 19  # the printed tables' columns

ARTICLE, FORUM = "article", "forum"
SET_TYPE = {PAGES_SET: PAGES_SET, WCXB_SET: ARTICLE}  # the page type of a set without a `page_type` per page
OTHER_TYPES = ("forum", "service", "listing", "product", "collection", "documentation")
TYPES = (ARTICLE, *OTHER_TYPES, PAGES_SET)
ALL_WCXB, WCXB_OTHER = "all WCXB", "WCXB other types"
THREAD_KEEP = frozenset({Label.BODY, Label.COMMENTS})  # what `--keep body,comments` writes: a forum's content

CLEANER, CLEANER_BODY, CLEANER_THREAD = "cleaner", "cleaner (body)", "cleaner (body,comments)"
MAIN, DEFAULTS, BARE = "trafilatura main text", "trafilatura defaults", "trafilatura bare_extraction .text"
SCORED = (CLEANER, MAIN, DEFAULTS)  # the printed columns; the others are in the JSON
TIMED_CLEANER, TIMED_BASELINE = "cleaner", "trafilatura bare_extraction(with_metadata=True)"
METADATA_GROUPS = (ARTICLE, WCXB_OTHER, ALL_WCXB)  # the printed metadata columns; every type is in the JSON


@dataclass(frozen=True, slots=True)
class BenchPage:
    """One page of a benchmark set, with its set and its page type."""

    pair: HtmlPair
    set: str
    page_type: str


@dataclass
class PageOutput:
    """What the extractors made of one page: the texts scored, cleaner's document, trafilatura's metadata."""

    texts: dict[str, str]
    document: cleaner.Document
    trafilatura: dict[str, str | None]


@dataclass
class SetRun:
    """Every page's output of one set, and each timed extractor's seconds over the timed pages."""

    outputs: list[PageOutput] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    timed_pages: int = 0
    failures: list[dict[str, str]] = field(default_factory=list)


def read_set(data: Path, name: str) -> list[BenchPage]:
    """A set's pages with gold text, in id order, each with its page type."""
    root = data / name
    types = page_types(root)
    return [BenchPage(pair, name, types.get(pair.id, SET_TYPE.get(name, name))) for pair in read_html_pairs(root)]


def failed(failures: list[dict[str, str]], extractor: str, page: BenchPage, error: Exception) -> None:
    """Record that `extractor` raised on `page`: the page is scored with an empty output, and the failure listed."""
    failures.append({"extractor": extractor, "set": page.set, "id": page.pair.id, "error": f"{type(error).__name__}: {error}"})


def cleaner_batch(pages: Sequence[BenchPage], model: cleaner.Model, failures: list[dict[str, str]]) -> list[cleaner.Document]:
    """cleaner's HTML path over a batch of pages (bytes, decoded by cleaner), as `cleaner clean` runs it."""
    records = ({"id": page.pair.id, "html": page.pair.html, "url": page.pair.url} for page in pages)
    try:
        return list(cleaner.clean_documents(records, model=model, batch_size=max(1, len(pages))))
    except Exception:  # one page that raises fails its batch: the pages again one by one, to know which
        return [cleaner_page(page, model, failures) for page in pages]


def cleaner_page(page: BenchPage, model: cleaner.Model, failures: list[dict[str, str]]) -> cleaner.Document:
    """`clean_html` on one page; an empty document when it raises."""
    try:
        return cleaner.clean_html(page.pair.html, page.pair.url, model=model)
    except Exception as error:  # a benchmark scores every page: the failure is listed, the page scores 0
        failed(failures, CLEANER, page, error)
        return cleaner.Document([], id=page.pair.id)


def bare_batch(pages: Sequence[BenchPage], failures: list[dict[str, str]]) -> list[Any]:
    """trafilatura's `bare_extraction` with its metadata, at its defaults, over each page (None when it raises)."""
    found = []
    for page in pages:
        try:
            found.append(trafilatura.bare_extraction(page.pair.html, url=page.pair.url, with_metadata=True))
        except Exception as error:  # as cleaner_page
            failed(failures, TIMED_BASELINE, page, error)
            found.append(None)
    return found


def extract_batch(pages: Sequence[BenchPage], name: str, failures: list[dict[str, str]], **options: Any) -> list[str]:
    """trafilatura's `extract` with `options` over each page (bytes, decoded by trafilatura; "" when it raises)."""
    texts = []
    for page in pages:
        try:
            texts.append(trafilatura.extract(page.pair.html, url=page.pair.url, **options) or "")
        except Exception as error:  # as cleaner_page
            failed(failures, name, page, error)
            texts.append("")
    return texts


def timed(seconds: dict[str, float], name: str, work: Callable[[], list[Any]], clock: bool) -> list[Any]:
    """Run `work`, adding its wall time to `seconds[name]` when `clock` is set."""
    began = time.perf_counter()
    result = work()
    if clock:
        seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - began
    return result


def batches(pages: Sequence[BenchPage]) -> Iterable[tuple[Sequence[BenchPage], bool]]:
    """The warm-up pages (untimed), then the rest in cleaner's batch size, each with whether it is timed."""
    yield pages[:WARM_UP_PAGES], False
    for start in range(WARM_UP_PAGES, len(pages), BATCH_DOCUMENTS):
        yield pages[start : start + BATCH_DOCUMENTS], True


def run_set(pages: Sequence[BenchPage], model: cleaner.Model) -> SetRun:
    """Every extractor once over every page, batch by batch and one after the other within a batch, so that a
    change in the machine's load weighs on all of them alike."""
    run = SetRun()
    for batch, clock in batches(pages):
        documents = timed(run.seconds, TIMED_CLEANER, lambda: cleaner_batch(batch, model, run.failures), clock)
        found = timed(run.seconds, TIMED_BASELINE, lambda: bare_batch(batch, run.failures), clock)
        main = timed(run.seconds, MAIN, lambda: extract_batch(batch, MAIN, run.failures, include_comments=False), clock)
        defaults = timed(run.seconds, DEFAULTS, lambda: extract_batch(batch, DEFAULTS, run.failures), clock)
        run.timed_pages += len(batch) if clock else 0
        for page, document, bare, main_text, default_text in zip(batch, documents, found, main, defaults):
            run.outputs.append(page_output(page, document, bare, main_text, default_text))
    return run


def page_output(page: BenchPage, document: cleaner.Document, bare: Any, main: str, defaults: str) -> PageOutput:
    """The texts each extractor is scored with on one page, and the metadata each found."""
    thread = kept_text(document, THREAD_KEEP).rstrip("\n")
    texts = {CLEANER: thread if page.page_type == FORUM else document.body, CLEANER_BODY: document.body,
             CLEANER_THREAD: thread, MAIN: main, DEFAULTS: defaults, BARE: (bare.text or "") if bare else ""}
    meta = {name: getattr(bare, name, None) if bare else None for name in ("title", "author", "date")}
    return PageOutput(texts, document, meta)


def summary(overlaps: Sequence[WordOverlap]) -> dict[str, float | int]:
    """n, mean page F1 (WCXB's figure), and the micro precision, recall and F1 of the pages' words pooled."""
    total = sum(overlaps, WordOverlap())
    return {"n": len(overlaps), "mean_page_f1": mean(o.f1 for o in overlaps) if overlaps else 0.0,
            "micro_precision": total.precision, "micro_recall": total.recall, "micro_f1": total.f1,
            "empty": sum(not o.predicted for o in overlaps)}


def groups_of(page: BenchPage) -> list[str]:
    """The rows of the per-type table a page counts in: its type, and the pooled WCXB rows."""
    if page.set == PAGES_SET:
        return [page.page_type]
    return [page.page_type, ALL_WCXB] + ([WCXB_OTHER] if page.set == WCXB_OTHER_SET else [])


def scores(pages: Sequence[BenchPage], outputs: Sequence[PageOutput]) -> dict[str, list[WordOverlap]]:
    """Each extractor's word overlap on every page, by extractor name, in page order."""
    names = list(outputs[0].texts) if outputs else []
    return {name: [word_overlap(out.texts[name], page.pair.gold.body) for page, out in zip(pages, outputs)]
            for name in names}


def per_type(pages: Sequence[BenchPage], overlaps: dict[str, list[WordOverlap]]) -> dict[str, dict[str, Any]]:
    """Each page type's (and pooled group's) summary for every extractor."""
    members: dict[str, list[int]] = {}
    for index, page in enumerate(pages):
        for group in groups_of(page):
            members.setdefault(group, []).append(index)
    order = [*TYPES, WCXB_OTHER, ALL_WCXB]
    return {group: {name: summary([values[i] for i in members[group]]) for name, values in overlaps.items()}
            for group in order if group in members}


def page_metadata(page: BenchPage, out: PageOutput) -> PageMetadata:
    """One page's gold title, author and date, and every source's value for them."""
    meta = out.document.metadata
    gold = {"title": page.pair.gold.title, "author": page.pair.gold.author, "date": page.pair.gold.date}
    found = {
        "title": {"cleaner doc.title": out.document.title, "cleaner metadata['title']": meta.get("title"),
                  "trafilatura": out.trafilatura["title"]},
        "author": {"cleaner metadata['author']": meta.get("author"),
                   "cleaner metadata['authors']": "; ".join(meta.get("authors") or []) or None,
                   "trafilatura": out.trafilatura["author"]},
        "date": {"cleaner metadata['date']": meta.get("date"),
                 "cleaner metadata['dates']": (meta.get("dates") or [None])[0],
                 "trafilatura": out.trafilatura["date"]},
    }
    return PageMetadata(gold, found)


def metadata_figures(pages: Sequence[BenchPage], outputs: Sequence[PageOutput]) -> dict[str, Any]:
    """Metadata accuracy of the WCXB pages (the only ones with gold metadata), by group and by page type."""
    records = [(page, page_metadata(page, out)) for page, out in zip(pages, outputs) if page.set != PAGES_SET]
    groups: dict[str, list[PageMetadata]] = {}
    for page, record in records:
        for group in groups_of(page):
            groups.setdefault(group, []).append(record)
    return {group: metadata_accuracy(groups[group]) for group in [*TYPES, WCXB_OTHER, ALL_WCXB] if group in groups}


def language_figures(pages: Sequence[BenchPage], overlaps: dict[str, list[WordOverlap]]) -> dict[str, dict[str, Any]]:
    """Mean page F1 of cleaner and trafilatura's main text per language of the gold text, most pages first."""
    languages = [guess_language(page.pair.gold.body) for page in pages]
    figures = {}
    for language in sorted(set(languages), key=lambda name: (-languages.count(name), name)):
        chosen = [i for i, guessed in enumerate(languages) if guessed == language]
        figures[language] = {"n": len(chosen)} | {name: mean(overlaps[name][i].f1 for i in chosen)
                                                   for name in (CLEANER, MAIN, DEFAULTS)}
    return figures


def page_rows(pages: Sequence[BenchPage], overlaps: dict[str, list[WordOverlap]]) -> list[dict[str, Any]]:
    """Every page's set, id, type, guessed language and page F1 per extractor: where the means come from."""
    return [{"set": page.set, "id": page.pair.id, "type": page.page_type, "language": guess_language(page.pair.gold.body),
             "gold_words": overlaps[CLEANER][i].gold if CLEANER in overlaps else None}
            | {name: round(values[i].f1, 4) for name, values in overlaps.items()} for i, page in enumerate(pages)]


def time_figures(runs: dict[str, SetRun]) -> dict[str, Any]:
    """ms per timed page of every extractor per set and over all sets, and cleaner's ratio to bare_extraction."""
    figures: dict[str, Any] = {}
    for name, run in [*runs.items(), ("all", pooled_time(runs.values()))]:
        if run.timed_pages:
            ms = {extractor: MS * seconds / run.timed_pages for extractor, seconds in run.seconds.items()}
            figures[name] = {"timed_pages": run.timed_pages, "ms_per_page": ms,
                             "ratio": ms[TIMED_CLEANER] / ms[TIMED_BASELINE]}
    return figures


def pooled_time(runs: Iterable[SetRun]) -> SetRun:
    """The seconds and timed pages of several sets added up."""
    total = SetRun()
    for run in runs:
        total.timed_pages += run.timed_pages
        for extractor, seconds in run.seconds.items():
            total.seconds[extractor] = total.seconds.get(extractor, 0.0) + seconds
    return total


def chosen_pages(options: argparse.Namespace, name: str) -> tuple[list[BenchPage], int]:
    """The pages of set `name` that are measured (`--leave-out`, `--limit`), and how many were left out."""
    pages = read_set(options.data, name)
    kept = [page for page in pages if page.pair.id not in options.leave_out]
    return kept[: options.limit], len(pages) - len(kept)


def measure(options: argparse.Namespace) -> dict[str, Any]:
    """Every figure of the benchmark, over the sets `options.sets`."""
    model = cleaner.load_model(options.model, trust=True) if options.model else cleaner.load_model()
    figures: dict[str, Any] = {"model": str(model.path), "model_sha256_12": model.card.get("model_sha256", "")[:12]}
    pages: list[BenchPage] = []
    runs: dict[str, SetRun] = {}
    with threadpool_limits(limits=SINGLE_THREAD):  # as cleaner.bench.run: one process, one thread
        for name in options.sets:
            chosen, left_out = chosen_pages(options, name)
            runs[name] = run_set(chosen, model)
            pages += chosen
            figures[name] = {"pages": len(chosen), "left_out": left_out, "failures": runs[name].failures}
    outputs = [out for run in runs.values() for out in run.outputs]
    overlaps = scores(pages, outputs)
    figures |= {"types": per_type(pages, overlaps), "metadata": metadata_figures(pages, outputs),
                "time": time_figures(runs), "languages": language_figures(pages, overlaps),
                "per_page": page_rows(pages, overlaps)}
    figures["machine"] = {"cpus": os.cpu_count(), "load_average_1m": os.getloadavg()[0],
                          "python": platform.python_version(),
                          "trafilatura": metadata.version("trafilatura"), "cleaner": metadata.version("cleaner")}
    return figures


def type_rows(types: dict[str, dict[str, Any]]) -> list[str]:
    """One row per page type: n, then mean page F1 / micro P / micro R of each scored extractor."""
    head = f"{'page type':<{TYPE_WIDTH}} {'n':>4}" + "".join(f" | {name[:23]:^23}" for name in SCORED)
    sub = f"{'':<{TYPE_WIDTH}} {'':>4}" + " | page F1  micro P  R  " * len(SCORED)
    lines = [head, sub.rstrip()]
    for group, row in types.items():
        cells = "".join(f" | {row[name]['mean_page_f1']:>7.3f} {row[name]['micro_precision']:>7.3f} "
                        f"{row[name]['micro_recall']:>6.3f}" for name in SCORED)
        lines.append(f"{group:<{TYPE_WIDTH}} {row[CLEANER]['n']:>4}{cells}")
    if FORUM in types:
        body_only = types[FORUM][CLEANER_BODY]
        lines.append(f"(forum: cleaner scored as --keep body,comments writes it; body alone: page F1 "
                     f"{body_only['mean_page_f1']:.3f}, P {body_only['micro_precision']:.3f}, "
                     f"R {body_only['micro_recall']:.3f})")
    return lines


def metadata_rows(groups: dict[str, Any]) -> list[str]:
    """Accuracy (pages with a gold value) per field and source, in the article / other / all WCXB columns."""
    shown = [group for group in METADATA_GROUPS if group in groups]
    if not shown:
        return []
    lines = ["metadata: exact match after lower-casing and stripping punctuation (dates as ISO days), "
             "over the pages whose gold has the field",
             f"{'field':<6} {'source':<{SOURCE_WIDTH}}" + "".join(f" {group:>{COLUMN_WIDTH}}" for group in shown)]
    for field_name, figures in groups[shown[0]].items():
        for source in figures["sources"]:
            cells = []
            for group in shown:
                row = groups[group][field_name]["sources"].get(source)
                cells.append(f"{row['accuracy']:.3f} ({row['found']}/{row['pages']})" if row and row["pages"] else "-")
            lines.append(f"{field_name:<6} {source:<{SOURCE_WIDTH}}" + "".join(f" {c:>{COLUMN_WIDTH}}" for c in cells))
    lines.append("(found/pages: how many found a value / pages with a gold value)")
    for field_name, figures in groups.get(ALL_WCXB, groups[shown[0]]).items():
        split = figures["disagreement"]
        lines.append(f"{field_name}: {split['sources']} both found on {split['both_found']} pages, "
                     f"differ on {split['differ']}")
    return lines


def time_rows(times: dict[str, Any]) -> list[str]:
    """ms per page of cleaner and of bare_extraction per set, and their ratio."""
    if not times:
        return ["time: not measured (too few pages beyond the warm-up)"]
    lines = ["time per page (one thread, each page once, the warm-up pages untimed):",
             f"{'set':<{TYPE_WIDTH}} {'pages':>5} {'cleaner':>9} {'bare_extraction':>16} {'ratio':>6} "
             f"{'main text':>10} {'defaults':>9}"]
    for name, row in times.items():
        ms = row["ms_per_page"]
        lines.append(f"{name:<{TYPE_WIDTH}} {row['timed_pages']:>5} {ms[TIMED_CLEANER]:>7.1f}ms "
                     f"{ms[TIMED_BASELINE]:>14.1f}ms {row['ratio']:>5.2f}x {ms[MAIN]:>8.1f}ms {ms[DEFAULTS]:>7.1f}ms")
    lines.append(f"(ratio: cleaner / {TIMED_BASELINE})")
    return lines


def language_rows(languages: dict[str, Any]) -> list[str]:
    """Mean page F1 per language of the gold text (languages with at least MIN_LANGUAGE_PAGES pages)."""
    lines = [f"mean page F1 by the gold text's language (its common function words; n >= {MIN_LANGUAGE_PAGES}):",
             f"{'language':<{TYPE_WIDTH}} {'n':>5} {'cleaner':>8} {'main text':>10} {'defaults':>9}"]
    for language, row in languages.items():
        if row["n"] >= MIN_LANGUAGE_PAGES:
            lines.append(f"{language:<{TYPE_WIDTH}} {row['n']:>5} {row[CLEANER]:>8.3f} {row[MAIN]:>10.3f} "
                         f"{row[DEFAULTS]:>9.3f}")
    return lines


def format_figures(figures: dict[str, Any], sets: Sequence[str]) -> str:
    """Every table of the figures, then the model and the credit line."""
    left_out = [f"{name}: {figures[name]['left_out']} pages left out (--leave-out)"
                for name in sets if figures[name].get("left_out")]
    failures = [f"{row['extractor']} raised on {row['set']}/{row['id']} (scored as empty): {row['error'][:120]}"
                for name in sets for row in figures[name].get("failures", [])]
    lines = [*type_rows(figures["types"]), *left_out, *failures, "", *metadata_rows(figures["metadata"]), "",
             *time_rows(figures["time"]), "", *language_rows(figures["languages"]), "",
             f"sets {', '.join(sets)}; model {figures['model']} ({figures['model_sha256_12']}); "
             f"trafilatura {figures['machine']['trafilatura']}; load average {figures['machine']['load_average_1m']:.1f}",
             CREDIT]
    return "\n".join(lines)


def table(figures: dict[str, Any], sets: Sequence[str] = SETS) -> str:
    """The figures as text: the per-type table, metadata accuracy, time per page, and the languages."""
    return format_figures(figures, [name for name in sets if name in figures])


def labeled_ids(path: str) -> set[str]:
    """The page ids of a labels file of `cleaner train --train-html` (JSONL records with an "id")."""
    return {record["id"] for _, record in jsonl_records(Path(path))}


def parse_options(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line's options; unknown sets are an error naming the known ones."""
    parser = argparse.ArgumentParser(prog="python -m cleaner.bench.html", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"data root (default {DEFAULT_DATA})")
    parser.add_argument("--sets", type=lambda value: [s for s in value.split(",") if s], default=list(SETS),
                        help=f"comma-separated sets, from: {', '.join(SETS)} (default: all)")
    parser.add_argument("--limit", type=int, help="only the first N pages of each set (a quick look)")
    parser.add_argument("--model", help="a model file to benchmark instead of the shipped one (loaded as trusted)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--leave-out", type=labeled_ids, default=set(), metavar="LABELS",
                        help="leave out the pages a labels file of `--train-html` names (a model trained on them)")
    options = parser.parse_args(argv)
    unknown = set(options.sets) - set(SETS)
    if unknown:
        parser.error(f"unknown sets {sorted(unknown)} (expected some of: {', '.join(SETS)})")
    return options


def main(argv: Sequence[str] | None = None) -> None:
    options = parse_options(argv)
    figures = measure(options)
    print(table(figures, options.sets))
    if options.json:
        options.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
