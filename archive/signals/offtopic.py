"""Off-topic text appended to an article."""

from __future__ import annotations

from ..models import CleanDocument, OfftopicResult


def detect(doc: CleanDocument) -> OfftopicResult:
    """Stage: ``CleanDocument`` → ``OfftopicResult`` (body with the span cut out)."""
    return OfftopicResult(body=doc.body)
