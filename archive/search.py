"""Full-text search over the archive: query parsing, ranking, snippets.

The query language is a safe subset of FTS5's:

- plain words: every word must occur (``医院 病人``); a word is cut at
  punctuation, so ``医院，病人`` is two words;
- ``"quoted phrases"``: the words in this order, next to each other;
- ``OR``, ``NOT``, ``AND`` (upper case) between terms, ``( … )`` to group,
  and ``word*`` for a prefix, when they are well formed.

Everything else the user types becomes a quoted FTS5 string, and the whole
expression reaches SQLite as one bound parameter, so no user text is ever SQL
or unquoted FTS syntax.  A malformed query raises ``QueryError`` with a one-line
message.  Traditional and simplified Chinese need no handling here: the ``cjk``
tokenizer folds both the indexed text and the query to simplified.
"""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import asdict, dataclass
from typing import Any

from .errors import ArchiveError

# Snippet delimiters: private-use code points, which never occur in archived text
# (the display layer turns them into bold, 【】 or <mark>).
MARK_OPEN = "\ue000"
MARK_CLOSE = "\ue001"
ELLIPSIS = "…"
SNIPPET_TOKENS = 32
TITLE_WEIGHT = 5.0
BODY_WEIGHT = 1.0
OPERATORS = {"AND", "OR", "NOT"}
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_LEXEME = re.compile(r'\s+|"[^"]*"|"|\(|\)|[^\s"()]+')
_WORD_PIECE = re.compile(r"\w+", re.UNICODE)


class QueryError(ArchiveError):
    """The search query cannot be parsed; the message is one line for the user."""


@dataclass
class SearchHit:
    id: int
    title: str | None
    published: str | None
    source: str | None
    site: str | None
    path: str
    score: float  # -bm25: larger is more relevant
    snippet: str  # with MARK_OPEN/MARK_CLOSE around matches
    duplicate_of: int | None = None

    def as_dict(self, open_mark: str = "【", close_mark: str = "】") -> dict[str, Any]:
        d = asdict(self)
        d["snippet"] = render_snippet(self.snippet, open_mark, close_mark)
        return d


def render_snippet(snippet: str, open_mark: str, close_mark: str) -> str:
    return snippet.replace(MARK_OPEN, open_mark).replace(MARK_CLOSE, close_mark)


def _quote(text: str) -> str:
    # Inside an FTS5 string a double quote is written twice; our lexer never
    # lets one through, but quoting stays correct whatever the input.
    return '"' + text.replace('"', '""') + '"'


def _word_terms(bare: str) -> list[str]:
    """A bare word as FTS5 strings: cut at punctuation, each piece quoted."""
    prefix = bare.endswith("*")
    core = bare[:-1] if prefix else bare
    if "*" in core:
        raise QueryError(f"'{bare}': '*' may only end a word (prefix search)")
    pieces = [p.replace("_", " ").strip() for p in _WORD_PIECE.findall(core)]
    pieces = [p for p in pieces if p]
    if prefix and not pieces:
        raise QueryError("'*' must follow a word (prefix search)")
    terms = [_quote(p) for p in pieces]
    if prefix:
        terms[-1] += "*"
    return terms


def _and_join(terms: list[str]) -> list[str]:
    out: list[str] = []
    for t in terms:
        if out:
            out.append("AND")
        out.append(t)
    return out


def parse_query(query: str) -> str:
    """Turn user text into a safe FTS5 MATCH expression (see module doc)."""
    if query.count('"') % 2:
        raise QueryError('unbalanced " in the query: close the quoted phrase')
    out: list[str] = []
    depth = 0
    expect_operand = True  # at the start, after an operator or '('
    for m in _LEXEME.finditer(query):
        lex = m.group(0)
        if lex.isspace():
            continue
        if lex == "(":
            if not expect_operand:
                out.append("AND")  # FTS5 has no implicit AND next to a parenthesis
            out.append("(")
            depth += 1
            expect_operand = True
        elif lex == ")":
            if depth == 0:
                raise QueryError("unbalanced ')' in the query")
            if expect_operand:
                raise QueryError("empty '( )' or an operator before ')' in the query")
            out.append(")")
            depth -= 1
        elif lex in OPERATORS:
            if expect_operand:
                raise QueryError(f"'{lex}' needs a word or phrase on both sides")
            out.append(lex)
            expect_operand = True
        else:
            if lex.startswith('"'):
                inner = lex[1:-1].strip()
                terms = [_quote(inner)] if _WORD_PIECE.search(inner) else []
                if m.end() < len(query) and query[m.end()] == "*":
                    raise QueryError("prefix '*' after a quoted phrase is not supported")
            else:
                terms = _word_terms(lex)
            if not terms:
                continue
            if not expect_operand:
                out.append("AND")
            out.extend(_and_join(terms))
            expect_operand = False
    if depth:
        raise QueryError("unbalanced '(' in the query")
    if not out:
        raise QueryError("the query has no words to search for")
    if expect_operand:
        raise QueryError(f"'{out[-1]}' needs a word or phrase on both sides")
    return " ".join(out)


def _date_bound(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if not _DATE.match(value):
        raise QueryError(f"--{name} {value!r}: give a date as YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def _run(
    conn: sqlite3.Connection,
    match: str,
    *,
    limit: int,
    since: str | None,
    until: str | None,
    source: str | None,
    site: str | None,
    include_duplicates: bool,
) -> list[SearchHit]:
    from .store.fts import DUP_FTS_TABLE, FTS_TABLE

    tables = [FTS_TABLE, DUP_FTS_TABLE] if include_duplicates else [FTS_TABLE]
    params: dict[str, Any] = {"match": match, "limit": limit}
    where = []
    if since:
        where.append("substr(d.published, 1, length(:since)) >= :since")
        params["since"] = since
    if until:
        where.append("substr(d.published, 1, length(:until)) <= :until")
        params["until"] = until
    if source:
        where.append("instr(d.source, :source) > 0")
        params["source"] = source
    if site:
        where.append("(instr(d.site, :site) > 0 OR instr(d.site_key, :site) > 0)")
        params["site"] = site
    filters = "".join(f" AND {w}" for w in where)
    # Rank first (ids and scores only), then cut snippets for the top hits alone:
    # snippet() over every match of a common character would dominate the time.
    # cjk_rank() is bm25() (same scores) minus a docsize lookup per row; the join
    # with documents is only there when a filter needs its columns.
    parts = [
        f"SELECT f.rowid AS id, cjk_rank({t}, '{t}', {TITLE_WEIGHT}, {BODY_WEIGHT}) AS rank, '{t}' AS tbl "
        f"FROM {t} AS f{' JOIN documents AS d ON d.id = f.rowid' if filters else ''} "
        f"WHERE {t} MATCH :match{filters}"
        for t in tables
    ]
    sql = " UNION ALL ".join(parts) + " ORDER BY rank, id LIMIT :limit"
    ranked = conn.execute(sql, params).fetchall()
    hits = []
    for doc_id, rank, tbl in ranked:
        snippet_row = conn.execute(
            f"SELECT cjk_snippet({tbl}, -1, ?, ?, ?, ?, ?) FROM {tbl} WHERE {tbl} MATCH ? AND rowid = ?",
            [MARK_OPEN, MARK_CLOSE, ELLIPSIS, SNIPPET_TOKENS, match, match, doc_id],
        ).fetchone()
        d = conn.execute(
            "SELECT title, published, source, site, path, duplicate_of FROM documents WHERE id = ?",
            [doc_id],
        ).fetchone()
        hits.append(
            SearchHit(
                id=doc_id,
                title=d[0],
                published=d[1],
                source=d[2],
                site=d[3],
                path=d[4],
                score=round(-rank, 6),
                snippet=snippet_row[0] if snippet_row else "",
                duplicate_of=d[5],
            )
        )
    return hits


def search_connection(
    conn: sqlite3.Connection,
    query: str,
    *,
    limit: int = 10,
    since: str | None = None,
    until: str | None = None,
    source: str | None = None,
    site: str | None = None,
    include_duplicates: bool = False,
) -> list[SearchHit]:
    """Search an open archive connection (which must have the tokenizer)."""
    if limit < 1:
        raise QueryError("--limit must be at least 1")
    match = parse_query(query)
    since = _date_bound(since, "since")
    until = _date_bound(until, "until")
    try:
        return _run(
            conn,
            match,
            limit=limit,
            since=since,
            until=until,
            source=source,
            site=site,
            include_duplicates=include_duplicates,
        )
    except sqlite3.OperationalError as exc:
        msg = str(exc)
        if "fts5" in msg or "syntax error" in msg:
            raise QueryError(f"cannot search for {query!r}: {msg}") from exc
        raise ArchiveError(f"search failed: {msg}") from exc


def search(
    db_path: str | os.PathLike,
    query: str,
    limit: int = 10,
    since: str | None = None,
    until: str | None = None,
    source: str | None = None,
    site: str | None = None,
    include_duplicates: bool = False,
) -> list[SearchHit]:
    """Ranked full-text search of an archive file (bm25, title weighted above body).

    Returns at most ``limit`` hits, best first; canonical records only unless
    ``include_duplicates``.  ``since``/``until`` compare with ``published``
    (YYYY, YYYY-MM or YYYY-MM-DD, inclusive); ``source``/``site`` match a part.
    """
    if not os.path.exists(db_path):
        raise ArchiveError(f"{db_path}: no such archive (run `archive ingest` first)")
    from .store.writer import open_db

    db = open_db(db_path)
    try:
        return search_connection(
            db.conn,
            query,
            limit=limit,
            since=since,
            until=until,
            source=source,
            site=site,
            include_duplicates=include_duplicates,
        )
    finally:
        db.conn.close()


def reindex(db_path: str | os.PathLike) -> dict[str, Any]:
    """Rebuild the full-text index of an archive; returns counts."""
    if not os.path.exists(db_path):
        raise ArchiveError(f"{db_path}: no such archive (run `archive ingest` first)")
    from .store import fts
    from .store.writer import open_db

    db = open_db(db_path)
    try:
        return fts.rebuild(db)
    finally:
        db.conn.close()


def reindex_if_missing(db_path: str | os.PathLike) -> None:
    """Create (and fill) the full-text index of an archive that has none yet."""
    from .store.writer import open_db

    open_db(db_path).conn.close()
