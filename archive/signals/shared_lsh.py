"""The near-duplicate index in Redis, shared by ingest processes on several machines.

``archive ingest --lsh redis://HOST:PORT/DB`` keeps the MinHash LSH in Redis
through datasketch's own Redis storage (``MinHashLSH(storage_config={"type":
"redis", ...})``), so every machine, each writing its own archive shard, finds
duplicates across all shards.  What lives in Redis, under the prefix
``archive:lsh`` (``?prefix=NAME`` in the URL picks another):

- datasketch's keys: ``<prefix>_bucket_<band>`` hash tables (band hash → set of
  document keys) and ``<prefix>_keys`` (document key → its band hashes);
- ``<prefix>_docs``: document key → its MinHash hash values and exact key,
  because a machine must verify a candidate whose body it does not have (the
  body is in another shard): across shards similarity is the MinHash estimate;
- ``<prefix>_params``: threshold, num_perm, bands, rows, seed, shingle size;
  a process whose settings differ is refused instead of silently corrupting
  the index;
- ``<prefix>_lock``: held while one document is looked up and inserted, so two
  machines cannot both miss each other's copy of the same page.

A document key is the sha256 (hex) of its raw bytes: the one identity every
shard shares.  A local row id means nothing on another machine.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlparse

import numpy as np
import redis
from datasketch import LeanMinHash, MinHashLSH

from ..errors import ArchiveError

DEFAULT_PREFIX = "archive:lsh"
LOCK_TIMEOUT = 30.0  # seconds a crashed holder can block the others
LOCK_WAIT = 120.0


def storage_config(url: str) -> dict[str, Any]:
    """datasketch's ``storage_config`` for a ``redis://[:PASSWORD@]HOST[:PORT][/DB][?prefix=NAME]`` URL."""
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


@dataclass
class RemoteDoc:
    """What the shared index knows of a document stored by any machine."""

    sha256: str
    hashvalues: np.ndarray  # uint32 MinHash values
    exact_key: str | None


class SharedLsh:
    """A datasketch ``MinHashLSH`` on Redis plus the per-document records it needs.

    ``params`` are the settings every process sharing the index must agree on.
    """

    def __init__(self, url: str, lsh_kwargs: dict[str, Any], params: dict[str, Any]) -> None:
        self.config = storage_config(url)
        self.prefix: bytes = self.config["basename"]
        self.redis = redis.Redis(**self.config["redis"])
        try:
            self.redis.ping()
        except redis.RedisError as exc:
            raise ArchiveError(f"--lsh {url}: cannot reach Redis ({exc})") from exc
        # Keys are bytes (sha256 hex), not pickles: readable with redis-cli and smaller.
        self.lsh = MinHashLSH(storage_config=self.config, prepickle=False, **lsh_kwargs)
        self.params = {**params, "bands": self.lsh.b, "rows": self.lsh.r, "num_perm": self.lsh.h}
        self._check_params()
        self.docs_key = self.prefix + b"_docs"

    def _check_params(self) -> None:
        key = self.prefix + b"_params"
        mine = json.dumps(self.params, sort_keys=True)
        self.redis.set(key, mine, nx=True)
        theirs = self.redis.get(key)
        if theirs is not None and theirs.decode() != mine:
            raise ArchiveError(
                f"the shared LSH {self.prefix.decode()} was built with {theirs.decode()}, "
                f"this ingest uses {mine}: use the same settings or another ?prefix="
            )

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the index's lock: a lookup and the insert that follows it are one step."""
        lock = self.redis.lock(
            (self.prefix + b"_lock").decode(), timeout=LOCK_TIMEOUT, blocking_timeout=LOCK_WAIT
        )
        if not lock.acquire():
            raise ArchiveError(f"could not take the shared LSH lock in {LOCK_WAIT:.0f}s")
        try:
            yield
        finally:
            # Expired while we worked: nothing left to release.
            with suppress(redis.exceptions.LockError):
                lock.release()

    def query(self, minhash: LeanMinHash) -> list[str]:
        return [k.decode() for k in self.lsh.query(minhash)]

    def get(self, keys: list[str]) -> list[RemoteDoc]:
        """The records of ``keys`` (those the index has)."""
        if not keys:
            return []
        out = []
        for key, raw in zip(keys, self.redis.hmget(self.docs_key, keys), strict=True):
            if raw is not None:
                out.append(_unpack(key, raw))
        return out

    def __contains__(self, sha256: str) -> bool:
        return bool(self.redis.hexists(self.docs_key, sha256))

    def insert(self, sha256: str, minhash: LeanMinHash, exact_key: str | None) -> None:
        """Add a document; a key already there (a resumed run) is left as it is."""
        if sha256 in self:
            return
        self.lsh.insert(sha256.encode(), minhash, check_duplication=False)
        # The record last: a reader that finds the record finds the buckets too.
        self.redis.hset(self.docs_key, sha256, _pack(minhash.hashvalues, exact_key))

    def memory(self) -> dict[str, int]:
        info = self.redis.info("memory")
        return {"used_memory": int(info["used_memory"]), "documents": int(self.redis.hlen(self.docs_key))}


def _pack(hashvalues: np.ndarray, exact_key: str | None) -> bytes:
    key = bytes.fromhex(exact_key) if exact_key else b""
    return struct.pack(">B", len(key)) + key + np.asarray(hashvalues, dtype="<u4").tobytes()


def _unpack(sha256: str, raw: bytes) -> RemoteDoc:
    n = raw[0]
    key = raw[1 : 1 + n].hex() or None
    return RemoteDoc(sha256, np.frombuffer(raw[1 + n :], dtype="<u4").astype(np.uint32), key)
