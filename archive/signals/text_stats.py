"""Shared text helpers for the signal stages: CJK tests, sentence units, bigram vectors.

Vectors weight a key by (1 + log tf) * idf, with jieba's generic IDF table for
characters and two-character words; ``WeightedBag`` keeps such a vector and its
norm up to date as sentences move between the head and the tail of a document.

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

# Chinese characters: the unified ideographs, extension A, compatibility ideographs
# and the supplementary-plane extensions.
_CJK_RANGES = (
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


_CJK_CLASS = "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _CJK_RANGES)
_CJK_CHAR = re.compile(f"[{_CJK_CLASS}]")
_CJK_RUN = re.compile(f"[{_CJK_CLASS}]+")


def is_cjk(ch: str) -> bool:
    return _CJK_CHAR.match(ch) is not None


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


def char_idf() -> dict[str, float]:
    return idf_tables()[0]


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


_LOG_TF = tuple(1.0 + math.log(n) if n > 0 else 0.0 for n in range(256))


def _log_tf(n: int) -> float:
    """1 + log(n), from a table for the small counts that make up nearly all calls."""
    return _LOG_TF[n] if n < 256 else 1.0 + math.log(n)


class WeightedBag:
    """A count vector with (1 + log tf) * idf weights and its squared norm kept up to
    date, so that moving one sentence between head and tail costs only that
    sentence's keys, not a pass over the whole document."""

    def __init__(self, idf: dict[str, float], unknown: float) -> None:
        self.idf = idf
        self.unknown = unknown
        self.counts: dict[str, int] = {}
        self.norm2 = 0.0

    def weight(self, key: str, n: int) -> float:
        return _log_tf(n) * self.idf.get(key, self.unknown) if n > 0 else 0.0

    def add(self, counts: Counter[str], sign: int = 1) -> None:
        # The hot loop of the off-topic scan: weight() inlined, same arithmetic.
        own, idf, unknown = self.counts, self.idf, self.unknown
        norm2 = self.norm2
        for key, d in counts.items():
            old = own.get(key, 0)
            new = old + sign * d
            w = idf.get(key, unknown)
            w_new = _log_tf(new) * w if new > 0 else 0.0
            w_old = _log_tf(old) * w if old > 0 else 0.0
            norm2 += w_new**2 - w_old**2
            if new > 0:
                own[key] = new
            else:
                own.pop(key, None)
        self.norm2 = norm2

    def cosine(self, other: WeightedBag) -> float:
        small, large = (self, other) if len(self.counts) <= len(other.counts) else (other, self)
        dot = sum(
            small.weight(k, n) * large.weight(k, large.counts[k])
            for k, n in small.counts.items()
            if k in large.counts
        )
        denom = math.sqrt(max(self.norm2, 0.0) * max(other.norm2, 0.0))
        return dot / denom if denom > 0 else 0.0

    def cosine_of_part(self, part: Counter[str]) -> float:
        """cosine(part, self - part) for a ``part`` contained in this bag."""
        dot = part_norm2 = removed = 0.0
        for key, n in part.items():
            whole = self.counts.get(key, 0)
            w_part = self.weight(key, n)
            w_rest = self.weight(key, whole - n)
            dot += w_part * w_rest
            part_norm2 += w_part * w_part
            removed += self.weight(key, whole) ** 2 - w_rest * w_rest
        denom = math.sqrt(part_norm2 * max(self.norm2 - removed, 0.0))
        return dot / denom if denom > 0 else 0.0
