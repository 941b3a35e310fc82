"""The off-topic evaluation runs end to end on a small sample and holds its floors."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus" / "peoples_daily_199801.txt"
SCRIPT = REPO / "scripts" / "eval_offtopic.py"


def _run(*args):
    assert CORPUS.exists(), f"corpus missing at {CORPUS}"
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=120, cwd=REPO
    )


def _figure(stdout: str, name: str) -> float:
    line = next(line for line in stdout.splitlines() if line.startswith("precision"))
    words = line.split()
    return float(words[words.index(name) + 1])


def test_small_sample_meets_floors_and_seeds_are_right():
    # Floors below the full-set figures (README) by the sampling spread of 80 articles.
    proc = _run("--n", "80", "--seed", "3", "--min-precision", "0.9", "--min-recall", "0.65")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "cases: 80 positive, 80 negative" in proc.stdout
    assert _figure(proc.stdout, "precision") >= 0.9
    assert _figure(proc.stdout, "recall") >= 0.65
    assert "002_ce9172f3eeb5a0a1.txt: flagged at 2261 (stuffing), expected 2261 -> ok" in proc.stdout
    assert "WRONG" not in proc.stdout


def test_unmet_floor_exits_1():
    proc = _run("--n", "5", "--seed", "3", "--min-recall", "1.01")
    assert proc.returncode == 1
    assert "FLOOR NOT MET: recall" in proc.stdout
