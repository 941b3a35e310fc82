"""kill -9 and Ctrl-C at random points, resume, and compare with an uninterrupted run."""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import psutil
import synth

IGNORED_COLUMNS = {"ingested_at"}


def _default_sigint():
    # A shell starts its background jobs with SIGINT ignored, and an ignored signal
    # stays ignored across exec: Python would then never raise KeyboardInterrupt, and
    # the Ctrl-C below would be lost when the tests themselves run in the background.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run_ingest(raw, db, cleaned, wait=True):
    cmd = [sys.executable, "-m", "archive.cli", "ingest", str(raw), "--db", str(db)]
    cmd += ["--cleaned", str(cleaned), "--jobs", "2", "--batch-size", "7", "--quiet"]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=_default_sigint
    )
    if wait:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode in (0, 1), err.decode()
    return proc


def count_rows(db):
    if not db.exists():
        return 0
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:  # schema not created yet
        return 0
    finally:
        conn.close()


def snapshot(db, cleaned):
    conn = sqlite3.connect(db)
    cols = [r[1] for r in conn.execute("PRAGMA table_info(documents)") if r[1] not in IGNORED_COLUMNS]
    rows = conn.execute(f"SELECT {', '.join(cols)} FROM documents ORDER BY id").fetchall()
    rejects = conn.execute("SELECT path, sha256, reason FROM rejects ORDER BY path").fetchall()
    dangling = conn.execute(
        "SELECT count(*) FROM documents d LEFT JOIN documents c ON d.duplicate_of = c.id "
        "WHERE d.duplicate_of IS NOT NULL AND (c.id IS NULL OR c.duplicate_of IS NOT NULL)"
    ).fetchone()[0]
    conn.close()
    files = {f.name: f.read_bytes() for f in sorted(cleaned.iterdir())}
    return rows, rejects, files, dangling


def test_kill_9_and_ctrl_c_then_resume_equals_clean_run(tmp_path):
    raw = tmp_path / "raw"
    synth.write_pages(raw, 240, seed=7, html_share=0.2, per_dir=80)
    (raw / "d00000" / "broken.txt").write_bytes(b"")  # a reject must survive too

    run_ingest(raw, tmp_path / "clean.db", tmp_path / "clean_out")
    expected = snapshot(tmp_path / "clean.db", tmp_path / "clean_out")
    assert len(expected[0]) > 150 and expected[3] == 0

    seed = int.from_bytes(os.urandom(4), "little")
    rng = random.Random(seed)
    total = len(expected[0])
    kills = interrupts = 0
    attempts: list[str] = []  # what each attempt did, for the failure message
    # Until three kill -9 and one Ctrl-C have landed mid-ingest: a run can finish
    # before its stop lands (the sleep below, a fast machine), so attempts are not counted.
    for attempt in range(12):
        stored = count_rows(tmp_path / "k.db")
        if (kills >= 3 and interrupts >= 1) or total - stored < 20:
            break
        # Stop once this run has committed a random number of further documents,
        # within the first third of what is left, so that later attempts have work too.
        target = stored + rng.randint(1, (total - stored) // 3)
        proc = run_ingest(raw, tmp_path / "k.db", tmp_path / "k_out", wait=False)
        while proc.poll() is None and count_rows(tmp_path / "k.db") < target:
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.05))  # land anywhere inside a batch
        ctrl_c = interrupts == 0 and (attempt % 3 == 2 or kills >= 3)
        if proc.poll() is not None:
            attempts.append(f"{stored}->{target}: finished first (rc {proc.returncode})")
        elif ctrl_c:
            proc.send_signal(signal.SIGINT)  # Ctrl-C: a clean stop with a message
            _, err = proc.communicate(timeout=60)
            attempts.append(f"{stored}->{target}: Ctrl-C (rc {proc.returncode})")
            if proc.returncode == 130:
                interrupts += 1
                assert b"run the same command to finish" in err
        else:
            attempts.append(f"{stored}->{target}: kill -9")
            workers = psutil.Process(proc.pid).children(recursive=True)
            proc.send_signal(signal.SIGKILL)
            kills += 1
            # The worker processes must not outlive a killed ingest.
            _, alive = psutil.wait_procs(workers, timeout=10)
            assert not alive, f"orphan workers left running: {[p.pid for p in alive]}"
        proc.wait()
    run_ingest(raw, tmp_path / "k.db", tmp_path / "k_out")
    got = snapshot(tmp_path / "k.db", tmp_path / "k_out")
    assert kills >= 3, f"only {kills} runs were killed mid-ingest (seed {seed}): {attempts}"
    assert interrupts >= 1, f"no run was interrupted by Ctrl-C mid-ingest (seed {seed}): {attempts}"
    assert got[3] == 0, "dangling duplicate_of pointers"
    assert got[1] == expected[1], "rejects differ"
    assert sorted(got[2]) == sorted(expected[2]), "cleaned/ file names differ"
    assert got[2] == expected[2], "cleaned/ file contents differ"
    assert got[0] == expected[0], f"documents rows differ (seed {seed})"
