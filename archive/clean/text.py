"""Cleaner for text dumps (one block per line, as a browser's innerText)."""

from __future__ import annotations

from ..models import CleanDocument, DecodedPage, Metadata


def clean_text(page: DecodedPage) -> CleanDocument:
    """``DecodedPage`` (text) → ``CleanDocument``."""
    paragraphs = [line.strip() for line in page.text.split("\n") if line.strip()]
    return CleanDocument(
        path=page.path,
        sha256=page.sha256,
        paragraphs=paragraphs,
        metadata=Metadata(),
        encoding=page.encoding,
        kind=page.kind,
        url=page.url,
        site_key=page.site_key,
    )
