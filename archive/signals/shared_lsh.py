"""The duplicate index in Redis, shared by ingest processes on several machines.

``archive ingest --lsh redis://HOST:PORT/DB`` keeps the MinHash LSH in Redis
through datasketch's own Redis storage (``MinHashLSH(storage_config={"type":
"redis", ...})``, built by ``signals.dedup.make_lsh``), so every machine,
each writing its own archive shard, finds duplicates across all shards.

Identity: a local row id means nothing on another machine, so in Redis a
document is the SHA-256 of its raw bytes (32 raw bytes, not hex, to halve the
keys datasketch repeats once per band).  What lives in Redis under the prefix
(``archive:lsh``; ``?prefix=NAME`` in the URL picks another):

- datasketch's own keys: ``<prefix>_bucket_<band>`` (band hash → set of
  documents) and ``<prefix>_keys`` (document → its band hashes);
- ``<prefix>_docs``: document → its exact key, MinHash values and normalised
  body (zlib).  A machine must verify a candidate whose row is in another
  shard; with the body at hand it applies the same exact shingle Jaccard test
  as to a local candidate, so a shard decides a pair as one ingest would;
- ``<prefix>_exact``: exact key → the first document stored with that
  normalised body, claimed atomically (HSETNX): exact duplicates across shards
  are found even for bodies too short for a signature;
- ``<prefix>_params``: the dedup parameters; a process whose parameters differ
  is refused instead of silently mixing incomparable signatures;
- ``<prefix>_lock``: held while one document is looked up and inserted, so two
  machines storing copies of one page at the same moment cannot both miss
  each other (the later one always sees the earlier).

A document whose closest match was stored by another machine keeps
``duplicate_of`` NULL in its shard (local ids cannot point there) and names
the match in ``duplicate_of_sha256``; ``archive merge`` resolves it.
"""

from __future__ import annotations

import json
import sqlite3
import struct
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlparse

import numpy as np
import redis
from datasketch import LeanMinHash, MinHashLSH
from redis.backoff import NoBackoff
from redis.retry import Retry

from ..errors import ArchiveError
from . import minhash

DEFAULT_PREFIX = "archive:lsh"
LOCK_TIMEOUT = 30.0  # seconds after which a crashed holder's lock expires
LOCK_WAIT = 120.0


def storage_config(url: str) -> dict[str, Any]:
    """datasketch's ``storage_config`` for ``redis://[:PASSWORD@]HOST[:PORT][/DB][?prefix=NAME]``."""
    parts = urlparse(url)
    if parts.scheme not in ("redis", "rediss"):
        raise ArchiveError(f"--lsh {url}: expected redis://HOST:PORT/DB")
    try:
        db = int(parts.path.lstrip("/") or 0)
        port = parts.port or 6379
    except ValueError as exc:
        raise ArchiveError(f"--lsh {url}: {exc}") from exc
    conn: dict[str, Any] = {"host": parts.hostname or "localhost", "port": port, "db": db}
    if parts.password:
        conn["password"] = parts.password
    if parts.scheme == "rediss":
        conn["ssl"] = True
    prefix = parse_qs(parts.query).get("prefix", [DEFAULT_PREFIX])[0]
    return {"type": "redis", "basename": prefix.encode("utf-8"), "redis": conn}


def is_shared(config: dict[str, Any] | None) -> bool:
    return config is not None and config.get("type", "dict") == "redis"


def key_of(sha256: str) -> bytes:
    """The LSH key of a document: its raw-bytes SHA-256, as 32 bytes."""
    return bytes.fromhex(sha256)


@dataclass
class RemoteDoc:
    """What the shared index knows of a document stored by any machine."""

    sha256: str
    exact_key: str | None
    hashvalues: np.ndarray  # uint32 MinHash values
    text: str  # the normalised body (``dedup.normalise_for_dedup``), for the exact Jaccard


@dataclass
class RemoteMatch:
    sha256: str
    kind: str  # exact | near
    similarity: float


class SharedIndex:
    """The Redis side of ``DedupIndex``: records, exact keys, lock, parameter check.

    ``lsh`` is the datasketch index built on the same ``config`` (keys: ``key_of``).
    """

    def __init__(
        self, config: dict[str, Any], lsh: MinHashLSH, params: dict[str, Any], shingle_size: int
    ) -> None:
        self.shingle_size = shingle_size
        self.prefix: bytes = config["basename"]
        self.lsh = lsh
        self.redis = redis.Redis(**config["redis"])
        where = f"{config['redis']['host']}:{config['redis']['port']}/{config['redis']['db']}"
        # One quick probe (no retries) so a wrong address fails at once, clearly.
        probe = redis.Redis(**config["redis"], retry=Retry(NoBackoff(), 0))
        try:
            probe.ping()
        except redis.RedisError as exc:
            raise ArchiveError(f"--lsh: cannot reach Redis at {where} ({exc})") from exc
        finally:
            probe.close()
        self.docs_key = self.prefix + b"_docs"
        self.exact_key = self.prefix + b"_exact"
        self.params = {**params, "bands": lsh.b, "rows": lsh.r, "num_perm": lsh.h}
        self._check_params()

    def _check_params(self) -> None:
        key = self.prefix + b"_params"
        mine = json.dumps(self.params, sort_keys=True)
        self.redis.set(key, mine, nx=True)
        theirs = (self.redis.get(key) or b"").decode()
        if theirs != mine:
            raise ArchiveError(
                f"the shared LSH {self.prefix.decode()} was built with {theirs}, this ingest uses "
                f"{mine}: use the same version and settings, or another ?prefix="
            )

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the index's lock: a lookup and the insert that follows it are one step."""
        lock = self.redis.lock(
            (self.prefix + b"_lock").decode(), timeout=LOCK_TIMEOUT, blocking_timeout=LOCK_WAIT
        )
        if not lock.acquire():
            raise ArchiveError(f"could not take the shared LSH lock within {LOCK_WAIT:.0f}s")
        try:
            yield
        finally:
            with suppress(redis.exceptions.LockError):  # expired while we worked
                lock.release()

    # -- exact duplicates --------------------------------------------------------
    def claim_exact(self, conn: sqlite3.Connection, sha256: str, exact_key: str) -> RemoteMatch | None:
        """Register ``sha256`` as the first copy of ``exact_key``, or return the other
        machine's first copy when there is one."""
        key = key_of(exact_key)
        if self.redis.hsetnx(self.exact_key, key, key_of(sha256)):
            return None
        first = (self.redis.hget(self.exact_key, key) or b"").hex()
        if not first or first == sha256 or _local_id(conn, first) is not None:
            return None  # ourselves (a resumed run), or a copy this shard has
        return RemoteMatch(first, "exact", 1.0)

    # -- near duplicates ---------------------------------------------------------
    def candidates(
        self, conn: sqlite3.Connection, lean: LeanMinHash, sha256: str
    ) -> tuple[list[int], list[str]]:
        """LSH candidates split into local row ids and other machines' documents."""
        local: list[int] = []
        remote: list[str] = []
        for key in self.query(lean):
            cand = key.hex()
            if cand == sha256:
                continue
            doc_id = _local_id(conn, cand)
            if doc_id is None:
                remote.append(cand)
            else:
                local.append(doc_id)
        return local, remote

    def _band_hashes(self, lean: LeanMinHash) -> list[bytes]:
        return [self.lsh._H(lean.hashvalues[start:end]) for start, end in self.lsh.hashranges]

    def query(self, lean: LeanMinHash) -> set[bytes]:
        """``MinHashLSH.query`` in one round trip.

        datasketch asks Redis band by band (37 round trips); this sends the same
        reads, made by datasketch's own storage objects, as one pipeline.
        """
        pipe = self.redis.pipeline(transaction=False)
        for band_hash, table in zip(self._band_hashes(lean), self.lsh.hashtables, strict=True):
            table._get_items(pipe, table.redis_key(band_hash))
        found: set[bytes] = set()
        for members in pipe.execute():
            found.update(members)
        return found

    def best_remote(self, shas: list[str], own_shingles: np.ndarray, threshold: float) -> RemoteMatch | None:
        """The most similar of other machines' candidates, by the exact shingle Jaccard
        (the same test a local candidate passes), from the normalised body in its record."""
        best: RemoteMatch | None = None
        for doc in self.records(shas):
            other = minhash.shingle_set(doc.text, self.shingle_size)
            sim = round(minhash.jaccard(own_shingles, other), 4)
            if sim >= threshold and (best is None or sim > best.similarity):
                best = RemoteMatch(doc.sha256, "near", sim)
        return best

    def records(self, shas: list[str]) -> list[RemoteDoc]:
        if not shas:
            return []
        raws = self.redis.hmget(self.docs_key, [key_of(s) for s in shas])
        return [_unpack(s, raw) for s, raw in zip(shas, raws, strict=True) if raw is not None]

    def insert(
        self, sha256: str, hashvalues: np.ndarray, lean: LeanMinHash, exact_key: str | None, text: str
    ) -> None:
        """Add a document; one already there (a resumed run) is left as it is."""
        key = key_of(sha256)
        if self.redis.hexists(self.docs_key, key):
            return
        # ``MinHashLSH.insert`` as one MULTI/EXEC: datasketch's own storage objects
        # write into a single pipeline (datasketch sends 2 commands per band, one
        # round trip each), and the record goes in with the buckets, atomically.
        band_hashes = self._band_hashes(lean)
        pipe = self.redis.pipeline(transaction=True)
        self.lsh.keys._insert(pipe, key, *band_hashes)
        for band_hash, table in zip(band_hashes, self.lsh.hashtables, strict=True):
            table._insert(pipe, band_hash, key)
        pipe.hset(self.docs_key, key, _pack(hashvalues, exact_key, text))
        pipe.execute()

    def load(self, rows: Iterator[tuple[str, str | None, np.ndarray, LeanMinHash, str]]) -> int:
        """Insert this shard's stored signatures that Redis lacks (a new or flushed Redis).

        Checked a thousand at a time: a resumed ingest of a big shard must not pay
        one round trip per stored document before it starts.
        """
        n = 0
        for chunk in _chunks(rows, 1000):
            pipe = self.redis.pipeline(transaction=False)
            for sha256, *_rest in chunk:
                pipe.hexists(self.docs_key, key_of(sha256))
            for (sha256, exact_key, hashvalues, lean, text), present in zip(
                chunk, pipe.execute(), strict=True
            ):
                if present:
                    continue
                self.insert(sha256, hashvalues, lean, exact_key, text)
                if exact_key:
                    self.redis.hsetnx(self.exact_key, key_of(exact_key), key_of(sha256))
                n += 1
        return n

    def memory(self) -> dict[str, int]:
        info = self.redis.info("memory")
        return {"used_memory": int(info["used_memory"]), "documents": int(self.redis.hlen(self.docs_key))}


def _chunks(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _local_id(conn: sqlite3.Connection, sha256: str) -> int | None:
    row = conn.execute("SELECT id FROM documents WHERE sha256 = ?", [sha256]).fetchone()
    return None if row is None else int(row[0])


def _pack(hashvalues: np.ndarray, exact_key: str | None, text: str) -> bytes:
    """exact key (length-prefixed), MinHash values (length-prefixed), zlib(normalised body)."""
    key = bytes.fromhex(exact_key) if exact_key else b""
    values = np.asarray(hashvalues, dtype="<u4").tobytes()
    return struct.pack("<BH", len(key), len(values)) + key + values + zlib.compress(text.encode("utf-8"), 6)


def _unpack(sha256: str, raw: bytes) -> RemoteDoc:
    nkey, nvalues = struct.unpack_from("<BH", raw)
    at = struct.calcsize("<BH")
    key = raw[at : at + nkey].hex() or None
    at += nkey
    values = np.frombuffer(raw[at : at + nvalues], dtype="<u4").astype(np.uint32)
    text = zlib.decompress(raw[at + nvalues :]).decode("utf-8")
    return RemoteDoc(sha256, key, values, text)
