"""The devset evaluation runs end to end on a small sample and holds a body-F1 floor."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEVSET = REPO.parent / "shared" / "devset"
SCRIPT = REPO / "scripts" / "eval_extraction.py"


def _run(*args):
    assert (DEVSET / "index.json").exists(), f"devset missing at {DEVSET}"
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=120, cwd=REPO
    )


def test_text_path_sample_meets_floor():
    proc = _run("--sample", "15", "--systems", "text", "--min-f1", "0.92")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "devset: 15 pages" in proc.stdout
    row = next(line for line in proc.stdout.splitlines() if line.startswith("text "))
    f1 = float(row.split("|")[1].split()[2])
    assert f1 >= 0.92
    assert "ok: text-path body F1" in proc.stdout


def test_floor_failure_exits_1():
    proc = _run("--sample", "3", "--systems", "text", "--min-f1", "1.01")
    assert proc.returncode == 1
    assert "FAIL: text-path body F1" in proc.stderr


def test_unknown_system_is_an_error():
    proc = _run("--sample", "1", "--systems", "nope")
    assert proc.returncode == 2 and "unknown systems" in proc.stderr
