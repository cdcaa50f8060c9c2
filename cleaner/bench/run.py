"""Benchmark: model load time, cleaner's speed and memory, and jusText over the same paragraphs, in one run.

Run as ``python -m cleaner.bench [--paragraphs N] [--jobs N] [--rss-sizes MB,MB] [--data PATH] [--json PATH] [--profile]``.

Speed figures are never tests: machines differ, so what carries meaning is the ratio of cleaner to
jusText measured in the same run, on the same corpus of real pages (each document once: no cycling that keeps
caches warm). The plain-text passes label every
paragraph and fill the label streams, which is what a text output needs; they do not read
``Document.metadata``, so byline dates are not parsed (a JSONL output parses them: see the memory runs).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import html
import json
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from functools import cached_property
from importlib import metadata
from itertools import accumulate, cycle, islice
from pathlib import Path
from statistics import median
from typing import Any

from threadpoolctl import threadpool_info, threadpool_limits

import cleaner
from cleaner.bench import html as bench_html
from cleaner.api import BATCH_DOCUMENTS
from cleaner.bench.memory import measure_long_document, measure_memory, workers_cpu_seconds
from cleaner.labels import Label
from cleaner.pipeline.parallel import CHUNKS_PER_WORKER, ParallelOptions, clean_stream
from cleaner.text.segment import INVISIBLE

REPO = Path(__file__).resolve().parents[2]
SEEDS_DIR = REPO / "seeds"
SEED_GLOB = "*.txt"
DEFAULT_DATA = REPO.parent / "shared" / "data"  # read in place: the data is never copied into the repository
TRAIN_GLOB = "train/container/*.tsv"
PAGE_SETS = ("wcxb-dev", "wcxb-dev-other")  # their HTML, rendered as whole-page text
PAGE_GLOB = "*.html.gz"
TSV_TEXT_COLUMN = 2  # index<TAB>prelabel<TAB>text
DEFAULT_PARAGRAPHS = 50_000  # the training pages and the first few hundred WCXB pages
# The pass with the default thread pools only covers a prefix of the corpus: on a busy machine its
# OpenMP barriers can make it fifty times slower, and the whole corpus would then blow the time budget.
DEFAULT_THREADED_PARAGRAPHS = 0  # prediction from arrays runs no OpenMP: the pass is kept for older comparisons
DEFAULT_JOBS = 2  # the 2-core development machine: one worker per core
DEFAULT_LONG_LINES = 1_000_000  # the one-million-line document (about 2 minutes)
DEFAULT_RSS_SIZES_MB = (100, 1000)  # the two sizes; cleaning 1 GB takes minutes, --rss-sizes 10,100 is quicker
DEFAULT_LOAD_RUNS = 3  # fresh interpreters for the load time; the median hides one cold disk cache
SINGLE_THREAD = 1
JUSTEXT_LANGUAGE = "English"
JUSTEXT_INSTALL = "pip install jusText lxml_html_clean"
MB = 1_000_000  # bytes; throughput and memory both in decimal megabytes
KIB = 1024  # the unit of ru_maxrss on Linux
PROFILE_INTERVAL_S = 0.0005  # pyinstrument's sampling interval
# A line holding only white space and zero-width marks is no paragraph to cleaner's segmenter (nor to jusText),
# so such lines are left out of the corpus: both tools then see exactly the same paragraphs.
VISIBLE = re.compile(rf"[^\s{INVISIBLE}]")

# Runs in a fresh interpreter, so that neither the import nor the model comes from a cache of this process.
LOAD_SCRIPT = """
import json, resource, time
start = time.perf_counter()
import cleaner, cleaner.api  # what cleaning text needs (import cleaner alone is lazy)
imported = time.perf_counter()
cleaner.load_model()
loaded = time.perf_counter()
print(json.dumps({"import_s": imported - start, "load_s": loaded - imported,
                  "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


@dataclass(frozen=True)
class Corpus:
    """Real documents, each a list of paragraphs and each once, up to a paragraph count."""

    documents: list[list[str]]
    texts: list[str]  # each document's paragraphs joined by newlines: what a scraper hands to cleaner
    sources: int
    source_paragraphs: int
    skipped_lines: int
    fingerprint: str

    @cached_property
    def counts(self) -> list[int]:
        return [len(document) for document in self.documents]

    @cached_property
    def paragraphs(self) -> int:
        return sum(self.counts)

    @cached_property
    def text_mb(self) -> float:
        return sum(len(text.encode("utf-8")) for text in self.texts) / MB


@dataclass(frozen=True)
class Timing:
    """Wall and CPU seconds of one measured pass; CPU above wall means several threads were busy."""

    wall_s: float
    cpu_s: float


def visible_lines(lines: Iterable[str]) -> tuple[list[str], int]:
    """The lines that hold text, and how many were left out."""
    lines = list(lines)
    kept = [line for line in lines if VISIBLE.search(line)]
    return kept, len(lines) - len(kept)


def read_seed(path: Path) -> list[str]:
    """A seed's lines, as they are in the file."""
    return path.read_text(encoding="utf-8").splitlines()


def read_tsv(path: Path) -> list[str]:
    """The text column of a training TSV, one paragraph per line."""
    # Split on "\n" only: splitlines() would also cut at separators that may sit inside a paragraph's text.
    rows = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    columns = [row.rstrip("\r").split("\t", TSV_TEXT_COLUMN) for row in rows]
    short = next((number for number, cells in enumerate(columns, 1) if len(cells) <= TSV_TEXT_COLUMN), None)
    if short is not None:
        raise SystemExit(f"bench: {path}:{short}: expected index<TAB>prelabel<TAB>text")
    return [cells[TSV_TEXT_COLUMN] for cells in columns]


def source_documents(data: Path) -> Iterator[list[str]]:
    """Real documents in a fixed order, each once: the training pages' container text, then the pages of the WCXB
    development sets as whole-page text (the lines a scraper's text dump holds)."""
    tsvs = sorted(data.glob(TRAIN_GLOB))
    if not tsvs:
        raise SystemExit(f"bench: no sources: no TSV files in {data / TRAIN_GLOB}")
    yield from map(read_tsv, tsvs)
    from cleaner.training.renderings import page_paragraphs  # html_text and lxml: the bench's corpus alone

    for name in PAGE_SETS:
        for path in sorted((data / name / "html").glob(PAGE_GLOB)):
            yield page_paragraphs(gzip.decompress(path.read_bytes()))


def warm_up_documents() -> list[list[str]]:
    """The seeds, which are not in the corpus: first-call costs are paid on them, and no measured text is seen twice."""
    return [visible_lines(read_seed(path))[0] for path in sorted(SEEDS_DIR.glob(SEED_GLOB))]


def build_corpus(data: Path, target: int) -> Corpus:
    """Real documents, each once and in order, until at least `target` paragraphs (or all there are): no cycling, so
    that no cache is warmed by a document seen before."""
    documents, skipped, total = [], 0, 0
    for lines in source_documents(data):
        if total >= target:
            break
        kept, dropped = visible_lines(lines)
        skipped += dropped
        if kept:
            documents.append(kept)
            total += len(kept)
    texts = ["\n".join(document) for document in documents]
    digest = hashlib.sha256("\f".join(texts).encode("utf-8")).hexdigest()
    return Corpus(documents, texts, len(documents), total, skipped, digest[:16])


def timed(run: Callable[[], Any]) -> tuple[Any, Timing]:
    """Call `run`, returning its result and the wall and CPU time it took."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    return result, Timing(time.perf_counter() - wall, time.process_time() - cpu)


def rate(amount: float, timing: Timing) -> float:
    return amount / timing.wall_s if timing.wall_s > 0 else float("inf")


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (it never decreases)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * KIB / MB


def measure_load(runs: int) -> dict[str, Any]:
    """Import cleaner and load the default model in `runs` fresh interpreters; medians and extremes."""
    results = []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", LOAD_SCRIPT], capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"bench: loading the model in a fresh interpreter failed:\n{done.stderr.strip()}")
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    loads = [r["load_s"] for r in results]
    return {
        "runs": runs, "import_s": median(r["import_s"] for r in results), "load_s": median(loads),
        "load_s_min": min(loads), "load_s_max": max(loads),
        "peak_rss_mb": max(r["peak_rss_kib"] for r in results) * KIB / MB,
    }


def measure_startup(runs: int) -> dict[str, Any]:
    """Whole-process seconds (median of `runs` fresh processes) of `cleaner --version` and of cleaning one small
    text file (the first seed) into a folder: what a user waits for at the terminal."""
    small = sorted(SEEDS_DIR.glob(SEED_GLOB))[0]
    command = [sys.executable, "-m", "cleaner"]
    with tempfile.TemporaryDirectory() as folder:
        runs_of = {"version_s": [*command, "--version"], "clean_small_s": [*command, "clean", str(small), "-o", folder]}
        figures = {name: median(_process_seconds(argv) for _ in range(runs)) for name, argv in runs_of.items()}
    return {**figures, "small_file": small.name}


def _process_seconds(argv: list[str]) -> float:
    """Wall seconds of one run of `argv`, which must succeed."""
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"bench: {' '.join(argv)} failed:\n{done.stderr.strip()}")
    return time.perf_counter() - start


def paragraph_count(_record: object, document: cleaner.Document) -> int:
    """What the benchmark keeps of a cleaned document (computed in the worker): its paragraph count."""
    return len(document.paragraphs)


def run_cleaner(texts: Sequence[str], expected: Sequence[int], model: cleaner.Model, jobs: int = 1) -> Counter:
    """Clean every text (on `jobs` processes), check that each keeps its paragraph count, and count the labels."""
    labels: Counter = Counter()
    cleaned = clean_stream(((None, text) for text in texts), paragraph_count, model, ParallelOptions(jobs=jobs))
    for number, (item, count) in enumerate(zip(cleaned, expected, strict=True)):
        # Not an `assert` statement: the check must hold under `python -O` too.
        if item.output != count or item.paragraphs != count or sum(item.streams) != count:
            raise AssertionError(f"document {number}: {count} paragraphs in, {item.output} out")
        labels.update({label.value: size for label, size in zip(Label, item.streams)})
    return labels


def openmp_threads() -> int | None:
    """The OpenMP pool size that scikit-learn's gradient-boosted trees use by default."""
    return next((pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "openmp"), None)


def prefix_documents(counts: Sequence[int], paragraphs: int) -> int:
    """How many leading documents hold at least `paragraphs` paragraphs (all of them if fewer)."""
    return next((k for k, total in enumerate(accumulate(counts), 1) if total >= paragraphs), len(counts))


def measure_cleaner(corpus: Corpus, model: cleaner.Model, threaded_paragraphs: int, jobs: int) -> dict[str, Any]:
    """cleaner over the corpus on one thread, on `jobs` worker processes, then over a prefix with default threads."""
    counts = corpus.counts
    warm_up = warm_up_documents()
    run_cleaner(["\n".join(doc) for doc in warm_up], list(map(len, warm_up)), model)  # first calls: not throughput
    # One thread: jusText runs on one, and a batch job runs one process per core anyway.
    with threadpool_limits(limits=SINGLE_THREAD):
        labels, single = timed(lambda: run_cleaner(corpus.texts, counts, model))
    figures = {**asdict(single), "paragraphs_per_s": rate(corpus.paragraphs, single),
               "mb_per_s": rate(corpus.text_mb, single), "labels": dict(sorted(labels.items()))}
    if jobs > 1:
        warm = jobs * CHUNKS_PER_WORKER * BATCH_DOCUMENTS  # every worker starts and loads the model before timing
        seeds = list(islice(cycle(warm_up), warm))
        run_cleaner(["\n".join(doc) for doc in seeds], list(map(len, seeds)), model, jobs)
        workers_before = workers_cpu_seconds()
        _, parallel = timed(lambda: run_cleaner(corpus.texts, counts, model, jobs))
        figures["jobs"] = {**asdict(parallel), "jobs": jobs, "paragraphs_per_s": rate(corpus.paragraphs, parallel),
                           "mb_per_s": rate(corpus.text_mb, parallel), "workers_cpu_s": workers_cpu_seconds() - workers_before}
    prefix = prefix_documents(counts, threaded_paragraphs) if threaded_paragraphs else 0
    if prefix:
        _, threaded = timed(lambda: run_cleaner(corpus.texts[:prefix], counts[:prefix], model))
        figures["default_threads"] = {
            **asdict(threaded), "threads": openmp_threads(), "paragraphs": sum(counts[:prefix]),
            "paragraphs_per_s": rate(sum(counts[:prefix]), threaded),
        }
    return figures


def render_html(paragraphs: Sequence[str]) -> str:
    """A page with one <p> per paragraph: the shape jusText segments into the same paragraphs."""
    body = "".join(f"<p>{html.escape(paragraph, quote=False)}</p>" for paragraph in paragraphs)
    return f"<html><body>{body}</body></html>"


def import_justext() -> Any:
    """jusText, or an exit that gives the install command (it also needs lxml's separate html_clean)."""
    try:
        import justext
    except ImportError as error:
        raise SystemExit(f"bench: jusText cannot be imported ({error}); install it with: {JUSTEXT_INSTALL}") from None
    return justext


def run_justext(pages: Sequence[str], stoplist: frozenset[str]) -> tuple[int, int]:
    """Classify every page with jusText's defaults; returns its paragraphs and how many it judged good."""
    justext = import_justext()
    paragraphs = good = 0
    for page in pages:
        result = justext.justext(page, stoplist)
        paragraphs += len(result)
        good += sum(not paragraph.is_boilerplate for paragraph in result)
    return paragraphs, good


def measure_justext(corpus: Corpus) -> dict[str, Any]:
    """jusText over the same paragraphs, each document rendered as a page of <p> elements."""
    stoplist = import_justext().get_stoplist(JUSTEXT_LANGUAGE)  # read once, outside the timing
    run_justext(list(map(render_html, warm_up_documents())), stoplist)  # warm-up, as for cleaner
    pages, build = timed(lambda: [render_html(document) for document in corpus.documents])
    # jusText's time includes its own HTML parsing and DOM cleaning: that is the fair way to run it over the
    # same paragraphs, since it cannot take plain text. Building the HTML strings is ours, timed apart above.
    (paragraphs, good), run = timed(lambda: run_justext(pages, stoplist))
    return {**asdict(run), "paragraphs_per_s": rate(corpus.paragraphs, run), "mb_per_s": rate(corpus.text_mb, run),
            "html_build_s": build.wall_s, "paragraphs_out": paragraphs, "good": good}


def versions() -> dict[str, str]:
    """The versions that the figures depend on."""
    names = ("cleaner", "scikit-learn", "numpy", "scipy", "jusText", "lxml")
    return {"python": platform.python_version(), **{name: metadata.version(name) for name in names}}


def measure(options: argparse.Namespace) -> tuple[dict[str, Any], Corpus, cleaner.Model]:
    """Run every measurement once, in order; the figures, and the corpus and model for profiling."""
    import_justext()  # fail before the long part, not after it
    corpus, build = timed(lambda: build_corpus(options.data, options.paragraphs))
    rss = {"after_corpus": peak_rss_mb()}
    load = {**measure_load(options.load_runs), **measure_startup(options.load_runs)}
    model, in_process = timed(cleaner.load_model)
    rss["after_model"] = peak_rss_mb()
    cleaner_figures = measure_cleaner(corpus, model, options.threaded_paragraphs, options.jobs)
    rss["after_cleaner"] = peak_rss_mb()
    justext_figures = measure_justext(corpus)
    rss["after_justext"] = peak_rss_mb()
    justext_rate = justext_figures["paragraphs_per_s"]
    ratios = {"speed_ratio_cleaner_over_justext": cleaner_figures["paragraphs_per_s"] / justext_rate}
    if "jobs" in cleaner_figures:
        ratios["speed_ratio_jobs_over_justext"] = cleaner_figures["jobs"]["paragraphs_per_s"] / justext_rate
        ratios["jobs_speedup"] = cleaner_figures["jobs"]["paragraphs_per_s"] / cleaner_figures["paragraphs_per_s"]
    memory = (measure_memory(corpus.texts, corpus.counts, options.rss_sizes, options.jobs)
              if options.rss_sizes else None)
    long_document = measure_long_document(corpus.texts, options.long_lines) if options.long_lines else None
    figures = {
        "corpus": {"documents": len(corpus.documents), "paragraphs": corpus.paragraphs, "text_mb": corpus.text_mb,
                   "sources": corpus.sources, "source_paragraphs": corpus.source_paragraphs,
                   "blank_lines_skipped_per_pass": corpus.skipped_lines, "sha256_16": corpus.fingerprint,
                   "build_s": build.wall_s, "data": str(options.data)},
        "load": {**load, "in_process_s": in_process.wall_s},
        "cleaner": cleaner_figures,
        "justext": justext_figures,
        **ratios,
        "peak_rss_mb": rss,
        "memory_by_input_size": memory,
        "long_document": long_document,
        "html": measure_html(options.data, options.html_pages),
        "machine": {"cpus": os.cpu_count(), "load_average_1m": os.getloadavg()[0], "platform": platform.platform(),
                    "versions": versions()},
    }
    return figures, corpus, model


def speed_row(figures: dict[str, Any]) -> str:
    """Rate, throughput and times of one measured pass."""
    mb = f"{figures['mb_per_s']:6.2f} MB/s" if "mb_per_s" in figures else " " * 11
    return (f"{figures['paragraphs_per_s']:>9,.0f} paragraphs/s  {mb}  "
            f"{figures['wall_s']:6.1f} s wall  {figures['cpu_s']:6.1f} s CPU")


def table(figures: dict[str, Any]) -> str:
    """The figures as a compact two-column table."""
    corpus, load, clean, just = figures["corpus"], figures["load"], figures["cleaner"], figures["justext"]
    threaded = clean.get("default_threads")
    rows = [
        ("corpus", f"{corpus['paragraphs']:,} paragraphs, {corpus['documents']:,} documents, {corpus['text_mb']:.2f} MB "
                   "(real pages, each once: training pages, then WCXB development pages as page text)"),
        ("import cleaner.api", f"{load['import_s']:.2f} s  (fresh interpreter, median of {load['runs']})"),
        ("load_model()", f"{load['load_s']:.2f} s  (min {load['load_s_min']:.2f}, max {load['load_s_max']:.2f}; "
                         f"that interpreter's peak RSS {load['peak_rss_mb']:.0f} MB)"),
        ("start-up", f"cleaner --version {load['version_s']:.2f} s; cleaner clean {load['small_file']} -o DIR "
                     f"{load['clean_small_s']:.2f} s (whole process, median of {load['runs']})"),
        ("cleaner, 1 thread", speed_row(clean)),
        *([(f"  --jobs {clean['jobs']['jobs']}", speed_row(clean["jobs"]) + f"  (CPU: parent; workers "
            f"{clean['jobs']['workers_cpu_s']:.1f} s)")] if "jobs" in clean else []),
        *([(f"  {threaded['threads']} threads", speed_row(threaded) + f"  (first {threaded['paragraphs']:,} paragraphs)")]
          if threaded else []),
        ("jusText", speed_row(just)),
        ("  HTML build", f"{just['html_build_s']:.2f} s (excluded from jusText's time)"),
        ("ratio", f"cleaner (1 thread) / jusText = {figures['speed_ratio_cleaner_over_justext']:.3f}x paragraphs/s"),
        *([("", f"cleaner (--jobs {clean['jobs']['jobs']}) / jusText = {figures['speed_ratio_jobs_over_justext']:.3f}x; "
                f"--jobs {clean['jobs']['jobs']} / 1 thread = {figures['jobs_speedup']:.2f}x")] if "jobs" in clean else []),
        ("labels", f"cleaner body {clean['labels'].get('body', 0) / corpus['paragraphs']:.1%}; jusText good "
                   f"{just['good'] / corpus['paragraphs']:.1%} (it returned {just['paragraphs_out']:,} paragraphs)"),
        ("peak RSS", "  ".join(f"{stage} {mb:.0f} MB" for stage, mb in figures["peak_rss_mb"].items())),
        *memory_rows(figures["memory_by_input_size"]),
        *long_document_rows(figures["long_document"]),
        *html_rows(figures["html"]),
        ("machine", f"{figures['machine']['cpus']} CPUs, load average {figures['machine']['load_average_1m']:.2f} "
                    "(other work on the machine slows every figure)"),
    ]
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name:<{width}}  {value}" for name, value in rows)


def memory_rows(memory: dict[str, Any] | None) -> list[tuple[str, str]]:
    """One row per generated input size: cleaning time and the peak RSS of the parent and of its workers."""
    if not memory:
        return []
    rows = [(f"  {run['mb']:,.0f} MB JSONL", f"{run['paragraphs']:,} paragraphs, --jobs {run['jobs']}: "
             f"{run['wall_s']:.0f} s wall ({run['paragraphs_per_s']:,.0f} paragraphs/s end to end); peak RSS "
             f"{run['peak_rss_mb']:.0f} MB, workers {run['worker_peak_rss_mb']:.0f} MB") for run in memory["runs"]]
    return [*rows, ("  growth", f"{memory['growth']:+.1%} peak RSS from the smallest to the largest input")]


def long_document_rows(long: dict[str, Any] | None) -> list[tuple[str, str]]:
    """The one-document run: its size, time and peak RSS."""
    if not long:
        return []
    return [("one long document", f"{long['lines']:,} lines ({long['mb']:.0f} MB) in one text file: "
             f"{long['wall_s']:.0f} s wall; peak RSS {long['peak_rss_mb']:.0f} MB")]


def measure_html(data: Path, pages: int | None) -> dict[str, Any] | None:
    """The HTML path's figures next to trafilatura's (`cleaner.bench.html`) on the first `pages` pages of each
    set (None: all of them; 0: not measured)."""
    if pages == 0:
        return None
    return bench_html.measure(bench_html.parse_options(["--data", str(data), *(["--limit", str(pages)] if pages else [])]))


def html_rows(html_figures: dict[str, Any] | None) -> list[tuple[str, str]]:
    if html_figures is None:
        return [("HTML path", "not measured (--html-pages 0; see python -m cleaner.bench.html)")]
    sets = [name for name in bench_html.SETS if name in html_figures]
    return [("HTML path" if number == 0 else "", line)
            for number, line in enumerate(bench_html.table(html_figures, sets).splitlines())]


def profile_cleaner(corpus: Corpus, model: cleaner.Model) -> None:
    """Print where one more single-threaded cleaner pass spends its time, as pyinstrument's call tree."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        raise SystemExit('--profile needs pyinstrument: pip install "cleaner[bench]"') from None
    profiler = Profiler(interval=PROFILE_INTERVAL_S)
    with threadpool_limits(limits=SINGLE_THREAD), profiler:
        run_cleaner(corpus.texts, corpus.counts, model)
    print("\n--- cleaner, 1 thread ---")
    print(profiler.output_text(unicode=True, show_all=False))


def count(minimum: int) -> Callable[[str], int]:
    """An argparse type: an integer of at least `minimum`."""
    def parse(value: str) -> int:
        if not value.isdigit() or int(value) < minimum:
            raise argparse.ArgumentTypeError(f"expected an integer of at least {minimum}, got {value!r}")
        return int(value)
    return parse


def sizes(value: str) -> tuple[float, ...]:
    """An argparse type: comma-separated positive sizes in MB, or 0 for none."""
    try:
        parsed = tuple(float(part) for part in value.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected sizes in MB such as 100,1000, got {value!r}") from None
    if parsed == (0,):
        return ()
    if not parsed or min(parsed) <= 0:
        raise argparse.ArgumentTypeError(f"expected positive sizes in MB, got {value!r}")
    return tuple(sorted(parsed))


def parse_options(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m cleaner.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=count(1), default=DEFAULT_PARAGRAPHS,
                        help=f"paragraphs of real pages in the corpus, each document once (default {DEFAULT_PARAGRAPHS:,})")
    parser.add_argument("--threaded-paragraphs", type=count(0), default=DEFAULT_THREADED_PARAGRAPHS,
                        help="paragraphs of the corpus's prefix cleaned again with the default thread pools "
                             f"(default {DEFAULT_THREADED_PARAGRAPHS:,}; 0: skip)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"data root (default {DEFAULT_DATA})")
    parser.add_argument("--load-runs", type=count(1), default=DEFAULT_LOAD_RUNS,
                        help=f"fresh interpreters that time the model load (default {DEFAULT_LOAD_RUNS})")
    parser.add_argument("--jobs", type=count(1), default=DEFAULT_JOBS,
                        help=f"worker processes of the parallel pass and of the memory runs (default {DEFAULT_JOBS}; "
                             "1: skip the parallel pass)")
    parser.add_argument("--rss-sizes", type=sizes, default=DEFAULT_RSS_SIZES_MB,
                        help="sizes in MB of the generated JSONL files whose cleaning's peak RSS is measured, "
                             f"comma-separated (default {','.join(map(str, DEFAULT_RSS_SIZES_MB))}; 0: skip)")
    parser.add_argument("--long-lines", type=count(0), default=DEFAULT_LONG_LINES,
                        help="lines of the one long text document whose cleaning's peak RSS is measured "
                             f"(default {DEFAULT_LONG_LINES:,}; 0: skip)")
    parser.add_argument("--html-pages", type=count(0),
                        help="pages of each HTML set for the HTML path's figures (cleaner.bench.html; default: all; "
                             "0: skip)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--profile", action="store_true",
                        help="after measuring, profile one more single-threaded cleaner pass and print its hot spots")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    options = parse_options(argv)
    figures, corpus, model = measure(options)
    print(table(figures))
    line = json.dumps(figures, sort_keys=True)
    print(line)
    if options.json:
        options.json.write_text(line + "\n", encoding="utf-8")
    if options.profile:
        profile_cleaner(corpus, model)


if __name__ == "__main__":
    main()
