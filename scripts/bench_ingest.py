"""Ingest throughput, memory and archive size on synthetic crawl pages.

Pages are built from ../shared/corpus by scripts/synth.py (text dumps and HTML,
with furniture and planted duplicates), then ingested by `archive ingest` in a
subprocess whose whole process tree's RSS is sampled.  In the same run,
trafilatura.extract alone is timed on the same HTML pages, so the ratios below
compare like with like on this machine.

    python scripts/bench_ingest.py --n 10000 --jobs 1,2
    python scripts/bench_ingest.py --n 10000,100000 --jobs 1,2
    python scripts/bench_ingest.py --n 1000000 --jobs 2 --kinds text   # by hand: hours

``--style news`` (the default) builds pages of the size and furniture of real
news pages (calibrated on the devset: ~26k characters and ~110 links per HTML
page, ~110-line text dumps; ``python scripts/synth.py`` prints the comparison);
``--style light`` the small pages of earlier runs (~1.5k characters, 5 links).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
import contextlib

import synth  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def tree_rss(procs: list[psutil.Process]) -> int:
    total = 0
    for p in procs:
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total


# The process tree is listed anew this often; its RSS is read every 0.2 s. Listing it
# scans every process of the machine, and doing so 5 times a second took ~10% of a
# core from the run being measured.
TREE_REFRESH_SECONDS = 2.0


def stored_pages(db: Path) -> int | None:
    """Rows stored so far, read beside the running writer (WAL: readers never block it)."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(conn.execute("SELECT coalesce(max(id), 0) FROM documents").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def run_ingest(raw: Path, work: Path, jobs: int, log_every: float = 0.0) -> dict:
    db = work / f"bench_j{jobs}.db"
    cleaned = work / f"cleaned_j{jobs}"
    for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        p.unlink(missing_ok=True)
    shutil.rmtree(cleaned, ignore_errors=True)
    cmd = [sys.executable, "-m", "archive.cli", "ingest", str(raw), "--db", str(db)]
    cmd += ["--cleaned", str(cleaned), "--jobs", str(jobs), "--quiet", "--json"]
    children_cpu = _children_cpu()
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    ps = psutil.Process(proc.pid)
    peak = 0
    main_cpu = 0.0
    next_log = start + log_every
    tree: list[psutil.Process] = [ps]
    listed = 0.0
    while proc.poll() is None:
        if time.monotonic() - listed >= TREE_REFRESH_SECONDS:
            with contextlib.suppress(psutil.Error):
                tree = [ps, *ps.children(recursive=True)]
            listed = time.monotonic()
        rss = tree_rss(tree)
        peak = max(peak, rss)
        if log_every and time.monotonic() >= next_log:
            # A long run's trace: rate, memory and archive size as the archive grows.
            next_log += log_every
            elapsed = time.monotonic() - start
            stored = stored_pages(db) or 0
            size = sum(p.stat().st_size for p in work.glob(f"bench_j{jobs}.db*"))
            print(
                f"  {elapsed / 60:6.1f} min  {stored:>9,} pages stored  {stored / elapsed:6.0f} pages/s  "
                f"RSS {rss / 1e6:6.0f} MB (peak {peak / 1e6:.0f})  archive {size / 1e9:.2f} GB",
                flush=True,
            )
        with contextlib.suppress(psutil.Error):
            main_cpu = sum(ps.cpu_times()[:2])  # the ingest process alone: reader and writer
        time.sleep(0.2)
    seconds = time.monotonic() - start
    # Every process of the run (ingest and its workers, all reaped by now).
    total_cpu = _children_cpu() - children_cpu
    out = proc.stdout.read().decode() if proc.stdout else ""
    if proc.returncode not in (0, 1):
        raise SystemExit(f"ingest failed ({proc.returncode}): {out[-500:]}")
    size = sum(p.stat().st_size for p in work.glob(f"bench_j{jobs}.db*"))
    return {
        "seconds": seconds,
        "peak_rss": peak,
        "db_bytes": size,
        "summary": out,
        "cpu": total_cpu,
        "main_cpu": main_cpu,
    }


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_trafilatura(raw: Path, limit: int) -> tuple[int, float]:
    import trafilatura

    files = sorted(raw.rglob("*.html"))[:limit]
    start = time.monotonic()
    for f in files:
        trafilatura.extract(f.read_text(encoding="utf-8"))
    return len(files), time.monotonic() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", default="10000", help="comma-separated page counts")
    ap.add_argument("--jobs", default="1,2", help="comma-separated --jobs values")
    ap.add_argument("--kinds", default="text,html", help="text and/or html")
    ap.add_argument("--trafilatura-sample", type=int, default=2000, help="HTML pages timed for the baseline")
    ap.add_argument("--workdir", default=None, help="where to build pages (default: a temp dir)")
    ap.add_argument("--style", default="news", choices=["news", "light"], help="page size and furniture")
    ap.add_argument(
        "--log-every", type=float, default=0.0, help="print pages stored, rate and RSS every N seconds"
    )
    args = ap.parse_args()
    rows = []
    for n in [int(x) for x in args.n.split(",")]:
        for kind in args.kinds.split(","):
            work = Path(args.workdir or tempfile.mkdtemp(prefix="bench_ingest_")) / f"{args.style}_{kind}_{n}"
            raw = work / "raw"
            if not raw.exists():
                t0 = time.monotonic()
                nbytes = synth.write_pages(
                    raw, n, seed=1, html_share=1.0 if kind == "html" else 0.0, style=args.style
                )
                print(f"built {n} {kind} pages ({nbytes / 1e6:.1f} MB) in {time.monotonic() - t0:.0f}s")
            nbytes = sum(p.stat().st_size for p in raw.rglob("*") if p.is_file())
            baseline_rate = None
            if kind == "html":
                count, secs = time_trafilatura(raw, args.trafilatura_sample)
                baseline_rate = count / secs
            for jobs in [int(j) for j in args.jobs.split(",")]:
                r = run_ingest(raw, work, jobs, args.log_every)
                summary = json.loads(r["summary"] or "{}")
                if summary.get("stage_seconds"):
                    # The end-of-run steps (duplicate tails, term-top index) show here.
                    print(f"  stage seconds: {summary['stage_seconds']}", flush=True)
                rows.append(
                    {
                        "n": n,
                        "kind": kind,
                        "jobs": jobs,
                        "pages_s": n / r["seconds"],
                        "mb_s": nbytes / 1e6 / r["seconds"],
                        "peak_rss_mb": r["peak_rss"] / 1e6,
                        "db_mb": r["db_bytes"] / 1e6,
                        "trafilatura_pages_s": baseline_rate,
                        "cpu_ms": r["cpu"] / n * 1000,
                        "main_cpu_ms": r["main_cpu"] / n * 1000,
                    }
                )
                print(f"  n={n} {kind} jobs={jobs}: {n / r['seconds']:.0f} pages/s")
            if not args.workdir:
                shutil.rmtree(work.parent, ignore_errors=True)
    # trafilatura's rate is measured on HTML pages; text dumps are compared with it too
    # (the target: text dumps >= 5x the trafilatura-alone page rate).
    traf = next((r["trafilatura_pages_s"] for r in rows if r["trafilatura_pages_s"]), None)
    print(f"\npages: --style {args.style}")
    # CPU ms/page: all processes of the run; "main": the ingest process alone (reading,
    # the single SQLite writer), which bounds the rate however many workers there are.
    print(
        "| N | kind | jobs | pages/s | MB/s | peak RSS MB | archive MB | CPU ms/page | main CPU ms/page "
        "| trafilatura alone pages/s | ratio |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        ratio = f"{r['pages_s'] / traf:.2f}x" if traf else "n/a"
        print(
            f"| {r['n']} | {r['kind']} | {r['jobs']} | {r['pages_s']:.0f} | {r['mb_s']:.2f} | "
            f"{r['peak_rss_mb']:.0f} | {r['db_mb']:.0f} | {r['cpu_ms']:.1f} | {r['main_cpu_ms']:.1f} | "
            f"{traf or 0:.0f} | {ratio} |"
        )
    by_key = {(r["n"], r["kind"], r["jobs"]): r["pages_s"] for r in rows}
    for (n, kind, jobs), rate in by_key.items():
        if jobs == 2 and (n, kind, 1) in by_key:
            print(f"speed-up --jobs 2 / --jobs 1, n={n} {kind}: {rate / by_key[(n, kind, 1)]:.2f}x")


if __name__ == "__main__":
    main()
