"""Cleaner for text dumps (one block per line, as a browser's innerText).

Entry points:

- ``clean_text(page: DecodedPage) -> CleanDocument``: the pipeline stage.
- ``clean_lines(lines, hints=None, fallbacks=None) -> CleanedLines``: the same
  cleaner on a list of lines, for callers that have text from elsewhere (the HTML
  cleaner runs it as a second pass over trafilatura's output).  ``hints`` is a
  ``Metadata`` whose non-empty fields win over what the lines state (e.g. a title
  read from the HTML ``<head>``); ``fallbacks`` fill only the fields the lines
  leave empty (``clean_text`` passes the container's ``title``/``date`` from
  ``DecodedPage.meta`` this way: a WARC date is the crawl time).

Steps: ``boilerplate.classify_lines`` labels every line (class rules, then the
main block); metadata is read from the lines around the block's start and end
(``metadata``); the title line and metadata lines leave the body; paragraphs cut
mid-sentence are rejoined (``paragraphs``).  Every removed line is recorded as
``RemovedLine(line, reason)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import Any

from ..models import CleanDocument, DecodedPage, Metadata, RemovedLine
from . import metadata as meta
from .boilerplate import (
    BODY,
    HEADLINE_MIN_CJK,
    REMOVED,
    SHORT,
    LineLabel,
    classify_lines,
    headline_terms,
    sits_on_dateline,
)
from .paragraphs import join_cut_paragraphs
from .patterns import GLUED_BACK_HOME, is_prose
from .triggers import may_match, trigger_pattern

# Lines holding none of the characters a glued home-page link needs are not searched.
_GLUED_BACK_HOME_GATE = trigger_pattern(GLUED_BACK_HOME)
TITLE_MAX_CHARS = 80
TITLE_LOOKBACK = 2
# Marks some sites put before or after a headline ("》标题", "标题 >>").
_TITLE_DECORATION = "》»>›·•・■●◆▶► \t"
BARE_NAME_CHARS = 4
_CJK = re.compile(r"[\u4e00-\u9fff]")
# How far (in non-blank lines) before the body and after it metadata is read.
LEAD_WINDOW = 12
TAIL_WINDOW = 8
SUMMARY_MIN_CHARS = 20
DATELINE_REACH = 3  # non-blank lines above the body where a dated line is the dateline
# Reasons that mark a line as possible page furniture before the title.
_TITLE_STOP_REASONS = ("breadcrumb", "header", "welcome")


@dataclass
class CleanedLines:
    """What ``clean_lines`` makes of a list of lines."""

    paragraphs: list[str]
    metadata: Metadata
    removed: list[RemovedLine] = field(default_factory=list)
    fragmented: bool = False
    joins: int = 0


def _nonblank_window(labels: list[LineLabel], start: int, step: int, size: int) -> list[LineLabel]:
    out: list[LineLabel] = []
    i = start
    while 0 <= i < len(labels) and len(out) < size:
        if labels[i].text:
            out.append(labels[i])
        i += step
    return out


# What sits between a headline and its article and is looked past: fields, share and
# print widgets, player controls and link rows ("播放 | 暫停 | 下一頁"), counters.
_FURNITURE_UNDER_HEADLINE = ("metadata", "publish-info", "widget", "byline", "link-row", "counter")
# A label with no value: "調整字級：", "Embed:" (a widget's caption, its control not text).
_LABEL_ONLY = re.compile(r"^[^\s:：]{1,10}\s*[:：]$")
# Lines that are never a headline: numbers alone (a widget's counts, "9 23"), a bracketed
# widget ("[打印本稿]"), a click prompt, a list item, a credit ("北中心／北報導"), an image
# counter ("圖片 1 / 2"), a dateline ("大陸新聞組北京17日電").
_NOT_TITLE = re.compile(
    r"^[\d\s.,:：/-]+$|\d{1,2}\s*日\s*(?:[电電]|[讯訊])$|^[\[【][^\]】]{1,10}[\]】]$|[点點][击擊]|更多|^[-・·•●■◆▶►*<>]|(?:[报報][导導道])$|^[图圖]片?\s*\d|\d+\s*/\s*\d+$"
)


def _title_candidate(item: LineLabel) -> bool:
    text = item.text
    return (
        item.label == REMOVED
        and item.reason in ("navigation", "repeated", "outside-main-block", "header")
        and 2 <= len(text) <= TITLE_MAX_CHARS
        and not is_prose(text)
        and text[-1] not in "。:："
        and not _NOT_TITLE.search(text)
    )


def _pick_title(labels: list[LineLabel], first_body: int, lead: list[LineLabel]) -> LineLabel | None:
    """The headline: the line before the first metadata line, else before the body.

    Of up to ``TITLE_LOOKBACK`` candidate lines in a row, the nearest one that is
    not a bare name (a byline such as ``张三`` often sits between headline and date).
    """
    # Above the nearest metadata line, then above farther ones; the headline may
    # also follow the metadata lines, right above the body.
    # A dated one (the dateline) first: a headline sits on its dateline, while a
    # "related" box may stand between the dateline and the body, its first entry
    # right under a widget or label line.
    anchors = [item for item in lead if item.reason in ("metadata", "publish-info")]
    dated = [item.index for item in anchors if meta.parse_date(item.text)]
    for anchor in dict.fromkeys([*dated, *(item.index for item in anchors), first_body]):
        title = _title_before(labels, anchor)
        if title is not None:
            return title
    return None


def _title_before(labels: list[LineLabel], anchor: int) -> LineLabel | None:
    candidates: list[LineLabel] = []
    for item in _nonblank_window(labels, anchor - 1, -1, LEAD_WINDOW):
        if item.reason in _TITLE_STOP_REASONS:
            break
        if item.label != REMOVED or item.reason in _FURNITURE_UNDER_HEADLINE:
            continue
        if _NOT_TITLE.search(item.text) or _LABEL_ONLY.match(item.text):
            continue
        if not _title_candidate(item) or len(candidates) == TITLE_LOOKBACK:
            break
        candidates.append(item)
    # The nearest that reads as a headline (enough Chinese to say something), else the
    # nearest that is not a bare name: "討論 (+)" or "mp4觀看下載" between headline and
    # body are widgets' captions.
    for item in candidates:
        if len(_CJK.findall(item.text)) >= HEADLINE_MIN_CJK:
            return item
    for item in candidates:
        if len(item.text) > BARE_NAME_CHARS:
            return item
    return candidates[0] if candidates else None


# A text dump has no <title>, and the look-back may stop at a byline, a widget's caption
# or a counter. Its pick is checked against the other headline-shaped lines above the body:
# a headline names its story's people, places and things, so its words (character pairs and
# Latin/number tokens, ``boilerplate.headline_terms``, as the HTML path's headline guard reads
# them) recur in the article's opening, and it sits on its dateline. A line that beats the
# pick by ``HEADLINE_MARGIN`` (words found, plus ``DATELINE_BONUS`` on a dateline) replaces it.
HEADLINE_SEARCH_LINES = 30
HEADLINE_MIN_SHARED = 3
HEADLINE_MARGIN = 2
DATELINE_BONUS = 3
OPENING_CHARS = 600
# Lines that share the opening's words but are not the headline: an abstract, the original
# headline of a reprint ("（原标题：…）"), a note in brackets.
_NOT_HEADLINE = re.compile(r"^[(（]|^(?:摘要|内容提要|提要|导语|導語|原标题|原標題)\s*[:：]?")


def _headline_shaped(item: LineLabel) -> bool:
    text = item.text
    return (
        item.label == REMOVED
        and item.reason not in ("summary", "metadata", "publish-info", "byline")
        and len(_CJK.findall(text)) >= HEADLINE_MIN_CJK
        and len(text) <= TITLE_MAX_CHARS
        and "。" not in text
        and not _NOT_TITLE.search(text)
        and not _NOT_HEADLINE.match(text)
        and not _LABEL_ONLY.match(text)
    )


def _confirm_title(
    title: LineLabel | None, labels: list[LineLabel], first_body: int, opening: str
) -> LineLabel | None:
    """The look-back's pick, or a headline-shaped line above the body that names the
    article's subject clearly better (see ``HEADLINE_MARGIN``)."""
    opening = opening.lower()

    def score(item: LineLabel) -> int:
        bonus = DATELINE_BONUS if sits_on_dateline(labels, item) else 0
        return sum(term in opening for term in headline_terms(item.text)) + bonus

    start, reach, bar = first_body - 1, HEADLINE_SEARCH_LINES, HEADLINE_MIN_SHARED
    if title is not None:
        bar = max(bar, score(title) + HEADLINE_MARGIN)
        if not _headline_shaped(title):
            bar = min(bar, HEADLINE_MARGIN)  # a caption or a counter: any headline beats it
        if sits_on_dateline(labels, title):
            # Under the dateline stand the article's furniture and items (a round-up's
            # first headline shares the most words); only a byline may stand above it.
            start, reach = title.index - 1, TITLE_LOOKBACK
    best, best_score = title, bar - 1
    for item in _nonblank_window(labels, start, -1, reach):
        if item is title or not _headline_shaped(item):
            continue
        item_score = score(item)
        if item_score > best_score:  # the nearest of equals: it is met first
            best, best_score = item, item_score
    if best is not None and not re.search(r"[\u4e00-\u9fffA-Za-z]", best.text):
        return None  # a counter or a time ("2819", "09/07"), never a headline
    return best


# The cells of a row of fields: "发表于2014-08-24 21:30| 1164次阅读| 来源CSDN| 作者魏星".
_ROW_CELLS = re.compile(r"\s*[|｜]\s*")


def _field_lines(item: LineLabel) -> list[str]:
    """The text of a line, or of each cell of a link row (a row of fields reads like one)."""
    if item.reason == "link-row":
        return [cell for cell in _ROW_CELLS.split(item.text) if cell]
    return [item.text]


def _date_under(labels: list[LineLabel], title: LineLabel) -> str | None:
    """The date of a field line just under the headline (its dateline)."""
    for item in _nonblank_window(labels, title.index + 1, 1, DATELINE_REACH):
        for text in _field_lines(item):
            if item.reason in ("metadata", "publish-info") or meta.is_metadata_line(text):
                date = meta.parse_date(text)
                if date:
                    return date
    return None


def _read_fields(items: list[LineLabel], found: Metadata) -> None:
    for item in items:
        for text in _field_lines(item):
            if item.reason in ("metadata", "publish-info", "tags", "byline") or meta.is_metadata_line(text):
                if found.published is None:
                    found.published = meta.parse_date(text)
                if found.source is None:
                    found.source = meta.read_source(text)
                if found.editor is None:
                    found.editor = meta.read_editor(text)
                if not found.authors:
                    # A line that is only a credit is read whole: "(福州晚報記者 林安鎮 實習生 黃衛平)"
                    # names both, where the labelled-field reader starts at the first bare role.
                    found.authors = meta.read_byline(text) or meta.read_authors(text)


def _read_site(labels: list[LineLabel]) -> str | None:
    for item in labels:
        if item.reason == "welcome":
            site = meta.read_site(item.text)
            if site:
                return site
    for item in labels:
        if item.label == REMOVED and item.reason == "footer":
            site = meta.read_site(item.text)
            if site:
                return site
    # The footer's organisation line: just above the licence/copyright block.
    footer = [item.index for item in labels if item.reason == "footer"]
    if footer:
        for item in _nonblank_window(labels, footer[0] - 1, -1, 6):
            if item.label == REMOVED and meta.is_organisation_line(item.text):
                return item.text
    return None


def clean_lines(
    lines: list[str],
    hints: Metadata | None = None,
    fallbacks: Metadata | None = None,
    headline: str | None = None,
) -> CleanedLines:
    """Clean a list of text lines; see the module docstring.  ``headline``: the page's
    headline where the caller knows it, for the main-block search (``classify_lines``)."""
    labels = classify_lines(lines, headline)
    block = [item for item in labels if item.in_block and item.label in (BODY, SHORT)]
    found = Metadata()
    title_item = None
    if block:
        first_body = next((item.index for item in block if item.label == BODY), block[0].index)
        last_body = max(item.index for item in block)
        lead = _nonblank_window(labels, first_body - 1, -1, LEAD_WINDOW)
        # The lead ends at the header: a "today" date above the breadcrumb is not the article's.
        stop = next((n for n, item in enumerate(lead) if item.reason in _TITLE_STOP_REASONS), len(lead))
        lead = lead[:stop]
        # "北京新浪網 (2012-01-12 16:10)" right above the body is the dateline,
        # not an entry of a listing.
        for n, item in enumerate(lead):
            if item.reason == "listing" and (
                meta.is_url_dateline(item.text) or (n < DATELINE_REACH and meta.is_dateline(item.text))
            ):
                item.reason = "metadata"
        tail = _nonblank_window(labels, last_body + 1, 1, TAIL_WINDOW)
        title_item = _pick_title(labels, first_body, lead)
        opening = "".join(item.text for item in block if item.label == BODY)[:OPENING_CHARS]
        title_item = _confirm_title(title_item, labels, first_body, opening)
        if title_item is not None:
            found.title = title_item.text.strip(_TITLE_DECORATION) or title_item.text
            title_item.reason = "title"
        # Lines above the body (nearest first), metadata lines inside the block, then
        # the tail (a byline under the headline, a source at the end).
        inner = [item for item in labels if item.label == REMOVED and first_body <= item.index <= last_body]
        _read_fields(list(reversed(lead)) + inner + tail, found)
        # Weaker evidence, used only where no labelled field spoke: the dateline's
        # provider slot, then a credit opening the first paragraph.
        if found.source is None:
            found.source = next(
                (
                    meta.read_provider(item.text)
                    for item in lead
                    if item.reason == "metadata" and meta.read_provider(item.text)
                ),
                None,
            )
        bodies = [item.text for item in block if item.label == BODY]
        # A summary that the next paragraph repeats is not the lead (said once, below).
        while len(bodies) > 1 and bodies[1].startswith(bodies[0]):
            bodies.pop(0)
        if found.source is None:
            # A credit line's outlet ("采写：南都记者 方南"), above the body or below it.
            found.source = next(
                (
                    outlet
                    for item in [*reversed(lead), *inner, *tail]
                    if item.reason == "byline" and (outlet := meta.read_credit_outlet(item.text))
                ),
                None,
            )
        first_text = bodies[0] if bodies else next(item.text for item in block if item.index == first_body)
        credit_authors, outlet = meta.read_lead_credit(first_text)
        if not credit_authors and not outlet:
            # A one-sentence summary may stand above the paragraph the credit opens.
            second = bodies[1:2]
            if second and len(first_text) < len(second[0]):
                credit_authors, outlet = meta.read_lead_credit(second[0])
        if not found.authors:
            found.authors = credit_authors
        if not found.authors:
            # A credit closing a paragraph: the last one first (a report's sign-off),
            # then the first (broadcast reports credit the lead).
            ends = [item.text for item in block if item.label == BODY]
            for text in dict.fromkeys(ends[-1:] + ends[:1]):
                found.authors = meta.read_closing_credit(text)
                if found.authors:
                    break
        if found.source is None:
            found.source = outlet or meta.read_lead_outlet(first_text)
        if found.published is None:
            found.published = meta.read_lead_date(first_text)
        if found.published is None and title_item is not None:
            # The headline's dateline, when widgets push it out of the lead window.
            found.published = _date_under(labels, title_item)
    else:
        _read_fields(labels, found)
    found.site = _read_site(labels)

    if hints is not None:
        for f in fields(Metadata):
            hinted = getattr(hints, f.name)
            if hinted:
                setattr(found, f.name, hinted)
    if fallbacks is not None:
        for f in fields(Metadata):
            fallback = getattr(fallbacks, f.name)
            if fallback and not getattr(found, f.name):
                setattr(found, f.name, fallback)

    # A lead summary repeated as the start of the next paragraph is said once.
    for item, nxt in zip(block, block[1:], strict=False):
        if item.label == BODY and len(item.text) >= SUMMARY_MIN_CHARS and nxt.text.startswith(item.text):
            item.label, item.reason = REMOVED, "repeated-summary"
    block = [item for item in block if item.label != REMOVED]
    # A home-page link glued onto a paragraph's last sentence leaves it (the line stays).
    glued: list[RemovedLine] = []
    for item in block:
        if may_match(_GLUED_BACK_HOME_GATE, item.text) and (link := GLUED_BACK_HOME.search(item.text)):
            glued.append(RemovedLine(link.group().strip(), "widget"))
            item.text = item.text[: link.start()]
    paragraphs = [item.text for item in block]
    paragraphs, fragmented, joins = join_cut_paragraphs(paragraphs)
    removed = [
        RemovedLine(item.text, item.reason or "boilerplate") for item in labels if item.label == REMOVED
    ]
    return CleanedLines(paragraphs, found, removed + glued, fragmented, joins)


def fallbacks_from(container_meta: dict[str, Any]) -> Metadata | None:
    """Metadata a container gave beside the page (JSONL ``title``/``date``, ``WARC-Date``).

    These are fallbacks: the page's own lines win, since a container date is
    often the crawl time, not the publication.
    """
    if not container_meta:
        return None
    title = container_meta.get("title")
    date = container_meta.get("date") or container_meta.get("published")
    return Metadata(
        title=title.strip() if isinstance(title, str) and title.strip() else None,
        published=meta.parse_date(date) if isinstance(date, str) else None,
    )


def clean_text(page: DecodedPage) -> CleanDocument:
    """``DecodedPage`` (text) → ``CleanDocument``."""
    result = clean_lines(page.text.split("\n"), fallbacks=fallbacks_from(page.meta))
    return CleanDocument(
        path=page.path,
        sha256=page.sha256,
        paragraphs=result.paragraphs,
        metadata=result.metadata,
        removed=result.removed,
        fragmented=result.fragmented,
        encoding=page.encoding,
        kind=page.kind,
        url=page.url,
        site_key=page.site_key,
    )
