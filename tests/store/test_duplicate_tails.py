"""The tail a near-duplicate lacks, cut in the store: real ingests into tmp archives."""

import sqlite3
from pathlib import Path

import pytest

import archive
from archive.search import search
from archive.signals import quality

TITLE = "市民公园完成提升改造"
ARTICLE = [
    "经过八个月的施工，位于城东的市民公园提升改造工程日前完工，公园重新向市民开放。改造后的公园新增绿地"
    "一万二千平方米，新建环湖步道三公里，并对原有的儿童游乐区和健身广场进行了全面翻新。",
    "公园管理处负责人介绍，这次改造坚持生态优先，保留了园内四百多棵大树，湖岸采用自然驳岸，为水鸟留出"
    "栖息空间。园内还新建了两座公共厕所和一处游客服务中心，配备了母婴室和无障碍设施。",
    "为方便周边居民晨练和夜跑，环湖步道全线安装了节能路灯，公园开放时间延长至晚上十点。开园首个周末，"
    "入园游客超过三万人次，不少市民带着孩子前来游玩，对改造效果表示满意。",
    "据了解，今年全市还将完成十二个社区公园和口袋公园的建设，进一步扩大城市绿色空间，让市民出门就能见到绿、"
    "走进园。",
]
# Too short for the detector on its own; unrelated to the article.
SHORT_TAIL = "中超客队二比一取胜。"
# A real ending on the article's topic, which a copy cut short lacks.
RELATED_END = (
    "管理处表示，下一步将结合市民意见继续完善公园配套设施，在湖边增设休息座椅和遮阳设施，并定期举办"
    "园艺科普活动，让公园真正成为市民身边的休闲好去处。"
)


def page(paragraphs: list[str]) -> str:
    return TITLE + "\n\n" + "\n\n".join(paragraphs) + "\n"


def with_short_tail() -> list[str]:
    return [*ARTICLE[:-1], ARTICLE[-1] + SHORT_TAIL]


def records(db: str = "a.db") -> dict[str, dict]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    return {Path(r["path"]).name: dict(r) for r in conn.execute("SELECT * FROM documents")}


@pytest.mark.parametrize("order", ["tail_first", "clean_first"])
def test_the_copy_with_a_tail_is_cut_against_the_clean_copy(chdir_tmp, order):
    raw = Path("raw")
    raw.mkdir()
    # File names decide the reading order: the copy with the tail first or second.
    names = ("a.txt", "b.txt") if order == "tail_first" else ("b.txt", "a.txt")
    (raw / names[0]).write_text(page(with_short_tail()), encoding="utf-8")
    (raw / names[1]).write_text(page(ARTICLE), encoding="utf-8")
    stats = archive.ingest([raw], db="a.db", cleaned_dir="cleaned")
    docs = records()
    tailed, clean = docs[names[0]], docs[names[1]]
    assert tailed["cluster_id"] == clean["cluster_id"]  # near-duplicates
    assert tailed["offtopic"] == SHORT_TAIL
    assert tailed["offtopic_reason"].startswith("duplicate")
    assert tailed["offtopic_start"] == page(with_short_tail()).index(SHORT_TAIL) - len(TITLE) - 2
    assert SHORT_TAIL not in tailed["body"]
    assert tailed["chars"] == quality.measure(tailed["body"]).chars  # figures of the cut body
    assert clean["offtopic"] is None
    assert stats.offtopic == 1
    # What readers see has no tail: the cleaned file and search.
    for doc in docs.values():
        if doc["cleaned_path"]:
            assert SHORT_TAIL not in (Path("cleaned") / doc["cleaned_path"]).read_text(encoding="utf-8")
    assert search("a.db", "逆转取胜") == []
    assert len(search("a.db", "环湖步道")) == 1
    assert {d["dup_tail_checked"] for d in docs.values()} == {1}


def test_a_copy_cut_short_leaves_the_articles_ending(chdir_tmp):
    raw = Path("raw")
    raw.mkdir()
    (raw / "full.txt").write_text(page([*ARTICLE, RELATED_END]), encoding="utf-8")
    (raw / "short.txt").write_text(page(ARTICLE), encoding="utf-8")
    archive.ingest([raw], db="a.db", cleaned_dir="cleaned")
    docs = records()
    assert docs["full.txt"]["cluster_id"] == docs["short.txt"]["cluster_id"]
    assert all(d["offtopic"] is None for d in docs.values())
    assert RELATED_END in docs["full.txt"]["body"]


def test_later_runs_check_only_new_members_and_change_nothing_else(chdir_tmp):
    first, second = Path("first"), Path("second")
    first.mkdir()
    second.mkdir()
    (first / "clean.txt").write_text(page(ARTICLE), encoding="utf-8")
    archive.ingest([first], db="a.db", cleaned_dir="cleaned")
    before = records()
    assert before["clean.txt"]["dup_tail_checked"] == 1
    # A second run brings the copy with a tail: cut against the record stored before.
    (second / "tailed.txt").write_text(page(with_short_tail()), encoding="utf-8")
    archive.ingest([second], db="a.db", cleaned_dir="cleaned")
    after = records()
    assert after["tailed.txt"]["offtopic"] == SHORT_TAIL
    for column in ("body", "offtopic", "quality", "dup_tail_checked"):
        assert after["clean.txt"][column] == before["clean.txt"][column]
    # Nothing new: the same command again changes no row.
    archive.ingest([first, second], db="a.db", cleaned_dir="cleaned")
    assert records() == after
