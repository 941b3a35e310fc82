"""The SQLite archive: schema, writer, full-text index."""

from .schema import ensure_schema
from .writer import ArchiveStore

__all__ = ["ArchiveStore", "ensure_schema"]
