"""Compare two archives row by row and file by file; exit 1 on any difference.

Used to prove that a change to the ingest path (speed work) stores exactly what
it stored before: ingest the same inputs from the same working directory with
the old and the new code, then

    python scripts/compare_archives.py OLD.db OLD_cleaned/ NEW.db NEW_cleaned/

Compared: every column of every row of ``documents`` (except ``ingested_at``,
a wall-clock time), ``rejects`` (except ``at``), ``minhashes``, ``dedup_params``,
``site_lines``, ``site_bodies``; the two full-text indexes by their logical
content (which rowids each holds, and every indexed term instance through
``fts5vocab``: the b-tree layout may differ with the order of writes, what a
query finds may not); the bytes of every ``cleaned/`` file.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from archive.store import fts  # noqa: E402  (registers the cjk tokenizer)

IGNORED = {"documents": {"ingested_at"}, "rejects": {"at"}}
TABLES = ["documents", "rejects", "minhashes", "dedup_params", "site_lines", "site_bodies"]


def _table_rows(conn: sqlite3.Connection, table: str) -> list[tuple] | None:
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", [table]).fetchone() is None:
        return None
    cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] not in IGNORED.get(table, ())]
    return conn.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY {', '.join(cols)}").fetchall()


def _fts_content(conn: sqlite3.Connection, table: str) -> tuple[list[tuple], list[tuple]]:
    ids = conn.execute(f"SELECT id FROM {table}_docsize ORDER BY id").fetchall()
    vocab = f"temp.cmp_vocab_{table}"
    conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {vocab} USING fts5vocab(main, {table}, instance)")
    terms = conn.execute(
        f"SELECT term, doc, col, offset FROM {vocab} ORDER BY term, doc, col, offset"
    ).fetchall()
    return ids, terms


def snapshot(db: Path, cleaned: Path) -> dict[str, object]:
    fts.ensure_tokenizer()
    conn = sqlite3.connect(db)
    try:
        out: dict[str, object] = {t: _table_rows(conn, t) for t in TABLES}
        for table in (fts.FTS_TABLE, fts.DUP_FTS_TABLE):
            out[f"{table} rowids"], out[f"{table} terms"] = _fts_content(conn, table)
    finally:
        conn.close()
    out["cleaned files"] = {f.name: f.read_bytes() for f in sorted(cleaned.iterdir()) if f.is_file()}
    return out


def differences(a: dict[str, object], b: dict[str, object]) -> list[str]:
    found = []
    for key in a:
        if a[key] == b[key]:
            continue
        left, right = a[key], b[key]
        if isinstance(left, list) and isinstance(right, list):
            first = next(
                (i for i, (x, y) in enumerate(zip(left, right, strict=False)) if x != y),
                min(len(left), len(right)),
            )
            found.append(
                f"{key}: {len(left)} vs {len(right)} rows; first difference at row {first}: "
                f"{str(left[first : first + 1])[:300]} vs {str(right[first : first + 1])[:300]}"
            )
        elif isinstance(left, dict) and isinstance(right, dict):
            names = sorted(set(left) ^ set(right))
            changed = sorted(n for n in set(left) & set(right) if left[n] != right[n])
            found.append(
                f"{key}: only in one {names[:5]} ({len(names)}), contents differ {changed[:5]} ({len(changed)})"
            )
        else:
            found.append(f"{key}: {str(left)[:200]} vs {str(right)[:200]}")
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("db_a", type=Path)
    ap.add_argument("cleaned_a", type=Path)
    ap.add_argument("db_b", type=Path)
    ap.add_argument("cleaned_b", type=Path)
    args = ap.parse_args()
    a = snapshot(args.db_a, args.cleaned_a)
    b = snapshot(args.db_b, args.cleaned_b)
    diffs = differences(a, b)
    sizes = ", ".join(f"{k}: {len(v) if v is not None else 'absent'}" for k, v in a.items())
    if diffs:
        print("archives DIFFER:\n  " + "\n  ".join(diffs))
        raise SystemExit(1)
    print(f"archives identical ({sizes})")


if __name__ == "__main__":
    main()
