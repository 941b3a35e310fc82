"""Site furniture learned from repetition, on a synthetic site of many pages (real archives)."""

import json
import sqlite3

import archive
from archive.clean.repetition import ensure_table, line_hash, normalise_line, observe, strip_repeated
from archive.config import IngestConfig
from archive.models import RawPage
from archive.pipeline import process

STORIES = [
    "市第一中学近日举办科技节，学生们展示了机器人、无人机和编程作品，吸引了众多家长和市民前来参观交流。",
    "城区新建的三座口袋公园已于本周开放，公园内设置了健身步道、儿童游乐区和休憩座椅，方便周边居民锻炼休闲。",
    "市图书馆推出夜间阅读服务，每周五和周六开放至晚上十点，并新增了电子阅览区和少儿绘本专区，受到读者欢迎。",
    "今年以来，全市新增城镇就业岗位一万二千个，举办线上线下招聘会四十余场，帮助高校毕业生和退役军人实现就业。",
    "市农业农村局组织农技专家深入田间地头，指导农户做好春耕备耕和病虫害防治工作，确保粮食生产稳定。",
    "全市首个智慧停车平台上线运行，市民可通过手机查询周边空余车位并在线缴费，中心城区停车难问题有所缓解。",
]
# A site's own furniture that reads like prose, so no class rule knows it: a slogan
# above every story and a call for tips (with a changing number) below it.
SLOGAN = "文明城市你我共建，美好生活大家共享，让我们携手打造更加宜居的幸福家园。"


def contact(i):
    return f"欢迎读者朋友提供新闻线索，线索一经采用将给予奖励，新闻热线：0571-8765432{i}。"


def write_site(folder, pages, with_furniture=True):
    folder.mkdir(parents=True, exist_ok=True)
    for i, story in enumerate(pages):
        lines = [f"本地新闻第{i}期", f"2023-06-1{i % 10} 来源：本地日报"]
        if with_furniture:
            lines.append(SLOGAN)
        lines.append(story)
        lines.append(story.replace("。", "，相关工作将持续推进。"))
        if with_furniture:
            lines.append(contact(i))
        (folder / f"page{i}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def bodies(db):
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT path, body, removed FROM documents ORDER BY path").fetchall()
    conn.close()
    return {path: (body, json.loads(removed)) for path, body, removed in rows}


def test_normalisation_folds_digits_and_punctuation():
    assert normalise_line("新闻热线：0571-87654321（24小时）") == normalise_line(
        "新闻热线:0571 87654329 (24小时)"
    )
    assert line_hash(contact(1)) == line_hash(contact(2))
    assert line_hash(SLOGAN) != line_hash(SLOGAN + "！新")
    assert line_hash("。。。——") is None  # nothing left after normalising
    assert line_hash("长" * 300) is None  # article prose is never counted


def test_lines_on_k_pages_of_a_site_are_stripped(chdir_tmp):
    write_site(chdir_tmp / "site", STORIES)
    archive.ingest(
        [chdir_tmp / "site"], db="a.db", cleaned_dir="cleaned", config=IngestConfig(repeat_min_pages=3)
    )
    docs = bodies("a.db")
    assert len(docs) == len(STORIES)
    for i in range(len(STORIES)):
        body, removed = docs[f"site/page{i}.txt"]
        assert STORIES[i] in body
        stripped = [r["line"] for r in removed if r["reason"] == "repeated-on-site"]
        if i < 2:  # the first k-1 pages came before the line was known as furniture
            assert SLOGAN in body and not stripped
        else:
            assert SLOGAN not in body and "新闻热线" not in body
            assert SLOGAN in stripped and any("新闻热线" in line for line in stripped)


def test_counts_live_in_the_archive_and_grow_across_runs(chdir_tmp):
    site = chdir_tmp / "site"
    write_site(site, STORIES[:2])
    archive.ingest([site], db="a.db", cleaned_dir="cleaned")
    assert all(SLOGAN in body for body, _ in bodies("a.db").values())
    write_site(chdir_tmp / "more" / "site", STORIES[2:3])  # another folder: another site
    (site / "page9.txt").write_text(
        (chdir_tmp / "more" / "site" / "page0.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    archive.ingest([site], db="a.db", cleaned_dir="cleaned")
    body, removed = bodies("a.db")["site/page9.txt"]
    assert SLOGAN not in body and STORIES[2] in body
    conn = sqlite3.connect("a.db")
    pages = conn.execute("SELECT max(pages) FROM site_lines WHERE site_key = 'site'").fetchone()[0]
    assert pages == 3


def test_only_page_of_a_site_is_never_stripped(chdir_tmp):
    for n in range(3):  # three sites, one page each, all with the same furniture
        write_site(chdir_tmp / f"site{n}", STORIES[n : n + 1])
    # Even a threshold of 1 is raised to 2: a single page proves nothing.
    archive.ingest([chdir_tmp], db="a.db", cleaned_dir="cleaned", config=IngestConfig(repeat_min_pages=1))
    for body, removed in bodies("a.db").values():
        assert SLOGAN in body and not any(r["reason"] == "repeated-on-site" for r in removed)


def test_exact_copies_are_not_evidence(chdir_tmp):
    site = chdir_tmp / "site"
    site.mkdir()
    text = "\n".join(["转载标题", "2023-06-10 来源：本地日报", STORIES[0], "短句也是正文的一部分。"]) + "\n"
    for i in range(4):  # the same story saved four times (different file bytes: a trailing space)
        (site / f"copy{i}.txt").write_text(text + " " * i, encoding="utf-8")
    archive.ingest([site], db="a.db", cleaned_dir="cleaned", config=IngestConfig(repeat_min_pages=2))
    for body, removed in bodies("a.db").values():
        assert "短句也是正文的一部分" in body
        assert not any(r["reason"] == "repeated-on-site" for r in removed)


def test_a_document_is_never_stripped_to_nothing():
    text = "\n".join(["本地新闻", SLOGAN, contact(1), STORIES[0]]) + "\n"
    doc = process(RawPage("site/x.txt", text.encode(), site_key="site"))
    conn = sqlite3.connect(":memory:")
    ensure_table(conn)
    every_line = {line_hash(p) for p in doc.body.split("\n\n")}
    observe(conn, "site", every_line)
    observe(conn, "site", every_line)
    kept = strip_repeated(conn, doc, min_pages=2)
    assert kept.body.split("\n\n") == doc.body.split("\n\n") and STORIES[0] in kept.body
    # With the story new to the site, only the furniture goes, and the dedup key follows the body.
    doc2 = process(RawPage("site/y.txt", text.replace(STORIES[0], STORIES[1]).encode(), site_key="site"))
    old_key = doc2.exact_key
    stripped = strip_repeated(conn, doc2, min_pages=2)
    assert stripped.body == STORIES[1] and stripped.exact_key != old_key


def test_off_switch(chdir_tmp):
    write_site(chdir_tmp / "site", STORIES)
    archive.ingest(
        [chdir_tmp / "site"], db="a.db", cleaned_dir="cleaned", config=IngestConfig(repeat_min_pages=0)
    )
    assert all(SLOGAN in body for body, _ in bodies("a.db").values())


def test_cli_repeat_min_pages_option(chdir_tmp):
    from click.testing import CliRunner

    from archive.cli import cli

    write_site(chdir_tmp / "site", STORIES)
    off = CliRunner().invoke(
        cli, ["ingest", "site", "--db", "off.db", "--cleaned", "c1", "--repeat-min-pages", "0"]
    )
    on = CliRunner().invoke(
        cli, ["ingest", "site", "--db", "on.db", "--cleaned", "c2", "--repeat-min-pages", "2"]
    )
    assert off.exit_code == 0 and on.exit_code == 0, off.output + on.output
    assert all(SLOGAN in body for body, _ in bodies("off.db").values())
    on_bodies = bodies("on.db")
    assert SLOGAN in on_bodies["site/page0.txt"][0]  # the first page of the site keeps it
    assert all(SLOGAN not in on_bodies[f"site/page{i}.txt"][0] for i in range(1, len(STORIES)))


def test_normalisation_equals_the_per_character_definition():
    """The translate table gives what CCNet's per-character loop gives, for every code point."""
    import unicodedata

    def by_loop(line: str) -> str:
        out = []
        for ch in unicodedata.normalize("NFKC", line).lower():
            cat = unicodedata.category(ch)
            if cat[0] not in "PSZC":
                out.append("0" if cat == "Nd" else ch)
        return "".join(out)

    code_points = list(range(0, 0x110000, 7)) + list(range(0x4E00, 0x4F00)) + list(range(0xFF00, 0xFFF0))
    for i in range(0, len(code_points), 40):
        line = "".join(map(chr, code_points[i : i + 40]))
        assert normalise_line(line) == by_loop(line)
