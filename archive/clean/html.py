"""Cleaner for HTML pages: main text and metadata, then the text-dump rules.

Two views of the page are cleaned with the text-dump cleaner (``clean.text``):

- the page's visible text, dumped block by block as a browser's innerText would
  (``visible_lines``): it keeps the headline, byline and dateline lines in their
  places, so the text-dump metadata rules read them;
- trafilatura's main-text extraction (``bare_extraction`` in its ``fast`` mode and
  with ``favor_precision``: no readability/justext comparison, no baseline rescue,
  no recall retry. Those widen its text when it finds little, which the visible
  view does better here (below); they cost ~20% of a news page's CPU).

Body: when every paragraph of the visible-text view reads as prose, those paragraphs
(``needs_second_view``: there trafilatura's agreement removed nothing on the devset,
and its extraction is the costliest step of the page).  Otherwise the paragraphs of
the visible-text view that trafilatura also kept as main
text (each cleaner removes furniture the other misses), from the first such
paragraph to the last: the visible-view paragraphs between them stay (an inline
block trafilatura pruned inside the article), and so does one paragraph of
prose right before the first (a lead or summary in its own table cell or box,
which trafilatura's precision mode drops; a heading or caption there is not
prose).  When that agreement keeps less than ``AGREEMENT_MIN_SHARE`` of the
visible-text body, or trafilatura itself kept less than ``AGREEMENT_MIN_KEPT`` of
it (only the sub-headings), trafilatura missed the article and the visible-text body
stands alone; when the visible-text cleaner finds nothing, trafilatura's text,
cleaned by the text-dump rules (so ICP/breadcrumb/share lines that leak through
it are still removed), is used.

Metadata precedence, per field (first non-empty wins):

- title: the visible line (a headline) that the page's ``<title>``/``og:title``
  contains → the headline part of ``<title>``/``og:title`` cut at `` - `` ``_``
  ``|`` … (the site's own name, SEO keyword lists and summary sentences are never
  the headline) → trafilatura's title → the container's title (JSONL ``title``);
- published: the first date in the lines just under the headline (the page as
  shown, with its time; related-list and "today" dates are elsewhere) → the
  text cleaner's date from the lines around the article → ``<meta>`` publish
  dates (``publishdate``, ``pubdate``, ``article:published_time`` …) and
  ``<time datetime>`` → trafilatura's date → the container's date (JSONL
  ``date``, WARC-Date);
- authors/source/editor: the visible text's byline and 来源/作者 lines near the
  headline or the end of the article (never sidebars: the text cleaner reads only
  the lead and tail windows of the main block) → ``<meta name=source>`` for the
  source.  ``<meta name=author>`` is not used (on Chinese news sites it names the
  editor or describes the site far more often than it names the reporter); the
  hosting site's name (og:site_name, trafilatura's sitename) is ``site``, never
  ``source``.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import lxml.html
import trafilatura
import trafilatura.utils
from lxml import etree
from trafilatura import metadata as tmeta

from ..errors import RejectError
from ..models import CleanDocument, DecodedPage, Metadata, RemovedLine
from . import metadata as meta_lines
from .boilerplate import is_sentence_like
from .paragraphs import join_cut_paragraphs
from .patterns import CLOSERS, PROSE_MIN_CHARS, squash
from .text import clean_lines

BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "frame",
        "frameset",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "html",
        "legend",
        "li",
        "listing",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "plaintext",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "tfoot",
        "thead",
        "tr",
        "ul",
        "xmp",
        "option",
        "optgroup",
    ]
)
CELL_TAGS = frozenset(("td", "th"))
SKIP_TAGS = frozenset(
    [
        "head",
        "script",
        "style",
        "noscript",
        "template",
        "title",
        "iframe",
        "object",
        "embed",
        "svg",
        "math",
        "canvas",
        "audio",
        "video",
        "map",
        "noframes",
        "select",
        "textarea",
        "button",
    ]
)
# "茅台酒,公款消费,公款吃喝,...": an SEO keyword list inside <title>.
_KEYWORD_SEPARATORS = re.compile(r"[,，;；]")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# Pages assembled from server-side includes, where a header fragment closes its own
# ``</html>`` before the article: libxml2 (2.14) drops everything after the first
# ``</html>``, while a browser (HTML5 "after after body") shows the rest in the body.
# The end tag is optional, so it is removed wherever it stands and the parser closes
# the document at its end.
_HTML_END_TAG = re.compile(r"</html\s*>", re.IGNORECASE)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\n\r\f\u00a0\u3000]+")
_SPACE_RUN = re.compile(r"  +")


def _prepare_markup(markup: str) -> str:
    """The markup as the parsers are given it: no ``<?xml ?>`` declaration, no ``</html>``."""
    # lxml refuses text that still declares a byte encoding (XHTML's <?xml ... encoding=?>):
    # the bytes are already decoded, so the declaration is dropped.
    return _HTML_END_TAG.sub("", _XML_DECLARATION.sub("", markup, count=1))


def parse_html(markup: str) -> etree._Element:
    """The page's element tree; ``RejectError`` when there is no markup to parse."""
    markup = _prepare_markup(markup)
    try:
        root = etree.fromstring(markup, _HTML_PARSER)
    except (etree.ParserError, ValueError) as exc:
        raise RejectError(f"not parseable as HTML: {exc}") from exc
    if root is None:
        raise RejectError("not parseable as HTML: Document is empty")
    return root


# lxml.etree's parser, not lxml.html's: the same tree, but lxml.html gives every
# element a Python class chosen by a Python callback, which cost more than the
# rest of the walk in visible_lines (~2,400 calls on a news page).
_HTML_PARSER = etree.HTMLParser()


def _hidden(el: etree._Element) -> bool:
    return el.get("hidden") is not None or bool(_HIDDEN_STYLE.search(el.get("style") or ""))


def visible_lines(root: etree._Element) -> list[str]:
    """A browser-innerText-like dump of the page: one block per line, cells space-separated."""
    return [line for line, _block, _linked in visible_line_sources(root)]


# A visible line, the innermost block element its text starts in, and how many of its
# characters are link text.
SourcedLine = tuple[str, etree._Element | None, int]


def visible_line_sources(root: etree._Element) -> list[SourcedLine]:
    """The page's visible lines (``visible_lines``), each with where it comes from.

    Iterative (an explicit stack) so a deeply nested page cannot exhaust the
    stack; comments are not text, but the text after them (their tail) is. Every
    block element and ``<br>`` ends a line, so a line's text lies in one innermost
    block: the one open when the line began.
    """
    parts: list[str] = []
    # Per line ("\n" in parts): its block and the characters of link text it holds.
    origins: list[tuple[etree._Element | None, int]] = []
    blocks: list[etree._Element] = []
    links = linked = 0
    stack: list[tuple[etree._Element, bool]] = [(root, False)]
    while stack:
        el, closing = stack.pop()
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if closing:
            if tag in BLOCK_TAGS:
                parts.append("\n")
                origins.append((blocks.pop(), linked))
                linked = 0
            if tag == "a":
                links -= 1
            if el.tail:
                parts.append(_SPACES.sub(" ", el.tail))
                if links:
                    linked += len(squash(el.tail))
            continue
        if not tag or tag in SKIP_TAGS or _hidden(el):
            if el.tail:
                parts.append(_SPACES.sub(" ", el.tail))
                if links:
                    linked += len(squash(el.tail))
            continue
        if tag == "br" or tag in BLOCK_TAGS:
            parts.append("\n")
            origins.append((blocks[-1] if blocks else None, linked))
            linked = 0
        elif tag in CELL_TAGS:
            parts.append("\t")
        if tag in BLOCK_TAGS:
            blocks.append(el)
        if tag == "a":
            links += 1
        if el.text:
            parts.append(_SPACES.sub(" ", el.text))
            if links:
                linked += len(squash(el.text))
        stack.append((el, True))
        stack.extend((child, False) for child in reversed(el))
    origins.append((None, linked))
    out: list[SourcedLine] = []
    for line, (block, link_chars) in zip("".join(parts).split("\n"), origins, strict=True):
        line = " ".join(cell.strip() for cell in line.split("\t") if cell.strip()).strip()
        # "a <b> b</b>" shows one space, as a browser collapses them across elements;
        # and lxml.html's parse (trafilatura's) and lxml.etree's then give the same lines.
        line = _SPACE_RUN.sub(" ", line)
        if line:
            out.append((line, block, link_chars))
    return out


# Lines the text cleaner dropped for where they stand, not for what they say: in an
# article's own container they are its text (short lines of a phrase-per-line layout,
# lines of code, a caption repeated under two pictures).
# The text cleaner's guess at the headline is one too: the page's headline (``merge_metadata``)
# is what leaves the body.
_CONTEXT_REASONS = frozenset(("navigation", "outside-main-block", "repeated", "title"))
# The body found is at most this share of the text its container gives (0.09 and 0.19 on
# the short-line pages seen; 0.57 and more where the body found was the article) …
CONTAINER_BODY_SHARE = 0.35
# … and is no link list (menus, related lists, comments keep their links).
CONTAINER_MAX_LINK_SHARE = 0.1
_PARAGRAPH_TAGS = frozenset(("p", "pre", "blockquote", "li", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6"))
# A body line this long is found inside a paragraph the cleaner rejoined from cut lines.
MIN_MATCH_CHARS = 8


def _container_body(
    sources: list[SourcedLine], body: list[str], removed: list[RemovedLine], title: str | None
) -> list[str] | None:
    """The article's whole container, when the body found is a small part of it.

    For articles written in short lines (one phrase per ``<br>`` or ``<p>``, code blocks
    line by line) the line scorer reads most lines as a menu's and keeps only the longest
    cluster of sentences.  The element that holds every body paragraph is the article's
    container; when the body is less than ``CONTAINER_BODY_SHARE`` of the text it gives
    and it holds almost no links (a menu, a list of related links or comments would), its
    lines are the body, less those a class rule removed (furniture by its wording,
    metadata), the page's headline and those that are link text.  None when the body stands.
    """
    body_set = {squash(p) for p in body}
    body_text = squash("".join(body))
    in_body = [
        src
        for src in sources
        if (sq := squash(src[0])) in body_set or (len(sq) >= MIN_MATCH_CHARS and sq in body_text)
    ]
    blocks = [block for _, block, _ in in_body if block is not None]
    if not blocks:
        return None
    common = [blocks[0], *blocks[0].iterancestors()]
    for block in blocks[1:]:
        chain = {block, *block.iterancestors()}
        common = [el for el in common if el in chain]
    if not common:
        return None
    # The container holds paragraphs; when the body found is one paragraph (or lines of
    # one), the article is around it.
    container = common[0]
    while container.tag in _PARAGRAPH_TAGS and container.getparent() is not None:
        container = container.getparent()
    inside = set(container.iter())
    lines = [src for src in sources if src[1] in inside]
    linked = sum(n for _, _, n in lines)
    unlinked = sum(len(squash(line)) - n for line, _, n in lines)
    if linked > CONTAINER_MAX_LINK_SHARE * (linked + unlinked):
        return None
    reasons: dict[str, str] = {squash(title): "headline"} if title else {}
    for item in removed:
        reasons.setdefault(squash(item.line), item.reason)
    # Runs of lines, each a code block's (``<pre>``: every line stays a line) or not.
    runs: list[tuple[bool, list[str]]] = []
    for line, block, n in lines:
        sq = squash(line)
        if 2 * n >= len(sq):
            continue
        if sq in body_set or sq in body_text or reasons.get(sq, "navigation") in _CONTEXT_REASONS:
            code = block is not None and any(el.tag == "pre" for el in (block, *block.iterancestors()))
            if runs and runs[-1][0] == code:
                runs[-1][1].append(line)
            else:
                runs.append((code, [line]))
    if sum(map(len, body)) >= CONTAINER_BODY_SHARE * sum(len(line) for _, run in runs for line in run):
        return None
    # A paragraph the layout cut is rejoined, as the text cleaner did; a code line is
    # never a cut sentence ("handler = x.data" + "def parse():" are two statements).
    return [p for code, run in runs for p in (run if code else join_cut_paragraphs(run)[0])]


# Share of the visible-text body that trafilatura must also keep for the agreement to stand.
AGREEMENT_MIN_SHARE = 0.6
# Share of the visible-text body's characters that trafilatura must itself have kept (the
# span between its first and last kept paragraph aside): a page where it kept only the
# sub-headings is one where it missed the article, and the span they bound is no agreement
# (the last sub-heading would end the body).  On the devset it kept 0.59 or more.
AGREEMENT_MIN_KEPT = 0.2
# A paragraph of prose (a lead, a summary), not a heading or caption: 40+ characters, a
# sentence mark (or a closing bracket after one) at its end.
LEAD_PROSE = re.compile(r"[\u4e00-\u9fff].{38,}[。！？!?）)]\s*$")
TITLE_MIN_CHARS = 4
# Lines under the headline searched for its dateline.
DATELINE_WINDOW = 6
TITLE_MAX_CHARS = 80
# Separators between a headline and the site/section names in <title>.
TITLE_SEPARATORS = re.compile(r"\s+[-–—|｜_·]+\s+|\s*(?:_|\||｜|——|–|—|-{1,2}|»|::)\s*")
# "(第1頁/共2頁)", "(1/3)": pagination inside a title.
TITLE_PAGINATION = re.compile(r"\s*[(（]\s*第?\s*\d+\s*[页頁]?\s*/\s*共?\s*\d+\s*[页頁]?\s*[)）]\s*")
# <meta> names/properties that carry the publication time, most specific first.
META_DATE_KEYS = (
    "article:published_time",
    "publishdate",
    "pubdate",
    "publish_date",
    "publishtime",
    # A CMS's "first published" stamp beside its "last modified" one (government sites);
    # the page-generation time a date guesser finds otherwise is years later.
    "firstpublishedtime",
    "published_time",
    "og:published_time",
    "datepublished",
    "dc.date.issued",
    "dc.date",
    "date",
)
META_TITLE_KEYS = ("og:title", "twitter:title", "title")
META_AUTHOR_KEYS = ("article:author", "author", "dc.creator")
META_SOURCE_KEYS = ("source", "article:source", "contentsource")
META_SITE_KEYS = ("og:site_name", "application-name", "sitename")

log = logging.getLogger(__name__)


def _trafilatura(markup: str | lxml.html.HtmlElement, url: str | None) -> dict[str, Any]:
    """trafilatura's main text; an empty dict when it extracts nothing.

    Given trafilatura's own parse of the page (``TrafilaturaLabels.tree``) it
    works on a copy of it instead of parsing the markup again.
    """
    try:
        doc = trafilatura.bare_extraction(
            markup,
            url=url,
            with_metadata=False,
            include_comments=False,
            include_tables=True,
            fast=True,
            favor_precision=True,
        )
    except Exception as exc:  # noqa: BLE001 - a third-party failure costs its view, not the page
        log.debug("trafilatura failed: %s: %s", type(exc).__name__, exc)
        return {}
    if doc is None:
        return {}
    return doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)


class TrafilaturaLabels:
    """The title, site name and date ``trafilatura.extract_metadata`` finds, the date only when asked.

    ``extract_metadata`` spends most of its time on the date (htmldate reads the
    whole page) and the author, which the cleaner does not use: on the devset's
    real pages it took longer than extracting the text.  This runs its steps for
    the title and site name (same functions, same order, same clean-up), and the
    date only when the page states none of its own (``merge_metadata``).
    tests/clean/test_html.py checks the fields equal ``extract_metadata``'s.
    """

    def __init__(self, markup: str, url: str | None) -> None:
        self.tree: lxml.html.HtmlElement | None = None  # trafilatura's parse of the page
        self.title: str | None = None
        self.sitename: str | None = None
        self._url: str | None = url
        try:
            self.tree = trafilatura.utils.load_html(markup)
            if self.tree is None:
                return
            found = tmeta.examine_meta(self.tree)
            try:
                found = tmeta.extract_meta_json(self.tree, found)
            except Exception as exc:  # noqa: BLE001 - as extract_metadata: bugs in its JSON-LD code
                log.debug("trafilatura JSON-LD failed: %s", exc)
            if not found.title:
                found.title = tmeta.extract_title(self.tree)
            if not found.url:
                found.url = tmeta.extract_url(self.tree, url)
            if not found.sitename:
                found.sitename = tmeta.extract_sitename(self.tree)
            if found.sitename:
                found.sitename = found.sitename.lstrip("@")
                if found.sitename and "." not in found.sitename and not found.sitename[0].isupper():
                    found.sitename = found.sitename.title()
            elif found.url and (match := tmeta.META_URL.match(found.url)):
                found.sitename = match[1]
            found.clean_and_trim()
            self.title, self.sitename, self._url = found.title, found.sitename, found.url
        except Exception as exc:  # noqa: BLE001 - a third-party failure costs its view, not the page
            log.debug("trafilatura metadata failed: %s: %s", type(exc).__name__, exc)
            self.tree = None

    def date(self) -> str | None:
        if self.tree is None:
            return None
        try:
            return tmeta.find_date(self.tree, **{**tmeta.set_date_params(True), "url": self._url})
        except Exception as exc:  # noqa: BLE001
            log.debug("htmldate failed: %s: %s", type(exc).__name__, exc)
            return None


def needs_second_view(shown: list[str]) -> bool:
    """Whether trafilatura's text is asked for: when the visible view found no body, or
    kept a paragraph that does not read as prose (a headline, a "Comments" or "(0)" row,
    a source link). Its text only ever removes paragraphs from the visible view
    (``_agreed_body``), and where every paragraph is prose it removed none on the devset
    (71 of its 100 pages), at about a quarter of an HTML page's CPU."""
    return not shown or not all(map(is_sentence_like, shown))


# A line at least this share of whose characters are link text is a link; a tag or a
# related headline is at most this long.
LINK_LINE_SHARE = 0.9
LINK_LINE_MAX_CHARS = 40


def _tag_shaped(squashed: str) -> bool:
    """Short enough for a tag or a related headline, and no sentence: a page whose markup
    leaves a link open around its article makes every paragraph link text."""
    return len(squashed) <= LINK_LINE_MAX_CHARS and squashed.rstrip(CLOSERS)[-1:] not in "。！？!?"


def _trailing_links(paragraphs: list[str], sources: list[SourcedLine]) -> tuple[list[str], list[str]]:
    """The body less a run of link lines ending it, and that run.

    A tag cloud or a list of related headlines under the article is links only, one per
    line; an article's own last paragraph is not a link. The body is never emptied."""
    if not paragraphs or not _tag_shaped(squash(paragraphs[-1])):
        return paragraphs, []  # most articles end on a sentence: no map needed
    linked: dict[str, int] = {}
    for line, _block, n in sources:  # a line shown twice is a link only if both are
        key = squash(line)
        linked[key] = min(n, linked.get(key, n))
    end = len(paragraphs)
    while end > 1:
        squashed = squash(paragraphs[end - 1])
        if not _tag_shaped(squashed) or linked.get(squashed, 0) < LINK_LINE_SHARE * len(squashed):
            break
        end -= 1
    return paragraphs[:end], paragraphs[end:]


def _context_dropped(removed: list[RemovedLine]) -> int:
    """Characters of the lines the text cleaner dropped for where they stand."""
    return sum(len(item.line) for item in removed if item.reason in _CONTEXT_REASONS)


def _agreed_body(shown: list[str], extracted_lines: list[str]) -> list[str]:
    """Visible-text paragraphs that trafilatura also kept; see the module docstring."""
    if not shown:
        # Cleaned only here: trafilatura's text is otherwise a filter, and running the
        # line rules over it on every page cost as much as cleaning the page itself.
        return clean_lines(extracted_lines).paragraphs
    extracted_text = squash("".join(extracted_lines))
    kept = [i for i, p in enumerate(shown) if squash(p) in extracted_text]
    if not kept:
        return shown
    if sum(len(shown[i]) for i in kept) < AGREEMENT_MIN_KEPT * sum(map(len, shown)):
        return shown
    first, last = kept[0], kept[-1]
    if first > 0 and LEAD_PROSE.search(shown[first - 1]):
        first -= 1
    agreed = shown[first : last + 1]
    if sum(map(len, agreed)) >= AGREEMENT_MIN_SHARE * sum(map(len, shown)):
        return agreed
    return shown


def read_head(root: etree._Element) -> dict[str, str]:
    """Metadata the markup states outside the visible text: ``<title>`` and ``<meta>``."""
    found: dict[str, str] = {}
    title = root.find(".//title")
    title_text = "".join(title.itertext()) if title is not None else ""
    if title_text.strip():
        found["title_raw"] = _SPACES.sub(" ", title_text).strip()
    metas: dict[str, str] = {}
    for el in root.iter("meta"):
        key = (
            el.get("name") or el.get("property") or el.get("itemprop") or el.get("http-equiv") or ""
        ).lower()
        content = (el.get("content") or "").strip()
        if key and content and key not in metas:
            metas[key] = content
    for field_name, keys in (
        ("date", META_DATE_KEYS),
        ("title", META_TITLE_KEYS),
        ("author", META_AUTHOR_KEYS),
        ("source", META_SOURCE_KEYS),
        ("site", META_SITE_KEYS),
    ):
        for key in keys:
            if metas.get(key):
                found[field_name] = metas[key]
                break
    for el in root.iter("time"):
        if el.get("datetime") and "time_datetime" not in found:
            found["time_datetime"] = el.get("datetime") or ""
    return found


def title_segments(title: str) -> list[str]:
    """``<title>`` cut into its headline and site/section parts."""
    title = TITLE_PAGINATION.sub(" ", title).strip()
    return [seg.strip() for seg in TITLE_SEPARATORS.split(title) if seg and seg.strip()]


def _headline_like(segment: str) -> bool:
    """A ``<title>`` part that can be a headline: not a keyword list, not a summary sentence,
    not an outlet's name (a page whose ``<title>`` is only ``经济参考网``)."""
    return (
        TITLE_MIN_CHARS <= len(segment) <= TITLE_MAX_CHARS
        and len(_KEYWORD_SEPARATORS.findall(segment)) < 3
        and not _summary_sentence(segment)
        and not _OUTLET_NAME.fullmatch(segment)
    )


def _summary_sentence(text: str) -> bool:
    """A long line with a full stop: a summary, not a headline.  Headlines end clauses with ！
    and ？ ("…被骗上百万！冒充公检法电诈团伙被端", "…利好有多大？") but never with 。, so
    ``is_prose``'s marks would take them for sentences."""
    return len(text) > PROSE_MIN_CHARS and "。" in text


# A short name ending as outlets' names end (…网, …报, …社, …台, …新闻, …在线).
_OUTLET_NAME = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]{1,6}(?:[网網]|[报報]|社|台|新[闻聞]|在[线線])")


def pick_title(
    lines: list[str],
    found: str | None,
    title_raw: str | None,
    head: dict[str, str],
    site_names: tuple[str | None, ...] = (),
) -> str | None:
    """The headline: a shown line that ``<title>`` holds, else the title's headline segment.

    A headline is shown on the page and repeated in ``<title>`` (often with site and
    section names around it); a segment of ``<title>`` that the page also shows is
    preferred over one it does not.  The site's own name (from the footer, a welcome
    banner, ``og:site_name``) is never the headline, though the page shows it too.
    """
    sites = [squash(name) for name in site_names if name]

    def not_site(text: str) -> bool:
        squashed = squash(text)
        return not any(squashed in site for site in sites)

    titles = [t for t in (title_raw, head.get("title")) if t]
    squashed_titles = [squash(TITLE_PAGINATION.sub("", t)) for t in titles]
    segments = [seg for t in titles for seg in title_segments(t) if _headline_like(seg) and not_site(seg)]
    if found and not not_site(found):
        found = None
    # A shown line that is only a section name ("新聞中心" inside "新浪新聞中心") is not the
    # headline: the headline is about as long as the longest part of <title>.
    min_len = max(TITLE_MIN_CHARS, max((len(seg) for seg in segments), default=0) // 2)
    if (
        found
        and len(found) >= min_len
        and _headline_like(found)
        and any(squash(found) in t for t in squashed_titles)
    ):
        return found
    shown = [
        line
        for line in lines
        if min_len <= len(line) <= TITLE_MAX_CHARS
        and not _summary_sentence(line)
        and any(squash(line) in t for t in squashed_titles)
        and not_site(line)
    ]
    if shown:
        return max(shown, key=len)
    page_text = squash("".join(lines))
    on_page = [seg for seg in segments if len(seg) >= min_len and squash(seg) in page_text]
    if on_page:
        return max(on_page, key=len)
    if segments:
        return max(segments, key=len)
    return found


def date_near_title(lines: list[str], title: str | None) -> str | None:
    """The first date in the lines just under the headline (the dateline of the article).

    Related-article lists and "today" headers carry dates too, but far from the
    headline; a date with a time wins over a bare day within the window.
    """
    if not title:
        return None
    key = squash(title)
    start = next((i for i, line in enumerate(lines) if key and key in squash(line)), None)
    if start is None:
        return None
    for line in lines[start + 1 : start + 1 + DATELINE_WINDOW]:
        if len(line) > 150:
            break
        date = meta_lines.parse_date(line)
        if date:
            return date
    return None


def _iso_date(value: str | None) -> str | None:
    if not value:
        return None
    return meta_lines.parse_date(value.replace("T", " "))


def merge_metadata(
    shown: Metadata,
    head: dict[str, str],
    labels: TrafilaturaLabels,
    container: dict[str, Any],
    lines: list[str],
    title_raw: str | None,
) -> Metadata:
    """One ``Metadata`` from the visible text, the markup head, trafilatura and the container."""
    out = Metadata()
    out.title = (
        pick_title(lines, shown.title, title_raw, head, (shown.site, head.get("site"), labels.sitename))
        or labels.title
        or container.get("title")
    )
    near = date_near_title(lines, out.title)
    if near and shown.published and near[:10] == shown.published[:10]:
        near = max(near, shown.published, key=len)  # the same day: keep the one with the time
    out.published = (
        near
        or shown.published
        or _iso_date(head.get("date"))
        or _iso_date(head.get("time_datetime"))
        or _iso_date(labels.date())
        or _iso_date(str(container.get("date") or ""))
    )
    # <meta name=author> is left out: on Chinese news sites it holds the editor or
    # the site's description far more often than the reporter.
    out.authors = list(shown.authors)
    out.source = shown.source or (
        head.get("source") if head.get("source") and len(head["source"]) <= 30 else None
    )
    out.editor = shown.editor
    out.site = shown.site or head.get("site") or labels.sitename
    return out


def clean_html(page: DecodedPage) -> CleanDocument:
    """``DecodedPage`` (html) → ``CleanDocument``."""
    markup = _prepare_markup(page.html if page.html is not None else page.text)
    labels = TrafilaturaLabels(markup, page.url)
    # One parse serves both views: trafilatura's tree (lxml.html) walks to the same
    # lines as lxml.etree's, and parsing a news page again cost ~0.3 ms of its ~10.
    root = labels.tree if labels.tree is not None else parse_html(markup)
    head = read_head(root)
    sources = visible_line_sources(root)
    lines = [line for line, _block, _linked in sources]
    if not lines:
        raise RejectError("no article text: the HTML page shows no visible text")
    # The headline as <title> states it (and the page shows it), for the main-block
    # search: the article is the block about it.
    site_names = (head.get("site"), labels.sitename)
    shown = clean_lines(lines, headline=pick_title(lines, None, head.get("title_raw"), head, site_names))
    paragraphs = shown.paragraphs
    if needs_second_view(shown.paragraphs):
        extracted = _trafilatura(labels.tree if labels.tree is not None else markup, page.url)
        paragraphs = _agreed_body(shown.paragraphs, (extracted.get("text") or "").split("\n"))
    metadata = merge_metadata(shown.metadata, head, labels, page.meta, lines, head.get("title_raw"))
    body_chars = sum(map(len, paragraphs))
    # The container's text is at most the body and the lines dropped for where they stand:
    # only then can the body be less than CONTAINER_BODY_SHARE of it.
    if paragraphs and body_chars < CONTAINER_BODY_SHARE * (body_chars + _context_dropped(shown.removed)):
        paragraphs = _container_body(sources, paragraphs, shown.removed, metadata.title) or paragraphs
    paragraphs, link_lines = _trailing_links(paragraphs, sources)
    body_set = {squash(p) for p in paragraphs}
    removed = [RemovedLine(line, "link-list") for line in link_lines]
    removed += [r for r in shown.removed if squash(r.line) not in body_set]
    removed += [RemovedLine(p, "outside-main-text") for p in shown.paragraphs if squash(p) not in body_set]
    return CleanDocument(
        path=page.path,
        sha256=page.sha256,
        paragraphs=paragraphs,
        metadata=metadata,
        removed=removed,
        fragmented=shown.fragmented,
        encoding=page.encoding,
        kind=page.kind,
        url=page.url,
        site_key=page.site_key,
    )
