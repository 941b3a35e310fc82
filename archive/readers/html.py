"""HTML files: one page per file (``.html``/``.htm``, or sniffed markup)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from ..config import IngestConfig
from ..models import RawPage, Reject
from .limits import read_capped

SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
HEAD_SCAN_BYTES = 16384
_CANONICAL = re.compile(rb"""<link[^>]*rel=["']?canonical["']?[^>]*href=["']([^"'>\s]+)""", re.I)
_CANONICAL_REVERSED = re.compile(rb"""<link[^>]*href=["']([^"'>\s]+)["'][^>]*rel=["']?canonical""", re.I)
_OG_URL = re.compile(rb"""<meta[^>]*property=["']og:url["'][^>]*content=["']([^"'>\s]+)""", re.I)
_OG_URL_REVERSED = re.compile(rb"""<meta[^>]*content=["']([^"'>\s]+)["'][^>]*property=["']og:url""", re.I)
_MARKUP_HEAD = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|meta|body)\b", re.I | re.S
)


def sniff(head: bytes) -> bool:
    """Markup: ``<!doctype html>``/``<html``/``<head`` at the start (after a BOM or comments)."""
    return bool(_MARKUP_HEAD.match(head.lstrip(b"\xef\xbb\xbf")[:2048]))


def read(file: Path, path: str, config: IngestConfig | None = None) -> Iterator[RawPage | Reject]:
    config = config or IngestConfig()
    data = read_capped(file, config.max_file_bytes)
    if isinstance(data, str):
        yield Reject(path, data)
        return
    # A saved page may name its own URL (canonical link, og:url): its host is the
    # site; otherwise its folder stands for the site, as for text dumps.
    url = own_url(data[:HEAD_SCAN_BYTES])
    yield RawPage(path=path, data=data, kind="html", url=url, site_key=host_of(url) or str(Path(path).parent))


def host_of(url: str | None) -> str | None:
    """The host of ``url`` (the site of a page that has a URL); ``None`` without one."""
    if not url:
        return None
    try:
        return urlsplit(url).hostname or None
    except ValueError:
        return None


def own_url(head: bytes) -> str | None:
    """The page's own absolute URL from ``<link rel=canonical>`` or ``og:url``."""
    for rx in (_CANONICAL, _CANONICAL_REVERSED, _OG_URL, _OG_URL_REVERSED):
        match = rx.search(head)
        if match:
            url = match.group(1).decode("ascii", "replace").strip()
            if url.lower().startswith(("http://", "https://")):
                return url
    return None
