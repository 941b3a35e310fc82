"""The archive's tables. This is the contract datasette users and tests rely on."""

from __future__ import annotations

import sqlite_utils

DOCUMENT_COLUMNS: dict[str, type] = {
    "id": int,
    "path": str,  # input path relative to the working dir; path#N inside containers
    "sha256": str,  # SHA-256 of the raw bytes: the document's identity
    "url": str,
    "kind": str,  # text | html
    "encoding": str,
    "site_key": str,  # host, or the input folder for text dumps
    "title": str,
    "published": str,  # YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]
    "source": str,
    "authors": str,  # JSON array of names
    "editor": str,
    "site": str,
    "body": str,  # cleaned text, paragraphs separated by one blank line
    "removed": str,  # JSON list of {line, reason}
    "fragmented": int,
    "offtopic": str,  # off-topic text cut out of the body
    "offtopic_start": int,  # its character offset in the uncut body
    "offtopic_reason": str,
    "chars": int,
    "cjk_ratio": float,
    "terminal_punct_ratio": float,
    "dup_line_ratio": float,
    "dup_ngram_ratio": float,
    "quality": float,
    "exact_key": str,  # hash of the normalised body (exact duplicates)
    "cluster_id": int,
    "duplicate_of": int,  # NULL for canonical records
    # In a shard written with a shared --lsh: sha256 of a canonical another machine
    # stored (duplicate_of stays NULL: local ids cannot point there); `archive merge`
    # resolves it into duplicate_of.
    "duplicate_of_sha256": str,
    "dup_kind": str,  # exact | near
    "dup_similarity": float,
    "cleaned_path": str,
    "ingested_at": str,
    # 1 once compared with its cluster for a tail a near-duplicate lacks (store/duplicate_tails.py)
    "dup_tail_checked": int,
}


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create missing tables, columns and indexes; safe to call on every open."""
    docs = db["documents"]
    if not docs.exists():
        docs.create(DOCUMENT_COLUMNS, pk="id", not_null={"sha256", "path"})
    else:
        missing = {c: t for c, t in DOCUMENT_COLUMNS.items() if c not in docs.columns_dict}
        for col, typ in missing.items():
            docs.add_column(col, typ)
    db.execute("CREATE UNIQUE INDEX IF NOT EXISTS idx_documents_sha256 ON documents(sha256)")
    db.execute("CREATE INDEX IF NOT EXISTS idx_documents_exact_key ON documents(exact_key)")
    db.execute("CREATE INDEX IF NOT EXISTS idx_documents_cluster ON documents(cluster_id)")
    db.execute("CREATE INDEX IF NOT EXISTS idx_documents_duplicate_of ON documents(duplicate_of)")
    # Only the records of the runs not yet checked: stays small however large the archive.
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_documents_tail_unchecked ON documents(cluster_id) "
        "WHERE dup_tail_checked IS NULL"
    )
    if not db["ingest_runs"].exists():
        # One row per ingest run; a run with no finished_at was interrupted, and the
        # next run then checks every cleaned/ file against its row.
        db["ingest_runs"].create({"id": int, "started_at": str, "finished_at": str, "stats": str}, pk="id")
    if not db["rejects"].exists():
        db["rejects"].create(
            {"path": str, "sha256": str, "reason": str, "at": str},
            pk=("path", "sha256"),
        )
