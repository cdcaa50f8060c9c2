"""Documents through the pipeline: input sources, the corpus writer, outputs, worker processes and progress
(each imported on first use)."""

from .._lazy import lazy_exports

_PUBLIC = {
    "OutputError": "outputs",
    "ParallelOptions": "parallel",
    "Progress": "progress",
    "RecordFields": "corpus",
    "ReportOptions": "report",
    "ReportWriter": "report",
    "Source": "io",
    "clean_stream": "parallel",
    "corpus_record": "corpus",
    "find_sources": "io",
    "open_report": "report",
    "read_jsonl_records": "io",
    "read_source": "io",
    "render_report": "report",
    "write_corpus": "corpus",
}

__all__ = sorted(_PUBLIC)
__getattr__, __dir__ = lazy_exports(__name__, _PUBLIC)
