"""Full-text index of canonical documents (title + body).

Two FTS5 tables over the ``documents`` table, both with the ``cjk`` tokenizer
(archive/store/cjk_tokenizer.c) and ``documents`` as external content, so the
text is stored once and snippets are cut from the text as written:

- ``documents_fts``: canonical records (``duplicate_of IS NULL``).  Declared with
  ``content="documents"`` so datasette and sqlite-utils find it as the search
  table of ``documents``.
- ``documents_dup_fts``: the duplicates, searched only on request
  (``--include-duplicates``).  Declared with ``content='documents'`` (single
  quotes) so that table detection does not pick it.

Triggers on ``documents`` move a row between the two tables whenever its title,
body or ``duplicate_of`` changes, inside the statement that changed it, hence
inside the writer's transaction.  ``sync_document`` checks (cheaply, through the
FTS5 ``_docsize`` shadow tables) that a row sits in the right table and repairs
it if it does not (e.g. an archive written before the triggers existed).
"""

from __future__ import annotations

import sqlite3
from typing import Any

import sqlite_utils

from ..errors import ArchiveError

TOKENIZER = "cjk"
FTS_TABLE = "documents_fts"
DUP_FTS_TABLE = "documents_dup_fts"

_BUILD_HINT = (
    "the compiled CJK tokenizer (archive.store._cjk) is missing: reinstall the package with a C "
    "compiler and the SQLite headers present (`bash scripts/install_system_deps.sh build`, then "
    "`pip install -e .`)"
)

_CREATE = {
    FTS_TABLE: (
        f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
        f'title, body, content="documents", content_rowid="id", tokenize="{TOKENIZER}")'
    ),
    DUP_FTS_TABLE: (
        f"CREATE VIRTUAL TABLE {DUP_FTS_TABLE} USING fts5("
        f"title, body, content='documents', content_rowid='id', tokenize='{TOKENIZER}')"
    ),
}


def _insert_sql(row: str, cond_canonical: bool) -> str:
    table = FTS_TABLE if cond_canonical else DUP_FTS_TABLE
    cond = "IS NULL" if cond_canonical else "IS NOT NULL"
    return (
        f"INSERT INTO {table}(rowid, title, body) "
        f"SELECT {row}.id, {row}.title, {row}.body WHERE {row}.duplicate_of {cond};"
    )


def _delete_sql(row: str, cond_canonical: bool) -> str:
    table = FTS_TABLE if cond_canonical else DUP_FTS_TABLE
    cond = "IS NULL" if cond_canonical else "IS NOT NULL"
    return (
        f"INSERT INTO {table}({table}, rowid, title, body) "
        f"SELECT 'delete', {row}.id, {row}.title, {row}.body WHERE {row}.duplicate_of {cond};"
    )


_TRIGGERS = {
    "documents_fts_ai": (
        "CREATE TRIGGER documents_fts_ai AFTER INSERT ON documents BEGIN "
        + _insert_sql("new", True)
        + _insert_sql("new", False)
        + " END"
    ),
    "documents_fts_ad": (
        "CREATE TRIGGER documents_fts_ad AFTER DELETE ON documents BEGIN "
        + _delete_sql("old", True)
        + _delete_sql("old", False)
        + " END"
    ),
    "documents_fts_au": (
        "CREATE TRIGGER documents_fts_au AFTER UPDATE OF title, body, duplicate_of ON documents BEGIN "
        + _delete_sql("old", True)
        + _delete_sql("old", False)
        + _insert_sql("new", True)
        + _insert_sql("new", False)
        + " END"
    ),
}

# Clusters with more than one member; helper-owned dedup columns fill cluster_id
# (every record, a singleton's is its own id) and duplicate_of.
DUPLICATES_VIEW = """
CREATE VIEW IF NOT EXISTS duplicates AS
SELECT g.cluster_id, g.size, g.canonical_id, c.title AS canonical_title,
       c.published AS canonical_published, g.duplicate_ids
FROM (
    SELECT cluster_id, count(*) AS size,
           min(CASE WHEN duplicate_of IS NULL THEN id END) AS canonical_id,
           group_concat(CASE WHEN duplicate_of IS NOT NULL THEN id END) AS duplicate_ids
    FROM documents
    WHERE cluster_id IS NOT NULL
    GROUP BY cluster_id
    HAVING count(*) > 1
) AS g
LEFT JOIN documents AS c ON c.id = g.canonical_id
"""


def ensure_tokenizer() -> None:
    """Make the CJK tokenizer available to every connection opened from now on.

    Importing the compiled module registers it with ``sqlite3_auto_extension``;
    connections opened before that (in this process) do not have it.
    """
    try:
        from . import _cjk  # noqa: F401 - imported for its registration side effect
    except ImportError as exc:
        raise ArchiveError(f"{_BUILD_HINT} ({exc})") from exc
    if _cjk.sqlite_libversion() != sqlite3.sqlite_version:
        raise ArchiveError(
            f"the CJK tokenizer was built against SQLite {_cjk.sqlite_libversion()} but Python's "
            f"sqlite3 uses {sqlite3.sqlite_version}: they must be the same shared library"
        )


def has_tokenizer(conn: sqlite3.Connection) -> bool:
    """True when this connection can use the ``cjk`` tokenizer."""
    try:
        conn.execute("SELECT cjk_tokenizer_version()").fetchone()
    except sqlite3.OperationalError:
        return False
    return True


def check_connection(conn: sqlite3.Connection) -> None:
    """Raise a clear error when ``conn`` lacks the tokenizer (opened before registration)."""
    if not has_tokenizer(conn):
        raise ArchiveError(
            "this SQLite connection has no 'cjk' tokenizer: it was opened before "
            "archive.store._cjk was imported, or " + _BUILD_HINT
        )


def _conn(db: sqlite_utils.Database | sqlite3.Connection) -> sqlite3.Connection:
    return db.conn if isinstance(db, sqlite_utils.Database) else db


def _exists(conn: sqlite3.Connection, kind: str, name: str) -> bool:
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE type = ? AND name = ?", [kind, name]).fetchone()
    return row is not None


def ensure_index(db: sqlite_utils.Database | sqlite3.Connection) -> None:
    """Create the FTS tables, their triggers and the ``duplicates`` view if missing.

    A freshly created index over an archive that already has rows is filled.
    """
    conn = _conn(db)
    check_connection(conn)
    created = False
    for name, sql in _CREATE.items():
        if not _exists(conn, "table", name):
            conn.execute(sql)
            created = True
    for name, sql in _TRIGGERS.items():
        if not _exists(conn, "trigger", name):
            conn.execute(sql)
    conn.execute(DUPLICATES_VIEW)
    cols = {r[1] for r in conn.execute("PRAGMA table_xinfo(documents)")}
    if "published_year" not in cols:
        # Virtual (computed on read, no storage) so datasette can facet by year.
        conn.execute(
            "ALTER TABLE documents ADD COLUMN published_year TEXT "
            "GENERATED ALWAYS AS (substr(published, 1, 4)) VIRTUAL"
        )
    if created and conn.execute("SELECT 1 FROM documents LIMIT 1").fetchone():
        rebuild(conn)


def _indexed_in(conn: sqlite3.Connection, table: str, doc_id: int) -> bool:
    row = conn.execute(f"SELECT 1 FROM {table}_docsize WHERE id = ?", [doc_id]).fetchone()
    return row is not None


def sync_document(conn: sqlite3.Connection, doc_id: int) -> None:
    """Index the document if it is canonical, drop it from the index otherwise.

    The triggers normally did this already in the same statement; this checks
    the row's place and repairs it, so the invariant holds even for archives
    whose rows were written without the triggers.
    """
    row = conn.execute(
        "SELECT id, title, body, duplicate_of FROM documents WHERE id = ?", [doc_id]
    ).fetchone()
    if row is None:
        return
    _id, title, body, duplicate_of = row
    want = FTS_TABLE if duplicate_of is None else DUP_FTS_TABLE
    for table in (FTS_TABLE, DUP_FTS_TABLE):
        present = _indexed_in(conn, table, doc_id)
        if table == want and not present:
            conn.execute(f"INSERT INTO {table}(rowid, title, body) VALUES (?, ?, ?)", [doc_id, title, body])
        elif table != want and present:
            # External content: the indexed text is the row's current text (any
            # change of title/body went through the update trigger).
            conn.execute(
                f"INSERT INTO {table}({table}, rowid, title, body) VALUES ('delete', ?, ?, ?)",
                [doc_id, title, body],
            )


def rebuild(db: sqlite_utils.Database | sqlite3.Connection) -> dict[str, Any]:
    """Re-create both indexes from ``documents``; returns row counts.

    Runs in the caller's transaction if one is open, otherwise in its own.
    """
    conn = _conn(db)
    check_connection(conn)
    own_tx = not conn.in_transaction
    if own_tx:
        conn.execute("BEGIN IMMEDIATE")
    try:
        for name, sql in _CREATE.items():
            if not _exists(conn, "table", name):
                conn.execute(sql)
            conn.execute(f"INSERT INTO {name}({name}) VALUES ('delete-all')")
        conn.execute(
            f"INSERT INTO {FTS_TABLE}(rowid, title, body) "
            "SELECT id, title, body FROM documents WHERE duplicate_of IS NULL"
        )
        conn.execute(
            f"INSERT INTO {DUP_FTS_TABLE}(rowid, title, body) "
            "SELECT id, title, body FROM documents WHERE duplicate_of IS NOT NULL"
        )
        for name in _CREATE:
            conn.execute(f"INSERT INTO {name}({name}) VALUES ('optimize')")
        if own_tx:
            conn.commit()
    except BaseException:
        if own_tx and conn.in_transaction:
            conn.rollback()
        raise
    canonical = conn.execute(f"SELECT count(*) FROM {FTS_TABLE}_docsize").fetchone()[0]
    duplicates = conn.execute(f"SELECT count(*) FROM {DUP_FTS_TABLE}_docsize").fetchone()[0]
    return {"canonical": canonical, "duplicates": duplicates}


def misplaced_count(db: sqlite_utils.Database | sqlite3.Connection) -> int:
    """How many records are missing from, or wrongly present in, the two indexes (0 when in step)."""
    conn = _conn(db)
    return conn.execute(
        f"""
        SELECT
          (SELECT count(*) FROM documents d WHERE d.duplicate_of IS NULL
             AND d.id NOT IN (SELECT id FROM {FTS_TABLE}_docsize))
        + (SELECT count(*) FROM documents d WHERE d.duplicate_of IS NOT NULL
             AND d.id NOT IN (SELECT id FROM {DUP_FTS_TABLE}_docsize))
        + (SELECT count(*) FROM {FTS_TABLE}_docsize s WHERE s.id NOT IN
             (SELECT id FROM documents WHERE duplicate_of IS NULL))
        + (SELECT count(*) FROM {DUP_FTS_TABLE}_docsize s WHERE s.id NOT IN
             (SELECT id FROM documents WHERE duplicate_of IS NOT NULL))
        """
    ).fetchone()[0]
