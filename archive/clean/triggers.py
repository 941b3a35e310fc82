"""The characters a regular expression cannot match without: a cheap test before a search.

The cleaner searches ~20 class rules in every line no earlier page had shown (most of a
news page's related-article headlines are new), and on short lines most of those searches
fail after trying the pattern at every position.  ``required_chars`` reads a compiled
pattern's syntax tree once and returns a set of characters of which every match holds at
least one (``版[权權]所有|copyright`` needs 版 or one of c/C; ``[:：]`` after a label needs
a colon).  A line holding none of them cannot match, and the search is skipped: the
answer is the same, only cheaper.  ``None`` when the pattern does not say (``.+``,
``\\w+@``, a class such as ``[^。]``): the rule is then always searched.

Sound by construction: a sequence is matched only if each of its required items is, so
any one item's set will do (the smallest is kept); an alternation needs one of its
branches, so the union of theirs; a repeat needs its body only when it repeats at least
once.  Look-arounds, anchors and optional parts require nothing.  Case-insensitive
patterns count every character that folds to the same letter (``k`` also matches the
Kelvin sign ``K``); tests/clean/test_triggers.py checks this against ``re`` itself.
"""

from __future__ import annotations

import re

# re's own parser (private, but the one the patterns are compiled with: its tree is
# exactly what the engine runs). required_chars falls back to None if it ever changes.
from re import _constants as sre_constants
from re import _parser as sre_parse

# Classes wider than this are not listed: they say little about a line.
MAX_CLASS_CHARS = 256

# Under re.IGNORECASE a literal also matches these characters (Python's simple case
# mappings onto ASCII letters, plus re's extra equivalences: ı with i, ſ with s);
# tests/clean/test_triggers.py checks every code point against re.
_EXTRA_FOLDS = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f"}


def _variants(char: str, ignore_case: bool) -> set[str]:
    if not ignore_case or char.lower() == char.upper():
        return {char}
    found = {char, char.lower(), char.upper()}
    for ch in list(found):
        found.update(_EXTRA_FOLDS.get(ch.lower(), ""))
    return found


def _class_chars(items: list, ignore_case: bool) -> set[str] | None:
    chars: set[str] = set()
    for op, av in items:
        if op is sre_constants.LITERAL:
            chars |= _variants(chr(av), ignore_case)
        elif op is sre_constants.RANGE:
            lo, hi = av
            if hi - lo >= MAX_CLASS_CHARS:
                return None
            for code in range(lo, hi + 1):
                chars |= _variants(chr(code), ignore_case)
        else:  # NEGATE, CATEGORY (\w \d \s): any of many characters
            return None
    return chars if len(chars) <= MAX_CLASS_CHARS else None


def _sequence(items: list, flags: int) -> set[str] | None:
    """The smallest required set among the items of a sequence, or None."""
    best: set[str] | None = None
    for op, av in items:
        found = _item(op, av, flags)
        if found is not None and (best is None or len(found) < len(best)):
            best = found
    return best


def _item(op, av, flags: int) -> set[str] | None:  # noqa: ANN001 - sre's untyped tree
    ignore_case = bool(flags & re.IGNORECASE)
    if op is sre_constants.LITERAL:
        return _variants(chr(av), ignore_case)
    if op is sre_constants.IN:
        return _class_chars(av, ignore_case)
    if op is sre_constants.SUBPATTERN:
        _group, add_flags, del_flags, body = av
        return _sequence(list(body), (flags | add_flags) & ~del_flags)
    if op is sre_constants.ATOMIC_GROUP:
        return _sequence(list(av), flags)
    if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT):
        low, _high, body = av
        return _sequence(list(body), flags) if low >= 1 else None
    if op is sre_constants.BRANCH:
        union: set[str] = set()
        for branch in av[1]:
            found = _sequence(list(branch), flags)
            if found is None:
                return None
            union |= found
        return union
    # AT (anchors), ASSERT/ASSERT_NOT (look-arounds) consume nothing; ANY, NOT_LITERAL,
    # GROUPREF and the rest match characters that cannot be listed.
    return None


def required_chars(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Characters of which every match of ``pattern`` holds one; None when it does not say."""
    try:
        tree = sre_parse.parse(pattern.pattern, pattern.flags)
    except Exception:  # noqa: BLE001 - an unreadable tree only costs the shortcut
        return None
    found = _sequence(list(tree), pattern.flags)
    return frozenset(found) if found else None


def trigger_pattern(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """A one-class pattern that finds any of ``required_chars(pattern)``: the cheapest
    test of a string (a C scan, ~0.1 us for a 20-character line against ~0.7 to build
    its set), None when the pattern does not say."""
    return gate_of(required_chars(pattern))


def gate_of(chars: frozenset[str] | None) -> re.Pattern[str] | None:
    """The one-class pattern that finds any of ``chars`` (None for None)."""
    if chars is None:
        return None
    return re.compile("[" + "".join(re.escape(ch) for ch in sorted(chars)) + "]")


def may_match(gate: re.Pattern[str] | None, text: str) -> bool:
    """False only when ``text`` holds none of the characters the gated pattern needs."""
    return gate is None or gate.search(text) is not None
