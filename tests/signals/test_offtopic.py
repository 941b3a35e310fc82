"""Off-topic tails: the seed 002 cut, no flags on the other seeds, and variants written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.models import CleanDocument, Metadata, RawPage
from archive.pipeline import process
from archive.signals import dedup, offtopic

REPO = Path(__file__).resolve().parents[2]
RAW = REPO / "raw"


def seed(prefix: str) -> RawPage:
    path = next(RAW.glob(f"{prefix}_*.txt"))
    return RawPage(path=path.name, data=path.read_bytes())


def doc(paragraphs: list[str]) -> CleanDocument:
    return CleanDocument(path="t", sha256="", paragraphs=paragraphs, metadata=Metadata())


# A news article written for these tests, and tails of the classes SEO sites append.
LIBRARY = [
    "市图书馆改造工程于今年三月正式完工，经过一年多的闭馆施工，这座建于上世纪八十年代的老馆重新向读者开放。"
    "改造后的图书馆总建筑面积扩大到两万平方米，阅览座位由原来的六百个增加到一千五百个，藏书容量提升至三百万册。",
    "馆长介绍，这次改造的重点是提升读者的阅读体验。一楼新设了少儿阅读区和亲子绘本馆，二楼和三楼为社科、文艺和"
    "科技类图书的开架借阅区，四楼则建成了古籍修复中心和地方文献阅览室。图书馆还引进了自助借还书机和智能书架，"
    "读者借书不再需要排队。",
    "为了方便上班族，改造后的图书馆延长了开放时间，工作日开放到晚上九点，周末全天开放。馆内还设置了二十四小时"
    "自助阅览室，读者凭借书证即可刷卡进入。开馆第一周，到馆读者就超过了五万人次，新办借书证三千多张。",
    "除了硬件升级，图书馆今年还将推出“全民阅读季”系列活动，邀请作家走进阅览室与读者面对面交流，并在各个社区"
    "设立流动借阅点，让更多市民在家门口就能借到图书。馆长表示，图书馆不仅是藏书的地方，更应成为城市的公共文化客厅。",
]
FOOTBALL = (
    "本赛季中超联赛第二十轮比赛昨晚结束，客队凭借下半场的两粒进球以二比一逆转取胜，"
    "主教练在赛后发布会上表示球队的防守仍需加强，前锋线的状态则令人满意。"
)
KEYWORDS = "二手房出售，学区房，房价走势，装修公司，贷款利率，房产中介，公积金贷款，新房开盘，"
MEDICAL_BLURB = (
    "糖尿病是一组以高血糖为特征的代谢性疾病,多饮,多尿,体重下降,胰岛素治疗,饮食控制,血糖监测,眼底检查,。"
)
RELATED_END = (
    "近年来，全市持续加大公共文化投入，已建成城市书房四十八家、农家书屋三百余个，基本形成了覆盖城乡的十五分钟"
    "阅读服务圈。下一步，市里还将推动图书馆与博物馆、文化馆联动，把更多优质文化资源送到基层群众身边。"
)


# --- seed 002: the appended blurb, through the real pipeline -------------------------


def test_seed_002_blurb_is_cut_exactly():
    result = process(seed("002"))
    uncut = result.clean.body
    raw_text = seed("002").data.decode("utf-8")
    blurb = raw_text[raw_text.index("左心") :].strip()
    assert result.offtopic.offtopic == blurb
    assert result.offtopic.offtopic_start == uncut.index("左心")
    assert uncut[result.offtopic.offtopic_start - 1] == "。"  # glued to the last sentence
    assert "stuffing" in result.offtopic.offtopic_reason
    assert result.body == uncut[: uncut.index("左心")]
    assert result.body.endswith("目标而不懈努力。")


def test_seed_002_body_equals_000_body_up_to_paragraph_breaks():
    # 002 carries 000's paragraphs on one line with nothing between them, so the two
    # bodies are equal once 000's paragraph breaks are taken out, character for character.
    body_000 = process(seed("000")).body
    body_002 = process(seed("002")).body
    assert "\n" not in body_002
    assert body_000.count("\n\n") == 6
    assert body_002 == body_000.replace("\n\n", "")
    assert dedup.exact_key(body_002) == dedup.exact_key(body_000)


@pytest.mark.parametrize("prefix", ["000", "001", "003", "004"])
def test_other_seeds_are_not_flagged(prefix):
    result = process(seed(prefix))
    assert result.offtopic.offtopic is None
    assert result.offtopic.offtopic_start is None
    assert result.body == result.clean.body


# --- variants written here -----------------------------------------------------------


def test_untouched_article_is_not_flagged():
    assert offtopic.detect(doc(LIBRARY)).offtopic is None


def test_appended_paragraph_after_a_line_break():
    res = offtopic.detect(doc([*LIBRARY, FOOTBALL]))
    body = "\n\n".join([*LIBRARY, FOOTBALL])
    assert res.offtopic == FOOTBALL
    assert res.offtopic_start == body.index("本赛季")
    assert res.body == "\n\n".join(LIBRARY)
    assert {"cohesion", "shift", "vocabulary"} <= set(res.offtopic_reason.split("+"))


def test_mid_paragraph_split_when_glued_to_the_last_sentence():
    paragraphs = [*LIBRARY[:-1], LIBRARY[-1] + FOOTBALL]
    res = offtopic.detect(doc(paragraphs))
    body = "\n\n".join(paragraphs)
    assert res.offtopic_start == body.index("本赛季")
    assert body[res.offtopic_start - 1] == "。"
    assert res.offtopic == FOOTBALL
    assert res.body == "\n\n".join(LIBRARY)


@pytest.mark.parametrize("glued", [False, True])
def test_keyword_list_is_cut(glued):
    paragraphs = [*LIBRARY[:-1], LIBRARY[-1] + KEYWORDS] if glued else [*LIBRARY, KEYWORDS]
    res = offtopic.detect(doc(paragraphs))
    assert res.offtopic == KEYWORDS
    assert "stuffing" in res.offtopic_reason
    assert res.body == "\n\n".join(LIBRARY)


def test_keyword_blurb_of_another_field_glued_on_is_cut():
    # The class of seed 002's tail (a definition followed by search terms, ending ",。"),
    # in another field and on another article.
    res = offtopic.detect(doc([*LIBRARY[:-1], LIBRARY[-1] + MEDICAL_BLURB]))
    assert res.offtopic == MEDICAL_BLURB
    assert "stuffing" in res.offtopic_reason


def test_article_ending_on_a_related_subtopic_is_left_alone():
    assert offtopic.detect(doc([*LIBRARY, RELATED_END])).offtopic is None


def test_short_closing_slogan_is_left_alone():
    assert offtopic.detect(doc([*LIBRARY, "让书香溢满城市！"])).offtopic is None
    assert offtopic.detect(doc([*LIBRARY[:-1], LIBRARY[-1] + "让书香溢满城市！"])).offtopic is None


@pytest.mark.parametrize(
    "credit", ["（记者 张三 通讯员 李四）", "(通訊員 宋黎勝 記者 黃淼君)", "本报记者 王五 赵六"]
)
def test_closing_credit_line_is_the_articles_own(credit):
    # Names the article never mentions, in a list's shape: still not off-topic.
    assert offtopic.detect(doc([*LIBRARY, credit])).offtopic is None
    assert offtopic.cut_against_duplicate("\n\n".join([*LIBRARY, credit]), "\n\n".join(LIBRARY)) is None
    # A keyword list after it is still cut.
    res = offtopic.detect(doc([*LIBRARY, credit, KEYWORDS]))
    assert res.offtopic == KEYWORDS


ROSTER = "市文化局、市教育局、市财政局、市总工会、团市委有关负责人等出席了开馆仪式。"


@pytest.mark.parametrize("glued", [False, True])
def test_closing_roster_of_those_present_is_the_articles_own(glued):
    paragraphs = [*LIBRARY[:-1], LIBRARY[-1] + ROSTER] if glued else [*LIBRARY, ROSTER]
    assert offtopic.detect(doc(paragraphs)).offtopic is None
    assert offtopic.own_ending(ROSTER) == "roster"
    assert offtopic.own_ending("陶驷驹、束怀德、杨国屏等随同看望。") == "roster"
    assert offtopic.own_ending("出席招待会的领导同志有：丁关根、田纪云、李铁映。") == "roster"
    # Names in a list with 等 but nobody present anywhere: a keyword list, not a roster.
    assert offtopic.own_ending("二手房、学区房、房价走势、装修公司等热门搜索。") is None


@pytest.mark.parametrize(
    "quote",
    [
        "他说：“过去很多年轻人周末只知道逛商场、打游戏，如今越来越多的家庭愿意带着孩子来这里坐一坐，这种变化让我们很欣慰。”",
        "她表示，近六十年来，当地幼童死亡人数首度低于一千人，一九九零年五岁以下儿童死亡人数有一千二百人，二零一零年降至七百六十人。",
    ],
)
def test_closing_quote_of_someone_named_before_is_the_articles_own(quote):
    # Its words are not the article's (the vectors alone would cut it), but 他说/她表示
    # points back at a person the article introduced: it cannot have come from elsewhere.
    assert offtopic.own_ending(quote) == "quote of someone named before"
    assert offtopic.detect(doc([*LIBRARY, quote])).offtopic is None
    assert offtopic.detect(doc([*LIBRARY[:-1], LIBRARY[-1] + quote])).offtopic is None
    for opening in [
        "他山之石，可以攻玉。",
        "其他说明：本活动最终解释权归主办方所有。",
        "她们的故事感动了很多人。",
    ]:
        assert offtopic.own_ending(opening) is None


def test_short_document_is_never_cut():
    assert offtopic.detect(doc([LIBRARY[0], FOOTBALL])).offtopic is None


def test_stuffing_score_separates_keyword_lists_from_prose():
    assert offtopic.stuffing_score(KEYWORDS) >= offtopic.MIN_STUFFING
    assert offtopic.stuffing_score(MEDICAL_BLURB) >= offtopic.MIN_STUFFING
    for paragraph in [*LIBRARY, FOOTBALL, RELATED_END]:
        assert offtopic.stuffing_score(paragraph) < offtopic.MIN_STUFFING


# --- the part a near-duplicate lacks --------------------------------------------------


def test_cut_against_duplicate_finds_the_tail_the_duplicate_lacks():
    body_000 = process(seed("000")).clean.body
    body_002 = process(seed("002")).clean.body
    res = offtopic.cut_against_duplicate(body_002, body_000)
    assert res is not None
    assert res.offtopic_start == body_002.index("左心")
    # The duplicate's evidence joins what the tail itself shows.
    assert res.offtopic_reason.split("+")[0] == "duplicate"
    assert "stuffing" in res.offtopic_reason
    assert res.body == body_000.replace("\n\n", "")
    # 000 has nothing 002 lacks, and a document is no tail of itself.
    assert offtopic.cut_against_duplicate(body_000, body_002) is None
    assert offtopic.cut_against_duplicate(body_002, body_002) is None


def test_cut_against_duplicate_on_written_texts():
    with_tail = "\n\n".join([*LIBRARY, FOOTBALL])
    res = offtopic.cut_against_duplicate(with_tail, "".join(LIBRARY))
    assert res is not None and res.offtopic == FOOTBALL
    # Unrelated documents are not duplicates: nothing is cut.
    assert offtopic.cut_against_duplicate(with_tail, FOOTBALL * 3) is None


def test_short_unrelated_sentence_is_cut_only_with_a_duplicate_lacking_it():
    # Too short for the detector on its own (a closing slogan could be that short)…
    short = "中超客队二比一逆转取胜。"
    with_tail = [*LIBRARY[:-1], LIBRARY[-1] + short]
    assert offtopic.detect(doc(with_tail)).offtopic is None
    # …but a near-duplicate without it, and no shared topic, are evidence enough.
    res = offtopic.cut_against_duplicate("\n\n".join(with_tail), "\n\n".join(LIBRARY))
    assert res is not None and res.offtopic == short
    assert res.offtopic_reason.startswith("duplicate")
    assert res.offtopic_start == "\n\n".join(with_tail).index(short)


def test_copy_cut_short_does_not_cost_the_article_its_ending():
    # A syndicated copy that lacks the article's last paragraph: that paragraph
    # is on topic, so the duplicate's evidence alone does not cut it.
    full = "\n\n".join([*LIBRARY, RELATED_END])
    assert offtopic.cut_against_duplicate(full, "\n\n".join(LIBRARY)) is None
    assert offtopic.cut_against_duplicate(full, "\n\n".join(LIBRARY[:-1])) is None


def test_traditional_chinese_page_is_measured_like_simplified():
    import opencc

    s2t = opencc.OpenCC("s2t").convert
    article = [s2t(p) for p in LIBRARY]
    assert article != LIBRARY
    assert offtopic.detect(doc(article)).offtopic is None
    assert offtopic.detect(doc([*article, s2t(RELATED_END)])).offtopic is None
    res = offtopic.detect(doc([*article, s2t(FOOTBALL)]))
    assert res.offtopic == s2t(FOOTBALL)


# --- definition of a new term: the opening of an SEO blurb ----------------------------

# A definition blurb in prose, not in the keyword-list shape: only the definition
# evidence (and weak cohesion) can find it.
DEFINITION_BLURB = "量子计算是一种遵循量子力学规律调控量子信息单元进行计算的新型计算模式，被认为将深刻改变密码学和材料科学的研究方式。"


def test_definition_of_a_term_the_article_never_uses_is_cut():
    assert offtopic.stuffing_score(DEFINITION_BLURB) < offtopic.MIN_STUFFING
    for paragraphs in ([*LIBRARY, DEFINITION_BLURB], [*LIBRARY[:-1], LIBRARY[-1] + DEFINITION_BLURB]):
        res = offtopic.detect(doc(paragraphs))
        assert res.offtopic == DEFINITION_BLURB
        assert "definition" in res.offtopic_reason.split("+")


def test_definition_of_the_articles_own_term_is_left_alone():
    own = "公共图书馆是一种由政府举办、向全体市民免费开放的文化设施，图书馆的阅览室和借阅服务面向所有读者。"
    article = [LIBRARY[0].replace("这座", "这座公共图书馆，"), *LIBRARY[1:]]
    assert "公共图书馆" in "".join(article)
    assert offtopic.detect(doc([*article, own])).offtopic is None
    # 所谓X是指… explains a term in passing, even one not used before.
    aside = "所谓城市书房是指设在街区、由图书馆统一管理的小型自助阅览室，读者凭借书证即可进入借阅图书。"
    assert not offtopic.defines_new_term(aside, "".join(LIBRARY))
    assert offtopic.defines_new_term(DEFINITION_BLURB, "".join(LIBRARY))
    assert not offtopic.defines_new_term("创造较好的制度是一个很重要的任务。", "")


def test_no_tail_starts_after_a_semicolon_or_inside_an_open_quotation():
    assert offtopic.split_allowed("他们先后引进了两部雷达。")
    assert not offtopic.split_allowed("他们先后引进了两部雷达；")
    assert not offtopic.split_allowed("前文。\n\n他说：“我们一年忙到头！")
    assert offtopic.split_allowed("前文。\n\n他说：“我们一年忙到头！”")
    # A quotation a previous paragraph left open does not hold the last one.
    assert offtopic.split_allowed("他说：“开头\n\n新的一段。")


def test_a_keyword_list_glued_on_after_a_semicolon_is_cut_but_prose_is_not():
    # The sentence boundaries include ；: SEO text glued on after one is cut when it has
    # a keyword list's or a definition's shape. Prose after a semicolon is the next clause of
    # the same sentence and is left to the reader.
    article = [*LIBRARY[:-1], LIBRARY[-1].rstrip("。") + "；"]
    for tail in (MEDICAL_BLURB, KEYWORDS):
        res = offtopic.detect(doc([*article[:-1], article[-1] + tail]))
        assert res.offtopic == tail.strip()
        assert res.body.endswith("公共文化客厅；")
        assert {"stuffing", "definition"} & set(res.offtopic_reason.split("+"))
    assert offtopic.detect(doc([*article[:-1], article[-1] + FOOTBALL])).offtopic is None
    # Inside a quotation the last paragraph opened, nothing is cut, whatever its shape.
    quoting = [*LIBRARY[:-1], "馆长说：“图书馆的新书目包括：" + KEYWORDS]
    assert offtopic.detect(doc(quoting)).offtopic is None


@pytest.mark.parametrize(
    "tail",
    [
        "相关阅读：北京地铁新线路年底开通 全国多地迎来降温天气 新能源汽车销量创新高",
        "延伸閱讀 台北捷運新路線年底通車 各地迎來降溫天氣",  # traditional, no colon
        "【相关新闻】北京地铁新线路年底开通，全国多地迎来降温天气",
        "关键词：图书馆,阅读,文化,公共文化",  # the article's own terms: cohesive, still furniture
        "Tags: 图书馆 阅读 文化 城市书房 流动借阅",
    ],
)
def test_a_link_or_term_list_glued_on_behind_its_label_is_cut(tail):
    res = offtopic.detect(doc([*LIBRARY[:-1], LIBRARY[-1] + tail]))
    assert res.offtopic == tail
    assert res.body == "\n\n".join(LIBRARY)
    assert "label" in res.offtopic_reason.split("+")


def test_label_words_opening_prose_are_not_a_label():
    for prose in ("相关报道称，该馆今年还将扩建。", "关键词是阅读。", "标签化的做法不可取。", "热门话题"):
        assert not offtopic.opens_with_label(prose)
    # Inside a quotation the last paragraph opened, a label is quoted text.
    quoting = [*LIBRARY[:-1], "馆长说：“请在借书单上写明关键词：图书馆,阅读,文化,公共文化"]
    assert offtopic.detect(doc(quoting)).offtopic is None


def test_next_item_of_the_articles_numbered_list_is_its_own():
    head = "交警提醒：\n\n1、控制车速。\n\n2、不要占用应急车道。\n\n4、"
    assert offtopic.continues_a_list("3、出发前加满油。", head)
    assert offtopic.continues_a_list("（二）注意安全。", "（一）检查车辆。")
    assert offtopic.continues_a_list("三、附则", "一、总则。二、细则。")
    assert offtopic.continues_a_list("十七、删去第三十条。", "十五、…。\n\n十六、第八条修改为…。")
    assert offtopic.continues_a_list("二十、附则。", "十九、细则。")
    assert not offtopic.continues_a_list("3、出发前加满油。", "没有列表的正文。")
    assert not offtopic.continues_a_list("1、第一项。", "正文。")
    assert offtopic.own_ending("5、出发前加满油。", "4、等待疏导。") == "next item of a list"
    assert offtopic.own_ending("5、出发前加满油。") is None
    tips = [*LIBRARY, "读者须知：1、借书请带好借书证。2、图书逾期请及时归还。3、馆内请保持安静。"]
    tail = "4、中超联赛第二十轮昨晚结束，客队凭借下半场两粒进球逆转取胜。"
    assert offtopic.detect(doc([*tips[:-1], tips[-1] + tail])).offtopic is None


def test_split_score_reads_every_weighted_feature():
    body = "\n\n".join([*LIBRARY, FOOTBALL])
    evidence = offtopic.scan(body)
    assert evidence
    for ev in evidence:
        assert set(offtopic.score_features(ev)) == set(offtopic.SCORE_WEIGHTS)
        assert ev.score == pytest.approx(offtopic.split_score(ev), abs=1e-4)
    cut = offtopic.analyse(body)
    assert cut is not None and cut.start == body.index("本赛季")
    assert cut.score >= offtopic.MIN_SCORE and "score" in cut.fired


@pytest.mark.parametrize(
    "contact",
    [
        "洽詢專線：05-2765041分機2159或上網查詢：www.cych.org.tw。",
        "咨询电话：010-12345678。",
        "报名网址：www.example.cn",
    ],
)
def test_closing_contact_line_is_the_articles_own(contact):
    assert offtopic.own_ending(contact) == "contact line"
    assert offtopic.detect(doc([*LIBRARY, contact])).offtopic is None
    assert offtopic.own_ending("咨询是一种服务行业。") is None


@pytest.mark.parametrize(
    "opening, opens",
    [
        ("本报北京1月5日电 记者张三", True),
        ("据新华社北京1月5日电", True),
        ("新华社记者王五报道：", True),
        ("本报讯 昨日", True),
        ("【某某网讯】昨日", True),
        ("新华社发出电报称", False),
        ("本报记者近日走访了", False),
        ("他打电话给记者", False),
    ],
)
def test_a_tail_opening_with_a_dateline_opens_another_report(opening, opens):
    assert offtopic.opens_another_report(opening + "。", "\n\n".join(LIBRARY)) is opens


def test_a_dated_report_glued_on_weighs_towards_a_cut_unless_the_page_is_a_round_up():
    report = "本报北京1月5日电 " + FOOTBALL
    body = "\n\n".join([*LIBRARY, report])
    tail = next(ev for ev in offtopic.scan(body) if ev.start == body.index("本报北京"))
    assert tail.opens_report and offtopic.score_features(tail)["opens_report"] == 1.0
    assert offtopic.SCORE_WEIGHTS["opens_report"] > 0
    # A round-up: every item under the headline opens with its dateline; the last is not "another report".
    items = ["本报讯 " + LIBRARY[0], "本报讯 " + LIBRARY[1], report]
    assert not offtopic.opens_another_report(items[2], "\n".join(items[:2]))


def test_split_relative_shift_is_zero_at_the_documents_sharpest_drop():
    # The split score reads how this split's shift compares with the sharpest of the document.
    body = "\n\n".join([*LIBRARY[:-1], LIBRARY[-1] + FOOTBALL])
    by_opening = {body[ev.start : ev.start + 4]: ev for ev in offtopic.scan(body)}
    glued_on = by_opening["本赛季中"]  # the sharpest drop: another topic glued on
    own = by_opening["除了硬件"]  # the article's own last paragraph: a mild shift
    assert glued_on.above_sharpest_shift == 0.0
    assert own.above_sharpest_shift > 1.0
    assert offtopic.score_features(own)["above_sharpest_shift"] == own.above_sharpest_shift
    assert offtopic.SCORE_WEIGHTS["above_sharpest_shift"] < 0


def test_a_tail_of_more_than_one_paragraph_weighs_against_a_cut():
    body = "\n\n".join([*LIBRARY, FOOTBALL])
    by_opening = {body[ev.start : ev.start + 4]: ev for ev in offtopic.scan(body)}
    appended = by_opening["本赛季中"]  # one paragraph appended after a line break
    own_ending = by_opening["除了硬件"]  # the article's last paragraph and the appended one
    assert not appended.spans_paragraphs and offtopic.score_features(appended)["spans_paragraphs"] == 0.0
    assert own_ending.spans_paragraphs and offtopic.score_features(own_ending)["spans_paragraphs"] == 1.0
    assert offtopic.SCORE_WEIGHTS["spans_paragraphs"] < 0


def test_new_terms_is_the_share_of_specific_bigrams_the_head_never_uses():
    def last_split(tail: str) -> offtopic.TailEvidence:
        body = "\n\n".join([*LIBRARY, tail])
        ev = offtopic.scan(body)[-1]
        assert body[ev.start :] == tail
        return ev

    # Another topic: most of its specific bigrams (中超, 联赛, 前锋…) are new to the article.
    assert last_split(FOOTBALL).new_terms > 0.5
    # The article's own words again: hardly any bigram is new.
    own = last_split("改造后的图书馆延长了开放时间，读者凭借书证即可刷卡进入自助阅览室。")
    assert own.new_terms < 0.1
    assert offtopic.score_features(own)["new_terms"] == own.new_terms
    assert "new_terms" in offtopic.SCORE_WEIGHTS


@pytest.mark.parametrize(
    "tail, refers",
    [
        ("他在发布会上宣布了这一消息。", True),
        ("会上，这一工程的负责人介绍了进展。", True),
        ("此次会议为期三天。", True),
        ("该公司去年的营业收入增长了两成。", True),
        ("市民对其服务赞不绝口。", True),
        ("上述措施将于下月起施行。", True),
        ("這項計畫明年啟動。", True),  # traditional script
        ("各地应该加强防汛工作。", False),  # 应该: should
        ("两国彼此尊重对方的选择。", False),  # 彼此: each other
        ("其他城市也在推广这种做法。", True),  # 其他 is not a referent, but 这种 is
        ("其他城市也在推广同样的做法。", False),
        ("其实早在十年前就有人提出。", False),
        ("会议在北京举行。他说，明年还将继续。", False),  # only the first sentence counts
    ],
)
def test_a_tail_whose_first_sentence_needs_an_antecedent_refers_back(tail, refers):
    assert offtopic.refers_back(tail) is refers


def test_referring_back_weighs_against_a_cut():
    tail = "他说，这批新书将在下个月上架。"
    body = "\n\n".join([*LIBRARY, tail])
    ev = offtopic.scan(body)[-1]
    assert body[ev.start :] == tail
    assert ev.refers_back and offtopic.score_features(ev)["refers_back"] == 1.0
    assert offtopic.SCORE_WEIGHTS["refers_back"] < 0
    # The same split scores exactly the weight higher without the pronoun's evidence.
    ev.refers_back = False
    assert offtopic.split_score(ev) - offtopic.split_score(
        offtopic.TailEvidence(**{**ev.__dict__, "refers_back": True})
    ) == pytest.approx(-offtopic.SCORE_WEIGHTS["refers_back"])
