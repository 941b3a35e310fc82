"""Boilerplate learned from the crawl itself: lines that recur on many pages of one site.

A site is ``RawPage.site_key``: the URL's host for HTML/JSONL/WARC pages, the input
folder for text dumps.  Each body line is hashed after the CCNet normalisation
(NFKC, lower-case, digits folded to ``0``, punctuation, symbols and spaces removed),
and the archive keeps, per site, on how many pages each hash was seen
(``site_lines(site_key, line_hash, pages)``).  A line seen on at least ``min_pages``
pages of its site is furniture (a slogan, a contact block, a disclaimer the class
rules do not know) and leaves the body, with the reason ``repeated-on-site``.

How it enters the pipeline: it needs archive state, so it runs in the writer
process (``pipeline.ingest``), never in the pure ``process`` workers:
``strip_repeated(conn, doc, min_pages)``, just before ``ArchiveStore.add``, counts
the new document's lines for its site and strips those now at or above the
threshold, inside the same transaction as the document's row (a rolled-back batch
rolls back its counts too).  A document therefore sees the counts of every page
stored before it, in input order, which is the same whether a run went through
at once or was killed and resumed (the kill -9 test compares the two).

Known limit: stored documents are not revisited, so the first ``min_pages - 1``
pages of a site keep the furniture that later pages reveal (rewriting stored
bodies would change what later duplicate detection compares against).

The counts live in the archive, so a later run on new pages of the same site
keeps learning.  ``min_pages`` is at least 2: a line on the only page of a site is
never stripped.  Lines longer than ``MAX_LINE_CHARS`` are article prose, never
counted (a story a site republishes must not strip itself), and a document is
never stripped to nothing.
"""

from __future__ import annotations

import hashlib
import sqlite3
import unicodedata
from collections.abc import Iterable

from ..models import ProcessedDocument, RemovedLine
from ..signals import dedup

REASON = "repeated-on-site"
DEFAULT_MIN_PAGES = 3
MAX_LINE_CHARS = 200
_PARAGRAPH_SEP = "\n\n"


class _LineCharMap(dict):
    """``str.translate`` table of the per-character step, filled as characters are met.

    A character of category P*, S*, Z* or C* is removed, a decimal digit (Nd)
    becomes ``0``, any other stays: one C-level ``translate`` per line instead of
    a Python loop over its characters.
    """

    def __missing__(self, code_point: int) -> str | int | None:
        category = unicodedata.category(chr(code_point))
        value = None if category[0] in "PSZC" else "0" if category == "Nd" else code_point
        self[code_point] = value
        return value


_LINE_CHAR_MAP = _LineCharMap()


def normalise_line(line: str) -> str:
    """CCNet's line normalisation: digits folded, punctuation, symbols and spaces removed."""
    return unicodedata.normalize("NFKC", line).lower().translate(_LINE_CHAR_MAP)


def line_hash(line: str) -> str | None:
    """The line's key in ``site_lines``; ``None`` for lines never counted."""
    if len(line) > MAX_LINE_CHARS:
        return None
    norm = normalise_line(line)
    if not norm:
        return None
    return hashlib.sha1(norm.encode("utf-8")).hexdigest()[:16]


def ensure_table(conn: sqlite3.Connection) -> None:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS site_lines ("
        " site_key TEXT NOT NULL, line_hash TEXT NOT NULL, pages INTEGER NOT NULL,"
        " PRIMARY KEY (site_key, line_hash)) WITHOUT ROWID"
    )
    conn.execute(
        "CREATE TABLE IF NOT EXISTS site_bodies ("
        " site_key TEXT NOT NULL, body_key TEXT NOT NULL, PRIMARY KEY (site_key, body_key)) WITHOUT ROWID"
    )


def observe(conn: sqlite3.Connection, site_key: str, hashes: Iterable[str]) -> None:
    """Count one page's distinct line hashes for its site."""
    conn.executemany(
        "INSERT INTO site_lines (site_key, line_hash, pages) VALUES (?, ?, 1) "
        "ON CONFLICT (site_key, line_hash) DO UPDATE SET pages = pages + 1",
        [(site_key, h) for h in sorted(set(hashes))],
    )


def furniture(conn: sqlite3.Connection, site_key: str, hashes: Iterable[str], min_pages: int) -> set[str]:
    """The hashes among ``hashes`` seen on at least ``min_pages`` pages of the site."""
    wanted = sorted(set(hashes))
    found: set[str] = set()
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        rows = conn.execute(
            f"SELECT line_hash FROM site_lines WHERE site_key = ? AND pages >= ? "
            f"AND line_hash IN ({', '.join('?' * len(chunk))})",
            [site_key, min_pages, *chunk],
        )
        found.update(h for (h,) in rows)
    return found


def _first_copy_on_site(conn: sqlite3.Connection, site: str, body_key: str | None) -> bool:
    """True the first time this body (before stripping) is seen on the site.

    An exact copy is not new evidence: counting it would turn a republished
    story's short paragraphs into "furniture".
    """
    if not body_key:
        return True
    cur = conn.execute(
        "INSERT OR IGNORE INTO site_bodies (site_key, body_key) VALUES (?, ?)", [site, body_key]
    )
    return cur.rowcount > 0


def _split(body: str) -> list[str]:
    return [p for p in body.split(_PARAGRAPH_SEP) if p.strip()]


def paragraph_hashes(body: str) -> list[str | None]:
    """``line_hash`` of each paragraph of ``body``: pure, so it runs in the worker processes."""
    return [line_hash(p) for p in _split(body)]


def _strip(
    paragraphs: list[str], hashes: list[str | None], repeated: set[str]
) -> tuple[list[str], list[str], list[str | None]]:
    keep, dropped, kept_hashes = [], [], []
    for p, h in zip(paragraphs, hashes, strict=True):
        if h in repeated:
            dropped.append(p)
        else:
            keep.append(p)
            kept_hashes.append(h)
    if not keep:  # never strip a document to nothing
        return paragraphs, [], hashes
    return keep, dropped, kept_hashes


def strip_repeated(conn: sqlite3.Connection, doc: ProcessedDocument, min_pages: int) -> ProcessedDocument:
    """Count ``doc``'s lines for its site, then drop those that are now site furniture.

    Call it once per new document, in the transaction that stores it.  The dedup
    keys are recomputed from the stripped body.
    """
    site = doc.clean.site_key
    if not site or min_pages <= 0:
        return doc
    min_pages = max(2, min_pages)
    ensure_table(conn)
    paragraphs = _split(doc.body)
    by_paragraph = doc.line_hashes
    if by_paragraph is None or len(by_paragraph) != len(paragraphs):
        by_paragraph = [line_hash(p) for p in paragraphs]
    hashes = {h for h in by_paragraph if h}
    if _first_copy_on_site(conn, site, doc.exact_key):
        observe(conn, site, hashes)
    repeated = furniture(conn, site, hashes, min_pages)
    keep, dropped, doc.line_hashes = _strip(paragraphs, by_paragraph, repeated)
    if not dropped:
        return doc
    doc.body = _PARAGRAPH_SEP.join(keep)
    doc.clean.removed.extend(RemovedLine(p, REASON) for p in dropped)
    doc.exact_key = dedup.exact_key(doc.body)
    doc.signature = dedup.signature(doc.body)
    doc.shingles = None  # of the old body; dedup computes them again when needed
    return doc
