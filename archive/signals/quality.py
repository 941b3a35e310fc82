"""Quality signals for Chinese text (Gopher-style repetition, counted in characters).

Chinese has no spaces between words, so the English rules (word counts, mean word
length, stop words) do not apply; every figure here counts characters:

- ``chars``: length of the body in characters, whitespace excluded.
- ``cjk_ratio``: Chinese characters / letters, digits and Chinese characters
  (punctuation and whitespace left out, so a normal Chinese article with figures
  scores about 0.9 and ASCII junk near 0).
- ``terminal_punct_ratio``: share of the body's lines (paragraphs) that end in
  sentence-ending punctuation (。！？!?；;… or a full stop, or a closing quote after one):
  menus, keyword lines and link lists do not.
- ``dup_line_ratio``: characters in lines that repeat an earlier line, / all line
  characters (Gopher's duplicate-line character fraction).
- ``dup_ngram_ratio``: characters covered by a character 10-gram that already
  occurred earlier in the text, / all characters (whitespace removed; Gopher's
  duplicate n-gram character fraction with characters for words). Ten characters
  are about four Chinese words: natural repetition of names and terms stays low,
  pasted blocks do not.

The score multiplies one factor per signal, each in [0, 1]:

    quality = f_len * f_cjk * f_term * (1 - dup_line_ratio) * (1 - dup_ngram_ratio)
    f_len  = min(1, chars / 200) ** 0.5          (a 50-character body gets 0.5)
    f_cjk  = clamp((cjk_ratio - 0.2) / 0.5, 0, 1) (0 at 20 % Chinese, 1 from 70 %)
    f_term = 0.5 + 0.5 * terminal_punct_ratio    (no line ends a sentence: halved)

so an ordinary article scores 0.8-1.0, and a body that is short, mostly not
Chinese, without sentences or repeated scores low on each count.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from ..models import QualityResult
from .text_stats import CJK_RANGES, CLOSERS, TERMINAL_MARKS

NGRAM = 10
FULL_LENGTH_CHARS = 200
CJK_FLOOR = 0.2
CJK_SPAN = 0.5
_SENTENCE_END = TERMINAL_MARKS + "…."


class _NonAlnumDeleter(dict):
    """``str.translate`` table deleting every character that is not ``isalnum()``, filled as met."""

    def __missing__(self, code_point: int) -> int | None:
        value = code_point if chr(code_point).isalnum() else None
        self[code_point] = value
        return value


_DROP_NON_ALNUM = _NonAlnumDeleter()


def _cjk_count(text: str) -> int:
    """``text_stats.cjk_count`` (Chinese characters, same ranges) with numpy instead of a regex findall."""
    cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    return sum(int(np.count_nonzero((cps >= lo) & (cps <= hi))) for lo, hi in CJK_RANGES)


def _ends_sentence(line: str) -> bool:
    stripped = line.rstrip().rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def dup_line_ratio(lines: list[str]) -> float:
    """Characters in lines that repeat an earlier line, / all line characters."""
    total = sum(len(line) for line in lines)
    if not total:
        return 0.0
    seen: set[str] = set()
    dup = 0
    for line in lines:
        if line in seen:
            dup += len(line)
        seen.add(line)
    return dup / total


def dup_ngram_ratio_reference(text: str, n: int = NGRAM) -> float:
    """The definition of ``dup_ngram_ratio``, one Python step per character (slow path)."""
    if len(text) < n:
        return 0.0
    counts: Counter[str] = Counter()
    covered = bytearray(len(text))
    for i in range(len(text) - n + 1):
        gram = text[i : i + n]
        if counts[gram]:
            covered[i : i + n] = b"\x01" * n
        counts[gram] += 1
    return sum(covered) / len(text)


def dup_ngram_ratio(text: str, n: int = NGRAM) -> float:
    """Characters covered by an ``n``-gram seen earlier in ``text``, / all characters.

    Same value as ``dup_ngram_ratio_reference``, computed with numpy: every
    character becomes its rank among the text's distinct characters, each
    ``n``-gram is packed exactly (no hashing) into a few 64-bit keys, and a
    stable sort of the keys puts every repeat after its first occurrence.
    """
    length = len(text)
    if length < n:
        return 0.0
    cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    distinct, ranks = np.unique(cps, return_inverse=True)
    bits = max(1, (len(distinct) - 1).bit_length())
    per_key = 64 // bits  # characters packed into one key
    grams = length - n + 1
    ranks = ranks.astype(np.uint64)
    keys = []
    for start in range(0, n, per_key):
        key = np.zeros(grams, dtype=np.uint64)
        for j in range(start, min(n, start + per_key)):
            key = (key << np.uint64(bits)) | ranks[j : j + grams]
        keys.append(key)
    order = np.lexsort(keys[::-1])  # by the first key, then the next...; stable
    new_group = np.zeros(grams, dtype=bool)
    new_group[0] = True
    for key in keys:
        ordered = key[order]
        new_group[1:] |= ordered[1:] != ordered[:-1]
    # Within a group the sort kept text order: all but its first are repeats.
    starts = order[~new_group]
    if not starts.size:
        return 0.0
    edges = np.bincount(starts, minlength=length + 1)[: length + 1].astype(np.int64)
    edges[n:] -= np.bincount(starts + n, minlength=length + 1)[n : length + 1]
    covered = int(np.count_nonzero(np.cumsum(edges[:length])))
    return covered / length


def score(chars: int, cjk_ratio: float, terminal_ratio: float, dup_lines: float, dup_ngrams: float) -> float:
    """The combined score (formula in the module docstring)."""
    f_len = min(1.0, chars / FULL_LENGTH_CHARS) ** 0.5
    f_cjk = min(1.0, max(0.0, (cjk_ratio - CJK_FLOOR) / CJK_SPAN))
    f_term = 0.5 + 0.5 * terminal_ratio
    return f_len * f_cjk * f_term * (1.0 - dup_lines) * (1.0 - dup_ngrams)


def measure(body: str) -> QualityResult:
    """Stage: body text → ``QualityResult``."""
    compact = "".join(body.split())
    alnum = compact.translate(_DROP_NON_ALNUM)
    cjk = _cjk_count(alnum)
    cjk_ratio = cjk / len(alnum) if alnum else 0.0
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    terminal = sum(_ends_sentence(line) for line in lines) / len(lines) if lines else 0.0
    dup_lines = dup_line_ratio(lines)
    dup_ngrams = dup_ngram_ratio(compact)
    return QualityResult(
        chars=len(compact),
        cjk_ratio=round(cjk_ratio, 4),
        terminal_punct_ratio=round(terminal, 4),
        dup_line_ratio=round(dup_lines, 4),
        dup_ngram_ratio=round(dup_ngrams, 4),
        quality=round(score(len(compact), cjk_ratio, terminal, dup_lines, dup_ngrams), 4),
    )
