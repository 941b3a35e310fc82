"""Memory and speed of the in-memory LSH: datasketch's dict storage vs archive.signals.lsh_storage.

    .venv/bin/python scripts/bench_lsh_memory.py                 # N = 10k and 100k
    .venv/bin/python scripts/bench_lsh_memory.py --n 1000000 --storages compact   # ~10 min, ~2 GB

Both indexes are ``MinHashLSH`` with the archive's parameters (``dedup.make_lsh``:
37 bands x 3 rows, 128 permutations, integer keys); only the storage differs.
Signatures are random, every 5th a copy of the previous one with 30-90 of its
128 values changed (near duplicates, so buckets hold more than one id).  Every
(storage, N) runs in a fresh process, one after the other:

- RSS delta: resident memory after inserting N documents minus before (the
  signatures are built first and are not counted); peak: the process's peak
  RSS (reset just before the inserts, /proc/self/clear_refs) minus the RSS
  before, so it includes the transient copies of a table being doubled;
- tracemalloc bytes per document (Python and numpy allocations), N <= 10k
  only (it is slow on the dict storage);
- insert time per document, one ``insert`` at a time (how ``DedupIndex.add``
  inserts) and through ``insertion_session`` (how an archive is reloaded);
  query time per document; both as CPU time of the process.
- candidates per query, which must be equal for the two storages.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from datasketch import MinHashLSH  # noqa: E402

from archive.signals import dedup, minhash  # noqa: E402

PROJECTED_DOCS = 1_000_000


def signatures(n: int, seed: int = 5) -> np.ndarray:
    rng = np.random.default_rng(seed)
    sigs = rng.integers(0, 2**32, size=(n, dedup.NUM_PERM), dtype=np.uint64).astype(np.uint32)
    for j in range(1, n, 5):
        sigs[j] = sigs[j - 1]
        changed = rng.choice(dedup.NUM_PERM, int(rng.integers(30, 91)), replace=False)
        sigs[j, changed] = rng.integers(0, 2**32, len(changed), dtype=np.uint64).astype(np.uint32)
    return sigs


def build(storage: str) -> MinHashLSH:
    if storage == "compact":
        return dedup.make_lsh()
    return MinHashLSH(threshold=dedup.LSH_THRESHOLD, num_perm=dedup.NUM_PERM, prepickle=False)


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize()


def reset_peak_rss() -> None:
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # resets VmHWM (Linux >= 4.0)


def peak_rss_bytes() -> int:
    with open("/proc/self/status") as f:
        line = next(x for x in f if x.startswith("VmHWM:"))
    return int(line.split()[1]) * 1024


def child(storage: str, n: int) -> dict[str, float]:
    lean = [minhash.lean_minhash(s, dedup.SEED) for s in signatures(n)]
    out: dict[str, float] = {"storage": storage, "n": n}  # type: ignore[dict-item]
    gc.collect()
    reset_peak_rss()
    rss0 = rss_bytes()
    lsh = build(storage)
    t = time.process_time()
    for i, m in enumerate(lean):
        lsh.insert(i, m, check_duplication=False)
    out["insert_us"] = (time.process_time() - t) / n * 1e6
    gc.collect()
    out["rss_per_doc"] = (rss_bytes() - rss0) / n
    out["peak_per_doc"] = (peak_rss_bytes() - rss0) / n
    t = time.process_time()
    candidates = sum(len(lsh.query(m)) for m in lean)
    out["query_us"] = (time.process_time() - t) / n * 1e6
    out["candidates"] = candidates / n
    del lsh
    gc.collect()
    lsh = build(storage)
    t = time.process_time()
    with lsh.insertion_session() as session:
        for i, m in enumerate(lean):
            session.insert(i, m, check_duplication=False)
    out["session_us"] = (time.process_time() - t) / n * 1e6
    del lsh
    gc.collect()
    if n <= 10_000:
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        lsh = build(storage)
        for i, m in enumerate(lean):
            lsh.insert(i, m, check_duplication=False)
        out["traced_per_doc"] = (tracemalloc.get_traced_memory()[0] - before) / n
        tracemalloc.stop()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", default="10000,100000")
    parser.add_argument("--storages", default="dict,compact")
    parser.add_argument("--child", nargs=2, metavar=("STORAGE", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], int(args.child[1]))))
        return
    rows = []
    for n in (int(x) for x in args.n.split(",")):
        for storage in args.storages.split(","):
            done = subprocess.run(
                [sys.executable, __file__, "--child", storage, str(n)],
                check=True,
                capture_output=True,
                text=True,
            )
            rows.append(json.loads(done.stdout))
    print(
        f"{'storage':8} {'N':>7} {'RSS B/doc':>10} {'peak B/doc':>10} {'traced B/doc':>12} "
        f"{'insert us':>9} {'session us':>10} {'query us':>8} {'cand/q':>7} {'1M docs':>8}"
    )
    for r in rows:
        traced = f"{r['traced_per_doc']:12.0f}" if "traced_per_doc" in r else f"{'-':>12}"
        print(
            f"{r['storage']:8} {r['n']:7d} {r['rss_per_doc']:10.0f} {r['peak_per_doc']:10.0f} {traced} "
            f"{r['insert_us']:9.1f} {r['session_us']:10.1f} {r['query_us']:8.1f} {r['candidates']:7.3f} "
            f"{r['rss_per_doc'] * PROJECTED_DOCS / 1e9:6.2f} GB"
        )
    by = {(r["storage"], r["n"]): r for r in rows}
    for n in sorted({r["n"] for r in rows}):
        if ("dict", n) not in by or ("compact", n) not in by:
            continue
        d, c = by[("dict", n)], by[("compact", n)]
        assert d["candidates"] == c["candidates"], "the two storages must return the same candidates"
        print(
            f"N={n}: compact/dict RSS per doc {c['rss_per_doc'] / d['rss_per_doc']:.3f}, "
            f"insert {c['insert_us'] / d['insert_us']:.2f}x, session {c['session_us'] / d['session_us']:.2f}x, "
            f"query {c['query_us'] / d['query_us']:.2f}x the dict storage's time"
        )


if __name__ == "__main__":
    main()
