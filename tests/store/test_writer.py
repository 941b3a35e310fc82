import sqlite3

import archive
from archive.config import IngestConfig
from archive.pipeline import iter_pages, process_item
from archive.store import ArchiveStore


def test_unfinished_run_repairs_truncated_and_orphan_files(seeds_dir, chdir_tmp):
    archive.ingest([seeds_dir], db="a.db", cleaned_dir="cleaned")
    conn = sqlite3.connect("a.db")
    name, body = conn.execute("SELECT cleaned_path, body FROM documents WHERE id = 1").fetchone()
    # What a power loss can leave: a renamed but unflushed (empty) file, an orphan,
    # a temporary file, and a run with no finished_at.
    (chdir_tmp / "cleaned" / name).write_bytes(b"")
    (chdir_tmp / "cleaned" / "ghost.0123456789ab.txt").write_text("x")
    (chdir_tmp / "cleaned" / "half.0123456789ab.txt.tmp").write_text("x")
    conn.execute("INSERT INTO ingest_runs (started_at) VALUES ('2026-01-01T00:00:00')")
    conn.commit()
    conn.close()

    store = ArchiveStore("a.db", "cleaned")
    repaired = store.reconcile()
    store.close()
    assert repaired == {"orphans_removed": 1, "files_rewritten": 1}
    assert (chdir_tmp / "cleaned" / name).read_text(encoding="utf-8") == body + "\n"
    kept = sqlite3.connect("a.db").execute(
        "SELECT cleaned_path FROM documents WHERE cleaned_path IS NOT NULL"
    )
    assert sorted(p.name for p in (chdir_tmp / "cleaned").iterdir()) == sorted(r[0] for r in kept)


def test_finished_run_skips_the_size_check(seeds_dir, chdir_tmp):
    archive.ingest([seeds_dir], db="a.db", cleaned_dir="cleaned")
    store = ArchiveStore("a.db", "cleaned")
    assert store.last_run_finished()
    assert store.reconcile() == {"orphans_removed": 0, "files_rewritten": 0}
    store.close()


def test_a_released_duplicate_index_reopens_from_the_archive(seeds_dir, chdir_tmp):
    # The ingest drops the in-memory LSH before its end-of-run index builds; a
    # document added after that must still find its near-duplicate.
    config = IngestConfig()
    pages = {p.name[:3]: p for p in seeds_dir.iterdir()}
    first, second = (process_item(next(iter_pages([pages[n]], config)), config) for n in ("000", "002"))
    store = ArchiveStore("a.db", "cleaned")
    original = store.add(first)
    store.release_dedup()
    copy = store.add(second)
    store.close()
    assert original["duplicate_of"] is None
    assert copy["duplicate_of"] == original["id"]
