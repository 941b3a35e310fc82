"""Memory and speed of the shared LSH in Redis, per document (figures for docs/scale.md).

Starts a throw-away redis-server, then for each N inserts N real signatures
(3-shingle MinHash of synthetic pages built from ../shared/corpus, 15% planted
duplicates) the way ``archive ingest --lsh`` does: under the shared lock, look
up the candidates, fetch the other machines' records, insert (datasketch's own
Redis storage, via ``signals.dedup.make_lsh``), and reads ``INFO memory``.

In the same run it measures the in-process LSH (datasketch dict storage, the
default without ``--lsh``) on the same signatures with tracemalloc, so the
ratio Redis/in-process is measured, not assumed.

    .venv/bin/python scripts/bench_redis_lsh.py            # N = 10k and 50k
    .venv/bin/python scripts/bench_redis_lsh.py --sizes 2000
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sqlite3
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

import redis
import synth
from redis_server import running_redis

from archive.signals import dedup, minhash, shared_lsh


def unique_bodies(n: int, seed: int) -> list[str]:
    """n distinct articles of 10-18 paragraphs (~1,500 characters, a news page) drawn at random from the whole corpus.

    ``synth.generate`` past the corpus's ~1,050 articles recombines them, so its
    pages share whole paragraphs (and LSH buckets) far more than a real crawl;
    random draws from ~13k paragraphs share few.
    """
    rng = random.Random(seed)
    paragraphs = [p for a in synth.load_articles(min_chars=0, max_chars=10**9) for p in a.paragraphs]
    return ["\n\n".join(rng.sample(paragraphs, rng.randint(10, 18))) for _ in range(n)]


def signatures(n: int, seed: int, unique: bool) -> list[tuple[str, str, object, str]]:
    """(sha256, exact_key, signature, normalised text) of n documents (those long enough)."""
    out = []
    bodies = unique_bodies(n, seed) if unique else [p.content for p in synth.generate(n, seed=seed)]
    for body in bodies:
        sig = dedup.signature(body)
        if sig is not None:
            sha = hashlib.sha256(body.encode("utf-8")).hexdigest()
            out.append((sha, dedup.exact_key(body), sig, dedup.normalise_for_dedup(body)))
    return out


def bench_redis(url: str, docs: list, with_lock: bool) -> dict[str, float]:
    """Each call on its own empty Redis database (no FLUSHDB of millions of keys in between)."""
    client = redis.Redis.from_url(url, socket_timeout=None)
    assert client.dbsize() == 0, f"{url} is not empty"
    base = int(client.info("memory")["used_memory"])
    config = shared_lsh.storage_config(url)
    lsh = dedup.make_lsh(config)
    index = shared_lsh.SharedIndex(
        config, lsh, {"signature": dedup.SIGNATURE_PARAMS, "bench": True}, dedup.SHINGLE_SIZE
    )
    conn = sqlite3.connect(":memory:")  # no local rows: every candidate is another machine's
    conn.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, sha256 TEXT UNIQUE)")
    candidates = 0
    commands = int(client.info("stats")["total_commands_processed"])
    t0 = time.perf_counter()
    for sha, key, sig, text in docs:
        lean = minhash.lean_minhash(sig, dedup.SEED)
        if with_lock:
            with index.locked():
                index.claim_exact(conn, sha, key)
                _local, remote = index.candidates(conn, lean, sha)
                index.best_remote(remote, dedup.shingles(text), dedup.JACCARD_THRESHOLD)
                index.insert(sha, sig, lean, key, text)
        else:
            _local, remote = index.candidates(conn, lean, sha)
            index.insert(sha, sig, lean, key, text)
        candidates += len(remote)
    secs = time.perf_counter() - t0
    commands = int(client.info("stats")["total_commands_processed"]) - commands - 1
    used = int(client.info("memory")["used_memory"]) - base
    keys = int(client.dbsize())
    return {
        "docs_per_s": len(docs) / secs,
        "ms_per_doc": secs * 1000 / len(docs),
        "bytes_per_doc": used / len(docs),
        "keys_per_doc": keys / len(docs),
        "record_bytes": sum(len(shared_lsh._pack(sig, key, text)) for _sha, key, sig, text in docs)
        / len(docs),
        "commands_per_doc": commands / len(docs),
        "candidates_per_doc": candidates / len(docs),
        "bands": lsh.b,
        "rows": lsh.r,
    }


def ping_ms(url: str, n: int = 300) -> float:
    """Median round trip of PING: the unit the per-document cost is made of."""
    client = redis.Redis.from_url(url)
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        client.ping()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def bench_memory_lsh(docs: list) -> dict[str, float]:
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    lsh = dedup.make_lsh(None)
    t0 = time.perf_counter()
    for i, (_sha, _key, sig, _text) in enumerate(docs):
        lean = minhash.lean_minhash(sig, dedup.SEED)
        lsh.query(lean)
        lsh.insert(i, lean, check_duplication=False)
    secs = time.perf_counter() - t0
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return {"docs_per_s": len(docs) / secs, "bytes_per_doc": used / len(docs)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000])
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument(
        "--docs",
        choices=["unique", "synth"],
        default="unique",
        help="random paragraph draws (a crawl of distinct pages) or synth.py pages (15%% planted "
        "duplicates; recombined past ~1,050 articles)",
    )
    ap.add_argument("--no-unlocked", action="store_true", help="skip the run without the lock")
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp, running_redis(Path(tmp)) as url:
        server = redis.Redis.from_url(url).info("server")["redis_version"]
        for n in args.sizes:
            t0 = time.perf_counter()
            docs = signatures(n, args.seed, args.docs == "unique")
            sig_secs = time.perf_counter() - t0
            base_url = url.rsplit("/", 1)[0]
            locked = bench_redis(f"{base_url}/{2 * len(rows) + 1}", docs, with_lock=True)
            bare = (
                {"docs_per_s": float("nan")}
                if args.no_unlocked
                else bench_redis(f"{base_url}/{2 * len(rows) + 2}", docs, with_lock=False)
            )
            local = bench_memory_lsh(docs)
            rows.append((n, len(docs), sig_secs, locked, bare, local, ping_ms(url)))
    print(f"redis-server {server}, 127.0.0.1 (loopback), one client process, {os.cpu_count()} cores")
    print(f"LSH: {rows[0][3]['bands']} bands x {rows[0][3]['rows']} rows, 128 perm, keys = 32-byte sha256")
    print(
        f"{'N':>7} {'Redis B/doc':>11} {'record B':>8} {'keys/doc':>8} {'cmds/doc':>8} {'cands/doc':>9} "
        f"{'ping ms':>7} {'ms/doc':>6} {'docs/s':>6} {'no lock':>7} "
        f"{'in-proc B/doc':>13} {'in-proc docs/s':>14} {'Redis/in-proc B':>15}"
    )
    for n, _m, _sig_secs, locked, bare, local, ping in rows:
        print(
            f"{n:>7} {locked['bytes_per_doc']:>11.0f} {locked['record_bytes']:>8.0f} "
            f"{locked['keys_per_doc']:>8.1f} "
            f"{locked['commands_per_doc']:>8.1f} {locked['candidates_per_doc']:>9.2f} {ping:>7.3f} "
            f"{locked['ms_per_doc']:>6.2f} {locked['docs_per_s']:>6.0f} {bare['docs_per_s']:>7.0f} "
            f"{local['bytes_per_doc']:>13.0f} {local['docs_per_s']:>14.0f} "
            f"{locked['bytes_per_doc'] / local['bytes_per_doc']:>15.2f}"
        )
    locked, local = rows[-1][3], rows[-1][5]
    print(
        f"extrapolated to 100M documents: Redis {locked['bytes_per_doc'] * 1e8 / 2**30:.0f} GiB, "
        f"in-process {local['bytes_per_doc'] * 1e8 / 2**30:.0f} GiB; at the measured rate one "
        f"ingest process needs {1e8 / locked['docs_per_s'] / 86400:.1f} days of Redis time for 100M"
    )


if __name__ == "__main__":
    main()
