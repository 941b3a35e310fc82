"""Exact and near-duplicate detection."""

from __future__ import annotations

import hashlib
import re
import unicodedata

import sqlite_utils

from ..models import ProcessedDocument

_SPACE = re.compile(r"\s+")


def normalise_for_dedup(body: str) -> str:
    """NFKC (folds full-width punctuation and digits), whitespace removed."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", body))


def exact_key(body: str) -> str:
    return hashlib.sha256(normalise_for_dedup(body).encode("utf-8")).hexdigest()


def signature(body: str) -> None:
    return None


class DedupIndex:
    """Assigns each new document to a cluster (exact duplicates only, for now)."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def add(self, doc_id: int, doc: ProcessedDocument) -> list[int]:
        conn = self.db.conn
        row = conn.execute(
            "SELECT id FROM documents WHERE exact_key = ? AND id != ? AND duplicate_of IS NULL",
            [doc.exact_key, doc_id],
        ).fetchone()
        if row is None:
            conn.execute("UPDATE documents SET cluster_id = ? WHERE id = ?", [doc_id, doc_id])
        else:
            conn.execute(
                "UPDATE documents SET cluster_id = ?, duplicate_of = ?, dup_kind = 'exact', "
                "dup_similarity = 1.0 WHERE id = ?",
                [row[0], row[0], doc_id],
            )
        return []
