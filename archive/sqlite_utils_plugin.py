"""sqlite-utils plugin: the ``cjk`` tokenizer for archives opened with sqlite-utils.

The tokenizer is registered process-wide when archive.store._cjk is imported
(sqlite3_auto_extension), which the installed ``archive_cjk.pth`` does at
interpreter start, so even the first ``sqlite_utils.Database(path)`` (whose
connection opens before plugins load) has it.  This hook makes sure of it and
fails loudly instead of letting FTS queries fail with "no such tokenizer".
"""

from __future__ import annotations

import contextlib
import sqlite3

from sqlite_utils import hookimpl

from .errors import ArchiveError
from .store import fts


@hookimpl
def prepare_connection(conn: sqlite3.Connection) -> None:
    is_archive = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [fts.FTS_TABLE]
    ).fetchone()
    if not is_archive:
        # Other databases are none of our business, even if the build is broken.
        with contextlib.suppress(ArchiveError):
            fts.ensure_tokenizer()
        return
    fts.ensure_tokenizer()
    fts.check_connection(conn)
