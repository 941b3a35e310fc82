"""Metadata readers on lines written for the test: both scripts, both widths, several date forms."""

import pytest

from archive.clean import metadata as meta
from archive.clean.text import clean_lines
from archive.models import Metadata, RemovedLine

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
        # Date and time in adjacent inline elements, rendered with no space between them.
        ("发布时间：2018-03-0823:16", "2018-03-08T23:16"),
        ("2018-03-081", None),
        # A two-digit year after a publish label is year-month-day.
        ("发布时间：18-03-08 23:16", "2018-03-08T23:16"),
        ("发布时间：18-03-0823:16", "2018-03-08T23:16"),
        ("更新時間：19-1-5", "2019-01-05"),
        ("比分 18-03-08", None),  # no label: not a date
        ("时间：10-08 12:00", None),  # month and day only
        ("日期：19-13-40", None),
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
        ("来源于：东区办事处", "东区办事处"),
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
        ("责任编辑：管理员", None),
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
        # Any later "label:" ends the names, not only the labels the rules know.
        ("作者：王晓 浏览次数：128", ["王晓"]),
        ("作者:王晓 李明 字号:大中小", ["王晓", "李明"]),
        # Placeholders a CMS prints in the author slot, and the author's widgets.
        ("作者：未知", []),
        ("作者：佚名", []),
        ("作者：admin", []),
        ("作者最新文章", []),
        ("作者简介", []),
        # What was done to the text is not a name.
        ("（记者陈智 整合）", ["陈智"]),
        # "the web": a text compiled from other sites credits no person.
        ("时间：2019-09-25 作者：网络整理", []),
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
    assert RemovedLine("来源：某某日报 作者：张三", "metadata") in result.removed
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


# ------------------------------------------------------------ credits and datelines


@pytest.mark.parametrize(
    "line, names",
    [
        ("記者陳大文／台北報導", ["陳大文"]),
        ("◎ 記者林小華/採訪報導", ["林小華"]),
        ("（張志明報導）", ["張志明"]),
        ("记者 张三 李四 杭州报道", ["张三", "李四"]),
    ],
)
def test_credit_lines(line, names):
    assert meta.read_byline(line) == names


@pytest.mark.parametrize(
    "paragraph, authors, outlet",
    [
        ("【某某醒報記者林小華台北報導】週末就是投票日，選戰的溫度升高。", ["林小華"], "某某醒報"),
        ("新華社柏林1月10日電 (記者郭大洋)某國“抗生雞”事件一經曝光。", ["郭大洋"], "新華社"),
        ("某某新闻网12月14日讯（记者 张三 通讯员 李四）为及时处置突发事件。", ["张三", "李四"], "某某新闻网"),
        ("[某某财讯]某市工商局通报，抽检出不合格食品。", [], "某某财讯"),
        ("本报讯（记者王五）昨天，市环保局表示。", ["王五"], None),
        ("某某文匯報訊（記者 高小鈺）某大學昨日宣布。", ["高小鈺"], "某某文匯報"),
        ("【林小玲╱新北報導】農曆除夕是圍爐團聚的時刻。", ["林小玲"], None),
        ("【某某专题】某市出台新规，市民关心的问题有了答案。", [], None),
        ("市人民医院于今年三月启动新院区建设。", [], None),
    ],
)
def test_lead_credit(paragraph, authors, outlet):
    assert meta.read_lead_credit(paragraph) == (authors, outlet)


@pytest.mark.parametrize(
    "line, outlet",
    [
        ("北京某某網 (2012-01-12 16:10)", "北京某某網"),
        ("某傳媒╱記者丁小伶／台北報導 2012-01-12 12:01", "某傳媒"),
        ("某某新聞╱某某新聞 2012-01-17 16:04", "某某新聞"),
        ("手机免费访问　某某网　2011年12月15日 23:51", "某某网"),
        ("某学院校长 率义工敬老送暖 (2012-01-12)", None),
        ("2012年1月12日 12:17", None),
        ("时间：2012-01-12 来源：某某日报", None),
    ],
)
def test_provider_slot(line, outlet):
    assert meta.read_provider(line) == outlet


def test_page_with_bare_name_between_headline_and_date():
    lines = [
        "首頁 ＞ 生活新聞",
        "某某診所認證大勝醫院",
        "陳小凱",
        "2012年1月12日 12:17",
        "新手媽媽看過來，誰說生產非大醫院不可！推廣母嬰同室的認證成績，今年前10名中診所就囊括7名。",
        "記者陳小凱／台北報導",
        "鼓勵醫療院所響應國家母乳哺育政策，提供母嬰親善的哺乳環境，今年首度由診所奪得第一名。",
    ]
    result = clean_lines(lines)
    m = result.metadata
    assert m.title == "某某診所認證大勝醫院"
    assert m.published == "2012-01-12T12:17"
    assert m.authors == ["陳小凱"]
    assert len(result.paragraphs) == 2 and "記者陳小凱／台北報導" not in result.paragraphs


def test_labelled_source_wins_over_dateline_agency():
    lines = [
        "标题行",
        "2012-01-12 来源：某某网",
        "某某社北京1月9日电 某市出台新规，市民关心的问题有了答案，群众纷纷点赞。",
        BODY,
    ]
    assert clean_lines(lines).metadata.source == "某某网"


def test_data_source_is_not_the_outlet():
    assert meta.read_source("資料來源：某某醫師") is None
    assert meta.read_source("本文来源于《某某网》 2012年01月12日") == "某某网"


def test_provider_slot_after_the_time():
    assert meta.read_provider("2012-01-12 17:16:28 某某网站 |  我来说两句 (0)") == "某某网站"
    assert meta.read_provider("http://www.example.cn2011-12-09某某晚报") == "某某晚报"


@pytest.mark.parametrize(
    "line, names",
    [
        ("新华社记者任大军　阳小建", ["任大军", "阳小建"]),
        ("□快報記者 劉小峻", ["劉小峻"]),
        ("◎ 記者林小旻/編譯", ["林小旻"]),
        ("记者张三通讯员李四", ["张三", "李四"]),
        ("記者調查", []),  # a sub-heading, not a credit
        ("记者了解到，目前省血液中心曾经推出", []),  # prose that starts with a role word
    ],
)
def test_more_credit_lines(line, names):
    assert meta.read_byline(line) == names


def test_unbracketed_lead_credit():
    assert meta.read_lead_credit("某某网讯 实习生张小丽、记者王大亮报道：1月15日，省体育局召开会议。") == (
        ["张小丽", "王大亮"],
        "某某网",
    )


def test_trailing_role_credits_and_outlet_alone():
    assert meta.read_byline("(李小伟 编译)") == ["李小伟"]
    assert meta.credit_names("新华社记者") == []


@pytest.mark.parametrize(
    "line, dateline",
    [
        ("http://www.example.com   2012-01-09 10:52:51", True),
        ("某某健康資訊網╱abc新聞中心林小旻 2012-01-12 10:50", True),
        ("某学院校长 率义工敬老送暖 (2012-01-12) (图)", False),
    ],
)
def test_dateline_vs_listing_entry(line, dateline):
    assert meta.is_dateline(line) is dateline


def test_headline_above_url_dateline():
    lines = [
        "【大 中 小】 【打 印】",
        "某医院称看病满2000元就送火车票",
        "http://www.example.com   2012-01-09 10:52:51",
        BODY,
        BODY2,
    ]
    m = clean_lines(lines).metadata
    assert m.title == "某医院称看病满2000元就送火车票" and m.published == "2012-01-09T10:52"


def test_photo_only_credit_and_text_and_photo_credit():
    assert meta.read_byline("（新华社记者张小光摄）") == []
    assert meta.read_byline("(某某晚報記者 林小鎮 實習生 黃小平 文/攝)") == ["林小鎮", "黃小平"]


def test_a_short_sentence_with_a_date_is_not_metadata():
    assert not meta.is_metadata_line("第四十八条本法自1998年5月1日起施行。")
    assert meta.is_metadata_line("2012-01-12 16:10")


def test_plain_article_lines_are_kept():
    # One paragraph a line, no page furniture: nothing but the headline leaves.
    lines = [
        "迈向新世纪的讲话",
        BODY,
        "第四十八条本法自1998年5月1日起施行。",
        BODY2,
        "同胞们、朋友们：",
        BODY,
    ]
    result = clean_lines(lines)
    assert result.paragraphs == lines[1:]
    assert result.metadata.title == "迈向新世纪的讲话" and result.metadata.published is None


def test_container_metadata_is_only_a_fallback():
    import archive
    from archive.models import RawPage

    text = "\n".join(["标题行", "2023-06-16", BODY, BODY2]).encode("utf-8")
    stated = archive.process(
        RawPage(path="a.txt", data=text, meta={"title": "容器标题", "date": "2024-01-02T03:04:05Z"})
    )
    assert stated.clean.metadata.title == "标题行" and stated.clean.metadata.published == "2023-06-16"
    bare = archive.process(
        RawPage(
            path="b.txt",
            data=f"{BODY}\n{BODY2}".encode(),
            meta={"title": "容器标题", "date": "2024-01-02T03:04:05Z"},
        )
    )
    assert bare.clean.metadata.title == "容器标题" and bare.clean.metadata.published == "2024-01-02"


@pytest.mark.parametrize(
    "line, source",
    [
        ("来源：( 某某在线 )", "某某在线"),
        ("本文来源于某某社　2012年01月11日 15:48  我要评论（0）", "某某社"),
        ("数据来源于国家统计局", None),  # prose, not the article's source
    ],
)
def test_source_forms(line, source):
    assert meta.read_source(line) == source


def test_according_to_outlet_with_date():
    assert meta.read_lead_credit("据某某金报1月12日报道，由于春节在1月下旬，市场提前升温。") == (
        [],
        "某某金报",
    )


def test_four_character_names_stay_whole():
    assert meta.read_byline("記者歐陽小明／台北報導") == ["歐陽小明"]
    assert meta.credit_names("記者歐陽小明台北報導") == ["歐陽小明"]
    assert meta.credit_names("記者林小靜台北報導") == ["林小靜"]


@pytest.mark.parametrize(
    "paragraph, names",
    [
        (BODY + "（记者 王大亮）", ["王大亮"]),
        (BODY + "(通訊員 林小文 記者 陳大同)", ["林小文", "陳大同"]),
        (BODY + "（張美華報導）", ["張美華"]),
        (BODY + "報導╱林小文、陳大同", ["林小文", "陳大同"]),
        (BODY + "報導的內容", []),
        (BODY + "（某某晚报记者 李明 实习生 赵亮）", ["李明", "赵亮"]),
        (BODY + "（新华社记者 张三 摄）", []),  # a photo credit is not authorship
        (BODY + "（李明）", []),  # a bare name in brackets could be anything
        (BODY + "（见图）", []),
        (BODY + "（譯者：中央社張美華）", []),  # a labelled credit is the line rules' to read
        ("（记者 王大亮）" + BODY, []),  # not at the end: read_lead_credit's
    ],
)
def test_closing_credit(paragraph, names):
    assert meta.read_closing_credit(paragraph) == names


def test_credit_closing_the_last_or_first_paragraph_names_the_authors():
    assert clean_lines(
        ["新院区建设启动", "", BODY, "", BODY2 + "（记者 王大亮 通讯员 李小文）"]
    ).metadata.authors == [
        "王大亮",
        "李小文",
    ]
    # Broadcast reports credit the lead paragraph.
    assert clean_lines(["新院区建设启动", "", BODY + "（陳大同報導）", "", BODY2]).metadata.authors == [
        "陳大同"
    ]


def test_lead_credit_under_a_one_sentence_summary():
    lines = [
        "新院区建设启动",
        "",
        "市人民医院新院区昨日开工。",
        "",
        "某某网讯 记者王大亮报道：" + BODY,
        "",
        BODY2,
    ]
    assert clean_lines(lines).metadata.authors == ["王大亮"]
    # Without the summary shape (the first paragraph is the longer), the second is not read.
    lines[2] = BODY2 + BODY2
    assert clean_lines(lines).metadata.authors == []


@pytest.mark.parametrize(
    "line, outlet",
    [
        ("(京华时报)", "京华时报"),
        ("【新华社】", "新华社"),
        ("（中央日報）", "中央日報"),
        ("（完）", None),
        ("【国际新闻】", None),  # a section label
        ("（见图）", None),
        ("(京华时报记者 王大亮)", None),  # a credit, not an outlet
    ],
)
def test_bracketed_outlet_line(line, outlet):
    assert meta.read_bracketed_outlet(line) == outlet


def test_a_bracketed_outlet_under_the_article_is_its_source():
    result = clean_lines(["新院区建设启动", "", BODY, "", BODY2, "", "(某某晚报)", "[责任编辑：李小文]"])
    assert result.metadata.source == "某某晚报"
    assert result.paragraphs == [BODY, BODY2]


def test_bracketed_dateline_names_the_outlet():
    assert meta.read_lead_credit("（法新社日內瓦16日電）" + BODY)[1] == "法新社"
    assert meta.read_lead_credit("（新华社北京1月16日电）" + BODY)[1] == "新华社"


@pytest.mark.parametrize(
    "line, is_meta",
    [
        ("(AFP) – 11 小時前", True),
        ("新华网 5分钟前", True),
        ("3天前", True),
        ("三天前他还在工地上忙碌着", False),
    ],
)
def test_relative_time_stamp_is_metadata(line, is_meta):
    assert meta.is_metadata_line(line) is is_meta


def test_headline_above_a_relative_time_stamp():
    result = clean_lines(["返回新闻首页", "新院区建设启动", "(某某社) – 11 小时前", BODY, "", BODY2])
    assert result.metadata.title == "新院区建设启动"


def test_headline_sits_on_the_dateline_not_on_a_related_box_under_it():
    lines = [
        "首页 > 财经 > 正文",
        "新院区建设正式启动",
        "www.example.com 2023-06-16 10:30　某某网",
        "相关新闻",
        "另一条新闻的标题在这里",
        "[字体：大 中 小] 收藏 分享 打印",
        BODY,
        BODY2,
    ]
    m = clean_lines(lines).metadata
    assert m.title == "新院区建设正式启动"
    assert m.published == "2023-06-16T10:30"


@pytest.mark.parametrize(
    "line, url_dateline",
    [
        ("http://news.example.com.cn    2012-01-17 14:54", True),
        ("2012-01-17 14:54", True),
        ("某某医院举办义诊活动 2012-01-17", False),  # a listing entry: a title before the date
        ("北京新浪網 (2012-01-12 16:10)", False),  # a provider: is_dateline's, near the body only
    ],
)
def test_url_dateline(line, url_dateline):
    assert meta.is_url_dateline(line) is url_dateline


@pytest.mark.parametrize(
    "paragraph, date",
    [
        ("【某某電視2012年1月11日訊】" + BODY, "2012-01-11"),
        ("（中央社記者王小明台北2012年1月16日電）" + BODY, "2012-01-16"),
        ("【某某報２０１２年０１月１１日訊】" + BODY, "2012-01-11"),
        ("新华社北京1月16日电 " + BODY, None),  # no year: dates nothing
        ("2012年1月11日，市政府召开会议。" + BODY, None),  # a date in a sentence, not a dateline
    ],
)
def test_lead_dateline_date(paragraph, date):
    assert meta.read_lead_date(paragraph) == date


def test_lead_dateline_dates_a_page_that_states_no_other_date():
    assert clean_lines(
        ["新院区建设启动", "", "【某某電視2012年1月11日訊】" + BODY, "", BODY2]
    ).metadata.published == ("2012-01-11")


@pytest.mark.parametrize(
    ("line", "names"),
    [
        # An outlet glued before the role after a label's colon is not a name, whatever
        # the outlet's name ends with.
        ("采写：南都记者 方南", ["方南"]),
        ("文：新京记者 王五", ["王五"]),
        ("采写：晨报记者 赵六 通讯员 钱七", ["赵六", "钱七"]),
        # Names glued after their roles stay names.
        ("记者张三通讯员李四", ["张三", "李四"]),
    ],
)
def test_outlet_glued_before_a_role_after_a_label(line, names):
    assert meta.credit_names(line) == names


def test_a_line_that_is_only_a_credit_names_everyone_in_it():
    # The labelled-field reader starts at the first bare role (实习生) and would lose the
    # reporter whose role is glued to the outlet; the credit reader reads the whole line.
    body = "据了解，这家医院推出的促销活动引起了不少市民的关注，相关部门已经介入调查此事。" * 2
    result = clean_lines(
        [
            "医院促销惹争议",
            body,
            body + "有关负责人表示将依法处理。",
            "(某某晚报记者 王小明 实习生 李大伟 文/摄)",
        ]
    )
    assert result.metadata.authors == ["王小明", "李大伟"]


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("January 17, 2012 06:00 AM | 151 次 | 0 | 0", "2012-01-17T06:00"),
        ("Jan. 5, 2012", "2012-01-05"),
        ("17 January 2012 18:30", "2012-01-17T18:30"),
        ("Posted Dec 31st, 2011, 12:15 pm", "2011-12-31T12:15"),
        ("March 3, 2012 12:01 AM", "2012-03-03T00:01"),  # 12 AM is just after midnight
        ("May 2012", None),  # no day: not a publication date
        ("mayday 5, 2012", None),  # a month name inside a word is not one
    ],
)
def test_english_dates(text, iso):
    assert meta.parse_date(text) == iso


HEAD_BODY = "记者今天从市卫生部门获悉，本市将在春节期间安排多家医院开设节日门诊，方便市民就医。"
HEAD_BODY2 = "据介绍，节日门诊将覆盖内科、外科和儿科等常见科室，市民可以通过官方网站查询具体安排。"


def test_headline_above_widget_captions_and_player_controls():
    # Between headline and body: a video widget's caption, a label with no value, player
    # controls as a link row. The headline is the line above them, not a caption.
    lines = [
        "首页",
        "新闻",
        "健康",
        "冬天如何保护皮肤 医生来教你",
        "mp4观看下载",
        "Embed:",
        "播放 | 暂停 | 下一页 >>",
        HEAD_BODY,
        HEAD_BODY2,
    ]
    assert clean_lines(lines).metadata.title == "冬天如何保护皮肤 医生来教你"


def test_dateline_under_headline_and_english_date():
    lines = [
        "首页",
        "生活",
        "打工多年 男子回乡建楼送村民",
        "综合新闻组上海5日电",
        "March 5, 2012 10:00 AM | 20 次 | 0",
        HEAD_BODY,
        HEAD_BODY2,
    ]
    result = clean_lines(lines)
    assert result.metadata.title == "打工多年 男子回乡建楼送村民"
    assert result.metadata.published == "2012-03-05T10:00"


def test_outlet_slash_credit_on_its_date_is_the_dateline_not_a_listing():
    lines = [
        "美食",
        "旅行",
        "外购年菜 注意热量为健康把关",
        "某某好新闻╱台北 2012-01-17 18:43",
        "讨论 (+)",
        "调整字号：",
        HEAD_BODY,
        HEAD_BODY2,
    ]
    result = clean_lines(lines)
    assert result.metadata.title == "外购年菜 注意热量为健康把关"
    assert result.metadata.published == "2012-01-17T18:43"


@pytest.mark.parametrize(
    ("line", "outlet"),
    [
        ("采写：南都记者 方南", "南都"),
        ("(某某晚報記者 林大同 實習生 黃小平 文/攝)", "某某晚報"),
        ("文/新京报记者 李四", "新京报"),
        ("本报记者 张三", None),  # "this paper" names no outlet
        ("记者 张三", None),
        ("（張大祿報導）", None),  # a name before a role that follows its names
    ],
)
def test_read_credit_outlet(line, outlet):
    assert meta.read_credit_outlet(line) == outlet


@pytest.mark.parametrize(
    ("paragraph", "outlet"),
    [
        ("【新唐人2012年1月11日訊】寒冷的天氣裡相對溼度降低。", "新唐人"),
        ("【某某電視2012年01月12日訊】（記者王明台北報導）今天。", "某某電視"),
        ("北京2012年1月5日电 今天。", None),  # unbracketed: a place, not an outlet
        ("【本报2012年1月5日讯】今天。", None),
        ("（中央社記者張三台北2012年1月5日電）今天。", None),
    ],
)
def test_read_lead_outlet(paragraph, outlet):
    assert meta.read_lead_outlet(paragraph) == outlet


def test_provider_with_a_numeric_brand():
    assert meta.read_provider("21世纪网 何漪 2011-12-15 23:46:41  评论0条") == "21世纪网"
    assert meta.read_provider("TVBS新聞網 2012-01-05 10:00") == "TVBS新聞網"


def test_lead_credit_below_a_summary_the_next_paragraph_repeats():
    summary = "春节赴港旅游价格大幅上涨，有什么办法可以省钱出游？"
    lines = [
        "春节赴港游 三招可省钱",
        "2012年01月12日 19:13",
        summary + "旅行社人士建议错峰出行。",
        summary + "旅行社人士建议错峰出行。",
        "据某某晚报1月12日报道，由于春节在1月下旬，正好是香港各大商家的新年打折期，购物观光的游客较多。",
        "旅行社人士表示，提前预订酒店和机票，可以节省不少费用，也能避开出行高峰。",
    ]
    assert clean_lines(lines).metadata.source == "某某晚报"


# --- the headline of a text dump, checked against the article's opening --------------------


def test_a_byline_between_headline_and_dateline_is_not_the_headline():
    lines = [
        "首页 > 城市",
        "新院区建设启动：计划投资十二亿元新增床位一千二百张",
        "张明/某某日报",  # sits on the dateline, names no one the article speaks of
        "2023-06-16 10:30",
        "字号",
        BODY,
        BODY2,
    ]
    m = clean_lines(lines).metadata
    assert m.title == "新院区建设启动：计划投资十二亿元新增床位一千二百张"
    assert m.published == "2023-06-16T10:30"


def test_headline_above_share_widgets_and_a_comment_count():
    lines = [
        "要闻",
        "娱乐",
        "市人民医院新院区建设启动 新增床位一千二百张",
        "分享",
        "用微信扫描二维码",
        "评论",
        "2819",
        BODY,
        BODY2,
    ]
    assert clean_lines(lines).metadata.title == "市人民医院新院区建设启动 新增床位一千二百张"


def test_a_counter_is_never_the_headline():
    lines = ["要闻", "娱乐", "分享", "评论", "2819", BODY, BODY2]
    assert clean_lines(lines).metadata.title is None


def test_a_round_ups_first_item_under_the_dateline_is_not_the_headline():
    # The headline of a round-up says little of its first item; the item's own headline,
    # under the dateline, shares the most words with the opening but is not the page's.
    lines = [
        "资讯正文",
        "【资讯汇总】今日重要资讯汇总 准确把握动态",
        "2023年6月16日 15:10 来源：某某网",
        "本地要闻",
        "【某某日报】市人民医院新院区建设启动 新增床位一千二百张",
        BODY,
        BODY2,
    ]
    assert clean_lines(lines).metadata.title == "【资讯汇总】今日重要资讯汇总 准确把握动态"


def test_a_row_of_fields_is_read_cell_by_cell():
    lines = [
        "首页 > 业界",
        "新院区建设启动 新增床位一千二百张",
        "发表于2023-06-16 21:30| 1164次阅读| 来源某某网| 0 条评论| 作者张明",
        BODY,
        BODY2,
    ]
    assert clean_lines(lines).metadata.published == "2023-06-16T21:30"


def test_the_headlines_dateline_is_read_when_widgets_push_it_out_of_the_lead():
    widgets = ["分享到", "微信", "微博", "QQ空间", "用微信扫描二维码", "分享至好友和朋友圈"]
    lines = [
        "首页 > 城市",
        "新院区建设启动 新增床位一千二百张",
        "2023-06-16 09:59:22　来源: 某某日报 举报",
        *widgets,
        *widgets,
        "x",
        BODY,
        BODY2,
    ]
    assert len(lines) - 3 > 12  # more non-blank lines than the lead window between them
    m = clean_lines(lines).metadata
    assert m.title == "新院区建设启动 新增床位一千二百张"
    assert m.published == "2023-06-16T09:59"
