"""Full-text index of canonical documents (title + body)."""

from __future__ import annotations

import sqlite3

import sqlite_utils


def ensure_tokenizer() -> None:
    """Make the CJK tokenizer available to every connection opened from now on."""


def ensure_index(db: sqlite_utils.Database) -> None:
    """Create the FTS table if it is missing."""


def sync_document(conn: sqlite3.Connection, doc_id: int) -> None:
    """Index the document if it is canonical, drop it from the index otherwise."""
