"""Off-topic text appended to an article: find the tail, cut it out, keep it aside.

SEO pages glue unrelated text onto the end of an article: a paragraph of another
article, a list of search terms, a short keyword blurb, often with no line break.
``detect`` looks for such a *tail*: a suffix of the body that starts at a sentence
boundary (。！？!? ; ； or a line break) in the last paragraph, or at a paragraph
start, and leaves at least 55 % of the text (and 150 CJK characters) as the article.

Split scan (TextTiling-style): every candidate boundary, from the earliest to the
latest, splits the body into *head* (before) and *tail* (after), and the two
distributions are compared; the first boundary where all the evidence agrees is
the cut, so every unrelated sentence is taken and a later on-topic one is not.
Evidence, each a measured figure (``TailEvidence``):

- **cohesion**: cosine of the character-bigram vectors of tail and head (CJK pairs,
  pairs with a function character left out, weights (1 + log tf) * idf with
  jieba's generic IDF table) below ``MAX_BIGRAM_COHESION``. An article's own last
  paragraph shares names and terms with the rest; an unrelated one shares only
  everyday words, which the IDF weight discounts.
- **shift** (TextTiling depth): the cohesion at the split is at most
  ``MAX_SHIFT_RATIO`` times that of the block just before it (the same number of
  characters, against the head before *it*): the article was cohesive right up to
  the split, and the text after it is not. An article that wanders towards its
  end has low cohesion before the split too, and is left alone.
- **vocabulary**: the same cosine over single content characters below
  ``MAX_CHAR_COHESION``, and at least ``MIN_NOVELTY`` of the tail's character
  weight made of characters the head never uses.
- **stuffing**: the shape of a keyword list: many short comma/、/space-separated
  phrases without a particle (的了是在被把…), repeated phrases, odd endings such
  as ``,。`` or a trailing comma (``stuffing_score``).
- **definition**: the tail opens by defining a term (``X是一种/一组/一类…``,
  ``X是指…``) that the head never uses, with weak cohesion: SEO blurbs define the
  keyword they target, while an article that defines a term has used it before.
- **duplicate** (``cut_against_duplicate``): when a near-duplicate of the page is
  known, the tail that the duplicate lacks.

A tail is cut when cohesion, shift and vocabulary agree (tails of at least
``MIN_PROSE_TAIL_CJK`` characters: a short closing slogan is never cut on topic
grounds; and not when head and tail both speak as 我/你, one narrator's voice),
or when it has the stuffing shape or opens with a definition of a new term, and
has weak cohesion. Conservative by
design: a false flag cuts text a reader should see, a miss only leaves a tail in.
``scripts/eval_offtopic.py`` measures precision, recall and the offset error on
People's Daily articles with planted tails; the thresholds below were chosen on
one sample of it (seed 1) and checked on others and on the full set.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from ..models import CleanDocument, OfftopicResult
from .text_stats import (
    PARTICLES,
    UNKNOWN_BIGRAM_IDF,
    UNKNOWN_CHAR_IDF,
    WeightedBag,
    bigram_idf,
    char_idf,
    cjk_count,
    content_bigrams,
    content_chars,
    fold_traditional,
    sentence_units,
)

# A document needs this much Chinese text before anything is cut from it.
MIN_DOC_CJK = 200
# The article part that is never cut: the tail holds at most this share of the CJK
# characters, and the head keeps at least MIN_HEAD_CJK of them.
MAX_TAIL_SHARE = 0.45
MIN_HEAD_CJK = 150
# Nor more than this many CJK characters: an appended blurb is not a second article,
# and the bound keeps the scan linear on very long one-line pages.
MAX_TAIL_CJK = 1500
# Tails shorter than this are cut only for the keyword-list shape (slogans, sign-offs).
MIN_PROSE_TAIL_CJK = 25
# Tails shorter than this are never cut.
MIN_TAIL_CJK = 8
# Bigram cosine of tail and head under which the tail does not share the topic.
MAX_BIGRAM_COHESION = 0.025
# The cohesion at the split relative to that of the block before it.
MAX_SHIFT_RATIO = 0.1
# Character cosine of tail and head under which the vocabulary differs, and the
# share of the tail's character weight that the head never uses.
MAX_CHAR_COHESION = 0.25
MIN_NOVELTY = 0.4
# Stuffing score from which a tail looks like a keyword list, and the bigram
# cosine under which such a list is cut.
MIN_STUFFING = 0.7
MAX_STUFFING_COHESION = 0.08

# A definition sentence opening the tail (``X是一组/一种/一类…``, ``X是指…``): SEO blurbs
# define the keyword they target. It counts as evidence only when the defined
# term X never occurs in the head (an article may well define its own subject)
# and the tail's bigram cosine with the head is below MAX_STUFFING_COHESION.
# 所谓X是指… explains a term the article has just used: not a blurb's opening.
_DEFINITION = re.compile(
    r"^(?!所谓)[“\"「]?([\u4e00-\u9fff\u3400-\u4dbfA-Za-z0-9]{2,16})[”\"」]?"
    r"[，,]?是(?:一[组种类]|指)"
)

# A narrator speaking as 我/你 on both sides of the split is one voice (essays,
# interviews, letters wander in topic but not in voice): not cut on topic grounds.
# 我国, 我市, 我院… name an institution, not a narrator.
_PERSON = re.compile(r"我(?![国省市县区军党院校厂所局方])|你")

_SEGMENT_SPLIT = re.compile(r"[,，、;；:：\s]+")
_ODD_ENDING = re.compile(r"[,，、:：]\s*[。.]\s*$")
_LINE_END = re.compile(r"[。！？!?；;…”’」』）)】.]\s*$")


@dataclass
class TailEvidence:
    """Figures measured for one candidate tail."""

    start: int  # character offset of the tail in the body
    tail_cjk: int
    cohesion: float  # bigram cosine of tail and head
    before_cohesion: float  # the same for the block of the tail's size before the split
    char_cohesion: float  # character cosine of tail and head
    novelty: float  # share of the tail's character weight absent from the head
    stuffing: float
    defines_new_term: bool = False  # opens by defining a term the head never uses
    same_narrator: bool = False  # head and tail both speak in the first/second person
    fired: list[str] = field(default_factory=list)


def stuffing_score(text: str) -> float:
    """How much ``text`` looks like a list of search terms, from 0 to 1.

    The share of its CJK characters that sit in short phrases (at most 8
    characters between separators) holding no particle, raised by 0.1 for a
    phrase repeated verbatim, by 0.2 for a comma right before the full stop
    (``,。``, which edited prose never has) or 0.1 for no sentence-ending mark at
    all, and zero for fewer than four phrases (a short sentence is not a list).
    """
    segments = [s.strip("。.！!？?") for s in _SEGMENT_SPLIT.split(text)]
    segments = [s for s in segments if s]
    if len(segments) < 4:
        return 0.0
    total = sum(cjk_count(s) for s in segments) or 1
    bare = sum(cjk_count(s) for s in segments if len(s) <= 8 and not any(ch in PARTICLES for ch in s))
    score = bare / total
    if len(set(segments)) < len(segments):
        score += 0.1
    if _ODD_ENDING.search(text):
        score += 0.2
    elif not _LINE_END.search(text):
        score += 0.1
    return min(score, 1.0)


def _novelty(tail: WeightedBag, head: WeightedBag) -> float:
    """Share of the tail's character weight made of characters the head never uses."""
    weights = {ch: tail.weight(ch, n) for ch, n in tail.counts.items()}
    total = sum(weights.values())
    if not total:
        return 0.0
    return sum(w for ch, w in weights.items() if ch not in head.counts) / total


def _fired(ev: TailEvidence) -> list[str]:
    fired = []
    if ev.cohesion < MAX_BIGRAM_COHESION:
        fired.append("cohesion")
    if ev.cohesion <= MAX_SHIFT_RATIO * ev.before_cohesion:
        fired.append("shift")
    if ev.char_cohesion < MAX_CHAR_COHESION and ev.novelty >= MIN_NOVELTY:
        fired.append("vocabulary")
    if ev.stuffing >= MIN_STUFFING and ev.cohesion < MAX_STUFFING_COHESION:
        fired.append("stuffing")
    if ev.defines_new_term and ev.cohesion < MAX_STUFFING_COHESION:
        fired.append("definition")
    return fired


def defines_new_term(tail: str, head: str) -> bool:
    """``tail`` opens with a definition (``X是一种…``) of a term X that ``head`` never uses."""
    m = _DEFINITION.match(tail)
    return bool(m) and m.group(1) not in head


def _is_offtopic(ev: TailEvidence) -> bool:
    if ev.tail_cjk < MIN_TAIL_CJK:
        return False
    if "stuffing" in ev.fired or "definition" in ev.fired:
        return True
    if ev.same_narrator:
        return False
    return ev.tail_cjk >= MIN_PROSE_TAIL_CJK and {"cohesion", "shift", "vocabulary"} <= set(ev.fired)


def scan(body: str) -> list[TailEvidence]:
    """Evidence for every candidate tail of ``body``, earliest split first."""
    units = sentence_units(body)
    if len(units) < 2:
        return []
    sizes = [cjk_count(u.text) for u in units]
    total = sum(sizes)
    if total < MIN_DOC_CJK:
        return []
    last_break = body.rfind("\n")
    persons = [m.start() for m in _PERSON.finditer(body)]
    folded = [fold_traditional(u.text) for u in units]
    bigrams = [content_bigrams(t) for t in folded]
    chars = [content_chars(t) for t in folded]
    bigram_idf_table, char_idf_table = bigram_idf(), char_idf()
    head_bi = WeightedBag(bigram_idf_table, UNKNOWN_BIGRAM_IDF)
    head_ch = WeightedBag(char_idf_table, UNKNOWN_CHAR_IDF)
    tail_bi = WeightedBag(bigram_idf_table, UNKNOWN_BIGRAM_IDF)
    tail_ch = WeightedBag(char_idf_table, UNKNOWN_CHAR_IDF)
    for b, c in zip(bigrams, chars, strict=True):
        head_bi.add(b)
        head_ch.add(c)
    tail_cjk = 0
    found: list[TailEvidence] = []
    for k in range(len(units) - 1, 0, -1):
        head_bi.add(bigrams[k], -1)
        head_ch.add(chars[k], -1)
        tail_bi.add(bigrams[k])
        tail_ch.add(chars[k])
        tail_cjk += sizes[k]
        if tail_cjk > min(MAX_TAIL_SHARE * total, MAX_TAIL_CJK) or total - tail_cjk < MIN_HEAD_CJK:
            break
        start = units[k].start
        if not (start > last_break or body[start - 1] == "\n"):
            continue  # mid-paragraph splits only in the last paragraph
        # The block before the split, as long as the tail, against the head before it.
        block: Counter[str] = Counter()
        block_cjk, j = 0, k
        while j > 0 and block_cjk < tail_cjk:
            j -= 1
            block.update(bigrams[j])
            block_cjk += sizes[j]
        ev = TailEvidence(
            start=start,
            tail_cjk=tail_cjk,
            cohesion=round(tail_bi.cosine(head_bi), 4),
            before_cohesion=round(head_bi.cosine_of_part(block), 4),
            char_cohesion=round(tail_ch.cosine(head_ch), 4),
            novelty=round(_novelty(tail_ch, head_ch), 4),
            stuffing=round(stuffing_score(body[start:]), 3),
            defines_new_term=defines_new_term(body[start:], body[:start]),
            same_narrator=bool(persons and persons[0] < start <= persons[-1]),
        )
        ev.fired = _fired(ev)
        found.append(ev)
    found.reverse()
    return found


def analyse(body: str) -> TailEvidence | None:
    """The off-topic tail of ``body`` (the earliest split where the evidence agrees), or ``None``."""
    for ev in scan(body):
        if _is_offtopic(ev):
            return ev
    return None


def _cut(body: str, start: int, reason: str) -> OfftopicResult:
    return OfftopicResult(
        body=body[:start].rstrip(),
        offtopic=body[start:].strip(),
        offtopic_start=start,
        offtopic_reason=reason,
    )


def find_tail(body: str) -> OfftopicResult:
    """Cut an off-topic tail out of ``body`` when the evidence agrees (see module doc)."""
    ev = analyse(body)
    if ev is None:
        return OfftopicResult(body=body)
    return _cut(body, ev.start, "+".join(ev.fired))


def detect(doc: CleanDocument) -> OfftopicResult:
    """Stage: ``CleanDocument`` → ``OfftopicResult`` (body with the span cut out)."""
    return find_tail(doc.body)


# Both texts are compared without whitespace (one may be the other's paragraphs
# joined on one line); the unmatched end must be at least this many CJK characters,
# and the duplicate must be matched over this share of its own text.
MIN_DUPLICATE_EXTRA_CJK = 8
MIN_DUPLICATE_COVERAGE = 0.9


def cut_against_duplicate(body: str, other_body: str) -> OfftopicResult | None:
    """The tail of ``body`` that its near-duplicate ``other_body`` lacks, cut out.

    ``None`` when the two do not share (almost) all of ``other_body``, or when
    ``body`` has no extra tail. The cut starts at the first sentence boundary at or
    after the end of the shared text, so a sentence the two pages word slightly
    differently is not cut. Pure function: the store can call it once it knows a
    document's duplicate.
    """
    a_pos = [i for i, ch in enumerate(body) if not ch.isspace()]
    a = "".join(body[i] for i in a_pos)
    b = "".join(ch for ch in other_body if not ch.isspace())
    if not a or not b:
        return None
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    blocks = [m for m in matcher.get_matching_blocks() if m.size >= 8]
    if not blocks:
        return None
    matched = sum(m.size for m in blocks)
    if matched < MIN_DUPLICATE_COVERAGE * len(b):
        return None
    last = blocks[-1]
    a_end = last.a + last.size
    if cjk_count(a[a_end:]) < MIN_DUPLICATE_EXTRA_CJK:
        return None
    shared_end = a_pos[a_end - 1] + 1  # offset in body just after the shared text
    for u in sentence_units(body):
        if u.start >= shared_end:
            return _cut(body, u.start, "duplicate")
    return None
