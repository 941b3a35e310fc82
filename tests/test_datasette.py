"""datasette with the installed plugin: the table search box, the canned `search`
query, <mark> snippets, metadata, facets and the duplicates view (datasette's own
test client against a real archive file)."""

import asyncio
import html
import re
import sys
from pathlib import Path

import pytest
from datasette.app import Datasette

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/, for search_corpus
from search_corpus import all_queries, brute_force, build_archive, corpus_docs, fold  # noqa: E402

HOSTILE = ['"', "'", ")", "NEAR(", "<script>alert(1)</script>", '医院" OR "', "*", ""]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    path = tmp_path_factory.mktemp("ds") / "archive.db"
    rows = build_archive(path, corpus_docs(300))
    return Datasette([str(path)]), rows


def get(ds, url, **params):
    async def go():
        return await ds.client.get(url, params=params)

    return asyncio.run(go())


def test_search_box_is_exact_for_every_query(served):
    ds, rows = served
    for q in all_queries(rows):
        r = get(ds, "/archive/documents.json", _search=q, _shape="array", _col="id", _size="max")
        assert r.status_code == 200, (q, r.text[:300])
        assert {row["id"] for row in r.json()} == brute_force(rows, q), q


def test_search_box_html_page_shows_the_rows(served):
    ds, rows = served
    r = get(ds, "/archive/documents", _search="醫院")
    assert r.status_code == 200
    expected = brute_force(rows, "医院")
    assert f"{len(expected)} row" in r.text
    assert 'name="_search"' in r.text  # the search box is there


def test_canned_search_query_ranks_and_marks(served):
    ds, rows = served
    r = get(ds, "/archive/search.json", q="改革开放", _shape="array")
    assert r.status_code == 200
    hits = r.json()
    assert {h["id"] for h in hits} == brute_force(rows, "改革开放")
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)
    page = get(ds, "/archive/search", q="改革开放")
    marks = re.findall(r"<mark>(.*?)</mark>", page.text)
    assert marks and all(fold(html.unescape(m)) == "改革开放" for m in marks)


def test_canned_query_traditional_input(served):
    ds, rows = served
    hits = get(ds, "/archive/search.json", q="經濟", _shape="array").json()
    expected = brute_force(rows, "经济")
    assert len(hits) == min(50, len(expected)) and {h["id"] for h in hits} <= expected


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_input_no_error_page_no_unescaped_html(served, q):
    ds, _ = served
    for url, params in [
        ("/archive/documents", {"_search": q}),
        ("/archive/search", {"q": q}),
        ("/archive/documents.json", {"_search": q}),
    ]:
        r = get(ds, url, **params)
        assert r.status_code == 200, (url, q, r.text[:500])
        if not url.endswith(".json"):  # JSON carries the text as data, HTML must escape it
            assert "<script>alert(1)" not in r.text
        assert "Traceback" not in r.text and "syntax error" not in r.text


def test_marked_snippet_escapes_document_html(tmp_path):
    docs = [
        {
            "path": "x",
            "title": "测试<b>标题</b>",
            "body": "前文<script>alert('x')</script>医院后文 & 更多",
            "published": "1998-01-01",
            "source": "s",
            "site": "t",
        }
    ]
    build_archive(tmp_path / "archive.db", docs, duplicates=0)
    ds = Datasette([str(tmp_path / "archive.db")])
    page = get(ds, "/archive/search", q="医院")
    assert "<mark>医院</mark>" in page.text
    assert "<script>alert('x')" not in page.text
    assert "&lt;script&gt;" in page.text


def test_metadata_facets_and_duplicates_view(served):
    ds, _ = served
    meta = get(ds, "/-/metadata.json").json()
    assert meta["title"] == "Archive"
    table = meta["databases"]["archive"]["tables"]["documents"]
    assert table["fts_table"] == "documents_fts" and table["description"]
    r = get(ds, "/archive/documents.json", _size="0")
    facets = r.json()["facet_results"]
    assert {"source", "site", "published_year"} <= set(facets)
    years = {v["value"] for v in facets["published_year"]["results"]}
    assert years == {"1997", "1998"}
    dups = get(ds, "/archive/duplicates.json", _shape="array").json()
    assert len(dups) == 6 and all(d["size"] == 2 and d["canonical_title"] for d in dups)
    queries = get(ds, "/archive.json").json()
    assert "search" in {q["name"] for q in queries.get("queries", [])}


def test_term_top_tables_are_hidden(served):
    from archive.store import fts

    ds, _ = served
    tables = {t["name"]: t for t in get(ds, "/archive.json").json()["tables"]}
    assert {name: tables[name]["hidden"] for name in fts.TERM_TOP_TABLES} == dict.fromkeys(
        fts.TERM_TOP_TABLES, True
    )
    assert tables["documents"]["hidden"] is False
