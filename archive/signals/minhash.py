"""Vectorised MinHash over character shingles, bit-compatible with datasketch.

datasketch's ``MinHash.update`` hashes one shingle at a time in Python (SHA-1,
then 128 permutations): ~60 documents/s.  Here every shingle of a document is
hashed at once with numpy and the permutations are one broadcast multiply-add
and a column minimum, which is what bounds the speed.

The hash values are exactly those datasketch's default ``"affine32"`` scheme
produces for ``MinHash(num_perm, seed, hashfunc=shingle_hash32)`` fed the same
shingles (the MurmurHash3 32-bit finaliser as a pre-mix, then
``a * h + b mod 2**32`` with datasketch's own permutation parameters, drawn from
``numpy.random.RandomState(seed)``), so the result wraps into a
``LeanMinHash(seed=..., hashvalues=..., scheme="affine32")`` and the LSH stays
datasketch's.  ``tests/signals/test_dedup.py`` checks the equality.

A shingle's hash is a polynomial over its Unicode code points computed modulo
2**64 (uint64 wraparound), mixed with the 64-bit MurmurHash3 finaliser; the
64-bit value identifies shingles for exact Jaccard, and its low 32 bits are the
input hash of the MinHash.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from datasketch import LeanMinHash, MinHash

SCHEME = "affine32"  # datasketch's default since 2.0.0: uint32, bijective permutations
_BASE = np.uint64(0x100000001B3)  # odd multiplier of the polynomial shingle hash
_FMIX64 = (np.uint64(33), np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53))
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35))
_LOW32 = np.uint64(0xFFFFFFFF)
# Long documents are permuted in blocks of shingles so the (num_perm x block)
# uint32 scratch array stays a few MB; a ~1,500-char page is one block.
_BLOCK = 8192


@lru_cache(maxsize=8)
def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's own (a, b) permutation parameters for this scheme and seed, as columns."""
    a, b = MinHash(num_perm=num_perm, seed=seed, scheme=SCHEME).permutations
    return a.astype(np.uint32)[:, None].copy(), b.astype(np.uint32)[:, None].copy()


def code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def shingle_hashes64(text: str, k: int) -> np.ndarray:
    """64-bit hashes of every character k-gram of ``text`` (in order, with repeats).

    Empty when the text is shorter than ``k``.
    """
    return shingle_hashes64_cps(code_points(text), k)


def shingle_hashes64_cps(code_points: np.ndarray, k: int) -> np.ndarray:
    """``shingle_hashes64`` of a text given as its code points."""
    cps = code_points.astype(np.uint64)
    n = cps.size - k + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint64)
    with np.errstate(over="ignore"):
        h = cps[:n].copy()
        for j in range(1, k):
            h *= _BASE
            h += cps[j : j + n]
        s1, m1, m2 = _FMIX64
        h ^= h >> s1
        h *= m1
        h ^= h >> s1
        h *= m2
        h ^= h >> s1
    return h


def shingle_set(text: str, k: int) -> np.ndarray:
    """Sorted unique 64-bit shingle hashes: the set that Jaccard is measured on."""
    return np.unique(shingle_hashes64(text, k))


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard of two sorted unique shingle-hash arrays."""
    if a.size == 0 and b.size == 0:
        return 1.0
    inter = np.intersect1d(a, b, assume_unique=True).size
    return inter / (a.size + b.size - inter)


def shingle_hash32(shingle: str) -> int:
    """The MinHash input hash of one shingle: what datasketch's ``hashfunc`` would return.

    Slow (one shingle at a time); used to check the vectorised path against
    datasketch and as the hash function of the naive baseline in the benchmark.
    """
    return int(shingle_hashes64(shingle, len(shingle))[0] & _LOW32)


def _fmix32(h: np.ndarray) -> np.ndarray:
    s1, m1, s2, m2 = _FMIX32
    h = h ^ (h >> s1)
    h *= m1
    h ^= h >> s2
    h *= m2
    h ^= h >> s1
    return h


def hashvalues(text: str, k: int, num_perm: int = 128, seed: int = 1) -> np.ndarray | None:
    """MinHash hash values (uint32, ``num_perm`` of them) of the k-shingles of ``text``.

    ``None`` when the text has no k-shingle.
    """
    return hashvalues_cps(code_points(text), k, num_perm, seed)


def hashvalues_cps(code_points: np.ndarray, k: int, num_perm: int = 128, seed: int = 1) -> np.ndarray | None:
    """``hashvalues`` of a text given as its code points."""
    h64 = shingle_hashes64_cps(code_points, k)
    if h64.size == 0:
        return None
    # Repeated shingles are permuted too: they cannot change a minimum, and
    # np.unique on 1,500 values costs more than permuting the few repeats.
    h = _fmix32((h64 & _LOW32).astype(np.uint32))
    a, b = permutations(num_perm, seed)
    if h.size <= _BLOCK:
        block = a * h  # (num_perm, shingles) uint32: the wraparound is the mod 2**32
        block += b
        return block.min(axis=1)
    out = np.full(num_perm, np.iinfo(np.uint32).max, dtype=np.uint32)
    for start in range(0, h.size, _BLOCK):
        block = a * h[start : start + _BLOCK]
        block += b
        np.minimum(out, block.min(axis=1), out=out)
    return out


def lean_minhash(values: np.ndarray, seed: int = 1) -> LeanMinHash:
    """Wrap hash values from ``hashvalues`` as datasketch's ``LeanMinHash``."""
    return LeanMinHash(seed=seed, hashvalues=values, scheme=SCHEME)
