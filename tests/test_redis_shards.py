"""Two ingest processes share one LSH in a real redis-server; their shards merge exactly.

The server is started on 127.0.0.1 on a free port (installed from the
distribution's packages when missing: scripts/install_system_deps.sh redis) and
stopped at teardown.  No mock Redis.
"""

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import redis
import synth
from click.testing import CliRunner
from redis_server import running_redis

from archive.cli import cli
from archive.signals import dedup, minhash, shared_lsh
from archive.store import fts
from archive.store.writer import open_db

IGNORED_COLUMNS = {"ingested_at"}


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    with running_redis(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture
def fresh_redis(redis_url):
    redis.Redis.from_url(redis_url).flushdb()
    return redis_url


def write_split_crawl(root: Path, n: int = 90, seed: int = 11) -> dict[str, Path]:
    """Synthetic pages dealt alternately into A/ and B/, so planted duplicates often sit
    in the other folder than their original.  Returns {page name: file}."""
    files = {}
    for i, page in enumerate(synth.generate(n, seed=seed, html_share=0.2, dup_share=0.3)):
        folder = root / ("A" if i % 2 == 0 else "B")
        folder.mkdir(parents=True, exist_ok=True)
        f = folder / page.name
        f.write_text(page.content, encoding="utf-8")
        files[page.name] = f
    return files


def ingest_cmd(paths, db, cleaned, lsh=None):
    cmd = [sys.executable, "-m", "archive.cli", "ingest", *map(str, paths), "--db", str(db)]
    cmd += ["--cleaned", str(cleaned), "--jobs", "1", "--batch-size", "5", "--quiet"]
    if lsh:
        cmd += ["--lsh", lsh]
    return cmd


def run(cmd, cwd):
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    return proc


def snapshot(db: Path, cleaned: Path):
    """Rows (every column but the ingest time, the canonical named by sha256), and files."""
    conn = sqlite3.connect(db)
    cols = [r[1] for r in conn.execute("PRAGMA table_info(documents)") if r[1] not in IGNORED_COLUMNS]
    rows = conn.execute(
        f"SELECT {', '.join('d.' + c for c in cols)}, c.sha256 FROM documents d "
        "LEFT JOIN documents c ON c.id = d.duplicate_of ORDER BY d.id"
    ).fetchall()
    conn.close()
    files = {f.name: f.read_bytes() for f in sorted(cleaned.iterdir())}
    return [dict(zip([*cols, "canonical_sha256"], r, strict=True)) for r in rows], files


def clusters(rows) -> set[frozenset[str]]:
    by_cluster: dict[int, set[str]] = {}
    for r in rows:
        by_cluster.setdefault(r["cluster_id"], set()).add(r["sha256"])
    return {frozenset(s) for s in by_cluster.values()}


def check_pointers(db: Path) -> None:
    """No dangling duplicate_of, no chain, one canonical per cluster, index in step."""
    conn = sqlite3.connect(db)
    bad = conn.execute(
        "SELECT count(*) FROM documents d LEFT JOIN documents c ON c.id = d.duplicate_of "
        "WHERE d.duplicate_of IS NOT NULL AND (c.id IS NULL OR c.duplicate_of IS NOT NULL "
        "OR c.cluster_id != d.cluster_id)"
    ).fetchone()[0]
    assert bad == 0
    per_cluster = conn.execute(
        "SELECT cluster_id, sum(duplicate_of IS NULL) FROM documents GROUP BY cluster_id"
    ).fetchall()
    assert all(n == 1 for _, n in per_cluster)
    conn.close()
    conn = open_db(db).conn
    assert fts.misplaced_count(conn) == 0  # the search index follows duplicate_of
    conn.close()


def test_two_concurrent_shards_find_cross_shard_duplicates_and_merge_exactly(tmp_path, fresh_redis):
    files = write_split_crawl(tmp_path)
    # The reference: one ingest of both folders, no Redis.
    run(ingest_cmd(["A", "B"], "single.db", "single_out"), tmp_path)

    # Two machines: concurrent processes, one shard each, one shared LSH.
    procs = [
        subprocess.Popen(
            ingest_cmd([name], f"{name}.db", f"{name}_out", lsh=fresh_redis),
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("A", "B")
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode in (0, 1), err
    # The two runs overlapped in time (each shard's journal, to the second).
    spans = {}
    for name in "AB":
        conn = sqlite3.connect(tmp_path / f"{name}.db")
        spans[name] = conn.execute("SELECT started_at, finished_at FROM ingest_runs").fetchone()
        conn.close()
    assert spans["A"][0] <= spans["B"][1] and spans["B"][0] <= spans["A"][1], spans

    # Each shard only holds its own folder's pages ...
    shard_rows = {name: snapshot(tmp_path / f"{name}.db", tmp_path / f"{name}_out")[0] for name in "AB"}
    assert all(r["path"].startswith("A/") for r in shard_rows["A"])
    assert all(r["path"].startswith("B/") for r in shard_rows["B"])
    # ... and knows which of them duplicate a record the other machine stored.
    shas = {name: {r["sha256"] for r in rows} for name, rows in shard_rows.items()}
    cross = [
        (name, r["sha256"], r["duplicate_of_sha256"])
        for name, rows in shard_rows.items()
        for r in rows
        if r["duplicate_of_sha256"]
    ]
    assert cross, "no duplicate split across the shards was found"
    for name, _sha, target in cross:
        other = "B" if name == "A" else "A"
        assert target in shas[other]

    # The crawl does plant duplicates whose original went to the other folder.
    pages = list(synth.generate(len(files), seed=11, html_share=0.2, dup_share=0.3))
    original = {p.article_no: p.name for p in pages if p.duplicate_of_article is None}
    split_pairs = [
        (original[p.duplicate_of_article], p.name)
        for p in pages
        if p.duplicate_of_article is not None
        and files[original[p.duplicate_of_article]].parent != files[p.name].parent
    ]
    assert len(split_pairs) >= 3

    result = CliRunner().invoke(
        cli,
        ["merge", str(tmp_path / "A.db"), str(tmp_path / "B.db"), "--into", str(tmp_path / "merged.db")]
        + ["--cleaned", str(tmp_path / "merged_out"), "--json"],
    )
    assert result.exit_code == 0, result.output
    check_pointers(tmp_path / "merged.db")

    single_rows, single_files = snapshot(tmp_path / "single.db", tmp_path / "single_out")
    merged_rows, merged_files = snapshot(tmp_path / "merged.db", tmp_path / "merged_out")
    assert [r["sha256"] for r in merged_rows] == [r["sha256"] for r in single_rows]
    assert clusters(merged_rows) == clusters(single_rows)
    # The split pairs are clustered (by the single ingest, and so by the merge).
    cluster_of = {sha: c for c in clusters(single_rows) for sha in c}
    sha_of = {Path(r["path"]).name: r["sha256"] for r in single_rows}
    found = [a for a, b in split_pairs if cluster_of[sha_of[a]] == cluster_of[sha_of[b]]]
    assert len(found) >= len(split_pairs) - 1, (found, split_pairs)
    canon = {r["sha256"]: r["canonical_sha256"] for r in single_rows}
    assert {r["sha256"]: r["canonical_sha256"] for r in merged_rows} == canon
    # Row for row the same archive (ids, bodies, dup kinds), and the same cleaned/ files.
    skip = {"duplicate_of_sha256"}
    assert [{k: v for k, v in r.items() if k not in skip} for r in merged_rows] == [
        {k: v for k, v in r.items() if k not in skip} for r in single_rows
    ]
    assert merged_files == single_files

    # Merging again changes nothing.
    again = CliRunner().invoke(
        cli,
        ["merge", str(tmp_path / "A.db"), str(tmp_path / "B.db"), "--into", str(tmp_path / "merged.db")]
        + ["--cleaned", str(tmp_path / "merged_out")],
    )
    assert again.exit_code == 0, again.output
    assert snapshot(tmp_path / "merged.db", tmp_path / "merged_out") == (merged_rows, merged_files)

    # Only one shard: its links to the other are unresolved, and its records stand alone
    # (no dangling pointer, each cluster with one canonical).
    alone = CliRunner().invoke(
        cli,
        ["merge", str(tmp_path / "B.db"), "--into", str(tmp_path / "b_only.db")]
        + ["--cleaned", str(tmp_path / "b_only_out"), "--json"],
    )
    assert alone.exit_code == 0, alone.output
    assert json.loads(alone.output)["unresolved_links"] == sum(1 for n, *_ in cross if n == "B")
    check_pointers(tmp_path / "b_only.db")
    # ... but keeps them, so merges compose: (A) + (B) merged later equals A + B at once.
    for shards, into in ((["A"], "a_only"), (["a_only", "b_only"], "tree")):
        args = [str(tmp_path / f"{name}.db") for name in shards]
        args += ["--into", str(tmp_path / f"{into}.db"), "--cleaned", str(tmp_path / f"{into}_out")]
        result = CliRunner().invoke(cli, ["merge", *args])
        assert result.exit_code == 0, result.output
    assert snapshot(tmp_path / "tree.db", tmp_path / "tree_out") == (merged_rows, merged_files)

    # Re-running a shard's ingest against the shared index changes nothing.
    before = snapshot(tmp_path / "A.db", tmp_path / "A_out")
    run(ingest_cmd(["A"], "A.db", "A_out", lsh=fresh_redis), tmp_path)
    assert snapshot(tmp_path / "A.db", tmp_path / "A_out") == before


def test_unreachable_redis_is_one_clear_error(tmp_path, seeds_dir):
    from redis_server import free_port

    url = f"redis://127.0.0.1:{free_port()}/0"
    result = CliRunner().invoke(
        cli, ["ingest", str(seeds_dir), "--db", str(tmp_path / "a.db"), "--lsh", url, "-j", "1"]
    )
    assert result.exit_code != 0
    assert "cannot reach Redis" in result.output and "127.0.0.1" in result.output


def test_shards_with_other_dedup_settings_are_refused(tmp_path, seeds_dir, fresh_redis):
    client = redis.Redis.from_url(fresh_redis)
    client.set("archive:lsh_params", '{"signature": "other"}')
    result = CliRunner().invoke(
        cli, ["ingest", str(seeds_dir), "--db", str(tmp_path / "a.db"), "--lsh", fresh_redis, "-j", "1"]
    )
    assert result.exit_code != 0
    assert "was built with" in result.output
    # Another prefix is another index: accepted.
    result = CliRunner().invoke(
        cli,
        ["ingest", str(seeds_dir), "--db", str(tmp_path / "b.db"), "-j", "1"]
        + ["--lsh", fresh_redis + "?prefix=other", "--cleaned", str(tmp_path / "out")],
    )
    assert result.exit_code in (0, 1), result.output
    assert client.hlen("other_docs") > 0


def test_pipelined_lookup_reads_datasketchs_own_layout(tmp_path, fresh_redis):
    """The one-round-trip query and insert use datasketch's Redis storage as datasketch does:
    datasketch's own ``MinHashLSH.query`` finds what ``SharedIndex.insert`` wrote, and
    ``SharedIndex.query`` finds what ``MinHashLSH.insert`` wrote."""
    config = shared_lsh.storage_config(fresh_redis)
    index = shared_lsh.SharedIndex(
        config, dedup.make_lsh(config), {"signature": dedup.SIGNATURE_PARAMS}, dedup.SHINGLE_SIZE
    )
    pages = [p.content for p in synth.generate(12, seed=5, dup_share=0.4)]
    sigs = [dedup.signature(text) for text in pages]
    keys = [bytes([i]) * 32 for i in range(len(pages))]
    for i, (key, sig) in enumerate(zip(keys, sigs, strict=True)):
        lean = minhash.lean_minhash(sig, dedup.SEED)
        if i % 2:
            index.insert(key.hex(), sig, lean, None, dedup.normalise_for_dedup(pages[i]))
        else:
            index.lsh.insert(key, lean, check_duplication=False)
    for sig in sigs:
        lean = minhash.lean_minhash(sig, dedup.SEED)
        assert index.query(lean) == set(index.lsh.query(lean))
    assert any(len(index.query(minhash.lean_minhash(s, dedup.SEED))) > 1 for s in sigs)


def test_a_flushed_redis_is_refilled_from_the_shard(tmp_path, fresh_redis):
    raw = tmp_path / "raw"
    raw.mkdir()
    for page in synth.generate(20, seed=9, dup_share=0.3):
        (raw / page.name).write_text(page.content, encoding="utf-8")
    args = ["ingest", str(raw), "--db", str(tmp_path / "a.db"), "--cleaned", str(tmp_path / "out")]
    args += ["--lsh", fresh_redis, "-j", "1", "--quiet"]
    assert CliRunner().invoke(cli, args).exit_code in (0, 1)
    client = redis.Redis.from_url(fresh_redis)
    conn = sqlite3.connect(tmp_path / "a.db")
    signed = conn.execute("SELECT count(*) FROM minhashes").fetchone()[0]
    conn.close()
    assert 0 < signed == client.hlen("archive:lsh_docs")
    client.flushdb()
    # The same command again: nothing new to ingest, and the index is rebuilt from the shard.
    assert CliRunner().invoke(cli, args).exit_code in (0, 1)
    assert client.hlen("archive:lsh_docs") == signed
    assert client.hlen("archive:lsh_exact") == signed


def test_merge_cuts_the_tail_a_duplicate_in_the_other_shard_lacks(tmp_path, fresh_redis):
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "written_tails", Path(__file__).parent / "store" / "test_duplicate_tails.py"
    )
    written = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(written)
    for folder, paragraphs in (("A", written.ARTICLE), ("B", written.with_short_tail())):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / f"{folder}.txt").write_text(written.page(paragraphs), encoding="utf-8")
    for name in "AB":
        run(ingest_cmd([name], f"{name}.db", f"{name}_out", lsh=fresh_redis), tmp_path)
    # A shard does not see the clean copy the other machine stored: nothing is cut there.
    b_rows = snapshot(tmp_path / "B.db", tmp_path / "B_out")[0]
    assert b_rows[0]["offtopic"] is None and b_rows[0]["dup_tail_checked"] is None
    result = CliRunner().invoke(
        cli,
        ["merge", str(tmp_path / "A.db"), str(tmp_path / "B.db"), "--into", str(tmp_path / "merged.db")]
        + ["--cleaned", str(tmp_path / "merged_out"), "--json"],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["duplicate_tails_cut"] == 1
    check_pointers(tmp_path / "merged.db")
    # The merge cuts what a single ingest of both folders cuts, row for row and file for file.
    run(ingest_cmd(["A", "B"], "single.db", "single_out"), tmp_path)
    merged_rows, merged_files = snapshot(tmp_path / "merged.db", tmp_path / "merged_out")
    single_rows, single_files = snapshot(tmp_path / "single.db", tmp_path / "single_out")
    tailed = next(r for r in merged_rows if r["path"].startswith("B/"))
    assert tailed["offtopic"] == written.SHORT_TAIL
    assert tailed["offtopic_reason"].startswith("duplicate")
    skip = {"duplicate_of_sha256"}
    assert [{k: v for k, v in r.items() if k not in skip} for r in merged_rows] == [
        {k: v for k, v in r.items() if k not in skip} for r in single_rows
    ]
    assert merged_files == single_files
