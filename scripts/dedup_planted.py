"""Planted near-duplicates and hard negatives built from ../shared/corpus (fixed seed).

Used by scripts/bench_dedup.py (precision/recall, shingle-size sweep) and by a
small-sample floor test.  Every document is a run of consecutive paragraphs of
the People's Daily corpus (~1,500 characters: one article, one topic).

- positive: a base document altered the way republished copies are: 2-10% of
  its characters edited (substituted, inserted or deleted at random places, the
  worst case for character shingles), and, each with probability 1/2, its
  paragraphs reordered, page-furniture lines added, a tail appended.
- hard negative: a document sharing 30-60% of a base document's paragraphs,
  the rest from elsewhere in the corpus (a follow-up story, a digest page).
  These are NOT duplicates.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "peoples_daily_199801.txt"

FURNITURE = [
    "责任编辑：王明",
    "分享到：微信 微博 QQ空间",
    "【打印本页】【关闭窗口】",
    "相关新闻",
    "来源：新华网",
    "扫一扫在手机上查看当前页面",
    "本文转载自其他网站，版权归原作者所有",
    "上一篇 下一篇",
]


def load_paragraphs(path: Path = CORPUS) -> list[str]:
    return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


def paragraph_runs(paragraphs: list[str], target_chars: int = 1500) -> list[list[str]]:
    """Cut the paragraphs, in order, into disjoint runs of about ``target_chars``."""
    runs: list[list[str]] = []
    acc: list[str] = []
    size = 0
    for p in paragraphs:
        acc.append(p)
        size += len(p)
        if size >= target_chars:
            runs.append(acc)
            acc, size = [], 0
    return runs


def edit_chars(text: str, rate: float, rng: random.Random, alphabet: str) -> str:
    chars = list(text)
    for _ in range(max(1, round(rate * len(chars)))):
        i = rng.randrange(len(chars))
        op = rng.random()
        if op < 0.6:
            chars[i] = rng.choice(alphabet)
        elif op < 0.8:
            chars.insert(i, rng.choice(alphabet))
        elif len(chars) > 1:
            del chars[i]
    return "".join(chars)


def near_duplicate(base: list[str], rng: random.Random, alphabet: str, tail_pool: list[str]) -> list[str]:
    rate = rng.uniform(0.02, 0.10)
    paras = [edit_chars(p, rate, rng, alphabet) for p in base]
    if rng.random() < 0.5 and len(paras) > 1:
        rng.shuffle(paras)
    if rng.random() < 0.5:
        for line in rng.sample(FURNITURE, rng.randint(2, 4)):
            paras.insert(rng.choice([0, len(paras)]), line)
    if rng.random() < 0.5:
        tail = rng.choice(tail_pool)
        paras.append(tail[: rng.randint(80, 300)])
    return paras


def hard_negative(base: list[str], rng: random.Random, other: list[str]) -> tuple[list[str], float]:
    """Share 30-60% of ``base``'s characters (whole paragraphs), the rest from ``other``."""
    total = sum(len(p) for p in base)
    want = rng.uniform(0.3, 0.6)
    start = rng.randrange(len(base))
    shared: list[str] = []
    size = 0
    i = start
    # Whole paragraphs, never more than the drawn share (at least one paragraph).
    while len(shared) < len(base):
        p = base[i % len(base)]
        if shared and size + len(p) > want * total:
            break
        shared.append(p)
        size += len(p)
        i += 1
    rest: list[str] = []
    for p in other:
        if size >= total:
            break
        rest.append(p)
        size += len(p)
    return shared + rest, sum(len(p) for p in shared) / total


@dataclass
class PlantedSet:
    docs: list[str] = field(default_factory=list)
    positives: set[tuple[int, int]] = field(default_factory=set)  # (base index, copy index)
    negatives: set[tuple[int, int]] = field(default_factory=set)
    kinds: dict[int, str] = field(default_factory=dict)  # index -> base | near | negative


def planted_set(n_bases: int = 600, seed: int = 7, path: Path = CORPUS) -> PlantedSet:
    """``n_bases`` base documents; a third get a near-duplicate, a third a hard negative.

    Fillers for hard negatives (one filler run per negative, never reused) and
    appended tails come from the last quarter of the corpus, which no base
    document uses, so no pair is similar by accident.
    """
    rng = random.Random(seed)
    paragraphs = load_paragraphs(path)
    cut = len(paragraphs) * 3 // 4
    tails_from = len(paragraphs) * 97 // 100
    runs = paragraph_runs(paragraphs[:cut])
    filler = paragraph_runs(paragraphs[cut:tails_from])
    rng.shuffle(filler)
    tail_pool = [p for p in paragraphs[tails_from:] if len(p) >= 80]
    alphabet = "".join(paragraphs[:2000])
    rng.shuffle(runs)
    bases = runs[:n_bases]
    out = PlantedSet()
    for b in bases:
        out.kinds[len(out.docs)] = "base"
        out.docs.append("\n\n".join(b))
    for i, b in enumerate(bases):
        role = i % 3
        if role == 0:
            out.positives.add((i, len(out.docs)))
            out.kinds[len(out.docs)] = "near"
            out.docs.append("\n\n".join(near_duplicate(b, rng, alphabet, tail_pool)))
        elif role == 1:
            paras, _share = hard_negative(b, rng, filler[(i // 3) % len(filler)])
            out.negatives.add((i, len(out.docs)))
            out.kinds[len(out.docs)] = "negative"
            out.docs.append("\n\n".join(paras))
    return out
