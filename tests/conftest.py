import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"


@pytest.fixture
def seeds_dir(tmp_path) -> Path:
    """A copy of the five seed pages under tmp_path/raw."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for f in sorted((REPO / "raw").glob("*.txt")):
        shutil.copy(f, raw / f.name)
    return raw


@pytest.fixture
def chdir_tmp(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


# scripts/synth.py builds crawl pages from ../shared/corpus for tests and benchmarks.
import sys  # noqa: E402

sys.path.insert(0, str(REPO / "scripts"))
