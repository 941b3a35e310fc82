"""Every row of ../shared/seeds/EXPECTED.md that the cleaner covers, on real files in tmp dirs."""

import json
import sqlite3

import pytest

import archive
from archive.clean.decode import decode
from archive.clean.text import clean_text
from archive.models import RawPage

SEED_NAMES = {
    "000": "000_ca5b4c4a1f7610de.txt",
    "001": "001_c453129873820a71.txt",
    "002": "002_ce9172f3eeb5a0a1.txt",
    "003": "003_e0fee5cd779be6d1.txt",
    "004": "004_ff0b8d711308bf98.txt",
}


@pytest.fixture
def seeds(seeds_dir):
    docs = {}
    for key, name in SEED_NAMES.items():
        path = seeds_dir / name
        docs[key] = clean_text(decode(RawPage(path=name, data=path.read_bytes())))
    return docs


@pytest.mark.parametrize(
    "key, first, last",
    [
        ("000", "嘉兴市第二医院始建于1895年", "目标而不懈努力。"),
        ("001", "今年7月26日,嘉兴市第二医院", "美好愿景而奋进。"),
        ("003", "94日上午10点整", "加快了医院发展的步伐。"),
        ("004", "这是一段踔厉奋发的光阴。", "“共同富裕先行典范”赶考路。"),
    ],
)
def test_body_first_and_last_characters(seeds, key, first, last):
    body = seeds[key].body
    assert body.startswith(first)
    assert body.endswith(last)


def test_002_one_line_kept_whole_without_metadata(seeds, seeds_dir):
    doc = seeds["002"]
    raw = (seeds_dir / SEED_NAMES["002"]).read_text(encoding="utf-8").strip()
    assert doc.body == raw
    assert doc.removed == []
    m = doc.metadata
    assert (m.title, m.published, m.source, m.authors, m.editor, m.site) == (None, None, None, [], None, None)
    assert not doc.fragmented


BOILERPLATE = {
    "000": ["当前位置:", "发布日期:2023-06-16 浏览次数:", "信息来源: 市卫生健康委", "分享:", "关闭 打印"],
    "001": [
        "南湖区“大走访、大宣讲、大解放”活动",
        "您当前的位置 : 浙江在线 >> 南湖新闻网 >> 生活服务 >> 健康",
        "标签:编辑:徐卉",
        "南湖新闻",
        "更多",
        "焦点图",
        "镇街部门",
        "嘉兴市南湖区新闻信息中心",
        "浙江南湖新闻网版权所有,保留所有的权利 浙江在线新闻网站平台支持",
        "浙江省人民政府新闻办公室 批准文号: 浙新办[2008]16号 浙ICP备09040541号",
        "网站介绍 | 广告服务 | 联系方式 | 法律声明",
        "2018/11/29 来源:南湖晚报 作者:通讯员 毛宠珍 何雯雯 晚报记者 鲍嘉 图片由嘉兴二院提供",
    ],
    "003": [
        "欢迎来到安庆市第二人民医院",
        "回到头部",
        "安庆市第二人民医院祝您健康~",
        "您的当前位置是:主页 > 新闻中心 >",
        "新闻中心",
        "官方微信公众号",
        "官方视频号",
        "安庆市第二人民医院(安庆市肿瘤医院)",
        "邮编:246004",
        "电话:0556-5212008",
        "aqey_sjjck@163.com",
        "备案号:皖ICP备13014413号-1 皖公网安备 34080302000055号",
        "总访问人数:",
        "事业单位标识符",
    ],
    "004": ["全媒体记者 马叶芬 通讯员 王勤丰 赵莉嫒"],
}


@pytest.mark.parametrize("key", sorted(BOILERPLATE))
def test_listed_boilerplate_is_gone_and_recorded(seeds, key):
    doc = seeds[key]
    removed_text = "\n".join(r.line for r in doc.removed)
    for line in BOILERPLATE[key]:
        assert line not in doc.body, line
        assert line in removed_text, line
    assert all(r.reason for r in doc.removed)


def test_removed_lines_carry_class_reasons(seeds):
    reasons = {r.line: r.reason for r in seeds["000"].removed}
    assert reasons["当前位置:"] == "breadcrumb"
    assert reasons["发布日期:2023-06-16 浏览次数:"] == "publish-info"
    assert reasons["信息来源: 市卫生健康委"] == "metadata"
    assert reasons["分享:"] == "widget"
    reasons3 = {r.line: r.reason for r in seeds["003"].removed}
    assert reasons3["备案号:皖ICP备13014413号-1 皖公网安备 34080302000055号"] == "footer"
    assert reasons3["总访问人数:"] == "counter"
    assert reasons3["官方视频号"] == "follow-us"
    assert reasons3["欢迎来到安庆市第二人民医院"] == "welcome"
    assert {r.reason for r in seeds["004"].removed} == {"byline"}


def test_metadata_000(seeds):
    m = seeds["000"].metadata
    assert m.title == "嘉兴市第二医院概况"
    assert m.published == "2023-06-16"
    assert m.source == "市卫生健康委"
    assert m.authors == [] and m.editor is None


def test_metadata_001(seeds):
    m = seeds["001"].metadata
    assert m.title == "关山度若飞 梦想变现实"
    assert m.published == "2018-11-29"
    assert m.source == "南湖晚报"
    assert m.authors == ["毛宠珍", "何雯雯", "鲍嘉"]
    assert m.editor == "徐卉"


def test_metadata_003(seeds):
    m = seeds["003"].metadata
    assert m.title == "【特色二院】勇立潮头谋新篇 ——市二院创新发展纪实"
    assert m.site == "安庆市第二人民医院"
    assert m.published is None and m.source is None and m.authors == []


def test_metadata_004_trailing_byline(seeds):
    doc = seeds["004"]
    assert doc.metadata.authors == ["马叶芬", "王勤丰", "赵莉嫒"]
    assert "马叶芬" not in doc.body
    assert doc.metadata.title is None


def test_001_sub_headings_kept(seeds):
    paragraphs = seeds["001"].paragraphs
    for heading in [
        "医疗接轨上海效果显著",
        "“双下沉、两提升”立竿见影",
        "医、学、研、教卓有成效",
        "为建设“健康嘉兴”贡献力量",
    ]:
        assert heading in paragraphs
    # Headings stay in place, between the paragraphs around them.
    i = paragraphs.index("医疗接轨上海效果显著")
    assert paragraphs[i - 1].endswith("指明了方向。") and paragraphs[i + 1].startswith("当嘉兴全面接轨上海")


def test_003_nbsp_lines_are_blank(seeds):
    assert all(p.strip() for p in seeds["003"].paragraphs)
    assert "\xa0" not in seeds["003"].body


def test_004_four_joins_and_fragment(seeds):
    paragraphs = seeds["004"].paragraphs
    body = seeds["004"].body
    for left, right in [
        ("内分泌科作为浙大二院与嘉善一院", "深度合作科室,"),
        ("使非内分泌科患者享受到", "内分泌专业团队"),
        ("中国县域急救医疗服务", "体系建设研讨会上,"),
        ("通过无痛支气", "管镜技术"),
    ]:
        assert any(left + right in p for p in paragraphs), left
    # The cut whose continuation stands sections later is not joined ...
    assert not any("在浙大二院血管外科专家的指导下" in p for p in paragraphs)
    assert not any("血管外科专家用精湛技术" in p for p in paragraphs)
    assert any(p.startswith("的指导下,嘉善一院") for p in paragraphs)
    # ... and flags the document.
    assert seeds["004"].fragmented
    assert "\n\n深度合作科室" not in body


@pytest.mark.parametrize("key", ["000", "001", "002", "003"])
def test_other_seeds_not_fragmented(seeds, key):
    assert not seeds[key].fragmented


def test_body_paragraphs_separated_by_one_blank_line(seeds):
    body = seeds["001"].body
    assert "\n\n\n" not in body
    assert body.split("\n\n") == seeds["001"].paragraphs


def test_ingest_stores_metadata_and_removed_lines(seeds_dir, chdir_tmp):
    stats = archive.ingest([seeds_dir], db="a.db", cleaned_dir="cleaned")
    assert stats.rejected == 0
    con = sqlite3.connect("a.db")
    con.row_factory = sqlite3.Row
    rows = {r["path"].split("/")[-1][:3]: r for r in con.execute("SELECT * FROM documents")}
    r1 = rows["001"]
    assert r1["title"] == "关山度若飞 梦想变现实"
    assert r1["published"] == "2018-11-29"
    assert json.loads(r1["authors"]) == ["毛宠珍", "何雯雯", "鲍嘉"]
    assert r1["editor"] == "徐卉"
    removed = json.loads(r1["removed"])
    assert {"line": "网站介绍 | 广告服务 | 联系方式 | 法律声明", "reason": "link-row"} in removed
    assert rows["004"]["fragmented"] == 1
    assert rows["000"]["fragmented"] == 0
    assert rows["003"]["site"] == "安庆市第二人民医院"


# ------------------------------------------------ seed variants: same classes, other forms

FULL_WIDTH = str.maketrans({":": "：", ",": "，", "(": "（", ")": "）"})


def _process(name, data):
    return archive.process(RawPage(path=name, data=data)).clean


def test_001_full_width_gbk_crlf_other_separator(seeds_dir):
    text = (seeds_dir / SEED_NAMES["001"]).read_text(encoding="utf-8")
    variant = text.translate(FULL_WIDTH).replace(" >> ", " » ").replace("\n", "\r\n")
    doc = _process("v001.txt", variant.encode("gb18030"))
    m = doc.metadata
    assert m.title == "关山度若飞 梦想变现实"
    assert m.published == "2018-11-29" and m.source == "南湖晚报"
    assert m.authors == ["毛宠珍", "何雯雯", "鲍嘉"] and m.editor == "徐卉"
    assert doc.body.startswith("今年7月26日，嘉兴市第二医院") and doc.body.endswith("美好愿景而奋进。")
    assert "医疗接轨上海效果显著" in doc.paragraphs
    assert not doc.fragmented


def test_000_date_with_time_in_chinese_form(seeds_dir):
    text = (seeds_dir / SEED_NAMES["000"]).read_text(encoding="utf-8")
    variant = text.replace(
        "发布日期:2023-06-16 浏览次数:", "发布时间：2023年6月16日 10:30　点击：35"
    ).replace("当前位置:", "您所在的位置：首页 > 政务公开")
    doc = _process("v000.txt", variant.encode("utf-8"))
    assert doc.metadata.published == "2023-06-16T10:30"
    assert doc.metadata.title == "嘉兴市第二医院概况"
    assert doc.body.startswith("嘉兴市第二医院始建于1895年") and doc.body.endswith("目标而不懈努力。")


def test_003_footer_in_another_order_and_traditional_labels(seeds_dir):
    lines = (seeds_dir / SEED_NAMES["003"]).read_text(encoding="utf-8").split("\n")
    footer_start = lines.index("官方微信公众号")
    variant = lines[:footer_start] + list(reversed(lines[footer_start:]))
    variant = [line.replace("电话", "電話").replace("邮编", "郵編") for line in variant]
    doc = _process("v003.txt", "\n".join(variant).encode("utf-8"))
    assert doc.body.startswith("94日上午10点整") and doc.body.endswith("加快了医院发展的步伐。")
    assert doc.metadata.site == "安庆市第二人民医院"
    assert not any("電話" in p or "ICP" in p for p in doc.paragraphs)


def test_004_byline_in_traditional_script(seeds_dir):
    text = (seeds_dir / SEED_NAMES["004"]).read_text(encoding="utf-8")
    variant = text.replace("全媒体记者 马叶芬 通讯员 王勤丰 赵莉嫒", "全媒體記者 馬葉芬 通訊員 王勤豐 趙莉嫒")
    doc = _process("v004.txt", variant.encode("utf-8"))
    assert doc.metadata.authors == ["馬葉芬", "王勤豐", "趙莉嫒"]
    assert doc.fragmented and doc.body.endswith("“共同富裕先行典范”赶考路。")
