"""The lexical features from plain arrays: word 1-2-grams and character 2-4-grams, hashed and TF-IDF weighted, exactly
the matrix of the fitted FeatureUnion of `classifier.lexical_features`, with numpy and scipy.sparse alone.

scikit-learn's char_wb analyzer builds every character n-gram of every paragraph as a Python string,
which made it the slowest step of prediction. Character n-grams never cross a word, so a paragraph's
n-gram counts are the sum of its words' counts: each distinct word is hashed once (by `hashing`, which
computes scikit-learn's hashes for many keys at once), kept in a bounded cache, and a paragraph's counts
are one sparse product, paragraphs x words times words x n-grams. Word 1-2-grams are hashed from the
batch's distinct tokens and token pairs in the same way. The TF-IDF weighting is scikit-learn's arithmetic
(sublinear counts, IDF weights, rows scaled to unit length), in its order of operations.

tests/test_fast_paths.py checks that the matrix equals the FeatureUnion's on real and generated text.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from itertools import repeat
from typing import Any

import numpy as np
import scipy.sparse as sp

from .features import TextBatch, Tokens
from .hashing import char_wb_counts, concatenated_ranges, hashed_columns, joined_pairs, murmurhash3_32_many, utf8_keys

MAX_CACHED_WORDS = 1 << 17  # the cache is emptied when it holds this many words: memory stays flat on any stream
MAX_CACHED_WORD_CHARS = 64  # longer "words" (URLs, code) are rarely seen twice: hashed but not cached
MIN_TOKEN_CHARS = 2  # scikit-learn's default token pattern (?u)\b\w\w+\b: runs of two or more word characters
PAIR_SEPARATOR = " "  # scikit-learn joins the two tokens of a word 2-gram with a space
CHAR_NGRAMS = (2, 4)
WORD_OPTIONS = {"analyzer": "word", "ngram_range": (1, 2), "token_pattern": r"(?u)\b\w\w+\b"}
CHAR_OPTIONS = {"analyzer": "char_wb", "ngram_range": CHAR_NGRAMS}
# Options reproduced here only at these values (scikit-learn's defaults, as lexical_features sets them).
COMMON_OPTIONS = {
    "input": "content", "lowercase": True, "preprocessor": None, "tokenizer": None, "stop_words": None,
    "strip_accents": None, "binary": False, "norm": None, "alternate_sign": False,
}
TFIDF_OPTIONS = {"norm": "l2", "use_idf": True, "sublinear_tf": True}


class Lexical:
    """Hashed, TF-IDF weighted word and character n-grams from the IDF weights of each block (their lengths are
    the hashed widths)."""

    def __init__(self, word_idf: np.ndarray, char_idf: np.ndarray) -> None:
        self.word_idf, self.char_idf = np.asarray(word_idf, dtype=np.float64), np.asarray(char_idf, dtype=np.float64)
        self.char_cache = _WordNgramCache(len(self.char_idf), CHAR_NGRAMS)

    @classmethod
    def of(cls, union: Any) -> Lexical:
        """The fitted FeatureUnion of `lexical_features`; ValueError if its settings are not the ones reproduced here."""
        steps = dict(union.transformer_list)
        words, chars = steps.get("words"), steps.get("chars")
        if not (list(steps) == ["words", "chars"] and _is_known(words, WORD_OPTIONS) and _is_known(chars, CHAR_OPTIONS)):
            raise ValueError("these lexical features differ from lexical_features(): they cannot be stored as arrays")
        return cls(words[1].idf_, chars[1].idf_)

    def transform(self, texts: Sequence[str], batch: TextBatch | None = None) -> sp.csr_matrix:
        """The union's output for `texts`: word TF-IDF columns, then character TF-IDF columns.

        `batch`, when given, is `TextBatch.of` the same paragraphs: their lower-cased text and tokens are reused
        (stripping a paragraph changes neither its words nor its tokens).
        """
        batch = batch or TextBatch.of([texts])
        words = _tfidf(self._word_counts(batch), self.word_idf)
        chars = _tfidf(self.char_cache.counts(batch.words, len(batch.texts)), self.char_idf)
        return sp.hstack([words, chars], format="csr")

    def _word_counts(self, batch: TextBatch) -> sp.csr_matrix:
        """Hashed counts of each paragraph's tokens and token pairs; each distinct one is hashed once per batch."""
        vocabulary, ids, rows = batch.vocabulary
        long_enough = np.fromiter(map(len, vocabulary), dtype=np.int64, count=len(vocabulary)) >= MIN_TOKEN_CHARS
        kept = long_enough[ids] if len(ids) else np.zeros(0, dtype=bool)
        ids, rows = ids[kept], rows[kept]
        pairs = np.flatnonzero(rows[1:] == rows[:-1])
        size = max(1, len(vocabulary))
        pair_keys, pair_ids = np.unique(ids[pairs] * size + ids[pairs + 1], return_inverse=True)
        used, word_ids = _dense_unique(ids, size)
        data, starts, lengths = utf8_keys([vocabulary[k] for k in used.tolist()], PAIR_SEPARATOR)
        first, second = (np.searchsorted(used, part) for part in np.divmod(pair_keys, size))
        pair_data, pair_starts, pair_lengths = joined_pairs(data, starts, lengths, first, second)
        width = len(self.word_idf)
        columns = np.concatenate([hashed_columns(murmurhash3_32_many(data, starts, lengths), width),
                                  hashed_columns(murmurhash3_32_many(pair_data, pair_starts, pair_lengths), width)])
        entries = np.concatenate([columns[word_ids], columns[len(used) + pair_ids]])
        return _count_matrix(np.concatenate([rows, rows[pairs]]), entries, (len(batch.texts), width))


def _tfidf(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """TfidfTransformer(sublinear_tf=True, norm="l2").transform, in place: 1 + log(count), times the IDF weight,
    each row divided by its length. The lengths are summed one entry after the other (a sparse product with ones,
    as scikit-learn's loop adds them), so the values are the same to the last bit."""
    np.log(counts.data, out=counts.data)
    counts.data += 1.0
    counts.data *= idf[counts.indices]
    squares = sp.csr_matrix((counts.data * counts.data, counts.indices, counts.indptr), shape=counts.shape)
    lengths = np.sqrt(squares @ np.ones(counts.shape[1]))
    lengths[lengths == 0] = 1.0
    counts.data /= np.repeat(lengths, np.diff(counts.indptr))
    return counts


def _dense_unique(ids: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(ids, return_inverse=True)`` for ids below `size`, in linear time: a mark per id instead of a sort."""
    present = np.zeros(size, dtype=bool)
    present[ids] = True
    return np.flatnonzero(present), (np.cumsum(present) - 1)[ids]


def _count_matrix(rows: np.ndarray, columns: np.ndarray, shape: tuple[int, int]) -> sp.csr_matrix:
    """Counts of (row, column) pairs as a CSR matrix with sorted indices, as FeatureHasher returns them."""
    counts = sp.csr_matrix((np.ones(len(rows)), (rows, columns)), shape=shape)
    counts.sum_duplicates()  # sums the repeated pairs and sorts each row's columns
    return counts


def _is_known(step: Any, options: dict[str, object]) -> bool:
    """Whether `step` is a pipeline of a HashingVectorizer with `options` and a TfidfTransformer as set here."""
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer  # a fitted model brings sklearn
    from sklearn.pipeline import Pipeline

    if not (isinstance(step, Pipeline) and len(step.steps) == 2):
        return False
    vectorizer, tfidf = step[0], step[1]
    if not (isinstance(vectorizer, HashingVectorizer) and isinstance(tfidf, TfidfTransformer)):
        return False
    params, weighting = vectorizer.get_params(), tfidf.get_params()
    return (all(params[name] == value for name, value in {**COMMON_OPTIONS, **options}.items())
            and all(weighting[name] == value for name, value in TFIDF_OPTIONS.items()))


class _WordNgramCache:
    """Each word's hashed character n-gram counts, computed once and kept in flat arrays. One model serves many
    threads (a Scrapy thread pool, `--threads`): the cache is the only state prediction changes, so reading and
    growing it hold a lock, and the paragraphs' product, most of the work, runs outside it."""

    def __init__(self, n_features: int, ngram_range: tuple[int, int]) -> None:
        self.n_features, self.ngram_range = n_features, ngram_range
        self._lock = threading.Lock()
        self.clear()

    def __getstate__(self) -> dict[str, Any]:
        """Pickled (a model sent to a Dask worker or a process) without the lock and empty: a cache is local."""
        return {"n_features": self.n_features, "ngram_range": self.ngram_range}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["n_features"], state["ngram_range"])

    def clear(self) -> None:
        self.ids: dict[str, int] = {}
        self.offsets = np.zeros(1, dtype=np.int64)  # word id -> start of its entries; one more at the end
        self.indices = np.zeros(0, dtype=np.int32)
        self.values = np.zeros(0, dtype=np.uint8)  # counts; a word of at most 64 characters has no n-gram 256 times

    def counts(self, words: Tokens, paragraphs: int) -> sp.csr_matrix:
        """Character n-gram counts of `paragraphs` rows made of the white-space separated, lower-cased `words`,
        as HashingVectorizer(analyzer="char_wb") counts them."""
        with self._lock:
            if len(self.ids) + len(words.distinct) > MAX_CACHED_WORDS:
                self.clear()
            known = np.fromiter(map(self.ids.get, words.distinct, repeat(-1)), dtype=np.int64, count=len(words.distinct))
            fresh = [words.distinct[k] for k in np.flatnonzero(known < 0).tolist()]
            fresh_matrix = char_wb_counts(fresh, self.n_features, self.ngram_range) if fresh else None
            self._remember(fresh, fresh_matrix)
            word_matrix, order = self._rows(known, fresh_matrix)
        paragraph_words = _count_matrix(words.rows, order[words.ids], (paragraphs, max(1, len(words.distinct))))
        # Multiplied transposed: converting the product back to rows sorts its indices in linear time.
        return (word_matrix.T.tocsr() @ paragraph_words.T.tocsr()).T.tocsr()

    def _remember(self, fresh: list[str], matrix: sp.csr_matrix | None) -> None:
        """Add the short fresh words' rows to the cache."""
        if matrix is None:
            return
        keep = [k for k, w in enumerate(fresh) if len(w) <= MAX_CACHED_WORD_CHARS]
        if not keep:
            return
        kept = matrix[keep]
        self.indices = np.concatenate([self.indices, kept.indices.astype(np.int32)])
        self.values = np.concatenate([self.values, kept.data.astype(np.uint8)])
        first_id = len(self.offsets) - 1
        self.offsets = np.concatenate([self.offsets, self.offsets[-1] + np.cumsum(np.diff(kept.indptr))])
        self.ids.update(zip([fresh[k] for k in keep], range(first_id, first_id + len(keep))))

    def _rows(self, known: np.ndarray, fresh: sp.csr_matrix | None) -> tuple[sp.csr_matrix, np.ndarray]:
        """The n-gram rows of the words whose cache ids are `known` (-1: not cached, their rows are `fresh`): first
        the cached ones, then the fresh ones; and each word's row in it."""
        width = self.n_features
        is_known = known >= 0
        cached = known[is_known]
        starts, lengths = self.offsets[cached], self.offsets[cached + 1] - self.offsets[cached]
        indptr = np.concatenate([[0], np.cumsum(lengths)])
        take = concatenated_ranges(starts, lengths)
        from_cache = sp.csr_matrix(
            (self.values[take].astype(np.float64), self.indices[take], indptr), shape=(len(cached), width)
        )
        blocks = [from_cache] if fresh is None else [from_cache, fresh]
        order = np.empty(len(known), dtype=np.int64)
        order[is_known] = np.arange(len(cached))
        order[~is_known] = len(cached) + np.arange(len(known) - len(cached))
        matrix = sp.vstack(blocks, format="csr") if len(known) else sp.csr_matrix((1, width))
        return matrix, order
