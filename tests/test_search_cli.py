"""`archive search` / `archive reindex` and the library search API, on real text."""

import json
import sqlite3
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/, for search_corpus
from search_corpus import all_queries, brute_force, build_archive, corpus_docs, fold  # noqa: E402

from archive.cli import cli  # noqa: E402
from archive.search import MARK_CLOSE, MARK_OPEN, QueryError, parse_query, search  # noqa: E402
from archive.store.writer import open_db  # noqa: E402


@pytest.fixture(scope="module")
def corpus_archive(tmp_path_factory):
    path = tmp_path_factory.mktemp("search") / "corpus.db"
    rows = build_archive(path, corpus_docs(300))
    return path, rows


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def json_ids(result):
    assert result.exit_code == 0, result.output
    return [h["id"] for h in json.loads(result.output)]


def test_every_hit_no_miss_through_the_library(corpus_archive):
    path, rows = corpus_archive
    for q in all_queries(rows):
        got = {h.id for h in search(path, q, limit=1000)}
        assert got == brute_force(rows, q), q


def test_json_fields_ranking_and_snippets(corpus_archive):
    path, rows = corpus_archive
    r = run("search", "经济", "--db", path, "--json", "--limit", 5)
    hits = json.loads(r.output)
    assert len(hits) == 5
    assert set(hits[0]) >= {"id", "title", "published", "source", "score", "snippet", "path"}
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)
    for h in hits:
        assert "【" in h["snippet"] and MARK_OPEN not in h["snippet"]
        marked = h["snippet"].split("【", 1)[1].split("】", 1)[0]
        assert fold(marked) == "经济"


def test_title_weighs_more_than_body(tmp_path):
    docs = [
        {"path": "a", "title": "关于农业的报道", "body": "今天天气很好。" * 5 + "水稻丰收。"},
        {"path": "b", "title": "水稻丰收了", "body": "今天天气很好。" * 5 + "农业不错。"},
    ]
    for d in docs:
        d.update(published="1998-01-01", source="人民日报", site="people.com.cn")
    build_archive(tmp_path / "w.db", docs, duplicates=0)
    hits = search(tmp_path / "w.db", "水稻")
    assert [h.path for h in hits] == ["b", "a"]


def test_filters(corpus_archive):
    path, rows = corpus_archive
    base = brute_force(rows, "人民")
    by_id = {r["id"]: r for r in rows}

    def ids(*opts):
        return set(json_ids(run("search", "人民", "--db", path, "--json", "--limit", 1000, *opts)))

    assert ids("--since", "1998-01-01") == {i for i in base if by_id[i]["published"] >= "1998-01-01"}
    assert ids("--until", "1997-06") == {i for i in base if by_id[i]["published"][:7] <= "1997-06"}
    assert ids("--source", "新华社") == {i for i in base if by_id[i]["source"] == "新华社"}
    assert ids("--site", "people") == {i for i in base if by_id[i]["site"] == "people.com.cn"}
    assert ids("--since", "1998-01-01") and ids("--since", "1998-01-01") != base


def test_include_duplicates(corpus_archive):
    path, rows = corpus_archive
    dup = next(r for r in rows if r["duplicate_of"])
    word = dup["title"][:4]
    plain = set(json_ids(run("search", word, "--db", path, "--json", "--limit", 1000)))
    more = run("search", word, "--db", path, "--json", "--limit", 1000, "--include-duplicates")
    assert plain == brute_force(rows, word)
    assert set(json_ids(more)) == brute_force(rows, word, include_duplicates=True)
    assert dup["id"] in json_ids(more) and dup["id"] not in plain
    assert any(h["duplicate_of"] == dup["duplicate_of"] for h in json.loads(more.output))


def test_operators_when_well_formed(corpus_archive):
    path, rows = corpus_archive
    a, b = brute_force(rows, "经济"), brute_force(rows, "台湾")

    def ids(q):
        return set(json_ids(run("search", q, "--db", path, "--json", "--limit", 1000)))

    assert ids("经济 OR 台湾") == a | b
    assert ids("经济 NOT 台湾") == a - b
    assert ids("经济 台湾") == a & b
    assert ids("(经济 OR 台湾) 改革") == (a | b) & brute_force(rows, "改革")
    assert ids('"改革开放"') == brute_force(rows, "改革开放")
    assert ids("经济，台湾") == a & b  # punctuation separates words
    assert ids("econom*") == set()  # prefix syntax accepted (no Latin words here)


@pytest.mark.parametrize(
    "query",
    ['"', "'", ")", "NEAR(", "医院 AND", "OR 医院", "(医院", "医*院", "*", "医院 NOT", "()"],
)
def test_malformed_or_hostile_queries_give_one_line(corpus_archive, query):
    path, _ = corpus_archive
    r = run("search", query, "--db", path)
    assert r.exit_code in (0, 2), r.output
    assert "Traceback" not in r.output and r.exception is None or isinstance(r.exception, SystemExit)
    if r.exit_code == 2:
        assert len(r.output.strip().splitlines()) == 1 and r.output.startswith("Error: ")


@pytest.mark.parametrize("query", ["<script>alert(1)</script>", "'; DROP TABLE documents; --", "医院'"])
def test_user_text_stays_data(corpus_archive, query):
    path, rows = corpus_archive
    r = run("search", query, "--db", path, "--json")
    assert r.exit_code == 0, r.output
    assert sqlite3.connect(path).execute("SELECT count(*) FROM documents").fetchone()[0] == len(rows)


def test_parse_query_quotes_everything_it_does_not_understand():
    assert parse_query("医院 病人") == '"医院" AND "病人"'
    assert parse_query('"嘉兴 医院" OR 病人*') == '"嘉兴 医院" OR "病人"*'
    assert parse_query("a:b") == '"a" AND "b"'
    assert parse_query("(a OR b) c") == '( "a" OR "b" ) AND "c"'
    for bad in ['"', "OR", "(", "a)", "a NOT", "*"]:
        with pytest.raises(QueryError):
            parse_query(bad)


def test_plain_output_when_piped(corpus_archive):
    path, _ = corpus_archive
    r = run("search", "医院", "--db", path, "--limit", 2)
    assert r.exit_code == 0
    assert "【医院】" in r.output or "【醫院】" in r.output
    assert "\x1b[" not in r.output and MARK_OPEN not in r.output and MARK_CLOSE not in r.output


def test_reindex_command(tmp_path):
    rows = build_archive(tmp_path / "r.db", corpus_docs(40), duplicates=2)
    conn = open_db(tmp_path / "r.db").conn
    conn.execute("INSERT INTO documents_fts(documents_fts) VALUES ('delete-all')")
    conn.commit()
    conn.close()
    assert search(tmp_path / "r.db", "经济", limit=1000) == []
    r = run("reindex", "--db", tmp_path / "r.db")
    assert r.exit_code == 0, r.output
    assert "indexed 40 canonical records and 2 duplicates" in r.output
    assert {h.id for h in search(tmp_path / "r.db", "经济", limit=1000)} == brute_force(rows, "经济")


def test_reindex_term_top_only(tmp_path):
    rows = build_archive(tmp_path / "r.db", corpus_docs(40), duplicates=2)
    conn = sqlite3.connect(tmp_path / "r.db")
    # written row by row, as ingest does: no term-top index yet
    assert conn.execute("SELECT count(*) FROM documents_term_top_meta").fetchone()[0] == 0
    r = run("reindex", "--db", tmp_path / "r.db", "--term-top-only")
    assert r.exit_code == 0, r.output
    assert r.output.startswith("term-top index: 0 characters")  # none is in 10,000 of 40 records
    max_id = max(r["id"] for r in rows if r["duplicate_of"] is None)
    assert conn.execute("SELECT max_id FROM documents_term_top_meta").fetchall() == [(max_id,)]


def test_missing_archive_is_one_line(tmp_path):
    r = run("search", "医院", "--db", tmp_path / "nope.db")
    assert r.exit_code == 1 and r.output.startswith("Error: ") and len(r.output.splitlines()) == 1


def test_pages_through_the_cli_with_the_term_top_index(corpus_archive, tmp_path):
    import shutil

    from archive import search as search_mod
    from archive.store import fts

    path, rows = corpus_archive
    copy = tmp_path / "copy.db"
    shutil.copy(path, copy)
    conn = sqlite3.connect(copy)
    with conn:
        fts.build_term_top(conn, depth=20, min_df=50)
    assert search_mod._term_top_ranked(conn, '"的"', limit=10, offset=0) is not None
    conn.close()
    for q in ["的", "國", "经济"]:
        whole = json_ids(run("search", q, "--db", copy, "--json", "--limit", 20))
        pages = []
        for offset in (0, 5, 10, 15):
            pages += json_ids(run("search", q, "--db", copy, "--json", "--limit", 5, "--offset", offset))
        assert pages == whole and len(whole) == 20, q
        # the same ranking as without the index, and every match still there
        assert whole == json_ids(run("search", q, "--db", path, "--json", "--limit", 20)), q
        assert set(json_ids(run("search", q, "--db", copy, "--json", "--limit", 1000))) == brute_force(
            rows, q
        )
