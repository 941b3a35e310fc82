"""Merge archive shards (one per ingest machine) into one archive.

Each shard was written by an ``archive ingest --lsh redis://...`` sharing one
LSH index.  In a shard ``duplicate_of`` is a *local* row id, so a duplicate
whose canonical was stored by another machine cannot point at it; it keeps
``duplicate_of`` NULL and names its canonical by raw-bytes hash in
``duplicate_of_sha256`` (see ``signals.shared_lsh``).

The merge:

1. copies every shard's rows in the order given (shard by shard, each in id
   order), skipping a sha256 already present, so no record is doubled and a
   record's new id follows the order a single ``archive ingest SHARD1 SHARD2 ...``
   would have given it;
2. turns every pointer (local ``duplicate_of`` → that row's sha256, or
   ``duplicate_of_sha256``) into an edge between hashes and joins the edges
   into clusters (union-find), so a pair split over two shards, found by either
   side, ends in one cluster;
3. elects one canonical per cluster by the ingest's own rule
   (``signals.dedup.Member.usefulness``: most metadata, no flags, longest body,
   then the earliest stored), gives the cluster the id of its first member,
   repoints every other member at the canonical (``dup_kind`` and
   ``dup_similarity`` re-measured, the exact shingle Jaccard, wherever the
   shard did not measure against that very record), so no ``duplicate_of``
   dangles and no cluster has two canonicals;
4. cuts the tails near-duplicates lack (``duplicate_tails``: shards written
   with a shared index leave that to the merge, which sees the clusters whole);
5. writes the ``cleaned/`` file of every canonical (and removes those of
   records that became duplicates) and leaves the full-text index in step
   (the FTS triggers move rows as ``duplicate_of`` changes; checked at the end
   and rebuilt if anything is misplaced).
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from ..errors import ArchiveError
from . import fts
from .duplicate_tails import cut_duplicate_tails, placed_body
from .schema import DOCUMENT_COLUMNS
from .writer import CLEANED_NAME, cleaned_file_name, now_iso, open_db

# Columns the merge decides itself instead of copying.
RESOLVED_COLUMNS = {"id", "cluster_id", "duplicate_of", "duplicate_of_sha256", "cleaned_path"}


@dataclass
class MergeStats:
    shards: list[dict[str, Any]] = field(default_factory=list)  # per shard: path, rows, added
    documents: int = 0  # rows in the merged archive
    added: int = 0
    already: int = 0  # shard rows whose sha256 was already merged (target or earlier shard)
    clusters: int = 0  # clusters with more than one member
    duplicates: int = 0
    cross_shard_links: int = 0  # duplicate_of_sha256 pointers resolved
    unresolved_links: int = 0  # pointers to a sha256 no merged shard holds
    repointed: int = 0  # records whose canonical changed in the merge
    duplicate_tails_cut: int = 0  # records cut against a near-duplicate (store/duplicate_tails.py)
    files_written: int = 0
    files_removed: int = 0
    rejects: int = 0
    fts_rebuilt: bool = False
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        root = x
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while x != root:  # path compression
            self.parent[x], x = root, self.parent.get(x, x)
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _columns(conn: sqlite3.Connection, schema: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA {schema}.table_info(documents)")]


def merge_shards(
    shards: Sequence[str | os.PathLike],
    into: str | os.PathLike,
    cleaned_dir: str | os.PathLike = "cleaned",
) -> MergeStats:
    """Merge ``shards`` into the archive ``into`` (created if missing; its rows come first).

    Running it again with the same shards changes nothing.
    """
    started = time.monotonic()
    started_at = now_iso()
    stats = MergeStats()
    into_path = Path(into).resolve()
    for s in shards:
        if not Path(s).is_file():
            raise ArchiveError(f"{s}: no such shard archive")
        if Path(s).resolve() == into_path:
            raise ArchiveError(f"{s}: a shard cannot also be the merge target")
    cleaned = Path(cleaned_dir)
    cleaned.mkdir(parents=True, exist_ok=True)
    db = open_db(into_path)
    conn = db.conn

    # sha256 -> (canonical sha256 named by the shard, dup_kind, dup_similarity); rows of
    # the target archive count as the first shard.
    pointers: dict[str, _Link] = {}
    _read_pointers(conn, "main", pointers)
    first_new_id = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM documents").fetchone()[0]
    for shard in shards:
        # Attached by plain path (URI filenames are off on this connection); only read.
        conn.execute("ATTACH DATABASE ? AS shard", [str(Path(shard).resolve())])
        try:
            shard_cols = set(_columns(conn, "shard"))
            if "sha256" not in shard_cols:
                raise ArchiveError(f"{shard}: not an archive (documents table without sha256)")
            cols = [c for c in DOCUMENT_COLUMNS if c in shard_cols and c not in RESOLVED_COLUMNS]
            col_list = ", ".join(cols)
            rows = conn.execute("SELECT count(*) FROM shard.documents").fetchone()[0]
            conn.execute("BEGIN IMMEDIATE")
            cur = conn.execute(
                f"INSERT INTO main.documents ({col_list}) SELECT {col_list} FROM shard.documents s "
                "WHERE NOT EXISTS (SELECT 1 FROM main.documents m WHERE m.sha256 = s.sha256) "
                "ORDER BY s.id"
            )
            added = cur.rowcount
            tables = {r[0] for r in conn.execute("SELECT name FROM shard.sqlite_master WHERE type = 'table'")}
            if "minhashes" in tables:
                _copy_signatures(conn, shard)
            if "rejects" in tables:
                cur = conn.execute(
                    "INSERT OR IGNORE INTO main.rejects (path, sha256, reason, at) "
                    "SELECT path, sha256, reason, at FROM shard.rejects"
                )
                stats.rejects += cur.rowcount
            conn.commit()
            _read_pointers(conn, "shard", pointers)
        except BaseException:
            if conn.in_transaction:
                conn.rollback()
            raise
        finally:
            conn.execute("DETACH DATABASE shard")
        stats.shards.append({"path": str(shard), "rows": rows, "added": added})
        stats.added += added
        stats.already += rows - added

    ids: dict[str, int] = dict(conn.execute("SELECT sha256, id FROM documents"))
    stats.documents = len(ids)

    clusters = _UnionFind()
    for sha, link in pointers.items():
        for target, remote in ((link.local, False), (link.remote, True)):
            if target is None:
                continue
            if target not in ids:
                stats.unresolved_links += 1
                continue
            clusters.union(sha, target)
            stats.cross_shard_links += remote

    members: dict[str, list[str]] = {}
    for sha in sorted(ids, key=ids.__getitem__):
        members.setdefault(clusters.find(sha), []).append(sha)
    canonical_of_root = _elect(conn, members, ids)

    conn.execute("BEGIN IMMEDIATE")
    try:
        _repoint(conn, clusters, canonical_of_root, ids, pointers, stats)
        _first_of_exact_group_keeps_signature(conn)
        # Shards leave this to the merge, which has the clusters whole; and a cluster
        # that gained records here is checked again, whatever an earlier merge found.
        # The files of records cut here are rewritten by _sync_files (size changed).
        conn.execute(
            "UPDATE documents SET dup_tail_checked = NULL WHERE cluster_id IN "
            "(SELECT cluster_id FROM documents WHERE id >= ?)",
            [first_new_id],
        )
        stats.duplicate_tails_cut = cut_duplicate_tails(conn, lambda doc_id: fts.sync_document(conn, doc_id))
        _sync_files(conn, cleaned, stats)
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    if fts.misplaced_count(conn):
        fts.rebuild(conn)  # the term-top index too
        stats.fts_rebuilt = True
    elif fts.term_top_due(conn):
        fts.build_term_top(conn)
    stats.clusters, stats.duplicates = conn.execute(
        "SELECT count(DISTINCT duplicate_of), count(duplicate_of) FROM documents"
    ).fetchone()
    stats.seconds = round(time.monotonic() - started, 3)
    with conn:
        conn.execute(
            "INSERT INTO ingest_runs (started_at, finished_at, stats) VALUES (?, ?, ?)",
            [started_at, now_iso(), json.dumps({"merge": stats.as_dict()}, ensure_ascii=False)],
        )
    conn.close()
    return stats


@dataclass
class _Link:
    """A record's canonical as its shard named it."""

    local: str | None  # sha256 of the row its duplicate_of pointed at
    remote: str | None  # duplicate_of_sha256: a record another machine stored
    kind: str | None
    similarity: float | None


def _read_pointers(conn: sqlite3.Connection, schema: str, pointers: dict[str, _Link]) -> None:
    """Each row's links as sha256: its local ``duplicate_of`` row's and the remote one."""
    remote_col = "d.duplicate_of_sha256" if "duplicate_of_sha256" in _columns(conn, schema) else "NULL"
    for sha, local, remote, kind, sim in conn.execute(
        f"SELECT d.sha256, c.sha256, {remote_col}, d.dup_kind, d.dup_similarity "
        f"FROM {schema}.documents d LEFT JOIN {schema}.documents c ON c.id = d.duplicate_of "
        "ORDER BY d.id"
    ):
        if sha not in pointers:  # the first copy of a record wins, like its row
            pointers[sha] = _Link(local, remote, kind, sim)


def _copy_signatures(conn: sqlite3.Connection, shard: str | os.PathLike) -> None:
    """Stored MinHash signatures (``signals.dedup``'s ``minhashes`` table), keyed anew by id."""
    from ..signals import dedup

    dedup.ensure_tables(sqlite_utils.Database(conn))
    theirs = conn.execute("SELECT value FROM shard.dedup_params WHERE name = 'signature'").fetchone()
    mine = conn.execute("SELECT value FROM main.dedup_params WHERE name = 'signature'").fetchone()
    if theirs and mine and theirs != mine:
        raise ArchiveError(f"{shard}: its signatures ({theirs[0]}) differ from the target's ({mine[0]})")
    conn.execute(
        "INSERT OR IGNORE INTO main.dedup_params (name, value) SELECT name, value FROM shard.dedup_params"
    )
    conn.execute(
        "INSERT OR IGNORE INTO main.minhashes (doc_id, sig) SELECT m.id, x.sig FROM shard.minhashes x "
        "JOIN shard.documents s ON s.id = x.doc_id JOIN main.documents m ON m.sha256 = s.sha256"
    )


def _first_of_exact_group_keeps_signature(conn: sqlite3.Connection) -> None:
    """As in one ingest, the signature of an exact group belongs to its first record.

    Machines see an exact group's copies in any order, so the shard that stored
    the signature may hold a later copy; all copies have the same signature.
    """
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'minhashes'").fetchone():
        return
    moves = conn.execute(
        "SELECT g.first_id, x.doc_id FROM (SELECT exact_key, min(id) AS first_id FROM documents "
        "WHERE exact_key IS NOT NULL GROUP BY exact_key HAVING count(*) > 1) g "
        "JOIN documents d ON d.exact_key = g.exact_key AND d.id != g.first_id "
        "JOIN minhashes x ON x.doc_id = d.id"
    ).fetchall()
    for first_id, other_id in moves:
        conn.execute(
            "INSERT OR IGNORE INTO minhashes (doc_id, sig) SELECT ?, sig FROM minhashes WHERE doc_id = ?",
            [first_id, other_id],
        )
        conn.execute("DELETE FROM minhashes WHERE doc_id = ?", [other_id])


def _repoint(
    conn: sqlite3.Connection,
    clusters: _UnionFind,
    canonical_of_root: dict[str, str],
    ids: dict[str, int],
    pointers: dict[str, _Link],
    stats: MergeStats,
) -> None:
    """Set cluster_id/duplicate_of/dup_kind/dup_similarity of every row from its cluster.

    A link to a record no merged shard holds stays in ``duplicate_of_sha256``, so a
    later merge with the shard that has it still joins the two (merges compose).
    """
    current = conn.execute(
        "SELECT id, sha256, cluster_id, duplicate_of, dup_kind, dup_similarity, duplicate_of_sha256 "
        "FROM documents ORDER BY id"
    ).fetchall()
    first_id: dict[str, int] = {}
    for doc_id, sha, *_rest in current:  # in id order: the first member names the cluster
        first_id.setdefault(clusters.find(sha), doc_id)
    for doc_id, sha, cluster_id, duplicate_of, kind, sim, remote in current:
        root = clusters.find(sha)
        canonical = canonical_of_root[root]
        canonical_id = ids[canonical]
        link = pointers.get(sha)
        pending = link.remote if link is not None and link.remote and link.remote not in ids else None
        if canonical == sha:
            # A canonical still names what it matched elsewhere, as in its shard.
            want = (
                (first_id[root], None, link.kind, link.similarity)
                if pending
                else (first_id[root], None, None, None)
            )
        else:
            if link is not None and link.local == canonical:
                want = (first_id[root], canonical_id, link.kind, link.similarity)
            else:
                # Never measured against this very canonical (or measured on another
                # machine): measure it here, where both bodies are.
                stats.repointed += link is None or canonical not in (link.local, link.remote)
                want = (first_id[root], canonical_id, *_measure(conn, doc_id, canonical_id))
        if (*want, pending) != (cluster_id, duplicate_of, kind, sim, remote):
            conn.execute(
                "UPDATE documents SET cluster_id = ?, duplicate_of = ?, dup_kind = ?, dup_similarity = ?, "
                "duplicate_of_sha256 = ? WHERE id = ?",
                [*want, pending, doc_id],
            )


def _measure(conn: sqlite3.Connection, doc_id: int, canonical_id: int) -> tuple[str, float]:
    """dup_kind and dup_similarity of a record against a canonical it was not compared with."""
    (key, body, offtopic_text, reason), (canon_key, canon_body, canon_offtopic, canon_reason) = (
        conn.execute(
            "SELECT exact_key, body, offtopic, offtopic_reason FROM documents WHERE id = ?", [i]
        ).fetchone()
        for i in (doc_id, canonical_id)
    )
    if key is not None and key == canon_key:
        return "exact", 1.0
    # The ingest's own measure (signals.dedup): exact Jaccard of the 3-shingle sets.
    from ..signals import dedup, minhash

    # Measured as the ingest measured it: on the bodies as placed (see placed_body).
    own = dedup.shingles(placed_body(body or "", offtopic_text, reason))
    other = dedup.shingles(placed_body(canon_body or "", canon_offtopic, canon_reason))
    return "near", round(minhash.jaccard(own, other), 4)


def _elect(conn: sqlite3.Connection, members: dict[str, list[str]], ids: dict[str, int]) -> dict[str, str]:
    """Canonical sha256 of every cluster (keyed by union-find root), by the ingest's rule."""
    from ..signals.dedup import MEMBER_COLUMNS, Member

    out: dict[str, str] = {}
    for root, shas in members.items():
        if len(shas) == 1:
            out[root] = shas[0]
            continue
        by_id = {ids[s]: s for s in shas}
        marks = ", ".join("?" * len(by_id))
        rows = conn.execute(f"SELECT {MEMBER_COLUMNS} FROM documents WHERE id IN ({marks})", list(by_id))
        best = max((Member.from_row(r) for r in rows), key=Member.usefulness)
        out[root] = by_id[best.id]
    return out


def _sync_files(conn: sqlite3.Connection, cleaned: Path, stats: MergeStats) -> None:
    """A cleaned/ file for every canonical, none for duplicates, no orphans."""
    rows = conn.execute(
        "SELECT id, path, sha256, duplicate_of, cleaned_path, length(CAST(body AS BLOB)) FROM documents"
    ).fetchall()
    keep: set[str] = set()
    for doc_id, path, sha, duplicate_of, cleaned_path, nbytes in rows:
        if duplicate_of is None:
            name = cleaned_file_name(path, sha)
            keep.add(name)
            target = cleaned / name
            if not target.exists() or target.stat().st_size != (nbytes or 0) + 1:
                (body,) = conn.execute("SELECT body FROM documents WHERE id = ?", [doc_id]).fetchone()
                tmp = target.with_name(target.name + ".tmp")
                # Same bytes as the ingest writes: the body and one newline.
                tmp.write_text((body or "") + "\n", encoding="utf-8", newline="\n")
                os.replace(tmp, target)
                stats.files_written += 1
            if cleaned_path != name:
                conn.execute("UPDATE documents SET cleaned_path = ? WHERE id = ?", [name, doc_id])
        elif cleaned_path is not None:
            conn.execute("UPDATE documents SET cleaned_path = NULL WHERE id = ?", [doc_id])
    for f in cleaned.iterdir():
        if f.is_file() and CLEANED_NAME.match(f.name) and f.name not in keep:
            f.unlink()
            stats.files_removed += 1
