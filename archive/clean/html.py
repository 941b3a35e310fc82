"""Cleaner for HTML pages: main text and metadata, then the text-dump rules."""

from __future__ import annotations

from ..models import CleanDocument, DecodedPage
from .text import clean_text


def clean_html(page: DecodedPage) -> CleanDocument:
    """``DecodedPage`` (html) → ``CleanDocument``."""
    return clean_text(page)
