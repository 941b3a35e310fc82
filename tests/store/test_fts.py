"""The cjk FTS5 tokenizer and the documents index: exactness against a brute-force
substring scan over real People's Daily text, index upkeep, other SQLite clients."""

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for search_corpus
from search_corpus import (  # noqa: E402
    FOUR_CHAR,
    ONE_CHAR,
    TWO_CHAR,
    all_queries,
    brute_force,
    build_archive,
    corpus_docs,
    fold,
    phrase_queries,
)

import archive  # noqa: E402
from archive.store import fts  # noqa: E402
from archive.store.writer import open_db  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def corpus_archive(tmp_path_factory):
    path = tmp_path_factory.mktemp("fts") / "corpus.db"
    rows = build_archive(path, corpus_docs(300))
    return path, rows


def fts_ids(conn, query, table=fts.FTS_TABLE):
    match = '"' + query.replace('"', '""') + '"'
    return {r[0] for r in conn.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ?", [match])}


def test_results_equal_brute_force_substring_scan(corpus_archive):
    path, rows = corpus_archive
    conn = sqlite3.connect(path)
    non_empty = 0
    for q in all_queries(rows):
        expected = brute_force(rows, q)
        assert fts_ids(conn, q) == expected, q
        with_dups = fts_ids(conn, q) | fts_ids(conn, q, fts.DUP_FTS_TABLE)
        assert with_dups == brute_force(rows, q, include_duplicates=True), q
        non_empty += bool(expected)
    # The query set is meant to find things; an empty index would "agree" too.
    assert non_empty >= len(all_queries(rows)) - 3


def test_query_lengths_are_all_covered(corpus_archive):
    _, rows = corpus_archive
    for group in (ONE_CHAR, TWO_CHAR, FOUR_CHAR, phrase_queries(rows)):
        assert any(brute_force(rows, q) for q in group)


def test_traditional_and_simplified_find_each_other(corpus_archive):
    path, rows = corpus_archive
    conn = sqlite3.connect(path)
    simp, trad = fts_ids(conn, "经济"), fts_ids(conn, "經濟")
    assert simp == trad
    stored_trad = {r["id"] for r in rows if "經濟" in r["body"] or "經濟" in r["title"]}
    stored_simp = {r["id"] for r in rows if "经济" in r["body"] or "经济" in r["title"]}
    assert (
        stored_trad
        and stored_simp
        and (stored_trad | stored_simp) & simp
        == (stored_trad | stored_simp) - {r["id"] for r in rows if r["duplicate_of"]}
    )


@pytest.fixture
def mem():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(body, tokenize='cjk')")
    return conn


def add(conn, *texts):
    for t in texts:
        conn.execute("INSERT INTO t(body) VALUES (?)", [t])


def hits(conn, q):
    return [r[0] for r in conn.execute("SELECT body FROM t WHERE t MATCH ? ORDER BY rowid", [q])]


def test_phrase_never_crosses_punctuation(mem):
    add(mem, "我们去医院。病人很多", "医院病人", "医院，病人", "院病")
    assert hits(mem, '"院病"') == ["医院病人", "院病"]
    assert hits(mem, '"医院病人"') == ["医院病人"]
    # a 1-character query finds every occurrence, a 2-character one only the pair
    assert len(hits(mem, "院")) == 4
    assert hits(mem, "院病") == ["医院病人", "院病"]


def test_snippet_marks_exactly_the_query(mem):
    add(mem, "他说医院的医生很好，医院外")
    for q, want in [
        ("医", "他说[医]院的[医]生很好，[医]院外"),
        ("医院", "他说[医院]的医生很好，[医院]外"),
        ('"医院的医生"', "他说[医院的医生]很好，医院外"),
        ("醫院 OR 很好", "他说[医院]的医生[很好]，[医院]外"),
    ]:
        got = mem.execute(
            "SELECT cjk_snippet(t, 0, '[', ']', '…', 64, ?) FROM t WHERE t MATCH ?", [q, q]
        ).fetchone()[0]
        assert got == want, q


def test_cjk_rank_equals_bm25(corpus_archive):
    path, rows = corpus_archive
    conn = sqlite3.connect(path)
    for q in ["院", "经济", '"改革开放"', '"经济" OR "台湾"', '"人民" "党"', phrase_queries(rows)[0]]:
        got = conn.execute(
            "SELECT rowid, bm25(documents_fts, 5.0, 1.0), cjk_rank(documents_fts, 'documents_fts', 5.0, 1.0) "
            "FROM documents_fts WHERE documents_fts MATCH ?",
            [q if q.startswith('"') else f'"{q}"'],
        ).fetchall()
        assert got
        for _, bm25, ours in got:
            assert ours == pytest.approx(bm25, rel=1e-12), q


def test_fullwidth_latin_and_digits_fold(mem):
    add(mem, "ＡＢＣ公司１９９８年", "abc company 1998", "Beijing　Olympics")
    assert hits(mem, "abc") == ["ＡＢＣ公司１９９８年", "abc company 1998"]
    assert hits(mem, "ＡＢＣ") == hits(mem, "abc")
    assert hits(mem, "1998") == ["ＡＢＣ公司１９９８年", "abc company 1998"]
    assert hits(mem, "olympics") == ["Beijing　Olympics"]
    assert hits(mem, "公司") == ["ＡＢＣ公司１９９８年"]


def test_kana_and_hangul_are_tokenized_per_character(mem):
    add(mem, "東京タワーに行く", "서울특별시 시청")
    assert hits(mem, "タワ") == ["東京タワーに行く"]
    assert hits(mem, "东京") == ["東京タワーに行く"]  # simplified query, traditional text
    assert hits(mem, "특별") == ["서울특별시 시청"]
    assert hits(mem, "울특별시") == ["서울특별시 시청"]


def test_index_follows_duplicate_status_and_edits(tmp_path):
    rows = build_archive(tmp_path / "a.db", corpus_docs(30), duplicates=2)
    conn = sqlite3.connect(tmp_path / "a.db")
    victim = rows[3]
    word = victim["title"][:2]
    assert victim["id"] in fts_ids(conn, word)
    with conn:
        conn.execute("UPDATE documents SET duplicate_of = 1 WHERE id = ?", [victim["id"]])
    assert victim["id"] not in fts_ids(conn, word)
    assert victim["id"] in fts_ids(conn, word, fts.DUP_FTS_TABLE)
    assert fts.misplaced_count(conn) == 0
    with conn:
        conn.execute("UPDATE documents SET duplicate_of = NULL WHERE id = ?", [victim["id"]])
        conn.execute("UPDATE documents SET body = '全新的正文内容' WHERE id = ?", [victim["id"]])
    assert fts_ids(conn, "全新的正文") == {victim["id"]}
    assert victim["id"] not in fts_ids(conn, word, fts.DUP_FTS_TABLE)
    with conn:
        conn.execute("DELETE FROM documents WHERE id = ?", [victim["id"]])
    assert fts_ids(conn, "全新的正文") == set()
    assert fts.misplaced_count(conn) == 0


def test_repointing_a_duplicate_leaves_the_indexes_alone(tmp_path):
    rows = build_archive(tmp_path / "a.db", corpus_docs(30), duplicates=2)
    conn = open_db(tmp_path / "a.db").conn
    dup = next(r for r in rows if r["duplicate_of"] is not None)
    word = dup["title"][:2]
    # Another canonical is elected: the duplicate's entry does not move (one row changed).
    before = conn.total_changes
    with conn:
        conn.execute("UPDATE documents SET duplicate_of = 2 WHERE id = ?", [dup["id"]])
    assert conn.total_changes - before == 1
    assert dup["id"] in fts_ids(conn, word, fts.DUP_FTS_TABLE)
    assert fts.misplaced_count(conn) == 0
    # Becoming canonical does move it.
    with conn:
        conn.execute("UPDATE documents SET duplicate_of = NULL WHERE id = ?", [dup["id"]])
    assert dup["id"] in fts_ids(conn, word)
    assert fts.misplaced_count(conn) == 0


def test_archives_with_older_trigger_definitions_are_upgraded(tmp_path):
    build_archive(tmp_path / "a.db", corpus_docs(10), duplicates=1)
    conn = sqlite3.connect(tmp_path / "a.db")
    old = "CREATE TRIGGER documents_fts_au AFTER UPDATE OF title, body, duplicate_of ON documents BEGIN SELECT 1; END"
    with conn:
        conn.execute("DROP TRIGGER documents_fts_au")
        conn.execute(old)
    conn.close()
    conn = open_db(tmp_path / "a.db").conn
    (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'documents_fts_au'").fetchone()
    assert "WHEN" in sql and "SELECT 1" not in sql


def test_sync_document_repairs_a_misplaced_row(tmp_path):
    rows = build_archive(tmp_path / "a.db", corpus_docs(20), duplicates=0)
    conn = sqlite3.connect(tmp_path / "a.db")
    r = rows[5]
    # Simulate a row written without the triggers: take it out of the index by hand.
    conn.execute(
        f"INSERT INTO {fts.FTS_TABLE}({fts.FTS_TABLE}, rowid, title, body) VALUES ('delete', ?, ?, ?)",
        [r["id"], r["title"], r["body"]],
    )
    assert fts.misplaced_count(conn) == 1
    fts.sync_document(conn, r["id"])
    assert fts.misplaced_count(conn) == 0
    assert r["id"] in fts_ids(conn, r["title"][:3])


def test_rebuild_restores_a_wiped_index(corpus_archive, tmp_path):
    path, rows = corpus_archive
    copy = tmp_path / "copy.db"
    shutil.copy(path, copy)
    conn = sqlite3.connect(copy)
    conn.execute(f"INSERT INTO {fts.FTS_TABLE}({fts.FTS_TABLE}) VALUES ('delete-all')")
    conn.commit()
    assert fts_ids(conn, "经济") == set()
    counts = fts.rebuild(conn)
    assert counts == {"canonical": 300, "duplicates": 6}
    assert fts_ids(conn, "经济") == brute_force(rows, "经济")
    assert fts.misplaced_count(conn) == 0


def test_writer_keeps_index_in_step_through_ingest(seeds_dir, chdir_tmp):
    archive.ingest([seeds_dir], db="a.db", cleaned_dir="cleaned")
    db = open_db("a.db")
    assert fts.misplaced_count(db.conn) == 0
    n_canonical = db.conn.execute("SELECT count(*) FROM documents WHERE duplicate_of IS NULL").fetchone()[0]
    assert db.conn.execute(f"SELECT count(*) FROM {fts.FTS_TABLE}_docsize").fetchone()[0] == n_canonical
    assert fts_ids(db.conn, "医院")


def test_t2s_header_matches_installed_opencc():
    r = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "gen_t2s_table.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stdout + r.stderr


def test_first_sqlite_utils_connection_has_tokenizer(corpus_archive):
    """sqlite_utils.Database(path) opens its connection before loading plugins: the
    installed .pth must have registered the tokenizer at interpreter start."""
    path, rows = corpus_archive
    code = (
        "import json, sys, sqlite_utils\n"
        "db = sqlite_utils.Database(sys.argv[1])\n"
        "out = {q: [r['id'] for r in db['documents'].search(q, quote=True, columns=['id'])]\n"
        "       for q in json.loads(sys.argv[2])}\n"
        "print(json.dumps(out))\n"
    )
    queries = ["医院", "改革开放", "院", "醫院"]
    out = subprocess.run(
        [sys.executable, "-c", code, str(path), json.dumps(queries)], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    for q in queries:
        assert set(got[q]) == brute_force(rows, q), q


def test_sqlite_utils_cli_search(corpus_archive):
    path, rows = corpus_archive
    exe = VENV_BIN / "sqlite-utils"
    out = subprocess.run(
        [str(exe), "search", str(path), "documents", "醫院", "--quote", "-c", "id"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert {r["id"] for r in json.loads(out.stdout)} == brute_force(rows, "医院")


def test_loadable_extension_in_sqlite3_shell(tmp_path, corpus_archive):
    if not shutil.which("sqlite3"):
        pytest.fail("the sqlite3 shell is missing (Debian: apt-get install sqlite3)")
    so = tmp_path / "cjk_tokenizer.so"
    subprocess.run(["make", "-s", "-C", str(REPO), "sqlite-extension", f"CJK_SO={so}"], check=True)
    path, rows = corpus_archive
    out = subprocess.run(
        ["sqlite3", "-bail", str(path)],
        input=f".load {so.with_suffix('')}\nselect rowid from documents_fts where documents_fts match '医院';\n",
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert {int(x) for x in out.stdout.split()} == brute_force(rows, "医院")


def covered_by(mark: str, q: str) -> bool:
    covered = [False] * len(mark)
    i = mark.find(q)
    while i != -1:
        covered[i : i + len(q)] = [True] * len(q)
        i = mark.find(q, i + 1)
    return bool(mark) and all(covered)


def test_cjk_snippet_marks_whole_matches(corpus_archive):
    """FTS5's snippet() can cut a match at the window's edge ("…协和[医]…");
    cjk_snippet marks every match from its first to its last character."""
    path, rows = corpus_archive
    conn = sqlite3.connect(path)
    queries = TWO_CHAR + FOUR_CHAR + phrase_queries(rows)
    checked = 0
    for q in queries:
        for (snip,) in conn.execute(
            "SELECT cjk_snippet(documents_fts, -1, '[', ']', '…', 24, :q) FROM documents_fts "
            "WHERE documents_fts MATCH :q",
            {"q": '"' + q + '"'},
        ):
            marked = [part.split("]", 1)[0] for part in snip.split("[")[1:]]
            assert marked, (q, snip)
            for m in marked:
                # a mark is one match, or overlapping matches merged: every
                # character of it lies inside an occurrence of the query
                assert covered_by(fold(m), fold(q)), (q, snip)
                checked += 1
    assert checked > 100


def test_connection_opened_before_registration_gets_a_clear_error(corpus_archive):
    """Without the .pth (python -S), a connection opened before the module is
    imported lacks the tokenizer: the plugin hooks say so instead of failing later."""
    path, _ = corpus_archive
    import sysconfig

    code = (
        "import sys, sqlite3\n"
        f"sys.path[:0] = [{str(REPO)!r}, {sysconfig.get_paths()['purelib']!r}]\n"
        "early = sqlite3.connect(sys.argv[1])\n"
        "from archive.errors import ArchiveError\n"
        "from archive import sqlite_utils_plugin, datasette_plugin\n"
        "late = sqlite3.connect(sys.argv[1])\n"
        "sqlite_utils_plugin.prepare_connection(late)\n"
        "datasette_plugin.prepare_connection(late, 'archive', None)\n"
        "for hook in (lambda c: sqlite_utils_plugin.prepare_connection(c),\n"
        "             lambda c: datasette_plugin.prepare_connection(c, 'archive', None)):\n"
        "    try:\n"
        "        hook(early)\n"
        "    except ArchiveError as exc:\n"
        "        print('ERR', exc)\n"
    )
    out = subprocess.run([sys.executable, "-S", "-c", code, str(path)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == 2 and all(line.startswith("ERR") and "'cjk' tokenizer" in line for line in lines)


def test_cjk_rank_length_cache_follows_writes_and_threads(tmp_path):
    """Above 2000 hits cjk_rank reads row lengths from its cache; it must still
    equal bm25 after commits (new data version), inside a transaction, and with
    several threads querying at once."""
    import random
    import threading

    path = tmp_path / "big.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(a, b, tokenize='cjk')")
    rng = random.Random(4)
    filler = "改革开放以来经济持续发展人民生活水平提高"

    def add_rows(c, n):
        c.executemany(
            "INSERT INTO t(a, b) VALUES (?, ?)",
            [("中国" * rng.randint(0, 2), filler[: rng.randint(1, 20)] + "中国" + filler) for _ in range(n)],
        )

    add_rows(conn, 2500)
    conn.commit()
    sql = (
        "SELECT rowid, bm25(t, 2.0, 1.0), cjk_rank(t, 't', 2.0, 1.0) FROM t WHERE t MATCH '中国' "
        "ORDER BY rowid"
    )

    def check(c):
        rows = c.execute(sql).fetchall()
        assert len(rows) >= 2500
        for _, bm25, ours in rows:
            assert ours == pytest.approx(bm25, rel=1e-12)
        return len(rows)

    assert check(conn) == 2500
    add_rows(conn, 300)
    conn.commit()
    assert check(conn) == 2800  # new data version: lengths reloaded
    add_rows(conn, 100)  # open transaction: lengths asked per row
    assert conn.in_transaction and check(conn) == 2900
    conn.commit()

    errors = []

    def worker():
        try:
            c = sqlite3.connect(path)
            for _ in range(5):
                check(c)
            c.close()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
