"""Exact and near-duplicate detection: clusters with one canonical record.

Pure part (runs in worker processes): ``exact_key`` and ``signature`` of the
final body (after boilerplate and off-topic removal).  Store part:
``DedupIndex`` assigns each new row to a cluster inside the writer's
transaction and keeps the canonical record of every cluster up to date.

Exact duplicates have the same normalised body (NFKC, which folds full-width
punctuation, digits and letters; the CJK punctuation that NFKC leaves alone
folded to its ASCII look-alike; all whitespace removed, so paragraph breaks do
not count).  They are found by the hash of that text, before any MinHash work.

Near duplicates: datasketch ``MinHashLSH`` over MinHash signatures of the
character 3-shingles of the normalised body; LSH candidates are checked
against the exact Jaccard of the two shingle sets (recomputed from the stored
body) before one is joined, as NeMo Curator and text-dedup do.  Only the
candidates whose signatures estimate a Jaccard near the threshold are checked,
at most three per cluster, so a new copy of a heavily syndicated article costs
the same as any other (``DedupIndex._worth_checking``); a candidate estimated at
0.75 or more, with no other cluster close, is taken without a check.

Why 3-shingles and a Jaccard threshold of 0.47 (measured with
``scripts/bench_dedup.py --sweep`` on ~1,600-char People's Daily documents:
200 planted near-duplicates with 2-10% of characters edited at random places
and, each with probability 1/2, paragraphs reordered, furniture lines added, a
tail appended; 200 hard negatives sharing 30-60% of their paragraphs with
another document; 500 unrelated pairs; exact Jaccard)::

    k   near-dup J: min   hard-negative J: max   unrelated J: max
    2        0.615              0.462                 0.168
    3        0.539              0.416                 0.068
    4        0.459              0.406                 0.033
    5        0.389              0.402                 0.020
    6        0.332              0.399                 0.012

Chinese has no spaces and one character is already a morpheme, so a random
one-character edit destroys k shingles: with k >= 5 a 10%-edited copy falls
below a document sharing 60% of its paragraphs, and no threshold separates
them.  k = 3 leaves a gap of 0.42-0.54 with unrelated text below 0.07; k = 2
has a slightly wider gap but 2.5x the background similarity of unrelated news
(shared common words), which grows with document length.  0.47 is about the
middle of the k = 3 gap.  The LSH itself is tuned lower (0.30: b=37 bands of
r=3 rows; a pair at J = 0.47 becomes a candidate with probability 0.98)
because the exact check removes the extra candidates.

Documents whose normalised body is shorter than ``MIN_NEAR_CHARS`` get no
signature: a few dozen characters share 3-grams with too much unrelated text,
so they are matched exactly or not at all.  An empty normalised body is never
matched.

Canonical record of a cluster (the one ``cleaned/`` keeps): the most useful
member, by, in order: (1) most metadata fields present (title, published,
source, authors, editor, site); (2) no flags (not fragmented, no off-topic span
cut out); (3) longest body; (4) first ingested (lowest id).  When a better
member arrives the canonical moves: every member's ``duplicate_of``,
``dup_kind`` and ``dup_similarity`` are rewritten against the new canonical in
the same transaction.  ``cluster_id`` is the id of the cluster's first member
and never changes.

A new near-duplicate joins the cluster of its best verified candidate (clusters
are never merged with each other, so one borderline document cannot chain two
articles together); its ``dup_similarity`` is its exact shingle Jaccard to the
canonical record.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import sqlite_utils
from datasketch import MinHashLSH

from ..models import ProcessedDocument
from . import lsh_storage, minhash, shared_lsh
from . import offtopic as offtopic_module

SHINGLE_SIZE = 3  # characters; chosen by measurement, see the module docstring
NUM_PERM = 128
SEED = 1
JACCARD_THRESHOLD = 0.47  # exact shingle Jaccard needed to join a cluster
LSH_THRESHOLD = 0.30  # candidate generation; candidates are then checked exactly
MIN_NEAR_CHARS = 50  # shorter normalised bodies are matched exactly only
# Candidates checked exactly (see DedupIndex._worth_checking).  With 128
# permutations a MinHash estimate has a standard deviation of at most 0.044, so
# a pair at the threshold (J = 0.47) estimates below 0.30 with probability
# under 1e-4; the three best-estimated members of a cluster stand for it.
MIN_ESTIMATE = LSH_THRESHOLD
CHECKS_PER_CLUSTER = 3
# A candidate estimated at 0.75 or more is a copy without reading its body: a pair
# at the threshold estimates that high with probability under 1e-9 (over six
# standard deviations).  Only when no other cluster comes within CLEAR_LEAD of it: choosing
# between two clusters of copies takes the exact figures.
CERTAIN_ESTIMATE = 0.75
CLEAR_LEAD = 0.15
# Recorded with the stored signatures: signatures made with other parameters are stale.
SIGNATURE_PARAMS = f"{minhash.SCHEME};k={SHINGLE_SIZE};perm={NUM_PERM};seed={SEED}"

_SPACE = re.compile(r"\s+")
# CJK punctuation NFKC leaves alone, folded to what half-width crawls print instead.
_PUNCT_FOLD = str.maketrans(
    {"。": ".", "、": ",", "“": '"', "”": '"', "‘": "'", "’": "'", "「": '"', "」": '"'}
)
_BMP = 0x10000
_HANGUL_VOWELS_TRAILS = range(0x1160, 0x1200)  # compose with a preceding jamo/syllable


def normalise_reference(body: str) -> str:
    """The definition of the dedup normal form, one Python call per step (slow path)."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", body).translate(_PUNCT_FOLD))


@lru_cache(maxsize=1)
def _bmp_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-BMP-character (normal form, is whitespace, needs the slow path).

    NFKC is a per-character map except where characters compose or reorder
    (combining marks, Hangul jamo, a character mapping to several): texts
    holding any of those take ``normalise_reference``; every other text is
    normalised with one numpy lookup, several times faster than the NFKC call
    alone.  Built once per process (~50 ms).
    """
    mapped = np.arange(_BMP, dtype=np.uint32)
    space = np.zeros(_BMP, dtype=bool)
    slow = np.zeros(_BMP, dtype=bool)
    composes_after: set[int] = set(_HANGUL_VOWELS_TRAILS)
    for cp in range(_BMP):
        parts = unicodedata.decomposition(chr(cp)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            composes_after.add(int(parts[1], 16))
    for cp in range(_BMP):
        if 0xD800 <= cp <= 0xDFFF:
            slow[cp] = True
            continue
        out = unicodedata.normalize("NFKC", chr(cp)).translate(_PUNCT_FOLD)
        if (
            len(out) != 1
            or unicodedata.combining(chr(cp))
            or unicodedata.combining(out)
            or cp in composes_after
            or ord(out) in composes_after
        ):
            slow[cp] = True
            continue
        mapped[cp] = ord(out)
        space[cp] = out.isspace()
    return mapped, space, slow


@lru_cache(maxsize=4)  # exact_key and signature of one body share the work
def normalised_code_points(body: str) -> np.ndarray:
    """Code points (uint32) of ``normalise_reference(body)``, computed with numpy."""
    cps = np.frombuffer(body.encode("utf-32-le"), dtype=np.uint32)
    mapped, space, slow = _bmp_tables()
    if cps.size and (int(cps.max()) >= _BMP or slow[cps].any()):
        ref = normalise_reference(body)
        return np.frombuffer(ref.encode("utf-32-le"), dtype=np.uint32)
    return mapped[cps[~space[cps]]]


def normalise_for_dedup(body: str) -> str:
    """NFKC (folds full-width punctuation and digits), CJK punctuation folded, whitespace removed."""
    return normalised_code_points(body).astype("<u4").tobytes().decode("utf-32-le")


def exact_key(body: str) -> str:
    return hashlib.sha256(normalise_for_dedup(body).encode("utf-8")).hexdigest()


def signature(body: str) -> np.ndarray | None:
    """MinHash hash values (uint32 array, picklable) of the body's shingles.

    ``None`` for a body too short for near-duplicate matching.
    """
    cps = normalised_code_points(body)
    if cps.size < MIN_NEAR_CHARS:
        return None
    return minhash.hashvalues_cps(cps, SHINGLE_SIZE, NUM_PERM, SEED)


@lru_cache(maxsize=512)
def shingles(body: str) -> np.ndarray:
    """The body's shingle set (sorted unique 64-bit hashes, read-only), for exact Jaccard.

    Cached by body: a cluster's members are candidates of every new copy of its
    article, and their stored bodies would otherwise be hashed again each time.
    """
    found = np.unique(minhash.shingle_hashes64_cps(normalised_code_points(body), SHINGLE_SIZE))
    found.flags.writeable = False
    return found


def body_similarity(a: str, b: str) -> float:
    """Exact character-shingle Jaccard of two bodies: the measure ``dup_similarity`` holds."""
    if exact_key(a) == exact_key(b):
        return 1.0
    return round(minhash.jaccard(shingles(a), shingles(b)), 4)


def make_lsh(storage_config: dict[str, Any] | None = None) -> MinHashLSH:
    """The one place the LSH index is built.

    ``storage_config`` is datasketch's: ``None`` keeps it in memory; a Redis
    config (``{"type": "redis", "basename": b"...", "redis": {...}}``) shares
    it between ingests.
    """
    # Keys are raw bytes in Redis (the document's sha256, see shared_lsh), not pickles:
    # datasketch repeats a key once per band, so this is most of the index's size.
    lsh = MinHashLSH(
        threshold=LSH_THRESHOLD, num_perm=NUM_PERM, storage_config=storage_config, prepickle=False
    )
    if storage_config is None:
        # In memory: numpy band tables instead of datasketch's dict-of-sets (~12x smaller, see lsh_storage).
        lsh_storage.use_compact_storage(lsh)
    return lsh


def ensure_tables(db: sqlite_utils.Database) -> None:
    """The stored signatures: one row per document that has one (not exact duplicates)."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS minhashes ("
        "doc_id INTEGER PRIMARY KEY REFERENCES documents(id), sig BLOB NOT NULL)"
    )
    db.execute("CREATE TABLE IF NOT EXISTS dedup_params (name TEXT PRIMARY KEY, value TEXT NOT NULL)")


def _sig_blob(sig: np.ndarray) -> bytes:
    return sig.astype("<u4").tobytes()


def _blob_sig(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u4").astype(np.uint32)


_META_FIELDS = ("title", "published", "source", "editor", "site")
# Members are ranked as they were placed: a tail cut later against a near-duplicate
# (store/duplicate_tails.py, reason "duplicate…") neither flags the record nor
# shortens it, so that cut cannot change a cluster's canonical afterwards.
MEMBER_COLUMNS = (
    "id, title, published, source, editor, site, authors, fragmented, "
    f"CASE WHEN {offtopic_module.CUT_AGAINST_DUPLICATE_SQL} THEN NULL ELSE offtopic END, "
    f"CASE WHEN {offtopic_module.CUT_AGAINST_DUPLICATE_SQL} THEN offtopic_start + length(offtopic) "
    "ELSE length(body) END, "
    "exact_key, duplicate_of, dup_kind, dup_similarity"
)


@dataclass
class Member:
    """What the canonical rule needs to know about one document."""

    id: int
    metadata_fields: int
    flagged: bool
    body_chars: int
    exact_key: str | None
    duplicate_of: int | None
    dup_kind: str | None
    dup_similarity: float | None

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> Member:
        (doc_id, title, published, source, editor, site, authors, fragmented, offtopic) = row[:9]
        meta = sum(v not in (None, "") for v in (title, published, source, editor, site))
        meta += authors not in (None, "", "[]")
        return cls(
            id=doc_id,
            metadata_fields=meta,
            flagged=bool(fragmented) or offtopic is not None,
            body_chars=row[9] or 0,
            exact_key=row[10],
            duplicate_of=row[11],
            dup_kind=row[12],
            dup_similarity=row[13],
        )

    @classmethod
    def from_new_row(cls, doc_id: int, row: dict[str, Any]) -> Member:
        """The member a row about to be inserted will be: what ``MEMBER_COLUMNS`` reads back."""

        def sql_length(text: str | None) -> int | None:  # SQLite's length() stops at a NUL
            return None if text is None else len(text.partition("\x00")[0])

        offtopic, body_chars = row.get("offtopic"), sql_length(row.get("body"))
        if offtopic_module.cut_against_a_duplicate(row.get("offtopic_reason")):
            start, cut = row.get("offtopic_start"), sql_length(offtopic)
            offtopic, body_chars = None, None if start is None or cut is None else start + cut
        return cls.from_row(
            (doc_id, *(row.get(c) for c in ("title", "published", "source", "editor", "site")))
            + (row.get("authors"), row.get("fragmented"), offtopic, body_chars)
            + (row.get("exact_key"), None, None, None)
        )

    def usefulness(self) -> tuple[int, int, int, int]:
        """Sort key of the canonical rule: larger is more useful (see module docstring)."""
        return (self.metadata_fields, not self.flagged, self.body_chars, -self.id)


@dataclass
class Placement:
    """Where a new document goes: its own dedup columns, and the members it demoted."""

    cluster_id: int
    duplicate_of: int | None = None
    duplicate_of_sha256: str | None = None  # another machine's canonical (shared --lsh)
    dup_kind: str | None = None
    dup_similarity: float | None = None
    demoted: list[int] = field(default_factory=list)  # former canonicals now pointing at it

    @classmethod
    def remote(cls, doc_id: int, match: shared_lsh.RemoteMatch) -> Placement:
        """The closest match is another machine's record (``archive merge`` resolves it)."""
        return cls(
            doc_id, duplicate_of_sha256=match.sha256, dup_kind=match.kind, dup_similarity=match.similarity
        )

    def columns(self) -> dict[str, Any]:
        """The new row's dedup columns."""
        return {
            "cluster_id": self.cluster_id,
            "duplicate_of": self.duplicate_of,
            "duplicate_of_sha256": self.duplicate_of_sha256,
            "dup_kind": self.dup_kind,
            "dup_similarity": self.dup_similarity,
        }


class DedupIndex:
    """Assigns each new document to a cluster and keeps every cluster's canonical record.

    Opening the index rebuilds the LSH from the signatures stored in the
    archive (no body is hashed again), so an ingest finds duplicates among
    everything stored by earlier runs.
    """

    def __init__(self, db: sqlite_utils.Database, storage_config: dict[str, Any] | None = None) -> None:
        self.db = db
        self.conn = db.conn
        ensure_tables(db)
        self.lsh = make_lsh(storage_config)
        self._shared_lsh = storage_config is not None and storage_config.get("type", "dict") != "dict"
        # Shared by several machines (--lsh redis://...): keys are sha256, see shared_lsh.
        self.shared = (
            shared_lsh.SharedIndex(
                storage_config,
                self.lsh,
                {"signature": SIGNATURE_PARAMS, "lsh": LSH_THRESHOLD, "jaccard": JACCARD_THRESHOLD},
                SHINGLE_SIZE,
            )
            if self._shared_lsh
            else None
        )
        self._remote_candidates: list[str] = []
        self._check_params()
        self._load()

    # -- opening ---------------------------------------------------------------
    def _check_params(self) -> None:
        row = self.conn.execute("SELECT value FROM dedup_params WHERE name = 'signature'").fetchone()
        if row is not None and row[0] == SIGNATURE_PARAMS:
            return
        # Signatures made with other parameters (or an archive from before they
        # were stored) cannot be compared with new ones: recompute them from the
        # stored bodies, once, for the first document of every exact group.
        with self.conn:
            self.conn.execute("DELETE FROM minhashes")
            rows = self.conn.execute(
                "SELECT id, body FROM documents WHERE id IN (SELECT min(id) FROM documents GROUP BY exact_key)"
            ).fetchall()
            for doc_id, body in rows:
                sig = signature(body or "")
                if sig is not None:
                    self.conn.execute(
                        "INSERT INTO minhashes (doc_id, sig) VALUES (?, ?)", [doc_id, _sig_blob(sig)]
                    )
            self.conn.execute(
                "INSERT OR REPLACE INTO dedup_params (name, value) VALUES ('signature', ?)",
                [SIGNATURE_PARAMS],
            )

    def _load(self) -> None:
        if self.shared is not None:
            rows = self.conn.execute(
                "SELECT d.sha256, d.exact_key, m.sig, d.body FROM minhashes m JOIN documents d ON d.id = m.doc_id"
            )
            self.shared.load(
                (sha, key, sig, minhash.lean_minhash(sig, SEED), normalise_for_dedup(body or ""))
                for sha, key, sig, body in ((a, b, _blob_sig(c), d) for a, b, c, d in rows)
            )
            return
        rows = self.conn.execute(
            "SELECT m.doc_id, m.sig FROM minhashes m JOIN documents d ON d.id = m.doc_id"
        )
        self._insert_many((doc_id, _blob_sig(blob)) for doc_id, blob in rows)

    def _insert_many(self, items: Iterable[tuple[int, np.ndarray]]) -> None:
        with self.lsh.insertion_session() as session:
            for doc_id, sig in items:
                # A shared (Redis) index already holds what earlier runs inserted.
                if self._shared_lsh and doc_id in self.lsh:
                    continue
                session.insert(doc_id, minhash.lean_minhash(sig, SEED), check_duplication=False)

    # -- adding ------------------------------------------------------------------
    def add(self, doc_id: int, doc: ProcessedDocument) -> list[int]:
        """Cluster the already inserted row ``doc_id``; return the OTHER ids whose
        canonical status changed (the writer rewrites their outputs).

        ``place`` does the same for a row not inserted yet (the writer's path: the
        row is then inserted once with its final columns, which saves the full-text
        index a delete and a re-insert of the document).
        """
        (member,) = self._members("id = ?", [doc_id])
        placement = self.place(doc_id, doc, member)
        self.conn.execute(
            "UPDATE documents SET cluster_id = ?, duplicate_of = ?, duplicate_of_sha256 = ?, "
            "dup_kind = ?, dup_similarity = ? WHERE id = ?",
            [*placement.columns().values(), doc_id],
        )
        return placement.demoted

    def place(self, doc_id: int, doc: ProcessedDocument, member: Member) -> Placement:
        """Decide the cluster of a new document that will be stored as row ``doc_id``.

        ``member`` describes that row.  Writes everything but the row's own dedup
        columns (its signature, other members moved to it as their canonical,
        the LSH); the caller stores ``Placement.columns()`` with the row.
        """
        if self.shared is None:
            return self._place(doc_id, doc, member)
        # One machine at a time looks a document up and inserts it: copies stored at
        # the same moment on two machines cannot both miss each other.
        with self.shared.locked():
            return self._place(doc_id, doc, member)

    def _place(self, doc_id: int, doc: ProcessedDocument, member: Member) -> Placement:
        conn = self.conn
        self._remote_candidates = []
        # A signature means at least MIN_NEAR_CHARS normalised characters.
        normalised_empty = doc.signature is None and not normalise_for_dedup(doc.body)
        cluster_id: int | None = None
        own_shingles: np.ndarray | None = None
        if doc.exact_key and not normalised_empty:
            row = conn.execute(
                "SELECT cluster_id FROM documents WHERE exact_key = ? AND id != ? "
                "AND cluster_id IS NOT NULL LIMIT 1",
                [doc.exact_key, doc_id],
            ).fetchone()
            if row is not None:
                cluster_id = row[0]
            elif self.shared is not None:
                remote = self.shared.claim_exact(conn, doc.clean.sha256, doc.exact_key)
                if remote is not None:
                    return Placement.remote(doc_id, remote)
        sig = doc.signature
        if cluster_id is None and sig is not None and not normalised_empty:
            own_shingles = doc.shingles if doc.shingles is not None else shingles(doc.body)
            cluster_id = self._best_near_cluster(doc_id, doc.clean.sha256, sig, own_shingles)
            conn.execute(
                "INSERT OR REPLACE INTO minhashes (doc_id, sig) VALUES (?, ?)", [doc_id, _sig_blob(sig)]
            )
            # Inserted before the transaction commits: after a rollback the key
            # points at a missing (or reused) id, which the exact check of
            # every candidate against its stored body makes harmless.
            if self.shared is not None:
                lean = minhash.lean_minhash(sig, SEED)
                text = normalise_for_dedup(doc.body)
                self.shared.insert(doc.clean.sha256, sig, lean, doc.exact_key, text)
            else:
                self.lsh.insert(doc_id, minhash.lean_minhash(sig, SEED), check_duplication=False)
        if cluster_id is None:
            if self.shared is not None and own_shingles is not None and self._remote_candidates:
                remote = self.shared.best_remote(self._remote_candidates, own_shingles, JACCARD_THRESHOLD)
                if remote is not None:
                    return Placement.remote(doc_id, remote)
            return Placement(cluster_id=doc_id)
        own_shingles = own_shingles if own_shingles is not None else doc.shingles
        cache = {doc_id: own_shingles} if own_shingles is not None else {}
        return self._elect(cluster_id, member, cache, doc.body)

    def _best_near_cluster(self, doc_id: int, sha256: str, sig: np.ndarray, own: np.ndarray) -> int | None:
        worth = self._worth_checking(self._local_candidates(doc_id, sha256, sig), sig)
        if not worth:
            return None
        top_estimate, _, top_cluster = worth[0]
        rival = max((e for e, _, c in worth if c != top_cluster), default=0.0)
        if top_estimate >= CERTAIN_ESTIMATE and rival < top_estimate - CLEAR_LEAD:
            return top_cluster  # a copy beyond doubt, of one cluster only: no body read
        best: tuple[float, int] | None = None
        for _, cand, cluster_id in worth:
            (body,) = self.conn.execute("SELECT body FROM documents WHERE id = ?", [cand]).fetchone()
            sim = minhash.jaccard(own, shingles(body or ""))
            if sim >= JACCARD_THRESHOLD and (best is None or sim > best[0]):
                best = (sim, cluster_id)
        return None if best is None else best[1]

    def _worth_checking(self, candidates: list[int], sig: np.ndarray) -> list[tuple[float, int, int]]:
        """``(estimate, id, cluster_id)`` of the candidates worth checking, best estimate first.

        Every check reads and shingles a stored body, and an article syndicated a
        thousand times has a thousand near-copies in the LSH: checking all of them
        made each new copy cost more than the last.  The stored signatures
        estimate every candidate's Jaccard at once; a cluster gets at most
        ``CHECKS_PER_CLUSTER`` checks (its best estimates), and a candidate
        estimated below ``MIN_ESTIMATE`` none.
        """
        rows: list[tuple[int, int, bytes]] = []
        for start in range(0, len(candidates), 500):  # SQLite's bound-parameter limit
            batch = [int(c) for c in candidates[start : start + 500]]
            rows += self.conn.execute(
                "SELECT d.id, d.cluster_id, m.sig FROM documents d JOIN minhashes m ON m.doc_id = d.id "
                f"WHERE d.id IN ({', '.join('?' * len(batch))}) AND d.cluster_id IS NOT NULL",
                batch,
            ).fetchall()
        if not rows:
            return []
        stored = np.stack([_blob_sig(blob) for _, _, blob in rows])
        estimates = (stored == sig).mean(axis=1)
        picked: list[tuple[float, int, int]] = []
        per_cluster: dict[int, int] = {}
        for i in sorted(range(len(rows)), key=lambda i: (-estimates[i], rows[i][0])):
            doc, cluster_id, _ = rows[i]
            if estimates[i] < MIN_ESTIMATE:
                break
            if per_cluster.get(cluster_id, 0) < CHECKS_PER_CLUSTER:
                per_cluster[cluster_id] = per_cluster.get(cluster_id, 0) + 1
                picked.append((float(estimates[i]), doc, cluster_id))
        return picked

    def _local_candidates(self, doc_id: int, sha256: str, sig: np.ndarray) -> list[int]:
        """LSH candidates stored in this archive; other machines' ones are kept aside."""
        lean = minhash.lean_minhash(sig, SEED)
        if self.shared is None:
            return [c for c in self.lsh.query(lean) if c != doc_id]
        local, self._remote_candidates = self.shared.candidates(self.conn, lean, sha256)
        return local

    def _members(self, where: str, params: list[Any]) -> list[Member]:
        rows = self.conn.execute(f"SELECT {MEMBER_COLUMNS} FROM documents WHERE {where}", params)
        return [Member.from_row(r) for r in rows]

    def _similarity(
        self, a: Member, b: Member, cache: dict[int, np.ndarray], unstored: dict[int, str]
    ) -> tuple[str, float]:
        """Kind and similarity of two members; ``unstored`` holds bodies of rows not inserted yet."""
        if a.exact_key is not None and a.exact_key == b.exact_key:
            return "exact", 1.0
        for m in (a, b):
            if m.id not in cache:
                if m.id in unstored:
                    body = unstored[m.id]
                else:
                    (body,) = self.conn.execute("SELECT body FROM documents WHERE id = ?", [m.id]).fetchone()
                cache[m.id] = shingles(body or "")
        return "near", round(minhash.jaccard(cache[a.id], cache[b.id]), 4)

    def _elect(self, cluster_id: int, new: Member, cache: dict[int, np.ndarray], new_body: str) -> Placement:
        """Place the new member in its cluster; move the canonical to it if it is more useful."""
        unstored = {new.id: new_body}
        current = self._members("cluster_id = ? AND duplicate_of IS NULL AND id != ?", [cluster_id, new.id])
        if not current:  # cannot happen in a consistent archive; heal it rather than dangle
            current = self._members("cluster_id = ? AND id != ?", [cluster_id, new.id])
        if not current:
            return Placement(cluster_id=cluster_id)
        canonical = max(current, key=Member.usefulness)
        if canonical.usefulness() >= new.usefulness():
            kind, sim = self._similarity(new, canonical, cache, unstored)
            return Placement(cluster_id, duplicate_of=canonical.id, dup_kind=kind, dup_similarity=sim)
        # The newcomer is more useful: it becomes canonical and every member points at it.
        for member in self._members("cluster_id = ? AND id != ?", [cluster_id, new.id]):
            kind, sim = self._similarity(member, new, cache, unstored)
            self.conn.execute(
                "UPDATE documents SET duplicate_of = ?, dup_kind = ?, dup_similarity = ? WHERE id = ?",
                [new.id, kind, sim, member.id],
            )
        return Placement(cluster_id, demoted=[m.id for m in current])


def list_clusters(db: sqlite_utils.Database, min_size: int = 2) -> list[dict[str, Any]]:
    """Clusters with at least ``min_size`` members, largest first: canonical and members."""
    conn = db.conn
    sizes = conn.execute(
        "SELECT cluster_id, count(*) AS n FROM documents WHERE cluster_id IS NOT NULL "
        "GROUP BY cluster_id HAVING n >= ? ORDER BY n DESC, cluster_id",
        [min_size],
    ).fetchall()
    out: list[dict[str, Any]] = []
    for cluster_id, size in sizes:
        rows = conn.execute(
            "SELECT id, path, title, duplicate_of, dup_kind, dup_similarity FROM documents "
            "WHERE cluster_id = ? ORDER BY duplicate_of IS NOT NULL, id",
            [cluster_id],
        ).fetchall()
        members = [
            {
                "id": r[0],
                "path": r[1],
                "title": r[2],
                "duplicate_of": r[3],
                "dup_kind": r[4],
                "dup_similarity": r[5],
            }
            for r in rows
        ]
        canonical = next((m for m in members if m["duplicate_of"] is None), None)
        out.append(
            {
                "cluster_id": cluster_id,
                "size": size,
                "canonical": canonical,
                "members": [m for m in members if m is not canonical],
            }
        )
    return out
