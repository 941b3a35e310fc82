"""Benchmark the term-top build (archive.store.fts._build_term_top) against the
pure-Python implementation it replaced, on one archive, and check that both
write identical documents_term_top, documents_term_top_terms and
documents_term_top_meta tables.

The archive is built as scripts/bench_search.py builds its archives (documents
of People's Daily paragraphs, FTS index rebuilt in one go), without its own
term-top pass; --db keeps it (and reuses it on the next run).  The two builds
run interleaved, --rounds times each, in one process, so background load
affects both alike.

Run:  .venv/bin/python scripts/bench_term_top.py --n 20000 --min-df 1000
      .venv/bin/python scripts/bench_term_top.py --n 100000 --min-df 1000 --db /tmp/tt100k.db
"""

from __future__ import annotations

import argparse
import heapq
import operator
import sqlite3
import sys
import tempfile
import time
from bisect import bisect_right
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

import bench_search  # noqa: E402

from archive.store import fts  # noqa: E402

# ---- the baseline: _build_term_top as of b525d47 (pure Python: a Counter per
# row and a heap update per row and term), kept here only to compare with.


def _old_term_counts(runs: str) -> Counter[str]:
    counts = Counter(runs)
    del counts[" "]
    for run in runs.split():
        counts.update(map(operator.add, run, run[1:]))
    return counts


def _old_doclen(size_blob: bytes | None) -> int:
    total = value = 0
    for byte in size_blob or b"":
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            total += value
            value = 0
    return total


def _old_indexed_rows(conn: sqlite3.Connection) -> sqlite3.Cursor:
    return conn.execute(
        f"SELECT s.id, cjk_runs(d.title), cjk_runs(d.body), s.sz FROM {fts.FTS_TABLE}_docsize AS s "
        "JOIN documents AS d ON d.id = s.id ORDER BY s.id"
    )


def old_build_term_top(
    conn: sqlite3.Connection,
    *,
    depth: int = fts.TERM_TOP_DEPTH,
    min_df: int = fts.TERM_TOP_MIN_DF,
    title_weight: float | None = None,
    body_weight: float | None = None,
) -> dict[str, int]:
    from archive.search import BODY_WEIGHT, TITLE_WEIGHT

    w_title = TITLE_WEIGHT if title_weight is None else title_weight
    w_body = BODY_WEIGHT if body_weight is None else body_weight
    for name, sql in fts._TERM_TOP_CREATE.items():
        conn.execute(f"DROP TABLE IF EXISTS {name}")
        conn.execute(sql)
    for name, sql in fts._TERM_TOP_TRIGGERS.items():
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")
        conn.execute(sql)
    conn.execute(
        f"CREATE VIRTUAL TABLE temp.{fts.TERM_TOP}_vocab USING fts5vocab(main, {fts.FTS_TABLE}, row)"
    )
    try:
        df = dict(
            conn.execute(
                f"SELECT term, doc FROM temp.{fts.TERM_TOP}_vocab WHERE doc >= ? "
                "AND length(term) <= 2 AND cjk_runs(term) = term || ' '",
                [min_df],
            ).fetchall()
        )
    finally:
        conn.execute(f"DROP TABLE temp.{fts.TERM_TOP}_vocab")
    max_id = conn.execute(f"SELECT coalesce(max(id), 0) FROM {fts.FTS_TABLE}_docsize").fetchone()[0]
    frequent = set(df)
    groups: dict[tuple[str, float], list[int]] = {}
    cutoff: dict[tuple[str, float], int] = {}
    if frequent and w_title.is_integer() and w_body.is_integer() and max_id < 2**32:
        for doc_id, title_runs, body_runs, size_blob in _old_indexed_rows(conn):
            doclen = _old_doclen(size_blob)
            freqs = {c: n * w_body for c, n in _old_term_counts(body_runs).items() if c in frequent}
            if title_runs:
                for c, n in _old_term_counts(title_runs).items():
                    if c in frequent:
                        freqs[c] = freqs.get(c, 0.0) + n * w_title
            for key in freqs.items():
                limit = cutoff.get(key)
                if limit is not None and doclen >= limit:
                    continue
                heap = groups.setdefault(key, [])
                if len(heap) < depth:
                    heapq.heappush(heap, -((doclen << 32) | doc_id))
                    if len(heap) == depth:
                        cutoff[key] = -heap[0] >> 32
                else:
                    heapq.heapreplace(heap, -((doclen << 32) | doc_id))
                    cutoff[key] = -heap[0] >> 32
    else:
        frequent = set()
    by_term: dict[str, list[float]] = {}
    for c, freq in groups:
        by_term.setdefault(c, []).append(freq)
    stored = 0
    rows: list[tuple[str, float, int, int]] = []
    for c, freqs in by_term.items():
        above: list[int] = []
        for freq in sorted(freqs, reverse=True):
            members = [
                (-packed >> 32, -packed & 0xFFFFFFFF)
                for packed in sorted(groups.pop((c, freq)), reverse=True)
            ]
            kept = []
            for i, (doclen, doc_id) in enumerate(members):
                if i + bisect_right(above, doclen) >= depth:
                    break
                kept.append(doclen)
                rows.append((c, freq, doclen, doc_id))
            above = sorted(above + kept)
        if len(rows) >= fts.TERM_TOP_INSERT_BATCH:
            stored += fts._insert_term_top_rows(conn, rows)
    stored += fts._insert_term_top_rows(conn, rows)
    conn.executemany(
        f"INSERT INTO {fts.TERM_TOP_TERMS}(term, df) VALUES (?, ?)", [(c, df[c]) for c in sorted(frequent)]
    )
    conn.execute(
        f"INSERT INTO {fts.TERM_TOP_META}(max_id, depth, min_df, title_weight, body_weight) VALUES (?, ?, ?, ?, ?)",
        [max_id, depth, min_df, w_title, w_body],
    )
    return {"terms": len(frequent), "rows": stored, "max_id": max_id}


# ---- the benchmark


def build_archive(path: Path, n: int) -> float:
    """bench_search's archive of n documents, with the term-top pass of its FTS
    rebuild skipped (both builds are timed below)."""
    saved = fts.build_term_top
    fts.build_term_top = lambda *args, **kwargs: {}
    try:
        return bench_search.build_archive(path, n, bench_search.load_paragraphs())
    finally:
        fts.build_term_top = saved


def snapshot(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    """Every row of the three tables, in a fixed order."""
    columns = {fts.TERM_TOP: 4, fts.TERM_TOP_TERMS: 2, fts.TERM_TOP_META: 5}
    return {
        name: conn.execute(f"SELECT * FROM {name} ORDER BY {', '.join(map(str, range(1, n + 1)))}").fetchall()
        for name, n in columns.items()
    }


def timed(conn: sqlite3.Connection, build, **kwargs) -> tuple[float, dict, dict]:  # noqa: ANN001
    """One build in its own transaction, rolled back once its tables are read."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        t0 = time.perf_counter()
        info = build(conn, **kwargs)
        seconds = time.perf_counter() - t0
        return seconds, info, snapshot(conn)
    finally:
        conn.rollback()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20000, help="documents (when the archive is built)")
    ap.add_argument("--db", default=None, help="archive to use; built here (and kept) if missing")
    ap.add_argument("--min-df", type=int, default=1000, help="rows a term must be in to be indexed")
    ap.add_argument("--depth", type=int, default=fts.TERM_TOP_DEPTH)
    ap.add_argument("--rounds", type=int, default=1, help="interleaved old/new runs each")
    ap.add_argument("--new-only", action="store_true", help="time the shipped build only")
    args = ap.parse_args()

    tmp = None
    if args.db:
        path = Path(args.db)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="bench_term_top_")
        path = Path(tmp.name) / "bench.db"
    if not path.exists():
        t0 = time.perf_counter()
        build_archive(path, args.n)
        print(f"built {path} ({args.n:,} documents) in {time.perf_counter() - t0:.0f}s", flush=True)
    conn = sqlite3.connect(path, isolation_level=None)
    fts.check_connection(conn)
    docs = conn.execute(f"SELECT count(*) FROM {fts.FTS_TABLE}_docsize").fetchone()[0]
    print(f"archive: {path}, {docs:,} indexed rows; min_df {args.min_df}, depth {args.depth}", flush=True)

    kwargs = {"depth": args.depth, "min_df": args.min_df}
    builds = {"new": fts._build_term_top}
    if not args.new_only:
        builds = {"old": old_build_term_top, **builds}
    seconds: dict[str, list[float]] = {name: [] for name in builds}
    tables: dict[str, dict] = {}
    for r in range(args.rounds):
        for name, build in builds.items():
            took, info, tables[name] = timed(conn, build, **kwargs)
            seconds[name].append(took)
            print(f"  round {r + 1} {name}: {took:7.2f}s  {info}", flush=True)
    conn.close()
    best = {name: min(v) for name, v in seconds.items()}
    if args.new_only:
        print(f"N={docs:,}: new {best['new']:.2f}s")
        return 0
    identical = tables["old"] == tables["new"]
    print(
        f"N={docs:,}: old {best['old']:.2f}s, new {best['new']:.2f}s, "
        f"ratio {best['old'] / best['new']:.1f}x, identical: {'yes' if identical else 'NO'} "
        f"({len(tables['new'][fts.TERM_TOP]):,} rows, {len(tables['new'][fts.TERM_TOP_TERMS])} terms)"
    )
    if not identical:
        for name in tables["old"]:
            old, new = set(tables["old"][name]), set(tables["new"][name])
            print(f"  {name}: {len(old - new)} only old, {len(new - old)} only new")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
