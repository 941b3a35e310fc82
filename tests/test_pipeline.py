import json
import sqlite3

from click.testing import CliRunner

import archive
from archive.cli import cli


def test_ingest_is_idempotent(seeds_dir, chdir_tmp):
    s1 = archive.ingest([seeds_dir], db="a.db", cleaned_dir="cleaned")
    assert s1.read == 5 and s1.rejected == 0
    files1 = sorted(p.name for p in (chdir_tmp / "cleaned").iterdir())
    rows1 = sqlite3.connect("a.db").execute("SELECT id, sha256, body FROM documents ORDER BY id").fetchall()
    s2 = archive.ingest([seeds_dir], db="a.db", cleaned_dir="cleaned")
    assert s2.already == 5 and s2.kept == 0
    rows2 = sqlite3.connect("a.db").execute("SELECT id, sha256, body FROM documents ORDER BY id").fetchall()
    assert rows1 == rows2
    assert files1 == sorted(p.name for p in (chdir_tmp / "cleaned").iterdir())


def test_paths_come_from_the_config_unless_given(seeds_dir, chdir_tmp):
    from archive.config import IngestConfig

    config = IngestConfig(db_path=chdir_tmp / "cfg.db", cleaned_dir=chdir_tmp / "cfg_out")
    stats = archive.ingest([seeds_dir], config=config)
    assert sqlite3.connect("cfg.db").execute("SELECT count(*) FROM documents").fetchone()[0] == 5
    assert len(list((chdir_tmp / "cfg_out").iterdir())) == stats.kept > 0
    assert not (chdir_tmp / "archive.db").exists() and not (chdir_tmp / "cleaned").exists()
    # an explicit argument wins over the config
    archive.ingest([seeds_dir], db="arg.db", config=config)
    assert sqlite3.connect("arg.db").execute("SELECT count(*) FROM documents").fetchone()[0] == 5


def test_changed_file_is_new_document(seeds_dir, chdir_tmp):
    archive.ingest([seeds_dir], db="a.db", cleaned_dir="cleaned")
    f = next(seeds_dir.glob("001*.txt"))
    f.write_bytes(f.read_bytes() + "\n新的一行。\n".encode())
    s = archive.ingest([seeds_dir], db="a.db", cleaned_dir="cleaned")
    assert s.already == 4 and s.read == 5
    assert sqlite3.connect("a.db").execute("SELECT count(*) FROM documents").fetchone()[0] == 6


def test_bad_inputs_are_rejected_and_run_goes_on(chdir_tmp):
    raw = chdir_tmp / "in"
    raw.mkdir()
    (raw / "empty.txt").write_bytes(b"")
    (raw / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (raw / "good.txt").write_text("标题\n\n这是一篇正常的文章,内容足够长,用来测试。\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["ingest", str(raw), "--db", "a.db"])
    assert result.exit_code == 1
    assert "empty.txt: empty file" in result.stderr
    assert "binary.txt: binary content" in result.stderr
    rejects = sqlite3.connect("a.db").execute("SELECT path, reason FROM rejects ORDER BY path").fetchall()
    assert [r[0].split("/")[-1] for r in rejects] == ["binary.txt", "empty.txt"]
    assert sqlite3.connect("a.db").execute("SELECT count(*) FROM documents").fetchone()[0] == 1


def test_show_json(seeds_dir, chdir_tmp):
    archive.ingest([seeds_dir], db="a.db", cleaned_dir="cleaned")
    result = CliRunner().invoke(cli, ["show", "1", "--db", "a.db", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["id"] == 1 and isinstance(doc["authors"], list)
    missing = CliRunner().invoke(cli, ["show", "999", "--db", "a.db"])
    assert missing.exit_code == 1 and "no such document" in missing.output


def test_summary_counts_records_where_they_end_up(seeds_dir, chdir_tmp):
    # The bare copy comes first and is canonical until the better page arrives in
    # the same run; the summary must then say one kept, one duplicate.
    raw = chdir_tmp / "in"
    raw.mkdir()
    (raw / "a.txt").write_bytes(next(seeds_dir.glob("002_*.txt")).read_bytes())
    (raw / "b.txt").write_bytes(next(seeds_dir.glob("000_*.txt")).read_bytes())
    stats = archive.ingest([raw], db="a.db", cleaned_dir="cleaned")
    assert (stats.kept, stats.duplicates) == (1, 1)
    canonical = sqlite3.connect("a.db").execute("SELECT path FROM documents WHERE duplicate_of IS NULL")
    assert [r[0] for r in canonical] == ["in/b.txt"]
