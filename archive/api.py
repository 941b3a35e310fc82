"""Read-side library functions shared by the CLI and Python users."""

from __future__ import annotations

import json
import os
from typing import Any

from .errors import ArchiveError
from .store.writer import open_db

JSON_COLUMNS = ("authors", "removed")


def decode_row(row: dict[str, Any]) -> dict[str, Any]:
    for col in JSON_COLUMNS:
        if isinstance(row.get(col), str):
            row[col] = json.loads(row[col])
    return row


def get_document(db_path: str | os.PathLike, ref: str | int) -> dict[str, Any]:
    """One record by numeric id or by (a prefix of at least 8 hex digits of) its sha256."""
    if not os.path.exists(db_path):
        raise ArchiveError(f"{db_path}: no such archive (run `archive ingest` first)")
    db = open_db(db_path)
    try:
        ref = str(ref).strip()
        rows: list[dict[str, Any]] = []
        if ref.isdigit():
            rows = list(db.query("SELECT * FROM documents WHERE id = ?", [int(ref)]))
        if not rows and len(ref) >= 8 and all(c in "0123456789abcdef" for c in ref.lower()):
            rows = list(db.query("SELECT * FROM documents WHERE sha256 LIKE ? LIMIT 2", [ref.lower() + "%"]))
            if len(rows) > 1:
                raise ArchiveError(f"{ref}: ambiguous sha256 prefix, give more digits")
        if not rows:
            raise ArchiveError(f"{ref}: no such document (give an id or a sha256 prefix)")
        return decode_row(rows[0])
    finally:
        db.conn.close()
