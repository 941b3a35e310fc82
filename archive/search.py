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


_ONE_TERM = re.compile(r'"([^"]{1,2})"')


def _fts_totals(conn: sqlite3.Connection, table: str) -> tuple[int, int]:
    """(rows, tokens in all columns) of an FTS5 table: its averages record, as xRowCount
    and xColumnTotalSize(-1) read it (SQLite varints: row count, then one total per column)."""
    row = conn.execute(f"SELECT block FROM {table}_data WHERE id = 1").fetchone()
    values = []
    blob = row[0] if row else b""
    i = 0
    while i < len(blob):
        value = 0
        for k in range(9):
            byte = blob[i]
            i += 1
            if k == 8:
                value = (value << 8) | byte
                break
            value = (value << 7) | (byte & 0x7F)
            if not byte & 0x80:
                break
        values.append(value)
    return (values[0], sum(values[1:])) if values else (0, 0)


def _term_top_ranked(conn: sqlite3.Connection, match: str, *, limit: int, offset: int) -> list[tuple] | None:
    """The ranked (id, rank, table) page for a one- or two-character query through
    the term-top index, or None when the index cannot answer it exactly.

    The result is the one the cjk_rank query gives (same rows, same order, same
    scores to the last bit, see fts.TERM_TOP): rows the index holds, rows
    changed since it was built and rows added after it, scored by
    cjk_term_rank() with the document frequency kept exact from the index's
    count, the changes and the additions.
    """
    from .store import fts

    one = _ONE_TERM.fullmatch(match)
    if not one:
        return None
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", [fts.TERM_TOP_META]).fetchone():
        return None  # an archive from before the index, opened without open_db
    meta = conn.execute(
        f"SELECT max_id, depth, title_weight, body_weight FROM {fts.TERM_TOP_META}"
    ).fetchone()
    if meta is None or (meta[2], meta[3]) != (TITLE_WEIGHT, BODY_WEIGHT):
        return None
    max_id, depth = meta[0], meta[1]
    # one CJK character or bigram (folded), i.e. one token of the tokenizer
    runs, folded = conn.execute("SELECT cjk_runs(:q), cjk_fold(:q)", {"q": one.group(1)}).fetchone()
    term = runs.strip()
    if term != folded:
        return None
    built = conn.execute(f"SELECT df FROM {fts.TERM_TOP_TERMS} WHERE term = ?", [term]).fetchone()
    if built is None:
        return None
    lost_depth = conn.execute(
        f"SELECT count(*) FROM {fts.TERM_TOP} AS t JOIN {fts.TERM_TOP_CHANGED} AS c ON c.id = t.id "
        "WHERE t.term = ?",
        [term],
    ).fetchone()[0]
    if offset + limit > depth - lost_depth:
        return None
    t = fts.FTS_TABLE
    params: dict[str, Any] = {
        "match": match,
        "term": term,
        "max_id": max_id,
        "limit": limit,
        "offset": offset,
    }
    # Rows scored from the FTS index: added after the build, or changed since.
    live = (
        f"SELECT rowid AS id, {{cols}} FROM {t} WHERE {t} MATCH :match AND rowid > :max_id "
        f"UNION ALL SELECT rowid AS id, {{cols}} FROM {t} WHERE {t} MATCH :match "
        f"AND rowid IN (SELECT id FROM {fts.TERM_TOP_CHANGED})"
    )
    live_count = conn.execute(f"SELECT count(*) FROM ({live.format(cols='1')})", params).fetchone()[0]
    old_count = conn.execute(
        f"SELECT count(*) FROM {fts.TERM_TOP_CHANGED} WHERE instr(old_runs, :term) > 0", params
    ).fetchone()[0]
    params["df"] = built[0] - old_count + live_count
    params["n_rows"], params["n_tokens"] = _fts_totals(conn, t)
    score = "cjk_term_rank(:n_rows, :n_tokens, :df, {freq}, {doclen}) AS rank"
    live_cols = score.format(freq=f"cjk_tf({t}, {TITLE_WEIGHT}, {BODY_WEIGHT})", doclen=f"cjk_doclen({t})")
    sql = (
        f"SELECT id, {score.format(freq='freq', doclen='doclen')} FROM {fts.TERM_TOP} "
        f"WHERE term = :term AND id NOT IN (SELECT id FROM {fts.TERM_TOP_CHANGED}) "
        f"UNION ALL {live.format(cols=live_cols)} ORDER BY rank, id LIMIT :limit OFFSET :offset"
    )
    return [(doc_id, rank, t) for doc_id, rank in conn.execute(sql, params)]


def _run(
    conn: sqlite3.Connection,
    match: str,
    *,
    limit: int,
    offset: int,
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
    ranked = None
    if not filters and not include_duplicates:
        ranked = _term_top_ranked(conn, match, limit=limit, offset=offset)
    if ranked is None:
        ranked = _rank_all(conn, match, tables, filters, params | {"offset": offset})
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


def _rank_all(
    conn: sqlite3.Connection, match: str, tables: list[str], filters: str, params: dict[str, Any]
) -> list[tuple]:
    """The ranked (id, rank, table) page, every match scored by cjk_rank."""
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
    sql = " UNION ALL ".join(parts) + " ORDER BY rank, id LIMIT :limit OFFSET :offset"
    return conn.execute(sql, params).fetchall()


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
    offset: int = 0,
) -> list[SearchHit]:
    """Search an open archive connection (which must have the tokenizer).

    ``offset`` skips that many hits of the ranking (pages: offset = page x limit).
    """
    if limit < 1:
        raise QueryError("--limit must be at least 1")
    if offset < 0:
        raise QueryError("--offset must be 0 or more")
    match = parse_query(query)
    since = _date_bound(since, "since")
    until = _date_bound(until, "until")
    # One read transaction: the ranking and the snippets see one state of the file.
    own_tx = not conn.in_transaction
    try:
        if own_tx:
            conn.execute("BEGIN")
        return _run(
            conn,
            match,
            limit=limit,
            offset=offset,
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
    finally:
        if own_tx and conn.in_transaction:
            conn.rollback()  # read only: nothing to keep


def search(
    db_path: str | os.PathLike,
    query: str,
    limit: int = 10,
    since: str | None = None,
    until: str | None = None,
    source: str | None = None,
    site: str | None = None,
    include_duplicates: bool = False,
    offset: int = 0,
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
            offset=offset,
        )
    finally:
        db.conn.close()


def reindex(db_path: str | os.PathLike, term_top_only: bool = False) -> dict[str, Any]:
    """Rebuild the full-text index of an archive (FTS5 tables and term-top index); returns counts.

    ``term_top_only``: rebuild only the term-top index (1- and 2-character queries of
    frequent terms), which covers the rows present when it was built.
    """
    if not os.path.exists(db_path):
        raise ArchiveError(f"{db_path}: no such archive (run `archive ingest` first)")
    from .store import fts
    from .store.writer import open_db

    db = open_db(db_path)
    try:
        if not term_top_only:
            return fts.rebuild(db)
        with db.conn:
            return fts.build_term_top(db.conn)
    finally:
        db.conn.close()


def reindex_if_missing(db_path: str | os.PathLike) -> None:
    """Create (and fill) the full-text index of an archive that has none yet."""
    from .store.writer import open_db

    open_db(db_path).conn.close()
