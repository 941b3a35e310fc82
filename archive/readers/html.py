"""HTML files: one page per file (``.html``/``.htm``, or sniffed markup)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..config import IngestConfig
from ..models import RawPage, Reject
from .limits import read_capped

SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
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
    # A saved page has no URL; its folder stands for the site, as for text dumps.
    yield RawPage(path=path, data=data, kind="html", site_key=str(Path(path).parent))
