"""Shared text helpers for the signal stages: CJK tests, sentence units, bigram vectors.

Vectors weight a key by (1 + log tf) * idf, with jieba's generic IDF table for
characters and two-character words; ``key_matrices`` counts the keys of many
sentences at once so that the head and tail of every split of a document are
compared in a few numpy operations.

Sentence units end at 。！？!? and ; ； (both widths), at a line break, and take
closing quotes/brackets that follow the terminal mark with them, so a unit's
offsets can be used as cut points that never split a quotation.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

# Chinese characters: the unified ideographs, extension A, compatibility ideographs
# and the supplementary-plane extensions.
CJK_RANGES = (
    (0x4E00, 0x9FFF),
    (0x3400, 0x4DBF),
    (0xF900, 0xFAFF),
    (0x20000, 0x3134F),
)

TERMINAL_MARKS = "。！？!?；;"
# Marks that end a sentence in running text (a line ending in one of these is prose).
# "…" and closing quotes count: a quotation ends with 。” and an ellipsis ends a list.
LINE_END_MARKS = "。！？!?；;…”’」』）)】."
CLOSERS = "”’」』）)】》\"'"

# Function characters: particles, pronouns, prepositions, conjunctions and the most
# common auxiliary verbs. Bigrams holding one of them are shared by any two Chinese
# texts, so they are dropped from topic vectors; and a run of phrases without any of
# them is a list of nouns rather than a sentence.
FUNCTION_CHARS = frozenset(
    "的了着过是在和与及或而且并被把将为对以于之其这那此该有个们也就都又还再很最更"
    "不没已要会能可让使从向到由给等所如若但因此则即"
)
# Particles, pronouns and light verbs that a sentence needs and a noun phrase does
# without; a phrase holding none of them reads as a keyword.
PARTICLES = frozenset("的了着过是在被把将而并也就都又还很这那们吗呢吧啊让使给从向对于得地")

_UNIT_RE = re.compile(
    rf"[^{TERMINAL_MARKS}\n]*(?:[{TERMINAL_MARKS}]+[{CLOSERS}]*|\n+|$)",
)


_CJK_CLASS = "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in CJK_RANGES)
_CJK_CHAR = re.compile(f"[{_CJK_CLASS}]")
_CJK_RUN = re.compile(f"[{_CJK_CLASS}]+")


def cjk_count(text: str) -> int:
    return len(_CJK_CHAR.findall(text))


@dataclass(frozen=True)
class Unit:
    """One sentence unit: ``text[start:end]``; ``start`` is its first non-space character."""

    start: int
    end: int
    text: str


def sentence_units(text: str) -> list[Unit]:
    """Split ``text`` into sentence units with their offsets (whitespace-only units dropped)."""
    units: list[Unit] = []
    for m in _UNIT_RE.finditer(text):
        raw = m.group(0)
        stripped = raw.strip()
        if not stripped:
            continue
        start = m.start() + (len(raw) - len(raw.lstrip()))
        end = start + len(stripped)
        units.append(Unit(start, end, stripped))
    return units


@cache
def _t2s() -> Callable[[str], str]:
    import opencc  # noqa: PLC0415 - loaded once, on first use

    return opencc.OpenCC("t2s").convert


def fold_traditional(text: str) -> str:
    """Traditional characters as simplified ones (OpenCC t2s), for the vectors only:
    the IDF table is simplified, and a page may mix both scripts."""
    return _t2s()(text)


def content_bigrams(text: str) -> Counter[str]:
    """Counts of adjacent CJK character pairs, leaving out pairs with a function character."""
    counts: Counter[str] = Counter()
    for run in _CJK_RUN.findall(text):
        for a, b in zip(run, run[1:], strict=False):  # adjacent pairs
            if a not in FUNCTION_CHARS and b not in FUNCTION_CHARS:
                counts[a + b] += 1
    return counts


# Weight of a bigram that is not a two-character word in the IDF table: such
# bigrams straddle a word boundary and are as specific as a mid-frequency word.
UNKNOWN_BIGRAM_IDF = 8.0


@cache
def idf_tables() -> tuple[dict[str, float], dict[str, float]]:
    """IDF of single characters and of two-character words, from jieba's generic table.

    jieba ships an IDF table computed on a large general Chinese corpus; its
    one- and two-character entries weight characters and character bigrams:
    shared everyday words (中国, 发展, 进行) then count little, shared names and
    terms a lot.
    """
    chars: dict[str, float] = {}
    bigrams: dict[str, float] = {}
    with resources.files("jieba").joinpath("analyse/idf.txt").open(encoding="utf-8") as f:
        for line in f:
            word, _, value = line.rstrip("\n").partition(" ")
            if len(word) == 2:
                bigrams[word] = float(value)
            elif len(word) == 1:
                chars[word] = float(value)
    return chars, bigrams


def bigram_idf() -> dict[str, float]:
    return idf_tables()[1]


UNKNOWN_CHAR_IDF = 6.0


def content_chars(text: str) -> Counter[str]:
    """Counts of CJK characters other than function characters."""
    return Counter(ch for ch in _CJK_CHAR.findall(text) if ch not in FUNCTION_CHARS)


def sublinear(counts: Counter[str]) -> dict[str, float]:
    """(1 + log tf) * idf: one bigram repeated many times must not dominate the vector,
    and a bigram every text has must not make two texts look alike."""
    idf = bigram_idf()
    return {k: (1.0 + math.log(v)) * idf.get(k, UNKNOWN_BIGRAM_IDF) for k, v in counts.items() if v > 0}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


# --- the same vectors for many splits at once (numpy) -----------------------------------
#
# The off-topic scan compares head and tail at every candidate split of a document.
# Moving sentences between two WeightedBags costs Python work per key; counting every
# key once per sentence in a (rows x keys) matrix and taking suffix sums gives the
# head and tail counts of every split in a few array operations instead.

# Code point classes: 1 for a CJK character, 2 for a CJK character that is not a
# function character (a "content" character, the keys of the vectors).
_CJK_FLAG, _CONTENT_FLAG = 1, 2


@cache
def _code_point_classes() -> np.ndarray:
    classes = np.zeros(0x110000, dtype=np.uint8)
    for lo, hi in CJK_RANGES:
        classes[lo : hi + 1] = _CJK_FLAG | _CONTENT_FLAG
    for ch in FUNCTION_CHARS:
        classes[ord(ch)] = _CJK_FLAG
    return classes


# A bigram's key: first code point shifted past the 21 bits any code point needs.
_PAIR_SHIFT = 21


@dataclass(frozen=True)
class _KeyIdf:
    """An IDF table as two sorted arrays, for looking up many keys at once."""

    keys: np.ndarray  # int64, sorted
    idf: np.ndarray  # float64
    unknown: float

    @classmethod
    def of(cls, table: dict[int, float], unknown: float) -> _KeyIdf:
        keys = np.fromiter(table.keys(), dtype=np.int64, count=len(table))
        idf = np.fromiter(table.values(), dtype=np.float64, count=len(table))
        order = np.argsort(keys)
        return cls(keys[order], idf[order], unknown)

    def lookup(self, keys: np.ndarray) -> np.ndarray:
        at = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
        return np.where(self.keys[at] == keys, self.idf[at], self.unknown)


@cache
def _idf_by_key() -> tuple[_KeyIdf, _KeyIdf]:
    """The IDF tables keyed by code point (characters) and by pair key (bigrams)."""
    chars, bigrams = idf_tables()
    return (
        _KeyIdf.of({ord(ch): v for ch, v in chars.items()}, UNKNOWN_CHAR_IDF),
        _KeyIdf.of(
            {(ord(w[0]) << _PAIR_SHIFT) | ord(w[1]): v for w, v in bigrams.items()}, UNKNOWN_BIGRAM_IDF
        ),
    )


@dataclass
class KeyMatrix:
    """Counts of each distinct key (column) in each row, and the keys' IDF weights."""

    counts: np.ndarray  # int64, rows x keys
    idf: np.ndarray  # float64, one per key


def _key_matrix(keys: np.ndarray, rows: np.ndarray, n_rows: int, idf: _KeyIdf) -> KeyMatrix:
    if not len(keys):
        return KeyMatrix(np.zeros((n_rows, 0), dtype=np.int64), np.zeros(0))
    distinct, column = np.unique(keys, return_inverse=True)
    flat = np.bincount(rows * len(distinct) + column, minlength=n_rows * len(distinct))
    return KeyMatrix(flat.reshape(n_rows, len(distinct)), idf.lookup(distinct))


def key_matrices(texts: list[str], row_of_text: list[int]) -> tuple[KeyMatrix, KeyMatrix]:
    """Content-bigram and content-character counts of ``texts``, summed into rows.

    ``texts[i]`` is counted into row ``row_of_text[i]``; the counts equal
    ``content_bigrams``/``content_chars`` of each text (pairs never span two texts).
    """
    n_rows = max(row_of_text) + 1 if row_of_text else 0
    joined = "\n".join(texts)  # a separator that is no CJK character: no pair spans two texts
    points = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
    row = np.repeat(np.asarray(row_of_text, dtype=np.int64), lengths)[: len(points)]
    content = (_code_point_classes()[points] & _CONTENT_FLAG).astype(bool)
    pair = content[:-1] & content[1:]
    pair_keys = (points[:-1][pair] << _PAIR_SHIFT) | points[1:][pair]
    char_idf, bigram_idf_table = _idf_by_key()
    bigrams = _key_matrix(pair_keys, row[:-1][pair], n_rows, bigram_idf_table)
    chars = _key_matrix(points[content], row[content], n_rows, char_idf)
    return bigrams, chars


def weights_of(counts: np.ndarray, idf: np.ndarray) -> np.ndarray:
    """(1 + log tf) * idf for every count, 0 where the count is 0."""
    positive = counts > 0
    logs = np.log(np.where(positive, counts, 1))
    return np.where(positive, 1.0 + logs, 0.0) * idf


def row_cosines(a: np.ndarray, b: np.ndarray, idf: np.ndarray) -> np.ndarray:
    """Cosine of the weighted vectors of each row of count matrices ``a`` and ``b``."""
    return weighted_cosines(weights_of(a, idf), weights_of(b, idf))


def weighted_cosines(wa: np.ndarray, wb: np.ndarray) -> np.ndarray:
    """``row_cosines`` of matrices already weighted (``weights_of``): one matrix weighted
    once serves every cosine it is in."""
    denom = np.sqrt((wa * wa).sum(axis=1) * (wb * wb).sum(axis=1))
    dot = (wa * wb).sum(axis=1)
    return np.divide(dot, denom, out=np.zeros_like(dot), where=denom > 0)
