"""Documents through the pipeline: input sources, the corpus writer, outputs, worker processes and progress."""

from .corpus import RecordFields, corpus_record, write_corpus
from .io import Source, find_sources, read_jsonl_records, read_source
from .outputs import OutputError
from .parallel import ParallelOptions, clean_stream
from .progress import Progress

__all__ = [
    "OutputError",
    "ParallelOptions",
    "Progress",
    "RecordFields",
    "Source",
    "clean_stream",
    "corpus_record",
    "find_sources",
    "read_jsonl_records",
    "read_source",
    "write_corpus",
]
