"""Unit tests of the dedup signals: normal form, MinHash kernel, clustering on a bare archive."""

import pickle
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from datasketch import LeanMinHash, MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.models import (
    CleanDocument,
    Metadata,
    OfftopicResult,
    ProcessedDocument,
    QualityResult,
)
from archive.signals import dedup, minhash
from archive.store.writer import open_db

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "peoples_daily_199801.txt"


@pytest.fixture(scope="module")
def paragraphs() -> list[str]:
    with open(CORPUS, encoding="utf-8") as fh:
        return [ln.strip() for _, ln in zip(range(3000), fh, strict=False) if len(ln.strip()) > 60]


def article(paragraphs: list[str], start: int, n: int = 8) -> str:
    return "\n\n".join(paragraphs[start : start + n])


# -- normal form -----------------------------------------------------------------


def test_normal_form_folds_widths_punctuation_and_whitespace():
    a = "嘉兴市第二医院，始建于１８９５年。\n\n  医院（三级甲等）：“综合”医院、"
    b = '嘉兴市第二医院,始建于1895年.医院(三级甲等):"综合"医院,'
    assert dedup.normalise_for_dedup(a) == b
    assert dedup.exact_key(a) == dedup.exact_key(b.replace(".", "。\n"))
    assert dedup.exact_key(a) != dedup.exact_key(a.replace("1895", "1896").replace("１８９５", "１８９６"))


# Text mixing what crawled Chinese pages hold: CJK, full-width forms, ASCII,
# whitespace of every kind, plus characters that compose (combining marks, jamo).
_ALPHABET = st.one_of(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x4E40),
    st.characters(min_codepoint=0xFF01, max_codepoint=0xFF65),
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.sampled_from(list(" \t\n\r\u3000\xa0\u2028。、“”‘’「」①㎡ﬁ\u0301\u1100\u1161\uac00\u11a8é")),
    st.characters(max_codepoint=0x2FFFF, exclude_categories=("Cs",)),
)


@settings(max_examples=150, deadline=None)
@given(st.text(_ALPHABET, max_size=40))
def test_fast_normal_form_equals_the_reference_definition(text):
    dedup.normalised_code_points.cache_clear()
    assert dedup.normalise_for_dedup(text) == dedup.normalise_reference(text)
    assert dedup.normalise_reference(text) == dedup._SPACE.sub(
        "", unicodedata.normalize("NFKC", text).translate(dedup._PUNCT_FOLD)
    )


# -- MinHash kernel --------------------------------------------------------------


@pytest.mark.parametrize("k", [3, 5])
def test_vectorised_signature_equals_datasketch(paragraphs, k):
    """Same hash values as datasketch's own MinHash fed the same shingles and hash."""
    text = dedup.normalise_for_dedup(article(paragraphs, 10))
    ours = minhash.hashvalues(text, k, num_perm=128, seed=1)
    ref = MinHash(num_perm=128, seed=1, hashfunc=minhash.shingle_hash32)
    for i in range(len(text) - k + 1):
        ref.update(text[i : i + k])
    assert ours.dtype == np.uint32
    assert np.array_equal(ours, ref.hashvalues)
    lean = minhash.lean_minhash(ours)
    assert isinstance(lean, LeanMinHash)
    assert lean.jaccard(LeanMinHash(ref)) == 1.0


def test_long_document_blocks_give_the_same_signature(paragraphs, monkeypatch):
    monkeypatch.setattr(minhash, "_BLOCK", 100)  # a long document, in miniature
    text = dedup.normalise_for_dedup(article(paragraphs, 0, 6))
    assert len(text) > 3 * minhash._BLOCK
    ref = MinHash(num_perm=64, seed=3, hashfunc=minhash.shingle_hash32)
    ref.update_batch([text[i : i + 4] for i in range(len(text) - 3)])
    assert np.array_equal(minhash.hashvalues(text, 4, num_perm=64, seed=3), ref.hashvalues)


def test_signature_is_picklable_and_estimates_jaccard(paragraphs):
    a = article(paragraphs, 40)
    b = a + "\n\n" + article(paragraphs, 200, 3)
    sa, sb = dedup.signature(a), dedup.signature(b)
    assert np.array_equal(pickle.loads(pickle.dumps(sa)), sa)
    exact = minhash.jaccard(dedup.shingles(a), dedup.shingles(b))
    est = minhash.lean_minhash(sa).jaccard(minhash.lean_minhash(sb))
    assert 0.3 < exact < 0.95
    assert abs(est - exact) < 0.15  # 128 permutations: standard error ~0.04


def test_short_bodies_have_no_signature():
    assert dedup.signature("") is None
    assert dedup.signature("通知：明天开会。") is None
    assert dedup.signature("这是一篇足够长的文章。" * 6) is not None
    assert minhash.hashvalues("ab", 3) is None
    assert dedup.shingles("ab").size == 0


def test_body_similarity():
    assert dedup.body_similarity("一二三四五六七八", "一二三四五六七八\n") == 1.0
    assert dedup.body_similarity("一二三四五六七八", "九十百千万亿兆京") == 0.0


# -- the index on a bare archive -------------------------------------------------


def processed(body: str, title: str | None = None, offtopic: str | None = None) -> ProcessedDocument:
    clean = CleanDocument(
        path="x", sha256=str(hash(body)), paragraphs=body.split("\n\n"), metadata=Metadata(title)
    )
    return ProcessedDocument(
        clean=clean,
        body=body,
        offtopic=OfftopicResult(body=body, offtopic=offtopic),
        quality=QualityResult(len(body), 1.0, 1.0, 0.0, 0.0, 1.0),
        signature=dedup.signature(body),
        exact_key=dedup.exact_key(body),
    )


def insert(db, n: int, doc: ProcessedDocument) -> int:
    db.conn.execute(
        "INSERT INTO documents (id, path, sha256, body, title, offtopic, exact_key) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [n, f"d{n}", f"sha{n}", doc.body, doc.clean.metadata.title, doc.offtopic.offtopic, doc.exact_key],
    )
    return n


def test_index_rebuilds_from_stored_signatures_without_hashing_bodies(tmp_path, paragraphs, monkeypatch):
    db = open_db(tmp_path / "a.db")
    index = dedup.DedupIndex(db)
    base = article(paragraphs, 100)
    edited = base.replace("的", "地", 3)
    for n, body in enumerate([base, article(paragraphs, 300), "短。"], start=1):
        assert index.add(insert(db, n, processed(body)), processed(body)) == []
    db.conn.commit()
    stored = db.conn.execute("SELECT count(*) FROM minhashes").fetchone()[0]
    assert stored == 2  # the short document has no signature

    def no_hashing(*args, **kwargs):
        raise AssertionError("opening the index must not hash bodies")

    monkeypatch.setattr(minhash, "hashvalues_cps", no_hashing)
    reopened = dedup.DedupIndex(db)
    assert sorted(reopened.lsh.keys.keys()) == [1, 2]
    monkeypatch.undo()
    doc = processed(edited)
    reopened.add(insert(db, 4, doc), doc)
    row = db.conn.execute(
        "SELECT cluster_id, duplicate_of, dup_kind, dup_similarity FROM documents WHERE id = 4"
    )
    cluster_id, duplicate_of, kind, sim = row.fetchone()
    assert (cluster_id, duplicate_of, kind) == (1, 1, "near")
    assert dedup.JACCARD_THRESHOLD <= sim < 1.0


def test_canonical_moves_to_a_more_useful_member(tmp_path, paragraphs):
    db = open_db(tmp_path / "a.db")
    index = dedup.DedupIndex(db)
    body = article(paragraphs, 500)
    bare, copy, better = processed(body, offtopic="广告"), processed(body), processed(body, title="标题")
    assert index.add(insert(db, 1, bare), bare) == []
    assert index.add(insert(db, 2, copy), copy) == [1]  # no flag beats a flagged first copy
    assert index.add(insert(db, 3, better), better) == [2]  # metadata beats no metadata
    rows = db.conn.execute(
        "SELECT id, cluster_id, duplicate_of, dup_kind FROM documents ORDER BY id"
    ).fetchall()
    assert rows == [(1, 1, 3, "exact"), (2, 1, 3, "exact"), (3, 1, None, None)]


def test_a_syndicated_article_costs_a_bounded_number_of_checks(tmp_path, paragraphs, monkeypatch):
    """The hundredth copy of an article must not read and shingle the 99 before it."""
    db = open_db(tmp_path / "a.db")
    index = dedup.DedupIndex(db)
    base = article(paragraphs, 700, n=10)
    copies = [f"{base}\n\n（本文第{i}次转载，来源网站{i}）" for i in range(12)]
    for n, body in enumerate(copies, start=1):
        index.add(insert(db, n, processed(body)), processed(body))
    unrelated = article(paragraphs, 1500, n=10)
    index.add(insert(db, 50, processed(unrelated)), processed(unrelated))
    assert db.conn.execute("SELECT count(DISTINCT cluster_id) FROM documents").fetchone()[0] == 2

    # Every member is a candidate of the next copy; at most three are checked.
    sig = dedup.signature(base)
    picked = index._worth_checking([*range(1, 13), 50], sig)
    assert len(picked) == dedup.CHECKS_PER_CLUSTER
    assert {cluster for _, _, cluster in picked} == {1}

    bodies_shingled = []
    real_shingles = dedup.shingles
    monkeypatch.setattr(dedup, "shingles", lambda body: bodies_shingled.append(body) or real_shingles(body))
    last = processed(base + "\n\n（本文第99次转载）")
    index.add(insert(db, 99, last), last)
    assert db.conn.execute("SELECT cluster_id FROM documents WHERE id = 99").fetchone()[0] == 1
    # A copy beyond doubt (estimate >= CERTAIN_ESTIMATE) reads no candidate's body:
    # its own, and the canonical's for its dup_similarity, are all that is shingled.
    assert len(bodies_shingled) <= 2


def test_planted_near_duplicates_floor():
    """Small sample of scripts/bench_dedup.py's accuracy check (the full one runs there)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
    from bench_dedup import evaluate, evaluate_index

    r = evaluate(n_bases=90, seed=11)
    assert r["positives"] == 30 and r["hard_negatives"] == 30
    assert r["precision"] >= 0.98
    assert r["recall"] >= 0.90
    # The same set clustered as ingest clusters it (bounded checks, estimate shortcut).
    r = evaluate_index(n_bases=90, seed=11)
    assert r["precision"] >= 0.98
    assert r["recall"] >= 0.90


def test_member_of_a_row_not_inserted_yet_equals_the_member_read_back(tmp_path):
    """The writer ranks a new row before inserting it: ``from_new_row`` must equal ``from_row``."""
    import itertools

    from archive.signals.dedup import MEMBER_COLUMNS, Member

    conn = open_db(tmp_path / "a.db").conn
    values = itertools.product(
        [None, "", "标题"],  # title
        ["[]", '["甲"]'],  # authors
        [0, 1],  # fragmented
        [None, "广告文字", "a\x00b"],  # offtopic (SQLite's length() stops at a NUL)
        [None, "keyword-list", "duplicate", "Duplicate+weak", "duplicat"],  # offtopic_reason
        [None, 5],  # offtopic_start
        ["正文内容", "a\x00bc", ""],  # body
    )
    for n, (title, authors, fragmented, offtopic, reason, start, body) in enumerate(values, start=1):
        row = {"path": f"p{n}", "sha256": f"s{n}", "title": title, "authors": authors}
        row |= {"fragmented": fragmented, "offtopic": offtopic, "offtopic_reason": reason}
        row |= {"offtopic_start": start, "body": body, "exact_key": "k"}
        conn.execute(
            f"INSERT INTO documents (id, {', '.join(row)}) VALUES (?, {', '.join('?' * len(row))})",
            [n, *row.values()],
        )
        stored = conn.execute(f"SELECT {MEMBER_COLUMNS} FROM documents WHERE id = ?", [n]).fetchone()
        assert Member.from_new_row(n, row) == Member.from_row(stored), row
