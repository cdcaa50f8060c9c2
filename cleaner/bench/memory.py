"""Peak memory of `cleaner clean` on generated JSONL files of two sizes: it must not grow with the input.

Part of the benchmark (``python -m cleaner.bench``): the same generated documents are written as JSONL
records until a file reaches each size, and each file is cleaned by a fresh ``cleaner clean --format jsonl``
process whose peak resident set size, and that of each of its worker processes, is read from the kernel
(VmHWM in /proc, so Linux only).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from itertools import cycle
from pathlib import Path
from typing import Any

from ..pipeline import parallel

KIB = 1024
MB = 1_000_000
STAT_UTIME, STAT_STIME = 11, 12  # in /proc/PID/stat, counted from the field after the command name
# Runs the CLI in a fresh interpreter and reports the peak RSS of itself and of each worker process. The peaks
# are the kernel's VmHWM of each process: getrusage's ru_maxrss would also count the memory of the benchmark
# process that forked this one, since Linux carries ru_maxrss across fork and exec.
RSS_SCRIPT = """
import json, sys
from cleaner.cli import main
from cleaner.pipeline import parallel
from cleaner.bench.memory import peak_kib

code = 0
try:
    main(sys.argv[1:])
except SystemExit as done:
    code = done.code
workers = [peak_kib(pid) for executor in parallel._EXECUTORS for pid in list(executor._processes)]
parallel.shutdown_workers()
print(json.dumps({"exit": code, "self_kib": peak_kib("self"), "workers_kib": workers}), file=sys.stderr)
"""


def peak_kib(pid: int | str) -> int:
    """The peak resident set size (VmHWM) of a live process, in KiB; 0 if it has already exited."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return 0
    line = next((line for line in status.splitlines() if line.startswith("VmHWM:")), "VmHWM: 0 kB")
    return int(line.split()[1])


def cpu_seconds(pid: int) -> float:
    """User and system CPU seconds a live process has used so far (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[STAT_UTIME]) + int(fields[STAT_STIME])) / os.sysconf("SC_CLK_TCK")


def workers_cpu_seconds() -> float:
    """CPU seconds used so far by this process's cleaner worker processes."""
    return sum(cpu_seconds(pid) for executor in parallel._EXECUTORS for pid in list(executor._processes))


def write_jsonl(path: Path, texts: Sequence[str], counts: Sequence[int], size_mb: float) -> dict[str, Any]:
    """Write {"id", "text"} records, cycling `texts`, until the file holds `size_mb` megabytes."""
    target, written, documents, paragraphs = size_mb * MB, 0, 0, 0
    with open(path, "w", encoding="utf-8") as handle:
        for text, count in cycle(zip(texts, counts)):
            if written >= target:
                break
            line = json.dumps({"id": documents, "text": text}, ensure_ascii=False) + "\n"
            handle.write(line)
            written += len(line.encode("utf-8"))
            documents, paragraphs = documents + 1, paragraphs + count
    return {"mb": written / MB, "documents": documents, "paragraphs": paragraphs}


def measure_size(texts: Sequence[str], counts: Sequence[int], size_mb: float, jobs: int) -> dict[str, Any]:
    """Generate one file, clean it to /dev/null in a fresh process, and report time and peak RSS."""
    with tempfile.TemporaryDirectory(prefix="cleaner-bench-") as folder:
        path = Path(folder) / f"corpus-{size_mb:g}mb.jsonl"
        figures = write_jsonl(path, texts, counts, size_mb)
        command = [sys.executable, "-c", RSS_SCRIPT, "clean", str(path), "--format", "jsonl", "-o", "-",
                   "--jobs", str(jobs)]
        started = time.perf_counter()
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - started
    report = json.loads(done.stderr.strip().splitlines()[-1])
    if done.returncode or report["exit"]:
        raise SystemExit(f"bench: cleaning the {size_mb:g} MB file failed:\n{done.stderr.strip()}")
    return {**figures, "jobs": jobs, "wall_s": wall, "paragraphs_per_s": figures["paragraphs"] / wall,
            "peak_rss_mb": report["self_kib"] * KIB / MB,
            "worker_peak_rss_mb": max(report["workers_kib"], default=0) * KIB / MB}


def measure_long_document(texts: Sequence[str], lines: int) -> dict[str, Any]:
    """Peak RSS and time of `cleaner clean` on ONE text document of `lines` lines (the corpus's non-blank lines,
    cycled: memory, not speed, is measured here), in a fresh process."""
    source = cycle([line for text in texts for line in text.splitlines() if line.strip()])
    with tempfile.TemporaryDirectory(prefix="cleaner-bench-") as folder:
        path, out = Path(folder) / "long.txt", Path(folder) / "out"
        with open(path, "w", encoding="utf-8") as handle:
            handle.writelines(next(source) + "\n" for _ in range(lines))
        size = path.stat().st_size
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", RSS_SCRIPT, "clean", str(path), "-o", str(out)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - started
    report = json.loads(done.stderr.strip().splitlines()[-1])
    if done.returncode or report["exit"]:
        raise SystemExit(f"bench: cleaning the {lines:,}-line document failed:\n{done.stderr.strip()}")
    return {"lines": lines, "mb": size / MB, "wall_s": wall, "peak_rss_mb": report["self_kib"] * KIB / MB}


def measure_memory(texts: Sequence[str], counts: Sequence[int], sizes_mb: Sequence[float], jobs: int) -> dict[str, Any]:
    """Peak RSS at each size, and how much the larger file's peak exceeds the smaller's."""
    runs = [measure_size(texts, counts, size, jobs) for size in sizes_mb]
    peaks = [max(run["peak_rss_mb"], run["worker_peak_rss_mb"]) for run in runs]
    return {"runs": runs, "peak_rss_mb": peaks, "growth": peaks[-1] / peaks[0] - 1 if peaks[0] else 0.0}
