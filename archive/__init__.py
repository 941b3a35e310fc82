"""archive: turn crawled Chinese web pages into a clean, deduplicated, searchable SQLite archive.

Library use::

    import archive
    stats = archive.ingest(["raw/"], db="archive.db", cleaned_dir="cleaned")
    doc = archive.get_document("archive.db", 1)
"""

from .api import get_document
from .config import IngestConfig
from .pipeline import IngestStats, ingest, process

__all__ = ["IngestConfig", "IngestStats", "get_document", "ingest", "process"]
__version__ = "0.1.0"
