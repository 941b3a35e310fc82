"""datasette plugin: Chinese search for archives, <mark> snippets, shipped metadata.

Installed through the ``datasette`` entry point in pyproject.toml, so plain
``datasette archive.db`` (or ``archive serve``) gets:

- the ``cjk`` tokenizer on every connection (the table search box on
  ``documents`` then works for 1- and 2-character words and phrases, in either
  script: the tokenizer folds traditional to simplified on both sides);
- a canned query ``search`` ranked by bm25 with snippets, whose private-use
  match markers ``render_cell`` turns into ``<mark>`` after HTML-escaping
  everything else;
- titles, descriptions, facets (source, site, published year) and the search
  table of ``documents`` as metadata, for every attached database that is an
  archive (has a ``documents`` table).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from datasette import hookimpl
from datasette.utils import escape_fts as datasette_escape_fts
from markupsafe import Markup, escape

from .errors import ArchiveError
from .search import BODY_WEIGHT, MARK_CLOSE, MARK_OPEN, SNIPPET_TOKENS, TITLE_WEIGHT
from .store import fts

# Import-time registration: every connection datasette opens from now on has the
# tokenizer.  A failure is kept and reported per archive connection below rather
# than stopping datasette from serving other databases.
try:
    fts.ensure_tokenizer()
    _TOKENIZER_ERROR: str | None = None
except ArchiveError as exc:
    _TOKENIZER_ERROR = str(exc)

# Rank in a subquery (ids and scores only) and cut snippets for the 50 rows
# shown: a snippet column in the ranked query would be computed for every match.
_RANK = f"cjk_rank(documents_fts, 'documents_fts', {TITLE_WEIGHT}, {BODY_WEIGHT})"
SEARCH_SQL = f"""select d.id, d.title, d.published, d.source, d.site,
  (select cjk_snippet(documents_fts, -1, char({ord(MARK_OPEN)}), char({ord(MARK_CLOSE)}), '…',
          {SNIPPET_TOKENS}, escape_fts(:q))
     from documents_fts where documents_fts match escape_fts(:q) and rowid = h.id) as snippet,
  round(-h.rank, 3) as score
from (
  select rowid as id, {_RANK} as rank
  from documents_fts where documents_fts match escape_fts(:q)
  order by rank, rowid limit 50
) as h
join documents d on d.id = h.id
order by h.rank, h.id"""

DATABASE_METADATA: dict[str, Any] = {
    "description": "Cleaned, deduplicated Chinese web pages. Search box: any Chinese or Latin "
    "text; traditional and simplified characters find each other.",
    "tables": {
        "documents": {
            "title": "Documents",
            "description": "One row per archived page: metadata, cleaned body, quality and "
            "duplicate signals. Duplicates point to their canonical record in duplicate_of.",
            "fts_table": "documents_fts",
            "fts_pk": "id",
            "label_column": "title",
            "facets": ["source", "site", "published_year"],
        },
        "duplicates": {
            "title": "Duplicate clusters",
            "description": "Clusters of exact or near duplicates: size, canonical record and "
            "the ids kept as duplicates.",
        },
        "rejects": {
            "title": "Rejected inputs",
            "description": "Inputs that could not become documents, with the reason.",
        },
        # internals of the search index (see docs/search.md), like FTS5's shadow tables
        **{name: {"hidden": True} for name in fts.TERM_TOP_TABLES},
    },
}

CANNED_QUERIES: dict[str, Any] = {
    "search": {
        "title": "Search the archive",
        "description": "Full-text search ranked by bm25 (title weighted above body), with the "
        "matches highlighted. Canonical records only.",
        "sql": SEARCH_SQL,
    }
}

_archive_paths: dict[str, bool] = {}


def _is_archive_path(path: str | None) -> bool:
    if not path:
        return False
    if path not in _archive_paths:
        try:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                row = conn.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'documents'"
                ).fetchone()
            finally:
                conn.close()
            _archive_paths[path] = row is not None
        except sqlite3.Error:
            return False
    return _archive_paths[path]


def _has_fts(conn: sqlite3.Connection) -> bool:
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [fts.FTS_TABLE]
    ).fetchone()
    return row is not None


def escape_fts(query: str | None) -> str:
    """datasette's escape_fts (each word a quoted FTS string), never empty.

    datasette turns a search for just ``"`` (or an empty canned-query box) into an
    empty MATCH, which FTS5 rejects with a syntax error page; ``""`` is an empty
    phrase that matches nothing instead.
    """
    escaped = datasette_escape_fts(query or "")
    return escaped if escaped.strip() else '""'


# trylast: run after datasette's own prepare_connection, so this escape_fts wins.
@hookimpl(trylast=True)
def prepare_connection(conn: sqlite3.Connection, database: str, datasette: Any) -> None:
    conn.create_function("escape_fts", 1, escape_fts, deterministic=True)
    if _has_fts(conn) and not fts.has_tokenizer(conn):
        raise ArchiveError(
            f"database {database!r} is an archive but this connection has no 'cjk' tokenizer: "
            + (_TOKENIZER_ERROR or "it was opened before the archive plugin was loaded")
        )


@hookimpl
def render_cell(value: Any) -> Markup | None:
    if isinstance(value, str) and MARK_OPEN in value:
        html = str(escape(value)).replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>")
        return Markup(html)
    return None


@hookimpl
def get_metadata(datasette: Any, key: str, database: str | None, table: str | None) -> dict[str, Any]:
    names = [name for name, db in datasette.databases.items() if _is_archive_path(getattr(db, "path", None))]
    if not names:
        return {}
    return {
        "title": "Archive",
        "description": "Chinese web pages turned into a clean, deduplicated, searchable archive.",
        "databases": {name: DATABASE_METADATA for name in names},
    }


@hookimpl
def canned_queries(datasette: Any, database: str) -> Any:
    async def inner() -> dict[str, Any]:
        db = datasette.get_database(database)
        result = await db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [fts.FTS_TABLE]
        )
        return CANNED_QUERIES if result.first() else {}

    return inner
