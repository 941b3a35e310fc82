"""The cleaner: boilerplate, metadata and paragraphs from a decoded page."""

from __future__ import annotations

from ..models import CleanDocument, DecodedPage, Metadata


def clean(page: DecodedPage) -> CleanDocument:
    """Stage: ``DecodedPage`` → ``CleanDocument``."""
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
