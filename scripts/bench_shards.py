"""K concurrent ``archive ingest --lsh`` processes (one shard each) + ``archive merge``,
against one ingest of everything without Redis, in the same run (figures for docs/scale.md).

Generates N synthetic pages from ../shared/corpus (15% planted duplicates), deals
them into K folders, starts a throw-away redis-server, runs the K ingests at once
(each ``--jobs 1``: on one box the K processes are the parallelism), merges the
shards, and checks the merged archive against the single ingest (same records,
same clusters).  Prints wall times, pages/s, Redis memory per document.

    .venv/bin/python scripts/bench_shards.py --pages 4000 --shards 2
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis
import synth
from redis_server import running_redis


def ingest_cmd(paths: list[str], db: str, cleaned: str, jobs: int, lsh: str | None = None) -> list[str]:
    cmd = [sys.executable, "-m", "archive.cli", "ingest", *paths, "--db", db, "--cleaned", cleaned]
    cmd += ["--jobs", str(jobs), "--quiet"]
    return cmd + (["--lsh", lsh] if lsh else [])


def clusters(db: Path) -> set[frozenset[str]]:
    conn = sqlite3.connect(db)
    groups: dict[int, set[str]] = {}
    for cluster_id, sha in conn.execute("SELECT cluster_id, sha256 FROM documents"):
        groups.setdefault(cluster_id, set()).add(sha)
    conn.close()
    return {frozenset(g) for g in groups.values()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=4000)
    ap.add_argument("--shards", type=int, default=2)
    ap.add_argument("--seed", type=int, default=21)
    ap.add_argument("--keep", type=Path, help="work in this (new) folder and keep it")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        if args.keep:
            args.keep.mkdir(parents=True)
            root = args.keep
        names = [f"S{k}" for k in range(args.shards)]
        for i, page in enumerate(synth.generate(args.pages, seed=args.seed, html_share=0.2)):
            folder = root / names[i % args.shards]
            folder.mkdir(exist_ok=True)
            (folder / page.name).write_text(page.content, encoding="utf-8")

        t0 = time.perf_counter()
        subprocess.run(ingest_cmd(names, "single.db", "single_out", jobs=args.shards), cwd=root, check=False)
        single_s = time.perf_counter() - t0

        with running_redis(root / "redis") as url:
            client = redis.Redis.from_url(url)
            base = int(client.info("memory")["used_memory"])
            t0 = time.perf_counter()
            procs = [
                subprocess.Popen(ingest_cmd([n], f"{n}.db", f"{n}_out", jobs=1, lsh=url), cwd=root)
                for n in names
            ]
            for p in procs:
                p.wait()
            shards_s = time.perf_counter() - t0
            used = int(client.info("memory")["used_memory"]) - base
            in_lsh = int(client.hlen("archive:lsh_docs"))
            exact_keys = int(client.hlen("archive:lsh_exact"))

        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "archive.cli", "merge", *[f"{n}.db" for n in names]]
            + ["--into", "merged.db", "--cleaned", "merged_out"],
            cwd=root,
            check=True,
        )
        merge_s = time.perf_counter() - t0

        cross = sum(
            sqlite3.connect(root / f"{n}.db")
            .execute("SELECT count(duplicate_of_sha256) FROM documents")
            .fetchone()[0]
            for n in names
        )
        merged_clusters, single_clusters = clusters(root / "merged.db"), clusters(root / "single.db")
        same = merged_clusters == single_clusters
        differing = merged_clusters ^ single_clusters
        moved = sum(len(c) for c in merged_clusters - single_clusters)
        conn = sqlite3.connect(root / "merged.db")
        docs, dups = conn.execute("SELECT count(*), count(duplicate_of) FROM documents").fetchone()
        conn.close()

    print(f"{args.pages} pages, {args.shards} shards, {docs} records, {dups} duplicates")
    print(f"{'run':<44} {'wall s':>8} {'pages/s':>8}")
    print(
        f"{'one ingest, no Redis, --jobs ' + str(args.shards):<44} {single_s:>8.1f} {args.pages / single_s:>8.0f}"
    )
    print(
        f"{f'{args.shards} concurrent ingests --lsh, --jobs 1 each':<44} {shards_s:>8.1f} {args.pages / shards_s:>8.0f}"
    )
    print(f"{'merge':<44} {merge_s:>8.1f} {args.pages / merge_s:>8.0f}")
    print(f"cross-shard links found by the shards: {cross}; merged clusters == single ingest: {same}")
    if not same:
        print(
            f"  {len(merged_clusters - single_clusters)} merged clusters ({moved} records) differ from "
            f"{len(single_clusters - merged_clusters)} of the single ingest's ({len(differing)} in all)"
        )
    print(
        f"Redis: {used / 2**20:.1f} MiB for {in_lsh} signatures + {exact_keys} exact keys = "
        f"{used / max(in_lsh, 1):.0f} bytes per signed document"
    )


if __name__ == "__main__":
    main()
