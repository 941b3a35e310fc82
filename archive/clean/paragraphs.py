"""Rejoin paragraphs that the page layout cut mid-sentence.

A paragraph is *cut* when it is long (a heading is short) and does not end a
sentence (``。！？!?…``, ``；``, possibly followed by closing quotes/brackets).
It is joined to the very next paragraph when that one reads as a continuation:

- it is not a heading (a short line without sentence punctuation),
- it is not date-led (``2021年5月,…``, ``6月20日,…``, ``2021-05-01``) or
  list-led (``一、``, ``(二)``, ``3.``),
- it does not plainly start fresh: its first sentence is not a short complete
  one (``这是一段…的光阴。``), it does not open with a bracketed kicker
  (``【…】``) or a sentence adverbial (``此外``, ``目前``, ``近年来`` …).

A next paragraph that starts with a character that cannot start a sentence
(``的``, ``了``, ``着`` …, clause punctuation, a closing bracket or quote, a
lowercase Latin letter) is a continuation whatever else it looks like.
Only a paragraph that stops inside Chinese text or an English word counts as
cut; a colon introduces what follows, digits or a URL end a reference.
A cut paragraph that is not joined leaves the document ``fragmented``.
"""

from __future__ import annotations

import re

from .patterns import CLAUSE, CLOSERS, TERMINAL

# Sentence-final marks for the join test; ；/; ends list items, so it counts too.
_ENDS = TERMINAL + "；;"
CUT_MIN_CHARS = 30  # a cut paragraph is at least this long …
CUT_MIN_CHARS_NO_CLAUSE = 40  # … or this long when it holds no clause punctuation
HEADING_MAX_CHARS = 40
# A complete first sentence of this length (a lead such as "这是一段…的光阴。") plainly
# starts fresh; a shorter one is more likely the tail of a cut sentence ("…才" + "写完。").
FRESH_SENTENCE_MIN = 8
FRESH_SENTENCE_MAX = 20

# Characters that cannot start a sentence: structural particles and suffixes.
_CONTINUATION_LEAD = re.compile(r"^(?:[的了着著过過地得们們之，,、；;：:）)」』”’]|[a-z])")
_DATE_LEAD = re.compile(
    r"^(?:(?:19|20)\d{2}\s*(?:年|[-/.])|\d{1,2}\s*月\s*\d{1,2}\s*日|[(（]?[一二三四五六七八九十]+[、.．)）]|"
    r"[(（]\d+[)）]|\d+\s*[、.．]\D)"
)
_FRESH_SENTENCE = re.compile(
    r"^[^"
    + CLAUSE
    + _ENDS
    + r"]{"
    + str(FRESH_SENTENCE_MIN - 1)
    + ","
    + str(FRESH_SENTENCE_MAX)
    + r"}["
    + TERMINAL
    + r"]"
)
_KICKER_LEAD = re.compile(r"^[【\[■●◆▲★☆※]")
_ADVERBIAL_LEAD = re.compile(
    r"^(?:此外|另外|同时|同時|与此同时|與此同時|目前|近年来|近年來|近日|日前|据悉|據悉|据了解|據了解|随后|隨後|然而"
    r"|因此|总之|總之|首先|其次|最后|最後|今年|去年|明年|本报讯|本報訊)"
)


def ends_sentence(paragraph: str) -> bool:
    text = paragraph.rstrip().rstrip(CLOSERS)
    if not text:
        return True
    # A paragraph ending with a closing quote/bracket and no final mark inside it
    # (a quoted phrase, a bracketed note) is treated as complete: it is rarely a cut.
    if text != paragraph.rstrip():
        return True
    # "…的印象." : a half-width full stop after Chinese text ends a sentence too.
    if text[-1] == "." and len(text) >= 2 and "\u4e00" <= text[-2] <= "\u9fff":
        return True
    return text[-1] in _ENDS


def is_heading(paragraph: str) -> bool:
    """A short line without sentence punctuation."""
    return len(paragraph) <= HEADING_MAX_CHARS and not any(ch in paragraph for ch in TERMINAL + "，,；;")


def is_cut(paragraph: str) -> bool:
    """Long enough to be prose and stops mid-sentence, inside Chinese text or an English word.

    A paragraph ending with a colon introduces what follows (a list); one ending
    with digits or a URL is a reference, not a cut sentence.
    """
    if ends_sentence(paragraph) or is_heading(paragraph):
        return False
    last = paragraph.rstrip()[-1:]
    if not ("\u4e00" <= last <= "\u9fff" or last.islower()):
        return False
    has_clause = any(ch in paragraph for ch in CLAUSE)
    return len(paragraph) >= (CUT_MIN_CHARS if has_clause else CUT_MIN_CHARS_NO_CLAUSE)


def continues(nxt: str) -> bool:
    """Whether ``nxt`` reads as the continuation of a sentence cut just before it."""
    if _CONTINUATION_LEAD.match(nxt):
        return True
    if is_heading(nxt):
        return False
    return not (
        _DATE_LEAD.match(nxt)
        or _FRESH_SENTENCE.match(nxt)
        or _KICKER_LEAD.match(nxt)
        or _ADVERBIAL_LEAD.match(nxt)
    )


def _glue(left: str, right: str) -> str:
    # Latin words need their space back; Chinese runs together.
    if left[-1:].isascii() and left[-1:].isalnum() and right[:1].isascii() and right[:1].isalnum():
        return f"{left} {right}"
    return left + right


def join_cut_paragraphs(paragraphs: list[str]) -> tuple[list[str], bool, int]:
    """(paragraphs with cuts rejoined, fragmented, number of joins made)."""
    out: list[str] = []
    fragmented = False
    joins = 0
    i = 0
    while i < len(paragraphs):
        current = paragraphs[i]
        while is_cut(current) and i + 1 < len(paragraphs) and continues(paragraphs[i + 1]):
            current = _glue(current, paragraphs[i + 1])
            joins += 1
            i += 1
        if is_cut(current):
            fragmented = True
        out.append(current)
        i += 1
    return out, fragmented, joins
