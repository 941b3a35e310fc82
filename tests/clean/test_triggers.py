import re
from pathlib import Path

import pytest

from archive.clean.boilerplate import rule_reason
from archive.clean.patterns import BOILERPLATE_RULES
from archive.clean.triggers import _EXTRA_FOLDS, required_chars

DEVSET_PAGES = Path(__file__).resolve().parents[2].parent / "shared" / "devset" / "pages"


@pytest.mark.parametrize(
    ("pattern", "flags", "expected"),
    [
        (r"版[权權]所有", 0, "版"),  # a sequence: its most selective item
        (r"[:：]", 0, ":："),
        (r"版权所有|[©]|\(c\)\s*\d{4}", 0, "版©("),  # an alternation: the union of its branches
        (r"^\s*(?:首页|主页)\s*>", 0, ">"),  # anchors and optional parts require nothing
        (r"x?[甲乙]{2,}", 0, "甲乙"),  # a repeat counts when it must happen
        (r"(?=来源)\d+年", 0, "年"),  # a look-ahead consumes nothing of its own
        (r"QQ\s*：", re.IGNORECASE, "："),
        (r"tags?", re.IGNORECASE, "gGsSſ"),  # "s" holds the fewest folds of t, a, g... (2+1)
    ],
)
def test_required_chars_of_each_construct(pattern, flags, expected):
    found = required_chars(re.compile(pattern, flags))
    assert found is not None
    if pattern == r"tags?":
        # t, a and g fold to two characters each: any one of them is a sound answer.
        assert len(found) == 2 and re.fullmatch(r"[tT]{2}|[aA]{2}|[gG]{2}", "".join(sorted(found)))
    else:
        assert found == frozenset(expected)


@pytest.mark.parametrize(
    "pattern",
    [r".+", r"[^。]{3}", r"\w+", r"a*b?", r"(x)?\1", r"[\u4e00-\u9fff]{2}"],
)
def test_patterns_that_do_not_say_have_no_required_chars(pattern):
    assert required_chars(re.compile(pattern)) is None


def test_case_folds_are_every_character_re_matches_case_insensitively():
    # Every non-ASCII character that re.IGNORECASE matches to an ASCII letter is listed.
    letters = re.compile("[a-z]", re.IGNORECASE)
    folding = {chr(code) for code in range(128, 0x110000) if letters.fullmatch(chr(code))}
    listed = {ch for chars in _EXTRA_FOLDS.values() for ch in chars}
    assert folding == listed
    assert "\u212a" in required_chars(re.compile("k", re.IGNORECASE))


def _sample_lines() -> list[str]:
    lines = [
        "版权所有 © 2024 某某网",
        "Copyright 2011 Example Inc. All Rights Reserved",
        "COPYRIGHT ſ 2011",  # long s: re matches it to "s" case-insensitively
        "电话：010-12345678 邮箱：news@example.com",
        "联系我们 QQ：123456",
        "首页 > 新闻 > 国内",
        "当前位置：首页",
        "京ICP备12345678号 京公网安备 11010502000001号",
        "网友评论",
        "上一篇：某某",
        "本文来源：某某日报",
        "某某网,www.example.com",
        "https://example.com/a?b=1",
        "甲 | 乙 | 丙 | 丁",
        "记者今天从有关部门获悉，这项工程已经全面完工并投入使用。",
    ]
    pages = sorted(DEVSET_PAGES.glob("*.txt"))
    assert len(pages) >= 90  # the devset's text dumps: real pages' furniture
    for path in pages:
        lines += [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines


def test_a_line_holding_none_of_a_rules_required_chars_never_matches_it():
    lines = _sample_lines()
    checked = 0
    for rule in BOILERPLATE_RULES:
        assert rule.triggers is not None, rule.name  # every rule of today's set gets the shortcut
        for line in lines:
            if rule.pattern.search(line) is not None:
                checked += 1
                assert not rule.triggers.isdisjoint(line), (rule.name, line)
    assert checked > 20


def test_rule_reason_gives_the_same_label_with_and_without_the_shortcut():
    def without_shortcut(line: str) -> str | None:
        # The rule loop as it was before the shortcut (the widget/listing checks after it
        # are the same code either way, so only the first firing rule is compared).
        from archive.clean.patterns import is_prose

        for rule in BOILERPLATE_RULES:
            if rule.max_len is not None and len(line) > rule.max_len:
                continue
            if is_prose(line) and not rule.allow_prose:
                continue
            if rule.pattern.search(line) is not None:
                return rule.reason
        return None

    for line in _sample_lines():
        expected = without_shortcut(line)
        if expected is not None:
            assert rule_reason(line) == expected, line


def test_widget_row_and_list_line_shortcuts_answer_as_the_plain_definitions():
    """is_widget_row stops at the first token that is not a widget word and is_list_line
    counts separator characters before splitting: both must answer as the plain
    definitions do, on real lines and on rows written to sit on each edge."""
    from archive.clean.boilerplate import (
        _LIST_SEP,
        LIST_MAX_AVG_ITEM,
        LIST_MIN_BULLETS,
        LIST_MIN_ITEMS,
        is_list_line,
        is_widget_row,
    )
    from archive.clean.patterns import WIDGET_SPLIT, WIDGET_WORDS

    def plain_widget_row(line: str) -> bool:
        tokens = [t for t in WIDGET_SPLIT.split(line) if t]
        return bool(tokens) and all(t.lower() in WIDGET_WORDS for t in tokens)

    def plain_list_line(line: str) -> bool:
        if sum(line.count(mark) for mark in "・•●◆■") >= LIST_MIN_BULLETS:
            return True
        items = [item for item in _LIST_SEP.split(line) if item.strip()]
        if len(items) < LIST_MIN_ITEMS:
            return False
        return sum(len(item) for item in items) / len(items) <= LIST_MAX_AVG_ITEM or "。" not in line

    edges = [
        "分享 打印 关闭",
        "【分享】【打印】",
        "分享：",
        "：",
        "分享 打印 某某",
        "某某 分享",
        "甲  乙  丙  丁  戊",  # four separators (two spaces each): five items
        "甲  乙  丙  丁",
        "甲｜乙｜丙｜丁｜戊",
        "甲・乙・丙",
        "甲，乙 ，丙 ，丁 ，戊。",
        "甲\u3000\u3000乙\u3000\u3000丙\u3000\u3000丁\u3000\u3000戊",
    ]
    lines = edges + _sample_lines()
    assert [is_widget_row(x) for x in lines] == [plain_widget_row(x) for x in lines]
    assert [is_list_line(x) for x in lines] == [plain_list_line(x) for x in lines]
    assert is_widget_row("分享 打印 关闭") and not is_widget_row("分享 打印 某某")
    assert is_list_line("甲  乙  丙  丁  戊") and not is_list_line("甲  乙  丙  丁")
