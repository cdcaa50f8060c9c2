"""scikit-learn's feature hashing, vectorised: MurmurHash3 of many byte strings at once, and the hashed
character n-grams of many words.

scikit-learn hashes one feature string at a time (a Python string for every n-gram, then one call each),
which made hashing the words that the n-gram cache had not seen yet the slowest step of a cold start. Here
the keys are slices of one UTF-8 buffer and MurmurHash3 (x86, 32 bits) runs block by block over all keys
as numpy operations on unsigned 32-bit integers, which wrap around exactly like the C code's.
No scikit-learn is needed to predict: tests/test_hashing.py checks every value against
sklearn.utils.murmurhash3_32 and the vectorizer.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

# MurmurHash3_x86_32's constants (Austin Appleby's reference implementation, as scikit-learn compiles it).
C1, C2 = np.uint32(0xCC9E2D51), np.uint32(0x1B873593)
BLOCK_ADD = np.uint32(0xE6546B64)
FMIX1, FMIX2 = np.uint32(0x85EBCA6B), np.uint32(0xC2B2AE35)
BLOCK_BYTES = 4
TAIL_MASKS = np.array([0, 0xFF, 0xFFFF, 0xFFFFFF], dtype=np.uint32)  # the bytes of a last, partial block
# Keys longer than this (URLs, data blobs) are rare: hashed one by one, so that one long key never makes the
# block loop run thousands of times over the whole batch.
MAX_VECTOR_KEY_BYTES = 256
PADDING = 2  # the space before and the space after each word


def murmurhash3_32_many(data: bytes, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Signed MurmurHash3_x86_32 (seed 0) of the keys ``data[start:start + length]``, as int64; equal to
    ``sklearn.utils.murmurhash3_32(key, 0)`` for each key."""
    starts, lengths = np.asarray(starts, dtype=np.int64), np.asarray(lengths, dtype=np.int64)
    hashes = np.zeros(len(starts), dtype=np.uint32)
    short = lengths <= MAX_VECTOR_KEY_BYTES
    if short.any():
        hashes[short] = _murmur_short(data, starts[short], lengths[short])
    for k in np.flatnonzero(~short).tolist():
        start = int(starts[k])
        hashes[k] = murmurhash3_32_one(data[start : start + int(lengths[k])])
    return hashes.view(np.int32).astype(np.int64)


def murmurhash3_32_one(key: bytes) -> int:
    """Unsigned MurmurHash3_x86_32 (seed 0) of one key, in plain Python: for the rare long keys."""
    mask, h = 0xFFFFFFFF, 0
    blocks = len(key) // BLOCK_BYTES
    for (k,) in struct.iter_unpack("<I", key[: blocks * BLOCK_BYTES]):
        h ^= _mix_one(k)
        h = ((((h << 13) | (h >> 19)) & mask) * 5 + int(BLOCK_ADD)) & mask
    tail = key[blocks * BLOCK_BYTES :]
    if tail:
        h ^= _mix_one(int.from_bytes(tail, "little"))
    h ^= len(key) & mask
    h ^= h >> 16
    h = (h * int(FMIX1)) & mask
    h ^= h >> 13
    h = (h * int(FMIX2)) & mask
    return h ^ (h >> 16)


def _mix_one(k: int) -> int:
    """`_mix` of one block, on Python integers."""
    k = (k * int(C1)) & 0xFFFFFFFF
    k = ((k << 15) | (k >> 17)) & 0xFFFFFFFF
    return (k * int(C2)) & 0xFFFFFFFF


def utf8_keys(texts: Sequence[str], separator: str = "") -> tuple[bytes, np.ndarray, np.ndarray]:
    """The texts in UTF-8, joined by `separator` (and followed by it), and each text's start and length in bytes."""
    utf8, byte_at = _utf8_offsets(separator.join(texts) + separator if texts else "")
    chars = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + len(separator)
    bounds = byte_at[np.cumsum(chars) - chars]
    return utf8, bounds, byte_at[np.cumsum(chars) - len(separator)] - bounds


def joined_pairs(data: bytes, starts: np.ndarray, lengths: np.ndarray, first: np.ndarray, second: np.ndarray,
                 ) -> tuple[bytes, np.ndarray, np.ndarray]:
    """Keys made of two keys of `data` with the byte after the first one (a separator) between them: key
    ``first[k]``, that byte, key ``second[k]``; as `utf8_keys` returns keys."""
    pieces = np.column_stack([starts[first], starts[second]]).ravel()
    sizes = np.column_stack([lengths[first] + 1, lengths[second]]).ravel()
    joined = np.frombuffer(data, dtype=np.uint8)[concatenated_ranges(pieces, sizes)].tobytes()
    pair_lengths = lengths[first] + 1 + lengths[second]
    return joined, np.cumsum(pair_lengths) - pair_lengths, pair_lengths


def concatenated_ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """``start, start + 1, ..., start + length - 1`` for each start and length, one range after the other."""
    lengths = np.asarray(lengths, dtype=np.int64)
    ends = np.cumsum(lengths)
    return np.repeat(np.asarray(starts, dtype=np.int64) - (ends - lengths), lengths) + np.arange(ends[-1] if len(ends) else 0)


def hashed_columns(hashes: np.ndarray, n_features: int) -> np.ndarray:
    """The column FeatureHasher gives a signed 32-bit hash: |hash| mod n_features (|-2**31| taken as 2**31)."""
    return np.abs(hashes.astype(np.int64)) % n_features


def char_wb_counts(words: Sequence[str], n_features: int, ngram_range: tuple[int, int]) -> sp.csr_matrix:
    """The counts of HashingVectorizer(analyzer="char_wb", ngram_range=ngram_range, alternate_sign=False,
    norm=None) for lower-cased documents of one word each (no white space): one row per word, float64, sorted
    indices."""
    if not words:
        return sp.csr_matrix((0, n_features))
    utf8, byte_at = _utf8_offsets(" " + "  ".join(words) + " ")  # each word with its own space before and after
    padded = np.fromiter(map(len, words), dtype=np.int64, count=len(words)) + PADDING
    first = np.cumsum(padded) - padded  # where each padded word starts, in characters
    rows, starts, ends = [], [], []
    low, high = ngram_range
    for n in range(low, high + 1):
        # sklearn stops after the first size that covers the whole padded word (then its only n-gram is the
        # word): a one-letter word, 3 characters padded, has 2-grams and one 3-gram, and no 4-gram.
        count = np.where((n == low) | (padded > n - 1), np.maximum(1, padded - n + 1), 0)
        word = np.repeat(np.arange(len(words)), count)
        begin = concatenated_ranges(first, count)
        rows.append(word)
        starts.append(byte_at[begin])
        ends.append(byte_at[begin + np.minimum(n, padded[word])])
    start, end = np.concatenate(starts), np.concatenate(ends)
    columns = hashed_columns(murmurhash3_32_many(utf8, start, end - start), n_features)
    counts = sp.csr_matrix((np.ones(len(columns)), (np.concatenate(rows), columns)), shape=(len(words), n_features))
    counts.sum_duplicates()
    return counts


def _murmur_short(data: bytes, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Unsigned MurmurHash3 of keys of at most MAX_VECTOR_KEY_BYTES bytes."""
    buffer = np.frombuffer(data + bytes(BLOCK_BYTES), dtype=np.uint8)
    # word[p] is the little-endian 32-bit integer of bytes p..p+3: an overlapping view, read without copying.
    word = np.ndarray((len(buffer) - BLOCK_BYTES + 1,), dtype="<u4", buffer=buffer, strides=(1,))
    blocks = lengths // BLOCK_BYTES
    h = np.zeros(len(starts), dtype=np.uint32)
    with np.errstate(over="ignore"):
        for j in range(int(blocks.max()) if len(blocks) else 0):
            active = np.flatnonzero(blocks > j)
            k = _mix(word[starts[active] + BLOCK_BYTES * j])
            h[active] = _rotl(h[active] ^ k, 13) * np.uint32(5) + BLOCK_ADD
        masks = TAIL_MASKS[lengths % BLOCK_BYTES]
        last = (word[starts + BLOCK_BYTES * blocks] & masks).astype(np.uint32)
        h ^= _mix(last)  # no tail: k is 0 and mixes to 0, leaving h as it is
        h ^= lengths.astype(np.uint32)
        h ^= h >> np.uint32(16)
        h *= FMIX1
        h ^= h >> np.uint32(13)
        h *= FMIX2
        h ^= h >> np.uint32(16)
    return h


def _utf8_offsets(text: str) -> tuple[bytes, np.ndarray]:
    """`text` in UTF-8, and the byte offset there of each of its characters, and one past the end."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    widths = 1 + (codes >= 0x80).astype(np.int64) + (codes >= 0x800) + (codes >= 0x10000)
    return text.encode("utf-8"), np.concatenate([[0], np.cumsum(widths)])


def _mix(k: np.ndarray) -> np.ndarray:
    """A block's scrambling before it enters the hash."""
    return _rotl(k * C1, 15) * C2


def _rotl(x: np.ndarray, r: int) -> np.ndarray:
    return (x << np.uint32(r)) | (x >> np.uint32(32 - r))
