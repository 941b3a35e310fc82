"""Sentence units and the weighted vectors behind the off-topic signal."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

from archive.signals.text_stats import (
    cjk_count,
    content_bigrams,
    content_chars,
    cosine,
    key_matrices,
    row_cosines,
    sentence_units,
    sublinear,
    weights_of,
)


def test_sentence_units_split_at_both_widths_and_keep_offsets():
    text = "第一句。第二句;第三句；他说：“好！”\n\n第五句?末尾没有标点"
    units = sentence_units(text)
    assert [u.text for u in units] == [
        "第一句。",
        "第二句;",
        "第三句；",
        "他说：“好！”",
        "第五句?",
        "末尾没有标点",
    ]
    for u in units:
        assert text[u.start : u.end] == u.text


def test_cjk_count_covers_extension_planes_only_for_han():
    assert cjk_count("ab中文，12𠀀") == 3


def test_key_matrices_count_what_the_direct_functions_count():
    texts = [
        "市图书馆改造工程正式完工，阅览座位增加到一千五百个。",
        "中超联赛第二十轮比赛昨晚结束𠀀𠀁。",
        "",
        "图书",
    ]
    bigrams, chars = key_matrices(texts, [0, 1, 1, 2])
    assert bigrams.counts.shape[0] == chars.counts.shape[0] == 3
    # Row 1 holds texts 1 and 2; no pair spans two texts (图书 of text 3 stays in row 2).
    expected_rows = [content_bigrams(texts[0]), content_bigrams(texts[1]), content_bigrams(texts[3])]
    assert sum(expected_rows, Counter()).total() == bigrams.counts.sum()
    for row, expected in enumerate(expected_rows):
        assert bigrams.counts[row].sum() == sum(expected.values())
    assert chars.counts.sum() == sum(sum(content_chars(t).values()) for t in texts)


def test_row_cosines_match_direct_cosines():
    head_text = "市图书馆改造工程正式完工，阅览座位增加到一千五百个，图书馆延长了开放时间。"
    tail_text = "中超联赛第二十轮比赛昨晚结束，客队逆转取胜，图书馆球迷很高兴。"
    bigrams, _chars = key_matrices([head_text, tail_text, head_text], [0, 1, 2])
    head = bigrams.counts[[0]]
    tail = bigrams.counts[[1]]
    direct = cosine(sublinear(content_bigrams(tail_text)), sublinear(content_bigrams(head_text)))
    assert row_cosines(tail, head, bigrams.idf)[0] == pytest.approx(direct, abs=1e-12)
    assert 0 < direct < 1
    assert row_cosines(head, bigrams.counts[[2]], bigrams.idf)[0] == pytest.approx(1.0)
    # An empty row has no direction: cosine 0, not a division error.
    assert row_cosines(head, np.zeros_like(head), bigrams.idf)[0] == 0.0
    weights = weights_of(np.array([[0, 1, 3]]), np.array([2.0, 2.0, 2.0]))
    assert weights.tolist() == [[0.0, 2.0, 2.0 * (1 + math.log(3))]]
