"""A progress bar on a terminal: documents and paragraphs per second, and the share done and time left when the
number of documents is known. Nothing at all when stderr is piped."""

from __future__ import annotations

import sys
import time
from typing import IO

from tqdm import tqdm

RATE_EVERY_DOCUMENTS = 64  # the paragraphs/s figure is recomputed this often: tqdm redraws at most ~10 times a second


class Progress:
    """Counts cleaned documents and paragraphs; draws a tqdm bar only when `stream` is a terminal."""

    def __init__(self, stream: IO[str] | None = None, enabled: bool | None = None, total: int | None = None) -> None:
        """`enabled`: None draws the bar when `stream` is a terminal; `total`: the documents to come, if known (the
        bar then shows the share done and the time left)."""
        stream = stream or sys.stderr
        self.enabled = stream.isatty() if enabled is None else enabled
        self.documents = self.paragraphs = 0
        self.started = time.perf_counter()
        self.bar = tqdm(file=stream, unit=" docs", dynamic_ncols=True, disable=not self.enabled, total=total)

    def update(self, paragraphs: int) -> None:
        """One more document, with this many paragraphs."""
        self.documents += 1
        self.paragraphs += paragraphs
        if not self.enabled:
            return
        self.bar.update(1)
        if self.documents % RATE_EVERY_DOCUMENTS == 0:
            elapsed = max(time.perf_counter() - self.started, 1e-9)
            self.bar.set_postfix_str(f"{self.paragraphs / elapsed:,.0f} paragraphs/s", refresh=False)

    def close(self) -> None:
        self.bar.close()
