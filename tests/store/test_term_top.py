"""The term-top index (one-character and two-character queries of frequent terms): the page it
gives equals the page of the full ranking (every match scored by cjk_rank), to
the last bit, before and after deletes, duplicate moves, edits and additions;
its match sets and scores equal a brute-force scan with bm25 computed here."""

import math
import sqlite3
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for search_corpus
from search_corpus import brute_force, build_archive, corpus_docs, fold  # noqa: E402

from archive import search as search_mod  # noqa: E402
from archive.search import BODY_WEIGHT, TITLE_WEIGHT, search_connection  # noqa: E402
from archive.store import fts  # noqa: E402

DEPTH = 12
MIN_DF = 40


def full_page(conn, match, limit, offset=0):
    return search_mod._rank_all(
        conn, match, [fts.FTS_TABLE], "", {"match": match, "limit": limit, "offset": offset}
    )


def top_page(conn, match, limit, offset=0):
    return search_mod._term_top_ranked(conn, match, limit=limit, offset=offset)


def frequent_terms(conn):
    return [r[0] for r in conn.execute(f"SELECT term FROM {fts.TERM_TOP_TERMS} ORDER BY df DESC, term")]


def frequent_chars(conn):
    return [t for t in frequent_terms(conn) if len(t) == 1]


def occurrences(text, term):
    """Overlapping occurrences (a bigram token sits at every position it starts)."""
    return sum(text.startswith(term, i) for i in range(len(text)))


@pytest.fixture
def archive(tmp_path):
    path = tmp_path / "a.db"
    rows = build_archive(path, corpus_docs(160), duplicates=4)
    conn = sqlite3.connect(path)
    with conn:
        info = fts.build_term_top(conn, depth=DEPTH, min_df=MIN_DF)
    terms = frequent_terms(conn)
    assert len([t for t in terms if len(t) == 2]) >= 5 and len(terms) - len(frequent_chars(conn)) >= 5
    assert info["terms"] >= 20 and info["max_id"] == max(r["id"] for r in rows if r["duplicate_of"] is None)
    return conn, rows


def assert_pages_equal(conn, chars, *, min_answered):
    """Every page the term-top index answers equals the full ranking's page."""
    answered = 0
    for c in chars:
        match = f'"{c}"'
        for offset, limit in [(0, 10), (0, DEPTH), (5, 5), (10, 2)]:
            got = top_page(conn, match, limit, offset)
            if got is None:
                continue
            answered += 1
            assert got == full_page(conn, match, limit, offset), (c, offset, limit)
    assert answered >= min_answered
    return answered


def bm25_oracle(conn, rows, char):
    """bm25 of one character, from brute-force counts in the folded text (title x5)."""
    live = [r for r in rows if r["duplicate_of"] is None]
    doclen = {i: fts._doclen(sz) for i, sz in conn.execute(f"SELECT id, sz FROM {fts.FTS_TABLE}_docsize")}
    avgdl = sum(doclen[r["id"]] for r in live) / len(live)
    hits = brute_force(rows, char)
    idf = max(math.log((len(live) - len(hits) + 0.5) / (len(hits) + 0.5)), 1e-6)
    scores = {}
    for r in live:
        if r["id"] in hits:
            f = (
                occurrences(fold(r["title"]), char) * TITLE_WEIGHT
                + occurrences(fold(r["body"]), char) * BODY_WEIGHT
            )
            scores[r["id"]] = idf * f * 2.2 / (f + 1.2 * (0.25 + 0.75 * doclen[r["id"]] / avgdl))
    return scores


def test_pages_equal_full_ranking_and_brute_force(archive):
    conn, rows = archive
    terms = frequent_terms(conn)
    assert_pages_equal(conn, terms, min_answered=len(terms) * 4)
    bigrams = [t for t in terms if len(t) == 2]
    for c in frequent_chars(conn)[:8] + bigrams[:4] + terms[-4:]:
        oracle = bm25_oracle(conn, rows, c)
        page = top_page(conn, f'"{c}"', DEPTH)
        best = sorted(oracle.items(), key=lambda kv: (-kv[1], kv[0]))[:DEPTH]
        assert [i for i, _, _ in page] == [i for i, _ in best], c
        for (_, rank, _), (_, score) in zip(page, best, strict=True):
            assert -rank == pytest.approx(score, rel=1e-9)
        # the match set stays the full FTS match set (the brute-force one)
        assert {h.id for h in search_connection(conn, c, limit=1000)} == set(oracle)


def skyband_by_brute_force(conn, depth, w_title, w_body):
    """documents_term_top as specified: per frequent term, each row that holds it and
    that fewer than ``depth`` other rows rank above in every bm25 (a higher weighted
    frequency and a length at most its own, or the same frequency and a shorter
    length, or the same length and a lower id); counted in the text the tokenizer sees."""
    terms = set(frequent_terms(conn))
    held: dict[str, list[tuple[float, int, int]]] = {t: [] for t in terms}
    for doc_id, title, body, size in conn.execute(
        f"SELECT s.id, cjk_runs(d.title), cjk_runs(d.body), s.sz FROM {fts.FTS_TABLE}_docsize AS s "
        "JOIN documents AS d ON d.id = s.id"
    ):
        freq: dict[str, float] = {}
        for runs, weight in ((title, w_title), (body, w_body)):
            for run in runs.split():
                for term in [*run, *(a + b for a, b in zip(run, run[1:], strict=False))]:
                    if term in terms:
                        freq[term] = freq.get(term, 0.0) + weight
        for term, f in freq.items():
            held[term].append((f, fts._doclen(size), doc_id))
    expected = set()
    for term, rows in held.items():
        f, d, i = (np.array(col) for col in zip(*rows, strict=True))
        above = (f[:, None] > f) & (d[:, None] <= d) | (f[:, None] == f) & (
            (d[:, None] < d) | (d[:, None] == d) & (i[:, None] < i)
        )
        expected |= {(term, *row) for row, n in zip(rows, above.sum(axis=0), strict=True) if n < depth}
    return expected


@pytest.mark.parametrize(
    "depth, w_title, w_body, small",
    [
        (DEPTH, TITLE_WEIGHT, BODY_WEIGHT, False),
        (DEPTH, TITLE_WEIGHT, BODY_WEIGHT, True),
        (3, 0.0, 2.0, True),
    ],
)
def test_the_build_holds_exactly_the_skyband(archive, monkeypatch, depth, w_title, w_body, small):
    conn, _ = archive
    if small:
        # the build's other paths: bigrams by binary search, a few rows per batch,
        # many merges, a cutoff table of a few frequencies
        monkeypatch.setattr(fts, "TERM_TOP_PAIR_TABLE", 0)
        monkeypatch.setattr(fts, "TERM_TOP_SCAN_CELLS", 2000)
        monkeypatch.setattr(fts, "TERM_TOP_CUTOFF_FREQS", 4)
    with conn:
        info = fts.build_term_top(conn, depth=depth, min_df=MIN_DF, title_weight=w_title, body_weight=w_body)
    got = set(conn.execute(f"SELECT term, freq, doclen, id FROM {fts.TERM_TOP}"))
    assert info["rows"] == len(got)
    assert got == skyband_by_brute_force(conn, depth, w_title, w_body)


def test_the_index_is_used_and_small(archive):
    conn, _ = archive
    chars = frequent_chars(conn)
    held = conn.execute(f"SELECT count(*) FROM {fts.TERM_TOP}").fetchone()[0]
    postings = sum(
        conn.execute(
            f"SELECT count(*) FROM {fts.FTS_TABLE} WHERE {fts.FTS_TABLE} MATCH ?", [f'"{c}"']
        ).fetchone()[0]
        for c in chars
    )
    assert 0 < held < postings
    assert top_page(conn, f'"{chars[0]}"', 10) is not None
    # beyond the depth, and for other queries, the full ranking answers
    assert top_page(conn, f'"{chars[0]}"', DEPTH + 1) is None
    assert top_page(conn, '"龙"', 10) is None  # not frequent
    assert top_page(conn, '"改革开放"', 10) is None
    assert top_page(conn, '"的" AND "是"', 10) is None
    assert top_page(conn, '"的x"', 10) is None


def test_pages_stay_exact_after_deletes_moves_edits_and_additions(archive):
    conn, rows = archive
    chars = frequent_chars(conn)
    held = [r[0] for r in conn.execute(f"SELECT DISTINCT id FROM {fts.TERM_TOP} ORDER BY id")]
    canonical = [r for r in rows if r["duplicate_of"] is None]
    with conn:
        # delete rows the index holds, and one it may not
        for doc_id in held[:3] + [canonical[-1]["id"]]:
            conn.execute("DELETE FROM documents WHERE id = ?", [doc_id])
        # dedup moves: a held row becomes a duplicate, a duplicate becomes canonical
        conn.execute("UPDATE documents SET duplicate_of = 1 WHERE id = ?", [held[5]])
        dup = next(r for r in rows if r["duplicate_of"] is not None)
        conn.execute("UPDATE documents SET duplicate_of = NULL WHERE id = ?", [dup["id"]])
        # edits: a row gains many of a frequent character in its title
        conn.execute(
            "UPDATE documents SET title = ? || title WHERE id = ?",
            [chars[0] * 6 + chars[1] * 3, canonical[20]["id"]],
        )
        # additions after the build, one of them short and full of a frequent character
        conn.execute(
            "INSERT INTO documents (path, sha256, title, body, kind) VALUES ('new/1', 'n1', ?, ?, 'text')",
            [chars[0] * 2, chars[0] * 3 + chars[2]],
        )
        conn.execute(
            "INSERT INTO documents (path, sha256, title, body, kind) VALUES ('new/2', 'n2', ?, ?, 'text')",
            [canonical[30]["title"], canonical[30]["body"]],
        )
        # an id at or below the build's max_id used again
        conn.execute(
            "INSERT INTO documents (id, path, sha256, title, body, kind) VALUES (?, 'new/3', 'n3', ?, ?, 'text')",
            [held[0], chars[1] * 4, chars[1]],
        )
    changed = conn.execute(f"SELECT count(*) FROM {fts.TERM_TOP_CHANGED}").fetchone()[0]
    assert changed == 6  # 4 deletes, 1 move, 1 edit at ids <= max_id (id reuse: already there)
    terms = frequent_terms(conn)
    answered = assert_pages_equal(conn, terms, min_answered=len(terms))
    assert answered < len(terms) * 4  # some pages are now deeper than the depth still guaranteed
    # the new short row leads its character's ranking
    new_id = conn.execute("SELECT id FROM documents WHERE path = 'new/1'").fetchone()[0]
    assert top_page(conn, f'"{chars[0]}"', 3)[0][0] == new_id
    # a rebuild starts clean and agrees again
    with conn:
        fts.build_term_top(conn, depth=DEPTH, min_df=MIN_DF)
    assert conn.execute(f"SELECT count(*) FROM {fts.TERM_TOP_CHANGED}").fetchone()[0] == 0
    rebuilt = frequent_terms(conn)
    assert_pages_equal(conn, rebuilt, min_answered=len(rebuilt) * 4)


def test_a_repair_by_sync_document_switches_the_index_off_until_rebuilt(archive):
    conn, _ = archive
    chars = frequent_terms(conn)
    doc_id, title, body = conn.execute(
        f"SELECT id, title, body FROM documents WHERE id IN (SELECT id FROM {fts.TERM_TOP}) ORDER BY id LIMIT 1"
    ).fetchone()
    # a row taken out of the index without the triggers, then put back by sync_document:
    # the index cannot know what else changed behind its back
    conn.execute(
        f"INSERT INTO {fts.FTS_TABLE}({fts.FTS_TABLE}, rowid, title, body) VALUES ('delete', ?, ?, ?)",
        [doc_id, title, body],
    )
    fts.sync_document(conn, doc_id)
    conn.commit()
    assert all(top_page(conn, f'"{c}"', 10) is None for c in chars)
    with conn:
        fts.build_term_top(conn, depth=DEPTH, min_df=MIN_DF)
    assert_pages_equal(conn, chars, min_answered=len(chars) * 4)


def test_public_api_same_hits_with_and_without_the_index(archive):
    conn, _ = archive
    bigrams = [t for t in frequent_terms(conn) if len(t) == 2]
    chars = frequent_chars(conn)[:6] + bigrams[:3] + ["醫", "國家"]  # traditional: folded on both sides
    with_index = {(c, off): search_connection(conn, c, limit=5, offset=off) for c in chars for off in (0, 5)}
    with conn:
        conn.execute(f"DELETE FROM {fts.TERM_TOP_META}")
    for (c, off), hits in with_index.items():
        assert search_connection(conn, c, limit=5, offset=off) == hits, c


def test_rebuild_builds_the_index(archive, tmp_path):
    conn, rows = archive
    with conn:
        conn.execute(f"DELETE FROM {fts.TERM_TOP_META}")
    counts = fts.rebuild(conn)
    assert counts["canonical"] == sum(r["duplicate_of"] is None for r in rows)
    meta = conn.execute(f"SELECT max_id, depth, min_df FROM {fts.TERM_TOP_META}").fetchone()
    assert meta[1:] == (fts.TERM_TOP_DEPTH, fts.TERM_TOP_MIN_DF)


def test_an_archive_without_the_index_tables_still_searches(archive):
    conn, rows = archive
    with conn:
        for name in fts.TERM_TOP_TABLES:
            conn.execute(f"DROP TABLE {name}")
        for name in fts._TERM_TOP_TRIGGERS:
            conn.execute(f"DROP TRIGGER {name}")
    assert {h.id for h in search_connection(conn, "的", limit=1000)} == brute_force(rows, "的")


def test_ingest_builds_the_index_when_missing_or_stale(chdir_tmp, monkeypatch):
    import archive as archive_api

    # The archive's size threshold scaled down to test size (a term qualifies from
    # 10,000 rows in real archives): the decision is what is tested here.
    monkeypatch.setattr(fts, "TERM_TOP_MIN_DF", 5)
    docs = corpus_docs(30)

    def ingest(first: int, last: int) -> int | None:
        raw = Path(f"raw_{first}")
        raw.mkdir()
        for i, doc in enumerate(docs[first:last]):
            (raw / f"{first + i}.txt").write_text(f"{doc['title']}\n\n{doc['body']}\n", encoding="utf-8")
        archive_api.ingest([raw], db="a.db", cleaned_dir="cleaned")
        conn = sqlite3.connect("a.db")
        try:
            row = conn.execute(f"SELECT max_id FROM {fts.TERM_TOP_META}").fetchone()
        except sqlite3.OperationalError:
            row = None
        conn.close()
        return row[0] if row else None

    assert ingest(0, 4) is None  # too few rows for any term to qualify: not built
    built = ingest(4, 20)
    assert built is not None and built >= 5  # built at the end of the run that crossed it
    assert ingest(20, 22) == built  # 2 new rows of ~20: still current
    assert ingest(22, 30) > built  # 10 of 30 rows newer than the build: rebuilt
