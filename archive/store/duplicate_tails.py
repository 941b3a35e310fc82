"""The off-topic evidence only the archive has: the tail a near-duplicate lacks.

SEO sites glue text onto articles they copy, so the same article often reaches
the archive twice: once clean, once with a tail. ``offtopic.detect`` judges each
page alone and is conservative; once dedup has put both copies in one cluster,
``offtopic.cut_against_duplicate`` compares them and cuts the tail that one copy
has and the other lacks (if the tail is also weakly cohesive with the article,
or has a keyword list's or definition's shape: see its docstring).

Run once per ingest, after the last batch (and by ``archive merge``, which sees the
clusters of all shards: a shard written with a shared ``--lsh`` index leaves it to
the merge), over the clusters that gained a member since the last check (records
whose ``dup_tail_checked`` is still NULL), in id order, in
one transaction: an interrupted run redoes it, and a resumed run gives the same
archive as an uninterrupted one. A record cut here is updated like one the
detector cut: ``body`` without the tail, ``offtopic``/``offtopic_start``/
``offtopic_reason`` (the reason starts with ``duplicate``), quality figures of
the new body, and its cleaned file and full-text row rewritten.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from ..models import OfftopicResult
from ..signals import offtopic, quality


@dataclass
class _Member:
    id: int
    body: str
    offtopic: str | None
    duplicate_of: int | None
    exact_key: str | None


def placed_body(body: str, offtopic_text: str | None, offtopic_reason: str | None) -> str:
    """The body as dedup saw it when the record was placed.

    A tail cut here, after placement, is put back (dedup's normal form drops the
    whitespace between them); a tail the detector cut came before dedup and stays
    out. Similarities measured later (``archive merge``) then do not depend on
    whether an earlier merge or run had already cut the record.
    """
    if offtopic_text and offtopic.cut_against_a_duplicate(offtopic_reason):
        return body + "\n\n" + offtopic_text
    return body


def _clusters_to_check(conn: sqlite3.Connection) -> list[int]:
    """Clusters of two or more records, one of which has not been checked yet."""
    rows = conn.execute(
        "SELECT cluster_id FROM documents WHERE cluster_id IN "
        "(SELECT cluster_id FROM documents WHERE dup_tail_checked IS NULL AND cluster_id IS NOT NULL) "
        "GROUP BY cluster_id HAVING count(*) > 1 ORDER BY cluster_id"
    ).fetchall()
    return [r[0] for r in rows]


def _store_cut(conn: sqlite3.Connection, member: _Member, cut: OfftopicResult) -> None:
    q = quality.measure(cut.body)
    conn.execute(
        "UPDATE documents SET body = ?, offtopic = ?, offtopic_start = ?, offtopic_reason = ?, "
        "chars = ?, cjk_ratio = ?, terminal_punct_ratio = ?, dup_line_ratio = ?, dup_ngram_ratio = ?, "
        "quality = ? WHERE id = ?",
        [
            cut.body,
            cut.offtopic,
            cut.offtopic_start,
            cut.offtopic_reason,
            q.chars,
            q.cjk_ratio,
            q.terminal_punct_ratio,
            q.dup_line_ratio,
            q.dup_ngram_ratio,
            q.quality,
            member.id,
        ],
    )
    member.body, member.offtopic = cut.body, cut.offtopic


def cut_duplicate_tails(conn: sqlite3.Connection, sync_outputs: Callable[[int], None]) -> int:
    """Compare each unchecked cluster's members with its canonical; return the records cut.

    ``sync_outputs(id)`` rewrites one record's cleaned file and full-text row
    from its row (``ArchiveStore.sync_outputs``). Runs inside the caller's
    transaction; marks every unchecked record as checked.
    """
    cut_count = 0
    for cluster_id in _clusters_to_check(conn):
        members = [
            _Member(*row)
            for row in conn.execute(
                "SELECT id, body, offtopic, duplicate_of, exact_key FROM documents WHERE cluster_id = ? ORDER BY id",
                [cluster_id],
            )
        ]
        canonical = next((m for m in members if m.duplicate_of is None), None)
        if canonical is None:  # a shard whose canonical another machine stored
            continue
        for member in members:
            if member is canonical or (member.exact_key and member.exact_key == canonical.exact_key):
                continue  # the same text (exact copies): neither lacks anything
            # Both ways: the copy may carry the tail, or the canonical may.
            for longer, shorter in ((member, canonical), (canonical, member)):
                if longer.offtopic is not None:
                    continue  # already cut (by the detector or an earlier pair)
                cut = offtopic.cut_against_duplicate(longer.body, shorter.body)
                if cut is not None:
                    _store_cut(conn, longer, cut)
                    sync_outputs(longer.id)
                    cut_count += 1
    conn.execute("UPDATE documents SET dup_tail_checked = 1 WHERE dup_tail_checked IS NULL")
    return cut_count
