"""Boilerplate classes on pages written for the test: other wordings, separators, widths, orders."""

import pytest

import archive
from archive.clean.boilerplate import classify_lines, dateline_headline, rule_reason
from archive.clean.text import clean_lines
from archive.models import RawPage, RemovedLine

PARA1 = "市人民医院于今年三月启动新院区建设，计划投资十二亿元，新增床位一千二百张，预计两年内完工并投入使用。"
PARA2 = "院方表示，新院区将重点建设心血管、肿瘤和儿科三大中心，同时引进一批高层次人才，提升区域医疗服务能力。"
PARA3 = (
    "据介绍，新院区还将建设智慧医院信息平台，实现预约挂号、检查检验和费用结算的全流程线上办理，方便群众就医。"
)


@pytest.mark.parametrize(
    "line, reason",
    [
        ("当前位置：首页 > 新闻动态 > 医院新闻", "breadcrumb"),
        ("您现在的位置：首页 » 新闻 » 正文", "breadcrumb"),
        ("所在位置: 主页 / 通知公告", "breadcrumb"),
        ("当前页面：", "breadcrumb"),
        ("您目前的位置是：网站首页 › 要闻", "breadcrumb"),
        ("首页 >> 文娱 >> 娱乐新闻", "breadcrumb"),
        ("首頁 > 新聞 > 社會", "breadcrumb"),
        ("发布时间：2023年6月16日 10:30  点击数：128", "publish-info"),
        ("發佈時間：2012-01-12 瀏覽次數：56", "publish-info"),
        ("字号：大 中 小", "publish-info"),
        ("【字体：大 中 小】", "publish-info"),
        ("阅读：1024", "publish-info"),
        ("【打印本页】 【关闭窗口】", "widget"),
        ("[推荐] [收藏] [打印] [关闭]", "widget"),
        ("分享到：微博 微信 QQ空间", "widget"),
        ("返回顶部", "widget"),
        ("列印 轉寄 關閉", "widget"),
        ("點下放大", "widget"),  # an image's zoom prompt, one under every photo
        ("【点击查看大图】", "widget"),
        # A promotion banner: teaser copy around a bracketed click prompt.
        ("年度人物评选火热进行中！【点击投票】选出你心目中的商业领袖", "promo"),
        ("[点此报名] 第三届健康跑活动开始报名", "promo"),
        ("Copyright © 2008-2023 某某市卫生健康委员会 All Rights Reserved", "footer"),
        ("某某日报社版權所有，未經授權不得轉載", "footer"),
        ("京ICP备12345678号-2", "footer"),
        ("粤公网安备 44010602000123号", "footer"),
        ("网站标识码：3304000012", "footer"),
        ("主办单位：某某市人民政府办公室　承办：某某市大数据中心", "footer"),
        ("技术支持：某某科技有限公司", "footer"),
        ("地址：某某市人民路1号 邮编：314000", "contact"),
        ("联系电话：0573-12345678　传真：0573-87654321", "contact"),
        ("电子邮箱：office@example.gov.cn", "contact"),
        ("访问量：123456", "counter"),
        ("您是第 1024 位访客", "counter"),
        ("欢迎访问某某市人民医院官方网站！", "welcome"),
        ("欢迎光临本站", "welcome"),
        ("扫一扫，关注我们", "follow-us"),
        ("官方微博", "follow-us"),
        ("标签：医院 建设", "tags"),
        ("關鍵詞：醫療", "tags"),
        ("关于我们 | 联系我们 | 网站地图 | 隐私政策", "link-row"),
        ("关于我们｜联系我们｜网站地图", "link-row"),
        ("相关新闻", "related"),
        ("上一篇：某某医院举办义诊活动", "related"),
        ("\ufffd\ufffd\ufffd \ufffd\ufffd\ufffd", "garbled"),
        ("为您推荐", "related"),
        ("此前报道：市人民医院新院区开工", "related"),
        ("点击进入专题：", "related"),
        ("【1】【2】【3】【4】", "pager"),
        ("回复  ⋅ 12条回复  1375", "comments"),
        ("4,786 条评论", "comments"),
        # Labelled previous/next links, however long the headlines they name.
        ("【上一篇】 义诊活动走进社区！上千居民受益 【下一篇】 新院区建设进展如何？院方这样回应", "related"),
        # Pager rows.
        ("1 2 下一页 余下全文", "pager"),
        ("[1] [2] [3] 下一页", "pager"),
        ("第 1 2 3 页 下一页", "pager"),
        ("1 2 3下一页尾页单页阅读", "pager"),
        ("<< 上一頁 | 下一頁 >>", "pager"),
        # A reader-directed follow call longer than a follow-us line.
        (
            "关注健康资讯，每日推送最新医疗新闻。扫描下方二维码关注某某健康官方微信(或微信中搜：abc123)。",
            "follow-us",
        ),
        ("长按识别二维码，关注本院公众号", "follow-us"),
        # Links back to the home page.
        ("返回某某网首页>>", "widget"),
        (">>返回频道首页 返回本网站首页", "widget"),
        # A line of several machine timestamps: a listing of other articles.
        ("6小时前 医院开展义诊活动 7小时前 新院区建设启动！ 7小时前 专家走进社区", "listing"),
        ("2023-06-16 10:30 义诊活动 2023-06-16 11:02 新院区 2023-06-16 12:15 专家讲座", "listing"),
    ],
)
def test_rule_classes(line, reason):
    assert rule_reason(line) == reason


@pytest.mark.parametrize(
    "line",
    [
        PARA1,
        "新院区建设进展顺利",  # a sub-heading
        "医院电话随时畅通，市民可以通过多种方式预约挂号，院方也开通了线上咨询服务，方便群众就医。",
        "他说：“我们的目标是让群众少跑腿。”",
        "2023年6月16日上午，医院召开了新院区建设推进会。",
        # A report of someone scanning a code is not the page's follow call.
        "受害人按照对方要求扫描二维码关注了一个公众号，随后被骗走两万元。",
        "上一篇文章中提到的义诊活动，本周将在各社区继续开展，市民可就近参加。",
        "首页",  # a navigation link, not a pager
        # Dates as writers spell them, not machine timestamps.
        "记者2023年6月16日10:30、17日11:00和18日9:00三次来到医院，看到候诊大厅秩序井然。",
        "截至目前，该微博已收到3000条评论。",  # a report of a count, not the page's counter
    ],
)
def test_prose_and_headings_match_no_rule(line):
    assert rule_reason(line) is None


def _page(*lines):
    return list(lines)


def test_short_subheading_between_paragraphs_kept_nav_run_removed():
    lines = _page(
        "首页",
        "新闻中心",
        "医院概况",
        "科室导航",
        "专家介绍",
        "就医指南",
        "",
        "新院区建设启动",
        "",
        PARA1,
        "",
        "建设进展",
        "",
        PARA2,
        "",
        "智慧医院",
        "",
        PARA3,
        "",
        "热门文章",
        "医院概况",
        "科室导航",
        "联系我们",
    )
    result = clean_lines(lines)
    assert result.paragraphs == [PARA1, "建设进展", PARA2, "智慧医院", PARA3]
    removed = {r.line: r.reason for r in result.removed}
    for nav in ["首页", "新闻中心", "专家介绍", "就医指南", "热门文章", "联系我们"]:
        assert nav in removed
    assert removed["医院概况"] == "repeated"
    assert result.metadata.title == "新院区建设启动"


def test_header_before_breadcrumb_removed_and_nbsp_blank():
    lines = _page(
        "某某市“三服务”活动专题",
        "您现在的位置：首页 » 新闻 » 正文",
        "\xa0",
        "新院区建设启动",
        "\u3000 \xa0",
        PARA1,
        "\xa0",
        PARA2,
    )
    result = clean_lines(lines)
    assert result.paragraphs == [PARA1, PARA2]
    reasons = {r.line: r.reason for r in result.removed}
    assert reasons["某某市“三服务”活动专题"] == "header"
    assert result.metadata.title == "新院区建设启动"


def test_footer_block_in_another_order():
    lines = _page(
        "新院区建设启动",
        "发布时间：2023年6月16日 10:30",
        PARA1,
        PARA2,
        PARA3,
        "粤ICP备12345678号",
        "技术支持：某某科技有限公司",
        "某某市人民医院",
        "地址：某某市人民路1号",
        "电话：0573-12345678",
        "版权所有：某某市人民医院",
        "访问量：99",
    )
    result = clean_lines(lines)
    assert result.paragraphs == [PARA1, PARA2, PARA3]
    assert result.metadata.published == "2023-06-16T10:30"
    assert result.metadata.site == "某某市人民医院"


def test_classify_reports_every_line():
    lines = ["当前位置：首页", "", PARA1]
    labels = classify_lines(lines)
    assert [item.index for item in labels] == [0, 1, 2]
    assert labels[0].reason == "breadcrumb" and labels[2].in_block


def _ingest_one(tmp_path, name, data):
    raw = tmp_path / "in"
    raw.mkdir()
    (raw / name).write_bytes(data)
    archive.ingest([raw], db=str(tmp_path / "a.db"), cleaned_dir=str(tmp_path / "cleaned"))
    import sqlite3

    con = sqlite3.connect(tmp_path / "a.db")
    con.row_factory = sqlite3.Row
    return dict(con.execute("SELECT * FROM documents").fetchone())


VARIANT = "\n".join(
    [
        "欢迎访问某某市人民医院",
        "您现在的位置：首页 > 新闻动态 > 医院新闻",
        "",
        "新院区建设启动",
        "",
        "发布时间：2023年6月16日 10:30　来源：某某日报　作者：记者 张三 通讯员 李四",
        "",
        PARA1,
        "",
        PARA2,
        "",
        "责任编辑：王五",
        "【打印本页】【关闭窗口】",
        "版权所有：某某市人民医院　京ICP备12345678号",
    ]
)


def test_gbk_file_through_ingest(tmp_path):
    row = _ingest_one(tmp_path, "gbk.txt", VARIANT.encode("gbk"))
    assert row["body"] == PARA1 + "\n\n" + PARA2
    assert row["title"] == "新院区建设启动"
    assert row["published"] == "2023-06-16T10:30"
    assert row["source"] == "某某日报"
    assert row["editor"] == "王五"
    assert row["site"] == "某某市人民医院"


def test_crlf_file_through_process():
    doc = archive.process(RawPage(path="crlf.txt", data=VARIANT.replace("\n", "\r\n").encode("utf-8")))
    assert doc.clean.paragraphs == [PARA1, PARA2]
    assert doc.clean.metadata.authors == ["张三", "李四"]
    assert not any("\r" in p for p in doc.clean.paragraphs)


def test_half_width_variant_same_result():
    half = VARIANT.replace("：", ":").replace("，", ",").replace("　", " ")
    full = clean_lines(VARIANT.split("\n"))
    halfed = clean_lines(half.split("\n"))
    assert halfed.metadata == full.metadata
    assert len(halfed.paragraphs) == len(full.paragraphs) == 2


# ------------------------------------------------------------ context classes

from archive.clean.boilerplate import is_dated_entry, is_list_line, is_sentence_like  # noqa: E402


@pytest.mark.parametrize(
    "line",
    [
        "・某市召开年度工作会议 ・某局长到任 ・某区成立禁毒委员会，全面提升禁毒工作水平！ ・某公司运营中心落户",
        "选举 、 民进党 、 国民党 、 总统大选 、 候选人 、 政见会 、 投票率 、 开票",
        "男性瀕臨絕種？ 澳科學家：Y染色體恐逐漸消失！",  # a headline of a link list
        "．上班族怎麼哺餵母乳？",
    ],
)
def test_lists_and_headlines_are_not_prose(line):
    assert not is_sentence_like(line)


@pytest.mark.parametrize(
    "line",
    [
        "厲害的不只如此,在機鼻下方還有一個秘密武器.",
        "這是一段踔厉奋发的光阴。",
        "“对不起，我今天只回答这个问题”。",
        PARA1,
    ],
)
def test_sentences_are_prose(line):
    assert is_sentence_like(line)


def test_list_line_detection_needs_many_short_items():
    assert is_list_line("甲 | 乙 | 丙 | 丁 | 戊 | 己")
    assert not is_list_line(PARA1)


@pytest.mark.parametrize(
    "line, entry",
    [
        ("・某地停售十四种不合格食品 某品牌上榜2011/10/19", True),
        ("某新主题发布 回家途中看大片【某某网】2012-01-17 21:10", True),
        ("． 某航空年终奖引争议..  (01/12 12:36)", True),
        ("时间：2012-01-12 16:01", False),
        ("发布日期：2023-06-16", False),
        ("来源：某某日报 2012-01-12", False),
    ],
)
def test_dated_listing_entries(line, entry):
    assert is_dated_entry(line) is entry


def test_reprint_notice_vs_prose_quoting_it():
    assert rule_reason("本网稿件，未经授权不得转载。") == "footer"
    quote = "他说：“未经授权使用我们的技术，却没有作出适当的补偿，这会阻碍我们继续创新。”"
    assert rule_reason(quote) is None


def test_table_before_end_marker_stays_with_article():
    table = ["产品名称 生产企业 不合格项目", "某某糕点 某某食品厂 菌落总数", "某某布丁 某某餐饮公司 大肠菌群"]
    lines = ["标题行", PARA1, PARA2, *table, "（张三 编辑）", "相关新闻", "某某新闻一", "某某新闻二"]
    result = clean_lines(lines)
    assert result.paragraphs == [PARA1, PARA2, *table]
    assert result.metadata.editor == "张三"


def test_short_lines_after_article_without_end_marker_are_removed():
    lines = ["标题行", PARA1, PARA2, "某某新闻一", "某某新闻二", "某某新闻三", "相关新闻", "（张三 编辑）"]
    assert clean_lines(lines).paragraphs == [PARA1, PARA2]


def test_prose_above_a_breadcrumb_is_header():
    promo = "本报「民意论坛」欢迎读者来稿，见人所未见，刊登一律计酬，写回响一经刊登，也将致增点数计酬。"
    lines = [promo, "站内搜索", "当前位置：首页 >> 今日必读", "新院区建设启动", PARA1, PARA2]
    result = clean_lines(lines)
    assert result.paragraphs == [PARA1, PARA2]
    assert result.metadata.title == "新院区建设启动"
    assert RemovedLine(promo, "header") in result.removed


def test_summary_and_repeated_lead_are_said_once():
    lead = "近日，某市出台新规，市民关心的问题有了答案。"
    lines = [
        "标题行",
        "摘  要：明天将上演月全食，届时一轮红月亮将高悬夜空。",
        lead,
        lead + "新规自下月起施行，涉及十个方面。",
        PARA2,
    ]
    result = clean_lines(lines)
    assert result.paragraphs == [lead + "新规自下月起施行，涉及十个方面。", PARA2]
    reasons = {r.reason for r in result.removed}
    assert {"summary", "repeated-summary"} <= reasons


def test_url_rule_needs_a_bare_url():
    assert rule_reason("http://www.example.cn/news/1.html") == "url"
    assert rule_reason("http://www.example.cn2011-12-09某某晚报") is None


@pytest.mark.parametrize(
    "line",
    [
        "[打印本稿]",
        "<<<<<< 更多精彩图片(点击进入)",
        "- 某部：夜间运行安全有保障",
        "北中心／北報導",
        "圖片 1 / 2",
    ],
)
def test_lines_that_are_never_the_title(line):
    result = clean_lines(["当前位置：首页 > 新闻", "某某新闻标题", line, "2012-01-12 10:00", PARA1, PARA2])
    assert result.metadata.title == "某某新闻标题"


def test_site_statement_is_a_disclaimer_but_quoted_statement_is_prose():
    assert rule_reason("某某网声明：某某网转载上述内容，不表明证实其描述，仅供投资者参考。") == "disclaimer"
    assert rule_reason("他在声明中说：我们不同意这一做法，将保留追究的权利。") is None


@pytest.mark.parametrize(
    "line, reason",
    [
        ("某某家园,www.example.ca", "url"),
        ("某某搜索,m.e x a m p l e.ca", "url"),
        ("张三对某事的评论:", "comments"),
        ("網友回應", "comments"),
        ("我要评论(0)", "comments"),
        ("凡标注来源为“某某报”的所有文字、图片稿件，版权均属本网所有。", "disclaimer"),
    ],
)
def test_watermarks_comments_and_ownership_notices(line, reason):
    assert rule_reason(line) == reason


@pytest.mark.parametrize("line", ["刘冬简历：", "评论员文章：坚定信心", "市民可登录www.example.gov.cn查询。"])
def test_look_alikes_that_stay(line):
    assert rule_reason(line) is None


def test_comment_section_never_joins_the_article():
    comment = "这样的事情频频发生，我们的日子过得心惊胆颤，希望有关部门尽快查明原因，给大家一个交代。"
    lines = ["标题行", PARA1, PARA2, "网友评论", "张三对此事的评论:", comment, comment + "再说一遍。"]
    result = clean_lines(lines)
    assert result.paragraphs == [PARA1, PARA2]


def test_sentence_mentioning_copyright_does_not_cut_the_article():
    mention = "法院认为，涉案作品的版权所有人是某某公司，被告未经许可使用构成侵权，应当赔偿损失。"
    lines = ["标题行", PARA1, mention, PARA2, PARA3, "版权所有 © 某某网"]
    result = clean_lines(lines)
    assert result.paragraphs == [PARA1, mention, PARA2, PARA3]


def test_rules_are_named_data():
    from archive.clean.patterns import BOILERPLATE_RULES

    names = [rule.name for rule in BOILERPLATE_RULES]
    assert len(names) == len(set(names))
    assert all(rule.reason and rule.pattern.pattern for rule in BOILERPLATE_RULES)


def test_rule_reason_equals_the_first_matching_rule(seeds_dir):
    """rule_reason's shared length/prose test gives what asking each Rule in turn gives."""
    import random

    import synth

    from archive.clean.boilerplate import is_dated_entry, is_widget_row, rule_reason
    from archive.clean.patterns import BOILERPLATE_RULES

    def by_rules(line: str) -> str | None:
        for rule in BOILERPLATE_RULES:
            if rule.matches(line):
                return rule.reason
        if is_widget_row(line):
            return "widget"
        return "listing" if is_dated_entry(line) else None

    rng = random.Random(2)
    articles = synth.load_articles()[:20]
    pages = [synth.text_page(a, rng, n, f"2020-01-0{n % 9 + 1}") for n, a in enumerate(articles)]
    pages += [f.read_text(encoding="utf-8") for f in seeds_dir.iterdir()]
    lines = {ln.strip() for page in pages for ln in page.splitlines() if ln.strip()}
    fired = 0
    for line in sorted(lines):
        assert rule_reason(line) == by_rules(line), line
        fired += by_rules(line) is not None
    assert fired > 20  # the sample holds furniture, not only prose


@pytest.mark.parametrize("kind", ["text", "html"])
def test_news_page_furniture_is_stripped(kind):
    """Pages of the size and furniture of real news pages (scripts/synth.py, style "news":
    channel navigation, most-read and related lists, footer links, registration lines)."""
    import sys
    from collections import Counter
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
    import synth

    articles = synth.load_articles()
    pages = list(synth.generate(24, seed=5, html_share=1.0 if kind == "html" else 0.0, style="news"))
    scores = []
    for page in pages:
        doc = archive.process(RawPage(path=page.name, data=page.content.encode("utf-8"), kind=kind))
        want = "".join(synth.article_number(articles, page.article_no).paragraphs)
        got = doc.body.replace("\n", "")
        shared = sum((Counter(want) & Counter(got)).values())
        scores.append(2 * shared / (len(want) + len(got)))
        assert "ICP备" not in doc.body and "热点排行" not in doc.body and "相关新闻" not in doc.body
    assert sum(scores) / len(scores) >= 0.98


def test_pager_row_and_bare_counts_after_the_article_are_removed():
    """A pager and a like/comment counter ("22", "9 23") between the article and its tail."""
    lines = ["新院区建设启动", "9 23", "发布时间：2023-06-16 10:30", PARA1, PARA2, PARA3]
    lines += ["1 2 下一页 余下全文", "22", "标签 医院 建设", "本文仅代表作者个人观点。", "责任编辑：张三"]
    result = clean_lines(lines)
    assert result.paragraphs == [PARA1, PARA2, PARA3]
    removed = {r.line: r.reason for r in result.removed}
    assert removed["1 2 下一页 余下全文"] == "pager"
    assert removed["22"] == removed["9 23"] == "counter"
    assert result.metadata.title == "新院区建设启动"  # a count above the dateline is not the headline


PARA4 = "院方介绍，新院区投入使用后，全市每千人口床位数将提高到六张以上，群众看病难的问题将进一步缓解。"


def test_numbered_sections_are_kept_a_lone_count_is_not():
    """Section numbers on their own lines (1, 2, 3 …) are the article's; a count that no
    neighbour continues is a widget's, even when a ranking further down numbers 1 … 10."""
    lines = [
        "新院区建设启动",
        "发布时间：2023-06-16 10:30",
        PARA1,
        "1",
        PARA2,
        "2",
        PARA3,
        "3",
        PARA4,
        "9",
    ]
    lines += ["点击排行", *(x for n in range(1, 11) for x in (str(n), f"某某医院新闻标题之{n}"))]
    result = clean_lines(lines)
    assert result.paragraphs == [PARA1, "1", PARA2, "2", PARA3, "3", PARA4]
    assert ("9", "counter") in {(r.line, r.reason) for r in result.removed}


def test_run_of_timestamped_entries_ends_the_article():
    """A listing of other articles, each entry a headline, a summary and a stamp-only line:
    the article never runs on into it, though its summaries read as prose."""
    entries = []
    for n, stamp in enumerate(["2023-06-30 07:42", "2023-06-3008:14", "2023-06-30 10:31"]):
        entries += [
            f"某某医院第{n + 1}条新闻的标题",
            f"这是第{n + 1}条新闻的摘要，介绍了医院近期开展的各项工作和服务成果。",
            stamp,
        ]
    lines = ["新院区建设启动", "2023-06-16 10:30", PARA1, PARA2, "为你推荐", *entries, "版权所有：某某医院"]
    result = clean_lines(lines)
    assert result.paragraphs == [PARA1, PARA2]
    reasons = {r.line: r.reason for r in result.removed}
    assert reasons["2023-06-30 07:42"] == reasons["2023-06-3008:14"] == "dated-list"
    assert result.metadata.published == "2023-06-16T10:30"  # one stamp alone is the dateline


def test_home_link_glued_onto_the_last_sentence_is_cut_off():
    last = PARA3 + "返回某某网首页>>"
    result = clean_lines(["新院区建设启动", "发布时间：2023-06-16 10:30", PARA1, PARA2, last])
    assert result.paragraphs == [PARA1, PARA2, PARA3]
    assert RemovedLine("返回某某网首页>>", "widget") in result.removed


HEADLINE = "市人民医院新院区开工建设 新增床位一千二百张"
# "You may also like": headline-and-teaser lines, more prose than the article.
TEASERS = [
    "拆解新款手机：三摄和无线充电有哪些秘密？ 国外著名拆解网站日前上线了新款手机的详细拆解报告，三摄模组和反向无线充电线圈的设计细节一一呈现。",
    "淡定看待千亿市值，芯片公司加码研发布局物联网 目前市值千亿的股票主要集中在银行、保险、地产等传统产业板块，而这家芯片公司股价大涨。",
    "绕着汽车转一圈，你能想到哪些电子技术？ 不论是车厂、系统集成商还是半导体供应商，每个厂商都有一个共同的口号：更安全、更环保、更智能。",
    "AI芯片发展概述及市场分析 业界对AI芯片尚没有严格的界定，广义上说，擅长执行人工智能算法的芯片即为AI芯片，目前主要有三种技术路线。",
]


def test_the_block_about_the_headline_beats_a_longer_teaser_list():
    lines = [
        "首页 | 新闻 | 科技",
        HEADLINE,
        "时间：2023-06-16",
        PARA1,
        PARA2,
        "我要评论",
        "您可能感兴趣的文章",
        *TEASERS,
    ]
    chosen = [item.text for item in classify_lines(lines, HEADLINE) if item.in_block]
    assert chosen == [PARA1, PARA2]
    # A text dump has no <title>: the line sitting on the dated line is its headline.
    assert [item.text for item in classify_lines(lines) if item.in_block] == [PARA1, PARA2]
    # Without a headline the longest prose wins: the guard is what picks the article.
    undated = [line for line in lines if not line.startswith("时间")]
    assert [item.text for item in classify_lines(undated) if item.in_block] == TEASERS


def test_the_dateline_headline_is_the_first_line_on_a_dated_metadata_line():
    def headline_of(lines):
        return dateline_headline(classify_lines(lines))

    assert headline_of(["首页", HEADLINE, "2023-06-16 10:30 来源：某某日报", PARA1]) == HEADLINE
    assert headline_of(["首页", "新闻", "2023-06-16 10:30 来源：某某日报", PARA1]) is None  # too short
    assert headline_of(["首页", HEADLINE, PARA1]) is None  # no dated line under it
    # Two field lines: the upper one is a field, not a headline.
    fields = ["首页", "来源：本站原创  作者：医技药剂党支部", "2023-06-16 10:30", PARA1]
    assert headline_of(fields) is None


def test_a_block_that_only_repeats_the_headline_is_not_about_it():
    # The article shares no words with a headline written as a teaser; a related box
    # whose entry names the page's own headline is no evidence.
    headline = "寻找春日里的一抹新绿"
    entry = (
        headline
        + " 本报推出系列报道，记者走进城郊的公园、湿地和田野，记录市民踏青赏花、植树护绿的身影，展现城市生态建设带来的变化，欢迎读者提供线索，共同记录身边的美好时刻，优秀作品将在周末版和新闻客户端择优刊发。"
    )
    lines = ["首页 | 新闻", headline, "时间：2023-06-16", PARA1, PARA2, PARA3, "网友评论", "相关推荐", entry]
    chosen = [item.text for item in classify_lines(lines, headline) if item.in_block]
    assert chosen == [PARA1, PARA2, PARA3]


def test_the_article_does_not_run_on_past_its_pager():
    teaser = "致敬改革开放四十年，文化大家讲述亲历，一个时代有一个时代的文艺，一个时代有一个时代的精神，敬请关注系列报道。"
    lines = [
        "首页 > 文化",
        "新院区建设启动",
        "2023-06-16 10:30",
        PARA1,
        PARA2,
        PARA3,
        "【1】【2】【3】",
        teaser,
    ]
    chosen = [item.text for item in classify_lines(lines) if item.in_block]
    assert chosen == [PARA1, PARA2, PARA3]
