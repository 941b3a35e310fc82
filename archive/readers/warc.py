"""WARC files (``.warc``, ``.warc.gz``): each ``response`` record with an HTML body is a page.

Library: warcio (1.8.1).  It is the Webrecorder project's maintained reader and
writer, pure Python, streams record by record from any file object (gzip-per-record
or plain), parses the HTTP headers inside the record, and the tests write their WARCs
with the same library.  FastWARC is faster, but reading is not this pipeline's
bottleneck (cleaning is, by two orders of magnitude) and warcio's plain-Python
errors make a corrupt record easy to report and skip.

Only ``response`` records with a 2xx status and an HTML content type are pages
(images, redirects, 404 pages, request/metadata records are passed over).
Each page's path is ``file#OFFSET`` (the record's byte offset in the file); its URL is
``WARC-Target-URI``, its site the URL's host, its declared charset the HTTP
``Content-Type`` charset, and ``WARC-Date`` goes to ``meta["date"]`` as a fallback
for ``published``.  A corrupt record is one reject; reading resumes at the next
record header.  A truncated gzip member ends the file with one reject.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from ..config import IngestConfig
from ..models import RawPage, Reject
from .html import host_of

SUFFIXES = (".warc", ".warc.gz", ".arc.gz")
HTML_TYPES = ("text/html", "application/xhtml+xml")
# A response body larger than this is rejected without being read whole.
MAX_RECORD_BYTES = 32 * 1024 * 1024
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:\-]+)", re.IGNORECASE)
_GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_MAGIC = b"WARC/1."
_SCAN_CHUNK = 1024 * 1024


def sniff(head: bytes) -> bool:
    return head.startswith(_WARC_MAGIC)


def _charset(content_type: str | None) -> str | None:
    match = _CHARSET.search(content_type or "")
    return match.group(1) if match else None


def _next_record_start(fh: IO[bytes], after: int, gzipped: bool) -> int | None:
    """Offset of the next record header (or gzip member) after ``after``; ``None`` at EOF."""
    magic = _GZIP_MAGIC if gzipped else b"\n" + _WARC_MAGIC
    pos = after + 1
    fh.seek(pos)
    carry = b""
    while True:
        chunk = fh.read(_SCAN_CHUNK)
        if not chunk:
            return None
        buf = carry + chunk
        found = buf.find(magic)
        if found >= 0:
            start = pos - len(carry) + found
            return start if gzipped else start + 1
        carry = buf[-(len(magic) - 1) :]
        pos += len(chunk)


class _FromOffset:
    """A file read from ``base`` on, whose ``tell()`` counts from ``base``.

    warcio's offsets count from where its iterator started; resuming after a
    corrupt record starts a new iterator mid-file.
    """

    def __init__(self, fh: IO[bytes], base: int) -> None:
        self._fh = fh
        self._base = base

    def read(self, size: int = -1) -> bytes:
        return self._fh.read(size)

    def readline(self, size: int = -1) -> bytes:
        return self._fh.readline(size)

    def tell(self) -> int:
        return self._fh.tell() - self._base


def _missing_bytes(record: ArcWarcRecord) -> int:
    """Bytes of the record's block that the file does not hold (a cut-off file)."""
    while record.raw_stream.read(_SCAN_CHUNK):
        pass
    return max(0, int(getattr(record.raw_stream, "limit", 0) or 0))


def _records(fh: IO[bytes], path: str, base: int, state: dict[str, int | None]) -> Iterator[RawPage | Reject]:
    """Pages of the records from ``base`` on; raises on the first unreadable record.

    ``state["current"]`` is the offset of the record being read (``None`` while the
    reader looks for the next header) and ``state["next"]`` the end of the last record
    read whole, so the caller knows where a failure happened.
    """
    fh.seek(base)
    archive = ArchiveIterator(_FromOffset(fh, base))
    iterator = iter(archive)
    while True:
        state["current"] = None
        record = next(iterator, None)
        if record is None:
            return
        content_type = ""
        if record.rec_type == "response" and record.http_headers is not None:
            content_type = record.http_headers.get_header("Content-Type") or ""
        # Redirects and error pages are not articles: like images, they are not pages.
        status = record.http_headers.get_statuscode() if record.http_headers is not None else ""
        is_html = any(t in content_type.lower() for t in HTML_TYPES) and str(status).startswith("2")
        # The body is read before asking the offset: warcio's get_record_offset()
        # reads the record to its end.
        body = record.content_stream().read(MAX_RECORD_BYTES + 1) if is_html else b""
        missing = _missing_bytes(record)
        offset = base + archive.get_record_offset()
        state["current"] = offset
        state["next"] = offset + archive.get_record_length()
        where = f"{path}#{offset}"
        if missing:
            # Only the last member of a cut-off file can be short: the file ends here.
            yield Reject(where, f"truncated WARC record: {missing} bytes of its block missing")
            return
        if not is_html:
            continue
        if len(body) > MAX_RECORD_BYTES:
            yield Reject(where, f"response body larger than {MAX_RECORD_BYTES} bytes")
            continue
        url = record.rec_headers.get_header("WARC-Target-URI")
        meta = {}
        if record.rec_headers.get_header("WARC-Date"):
            meta["date"] = record.rec_headers.get_header("WARC-Date")
        yield RawPage(
            path=where,
            data=body,
            kind="html",
            url=url,
            declared_charset=_charset(content_type),
            site_key=host_of(url) or str(Path(path).parent),
            meta=meta,
        )


def read(file: Path, path: str, config: IngestConfig | None = None) -> Iterator[RawPage | Reject]:
    with open(file, "rb") as fh:
        gzipped = fh.read(3) == _GZIP_MAGIC
        base: int | None = 0
        while base is not None:
            state: dict[str, int | None] = {"current": None, "next": None}
            try:
                yield from _records(fh, path, base, state)
                return
            except (EOFError, zlib.error) as exc:
                failed = _failed_at(fh, base, state, gzipped)
                yield Reject(f"{path}#{failed}", f"truncated or corrupt gzip in WARC: {exc}")
                return
            except (ArchiveLoadFailed, ValueError, KeyError, IndexError, UnicodeDecodeError) as exc:
                failed = _failed_at(fh, base, state, gzipped)
                message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                yield Reject(f"{path}#{failed}", f"corrupt WARC record: {message}")
                base = _next_record_start(fh, failed, gzipped)


def _failed_at(fh: IO[bytes], base: int, state: dict[str, int | None], gzipped: bool) -> int:
    """Offset of the record that failed: the one being read, else the bytes after the last."""
    if state["current"] is not None:
        return state["current"]
    end = state["next"] if state["next"] is not None else base
    # Uncompressed WARCs separate records by blank lines that no record's length counts.
    fh.seek(end)
    gap = fh.read(64)
    return end + (len(gap) - len(gap.lstrip(b"\r\n")))
