"""Quality signals for Chinese text."""

from __future__ import annotations

from ..models import QualityResult


def measure(body: str) -> QualityResult:
    """Stage: body text → ``QualityResult``."""
    return QualityResult(
        chars=len(body),
        cjk_ratio=0.0,
        terminal_punct_ratio=0.0,
        dup_line_ratio=0.0,
        dup_ngram_ratio=0.0,
        quality=1.0,
    )
