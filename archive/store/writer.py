"""Write processed documents into the archive and their bodies into ``cleaned/``.

Consistency rule: a ``cleaned/`` file is written (to a temporary name, then
renamed) *before* the transaction that inserts its row commits.  A crash can
therefore leave at most an orphan file, never a row without its file; the
``reconcile`` step at the start of every run removes orphans and rewrites any
missing file from the row.  Rows are keyed by ``sha256``, so re-running an
ingest never doubles a record.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sqlite3
from pathlib import Path
from typing import Any

import sqlite_utils

from ..models import ProcessedDocument
from ..signals.dedup import DedupIndex, Member
from . import duplicate_tails, fts
from .schema import ensure_schema

# cleaned/ file names: <input stem>.<first 12 hex of sha256>.txt
CLEANED_NAME = re.compile(r"^.+\.[0-9a-f]{12}\.txt$")
_UNSAFE = re.compile(r"[^\w.\-]+")


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def cleaned_file_name(path: str, sha256: str) -> str:
    """Name of the cleaned file for an input: its stem plus a short hash, never colliding."""
    base, _, fragment = path.partition("#")
    stem = Path(base).stem or "page"
    if fragment:
        stem = f"{stem}_{fragment}"
    stem = _UNSAFE.sub("_", stem)[:80]
    return f"{stem}.{sha256[:12]}.txt"


def open_db(db_path: str | os.PathLike) -> sqlite_utils.Database:
    """Open (creating if needed) an archive with WAL journaling and the schema."""
    from . import fts  # registers the CJK tokenizer before the connection opens

    fts.ensure_tokenizer()
    conn = sqlite3.connect(str(db_path), timeout=60)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    db = sqlite_utils.Database(conn)
    ensure_schema(db)
    fts.ensure_index(db)
    return db


class ArchiveStore:
    """The single writer of an archive: documents, rejects, cleaned files."""

    def __init__(
        self,
        db_path: str | os.PathLike,
        cleaned_dir: str | os.PathLike,
        lsh_url: str | None = None,
    ) -> None:
        self.db_path = Path(db_path)
        self.lsh_url = lsh_url
        self.cleaned_dir = Path(cleaned_dir)
        self.cleaned_dir.mkdir(parents=True, exist_ok=True)
        self.db = open_db(self.db_path)
        self.conn = self.db.conn
        self._pending_files: list[Path] = []
        # Opened now, not on first use: a bad --lsh URL fails before any work is done.
        self._dedup: DedupIndex | None = self._open_dedup()

    def _open_dedup(self) -> DedupIndex:
        from ..signals.shared_lsh import storage_config

        # --lsh redis://...: the LSH lives in Redis, shared with other machines' ingests.
        return DedupIndex(self.db, storage_config(self.lsh_url) if self.lsh_url else None)

    @property
    def dedup(self) -> DedupIndex:
        """The duplicate index (its LSH rebuilt from the archive when opened)."""
        if self._dedup is None:
            self._dedup = self._open_dedup()
        return self._dedup

    def release_dedup(self) -> None:
        """Drop the in-memory LSH once no document is to be added: at a million pages it
        is most of the process's memory (~1.5 GB), and the end-of-run index builds come
        after it. A later ``add`` opens it again from the archive."""
        self._dedup = None

    # -- lookups -----------------------------------------------------------
    def has(self, sha256: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM documents WHERE sha256 = ?", [sha256]).fetchone()
        return row is not None

    # -- writing -----------------------------------------------------------
    def begin(self) -> None:
        if not self.conn.in_transaction:
            self.conn.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        if self.conn.in_transaction:
            self.conn.commit()
        self._pending_files.clear()

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.rollback()
        for f in self._pending_files:
            f.unlink(missing_ok=True)
        self._pending_files.clear()

    def add(self, doc: ProcessedDocument) -> dict[str, Any]:
        """Insert one document inside the open transaction; return its row.

        Returns an empty dict when the document (same raw bytes) is already stored.
        """
        self.begin()
        c = doc.clean
        if self.has(c.sha256):
            return {}
        meta = c.metadata
        row = {
            "path": c.path,
            "sha256": c.sha256,
            "url": c.url,
            "kind": c.kind,
            "encoding": c.encoding,
            "site_key": c.site_key,
            "title": meta.title,
            "published": meta.published,
            "source": meta.source,
            "authors": json.dumps(meta.authors, ensure_ascii=False),
            "editor": meta.editor,
            "site": meta.site,
            "body": doc.body,
            # What dataclasses.asdict gives, without its deep copy of every line.
            "removed": json.dumps(
                [{"line": r.line, "reason": r.reason} for r in c.removed], ensure_ascii=False
            ),
            "fragmented": int(c.fragmented),
            "offtopic": doc.offtopic.offtopic,
            "offtopic_start": doc.offtopic.offtopic_start,
            "offtopic_reason": doc.offtopic.offtopic_reason,
            "chars": doc.quality.chars,
            "cjk_ratio": doc.quality.cjk_ratio,
            "terminal_punct_ratio": doc.quality.terminal_punct_ratio,
            "dup_line_ratio": doc.quality.dup_line_ratio,
            "dup_ngram_ratio": doc.quality.dup_ngram_ratio,
            "quality": doc.quality.quality,
            "exact_key": doc.exact_key,
            "ingested_at": now_iso(),
        }
        # Clustered before the row exists, so the row (and its full-text entry, which
        # the insert trigger writes) is stored once with its final dedup columns.
        # The id is the one SQLite would give: one more than the largest.
        doc_id = self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM documents").fetchone()[0]
        placement = self.dedup.place(doc_id, doc, Member.from_new_row(doc_id, row))
        row.update(placement.columns())
        if placement.duplicate_of is None:
            name = cleaned_file_name(c.path, c.sha256)
            self._write_file(self.cleaned_dir / name, doc.body)
            row["cleaned_path"] = name
        row["id"] = doc_id
        self.conn.execute(
            f"INSERT INTO documents ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )
        # Former canonicals that now point at this row lose their file and move index.
        # (The new row itself was indexed by the insert trigger, in its final place.)
        for other_id in sorted(placement.demoted):
            self._sync_outputs(other_id)
        return row

    def cut_duplicate_tails(self) -> int:
        """Cut the tails near-duplicates lack, in the open transaction (see ``duplicate_tails``)."""
        self.begin()
        return duplicate_tails.cut_duplicate_tails(self.conn, self._sync_outputs)

    def _sync_outputs(self, doc_id: int) -> None:
        """Make the cleaned file and the FTS row of one document match its status."""
        r = self.conn.execute(
            "SELECT path, sha256, body, duplicate_of, cleaned_path FROM documents WHERE id = ?",
            [doc_id],
        ).fetchone()
        if r is None:
            return
        path, sha256, body, duplicate_of, cleaned_path = r
        if duplicate_of is None:
            name = cleaned_file_name(path, sha256)
            target = self.cleaned_dir / name
            self._write_file(target, body)
            if cleaned_path != name:
                self.conn.execute("UPDATE documents SET cleaned_path = ? WHERE id = ?", [name, doc_id])
        elif cleaned_path:
            # Removed only after commit would be safer for readers, but the row already
            # says "no file", and reconcile() would delete an orphan anyway.
            (self.cleaned_dir / cleaned_path).unlink(missing_ok=True)
            self.conn.execute("UPDATE documents SET cleaned_path = NULL WHERE id = ?", [doc_id])
        fts.sync_document(self.conn, doc_id)

    def _write_file(self, target: Path, body: str) -> None:
        # No fsync per file (it would cap ingest at the disk's flush rate): after a
        # crash or power loss, reconcile() checks every file's size against its row
        # and rewrites what the OS had not flushed.
        tmp = target.with_name(target.name + ".tmp")
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(body + "\n")
        os.replace(tmp, target)
        self._pending_files.append(target)

    def reject(self, path: str, reason: str, sha256: str | None = None) -> None:
        self.begin()
        self.conn.execute(
            "INSERT OR IGNORE INTO rejects (path, sha256, reason, at) VALUES (?, ?, ?, ?)",
            [path, sha256 or "", reason, now_iso()],
        )

    # -- recovery ----------------------------------------------------------
    def start_run(self) -> int:
        """Record that an ingest run started; committed at once (see ``reconcile``)."""
        self.commit()
        with self.conn:
            cur = self.conn.execute("INSERT INTO ingest_runs (started_at) VALUES (?)", [now_iso()])
        return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, stats: dict[str, Any]) -> None:
        self.commit()
        with self.conn:
            self.conn.execute(
                "UPDATE ingest_runs SET finished_at = ?, stats = ? WHERE id = ?",
                [now_iso(), json.dumps(stats, ensure_ascii=False), run_id],
            )

    def last_run_finished(self) -> bool:
        row = self.conn.execute("SELECT finished_at FROM ingest_runs ORDER BY id DESC LIMIT 1").fetchone()
        return row is None or row[0] is not None

    def reconcile(self, full: bool | None = None) -> dict[str, int]:
        """Repair what an interrupted run may have left in ``cleaned/``.

        Always: remove temporary files and orphans (files with no row).  After a
        run that did not finish (``full``, the default then): also rewrite every
        file that is missing or whose size does not match its row's body.
        """
        if full is None:
            full = not self.last_run_finished()
        stats = {"orphans_removed": 0, "files_rewritten": 0}
        for tmp in self.cleaned_dir.glob("*.txt.tmp"):
            tmp.unlink(missing_ok=True)
        known = {
            name
            for (name,) in self.conn.execute(
                "SELECT cleaned_path FROM documents WHERE cleaned_path IS NOT NULL"
            )
        }
        for f in self.cleaned_dir.iterdir():
            if f.is_file() and CLEANED_NAME.match(f.name) and f.name not in known:
                f.unlink()
                stats["orphans_removed"] += 1
        if full:
            rows = self.conn.execute(
                "SELECT cleaned_path, length(CAST(body AS BLOB)) FROM documents "
                "WHERE cleaned_path IS NOT NULL"
            ).fetchall()
            for name, nbytes in rows:
                f = self.cleaned_dir / name
                if not f.exists() or f.stat().st_size != nbytes + 1:
                    (body,) = self.conn.execute(
                        "SELECT body FROM documents WHERE cleaned_path = ?", [name]
                    ).fetchone()
                    self._write_file(f, body)
                    stats["files_rewritten"] += 1
        self._pending_files.clear()
        return stats

    def close(self) -> None:
        self.commit()
        self.conn.close()
