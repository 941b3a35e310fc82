"""The cleaner: boilerplate, metadata and paragraphs from a decoded page.

Text dumps go through ``clean.text``; HTML pages through ``clean.html``, which
extracts the main text and then runs the text-dump rules as a second pass.
"""

from __future__ import annotations

from ..models import CleanDocument, DecodedPage
from .html import clean_html
from .text import clean_text


def clean(page: DecodedPage) -> CleanDocument:
    """Stage: ``DecodedPage`` → ``CleanDocument``."""
    if page.kind == "html":
        return clean_html(page)
    return clean_text(page)
