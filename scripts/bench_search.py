"""Benchmark Chinese full-text search: the `cjk` tokenizer against SQLite's
`trigram` and `unicode61`, on documents built from the People's Daily corpus.

For each N (documents: runs of 2-6 consecutive corpus paragraphs, the first
one the title, taken from random places so larger N recombine the corpus):

- build time of each index (FTS5 external-content table over the same
  `documents` rows, filled with 'rebuild' + 'optimize'), index size ÷ text size
  (bytes of FTS5 shadow tables ÷ UTF-8 bytes of title + body);
- for 1-, 2-, 4-character and phrase (6-10 characters) queries sampled from the
  text: recall and precision of the full match set against a brute-force
  substring scan, and p50/p95 latency of a top-10 query with snippets.  For
  `cjk` that query is the real `archive search` code path
  (archive.search.search_connection: cjk_rank, i.e. bm25, + cjk_snippet); for
  the others the same two queries on their table.

Run:  .venv/bin/python scripts/bench_search.py --n 10000,100000
      .venv/bin/python scripts/bench_search.py --n 1000000 --tokenizers cjk
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import os
import random
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from archive.search import search_connection  # noqa: E402
from archive.store import fts  # noqa: E402
from archive.store.writer import open_db  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus" / "peoples_daily_199801.txt"
HAN = re.compile(r"[\u4e00-\u9fff]+")
KINDS = {"1-char": (1, 1), "2-char": (2, 2), "4-char": (4, 4), "phrase": (6, 10)}
OTHER_TOKENIZERS = {"trigram": "trigram", "unicode61": "unicode61"}


def load_paragraphs() -> list[str]:
    with open(CORPUS, encoding="utf-8") as fh:
        return [line.strip() for line in fh if line.strip()]


def make_docs(n: int, paras: list[str], seed: int = 1):
    rng = random.Random(seed)
    for _ in range(n):
        start = rng.randrange(len(paras))
        run = [paras[(start + k) % len(paras)] for k in range(rng.randint(2, 6))]
        yield run[0][:80], "\n\n".join(run[1:])


TERM_TOP_SECONDS: list[float] = []


def _timed_build_term_top(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
    t0 = time.perf_counter()
    try:
        return _build_term_top(*args, **kwargs)
    finally:
        TERM_TOP_SECONDS.append(time.perf_counter() - t0)


_build_term_top = fts.build_term_top
fts.build_term_top = _timed_build_term_top  # fts.rebuild calls it: time that part on its own


def build_archive(path: Path, n: int, paras: list[str]) -> float:
    """Fill `documents` (the index kept in step by triggers is dropped first and
    rebuilt in one go afterwards, timed, as `archive reindex` does: FTS5 tables,
    then the term-top index)."""
    db = open_db(path)
    conn = db.conn
    for trig in (*fts._TRIGGERS, *fts._TERM_TOP_TRIGGERS):
        conn.execute(f"DROP TRIGGER IF EXISTS {trig}")
    with conn:
        conn.executemany(
            "INSERT INTO documents (path, sha256, title, body, kind) VALUES (?, ?, ?, ?, 'text')",
            (
                (f"bench/{i}", hashlib.sha256(f"{i}".encode()).hexdigest(), t, b)
                for i, (t, b) in enumerate(make_docs(n, paras))
            ),
        )
    t0 = time.perf_counter()
    fts.rebuild(conn)
    seconds = time.perf_counter() - t0
    conn.close()
    return seconds


def build_other(conn: sqlite3.Connection, name: str, tokenizer: str) -> float:
    t0 = time.perf_counter()
    conn.execute(
        f"CREATE VIRTUAL TABLE {name} USING fts5(title, body, content='documents', "
        f"content_rowid='id', tokenize='{tokenizer}')"
    )
    conn.execute(f"INSERT INTO {name}({name}) VALUES ('rebuild')")
    conn.execute(f"INSERT INTO {name}({name}) VALUES ('optimize')")
    conn.commit()
    return time.perf_counter() - t0


def has_term_top(conn: sqlite3.Connection) -> bool:
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", [fts.TERM_TOP_META]).fetchone():
        return False
    return conn.execute(f"SELECT 1 FROM {fts.TERM_TOP_META}").fetchone() is not None


def index_bytes(conn: sqlite3.Connection, fts_table: str) -> int:
    return conn.execute(
        "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE ? || '_%' ESCAPE '\\'",
        [fts_table.replace("_", "\\_")],
    ).fetchone()[0]


class BruteForce:
    """Every document's folded title and body in one string; a query's matching
    ids come from str.find over it (the same fold as the tokenizer: cjk_fold)."""

    def __init__(self, conn: sqlite3.Connection):
        self.starts: list[int] = []
        self.ids: list[int] = []
        parts = []
        pos = 0
        for doc_id, title, body in conn.execute(
            "SELECT id, cjk_fold(coalesce(title, '')), cjk_fold(coalesce(body, '')) FROM documents "
            "WHERE duplicate_of IS NULL ORDER BY id"
        ):
            # \x00 between title and body and between documents: no match spans them.
            text = f"{title}\x00{body}\x00"
            self.starts.append(pos)
            self.ids.append(doc_id)
            parts.append(text)
            pos += len(text)
        self.text = "".join(parts)
        self.fold_conn = conn

    def ids_for(self, query: str) -> set[int]:
        q = self.fold_conn.execute("SELECT cjk_fold(?)", [query]).fetchone()[0]
        found: set[int] = set()
        i = self.text.find(q)
        while i != -1:
            k = bisect.bisect_right(self.starts, i) - 1
            found.add(self.ids[k])
            i = self.text.find(q, i + 1)
        return found


def sample_queries(conn: sqlite3.Connection, per_kind: int, seed: int = 5) -> dict[str, list[str]]:
    rng = random.Random(seed)
    n_docs = conn.execute("SELECT max(id) FROM documents").fetchone()[0]
    out: dict[str, list[str]] = {k: [] for k in KINDS}
    while any(len(v) < per_kind for v in out.values()):
        row = conn.execute("SELECT body FROM documents WHERE id = ?", [rng.randint(1, n_docs)]).fetchone()
        runs = HAN.findall(row[0] or "")
        if not runs:
            continue
        run = rng.choice(runs)
        for kind, (lo, hi) in KINDS.items():
            size = rng.randint(lo, hi)
            if len(out[kind]) < per_kind and len(run) >= size:
                start = rng.randint(0, len(run) - size)
                q = run[start : start + size]
                if q not in out[kind]:
                    out[kind].append(q)
    return out


def time_cjk(conn: sqlite3.Connection, query: str) -> float:
    t0 = time.perf_counter()
    search_connection(conn, query, limit=10)
    return (time.perf_counter() - t0) * 1000


def time_other(conn: sqlite3.Connection, table: str, query: str) -> float:
    """The same two steps as archive.search (rank ids, then snippets for the top 10),
    with the same ranking and snippet functions, on another tokenizer's table."""
    t0 = time.perf_counter()
    match = '"' + query + '"'
    ranked = conn.execute(
        f"SELECT rowid, cjk_rank({table}, '{table}', 5.0, 1.0) AS r FROM {table} WHERE {table} MATCH ? "
        "ORDER BY r, rowid LIMIT 10",
        [match],
    ).fetchall()
    for doc_id, _ in ranked:
        conn.execute(
            f"SELECT cjk_snippet({table}, -1, '[', ']', '…', 32, ?) FROM {table} "
            f"WHERE {table} MATCH ? AND rowid = ?",
            [match, match, doc_id],
        ).fetchone()
    return (time.perf_counter() - t0) * 1000


def match_ids(conn: sqlite3.Connection, table: str, query: str) -> set[int]:
    return {
        r[0] for r in conn.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ?", ['"' + query + '"'])
    }


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def run_n(n: int, args: argparse.Namespace, paras: list[str]) -> None:
    if args.db:
        # A kept archive (built on the first run with --db) is reused as it is.
        path = Path(args.db.replace("{n}", str(n)))
        work = path.parent
        work.mkdir(parents=True, exist_ok=True)
    else:
        work = Path(tempfile.mkdtemp(prefix=f"bench_search_{n}_", dir=args.workdir))
        path = work / "bench.db"
    reuse = path.exists()
    print(f"\n=== N = {n:,} documents ({path}{', reused' if reuse else ''}) ===", flush=True)
    t0 = time.perf_counter()
    tables = {}
    build = {}
    if reuse:
        if "cjk" in args.tokenizers:
            build["cjk"] = float("nan")
            tables["cjk"] = fts.FTS_TABLE
    elif "cjk" in args.tokenizers:
        build["cjk"] = build_archive(path, n, paras)
        tables["cjk"] = fts.FTS_TABLE
    else:
        build_archive(path, n, paras)
    conn = sqlite3.connect(path)
    if "cjk" in tables and not has_term_top(conn):
        # a reused archive from before the term-top index (or one switched off): build it
        fts.ensure_index(conn)
        with conn:
            fts.build_term_top(conn)
    for name in args.tokenizers:
        if name != "cjk":
            tables[name] = f"bench_{name}"
            exists = conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", [tables[name]]).fetchone()
            build[name] = float("nan") if exists else build_other(conn, tables[name], OTHER_TOKENIZERS[name])
    text_bytes = conn.execute(
        "SELECT sum(length(CAST(coalesce(title,'') AS BLOB)) + length(CAST(coalesce(body,'') AS BLOB))) "
        "FROM documents"
    ).fetchone()[0]
    print(f"text: {text_bytes / 1e6:.1f} MB UTF-8; set-up {time.perf_counter() - t0:.0f}s", flush=True)
    for name, table in tables.items():
        size = index_bytes(conn, table)
        took = "   kept " if build[name] != build[name] else f"{build[name]:7.1f}s"  # nan: reused
        print(f"  {name:10} build {took}   index {size / 1e6:8.1f} MB = {size / text_bytes:.2f}x text")
    if "cjk" in tables:
        top = conn.execute(
            "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE 'documents\\_term\\_top%' ESCAPE '\\'"
        ).fetchone()[0]
        terms, rows = conn.execute(
            f"SELECT (SELECT count(*) FROM {fts.TERM_TOP_TERMS}), (SELECT count(*) FROM {fts.TERM_TOP})"
        ).fetchone()
        seconds = f"{TERM_TOP_SECONDS[-1]:.1f}s" if TERM_TOP_SECONDS else "n/a"
        print(
            f"  cjk term-top (part of the cjk build): {seconds}, {terms} terms, {rows:,} rows, "
            f"{top / 1e6:.1f} MB = {top / text_bytes:.3f}x text"
        )
    queries = sample_queries(conn, args.queries)
    brute = BruteForce(conn) if not args.no_recall else None
    # warm the page cache the same way for every tokenizer
    for table in tables.values():
        conn.execute(f"SELECT count(*) FROM {table} WHERE {table} MATCH ?", ['"中国"']).fetchone()
    print(
        f"\n  {'kind':7} {'tokenizer':10} {'recall':>8} {'precision':>9} {'p50 ms':>8} {'p95 ms':>8}  (top-10 + snippets)"
    )
    for kind, qs in queries.items():
        truth = {q: brute.ids_for(q) for q in qs} if brute else {}
        for name, table in tables.items():
            times = []
            hit = missed = extra = 0
            for q in qs:
                times.append(time_cjk(conn, q) if name == "cjk" else time_other(conn, table, q))
                if brute:
                    got = match_ids(conn, table, q)
                    hit += len(got & truth[q])
                    missed += len(truth[q] - got)
                    extra += len(got - truth[q])
            recall = f"{hit / (hit + missed):.4f}" if brute and hit + missed else "-"
            precision = (
                f"{hit / (hit + extra):.4f}" if brute and hit + extra else ("-" if not brute else "n/a")
            )
            print(
                f"  {kind:7} {name:10} {recall:>8} {precision:>9} "
                f"{statistics.median(times):8.2f} {pct(times, 95):8.2f}",
                flush=True,
            )
    conn.close()
    if not args.keep and not args.db:
        shutil.rmtree(work)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", default="10000,100000", help="comma-separated document counts")
    ap.add_argument("--tokenizers", default="cjk,trigram,unicode61")
    ap.add_argument("--queries", type=int, default=40, help="queries per kind")
    ap.add_argument("--workdir", default=None, help="where the temporary archives go")
    ap.add_argument("--keep", action="store_true", help="keep the archives")
    ap.add_argument(
        "--db",
        default=None,
        help="archive path ({n} = the document count): built there if missing and kept, reused if present",
    )
    ap.add_argument("--no-recall", action="store_true", help="skip the brute-force scan")
    args = ap.parse_args()
    args.tokenizers = [t.strip() for t in args.tokenizers.split(",") if t.strip()]
    unknown = set(args.tokenizers) - {"cjk", *OTHER_TOKENIZERS}
    if unknown:
        ap.error(f"unknown tokenizer(s): {', '.join(sorted(unknown))}")
    fts.ensure_tokenizer()
    paras = load_paragraphs()
    print(
        f"corpus: {len(paras):,} paragraphs from {CORPUS.name}; SQLite {sqlite3.sqlite_version}; pid {os.getpid()}"
    )
    for n in [int(x.replace("_", "")) for x in args.n.split(",")]:
        run_n(n, args, paras)
    return 0


if __name__ == "__main__":
    sys.exit(main())
