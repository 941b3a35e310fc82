"""Sentence units and the incremental weighted vectors behind the off-topic signal."""

from __future__ import annotations

import pytest

from archive.signals.text_stats import (
    UNKNOWN_BIGRAM_IDF,
    WeightedBag,
    bigram_idf,
    cjk_count,
    content_bigrams,
    cosine,
    sentence_units,
    sublinear,
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


def test_weighted_bag_matches_direct_cosines():
    head_text = "市图书馆改造工程正式完工，阅览座位增加到一千五百个，图书馆延长了开放时间。"
    tail_text = "中超联赛第二十轮比赛昨晚结束，客队逆转取胜，图书馆球迷很高兴。"
    head = WeightedBag(bigram_idf(), UNKNOWN_BIGRAM_IDF)
    tail = WeightedBag(bigram_idf(), UNKNOWN_BIGRAM_IDF)
    head.add(content_bigrams(head_text + tail_text))
    head.add(content_bigrams(tail_text), -1)  # moving a sentence out of the head
    tail.add(content_bigrams(tail_text))
    direct = cosine(sublinear(content_bigrams(tail_text)), sublinear(content_bigrams(head_text)))
    assert tail.cosine(head) == pytest.approx(direct, abs=1e-9)
    part = content_bigrams("图书馆延长了开放时间")
    direct_part = cosine(sublinear(part), sublinear(content_bigrams(head_text) - part))
    assert head.cosine_of_part(part) == pytest.approx(direct_part, abs=1e-9)
    assert 0 < direct_part < 1
