"""sqlite-utils plugin: the ``cjk`` tokenizer for archives opened with sqlite-utils.

The tokenizer is registered process-wide when archive.store._cjk is imported
(sqlite3_auto_extension), which the installed ``archive_cjk.pth`` does at
interpreter start, so even the first ``sqlite_utils.Database(path)`` (whose
connection opens before plugins load) has it.  This hook makes sure of it and
fails loudly instead of letting FTS queries fail with "no such tokenizer".
"""

from __future__ import annotations

import sqlite3

from sqlite_utils import hookimpl

from .store import fts


@hookimpl
def prepare_connection(conn: sqlite3.Connection) -> None:
    fts.ensure_tokenizer()
    is_archive = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [fts.FTS_TABLE]
    ).fetchone()
    if is_archive:
        fts.check_connection(conn)
