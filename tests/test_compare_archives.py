"""scripts/compare_archives.py: two ingests of the same input are identical; a changed row or file is caught."""

import sqlite3

import compare_archives

import archive


def test_same_input_gives_identical_archives_and_changes_are_caught(seeds_dir, chdir_tmp):
    archive.ingest([seeds_dir], db="a.db", cleaned_dir="a_out")
    archive.ingest([seeds_dir], db="b.db", cleaned_dir="b_out")
    a = compare_archives.snapshot(chdir_tmp / "a.db", chdir_tmp / "a_out")
    b = compare_archives.snapshot(chdir_tmp / "b.db", chdir_tmp / "b_out")
    assert compare_archives.differences(a, b) == []
    assert len(a["documents"]) == 5 and a["documents_fts terms"]

    conn = sqlite3.connect("b.db")
    conn.execute("UPDATE documents SET dup_similarity = 0.5 WHERE id = 2")
    conn.commit()
    conn.close()
    name = next((chdir_tmp / "b_out").iterdir())
    name.write_text(name.read_text(encoding="utf-8") + "x", encoding="utf-8")
    b = compare_archives.snapshot(chdir_tmp / "b.db", chdir_tmp / "b_out")
    found = compare_archives.differences(a, b)
    assert [d.split(":")[0] for d in found] == ["documents", "cleaned files"]
