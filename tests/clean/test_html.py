"""The HTML cleaner on pages written here (government, hospital, news styles) and a devset floor."""

import importlib.util
import json
from pathlib import Path

import pytest

from archive.clean.decode import decode
from archive.clean.html import clean_html, parse_html, pick_title, title_segments, visible_lines
from archive.errors import RejectError
from archive.models import RawPage
from archive.pipeline import process

REPO = Path(__file__).resolve().parents[2]
DEVSET = REPO.parent / "shared" / "devset"

P1 = "为进一步提升群众就医体验，我院自本月起在门诊大厅增设自助服务区，提供预约挂号、缴费和报告打印等服务，患者平均等候时间明显缩短。"
P2 = "据介绍，自助服务区共配置二十台智能终端，并安排志愿者现场引导老年患者使用，同时保留人工窗口，满足不同群体的就诊需求。"
P3 = "下一步，医院还将推进检查预约集中管理和诊间结算，让信息多跑路、群众少跑腿，持续改善医疗服务。"


def page(title_tag, headline, info, paras=(P1, P2, P3), head_extra="", before="", after="", charset="utf-8"):
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (
        f"<!DOCTYPE html><html><head><meta charset='{charset}'><title>{title_tag}</title>{head_extra}</head><body>"
        "<div class='top'>网站首页 | 医院概况 | 新闻中心 | 就医指南 | 联系我们</div>"
        "<div class='crumb'>当前位置：首页 > 新闻中心 > 医院新闻</div>"
        f"{before}<div class='article'><h2>{headline}</h2><div class='info'>{info}</div>"
        f"<div class='content'>{body}</div></div>{after}"
        "<div class='footer'><p>版权所有：某某市人民医院 地址：某某市中山路100号</p>"
        "<p>备案号：浙ICP备05012345号-1 技术支持：某某网络科技有限公司</p></div></body></html>"
    )


def clean(markup, **kw):
    raw = RawPage("p.html", markup.encode(kw.pop("encoding", "utf-8")), kind="html", **kw)
    return clean_html(decode(raw))


def test_hospital_page_body_title_and_fields():
    doc = clean(
        page(
            "我院门诊增设自助服务区-新闻中心-某某市人民医院",
            "我院门诊增设自助服务区",
            "发布时间：2023-06-16 09:30 来源：院办 作者：王晓",
        )
    )
    assert doc.paragraphs == [P1, P2, P3]
    m = doc.metadata
    assert m.title == "我院门诊增设自助服务区"
    assert m.published == "2023-06-16T09:30" and m.source == "院办" and m.authors == ["王晓"]
    removed = " ".join(r.line for r in doc.removed)
    assert "ICP" in removed and "当前位置" in removed


@pytest.mark.parametrize(
    "title_tag",
    [
        "我院门诊增设自助服务区 - 医院新闻 - 某某市人民医院",
        "我院门诊增设自助服务区_某某市人民医院",
        "某某市人民医院 | 我院门诊增设自助服务区",
        "我院门诊增设自助服务区(第1页/共2页)——某某市人民医院",
    ],
)
def test_title_split_at_site_suffixes(title_tag):
    # The headline is not shown as its own line here: <title> alone must give it.
    doc = clean(page(title_tag, "", "2023-06-16"))
    assert doc.metadata.title == "我院门诊增设自助服务区"


def test_shown_section_name_is_not_the_title():
    lines = ["新闻中心", "科技新闻 > 本网", P1]
    assert (
        pick_title(lines, "新闻中心", "德国抗生素养殖调查结果公布-科技新闻-本网新闻中心", {})
        == "德国抗生素养殖调查结果公布"
    )
    assert title_segments("A标题 - 栏目 | 站名") == ["A标题", "栏目", "站名"]


def test_headline_with_an_exclamation_mark_is_the_title_not_the_site_name():
    """A headline ends a clause with ！ or ？ but is no summary sentence: <title>'s headline
    part is the title, not the site's name beside it."""
    headline = "七旬阿婆接来电称其涉黑被骗上百万！冒充公检法电诈团伙被端，警方提醒市民提高警惕"
    doc = clean(page(f"{headline}-某某传媒", headline, "2023-06-16 10:30 来源：某某传媒"))
    assert doc.metadata.title == headline


def test_a_summary_sentence_in_title_is_still_not_the_headline():
    summary = "为进一步提升群众就医体验，我院自本月起在门诊大厅增设自助服务区。"
    doc = clean(page(f"{summary}_某某医院新闻中心", "门诊大厅增设自助服务区", "2023-06-16 10:30"))
    assert doc.metadata.title == "门诊大厅增设自助服务区"


def test_date_next_to_headline_beats_related_list_and_meta():
    related = (
        "<div class='related'><h3>相关新闻</h3><ul>"
        + "".join(f"<li>医院开展义诊活动第{i}期 2011-0{i}-1{i}</li>" for i in range(1, 6))
        + "</ul></div>"
    )
    doc = clean(
        page(
            "我院门诊增设自助服务区_某某市人民医院",
            "我院门诊增设自助服务区",
            "2023-06-16 14:05 来源：院办",
            head_extra="<meta name='publishdate' content='2023-06-15'>",
            after=related,
        )
    )
    assert doc.metadata.published == "2023-06-16T14:05"
    assert not any("义诊活动" in p for p in doc.paragraphs)


def test_meta_publish_date_when_the_page_shows_none():
    for name in ("publishdate", "pubdate", "article:published_time"):
        attr = "property" if ":" in name else "name"
        doc = clean(
            page(
                "我院门诊增设自助服务区_某某市人民医院",
                "我院门诊增设自助服务区",
                "",
                head_extra=f"<meta {attr}='{name}' content='2023-06-15T08:00:00+08:00'>",
            )
        )
        assert doc.metadata.published == "2023-06-15T08:00", name


def test_sidebar_author_is_not_the_byline():
    sidebar = "<div class='side'><h3>专栏</h3><p>作者：李四</p><p>名医谈健康：夏季如何预防中暑</p></div>"
    doc = clean(
        page(
            "我院门诊增设自助服务区_某某市人民医院",
            "我院门诊增设自助服务区",
            "2023-06-16 记者 赵六 通讯员 钱七",
            after=sidebar,
        )
    )
    assert doc.metadata.authors == ["赵六", "钱七"]


def test_site_name_is_site_never_source():
    doc = clean(
        page(
            "我院门诊增设自助服务区_某某市人民医院",
            "我院门诊增设自助服务区",
            "2023-06-16",
            head_extra="<meta property='og:site_name' content='某某市人民医院'>",
        )
    )
    assert doc.metadata.source is None and doc.metadata.site


def test_government_page_gbk_with_table_layout():
    paras = [
        "为做好今年防汛抗旱工作，市政府近日召开专题会议，对全市防汛备汛工作进行再部署、再落实，要求各地立足防大汛、抗大旱。",
        "会议要求，各级各部门要压实防汛责任，加强隐患排查整治，完善应急预案，做好物资储备和队伍准备，确保安全度汛。",
    ]
    markup = (
        "<html><head><meta http-equiv='Content-Type' content='text/html; charset=gb2312'>"
        "<title>市政府部署防汛抗旱工作_政务动态_某某市人民政府门户网站</title></head><body>"
        "<table><tr><td>首页</td><td>政务公开</td><td>政务服务</td><td>互动交流</td></tr></table>"
        "<table><tr><td><div>您现在的位置：首页 &gt;&gt; 政务动态</div>"
        "<div>市政府部署防汛抗旱工作</div><div>发布日期：2023年05月20日　信息来源：市应急管理局</div>"
        + "".join(f"<p>{p}</p>" for p in paras)
        + "<div>【打印本页】【关闭窗口】</div></td></tr></table>"
        "<div>主办单位：某某市人民政府办公室 网站标识码：3301000001 浙公网安备 33010002000001号</div></body></html>"
    )
    doc = clean(markup, encoding="gbk")
    assert doc.paragraphs == paras and doc.encoding == "gb18030"
    assert doc.metadata.title == "市政府部署防汛抗旱工作"
    assert doc.metadata.published == "2023-05-20" and doc.metadata.source == "市应急管理局"


def test_container_title_and_date_are_fallbacks_only():
    doc = clean(page("", "", "", head_extra=""), meta={"title": "容器里的标题", "date": "2020-01-02"})
    assert doc.metadata.title == "容器里的标题" and doc.metadata.published == "2020-01-02"
    doc = clean(
        page("我院门诊增设自助服务区_某某市人民医院", "我院门诊增设自助服务区", "2023-06-16"),
        meta={"title": "容器里的标题", "date": "2020-01-02T00:00:00Z"},
    )
    assert doc.metadata.title == "我院门诊增设自助服务区" and doc.metadata.published == "2023-06-16"


def test_all_script_page_is_a_reject_through_process():
    raw = RawPage(
        "s.html",
        b"<html><head><script>var a=1</script></head><body><script>x()</script><style>p{}</style></body></html>",
        kind="html",
    )
    with pytest.raises(RejectError, match="no article text"):
        process(raw)


def test_visible_lines_keep_text_after_comments_and_drop_hidden():
    root = parse_html(
        "<html><body><div><!--pos-->当前位置：首页</div><div style='display:none'>隐藏</div>"
        "<table><tr><td>甲</td><td>乙</td></tr></table><p>一<br>二</p></body></html>"
    )
    assert visible_lines(root) == ["当前位置：首页", "甲 乙", "一", "二"]


def test_deeply_nested_page_does_not_crash():
    # 200 levels: kept (the dump walks an explicit stack, not the call stack).
    markup = "<html><body>" + "<div>" * 200 + "深层文本" + "</div>" * 200 + f"<p>{P1}</p></body></html>"
    assert P1 in visible_lines(parse_html(markup))
    # 5000 levels: libxml2 gives up on the tree; the page is a clean reject, not a crash.
    markup = "<html><body>" + "<div>" * 5000 + "深层文本" + "</div>" * 5000 + f"<p>{P1}</p></body></html>"
    with pytest.raises(RejectError):
        process(RawPage("deep.html", markup.encode(), kind="html"))


def _score_module():
    spec = importlib.util.spec_from_file_location("devset_score", DEVSET / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_devset_sample_floor_and_beats_trafilatura():
    """Small-sample floor (the full figures come from scripts/eval_extraction.py)."""
    import trafilatura

    score = _score_module()
    index = json.loads((DEVSET / "index.json").read_text(encoding="utf-8"))[::10]
    ours, theirs = [], []
    for row in index:
        truth = json.loads((DEVSET / "truth" / f"{row['name']}.json").read_text(encoding="utf-8"))
        data = (DEVSET / "pages" / f"{row['name']}.html").read_bytes()
        doc = process(RawPage(row["name"], data, kind="html"))
        ours.append((truth["body"], "\n".join(doc.body.split("\n\n"))))
        extracted = trafilatura.bare_extraction(
            decode(RawPage(row["name"], data, kind="html")).html, with_metadata=True, include_comments=False
        )
        theirs.append((truth["body"], extracted.text if extracted else ""))

    def f1(pairs):
        tp = fp = fn = 0
        for truth, out in pairs:
            t, o = score.bigrams(truth), score.bigrams(out)
            common = sum((t & o).values())
            tp, fp, fn = tp + common, fp + sum(o.values()) - common, fn + sum(t.values()) - common
        return 2 * tp / (2 * tp + fp + fn)

    assert f1(ours) >= 0.93
    assert f1(ours) > f1(theirs)


def test_xhtml_with_xml_encoding_declaration():
    markup = (
        '<?xml version="1.0" encoding="gb2312"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd"><html xmlns="http://www.w3.org/1999/xhtml">'
        "<head><title>我院门诊增设自助服务区_某某市人民医院</title></head><body><h1>我院门诊增设自助服务区</h1>"
        f"<div>2023-06-16</div><p>{P1}</p><p>{P2}</p></body></html>"
    )
    doc = clean(markup, encoding="gbk")
    assert doc.encoding == "gb18030" and doc.paragraphs == [P1, P2]
    assert doc.metadata.title == "我院门诊增设自助服务区"


def test_keyword_list_and_summary_are_not_the_title():
    head = {"title": "我院门诊增设自助服务区 - " + P1}  # og:title carrying the article's summary
    title_raw = "我院门诊增设自助服务区-门诊,自助服务,预约挂号,缴费,报告打印-某某网-新闻中心"
    assert pick_title(["网站首页", P1], None, title_raw, head) == "我院门诊增设自助服务区"
    assert pick_title([], None, "某某网 - 健康,医疗,门诊,服务,预约,挂号 - 我院门诊增设自助服务区", {}) == (
        "我院门诊增设自助服务区"
    )


def test_trafilatura_failure_costs_its_view_not_the_page(monkeypatch):
    import trafilatura

    def broken(*args, **kwargs):
        raise IndexError("fault injected into trafilatura")

    monkeypatch.setattr(trafilatura, "bare_extraction", broken)
    doc = clean(page("我院门诊增设自助服务区_某某市人民医院", "我院门诊增设自助服务区", "2023-06-16"))
    assert doc.paragraphs == [P1, P2, P3] and doc.metadata.title == "我院门诊增设自助服务区"


DEVSET_PAGES = Path(__file__).resolve().parents[2].parent / "shared" / "devset" / "pages"


def test_trafilatura_labels_equal_extract_metadata_on_real_pages():
    """The cleaner asks trafilatura for its title, site name and date without the rest of
    ``extract_metadata`` (author, categories, licence): the fields must be the same."""
    from trafilatura.metadata import extract_metadata

    from archive.clean.html import TrafilaturaLabels

    pages = sorted(DEVSET_PAGES.glob("*.html"))
    assert len(pages) >= 90
    differ = []
    for path in pages:
        markup = decode(RawPage(path=path.name, data=path.read_bytes(), kind="html")).html
        url = f"https://example.com/{path.stem}.html"
        full = extract_metadata(markup, url)
        ours = TrafilaturaLabels(markup, url)
        if (ours.title, ours.sitename, ours.date()) != (full.title, full.sitename, full.date):
            differ.append(
                (path.name, (ours.title, ours.sitename, ours.date()), (full.title, full.sitename, full.date))
            )
    assert differ == []


def test_trafilatura_text_is_cleaned_when_the_visible_view_finds_no_body():
    from archive.clean.html import _agreed_body

    extracted = [
        "社区卫生服务中心覆盖全部街道",
        "本市今年新建社区卫生服务中心十二家，覆盖全部街道，居民就医更加方便。",
        "卫生部门表示，明年将继续扩大家庭医生签约服务的覆盖范围，提高服务质量。",
        "备案号：浙ICP备09040541号",
    ]
    body = _agreed_body([], extracted)
    assert body == extracted[1:3]  # the headline is not body, the licence line is furniture


def test_visible_paragraphs_trafilatura_also_kept_are_the_body():
    from archive.clean.html import _agreed_body

    shown = [
        "本市今年新建社区卫生服务中心十二家，覆盖全部街道，居民就医更加方便。",
        "卫生部门表示，明年将继续扩大家庭医生签约服务的覆盖范围，提高服务质量。",
        "相关阅读：春节期间各医院门诊安排一览，请市民提前做好就医计划。",
    ]
    extracted = [shown[0], "", shown[1]]
    assert _agreed_body(shown, extracted) == shown[:2]
    # trafilatura missed the article: the visible-text body stands alone
    assert _agreed_body(shown, ["网站首页"]) == shown


def test_the_visible_view_fills_what_trafilatura_dropped_inside_the_article():
    from archive.clean.html import _agreed_body

    shown = [
        "图片新闻",  # a heading before the article: not prose, stays out
        "春节假期长达九天，急诊不打烊，门诊只有部分服务，多数医院初五才恢复常态，市民就医请提前安排。",
        "根据过去三年春节期间的统计，急性上呼吸道感染和胃肠炎居急诊病种前两位，平均每天数千人次。",
        "各医院门诊安排",  # a sub-heading trafilatura pruned inside the article
        "今年各地急救责任医院维持二十四小时急诊服务，部分医院在除夕当天提供白天门诊。",
        "相关阅读：春节期间各医院门诊安排一览，请市民提前做好就医计划。",
    ]
    extracted = [shown[2], shown[4]]
    # The lead right before the first agreed paragraph, and the hole, are kept.
    assert _agreed_body(shown, extracted) == shown[1:5]
    # A short line right before the first agreed paragraph is not a lead.
    assert _agreed_body(shown[3:5], extracted[1:]) == shown[4:5]


def test_sub_headings_alone_are_no_agreement():
    from archive.clean.html import _agreed_body

    # trafilatura kept only the article's sub-headings: the span they bound would end the
    # body on the last one and lose the section under it.
    shown = [
        "本市今年新建社区卫生服务中心十二家，覆盖全部街道，居民就医更加方便，等候时间明显缩短。",
        "服务覆盖全部街道",
        "卫生部门表示，明年将继续扩大家庭医生签约服务的覆盖范围，提高服务质量，方便老人就医。",
        "签约居民可以在社区预约专家号，慢性病患者还可以一次开具长期处方，减少往返医院的次数。",
        "社区医生每周上门随访行动不便的老人，测量血压血糖，并把结果录入居民的健康档案。",
        "家庭医生签约扩面",
        "专家认为，基层医疗服务的改善需要稳定的人员和经费保障，不能只靠一时的投入和考核。",
    ]
    assert _agreed_body(shown, [shown[1], shown[5]]) == shown


NAV = "".join(
    f"<li><a href='/{i}'>{name}</a></li>"
    for i, name in enumerate(["首页", "时政", "财经", "生活", "视频", "专题"])
)
FOOTER = "<div class='footer'><p>版权所有：某某日报社 备案号：浙ICP备05012345号-1</p></div>"


def short_line_page(content, headline="新码头下月开港 坐地铁就能去"):
    return (
        f"<html><head><title>{headline}_某某网</title></head><body><ul class='nav'>{NAV}</ul>"
        f"<h1>{headline}</h1><div class='info'>2019-08-13 14:07 来源：某某日报</div>"
        f"<div class='text'>{content}</div>"
        "<div class='related'><h3>相关阅读</h3><ul>"
        "<li><a href='/a'>城区三条公交线路下周调整走向</a></li><li><a href='/b'>夏季台风来临前的出行提示</a></li>"
        f"</ul></div>{FOOTER}</body></html>"
    )


def test_an_article_written_one_phrase_per_line_is_kept_whole():
    # A layout of short <br>-separated phrases between a few sentences: the line scorer reads
    # the phrases as a menu's; the article's container holds them, and no links.
    phrases = [
        "新码头下月开港",
        "可停靠目前世界上最大的邮轮",
        "目前",
        "码头工程",
        "已进入最后的验收准备阶段",
        "\ufffd\ufffd\ufffd\ufffd",
        "航站楼位于新区南端",
        "规划岸线一千六百米",
        "年通过能力七十五万人次",
        "四条新航线抢先看",
        "前往日本、越南等地航线九条",
        "邮轮目的地十二个",
        "是东南亚航线最多的港口之一",
        "此外",
        "航站楼免税店正同步招商",
        "购物、餐饮、空中花园",
        "这么气派的邮轮码头",
        "你心动了吗",
    ]
    sentences = [
        "该项目距离地铁站仅约五百米，是第一家实现与地铁无缝接驳的邮轮码头。",
        "同时，口岸查验通道数量位居前列，整体通关效率将较目前提升百分之五十。",
    ]
    content = "<br>".join(phrases[:9] + sentences + phrases[9:])
    doc = clean(short_line_page(content))
    assert doc.paragraphs[0] == "新码头下月开港"
    assert "已进入最后的验收准备阶段" in doc.paragraphs
    assert doc.paragraphs[-1] == "你心动了吗"
    assert sentences[1] in doc.paragraphs
    # Replacement characters the page already held are no text; menus and related links stay out.
    assert not any("\ufffd" in p for p in doc.paragraphs)
    assert not {"首页", "财经", "城区三条公交线路下周调整走向"} & set(doc.paragraphs)
    assert doc.metadata.title == "新码头下月开港 坐地铁就能去"


def test_code_blocks_and_the_prose_around_them_are_the_body():
    code = [
        "import json",
        "import redis",
        "client = redis.Redis()",
        "handler = pymongo.MongoClient().test.data",
        "def parse():",
        "data = client.lpop('test')",
        "if not data:",
        "return",
        "handler.insert_one(json.loads(data))",
    ]
    pre = "<pre><code>" + "<br>".join(code) + "</code></pre>"
    content = (
        "<p>我们来看这样一个场景：</p>"
        f"{pre}"
        "<p>但现在我想增加一个需求，当读取结束或者读取报错的时候，能把当前的时间也写入到数据库中。</p>"
        "<p>那么代码可能变成下面这样：</p>"
        f"{pre}"
        "<p>可以看到，代码变得很难看了。</p>"
        "<p>基于以上特点，我们就可以来重构最开始的代码了：</p>"
        f"{pre}"
    )
    doc = clean(short_line_page(content, "一日一技：在 Python 中实现延迟调用"))
    assert doc.paragraphs[0] == "我们来看这样一个场景："
    assert doc.paragraphs[-len(code) :] == code  # each statement its own line, none joined
    assert "那么代码可能变成下面这样：" in doc.paragraphs
    assert doc.paragraphs.count("import json") == 3


def test_a_body_that_is_most_of_its_container_stands():
    # Captions and a credit in the article's container stay out when the body found is
    # the article (most of the container's text).
    content = f"<p>资料图</p><p>{P1}</p><p>{P2}</p><p>{P3}</p><p>图为新建的自助服务区</p>"
    assert clean(short_line_page(content)).paragraphs == [P1, P2, P3]


def test_trafilatura_is_asked_only_when_a_paragraph_is_not_prose():
    from archive.clean.html import needs_second_view

    prose = [
        "本市今年新建社区卫生服务中心十二家，覆盖全部街道，居民就医更加方便。",
        "卫生部门表示，明年将继续扩大家庭医生签约服务的覆盖范围，提高服务质量。",
    ]
    assert not needs_second_view(prose)
    assert needs_second_view([])  # the visible view found nothing: trafilatura's text is the body
    assert needs_second_view([*prose, "Post a Comment"])
    assert needs_second_view([*prose, "社区医院三年新建十二家"])  # a headline of a related list
    # A link's "?" is not a sentence mark.
    assert needs_second_view([*prose, "資料來源：http://www.example.com.tw/hotnews.asp?aid=14866"])


def test_comment_rows_under_the_article_are_cut_by_trafilatura_agreement():
    comments = (
        "<div class='comments'><h3>Comments</h3><span>(0)</span><a href='#'>Post a Comment</a>"
        "<ul><li>所有留言為網友自行上載發布，不代表本網站立場，並適用於本網站服務條款，本網站保留刪除權。</li></ul></div>"
    )
    doc = clean(page("自助服务区启用", "自助服务区启用", "发布时间：2023-06-16", after=comments))
    assert doc.paragraphs == [P1, P2, P3]


def test_one_parse_serves_both_views_and_walks_to_the_same_lines():
    """clean_html walks trafilatura's parse of the page (lxml.html) instead of parsing it
    again: on the devset's real pages it shows the same lines as lxml.etree's parse."""
    from archive.clean.html import TrafilaturaLabels

    pages = sorted(DEVSET_PAGES.glob("*.html"))
    assert len(pages) >= 90
    differ = []
    for path in pages:
        markup = decode(RawPage(path=path.name, data=path.read_bytes(), kind="html")).html
        tree = TrafilaturaLabels(markup, None).tree
        assert tree is not None, path.name
        if visible_lines(tree) != visible_lines(parse_html(markup)):
            differ.append(path.name)
    assert differ == []


def test_a_fragment_trafilatura_will_not_parse_is_still_read():
    # trafilatura rejects a one-element fragment as "not valid HTML"; the page's own
    # parse then serves the visible view.
    from archive.clean.html import TrafilaturaLabels

    markup = f"<p>{P1}</p>"
    assert TrafilaturaLabels(markup, None).tree is None
    doc = clean_html(decode(RawPage("fragment.html", markup.encode(), kind="html")))
    assert doc.paragraphs == [P1]


@pytest.mark.parametrize("title_tag", ["某某参考网", "某某晚报", "城市在线"])
def test_a_title_tag_holding_only_the_outlet_name_is_not_the_headline(title_tag):
    lines = ["首页", "新闻", "市医院新院区建设正式启动", "2012-01-12 10:20", P1, P2]
    assert pick_title(lines, "市医院新院区建设正式启动", title_tag, {}) == "市医院新院区建设正式启动"


def test_an_include_closing_html_early_does_not_hide_the_article():
    # A header fragment pasted in with its own </html>: libxml2 drops what follows it,
    # a browser shows it.
    header = "<div class='top'>网站首页 | 政务公开 | 办事服务 | 互动交流</div></html>\n<!-- end header -->"
    markup = page("我院门诊增设自助服务区_某某市人民医院", "我院门诊增设自助服务区", "", before=header)
    assert clean(markup).paragraphs == [P1, P2, P3]
    assert P1 in visible_lines(parse_html(markup))


def test_first_published_meta_beats_a_page_generation_stamp():
    # A CMS states the first publication beside the time it rebuilt the page; the page
    # itself shows no date.
    extra = (
        "<meta name='others' content='页面生成时间 2023-10-23 11:23:36'>"
        "<meta name='firstpublishedtime' content='2007-08-20-23:59:59'>"
        "<meta name='lastmodifiedtime' content='2007-08-20-23:59:59'>"
    )
    doc = clean(page("我院门诊增设自助服务区_某某市人民医院", "我院门诊增设自助服务区", "", head_extra=extra))
    assert doc.metadata.published == "2007-08-20"


# A sidebar's live feed: longer prose than the article, about something else.
FEED = [
    "今日两市指数高开低走，沪指在上档缺口附近遇到压力，成交量较昨日有所萎缩，板块轮动依旧较快，市场情绪偏谨慎，短线仍以震荡为主。",
    "盘面上看，科技板块表现强势，半导体、软件服务和通信设备涨幅居前，而消费、地产板块相对低迷，资金继续向成长方向集中。",
    "操作上建议投资者控制仓位，不追高，关注业绩确定性较强的龙头品种，等待指数有效突破后再考虑加仓，注意防范个股波动风险。",
    "午后市场有望延续结构性行情，权重股若能企稳，指数或将重新回到震荡区间上沿，届时量能变化将是判断方向的关键。",
]


def test_a_longer_sidebar_feed_is_not_the_article_about_the_headline():
    feed = "<div class='side'><h3>股市直播</h3>" + "".join(
        f"<div class='post'><span>分析师{n}号今天 12:0{n}</span><p>{text}</p></div>"
        for n, text in enumerate(FEED)
    )
    feed += "</div>"
    comments = "<div class='cmt'>网友评论</div>"
    doc = clean(
        page(
            "我院门诊增设自助服务区_某某市人民医院",
            "我院门诊增设自助服务区",
            "2023-06-16 10:30",
            after=comments + feed,
        )
    )
    assert doc.paragraphs == [P1, P2, P3]


TAGS = ("自助服务", "智慧医院", "门诊", "预约挂号", "志愿者")


def test_a_tag_cloud_of_links_ending_the_article_is_not_body():
    tags = "".join(f"<li><a href='/search?q={t}'>{t}</a></li>" for t in TAGS)
    markup = page("自助服务区投用", "自助服务区投用", "2023-06-16", after="")
    # The editor's line after the tags stretches the article's block over them.
    end = "<p>（责任编辑：张三）</p>"
    markup = markup.replace(f"<p>{P3}</p></div>", f"<p>{P3}</p><ul class='tags'>{tags}</ul>{end}</div>")
    doc = clean(markup)
    assert doc.paragraphs[-1] == P3
    assert {r.line for r in doc.removed if r.reason == "link-list"} == set(TAGS)


def test_a_link_left_open_around_the_article_does_not_make_it_a_link_list():
    # Malformed markup: an <a> opened before the article and never closed makes every
    # paragraph link text; the closing sentence (a credit) still ends the body.
    closing = "院方表示，服务区将全天开放。"
    tags = "".join(f"<li>{t}</li>" for t in TAGS)
    markup = page("自助服务区投用", "自助服务区投用", "2023-06-16", paras=(P1, P2, P3, closing))
    markup = markup.replace("<div class='content'>", "<div class='content'><a href='/x.html'>")
    markup = markup.replace(f"<p>{closing}</p>", f"<p>{closing}</p><ul>{tags}</ul><p>（责任编辑：张三）</p>")
    doc = clean(markup)
    assert closing in doc.paragraphs
