"""The vectorised feature hashing computes exactly what scikit-learn computes, key by key and word by word."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.utils import murmurhash3_32

from cleaner.model import hashing
from cleaner.model.hashing import char_wb_counts, hashed_columns, joined_pairs, murmurhash3_32_many, utf8_keys

# Characters whose UTF-8 takes 1, 2, 3 and 4 bytes, and ones that case-fold unusually.
LETTERS = "ab\u00e9\u00df\u0131\u0130\u017f\u20ac\u4e2d\U0001f600\u212a"
words = st.text(alphabet=LETTERS, min_size=1, max_size=12).map(str.lower)


def joined(keys: list[bytes]) -> tuple[bytes, np.ndarray, np.ndarray]:
    lengths = np.array([len(key) for key in keys], dtype=np.int64)
    return b"".join(keys), np.cumsum(lengths) - lengths, lengths


@settings(max_examples=60, deadline=None)
@given(st.lists(st.binary(max_size=40), max_size=30))
def test_murmurhash_of_many_keys_equals_scikit_learns_one_by_one(keys: list[bytes]) -> None:
    expected = [murmurhash3_32(key, 0) for key in keys]
    assert murmurhash3_32_many(*joined(keys)).tolist() == expected


def test_long_keys_and_the_hash_whose_absolute_value_overflows(monkeypatch) -> None:
    keys = [b"", b"x" * 300, b"abc", "\u20ac".encode() * 100, b"y" * 5]
    expected = [murmurhash3_32(key, 0) for key in keys]
    assert murmurhash3_32_many(*joined(keys)).tolist() == expected
    monkeypatch.setattr(hashing, "MAX_VECTOR_KEY_BYTES", 2)  # almost every key through the one-by-one branch
    assert murmurhash3_32_many(*joined(keys)).tolist() == expected
    assert hashed_columns(np.array([-(2**31), -5, 7]), 2**16).tolist() == [0, 5, 7]


@pytest.mark.parametrize("ngram_range", [(2, 4), (1, 1), (1, 3), (3, 5)])
@settings(max_examples=25, deadline=None)
@given(st.lists(words, max_size=20))
def test_character_ngram_counts_equal_the_vectorizers(ngram_range: tuple[int, int], batch: list[str]) -> None:
    vectorizer = HashingVectorizer(
        n_features=2**12, analyzer="char_wb", ngram_range=ngram_range, alternate_sign=False, norm=None
    )
    actual = char_wb_counts(batch, 2**12, ngram_range)
    assert actual.shape == (len(batch), 2**12) and actual.has_sorted_indices
    if batch:
        expected = vectorizer.transform(batch)
        assert (actual != expected).nnz == 0
        assert np.array_equal(actual.indptr, expected.indptr) and np.array_equal(actual.indices, expected.indices)


@settings(max_examples=40, deadline=None)
@given(st.lists(words, min_size=1, max_size=10, unique=True), st.data())
def test_keys_joined_in_pairs_hash_like_the_two_words_with_a_space(vocabulary: list[str], data) -> None:
    index = st.integers(0, len(vocabulary) - 1)
    pairs = data.draw(st.lists(st.tuples(index, index), max_size=8))
    keys, starts, lengths = utf8_keys(vocabulary, " ")
    assert murmurhash3_32_many(keys, starts, lengths).tolist() == [murmurhash3_32(w, 0) for w in vocabulary]
    first, second = (np.array([pair[k] for pair in pairs], dtype=np.int64) for k in (0, 1))
    pair_keys = joined_pairs(keys, starts, lengths, first, second)
    expected = [murmurhash3_32(f"{vocabulary[a]} {vocabulary[b]}", 0) for a, b in pairs]
    assert murmurhash3_32_many(*pair_keys).tolist() == expected
