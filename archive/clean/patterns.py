"""The text-dump cleaner's rules, as data.

Each boilerplate rule is a ``Rule(name, pattern, reason)``: a compiled pattern
that is searched in one stripped line, and the reason label that goes into
``RemovedLine.reason`` when it fires.  The rules describe CLASSES of page
furniture (breadcrumbs, publish-info lines, widgets, footers …), never one
site's wording.  Every pattern accepts half-width and full-width punctuation
(``:``/``：``, ``(``/``（``, ``,``/``，``, ``|``/``｜``) and both scripts
(``来源``/``來源``, ``编辑``/``編輯`` …), written as character classes.

Label patterns for metadata (source, author, editor, date) live here too, so
``metadata.py`` and ``boilerplate.py`` read the same vocabulary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .triggers import gate_of, may_match, required_chars


@dataclass(frozen=True)
class Rule:
    """One boilerplate class: ``pattern`` searched in a stripped line."""

    name: str
    pattern: re.Pattern[str]
    reason: str
    max_len: int | None = None  # the rule only applies to lines at most this long
    # Most furniture never holds a sentence; a rule that also fires on prose says so.
    allow_prose: bool = False
    # Characters every match holds one of (``triggers.required_chars``), and the one-class
    # pattern that finds them: a line with none of them is not searched.  Derived from
    # the pattern, never written by hand.
    triggers: frozenset[str] | None = field(init=False, repr=False, compare=False)
    gate: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "triggers", required_chars(self.pattern))
        object.__setattr__(self, "gate", gate_of(self.triggers))  # the pattern is read once

    def matches(self, line: str) -> bool:
        if self.max_len is not None and len(line) > self.max_len:
            return False
        if not self.allow_prose and is_prose(line):
            return False
        return may_match(self.gate, line) and self.pattern.search(line) is not None


_SENTENCE_MARK = re.compile("[。！？!?]")
# A line longer than this that ends a sentence somewhere is prose, not a heading or a label.
PROSE_MIN_CHARS = 30


def is_prose(line: str) -> bool:
    """A line that reads as a sentence: long enough and ends one somewhere."""
    return len(line) > PROSE_MIN_CHARS and _SENTENCE_MARK.search(line) is not None


def squash(text: str) -> str:
    """``text`` without whitespace (whatever ``str.isspace`` holds, as re's ``\\s``): how two
    views of one line are compared, whatever spaces and breaks each put in it."""
    return "".join(text.split())


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


COLON = r"[:：]"
# Sentence-final punctuation (both widths); a line holding one is prose, not furniture.
TERMINAL = "。！？!?…"
CLAUSE = "，,；;、：:"
# Closing quotes/brackets that may follow a sentence's final punctuation.
CLOSERS = "”’」』）)】》\"'"
BREADCRUMB_SEP = r"(?:>>|>|»|›|＞|→|/|／|\\)"
# A web address, to leave out of a line before reading it: its ? . ! are not sentence
# marks, and a dateline's URL is not text before the date.
WEB_ADDRESS = re.compile(r"(?:https?://|www\.)[\x21-\x7e]+")

# A pager's page numbers, arrows and brackets, and the words that move to another page.
_PAGER_FILL = r"[\s\[\]【】<>«»‹›()（）|｜.…·\-]|\d|第|共|[页頁]|首[页頁]"
_PAGER_MOVE = (
    r"[上下]一[页頁]|[尾末][页頁]|[余餘]下全文|[单單][页頁][阅閱][读讀]|(?:[阅閱][读讀]|查看|[显顯]示)全文"
)

# --------------------------------------------------------------------- rules

BOILERPLATE_RULES: tuple[Rule, ...] = (
    # "当前位置:" / "您当前的位置 : A >> B" / "您的当前位置是:主页 > 新闻中心 >" / "所在位置".
    Rule(
        "breadcrumb-label",
        _rx(
            r"^\s*(?:您|你)?(?:的)?(?:当前|當前|目前|现在|現在)?(?:的)?(?:所在)?(?:位置|页面|頁面|栏目|欄目)(?:是|为|為)?\s*"
            + COLON
        ),
        "breadcrumb",
        max_len=120,
    ),
    # Label-less trails: "首页 >> 文娱 >> 娱乐新闻", ">> 京华网 >> 新闻频道 >>".
    Rule(
        "breadcrumb-trail",
        _rx(
            r"^\s*(?:" + BREADCRUMB_SEP + r"\s*)?(?:[^。！？!?>»›＞→|]{1,20}?\s*(?:>>|>|»|›|＞|→)\s*){2,}"
            r"[^。！？!?>»›＞→|]{0,30}$"
        ),
        "breadcrumb",
        max_len=100,
    ),
    Rule(
        "breadcrumb-home",
        _rx(r"^\s*(?:首页|首頁|主页|主頁|网站首页|網站首頁|home)\s*" + BREADCRUMB_SEP),
        "breadcrumb",
        max_len=100,
    ),
    # Counters: "总访问人数:" / "访问量：" / "您是第 N 位访客".
    Rule(
        "counter",
        _rx(
            r"[总總](?:访问|訪問|[浏瀏][览覽])(?:人[数數]|次[数數]|量)|(?:访问|訪問)(?:人[数數]|次[数數]|量)|您是第\s*\d*\s*位|[访訪]客[数數]?\s*"
            + COLON
            + r"|在[线線]人[数數]|今日[访訪]问"
        ),
        "counter",
        max_len=60,
    ),
    # "发布日期:2023-06-16 浏览次数:" / "發佈時間：…" / "点击数:" / "字号:大 中 小".
    Rule(
        "publish-info",
        _rx(
            r"(?:[发發](?:布|佈|表)|更新|上[传傳]|[录錄]入)(?:日期|[时時][间間])\s*"
            + COLON
            + r"|(?:[浏瀏][览覽]|[阅閱][读讀]|[点點][击擊]|访问|訪問)(?:次[数數]|[数數]|量|率)\s*"
            + COLON
            + r"?|(?:^|\s)(?:[阅閱][读讀]|[点點][击擊]|[浏瀏][览覽])\s*"
            + COLON
            + r"|字[号號體体]\s*"
            + COLON
            + r"?\s*[【\[]?\s*[大中小]"
        ),
        "publish-info",
        max_len=120,
    ),
    # Copyright lines.
    Rule(
        "copyright",
        _rx(r"版[权權]所有|版[权權][声聲]明|copyright|©|\(c\)\s*\d{4}|all\s+rights?\s+reserved"),
        "footer",
        max_len=200,
    ),
    # Reprint notices: "未经授权不得转载", "如需转载请注明出处".
    Rule(
        "reprint-notice",
        _rx(
            r"未[经經].{0,12}(?:许可|許可|授权|授權|同意).{0,12}(?:[转轉][载載]|复制|複製|[镜鏡]像|摘[编編])"
            r"|不得[转轉][载載]|[转轉][载載].{0,8}(?:注明|註明)"
        ),
        "footer",
        max_len=120,
        allow_prose=True,
    ),
    # Licences and registrations: ICP, 公网安备, 批准文号, 网站标识码, 事业单位标识.
    Rule(
        "licence",
        _rx(
            r"ICP\s*(?:[备備]|[证證]|[经經]营|[许許]可)|公[网網]安[备備]|批准文[号號]|[网網]站[标標][识識]"
            r"|事[业業]单?[位]?[标標][识識]|[备備]案[号號编編]|[许許]可[证證]\s*(?:[号號编編]|\d)"
            r"|[经經]营[许許]可|新[闻聞][发發]布[资資]格|[视視][听聽]节目"
        ),
        "footer",
        max_len=200,
    ),
    # Organisers: "主办单位：…", "技术支持：…", "…提供技术支持".
    Rule(
        "organiser",
        _rx(
            r"^\s*(?:主[办辦]|承[办辦]|[协協][办辦]|技[术術]支[持援]|[网網]站[维維][护護]|建[设設][维維][护護]|"
            r"[运運][维維]|[监監][制製]|出品)(?:[单單]位)?\s*"
            + COLON
            + r"|技[术術]支[持援]\s*"
            + COLON
            + r"?|提供技[术術]支持|平台支持"
        ),
        "footer",
        max_len=150,
    ),
    # Address / phone / email / postcode blocks.
    Rule(
        "contact",
        _rx(
            r"(?:[电電]\s*[话話]|[传傳]\s*真|[热熱][线線]|手[机機]|[邮郵]\s*[编編]|[邮郵][递遞]?[区區][号號]|[邮郵]\s*箱|信\s*箱"
            r"|[电電]子[邮郵]件|e-?mail|地\s*址|[联聯][系繫]方式|[联聯][系繫]我[们們]|QQ)\s*[:：]"
            # An e-mail address: only whether one is there matters, so the pattern is its
            # shortest sure sign (a name character, @, a dotted domain): a line is scanned
            # once, with no run of name characters matched and given back at each start.
            r"|[\w.\-]@[\w\-]+\.[\w.]"
        ),
        "contact",
        max_len=200,
    ),
    # Welcome / farewell banners: "欢迎来到…", "欢迎访问…", "…祝您健康~", "感谢您访问…".
    Rule(
        "welcome",
        _rx(
            r"^\s*(?:[欢歡]迎(?:您)?(?:来到|來到|访问|訪問|光[临臨]|[浏瀏][览覽]|登[录錄]|使用))|祝您.{0,10}$"
            r"|^\s*感[谢謝]您?(?:的)?(?:访问|訪問|[浏瀏][览覽]|[阅閱][读讀]|收看|[关關]注)"
        ),
        "welcome",
        max_len=60,
    ),
    # Follow-us lines: "官方微信公众号", "官方视频号", "扫一扫", "关注我们".
    Rule(
        "follow-us",
        _rx(
            r"官方(?:微信|微博|抖音|[视視][频頻]|[账賬][号號])|公[众眾][号號]|[视視][频頻][号號]|[扫掃]一[扫掃]|[扫掃][码碼]"
            r"|[关關]注我[们們]|二[维維]碼|二维码|手机版|手機版|手机报|手機報|客[户戶]端"
        ),
        "follow-us",
        max_len=40,
    ),
    # A reader-directed follow call of any length: "扫描下方二维码关注…官方微信", "长按识别二维码
    # 关注": the code sits beside the text (下方, 右侧, 文末) or is pressed (长按), so it is the
    # page's own promotion, not a report of someone scanning one (a scam story's "扫描二维码关注了").
    Rule(
        "follow-us-call",
        _rx(
            r"(?:(?:下方|下面|上方|右[侧側边邊]|左[侧側边邊]|文末|[图圖]中)的?|[长長]按(?:[识識][别別])?)二[维維][码碼]"
            r"[^。！？!?]{0,24}(?:[关關]注|[订訂][阅閱])"
        ),
        "follow-us",
        max_len=150,
        allow_prose=True,
    ),
    # Pager rows: "1 2 下一页 余下全文", "[1] [2] 下一页", "第 1 2 3 页 下一页", "1 2下一页尾页单页阅读":
    # only page numbers, arrows and pager words, one of which moves (下一页, 尾页, 余下全文 …).
    # Possessive: a row of digits is read once.
    Rule(
        "pager",
        _rx(
            r"^(?:"
            + _PAGER_FILL
            + r")*+(?:"
            + _PAGER_MOVE
            + r")(?:"
            + _PAGER_FILL
            + "|"
            + _PAGER_MOVE
            + r")*+$"
        ),
        "pager",
        max_len=60,
    ),
    # A pager of bracketed page numbers alone: "【1】【2】【3】【4】", "[1] [2] [3]".
    Rule("pager-numbers", _rx(r"^(?:[\[【(（]\s*\d{1,3}\s*[\]】)）]\s*){2,}$"), "pager", max_len=60),
    # Labelled previous/next links of any length: "【上一篇】 标题！ 【下一篇】 标题", "下一篇：标题".
    # Only the label form (bracketed or followed by a colon): "上一篇文章中…" opens prose.
    Rule(
        "prev-next",
        _rx(
            r"^\s*(?:[【\[(（]\s*[上下]一(?:篇|[页頁]|[则則]|[条條])\s*[】\])）]"
            r"|[上下]一(?:篇|[页頁]|[则則]|[条條])\s*[:：])"
        ),
        "related",
        max_len=300,
        allow_prose=True,
    ),
    # A link back to the site's home page: "返回腾讯网首页>>", ">>返回频道首页".
    Rule(
        "back-home",
        _rx(r"^(?:\s*(?:>>|»|＞＞)?\s*返回[^。！？!?\s]{0,10}首[页頁]\s*(?:>>|»|›|＞＞)?)++\s*$"),
        "widget",
        max_len=30,
    ),
    # Tags / keywords.
    Rule(
        "tags",
        _rx(r"^\s*(?:[标標][签籤]|[关關][键鍵](?:[词詞]|字)|tags?)\s*" + COLON),
        "tags",
        max_len=120,
    ),
    # A comment section's counter: "回复 ⋅ 12条回复 1375", "4,786 条评论" (no sentence: "该微博
    # 已收到3000条评论。" is a report).
    Rule(
        "comment-count",
        _rx(r"^(?!.*[。！？!?])[^\d]{0,12}\d[\d,，.]*\s*[条條](?:[评評][论論]|回[复覆])"),
        "comments",
        max_len=30,
    ),
    # Comment sections: "网友评论", "张三 对某事的评论:", "網友回應".
    Rule(
        "comments",
        _rx(
            r"(?:[网網]友|[读讀]者)(?:[评評][论論]|回[应應覆复]|留言)|[评評][论論][区區]|(?:的|条|條)[评評][论論]\s*[:：]\s*$"
            r"|^\s*(?:[发發]表|我要|查看|更多)[评評][论論]"
        ),
        "comments",
        max_len=40,
    ),
    # Related-content and pager headings: "相关新闻", "上一篇：…", ">> 图片新闻推荐", "为你推荐".
    Rule(
        "related",
        _rx(
            r"^\s*(?:>>|»)?\s*(?:相[关關](?:新[闻聞]|[阅閱][读讀]|文章|[链鏈]接|[报報][导導]|[专專][题題]|推[荐薦])"
            r"|延伸[阅閱][读讀]|推[荐薦][阅閱][读讀]|[热熱](?:点|點|门|門)(?:新[闻聞]|推[荐薦]|[关關]注|文章)?"
            r"|(?:新[闻聞]|[点點][击擊]|[阅閱][读讀])排行|精彩(?:推[荐薦]|[图圖]片|[热熱][图圖])|[图圖]片新[闻聞]"
            r"|上一(?:篇|[页頁]|[则則]|[条條])|下一(?:篇|[页頁]|[则則]|[条條])|更多(?:新[闻聞]|>>|»)?\s*$"
            r"|此前[报報][道导導]|前情回[顾顧]|往期回[顾顧]|(?:[点點][击擊])?[进進]入[专專][题題]"
            r"|[猜你]你?喜[欢歡]|[为為][你您]推[荐薦]|[网網]友[评評][论論]|[发發]表[评評][论論]|我要[评評][论論]|[评評][论論](?:[区區])?\s*$)"
        ),
        "related",
        max_len=40,
    ),
    # Disclaimers and reprint notices.
    Rule(
        "disclaimer",
        _rx(
            r"^\s*[【\[(（]?\s*(?:免[责責][声聲]明|[特版][别別權权]?[声聲]明|[转轉][载載][声聲]明|[风風][险險]提示)\s*[】\])）]?\s*[:：]"
            r"|^\s*本文引用地址|^\s*本文[网網]址|^\s*原文[链鏈]接\s*[:：]"
            r"|^\s*[\u4e00-\u9fffA-Za-z]{1,10}[声聲]明\s*[:：]"
            r"|^\s*凡[^。]{0,30}(?:[来來]源|版[权權]|稿件|作品)"
        ),
        "disclaimer",
        max_len=400,
        allow_prose=True,
    ),
    # Promotion banners: a line of teaser copy with a bracketed click prompt ("…火热进行中！
    # 【点击投票】…", "[点击进入]"): a link to another page, whatever sentences it holds.
    Rule(
        "click-prompt",
        # Copy of its own beside the prompt: a prompt alone ("【点击查看大图】") is a widget.
        _rx(
            r"[^\s【\[\]】]{4}.*[【\[]\s*(?:[点點][击擊]|[点點]此)[^】\]]{0,8}[】\]]"
            r"|[【\[]\s*(?:[点點][击擊]|[点點]此)[^】\]]{0,8}[】\]].*[^\s【\[\]】]{4}"
        ),
        "promo",
        max_len=150,
        allow_prose=True,
    ),
    # A site's watermark: "某某网,www.example.com" (a short line ending with a domain).
    Rule(
        "watermark",
        _rx(
            r"^[^。！？!?]{0,20}?[,，\s]*(?:https?://)?[a-z0-9\s-]+(?:\.\s*[a-z0-9-]+)*\.\s*(?:com|cn|net|org|tw|hk|ca|us|uk|jp|gov|edu)(?:\.[a-z]{2})?/?$"
        ),
        "url",
        max_len=40,
    ),
    # A line that is only a URL.
    Rule("url", _rx(r"^\s*(?:https?://|www\.)[\x21-\x7e]+\s*$"), "url", max_len=200),
    # A summary repeating the article: "摘  要：…", "内容提要：…".
    Rule(
        "summary",
        _rx(r"^\s*[【\[]?\s*(?:摘\s*要|[内內]容提要|提\s*要)\s*[】\]]?\s*[:：]"),
        "summary",
        allow_prose=True,
    ),
    # Link rows: "a | b | c" (three or more short items).
    Rule(
        "link-row",
        # Items cannot hold a separator, so the match is linear (no backtracking).
        _rx(r"^[|｜]?[^。！？!?|｜]{1,32}(?:[|｜][^。！？!?|｜]{1,32}){2,}[|｜]?$"),
        "link-row",
        max_len=600,
    ),
    # "������": a line of only U+FFFD (with spaces between). The page already held them
    # (an emoji or symbol lost to a lossy re-encoding before it was saved): no text is left.
    Rule("replacement-only", _rx("^\\s*\ufffd[\ufffd\\s]*$"), "garbled"),
)

# The same link glued onto the article's last sentence ("…仍将持续。返回腾讯网首页>>"): cut off
# the line it ends, after the sentence's closing mark.
GLUED_BACK_HOME = re.compile(
    r"(?<=[。！？!?”’」』）)])\s*(?:>>|»|＞＞)?\s*返回[^。！？!?\s]{0,10}首[页頁]\s*(?:>>|»|›|＞＞)?\s*$"
)

# A machine-written timestamp: a numeric date with its time ("2019-09-30 10:31", glued
# "2019-09-3010:31" as a list's <dd> shows it) or a relative age ("7小时前").  Writers spell
# dates out (2019年9月30日) and do not date sentences by the minute: lines of several such
# stamps, or a run of lines that are one, are a listing of other articles.
TIMESTAMP = re.compile(
    r"(?<!\d)(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?(?!\d)"
    r"|(?<!\d)\d{1,2}\s*(?:秒|分[钟鐘]|小[时時]|天)前"
)

# A line of bare numbers: "22", "9 23" (a widget's like and comment counts, its icons images),
# or "1", "02" (a section's number, in a run 1, 2, 3 …; ``boilerplate._mark_bare_counts``).
BARE_NUMBERS = re.compile(r"\d{1,7}(?:\s+\d{1,7}){0,2}")

# Widget words: a line made only of these (and brackets, colons, separators) is a widget row.
WIDGET_WORDS: frozenset[str] = frozenset(
    """
    分享 分享到 分享至 转发 轉發 转载 打印 列印 打印本页 打印本頁 打印此文 打印文章 关闭 關閉 关闭窗口 關閉窗口
    关闭本页 關閉本頁 打印本稿 打印本文 打印此页 列印本頁 收藏 加入收藏 收藏本文 收藏本页 返回顶部 回到顶部 回到頂部 返回頂部 回到头部 回到頭部 返回 返回首页
    返回首頁 返回列表 返回上页 推荐 推薦 推荐给朋友 推薦給朋友 复制链接 複製鏈接 复制网址 纠错 我要纠错 评论 評論 发表评论
    字号 字號 字体 字體 大 中 小 默认 顶 踩 举报 舉報 邮件 郵件 转寄 轉寄 保存 微博 微信 QQ空间 QQ 新浪微博 腾讯微博
    人人网 豆瓣 朋友圈 facebook twitter plurk line email 臉書 脸书 更多 告诉好友 告訴好友 订阅 訂閱 留言 赞 讚
    点击放大 點擊放大 点下放大 點下放大 点击图片放大 點擊圖片放大 查看大图 查看大圖 点击查看大图 點擊查看大圖 查看原图
    查看原圖 点击看大图 點擊看大圖
    """.lower().split()
)
WIDGET_SPLIT = re.compile(r"[\s\[\]【】()（）<>《》:：|｜/、,，·•・\-—]+")

# ------------------------------------------------------------ metadata labels

# Field labels. The value runs to the next label or a wide gap.
# 来源/信息来源/稿源/文章来源/出处; not 资料来源/图片来源 (where data or a photo came from).
SOURCE_LABEL = r"(?<![资資]料)(?<![图圖]片)(?<![数數]据)(?<![數数]據)(?:信息|文章|新[闻聞]|消息|稿件)?(?:[来來]源|稿源|出[处處])"
EDITOR_LABEL = r"(?:[责責]任[编編][辑輯]|[网網][络絡]?[编編][辑輯]|[责責][编編]|[编編][辑輯]|小[编編])"
# The label of a list of links or terms that pages put after an article ("相关阅读：…",
# "延伸阅读 …", "关键词：…", "标签：…", "猜你喜欢"): when it is glued onto the article's last
# line, what follows it is page furniture, not article text (``signals.offtopic``'s ``label``
# evidence). Only labels followed by a colon, a space, a closing bracket or the line's end: the
# same words open prose too (相关报道称…, 关键词是…).
TAIL_LIST_LABEL = re.compile(
    r"(?:>>|»|【|\[)?\s*(?:相[关關](?:新[闻聞]|[阅閱][读讀]|文章|[链鏈]接|[报報][导導]|[专專][题題]|推[荐薦])"
    r"|延伸[阅閱][读讀]|推[荐薦][阅閱][读讀]|[热熱][门門](?:搜索|推[荐薦]|文章|新[闻聞]|[标標][签籤])"
    r"|猜你喜[欢歡]|[标標][签籤]|[关關][键鍵](?:[词詞]|字)|tags?)\s*(?:[】\]]|[:：]|\s|$)",
    re.IGNORECASE,
)


AUTHOR_LABEL = r"(?:作者|撰稿|撰文|采[写寫]|採[写寫]|[编編][译譯]|文)"
# Role words that precede names and are dropped (longest first).
ROLE_WORDS = (
    "全媒体记者",
    "全媒體記者",
    "融媒体记者",
    "融媒體記者",
    "首席记者",
    "首席記者",
    "特约记者",
    "特約記者",
    "见习记者",
    "見習記者",
    "实习记者",
    "實習記者",
    "本报记者",
    "本報記者",
    "本刊记者",
    "特派记者",
    "特派記者",
    "驻站记者",
    "记者",
    "記者",
    "通讯员",
    "通訊員",
    "实习生",
    "實習生",
    "特约撰稿",
    "撰稿人",
    "撰稿",
    "撰文",
    "采写",
    "採寫",
    "编译",
    "編譯",
    "译者",
    "譯者",
    "作者",
    "报道",
    "報導",
    "报导",
    "文",
)
ROLE_RX = "|".join(ROLE_WORDS)
# Without the one-character role 文, which only credits in "文/X" or "文：X" and is
# otherwise part of names and words.
ROLE_RX_NAMED = "|".join(w for w in ROLE_WORDS if len(w) > 1)
# A credit that is not an author: photos, graphics.
PHOTO_CREDIT = re.compile(
    r"(?:[图圖]片?(?:由|/|／|:|：|來自|来自)|[摄攝]影|[摄攝]像|[摄攝]\s*[:：/]|[图圖]\s*[/／]|[制製][图圖]|配[图圖]|供[图圖]|提供$)"
)
# Every label that ends another field's value.
ANY_LABEL = re.compile(
    r"(?:"
    + SOURCE_LABEL
    + "|"
    + EDITOR_LABEL
    + r"|作者|[发發](?:布|佈|表)(?:日期|[时時][间間])?|日期|[时時][间間]"
    r"|[浏瀏][览覽]|[点點][击擊]|[阅閱][读讀]|[标標][签籤]|[关關][键鍵][词詞]|[图圖]片|[摄攝]影)\s*[:：]"
)

# English-style dates on Chinese pages (overseas and Hong Kong/Taiwan sites, wire
# copy): "January 17, 2012 06:00 AM", "Jan. 5, 2012", "17 January 2012 18:30".
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
ENGLISH_DATE_RX = re.compile(
    r"(?<![a-z])(?:" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d{2})"
    r"|(?P<day2>\d{1,2})\s+"
    + _MONTH.replace("?P<month>", "?P<month2>")
    + r",?\s+(?P<year2>(?:19|20)\d{2}))(?!\d)"
    r"(?:\s*,?\s*(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::\d{2})?(?:\s*(?P<ampm>[ap])\.?m\.?(?![a-z]))?)?",
    re.IGNORECASE,
)
# A two-digit year after a publish label: "发布时间：18-03-08 23:16". Chinese sites that
# shorten the year keep the year-month-day order (2018-03-08), never day-month-year; without
# the label, "18-03-08" could be anything (a range, a score, a code). The time may follow
# with no space ("18-03-0823:16": date and time in adjacent inline elements).
SHORT_YEAR_DATE_RX = re.compile(
    r"(?:[发發](?:布|佈|表)|更新|[时時][间間]|日期)\s*[:：]\s*(\d{2})-(\d{1,2})-(\d{2}|\d(?!\d))"
    r"(?:\s*(\d{1,2}):(\d{2})|(?![\d-]))"
)
# The day is one or two digits; a digit may follow it only as the start of a time glued on
# ("2018-03-0823:16": date and time in adjacent inline elements).
DATE_RX = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{2}|\d(?!\d))"
    r"(?:(?=\d{1,2}[:：]\d{2})|(?!\d))\s*日?"
    r"(?:\s*(?:[\u4e00-\u9fff]{0,3}|\|)\s*(\d{1,2})\s*[:：时時]\s*(\d{2})(?:\s*[:：分]\s*(\d{2}))?)?"
)
