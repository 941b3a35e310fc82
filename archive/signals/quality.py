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

from ..models import QualityResult
from .text_stats import CLOSERS, TERMINAL_MARKS, cjk_count

NGRAM = 10
FULL_LENGTH_CHARS = 200
CJK_FLOOR = 0.2
CJK_SPAN = 0.5
_SENTENCE_END = TERMINAL_MARKS + "…."


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


def dup_ngram_ratio(text: str, n: int = NGRAM) -> float:
    """Characters covered by an ``n``-gram seen earlier in ``text``, / all characters."""
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


def score(chars: int, cjk_ratio: float, terminal_ratio: float, dup_lines: float, dup_ngrams: float) -> float:
    """The combined score (formula in the module docstring)."""
    f_len = min(1.0, chars / FULL_LENGTH_CHARS) ** 0.5
    f_cjk = min(1.0, max(0.0, (cjk_ratio - CJK_FLOOR) / CJK_SPAN))
    f_term = 0.5 + 0.5 * terminal_ratio
    return f_len * f_cjk * f_term * (1.0 - dup_lines) * (1.0 - dup_ngrams)


def measure(body: str) -> QualityResult:
    """Stage: body text → ``QualityResult``."""
    compact = "".join(body.split())
    alnum = [ch for ch in compact if ch.isalnum()]
    cjk = cjk_count("".join(alnum))
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
