"""Metadata readers on lines written for the test: both scripts, both widths, several date forms."""

import pytest

from archive.clean import metadata as meta
from archive.clean.text import clean_lines
from archive.models import Metadata

BODY = "市人民医院于今年三月启动新院区建设，计划投资十二亿元，新增床位一千二百张，预计两年内完工并投入使用。"
BODY2 = "院方表示，新院区将重点建设心血管、肿瘤和儿科三大中心，同时引进一批高层次人才，提升区域医疗服务能力。"


@pytest.mark.parametrize(
    "text, iso",
    [
        ("2023-06-16", "2023-06-16"),
        ("2018/11/29", "2018-11-29"),
        ("2023年6月16日", "2023-06-16"),
        ("2023-6-16 10:30", "2023-06-16T10:30"),
        ("2023年6月16日 10:30", "2023-06-16T10:30"),
        ("发布时间：2023年06月16日　10：30：15", "2023-06-16T10:30"),
        ("２０２３年６月１６日", "2023-06-16"),
        ("2012-01-12 16:01:03", "2012-01-12T16:01"),
        ("發佈時間：2012.01.12", "2012-01-12"),
        ("没有日期", None),
        ("2023-13-45", None),
    ],
)
def test_parse_date(text, iso):
    assert meta.parse_date(text) == iso


@pytest.mark.parametrize(
    "line, source",
    [
        ("来源：《人民日报》", "人民日报"),
        ("信息来源: 市卫生健康委", "市卫生健康委"),
        ("來源：中央社", "中央社"),
        ("稿源：新华社　作者：张三", "新华社"),
        ("文章来源: 华西都市报  \t责任编辑: 悠悠", "华西都市报"),
        ("出處：聯合報", "聯合報"),
        ("2012-01-12 15:21  来源：京华时报", "京华时报"),
        ("作者：张三", None),
    ],
)
def test_read_source(line, source):
    assert meta.read_source(line) == source


@pytest.mark.parametrize(
    "line, editor",
    [
        ("责任编辑：王五", "王五"),
        ("責任編輯：陳小明", "陳小明"),
        ("【责任编辑：吕涛】", "吕涛"),
        ("编辑:李雷", "李雷"),
        ("標籤：編輯：林一", "林一"),
        ("(韩梅梅 编辑)", "韩梅梅"),
        ("来源：新华社", None),
    ],
)
def test_read_editor(line, editor):
    assert meta.read_editor(line) == editor


@pytest.mark.parametrize(
    "line, authors",
    [
        ("作者：通讯员 张三 李四 晚报记者 王五 图片由某某医院提供", ["张三", "李四", "王五"]),
        ("作者:記者 陳大文、林小華", ["陳大文", "林小華"]),
        ("文/赵六", ["赵六"]),
        ("来源：某某日报　作者：记者 张三 实习生 钱七", ["张三", "钱七"]),
        ("記者林小華／台北報導", ["林小華"]),
        ("摄影：孙八", []),
        ("来源：某某日报", []),
    ],
)
def test_read_authors(line, authors):
    assert meta.read_authors(line) == authors


@pytest.mark.parametrize(
    "line, names",
    [
        ("全媒体记者 张三 通讯员 李四 王五", ["张三", "李四", "王五"]),
        ("（記者 陳大文 通訊員 林小華）", ["陳大文", "林小華"]),
        ("记者：张三", ["张三"]),
        ("新院区建设进展顺利", []),
        (BODY, []),
    ],
)
def test_read_byline(line, names):
    assert meta.read_byline(line) == names


def test_traditional_script_page():
    lines = [
        "首頁 > 新聞 > 醫療",
        "新院區建設啟動",
        "發布時間：2012年1月12日 16:10　來源：中央社　記者 陳大文",
        "市立醫院於今年三月啟動新院區建設，計劃投資十二億元，新增床位一千二百張，預計兩年內完工。",
        "院方表示，新院區將重點建設心血管、腫瘤和兒科三大中心，同時引進一批高層次人才。",
        "責任編輯：林小華",
        "版權所有 © 某某新聞網",
    ]
    result = clean_lines(lines)
    m = result.metadata
    assert m.title == "新院區建設啟動"
    assert m.published == "2012-01-12T16:10"
    assert m.source == "中央社"
    assert m.authors == ["陳大文"]
    assert m.editor == "林小華"
    assert len(result.paragraphs) == 2
    assert {r.reason for r in result.removed} >= {"breadcrumb", "title", "publish-info", "metadata", "footer"}


def test_absent_fields_stay_none():
    m = clean_lines(["新院区建设启动", "", BODY, "", BODY2]).metadata
    assert m.title == "新院区建设启动"
    assert (m.published, m.source, m.authors, m.editor, m.site) == (None, None, [], None, None)


def test_date_in_body_is_not_the_published_date():
    m = clean_lines(["2020年5月20日，" + BODY, BODY2]).metadata
    assert m.published is None


def test_photo_credit_is_not_an_author():
    m = clean_lines(["标题行", "2023-06-16 图片由某某医院提供", BODY, BODY2]).metadata
    assert m.authors == []
    assert m.published == "2023-06-16"


def test_metadata_line_leaves_the_body_with_reason():
    result = clean_lines(["标题行", BODY, "来源：某某日报 作者：张三", BODY2])
    assert result.paragraphs == [BODY, BODY2]
    assert {"line": "来源：某某日报 作者：张三", "reason": "metadata"} in [r.__dict__ for r in result.removed]
    assert result.metadata.source == "某某日报"
    assert result.metadata.authors == ["张三"]


def test_hints_win_and_fill():
    hints = Metadata(title="网页标题", published="2020-01-02")
    m = clean_lines(["标题行", "来源：某某日报", BODY, BODY2], hints=hints).metadata
    assert m.title == "网页标题" and m.published == "2020-01-02" and m.source == "某某日报"


def test_site_from_welcome_and_footer():
    assert meta.read_site("欢迎访问某某市人民医院官方网站！") == "某某市人民医院"
    assert meta.read_site("歡迎來到某某大學") == "某某大學"
    assert meta.read_site("某某新闻网版权所有，保留所有权利") == "某某新闻网"
    assert meta.read_site("Copyright © 2023") is None
