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

The term-top index (``documents_term_top*`` tables, built by ``rebuild`` and
``build_term_top``) answers 1- and 2-character queries of frequent terms
without scoring every match; see ``build_term_top`` and docs/search.md.
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import chain, repeat
from typing import Any

import numpy as np
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


# What an UPDATE must change for the indexes to change: the text, or the record's
# place (canonical <-> duplicate). A duplicate repointed from one canonical to
# another (dedup elects a new canonical) keeps its entry as it is.
_INDEXED_TEXT_OR_PLACE_CHANGED = (
    "(old.title IS NOT new.title OR old.body IS NOT new.body "
    "OR (old.duplicate_of IS NULL) <> (new.duplicate_of IS NULL))"
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
        "CREATE TRIGGER documents_fts_au AFTER UPDATE OF title, body, duplicate_of ON documents "
        f"WHEN {_INDEXED_TEXT_OR_PLACE_CHANGED} BEGIN "
        + _delete_sql("old", True)
        + _delete_sql("old", False)
        + _insert_sql("new", True)
        + _insert_sql("new", False)
        + " END"
    ),
}

# ---- term-top index: exact top-k for queries of one frequent token (a CJK
# character or bigram, i.e. a 1- or 2-character query)
#
# For a one-term query cjk_rank (bm25) is idf * g(freq, doclen) with freq the
# row's weighted count of the term (title x5, body x1) and g increasing in freq
# and decreasing in doclen for ANY avgdl; idf is the same for every row.  So a
# row is ranked below every row with freq >= and doclen <= (ties: lower id
# first), whatever the corpus statistics become.  TOP_TERMS lists the
# terms held by at least TERM_TOP_MIN_DF canonical rows; TOP holds, per
# term, every row ranked below fewer than TERM_TOP_DEPTH others in that
# order (a "skyband"): any top-k with k <= depth lies inside it.  Rows changed
# since the build (CHANGED, filled by triggers) and rows added after it
# (id > max_id) are scored from the FTS index at query time; each changed row
# that TOP held lowers the depth still guaranteed by one (a row outside TOP
# is beaten by >= depth rows inside it, so losing j of those leaves depth - j).
TERM_TOP = "documents_term_top"
TERM_TOP_TERMS = "documents_term_top_terms"
TERM_TOP_META = "documents_term_top_meta"
TERM_TOP_CHANGED = "documents_term_top_changed"
TERM_TOP_TABLES = (TERM_TOP, TERM_TOP_TERMS, TERM_TOP_META, TERM_TOP_CHANGED)
TERM_TOP_DEPTH = 100
TERM_TOP_MIN_DF = 10000

_TERM_TOP_CREATE = {
    TERM_TOP: (
        f"CREATE TABLE {TERM_TOP} (term TEXT NOT NULL, freq REAL NOT NULL, doclen INTEGER NOT NULL, "
        "id INTEGER NOT NULL, PRIMARY KEY (term, freq, doclen, id)) WITHOUT ROWID"
    ),
    TERM_TOP_TERMS: f"CREATE TABLE {TERM_TOP_TERMS} (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID",
    TERM_TOP_META: (
        f"CREATE TABLE {TERM_TOP_META} (max_id INTEGER NOT NULL, depth INTEGER NOT NULL, "
        "min_df INTEGER NOT NULL, title_weight REAL NOT NULL, body_weight REAL NOT NULL)"
    ),
    # old_runs: the row's CJK runs (cjk_runs) as they were indexed at build time
    # (NULL: it was not in documents_fts then), for the document frequency.
    TERM_TOP_CHANGED: f"CREATE TABLE {TERM_TOP_CHANGED} (id INTEGER PRIMARY KEY, old_runs TEXT)",
}

_OLD_UNIGRAMS = "CASE WHEN old.duplicate_of IS NULL THEN cjk_runs(old.title) || ' ' || cjk_runs(old.body) END"
_TERM_TOP_TRIGGERS = {
    "documents_term_top_ai": (
        "CREATE TRIGGER documents_term_top_ai AFTER INSERT ON documents "
        f"WHEN new.id <= (SELECT max_id FROM {TERM_TOP_META}) BEGIN "
        f"INSERT OR IGNORE INTO {TERM_TOP_CHANGED}(id, old_runs) VALUES (new.id, NULL); END"
    ),
    "documents_term_top_ad": (
        "CREATE TRIGGER documents_term_top_ad AFTER DELETE ON documents "
        f"WHEN old.id <= (SELECT max_id FROM {TERM_TOP_META}) BEGIN "
        f"INSERT OR IGNORE INTO {TERM_TOP_CHANGED}(id, old_runs) VALUES (old.id, {_OLD_UNIGRAMS}); END"
    ),
    "documents_term_top_au": (
        "CREATE TRIGGER documents_term_top_au AFTER UPDATE OF title, body, duplicate_of ON documents "
        f"WHEN old.id <= (SELECT max_id FROM {TERM_TOP_META}) AND {_INDEXED_TEXT_OR_PLACE_CHANGED} BEGIN "
        f"INSERT OR IGNORE INTO {TERM_TOP_CHANGED}(id, old_runs) VALUES (old.id, {_OLD_UNIGRAMS}); END"
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
    for name, sql in _TERM_TOP_CREATE.items():
        if not _exists(conn, "table", name):
            conn.execute(sql)
    for name, sql in {**_TRIGGERS, **_TERM_TOP_TRIGGERS}.items():
        stored = conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", [name]
        ).fetchone()
        if stored is None or stored[0] != sql:  # missing, or an older definition
            conn.execute(f"DROP TRIGGER IF EXISTS {name}")
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
        if table == FTS_TABLE and (table == want) != present:
            _term_top_invalidate(conn)
        if table == want and not present:
            conn.execute(f"INSERT INTO {table}(rowid, title, body) VALUES (?, ?, ?)", [doc_id, title, body])
        elif table != want and present:
            # External content: the indexed text is the row's current text (any
            # change of title/body went through the update trigger).
            conn.execute(
                f"INSERT INTO {table}({table}, rowid, title, body) VALUES ('delete', ?, ?, ?)",
                [doc_id, title, body],
            )


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """The caller's transaction if one is open, else one of our own (BEGIN IMMEDIATE:
    writers wait), committed at the end or rolled back on any error."""
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        if own:
            conn.commit()
    except BaseException:
        if own and conn.in_transaction:
            conn.rollback()
        raise


def rebuild(db: sqlite_utils.Database | sqlite3.Connection) -> dict[str, Any]:
    """Re-create both indexes from ``documents``; returns row counts.

    Runs in the caller's transaction if one is open, otherwise in its own.
    """
    conn = _conn(db)
    check_connection(conn)
    with _transaction(conn):
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
        build_term_top(conn)
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


# An ingest (re)builds the term-top index at its end when the archive holds enough
# rows for a term to qualify and the index is missing, switched off, or this share
# of the indexed rows came or changed after its build (such rows are scored in full).
TERM_TOP_STALE_SHARE = 0.2


def term_top_due(conn: sqlite3.Connection) -> bool:
    """Whether the term-top index should be (re)built after an ingest (see TERM_TOP_STALE_SHARE)."""
    indexed = conn.execute(f"SELECT count(*) FROM {FTS_TABLE}_docsize").fetchone()[0]
    if indexed < TERM_TOP_MIN_DF:
        return False
    if not _exists(conn, "table", TERM_TOP_META):
        return True
    meta = conn.execute(f"SELECT max_id FROM {TERM_TOP_META}").fetchone()
    if meta is None:  # switched off
        return True
    newer = conn.execute(f"SELECT count(*) FROM {FTS_TABLE}_docsize WHERE id > ?", [meta[0]]).fetchone()[0]
    changed = conn.execute(f"SELECT count(*) FROM {TERM_TOP_CHANGED}").fetchone()[0]
    return newer + changed > TERM_TOP_STALE_SHARE * indexed


def _term_top_invalidate(conn: sqlite3.Connection) -> None:
    """Switch the term-top index off until the next build: documents_fts was changed
    behind the triggers' back, so the index's view of the build state is unknown."""
    conn.execute(f"DELETE FROM {TERM_TOP_META}")


# Bigrams are found in a table of every pair of frequent characters while it
# holds at most this many (4 bytes each: 16 MB), else by binary search.
TERM_TOP_PAIR_TABLE = 1 << 22


class _TermLookup:
    """Finds the frequent terms in cjk_runs() output.  ``terms`` lists the
    characters first, so a character's term index is also its rank among them."""

    def __init__(self, terms: list[str]) -> None:
        n = self.n_chars = sum(len(term) == 1 for term in terms)
        self.by_point = np.full(0x110000, -1, dtype=np.int32)  # code points have 21 bits
        self.by_point[[ord(c) for c in terms[:n]]] = np.arange(n, dtype=np.int32)
        # A frequent bigram's characters are frequent (each is in every row the
        # bigram is in), hence have a rank.
        ranks = [(int(self.by_point[ord(t[0])]), int(self.by_point[ord(t[1])])) for t in terms[n:]]
        if any(min(pair) < 0 for pair in ranks):
            raise ArchiveError("term-top index: a frequent bigram of a character that is not frequent")
        pair = [first * n + second for first, second in ranks]
        self.n_bigrams = len(pair)
        self.pair_table: np.ndarray | None = None
        if n * n <= TERM_TOP_PAIR_TABLE:
            self.pair_table = np.full(n * n, -1, dtype=np.int32)
            self.pair_table[pair] = np.arange(n, len(terms), dtype=np.int32)
        else:
            order = np.argsort(pair)
            self.pair_codes = np.array(pair, dtype=np.int64)[order]
            self.pair_terms = (order + n).astype(np.int32)

    def occurrences(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(text's position in ``texts``, term index) of every occurrence of a frequent
        term: the tokenizer's unigrams and bigrams, a bigram never spanning two
        runs (nor two texts: they are joined with a space, as runs are)."""
        points = np.frombuffer(" ".join(texts).encode("utf-32-le"), dtype=np.uint32)
        chars = self.by_point[points]  # a space is never a term
        is_char = chars >= 0
        at = [np.flatnonzero(is_char)]
        terms = [chars[at[0]]]
        if self.n_bigrams:
            # Both characters of a frequent bigram are frequent: only such pairs are looked up.
            pairs = np.flatnonzero(is_char[:-1] & is_char[1:])
            code = chars[pairs].astype(np.int64) * self.n_chars + chars[pairs + 1]
            if self.pair_table is not None:
                term = self.pair_table[code]
                hit = term >= 0
            else:
                found = np.minimum(np.searchsorted(self.pair_codes, code), self.n_bigrams - 1)
                term = self.pair_terms[found]
                hit = self.pair_codes[found] == code
            at.append(pairs[hit])
            terms.append(term[hit])
        lengths = np.fromiter((len(text) + 1 for text in texts), dtype=np.int64, count=len(texts))
        text_at = np.repeat(np.arange(len(texts)), lengths)
        return text_at[np.concatenate(at)], np.concatenate(terms).astype(np.int64)


def _doclen(size_blob: bytes | None) -> int:
    """Tokens in a row, all columns: the sum of the varints of its %_docsize record."""
    total = value = 0
    for byte in size_blob or b"":
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            total += value
            value = 0
    return total


def _indexed_rows(conn: sqlite3.Connection) -> Any:
    """(id, title's CJK runs, body's CJK runs, docsize record) of every row of documents_fts, by id."""
    return conn.execute(
        f"SELECT s.id, cjk_runs(d.title), cjk_runs(d.body), s.sz FROM {FTS_TABLE}_docsize AS s "
        "JOIN documents AS d ON d.id = s.id ORDER BY s.id"
    )


# Rows the term-top scan takes at a time: their term counts are one dense
# rows x frequent-terms array of about this many cells.
TERM_TOP_SCAN_CELLS = 1 << 21
# Weighted frequencies below this have their group's cutoff in a dense
# terms x frequencies table; rarer, higher ones always wait for the next merge.
TERM_TOP_CUTOFF_FREQS = 256
_NO_CUTOFF = 2**31 - 1  # doclens are int32 in FTS5


def _group_starts(key: np.ndarray) -> np.ndarray:
    """Where each run of equal values of a sorted array starts."""
    return np.flatnonzero(np.diff(key, prepend=key[:1] - 1)) if len(key) else key


def _top_per_group(parts: list[tuple[np.ndarray, np.ndarray]], depth: int) -> tuple[np.ndarray, ...]:
    """Of the (key, packed) pairs in ``parts`` (emptied: memory is the limit), the
    ``depth`` smallest ``packed`` of each ``key``, sorted by (key, packed); and of
    each group: its key, and the doclen a new row must be under to enter it (a
    larger id loses a tie of lengths), _NO_CUTOFF while it has room."""
    key = np.concatenate([k for k, _ in parts])
    packed = np.concatenate([p for _, p in parts])
    parts.clear()
    order = np.lexsort((packed, key))
    key = key[order]
    packed = packed[order]
    del order
    first = _group_starts(key)
    sizes = np.diff(np.append(first, len(key)))
    # Rows from rank ``depth`` to the end of their group go: +1 where such a run
    # starts, -1 where it ends (the next group's start), summed up.
    over = np.flatnonzero(sizes > depth)
    cut = np.zeros(len(key) + 1, dtype=np.int8)
    cut[first[over] + depth] = 1
    cut[first[over] + sizes[over]] = -1
    keep = np.cumsum(cut[:-1], dtype=np.int8) == 0
    key = key[keep]
    packed = packed[keep]
    sizes = np.minimum(sizes, depth)
    first = np.cumsum(sizes) - sizes
    cutoff = np.where(sizes == depth, packed[first + sizes - 1] >> 32, _NO_CUTOFF)
    return key, packed, key[first], cutoff


def _term_top_groups(
    conn: sqlite3.Connection, terms: list[str], depth: int, w_title: float, w_body: float
) -> tuple[np.ndarray, np.ndarray]:
    """The one pass over the indexed rows: per (term, weighted frequency) the ``depth``
    smallest (doclen, id).  Returned as two arrays sorted by (key, packed), with
    key = term index << 32 | (freq + 2**31) and packed = doclen << 32 | id.

    Rows are taken in batches and counted with numpy.  A batch's (row, term) pairs
    whose row is already too long for their full group are dropped at once (ids
    ascend, so an equal length loses too); the rest wait in a buffer that is merged
    into the groups when it outgrows them, which tightens the cutoffs again.
    """
    lookup = _TermLookup(terms)
    n_terms = len(terms)
    batch = max(1, TERM_TOP_SCAN_CELLS // n_terms)
    # The cutoffs by term and frequency + 1, clipped: column 0 (a negative
    # frequency) and the last (too high for the table) are never set.
    n_cols = max(2, min(TERM_TOP_CUTOFF_FREQS, TERM_TOP_SCAN_CELLS // n_terms)) + 1
    cutoffs = np.full(n_terms * n_cols, _NO_CUTOFF, dtype=np.int32)
    empty = np.zeros(0, dtype=np.int64)
    parts = [(empty, empty)]  # the groups, then the buffer
    held = buffered = 0

    def merge() -> int:
        key, packed, group_key, group_cutoff = _top_per_group(parts, depth)
        parts.append((key, packed))
        group_term, group_col = group_key >> 32, (group_key & 0xFFFFFFFF) - 2**31 + 1
        in_table = (group_col > 0) & (group_col < n_cols - 1)
        cutoffs[group_term[in_table] * n_cols + group_col[in_table]] = group_cutoff[in_table]
        return len(key)

    rows = _indexed_rows(conn)
    positive = w_title > 0 and w_body > 0
    while chunk := rows.fetchmany(batch):
        ids, titles, bodies, sizes = zip(*chunk, strict=True)
        body_row, body_term = lookup.occurrences([t or "" for t in bodies])
        title_row, title_term = lookup.occurrences([t or "" for t in titles])
        cells = np.concatenate((body_row * n_terms + body_term, title_row * n_terms + title_term))
        weights = np.concatenate((np.full(len(body_row), w_body), np.full(len(title_row), w_title)))
        # Integral weights: the sums are exact, as cjk_rank's (one weight per match).
        freq = np.bincount(cells, weights=weights, minlength=len(chunk) * n_terms)
        # A term counts when it occurs, whatever its weight (with positive weights,
        # exactly when its weighted frequency is not 0).
        cell = np.flatnonzero((freq if positive else np.bincount(cells, minlength=len(chunk) * n_terms)) != 0)
        freq = freq[cell].astype(np.int64)
        if len(freq) and (freq.min() < -(2**31) or freq.max() >= 2**31):  # the key's 32 bits
            raise ArchiveError("term-top index: a weighted term frequency beyond 2**31")
        row, term = np.divmod(cell, n_terms)
        doclen = np.array([_doclen(size) for size in sizes], dtype=np.int64)[row]
        enters = doclen < cutoffs[term * n_cols + np.clip(freq + 1, 0, n_cols - 1)]
        row, term, freq, doclen = row[enters], term[enters], freq[enters], doclen[enters]
        parts.append(((term << 32) | (freq + 2**31), (doclen << 32) | np.array(ids, dtype=np.int64)[row]))
        buffered += len(row)
        if buffered >= max(held, TERM_TOP_SCAN_CELLS):
            held, buffered = merge(), 0
    merge()
    return parts[0]


TERM_TOP_INSERT_BATCH = 200_000


def _insert_term_top_rows(conn: sqlite3.Connection, rows: list[tuple[str, float, int, int]]) -> int:
    """Write and forget a batch of term-top rows; returns how many."""
    conn.executemany(f"INSERT INTO {TERM_TOP}(term, freq, doclen, id) VALUES (?, ?, ?, ?)", rows)
    count = len(rows)
    rows.clear()
    return count


def _skyband(
    terms: list[str], key: np.ndarray, packed: np.ndarray, depth: int
) -> Iterator[list[tuple[str, float, int, int]]]:
    """The rows of TERM_TOP from the groups of _term_top_groups, one term at a time,
    in primary key order: each row ranked below fewer than ``depth`` others."""
    first = _group_starts(key)
    group_term = key[first] >> 32
    group_freq = ((key[first] & 0xFFFFFFFF) - 2**31).astype(np.float64).tolist()
    bounds = np.append(first, len(key)).tolist()  # group g: bounds[g] to bounds[g + 1]
    term_first = _group_starts(group_term).tolist()
    term_bounds = zip(term_first, [*term_first[1:], len(first)], strict=True)
    term_groups = dict(zip(group_term[term_first].tolist(), term_bounds, strict=True))
    for t in sorted(term_groups, key=terms.__getitem__):
        term, (lo, hi) = terms[t], term_groups[t]
        # Python lists, one term at a time: the pruning walks rows one by one
        doclens = (packed[bounds[lo] : bounds[hi]] >> 32).tolist()
        ids = (packed[bounds[lo] : bounds[hi]] & 0xFFFFFFFF).tolist()
        above: list[int] = []  # doclens kept for higher frequencies, sorted
        by_freq = []
        for g in range(hi - 1, lo - 1, -1):  # highest frequency first
            start, n = bounds[g] - bounds[lo], 0
            for doclen in doclens[start : bounds[g + 1] - bounds[lo]]:
                # ranked below: the shorter (or equal, lower-id) rows of this
                # frequency and every kept row of a higher one at most as long
                if n + bisect_right(above, doclen) >= depth:
                    break
                n += 1
            kept = doclens[start : start + n]
            by_freq.append(
                zip(repeat(term, n), repeat(group_freq[g], n), kept, ids[start : start + n], strict=True)
            )
            above = sorted(above + kept)
        yield list(chain.from_iterable(reversed(by_freq)))


def build_term_top(
    db: sqlite_utils.Database | sqlite3.Connection,
    *,
    depth: int = TERM_TOP_DEPTH,
    min_df: int = TERM_TOP_MIN_DF,
    title_weight: float | None = None,
    body_weight: float | None = None,
) -> dict[str, int]:
    """(Re)build the term-top index from documents_fts as it is now; returns sizes.

    Runs in the caller's transaction if one is open, otherwise in its own
    (BEGIN IMMEDIATE: writers wait, so both passes read one state and no change
    slips between the build and the triggers that record changes).
    """
    conn = _conn(db)
    with _transaction(conn):
        return _build_term_top(
            conn, depth=depth, min_df=min_df, title_weight=title_weight, body_weight=body_weight
        )


def _build_term_top(
    conn: sqlite3.Connection,
    *,
    depth: int = TERM_TOP_DEPTH,
    min_df: int = TERM_TOP_MIN_DF,
    title_weight: float | None = None,
    body_weight: float | None = None,
) -> dict[str, int]:
    """Document frequencies from the FTS5 index (fts5vocab), then one pass over
    the indexed rows: for the CJK characters and bigrams held by >= ``min_df`` rows, per
    weighted frequency the ``depth`` shortest rows (lowest id first on equal
    length), pruned to the rows ranked below fewer than ``depth`` others (see
    the comment at TERM_TOP).
    """
    from ..search import BODY_WEIGHT, TITLE_WEIGHT

    w_title = TITLE_WEIGHT if title_weight is None else title_weight
    w_body = BODY_WEIGHT if body_weight is None else body_weight
    for name, sql in _TERM_TOP_CREATE.items():  # derived data: the current definitions, empty
        conn.execute(f"DROP TABLE IF EXISTS {name}")
        conn.execute(sql)
    for name, sql in _TERM_TOP_TRIGGERS.items():
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")
        conn.execute(sql)
    # Document frequencies from FTS5's own vocabulary (one read of the index, in C):
    # the one-token CJK terms, i.e. a character or a bigram (one run, 1-2 characters).
    conn.execute(f"CREATE VIRTUAL TABLE temp.{TERM_TOP}_vocab USING fts5vocab(main, {FTS_TABLE}, row)")
    try:
        df = dict(
            conn.execute(
                f"SELECT term, doc FROM temp.{TERM_TOP}_vocab WHERE doc >= ? "
                "AND length(term) <= 2 AND cjk_runs(term) = term || ' '",
                [min_df],
            ).fetchall()
        )
    finally:
        conn.execute(f"DROP TABLE temp.{TERM_TOP}_vocab")
    max_id = conn.execute(f"SELECT coalesce(max(id), 0) FROM {FTS_TABLE}_docsize").fetchone()[0]
    frequent = sorted(df, key=lambda term: (len(term), term))  # characters first (see _TermLookup)
    if not (frequent and w_title.is_integer() and w_body.is_integer() and max_id < 2**32):
        frequent = []  # nothing to hold: every query takes the full ranking
    stored = 0
    if frequent:
        key, packed = _term_top_groups(conn, frequent, depth, w_title, w_body)
        rows: list[tuple[str, float, int, int]] = []
        # Rows are written in batches (holding them all was once the peak of a
        # 1M-page ingest's memory), in primary key order (sequential inserts).
        for term_rows in _skyband(frequent, key, packed, depth):
            rows += term_rows
            if len(rows) >= TERM_TOP_INSERT_BATCH:
                stored += _insert_term_top_rows(conn, rows)
        stored += _insert_term_top_rows(conn, rows)
    conn.executemany(
        f"INSERT INTO {TERM_TOP_TERMS}(term, df) VALUES (?, ?)", [(c, df[c]) for c in sorted(frequent)]
    )
    conn.execute(
        f"INSERT INTO {TERM_TOP_META}(max_id, depth, min_df, title_weight, body_weight) VALUES (?, ?, ?, ?, ?)",
        [max_id, depth, min_df, w_title, w_body],
    )
    return {"terms": len(frequent), "rows": stored, "max_id": max_id}
