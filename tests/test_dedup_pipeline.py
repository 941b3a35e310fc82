"""Dedup through the real pipeline: ingest files into SQLite archives in tmp dirs."""

import json
import random
import shutil
import sqlite3
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

import archive
from archive.cli import cli
from archive.config import IngestConfig
from archive.signals import dedup, minhash

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "peoples_daily_199801.txt"
sys.path.insert(0, str(REPO / "scripts"))


@pytest.fixture(scope="module")
def paragraphs() -> list[str]:
    with open(CORPUS, encoding="utf-8") as fh:
        return [ln.strip() for _, ln in zip(range(4000), fh, strict=False) if len(ln.strip()) > 80]


def ingest(*paths, db="a.db"):
    return archive.ingest(list(paths), db=db, cleaned_dir="cleaned", config=None)


def rows(db="a.db") -> dict[str, tuple]:
    """file name -> (id, cluster_id, duplicate_of, dup_kind, dup_similarity)"""
    conn = sqlite3.connect(db)
    out = {}
    for r in conn.execute(
        "SELECT path, id, cluster_id, duplicate_of, dup_kind, dup_similarity FROM documents"
    ):
        out[Path(r[0]).name] = r[1:]
    return out


def assert_consistent(db="a.db", cleaned="cleaned"):
    """No dangling pointer; one canonical per cluster; cleaned/ holds exactly the canonicals."""
    conn = sqlite3.connect(db)
    docs = conn.execute("SELECT id, cluster_id, duplicate_of, cleaned_path FROM documents").fetchall()
    by_id = {d[0]: d for d in docs}
    for doc_id, cluster_id, duplicate_of, cleaned_path in docs:
        assert cluster_id is not None, doc_id
        if duplicate_of is None:
            assert cleaned_path and (Path(cleaned) / cleaned_path).is_file()
        else:
            target = by_id[duplicate_of]
            assert target[2] is None, f"{doc_id} points at {duplicate_of}, itself a duplicate"
            assert target[1] == cluster_id
            assert cleaned_path is None
    canonicals = Counter(d[1] for d in docs if d[2] is None)
    assert set(canonicals) == {d[1] for d in docs}
    assert set(canonicals.values()) == {1}
    files = {p.name for p in Path(cleaned).iterdir()}
    assert files == {d[3] for d in docs if d[2] is None}


def page(title: str, paras: list[str]) -> str:
    return title + "\n\n" + "\n\n".join(paras) + "\n"


def test_seed_cluster_is_000_and_002_and_no_other_pair(seeds_dir, chdir_tmp):
    stats = ingest(seeds_dir)
    assert stats.read == 5 and stats.rejected == 0
    r = rows()
    s000, s002 = r["000_ca5b4c4a1f7610de.txt"], r["002_ce9172f3eeb5a0a1.txt"]
    assert s000[1] == s002[1]
    assert s000[2] is None and s002[2] == s000[0]  # 000 has the metadata: canonical
    assert s002[3] in ("exact", "near") and s002[4] >= dedup.JACCARD_THRESHOLD
    others = [v for k, v in r.items() if not k.startswith(("000", "002"))]
    assert len({v[1] for v in others} | {s000[1]}) == 4  # 001, 003, 004 alone
    assert all(v[2] is None for v in others)
    assert stats.kept == 4 and stats.duplicates == 1
    assert_consistent()
    out = CliRunner().invoke(cli, ["dups", "--db", "a.db", "--json"])
    assert out.exit_code == 0, out.output
    clusters = json.loads(out.output)
    assert len(clusters) == 1 and clusters[0]["size"] == 2
    assert clusters[0]["canonical"]["title"] == "嘉兴市第二医院概况"
    assert [m["id"] for m in clusters[0]["members"]] == [s002[0]]
    text = CliRunner().invoke(cli, ["dups", "--db", "a.db"]).output
    assert "嘉兴市第二医院概况" in text and "002_ce9172f3eeb5a0a1.txt" in text


def test_exact_duplicates_under_other_names_and_encodings(chdir_tmp, paragraphs):
    raw = chdir_tmp / "in"
    raw.mkdir()
    text = page("市政府召开常务会议", paragraphs[20:26])
    (raw / "a.txt").write_text(text, encoding="utf-8")
    (raw / "b_gbk.txt").write_bytes(text.encode("gbk"))
    # Same words, half-width punctuation and other line breaks: the same normalised body.
    other = text.replace("，", ",").replace("：", ":").replace("\n\n", "\n\n\n")
    assert other != text
    (raw / "c.txt").write_text(other, encoding="utf-8")
    (raw / "unrelated.txt").write_text(page("天气", paragraphs[300:306]), encoding="utf-8")
    stats = ingest(raw)
    assert stats.rejected == 0 and stats.read == 4
    r = rows()
    assert r["a.txt"][2] is None
    for name in ("b_gbk.txt", "c.txt"):
        assert r[name][1:] == (r["a.txt"][1], r["a.txt"][0], "exact", 1.0)
    assert r["unrelated.txt"][1] != r["a.txt"][1]
    assert (
        sqlite3.connect("a.db")
        .execute("SELECT encoding FROM documents WHERE path LIKE '%gbk%'")
        .fetchone()[0]
        .lower()
        .startswith("gb")
    )
    assert_consistent()


def test_near_duplicate_across_two_runs_without_rehashing_old_bodies(chdir_tmp, paragraphs, monkeypatch):
    from synth import Article, edit_article

    run1, run2 = chdir_tmp / "run1", chdir_tmp / "run2"
    run1.mkdir()
    run2.mkdir()
    arts = [Article(f"标题{i}", paragraphs[40 * i : 40 * i + 6]) for i in range(1, 5)]
    for i, art in enumerate(arts):
        (run1 / f"a{i}.txt").write_text(page(art.title, art.paragraphs), encoding="utf-8")
    assert ingest(run1).kept == 4
    edited = edit_article(arts[2], random.Random(1), rate=0.04)
    paras = edited.paragraphs[1:] + edited.paragraphs[:1]  # reordered too
    (run2 / "republished.txt").write_text(page("转载：" + arts[2].title, paras), encoding="utf-8")

    calls = []
    real = minhash.hashvalues_cps
    monkeypatch.setattr(minhash, "hashvalues_cps", lambda *a, **k: calls.append(1) or real(*a, **k))
    stats = archive.ingest([run2], db="a.db", cleaned_dir="cleaned", config=IngestConfig(jobs=1))
    assert len(calls) == 1  # only the new document was hashed; old signatures came from the archive
    assert stats.duplicates == 1 and stats.kept == 0
    r = rows()
    assert r["republished.txt"][1:4] == (r["a2.txt"][1], r["a2.txt"][0], "near")
    assert dedup.JACCARD_THRESHOLD <= r["republished.txt"][4] < 1.0
    assert_consistent()


def test_canonical_moves_when_a_better_member_arrives(seeds_dir, chdir_tmp):
    first, second = chdir_tmp / "first", chdir_tmp / "second"
    first.mkdir()
    second.mkdir()
    bare = seeds_dir / "002_ce9172f3eeb5a0a1.txt"
    shutil.copy(bare, first / bare.name)
    (first / "002_copy_gbk.txt").write_bytes(bare.read_text(encoding="utf-8").encode("gb18030"))
    ingest(first)
    r = rows()
    assert r["002_copy_gbk.txt"][2] == r[bare.name][0]
    assert len(list(Path("cleaned").iterdir())) == 1
    shutil.copy(seeds_dir / "000_ca5b4c4a1f7610de.txt", second)
    stats = ingest(second)
    assert stats.kept == 1  # the newcomer is the canonical record now
    r = rows()
    canonical = r["000_ca5b4c4a1f7610de.txt"]
    assert canonical[2] is None
    for name in (bare.name, "002_copy_gbk.txt"):
        assert r[name][1] == canonical[1] and r[name][2] == canonical[0]
        assert r[name][3] in ("exact", "near")
    assert [p.name.split(".")[0] for p in Path("cleaned").iterdir()] == ["000_ca5b4c4a1f7610de"]
    assert_consistent()
    # The search index follows: the demoted copy is no longer a canonical hit.
    conn = sqlite3.connect("a.db")
    canon_ids = {i for (i,) in conn.execute("SELECT id FROM documents WHERE duplicate_of IS NULL")}
    assert canon_ids == {canonical[0]}


def test_two_articles_about_one_hospital_are_not_merged(chdir_tmp, paragraphs):
    raw = chdir_tmp / "in"
    raw.mkdir()
    intro = (
        "青山市第三人民医院始建于1951年,是一所集医疗、教学、科研、预防保健为一体的三级甲等综合医院,"
        "开放床位1200张,设有临床科室42个。"
    )
    a = [intro, "青山市第三人民医院心内科团队日前完成首例手术。", *paragraphs[60:64]]
    b = [intro, "青山市第三人民医院今天举行义诊活动,专家为市民免费检查。", *paragraphs[90:94]]
    (raw / "surgery.txt").write_text(page("青山市第三人民医院完成首例手术", a), encoding="utf-8")
    (raw / "clinic.txt").write_text(page("青山市第三人民医院举行义诊", b), encoding="utf-8")
    ingest(raw)
    r = rows()
    assert r["surgery.txt"][1] != r["clinic.txt"][1]
    assert r["surgery.txt"][2] is None and r["clinic.txt"][2] is None
    assert_consistent()


def test_too_short_documents_are_handled(chdir_tmp, paragraphs):
    raw = chdir_tmp / "in"
    raw.mkdir()
    (raw / "tiny1.txt").write_text("通知\n\n明天开会。\n", encoding="utf-8")
    (raw / "tiny2.txt").write_text("通知\n\n后天放假。\n", encoding="utf-8")
    (raw / "tiny3.txt").write_text("通知\n\n\n明天开会。\n\n", encoding="utf-8")  # other bytes, same text
    (raw / "one_char.txt").write_text("会\n", encoding="utf-8")
    (raw / "article.txt").write_text(page("明天开会", ["明天开会。", *paragraphs[100:104]]), encoding="utf-8")
    stats = ingest(raw)
    r = rows()
    assert stats.read == 5
    stored = set(r)
    assert {"tiny1.txt", "tiny2.txt", "tiny3.txt", "article.txt"} <= stored
    assert stats.rejected == 5 - len(stored)  # the one-character page may be rejected, nothing crashes
    assert r["tiny1.txt"][1] != r["tiny2.txt"][1]
    assert r["article.txt"][1] not in {v[1] for k, v in r.items() if k != "article.txt"}
    # Same normalised text: an exact duplicate, nothing looser.
    assert r["tiny3.txt"][1:4] == (r["tiny1.txt"][1], r["tiny1.txt"][0], "exact")
    short_ids = [v[0] for k, v in r.items() if k != "article.txt"]
    conn = sqlite3.connect("a.db")
    with_sig = {i for (i,) in conn.execute("SELECT doc_id FROM minhashes")}
    assert not with_sig & set(short_ids)  # exact matching only
    assert_consistent()


def test_dups_without_clusters_and_without_archive(chdir_tmp, paragraphs):
    raw = chdir_tmp / "in"
    raw.mkdir()
    (raw / "one.txt").write_text(page("标题", paragraphs[5:9]), encoding="utf-8")
    ingest(raw)
    result = CliRunner().invoke(cli, ["dups", "--db", "a.db", "--json"])
    assert result.exit_code == 0 and json.loads(result.output) == []
    missing = CliRunner().invoke(cli, ["dups", "--db", "nope.db"])
    assert missing.exit_code == 1 and "no such archive" in missing.output
    assert not Path("nope.db").exists()
