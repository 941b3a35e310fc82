"""Line classification for text dumps, in the spirit of jusText.

Two passes:

1. **Class rules** (``patterns.BOILERPLATE_RULES`` and widget rows): a line that
   is page furniture by its own wording (breadcrumb, publish-info, copyright,
   ICP licence, counter, welcome banner …) is boilerplate wherever it stands.
2. **Context** decides the rest.  Each line gets a score: sentence-like lines
   (ending a sentence somewhere, or long with clause punctuation) score their
   length, short lines without sentence punctuation score negative, more so the
   longer their run, furniture scores strongly negative.  The main block is the
   run of lines with the highest total (maximum-sum segment): the article is the
   longest stretch of long, punctuated lines.  Short lines *inside* the block,
   between body paragraphs, are sub-headings and stay; short lines outside it
   (header and footer zones) are navigation, and lines repeated there are
   ``repeated``.  Lines before a breadcrumb are the page header.

Refinements, each for a class of pages: lists, tickers, tag clouds and short
``！？`` headlines of link lists are not prose; an entry of a dated listing
(``标题 2011/12/09``) is ``listing``; a breadcrumb, a comment section's heading or
a copyright/licence line is a hard break the block never spans; a table or tip
list after the last paragraph stays when the article's end marker (``责任编辑``,
``(X 编辑)``, ``资料来源``) closes it with no furniture in between.

``classify_lines(lines)`` returns one ``LineLabel`` per input line.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from .metadata import is_metadata_line, parse_date, read_byline
from .patterns import (
    ANY_LABEL,
    BARE_NUMBERS,
    BOILERPLATE_RULES,
    CLAUSE,
    CLOSERS,
    TERMINAL,
    TIMESTAMP,
    WEB_ADDRESS,
    WIDGET_SPLIT,
    WIDGET_WORDS,
    is_prose,
    squash,
)

# Labels.
BLANK = "blank"
BODY = "body"  # a paragraph of the article
SHORT = "short"  # a short line; inside the main block it is a sub-heading
REMOVED = "removed"

# Scores for the main-block search.
RULE_SCORE = -25.0  # furniture breaks a block
METADATA_SCORE = -8.0
# The article never spans a breadcrumb (the header ends there), a comment
# section's heading or the footer's copyright/licence lines: the main block is
# searched between them.
# A run of timestamp lines ("dated-list", ``_mark_dated_runs``) is a listing of other
# articles: the article does not run on into it; nor past its pager (the page's text ends
# at "1 2 3 下一页", and what follows is teasers of other pages).
HARD_BREAK_REASONS = ("breadcrumb", "footer", "comments", "dated-list", "pager")
HARD_BREAK_SCORE = -1e6
SHORT_BASE = 4.0  # a short line costs SHORT_BASE + SHORT_PER_CHAR * len …
SHORT_PER_CHAR = 0.5
RUN_GROWTH = 0.5  # … times (1 + RUN_GROWTH * its position in a run of short lines)
LONG_BAD_PER_CHAR = 0.5  # a long line without sentence punctuation (tickers, link lists)
MIN_SENTENCE_CHARS = 8  # shorter lines are never body on their own
# A long line counts as prose without sentence-final punctuation if it has this
# much clause punctuation per character.
CLAUSE_DENSITY = 1 / 45
LONG_LINE = 40

_BULLET_LEAD = re.compile(r"^[・·•●■□◆◇▪▶►>»．\-]")
# Item separators of lists, tickers and tag clouds.
_LIST_SEP = re.compile(r"\s*[・•|｜]\s*|\s+[、,，]\s*|\s{2,}|\t")
_LIST_BULLETS = re.compile("[・•●◆■]")
_LIST_SEP_CHARS = re.compile(r"[\s・•|｜]")  # one of these is in every _LIST_SEP match
LIST_MIN_ITEMS = 5
LIST_MIN_BULLETS = 3
LIST_MAX_AVG_ITEM = 14
# A listing entry: a headline followed by its date (and time), as in related lists.
_TRAILING_DATE = re.compile(
    r"[\[【(（]?\s*(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
    r"(?:\s*\d{1,2}[:：]\d{2}(?::\d{2})?)?\s*[\]】)）]?$"
    r"|[(（]\s*\d{1,2}[/-]\d{1,2}(?:\s+\d{1,2}:\d{2})?\s*[)）]$"
)
# Lines of several machine timestamps ("6小时前 标题 7小时前 标题 …"), and runs of lines that
# are a timestamp alone, one entry's stamp every few lines ("标题 / 摘要 / 2019-09-3010:31").
TIMESTAMP_LIST_MIN = 3
DATED_RUN_MIN = 3
DATED_RUN_GAP = 4  # non-blank lines at most between two stamps of one run
TIMESTAMP_MAX_CHARS = 30  # a stamp-only line is no longer ("[2019-09-30 10:31:05]")
_STAMP_BRACKETS = "[]【】()（） "
_CREDIT_SLASH = re.compile(r"[\u4e00-\u9fff]\s*[╱／]\s*\S")
_LABEL_BEFORE_DATE = re.compile(r"(?:[:：]|日期|[时時][间間]|[发發][布佈表]|更新)\s*$")


@dataclass(slots=True)
class LineLabel:
    """What the classifier made of one line."""

    index: int
    text: str  # the line, stripped
    label: str  # BLANK, BODY, SHORT or REMOVED
    reason: str | None = None  # why a REMOVED line was removed
    in_block: bool = False  # inside the main block


def is_widget_row(line: str) -> bool:
    """A line made only of widget words: ``分享:``, ``关闭 打印``, ``[推荐] [收藏] [打印]``."""
    # Token by token, stopping at the first that is not a widget word: on a line of
    # prose that is the first one, and splitting the whole line cost 4 us.
    found = False
    start = 0
    for sep in WIDGET_SPLIT.finditer(line):
        if sep.start() > start:
            if line[start : sep.start()].lower() not in WIDGET_WORDS:
                return False
            found = True
        start = sep.end()
    if start < len(line):
        return line[start:].lower() in WIDGET_WORDS
    return found


def is_list_line(line: str) -> bool:
    """A line of many short items (ticker, tag cloud, link list), not a sentence."""
    if len(_LIST_BULLETS.findall(line)) >= LIST_MIN_BULLETS:
        return True
    # Every item separator holds a space or a list mark, so a line with fewer of them
    # cannot hold enough items: most lines of prose stop here, without the split.
    if len(_LIST_SEP_CHARS.findall(line)) < LIST_MIN_ITEMS - 1:
        return False
    items = [item for item in _LIST_SEP.split(line) if item.strip()]
    if len(items) < LIST_MIN_ITEMS:
        return False
    return sum(len(item) for item in items) / len(items) <= LIST_MAX_AVG_ITEM or "。" not in line


def is_dated_entry(line: str) -> bool:
    """``某某新闻标题 2011/12/09`` or ``…标题..  (01/12 12:36)``: an entry of a listing."""
    if len(line) > 90:
        return False
    match = _TRAILING_DATE.search(line)
    if not match or match.start() < 6 or ANY_LABEL.search(line):
        return False
    before = line[: match.start()]
    # "台灣好新聞╱台 2012-01-17 18:43": an outlet╱reporter credit on its date is the
    # article's dateline, not a headline of a list.
    return not _LABEL_BEFORE_DATE.search(before) and not _CREDIT_SLASH.search(before)


def is_timestamp_list(line: str) -> bool:
    """``6小时前 标题 7小时前 标题 …``: entries of a listing, each behind its timestamp."""
    return len(TIMESTAMP.findall(line)) >= TIMESTAMP_LIST_MIN


def is_bare_timestamp(line: str) -> bool:
    """A line that is one machine timestamp and nothing else: ``2019-09-30 10:31``, ``(7小时前)``."""
    return TIMESTAMP.fullmatch(line.strip(_STAMP_BRACKETS)) is not None


def rule_reason(line: str) -> str | None:
    """The reason label of the first class rule that fires on ``line``, if any."""
    # Rule.matches, with the line's length and prose test computed once for all rules.
    length, prose = len(line), is_prose(line)
    for rule in BOILERPLATE_RULES:
        if rule.max_len is not None and length > rule.max_len:
            continue
        if prose and not rule.allow_prose:
            continue
        if rule.gate is not None and rule.gate.search(line) is None:
            continue  # none of the characters every match holds: no search needed
        if rule.pattern.search(line) is not None:
            return rule.reason
    if is_widget_row(line):
        return "widget"
    if is_dated_entry(line) or is_timestamp_list(line):
        return "listing"
    return None


def is_sentence_like(line: str) -> bool:
    """Body-like: ends a sentence somewhere, or is long with enough clause punctuation."""
    if "http" in line or "www." in line:
        line = WEB_ADDRESS.sub("", line).strip()  # "資料來源：http://x.com/a.asp?aid=1" is no sentence
    if len(line) < MIN_SENTENCE_CHARS:
        return False
    if _BULLET_LEAD.match(line) and len(line) < LONG_LINE:
        return False
    if is_list_line(line):
        return False
    if len(line) < LONG_LINE:
        # Short lines with ！？ are mostly headlines of link lists; a short sentence
        # has a full stop, or a clause before its final mark.
        if "。" in line or _ends_cjk_period(line):
            return True
        return line.rstrip(CLOSERS)[-1:] in TERMINAL and any(ch in line for ch in "，,；;")
    if any(ch in line for ch in TERMINAL):
        return True
    if len(line) >= LONG_LINE:
        clauses = sum(line.count(ch) for ch in CLAUSE)
        return clauses / len(line) >= CLAUSE_DENSITY
    return False


def _ends_cjk_period(line: str) -> bool:
    # "…秘密武器." : a half-width full stop after Chinese text.
    text = line.rstrip(CLOSERS)
    return len(text) >= 2 and text[-1] == "." and "\u4e00" <= text[-2] <= "\u9fff"


def _scores(labels: list[LineLabel]) -> list[float]:
    scores: list[float] = []
    run = 0
    for item in labels:
        if item.label == BLANK:
            scores.append(0.0)
            continue
        if item.label == REMOVED:
            run += 1
            if item.reason in HARD_BREAK_REASONS and not is_prose(item.text):
                # A sentence that merely mentions copyright is not the footer.
                scores.append(HARD_BREAK_SCORE)
            elif item.reason in ("metadata", "byline"):
                scores.append(METADATA_SCORE)
            else:
                scores.append(RULE_SCORE)
            continue
        if item.label == BODY:
            run = 0
            scores.append(float(len(item.text)))
            continue
        cost = (
            LONG_BAD_PER_CHAR * len(item.text)
            if len(item.text) >= LONG_LINE
            else SHORT_BASE + SHORT_PER_CHAR * len(item.text)
        )
        scores.append(-cost * (1 + RUN_GROWTH * run))
        run += 1
    return scores


def _segments(scores: list[float]) -> list[tuple[int, int, float]]:
    """Disjoint candidate blocks (start, end inclusive, sum): each run of the
    maximum-sum scan (a new run starts where the running total fell to 0 or
    below) gives its best-scoring span.  The highest of them is the maximum-sum
    segment."""
    found: list[tuple[int, int, float]] = []
    best: tuple[int, int, float] | None = None
    total, start = 0.0, 0
    for i, score in enumerate(scores):
        if total <= 0:
            if best is not None:
                found.append(best)
            best, total, start = None, score, i
        else:
            total += score
        if total > 0 and (best is None or total > best[2]):
            best = (start, i, total)
    if best is not None:
        found.append(best)
    return found


# The headline guard.  A page may hold, beside a short article, a longer run of prose
# about something else: a live feed, a "you may also like" list of headline+teaser
# lines.  The article is about its headline: it shares the headline's words (Chinese
# character pairs, Latin/number tokens), the other run does not.  When a candidate
# block shares at least HEADLINE_MIN_SHARE of them and at least
# HEADLINE_SHARE_RATIO times the share of the highest-scoring block, it is the main
# block.  Lines that repeat the headline itself are not counted (a related list may
# name the page's own article).
HEADLINE_MIN_TERMS = 6
HEADLINE_MIN_SHARE = 0.5
HEADLINE_SHARE_RATIO = 2.0
HEADLINE_MIN_BLOCK = 100.0  # a candidate's score: a paragraph or two of prose
_HEADLINE_CJK = re.compile(r"[\u4e00-\u9fff]+")
_HEADLINE_TOKEN = re.compile(r"[A-Za-z0-9]{2,}")


def headline_terms(headline: str) -> frozenset[str]:
    """The headline's words as a block's text is searched for them: Chinese character
    pairs and Latin/number tokens, lower-cased."""
    terms = {run[i : i + 2] for run in _HEADLINE_CJK.findall(headline) for i in range(len(run) - 1)}
    terms.update(token.lower() for token in _HEADLINE_TOKEN.findall(headline))
    return frozenset(terms)


def _headline_share(
    labels: list[LineLabel], span: tuple[int, int, float], terms: frozenset[str], key: str
) -> float:
    text = "".join(
        item.text
        for item in labels[span[0] : span[1] + 1]
        if item.label in (BODY, SHORT) and key not in squash(item.text)
    ).lower()
    return sum(term in text for term in terms) / len(terms)


# A line that may be a headline has this many Chinese characters (enough to name
# something) and no full stop.
HEADLINE_MIN_CJK = 6
_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")


def sits_on_dateline(labels: list[LineLabel], item: LineLabel) -> bool:
    """The next non-blank line under ``item`` is a dated metadata line (its dateline)."""
    below = next((labels[i] for i in range(item.index + 1, len(labels)) if labels[i].text), None)
    return (
        below is not None
        and below.reason in ("metadata", "publish-info")
        and parse_date(below.text) is not None
    )


def dateline_headline(labels: list[LineLabel]) -> str | None:
    """The headline a text dump shows without ``<title>``: the first line sitting on a dated
    metadata line (``标题`` / ``2018年12月28日 19:55 新京报``), for the headline guard; not a
    field line itself (``来源：… 作者：…``)."""
    previous: LineLabel | None = None
    for item in labels:  # each dated field line, with the line above it (sits_on_dateline)
        if not item.text:
            continue
        if (
            previous is not None
            and item.reason in ("metadata", "publish-info")
            and previous.reason not in ("metadata", "publish-info", "byline")
            and "。" not in previous.text
            and len(_CJK_CHAR.findall(previous.text)) >= HEADLINE_MIN_CJK
            and parse_date(item.text) is not None
        ):
            return previous.text
        previous = item
    return None


def _main_span(labels: list[LineLabel], scores: list[float], headline: str | None) -> tuple[int, int] | None:
    """The main block: the maximum-sum segment, unless the headline guard picks another."""
    candidates = _segments(scores)
    if not candidates:
        return None
    best = max(candidates, key=lambda span: span[2])
    terms = headline_terms(headline) if headline else frozenset()
    if len(terms) >= HEADLINE_MIN_TERMS and len(candidates) > 1:
        key = squash(headline or "")
        best_share = _headline_share(labels, best, terms, key)
        floor = max(HEADLINE_MIN_SHARE, HEADLINE_SHARE_RATIO * best_share)
        if floor <= 1.0:
            related = [
                span
                for span in candidates
                if span is not best
                and span[2] >= HEADLINE_MIN_BLOCK
                and _headline_share(labels, span, terms, key) >= floor
            ]
            if related:
                best = max(related, key=lambda span: span[2])
    return best[0], best[1]


_END_MARKER = re.compile(
    r"^\s*[(（【\[]?\s*(?:[责責]任[编編][辑輯]|[编編][辑輯]|[资資]料[来來]源|[来來]源|稿源|出[处處])\s*[:：]"
    r"|^\s*[(（【\[]\s*[\u4e00-\u9fff]{2,4}\s*[编編][辑輯]\s*[)）】\]]\s*$"
)
END_MARKER_REACH = 25  # non-blank lines after the block searched for the end marker


def _extend_to_end_marker(labels: list[LineLabel], end: int) -> int:
    """Extend the block over a table or list that runs on to the article's end marker.

    Tables and tip lists (short lines) after the last paragraph belong to the
    article when an end marker (责任编辑, (X 编辑), 资料来源 …) closes them with no
    page furniture in between.
    """
    seen = 0
    last_content = end
    for item in labels[end + 1 :]:
        if not item.text:
            continue
        seen += 1
        if seen > END_MARKER_REACH:
            return end
        if _END_MARKER.search(item.text):
            return last_content
        if item.label == REMOVED:
            return end
        last_content = item.index
    return end


def _mark_dated_runs(labels: list[LineLabel]) -> None:
    """Stamp-only lines in runs of ``DATED_RUN_MIN`` or more, each within ``DATED_RUN_GAP``
    non-blank lines of the last, are the entries' stamps of a listing ("dated-list").

    One such line is a dateline (under the headline); a run of them dates one entry each.
    """
    run: list[LineLabel] = []
    since = 0
    for item in labels:
        if not item.text:
            continue
        if len(item.text) <= TIMESTAMP_MAX_CHARS and is_bare_timestamp(item.text):
            if run and since > DATED_RUN_GAP:
                _close_run(run)
                run = []
            run.append(item)
            since = 0
        else:
            since += 1
    _close_run(run)


def _close_run(run: list[LineLabel]) -> None:
    if len(run) >= DATED_RUN_MIN:
        for item in run:
            item.label, item.reason = REMOVED, "dated-list"


def _mark_bare_counts(labels: list[LineLabel]) -> None:
    """Lines of bare numbers that count something ("counter"): two or three numbers ("9 23"),
    or one that its neighbours do not continue.

    A number alone on its line is a section's number when the page numbers its sections in
    order (1, 2, 3 … or 01, 02 …: the previous lone number is n-1 or the next is n+1, or it
    opens the run at 0 or 1); otherwise it is a like or comment count whose icon is an
    image ("22").  Only the nearest lone numbers count: a sidebar's ranking 1 … 10 further
    down does not make a count of 9 a section.
    """
    numbers = [item for item in labels if item.text and BARE_NUMBERS.fullmatch(item.text)]
    lone = [item for item in numbers if item.text.isdigit()]
    for item in numbers:
        if item.text.isdigit():
            value = int(item.text)
            at = lone.index(item)
            before = int(lone[at - 1].text) if at > 0 else None
            after = int(lone[at + 1].text) if at + 1 < len(lone) else None
            if value <= 1 or before == value - 1 or after == value + 1 or before == value:
                continue
        item.label, item.reason = REMOVED, "counter"


@lru_cache(maxsize=32768)
def line_label(text: str) -> tuple[str, str | None]:
    """(label, reason) of one stripped, non-blank line, on its own: REMOVED with the
    first rule that fires, else BODY when sentence-like, else SHORT.

    Cached: a site's navigation, lists and footer repeat on every page of the
    site, so most furniture lines of a crawl have been classified before (on
    news-like pages the classification was most of the cleaner's time).
    """
    reason = rule_reason(text)
    if reason is None and read_byline(text):
        reason = "byline"
    if reason is None and is_metadata_line(text):
        reason = "metadata"
    if reason is not None:
        return REMOVED, reason
    return (BODY if is_sentence_like(text) else SHORT), None


def classify_lines(lines: list[str], headline: str | None = None) -> list[LineLabel]:
    """One ``LineLabel`` per line: rules first, then the main block decides short lines.

    ``headline``, when the caller knows it (the HTML page's ``<title>``), lets the
    headline guard (``_main_span``) pick the block that is about it; otherwise the line
    on the first dated metadata line serves (``dateline_headline``)."""
    labels: list[LineLabel] = []
    for i, raw in enumerate(lines):
        text = raw.strip()
        if not text:
            labels.append(LineLabel(i, text, BLANK))
            continue
        labels.append(LineLabel(i, text, *line_label(text)))

    _mark_dated_runs(labels)
    _mark_bare_counts(labels)
    span = _main_span(labels, _scores(labels), headline or dateline_headline(labels))
    if span is None:
        # No prose at all: keep what no rule removed (a one-line page, a list).
        for item in labels:
            item.in_block = item.label in (BODY, SHORT)
        return labels
    start, end = span
    end = _extend_to_end_marker(labels, end)
    # The header ends at the last breadcrumb before the block.
    header_end = max(
        (item.index for item in labels[:start] if item.reason == "breadcrumb"),
        default=-1,
    )
    counts = Counter(item.text for item in labels if item.label == SHORT)
    for item in labels:
        if start <= item.index <= end:
            item.in_block = item.label in (BODY, SHORT)
            continue
        if item.label in (BODY, SHORT):
            if item.index < header_end:
                item.reason = "header"
            elif counts[item.text] > 1:
                item.reason = "repeated"
            elif item.label == SHORT:
                item.reason = "navigation"
            else:
                item.reason = "outside-main-block"
            item.label = REMOVED
    return labels
