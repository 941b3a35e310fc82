"""The devset evaluation runs end to end on a small sample and holds a body-F1 floor."""

import importlib.util
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DEVSET = REPO.parent / "shared" / "devset"
SCRIPT = REPO / "scripts" / "eval_extraction.py"


@pytest.fixture(scope="module")
def eval_main():
    assert (DEVSET / "index.json").exists(), f"devset missing at {DEVSET}"
    spec = importlib.util.spec_from_file_location("eval_extraction", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.main


def test_text_path_sample_meets_floor(eval_main, capsys):
    assert eval_main(["--sample", "15", "--systems", "text", "--min-f1", "0.92"]) == 0
    out = capsys.readouterr().out
    assert "devset: 15 pages" in out
    row = next(line for line in out.splitlines() if line.startswith("text "))
    assert float(row.split("|")[1].split()[2]) >= 0.92
    assert "ok: text-path body F1" in out


def test_floor_failure_exits_1(eval_main, capsys):
    assert eval_main(["--sample", "3", "--systems", "text", "--min-f1", "1.01"]) == 1
    assert "FAIL: text-path body F1" in capsys.readouterr().err


def test_unknown_system_is_an_error(eval_main, capsys):
    with pytest.raises(SystemExit) as exc:
        eval_main(["--sample", "1", "--systems", "nope"])
    assert exc.value.code == 2 and "unknown systems" in capsys.readouterr().err
