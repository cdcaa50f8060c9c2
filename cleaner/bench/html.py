"""HTML benchmark: body word-F1 and time per page of cleaner's HTML path against trafilatura alone, in one run.

Run as ``python -m cleaner.bench.html [--data PATH] [--sets pages,wcxb-dev] [--limit N] [--model PATH] [--json PATH]``.

Each page's predicted body is compared with its gold article text as bags of words (`evaluate.word_overlap`);
the F1 of a set sums the overlaps of its pages, so every page counts by its number of words. trafilatura runs
with its default settings, with ``favor_precision=True``, and with cleaner's own extraction settings and
metadata (all its text as the body: what cleaner starts from). The extractors run batch by batch, one after the
other on each batch, and cleaner's time per page is given as a ratio to trafilatura's default and to trafilatura
with cleaner's settings (cleaner's own overhead). The structured byline's author and date are compared with the
gold ``author`` and ``publish_date`` of the sets that have them (wcxb-dev).

wcxb-dev is the development split of WCXB, by Murrough Foley (CC-BY-4.0).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from statistics import mean
from typing import Any

import trafilatura
from threadpoolctl import threadpool_limits

import cleaner
from cleaner.training.align import HtmlPair, read_html_pairs
from cleaner.api import BATCH_DOCUMENTS
from cleaner.training.data import jsonl_records
from cleaner.text.byline import normalized_author, normalized_date
from cleaner.training.evaluate import WordOverlap, word_overlap
from cleaner.html.extract import DATE_OPTIONS, EXTRACTION_OPTIONS

REPO = Path(__file__).resolve().parents[2]
DEFAULT_DATA = REPO.parent / "shared" / "data"  # read in place: the data is never copied into the repository
PAGES_SET, WCXB_SET = "pages", "wcxb-dev"
SETS = (PAGES_SET, WCXB_SET)
CREDIT = "wcxb-dev: WCXB development split, by Murrough Foley (CC-BY-4.0)"
SINGLE_THREAD = 1
MS = 1000


READERS: dict[str, Callable[[Path], Iterator[HtmlPair]]] = {PAGES_SET: read_html_pairs, WCXB_SET: read_html_pairs}
WARM_UP_PAGES = 3  # each extractor's first pages are not timed: first-call costs (caches, imports) are not speed
CLEANER = "cleaner"
DEFAULT_BASELINE = "trafilatura (default)"
SAME_SETTINGS_BASELINE = "trafilatura (cleaner's settings)"


@dataclass
class Run:
    """What one extractor predicted for a set of pages, and how long it took."""

    bodies: list[str]
    seconds: float = 0.0
    documents: list[cleaner.Document] | None = None


# An extractor: the body of each page of a batch, and the documents when it is cleaner.
Extractor = Callable[[Sequence[HtmlPair]], Run]


def cleaner_run(model: cleaner.Model) -> Extractor:
    """cleaner's HTML path, `clean_documents` over the batch's pages (bytes, decoded by cleaner)."""
    def run(pages: Sequence[HtmlPair]) -> Run:
        records = ({"id": page.id, "html": page.html, "url": page.url} for page in pages)
        documents = list(cleaner.clean_documents(records, model=model, batch_size=max(1, len(pages))))
        return Run([doc.body for doc in documents], documents=documents)
    return run


def trafilatura_run(**options: Any) -> Extractor:
    """`trafilatura.extract` with `options` over each page (bytes, decoded by trafilatura)."""
    def run(pages: Sequence[HtmlPair]) -> Run:
        return Run([trafilatura.extract(page.html, url=page.url, **options) or "" for page in pages])
    return run


def same_settings_run(pages: Sequence[HtmlPair]) -> Run:
    """trafilatura with cleaner's extraction settings and metadata, alone: all the text it extracts (comments
    included) as the body. Its time is what cleaner's HTML path costs before cleaner's own work."""
    bodies = []
    for page in pages:
        found = trafilatura.bare_extraction(page.html, url=page.url, with_metadata=True,
                                            date_extraction_params=DATE_OPTIONS, **EXTRACTION_OPTIONS)
        bodies.append("\n".join(filter(None, (found.text, found.comments))) if found is not None else "")
    return Run(bodies)


BASELINES: dict[str, Extractor] = {
    DEFAULT_BASELINE: trafilatura_run(),
    "trafilatura (favor_precision)": trafilatura_run(favor_precision=True),
    SAME_SETTINGS_BASELINE: same_settings_run,
}


def run_all(pages: Sequence[HtmlPair], extractors: dict[str, Extractor]) -> dict[str, Run]:
    """Every extractor over the same pages, batch by batch (cleaner's batch size), one after the other within a
    batch, so that a change in the machine's load weighs on all of them alike; each one warmed up first."""
    for extract in extractors.values():
        extract(pages[:WARM_UP_PAGES])
    runs = {name: Run([], 0.0, [] if name == CLEANER else None) for name in extractors}
    for start in range(0, len(pages), BATCH_DOCUMENTS):
        batch = pages[start : start + BATCH_DOCUMENTS]
        for name, extract in extractors.items():
            began = time.perf_counter()
            result = extract(batch)
            runs[name].seconds += time.perf_counter() - began
            runs[name].bodies += result.bodies
            if result.documents is not None:
                runs[name].documents += result.documents
    return runs


def quality(pages: Sequence[HtmlPair], run: Run) -> dict[str, Any]:
    """Word-weighted precision, recall and F1 over the set, the mean per-page F1, and milliseconds per page."""
    overlaps = [word_overlap(body, page.gold.body) for body, page in zip(run.bodies, pages)]
    total = sum(overlaps, WordOverlap())
    return {"f1": total.f1, "precision": total.precision, "recall": total.recall,
            "mean_page_f1": mean(o.f1 for o in overlaps), "ms_per_page": MS * run.seconds / len(pages),
            "empty_bodies": sum(not body.strip() for body in run.bodies)}


def first(values: Sequence[str] | None) -> str | None:
    return values[0] if values else None


# Where an author and a date can come from: the structured byline (cleaner's byline paragraphs), trafilatura's
# page metadata, or the byline with trafilatura's metadata where the byline has none.
AUTHOR_SOURCES: dict[str, Callable[[dict[str, Any]], str | None]] = {
    "byline": lambda m: first(m.get("authors")),
    "trafilatura": lambda m: m.get("author"),
    "byline, else trafilatura": lambda m: first(m.get("authors")) or m.get("author"),
}
DATE_SOURCES: dict[str, Callable[[dict[str, Any]], str | None]] = {
    "byline": lambda m: first(m.get("dates")),
    "trafilatura": lambda m: m.get("date"),
    "byline, else trafilatura": lambda m: first(m.get("dates")) or m.get("date"),
}


def byline_accuracy(pages: Sequence[HtmlPair], documents: Sequence[cleaner.Document]) -> dict[str, Any]:
    """Exact-match accuracy (after normalisation) of the first author and the first date from each source,
    on the pages whose gold has that field."""
    figures: dict[str, Any] = {}
    for name, gold_of, sources, normalize in (
        ("author", lambda p: p.gold.author, AUTHOR_SOURCES, normalized_author),
        ("date", lambda p: p.gold.date, DATE_SOURCES, normalized_date),
    ):
        scored = [(normalize(gold_of(p)), d.metadata) for p, d in zip(pages, documents) if gold_of(p)]
        for source, found_of in sources.items():
            found = [normalize(found_of(metadata)) for _, metadata in scored]
            right = sum(g == f for (g, _), f in zip(scored, found))
            figures[f"{name} from {source}"] = {
                "pages": len(scored), "found": sum(bool(f) for f in found),
                "accuracy": right / len(scored) if scored else None,
                "accuracy_when_found": right / max(1, sum(bool(f) for f in found)),
            }
    return figures


def measure_set(pages: Sequence[HtmlPair], model: cleaner.Model) -> dict[str, Any]:
    """Every extractor's quality and time over the same pages, and cleaner's time against trafilatura's."""
    runs = run_all(pages, {CLEANER: cleaner_run(model), **BASELINES})
    figures: dict[str, Any] = {"pages": len(pages)}
    figures.update({name: quality(pages, run) for name, run in runs.items()})
    ms = figures[CLEANER]["ms_per_page"]
    figures["time_ratio"] = {name: ms / figures[name]["ms_per_page"] for name in (DEFAULT_BASELINE, SAME_SETTINGS_BASELINE)}
    if any(page.gold.author or page.gold.date for page in pages):
        figures["byline"] = byline_accuracy(pages, runs[CLEANER].documents or [])
    return figures


def measure(options: argparse.Namespace) -> dict[str, Any]:
    model = cleaner.load_model(options.model, trust=True) if options.model else cleaner.load_model()
    figures: dict[str, Any] = {"model": str(model.path), "model_sha256_12": model.card.get("model_sha256", "")[:12]}
    with threadpool_limits(limits=SINGLE_THREAD):  # as cleaner.bench.run: one process, one thread
        for name in options.sets:
            pages = list(READERS[name](options.data / name))
            kept = [page for page in pages if page.id not in options.leave_out]
            figures[name] = measure_set(kept[: options.limit], model) | {"left_out": len(pages) - len(kept)}
    figures["machine"] = {"cpus": os.cpu_count(), "load_average_1m": os.getloadavg()[0],
                          "python": platform.python_version(),
                          "trafilatura": metadata.version("trafilatura"), "cleaner": metadata.version("cleaner")}
    return figures


def table(figures: dict[str, Any], sets: Sequence[str]) -> str:
    """The figures as one row per set and extractor, then the byline accuracies."""
    lines = [f"{'set':<10} {'extractor':<34} {'F1':>6} {'P':>6} {'R':>6} {'page F1':>8} {'ms/page':>8} {'empty':>6}"]
    for name in sets:
        for extractor, row in figures[name].items():
            if isinstance(row, dict) and "f1" in row:
                lines.append(f"{name:<10} {extractor:<34} {row['f1']:>6.3f} {row['precision']:>6.3f} "
                             f"{row['recall']:>6.3f} {row['mean_page_f1']:>8.3f} {row['ms_per_page']:>8.1f} "
                             f"{row['empty_bodies']:>6}")
        ratios = figures[name]["time_ratio"]
        if figures[name].get("left_out"):
            lines.append(f"{name:<10} {figures[name]['pages']} pages ({figures[name]['left_out']} left out: --leave-out)")
        lines.append(f"{name:<10} cleaner's time per page: " + ", ".join(f"{ratio:.2f}x {extractor}" for extractor, ratio in ratios.items()))
        for field_name, row in figures[name].get("byline", {}).items():
            if row["accuracy"] is not None:
                lines.append(f"{name:<10} {field_name:<35} accuracy {row['accuracy']:.3f} "
                             f"({row['found']} found, {row['pages']} pages with a gold value; "
                             f"{row['accuracy_when_found']:.3f} of those found)")
    lines.append(f"model {figures['model']} ({figures['model_sha256_12']}); {CREDIT}")
    return "\n".join(lines)


def labeled_ids(path: str) -> set[str]:
    """The page ids of a labels file of `cleaner train --train-html` (JSONL records with an "id")."""
    return {record["id"] for _, record in jsonl_records(Path(path))}


def parse_options(argv: Sequence[str] | None) -> argparse.Namespace:
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
