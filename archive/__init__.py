"""archive: turn crawled Chinese web pages into a clean, deduplicated, searchable SQLite archive.

Library use::

    import archive
    stats = archive.ingest(["raw/"], db="archive.db", cleaned_dir="cleaned")
    doc = archive.get_document("archive.db", 1)
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

# Public names and the modules that define them. Imported on first use, so that
# `archive search`, the datasette and sqlite-utils plugins and `import archive`
# do not pay for trafilatura, datasketch and scipy, which only ingest needs.
_EXPORTS = {
    "IngestConfig": "archive.config",
    "IngestStats": "archive.pipeline",
    "ingest": "archive.pipeline",
    "process": "archive.pipeline",
    "get_document": "archive.api",
    "search": "archive.search",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'archive' has no attribute {name!r}")
