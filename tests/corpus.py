"""A generated corpus of small, messy documents for scale tests: `python tests/corpus.py OUT_DIR [COUNT]` writes
one and prints the documents and paragraphs it holds (counted by the segmentation oracle of test_segment)."""

from __future__ import annotations

import random
import sys
from pathlib import Path

from conftest import synthetic_document
from test_segment import has_content, lines_of, trimmed

CORPUS_SEED = 7
FOLDERS = 10
ODD_CHARACTERS = "\u00e9\u00df\u4e2d\u0416\u05d0\u0627\U0001f600\u200b\ufeff\xa0\t\x1b\u2028\r"
LINE_ENDS = ("\n", "\r\n", "\r")


def expected_paragraphs(text: str) -> list[str]:
    """The paragraphs of `text`: its content lines, trimmed (an oracle independent of cleaner.text.segment)."""
    return [trimmed(line) for line in lines_of(text) if has_content(line)]


def corpus_text(k: int, rng: random.Random) -> tuple[str, str]:
    """Document `k` and the encoding to write it in: news lines, odd characters, blank and long lines, or nothing."""
    if k % 97 == 0:
        return "", "utf-8"
    news = synthetic_document(k)[0]
    lines = rng.sample(news, rng.randint(1, 4))
    if k % 101 == 0:  # legacy Western text, to be detected
        return "\n".join(lines + ["Le caf\u00e9 \u00e9tait d\u00e9j\u00e0 ferm\u00e9, dit le ma\u00eetre."]) + "\n", "cp1252"
    if k % 5 == 0:
        lines.insert(rng.randint(0, len(lines)), "".join(rng.choices(ODD_CHARACTERS + "abc de", k=rng.randint(1, 30))))
    if k % 7 == 0:
        lines.append(" " * rng.randint(0, 3))
    if k % 211 == 0:
        lines.append("long " * 2000)
    return rng.choice(LINE_ENDS).join(lines) + rng.choice(("", "\n")), "utf-8"


def write_corpus(folder: Path, count: int, seed: int = CORPUS_SEED) -> dict[str, list[str]]:
    """Write `count` documents under `folder` (in subfolders); return each one's expected paragraphs by id."""
    rng = random.Random(seed)
    expected = {}
    for k in range(count):
        text, encoding = corpus_text(k, rng)
        relative = Path(f"f{k % FOLDERS}") / f"doc{k:05d}.txt"
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_bytes(text.encode(encoding))
        expected[relative.as_posix()] = expected_paragraphs(text)
    return expected


if __name__ == "__main__":
    counts = write_corpus(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 10_000)
    print(f"{len(counts)} documents, {sum(map(len, counts.values()))} paragraphs")
