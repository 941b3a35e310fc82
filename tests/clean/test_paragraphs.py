"""Rejoining paragraphs cut mid-sentence, on paragraphs written for the test."""

import pytest

from archive.clean.paragraphs import continues, is_cut, join_cut_paragraphs

CUT = "在省级医院专家团队的帮助下，县医院开展了多项新技术，其中最受关注的是一种新型的微创介入治疗方法，它让"
CONT = "许多原本需要转诊的患者在本地就能得到治疗，减轻了家庭负担。"
FULL = "这是一个完整的段落，讲述了医院的发展历程和取得的主要成绩。"


def test_cut_is_joined_to_next_paragraph():
    out, fragmented, joins = join_cut_paragraphs([CUT, CONT, FULL])
    assert out == [CUT + CONT, FULL]
    assert not fragmented and joins == 1


@pytest.mark.parametrize(
    "nxt",
    [
        "新技术专栏",  # a heading
        "2021年5月，县医院又成立了新的诊疗中心。",  # date-led
        "6月20日，双方签订了合作协议。",
        "一、加强学科建设，提升服务能力。",
        "这是一段不平凡的日子。随后医院又开展了别的工作，取得成绩。",  # starts fresh: a short complete lead sentence
        "【专家说】县医院的变化让人欣喜，患者满意度持续提高。",
        "此外，医院还加强了人才培养，引进了一批骨干。",
    ],
)
def test_never_joined_onto_fresh_starts(nxt):
    out, fragmented, joins = join_cut_paragraphs([CUT, nxt])
    assert out == [CUT, nxt]
    assert fragmented and joins == 0


def test_particle_lead_is_a_continuation():
    assert continues("的指导下，医院完成了首例手术。")
    assert continues("了新的突破，患者纷纷点赞。")


def test_short_cut_at_word_boundary_inside_word():
    left = "成立溶栓救治小组，具备高危肺栓塞患者的抢救能力，成功诊断多例急性肺栓塞；通过无痛支气"
    right = "管镜技术联合基因测序，提高了疑难危重感染患者的救治成功率。"
    out, fragmented, joins = join_cut_paragraphs([left, right])
    assert out == [left + right] and joins == 1 and not fragmented


def test_complete_paragraphs_and_headings_are_not_cut():
    for p in [
        FULL,
        "他说：“这是好事。”",
        "新技术专栏",
        "内分泌科 亚专科齐头并进 规范诊疗送入万千百姓家",
        "党建引领，为跨越式发展掌舵领航——创新探索“党建+”模式，实现党建业务融合新突破；",
        "浙大二院携手嘉善一院开展合作（以下简称“合作”）",
        "成绩斐然……",
    ]:
        assert not is_cut(p), p


def test_cut_at_end_is_fragment():
    out, fragmented, _ = join_cut_paragraphs([FULL, CUT])
    assert out == [FULL, CUT] and fragmented


def test_chain_of_cuts_joined_in_order():
    a = "第一段写到一半就被页面布局截断了，后面的内容在下一段里继续写下去，而"
    b = "第二段接着写，但它也没有写完，同样被截断，一直写到了这个位置，才"
    c = "终于写完。"
    out, fragmented, joins = join_cut_paragraphs([a, b, c])
    assert out == [a + b + c] and joins == 2 and not fragmented


def test_latin_words_keep_their_space():
    a = "The hospital opened a new centre in March, with twelve hundred beds and a staff of"
    b = "three thousand people from across the province."
    out, _, _ = join_cut_paragraphs([a, b])
    assert out == [a + " " + b]


@pytest.mark.parametrize(
    "paragraph",
    [
        "衛生局也提出健康飲食的小撇步，讓大家可以作為年節期間飲食的參考：",
        "詳細資料請上網查詢，網址是 http://www.example.gov.tw/hotnews.asp?aid=14866",
        "刘冬的照片也一改众人对网络公司遍地技术宅男的印象.",
    ],
)
def test_colon_url_and_half_width_stop_are_not_cuts(paragraph):
    assert not is_cut(paragraph)


def test_clause_punctuation_lead_is_a_continuation():
    left = "緩緩升起的是救護隊的新生力軍，來自某國的新型直昇機，和一旁原有的機型比起來"
    right = "，不但馬力航程載運量都更大，還配備完整的醫療模組。"
    out, fragmented, joins = join_cut_paragraphs([left, right])
    assert out == [left + right] and joins == 1 and not fragmented
