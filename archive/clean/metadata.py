"""Article metadata read from the lines of a text dump.

Every reader here takes one stripped line and returns what it states, or
``None``/``[]`` when it states nothing: absent fields are never guessed.

- ``parse_date``: ``2023-06-16``, ``2018/11/29``, ``2023年6月16日``, each with an
  optional ``10:30`` → ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM``.
- ``read_source``/``read_editor``/``read_authors``: labelled fields (来源/來源/稿源/
  出处 …, 编辑/责任编辑 …, 作者/记者/通讯员 …), several names with the role
  words dropped; a photo credit (图片由…提供, 摄影) is not an author.
- ``credit_names``: the names of a credit in any of its shapes (``记者 张三 通讯员
  李四``, ``記者林宜靜台北報導``, ``林媛玲╱新北報導``, ``(张三 编译)``): role words
  dropped, an outlet before a role dropped, a run-in place name cut off.
- ``read_byline``: a line made only of a credit (``全媒体记者 张三 通讯员 李四 王五``,
  ``記者陳鈞凱／台北報導``, ``（張文祿報導）``) → the names.
- ``read_lead_credit``: the credit and outlet opening the first paragraph
  (``【某报记者X台北报导】``, ``新华社柏林1月10日电（记者X）``, ``[某某财讯]``,
  ``据某报报道``) → (authors, outlet).
- ``read_provider`` / ``is_dateline``: the outlet in a dateline's provider slot
  (``北京新浪網 (2012-01-12 16:10)``) and whether a dated line is the dateline.
- ``is_metadata_line``: a short non-prose line that states a date or a field.
- ``read_site``: the organisation from a welcome banner or a copyright footer.

Evidence order (``text.clean_lines``): labelled fields first, then the dateline's
provider slot, then the first paragraph's credit; a stated field always wins.
"""

from __future__ import annotations

import re

from .patterns import (
    ANY_LABEL,
    AUTHOR_LABEL,
    CLOSERS,
    DATE_RX,
    EDITOR_LABEL,
    ENGLISH_DATE_RX,
    PHOTO_CREDIT,
    ROLE_RX_NAMED,
    ROLE_WORDS,
    SHORT_YEAR_DATE_RX,
    SOURCE_LABEL,
    WEB_ADDRESS,
    is_prose,
)
from .triggers import may_match, trigger_pattern

_SLASHES = str.maketrans({"╱": "/", "／": "/", "∕": "/"})
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９：／－．", "0123456789:/-.")
_CJK_NAME = re.compile(r"^[\u4e00-\u9fff][\u4e00-\u9fff·・•]{1,5}$")
_LATIN_NAME = re.compile(r"^[A-Za-z][A-Za-z.\-']{1,20}$")
_PHOTO_ONLY = re.compile(r"(?<![文][/／、])[摄攝]\s*[)）\]】]?\s*$")
_NAME_SPLIT = re.compile(r"[\s,，、;；/／|｜&:：]+")
# "来源：X", "来源于《X》", and at a line's start "本文来源于X".
_SOURCE_RX = re.compile(
    SOURCE_LABEL
    + r"\s*(?:[于於]?\s*[:：]|[于於](?=\s*《))\s*|^\s*(?:本文|文章|稿件|新[闻聞])[来來]源[于於]\s*"
)
_EDITOR_RX = re.compile(EDITOR_LABEL + r"\s*[:：]\s*")
# Gates (triggers.trigger_pattern): a line holding none of the characters every match
# needs is not searched; most lines asked about are headlines of link lists.
_SOURCE_GATE = trigger_pattern(_SOURCE_RX)
_EDITOR_GATE = trigger_pattern(_EDITOR_RX)
_AUTHOR_RX = re.compile(
    r"(?:^|[\s(（\[【|])"
    + AUTHOR_LABEL
    + r"\s*[:：/／]\s*|(?:^|[\s(（\[【|:：/])(?=(?:"
    + ROLE_RX_NAMED
    + r"))"
)
_WELCOME_SITE = re.compile(
    r"^\s*[欢歡]迎(?:您)?(?:来到|來到|访问|訪問|光[临臨]|[浏瀏][览覽])\s*(.{2,30}?)\s*(?:官方网站|官方網站|网站|網站|官网|官網)?\s*[!！~～。.]*$"
)
_COPYRIGHT_SITE = re.compile(
    r"(?:版[权權]所有\s*[:：©(（]?\s*([^\s,，。;；|]{2,30}))|(?:^|\s)([^\s,，。;；|:：]{2,30}?)\s*版[权權]所有"
)
_ORG_SUFFIX = re.compile(
    r"(?:医院|醫院|中心|大学|大學|学院|學院|学校|學校|委员会|委員會|政府|公司|集团|集團|报社|報社|电视台|電視台"
    r"|[局厅廳部署院所馆館网網站])(?:[(（][^)）]{1,20}[)）])?$"
)
_BRACKETS = str.maketrans("", "", "《》〈〉")
_VALUE_END = re.compile(r"\s{2,}|\s(?=\S+\s*[:：])|[|｜]")


def _digits(text: str) -> str:
    return text.translate(_FULLWIDTH_DIGITS)


def parse_date(text: str) -> str | None:
    """First date in ``text`` as ISO ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM``."""
    digits = _digits(text)
    match = DATE_RX.search(digits)
    if not match:
        short = SHORT_YEAR_DATE_RX.search(digits)
        if short:
            year, month, day, hour, minute = short.groups()
            return _iso(2000 + int(year), int(month), int(day), hour, minute)
        return _english_date(text)
    year, month, day, hour, minute = (match.group(i) for i in range(1, 6))
    return _iso(int(year), int(month), int(day), hour, minute)


_MONTHS = {
    name: i
    for i, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}


def _english_date(text: str) -> str | None:
    """``January 17, 2012 06:00 AM`` → ``2012-01-17T06:00``."""
    match = ENGLISH_DATE_RX.search(text)
    if not match:
        return None
    month = _MONTHS[(match["month"] or match["month2"])[:3].lower()]
    hour = match["hour"]
    if hour is not None and match["ampm"]:
        # 12 AM is midnight, 12 PM noon.
        hour = str(int(hour) % 12 + (12 if match["ampm"].lower() == "p" else 0))
    year, day = match["year"] or match["year2"], match["day"] or match["day2"]
    return _iso(int(year), month, int(day), hour, match["minute"])


def _iso(year: int, m: int, d: int, hour: str | None, minute: str | None) -> str | None:
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return None
    iso = f"{year:04d}-{m:02d}-{d:02d}"
    if hour is not None and minute is not None and int(hour) < 24 and int(minute) < 60:
        iso += f"T{int(hour):02d}:{int(minute):02d}"
    return iso


def _value_after(rx: re.Pattern[str], line: str) -> str | None:
    """The field value that follows a label: up to the next label or a wide gap."""
    match = rx.search(line)
    if not match:
        return None
    rest = line[match.end() :]
    next_label = ANY_LABEL.search(rest)
    if next_label:
        rest = rest[: next_label.start()]
    return rest.strip()


def read_source(line: str) -> str | None:
    """``来源: 《X》`` → ``X`` (the first token; 《》 stripped)."""
    value = _value_after(_SOURCE_RX, line)
    if not value:
        return read_bracketed_outlet(line)
    value = value.strip(" ()（）[]【】")  # "来源：( 某某在线 )"
    value = _VALUE_END.split(value, maxsplit=1)[0]
    value = re.split(r"[,，;；]", value, maxsplit=1)[0]
    value = value.split()[0] if value.split() else ""
    value = value.translate(_BRACKETS).strip(" ,，。;；:：()（）[]【】")
    return value or None


# "(张三 编辑)": the editor named in brackets at the end of the article.
_TRAILING_EDITOR = re.compile(r"[(（【\[]\s*([\u4e00-\u9fff]{2,4})\s*[编編][辑輯]\s*[)）】\]]")
_TRAILING_EDITOR_GATE = trigger_pattern(_TRAILING_EDITOR)


def read_editor(line: str) -> str | None:
    """``责任编辑：X`` / ``【编辑:X】`` / ``(X 编辑)`` → ``X``."""
    value = _value_after(_EDITOR_RX, line) if may_match(_EDITOR_GATE, line) else None
    if value is None:
        trailing = _TRAILING_EDITOR.search(line) if may_match(_TRAILING_EDITOR_GATE, line) else None
        return trailing.group(1) if trailing else None
    value = value.strip(" ()（）[]【】")
    names = split_names(value)
    return names[0] if names else None


def _strip_role(token: str) -> str | None:
    """A name with its role word removed; ``None`` when the token is only a role phrase."""
    for role in ROLE_WORDS:
        if token == role:
            return None
        if token.startswith(role) and len(role) > 1:
            return token[len(role) :]
    # "晚报记者", "新华社记者": an outlet plus a role is not a name.
    if any(token.endswith(role) for role in ROLE_WORDS if len(role) > 1):
        return None
    return token


def split_names(value: str) -> list[str]:
    """Names in a credit value, role words dropped; stops at a photo credit."""
    photo = PHOTO_CREDIT.search(value)
    if photo:
        value = value[: photo.start()]
    names: list[str] = []
    for raw in _NAME_SPLIT.split(value):
        token = raw.strip("()（）[]【】<>《》:：.。")
        if not token:
            continue
        name = _strip_role(token)
        if name is None:
            continue
        name = name.strip(":：/／ ")
        is_name = (_CJK_NAME.match(name) and len(name) <= 4) or _LATIN_NAME.match(name)
        if is_name and name not in names and name.lower() not in _NOT_NAMES:
            names.append(name)
    return names


def read_authors(line: str) -> list[str]:
    """Names credited by ``作者:``, ``文/``, ``记者 X``, ``通讯员 X`` … in one line."""
    line = line.translate(_SLASHES)
    match = _AUTHOR_RX.search(line)
    if not match:
        return []
    rest = line[match.start() :].lstrip().lstrip("(（[【|:：").lstrip()
    rest = re.sub(r"^" + AUTHOR_LABEL + r"\s*[:：/／]\s*", "", rest)
    # Stop at the next non-author label (来源, 编辑, 日期 …).
    stop = re.search(
        r"(?:"
        + SOURCE_LABEL
        + "|"
        + EDITOR_LABEL
        + r"|[发發](?:布|佈)|日期|[时時][间間]|[点點][击擊]|[浏瀏][览覽])\s*[:：]"
        # Any other "label:" after a space ends the names too (浏览次数：, 字号：…):
        # a name never holds a colon.
        + r"|(?<=\s)[\u4e00-\u9fff]{2,6}\s*[:：]",
        rest,
    )
    if stop:
        rest = rest[: stop.start()]
    rest = re.split(r"[)）\]】]", rest, maxsplit=1)[0]
    rest = re.split(r"\s{2,}|\t", rest.strip(), maxsplit=1)[0]
    return credit_names(rest)


# "/台北報導", "/採訪報導", "台北電": the place and the verb after a credited name.
_REPORT_TAIL = re.compile(
    r"/\s*[\u4e00-\u9fff]{0,6}?(?:報導|报道|報道|报导|電|电|[编編][译譯]|整理)?(?=\s|$|[)）\]】])"
)
_REPORT_VERB = re.compile(r"(?:採訪|采访|綜合|综合|聯合|联合)?(?:報導|报道|報道|报导)")
# "记者 张三 嘉義報導": a place standing alone before the verb.
_PLACE_REPORT = re.compile(r"(?<=\s)[\u4e00-\u9fff]{1,4}(?:採訪|采访|綜合|综合)?(?:報導|报道|報道|报导)")
_PUBLICATION = re.compile(r"《[^》]*》")
_ROLE_SPLIT = re.compile(r"(" + "|".join(w for w in ROLE_WORDS if len(w) > 1) + r")")
# An outlet glued before a role word, at the credit's start or after a space, a slash or
# a label's colon ("采写：南都记者 方南").
_OUTLET_GLUED = re.compile(r"(?:(?<=[\s/:：])|^)[\u4e00-\u9fff]{1,8}?(?=(?:" + ROLE_RX_NAMED + r"))")
# Roles written after the names they credit: "(张三 编译)", "张三报道".
_TRAILING_ROLES = frozenset(["编译", "編譯", "报道", "報導", "报导", "撰稿", "整理"])
PLACE_CHARS = 2  # "林宜靜台北": a run-in place name after the person's name


def credit_names(value: str) -> list[str]:
    """Names in a credit: ``记者 张三 通讯员 李四``, ``記者林宜靜台北報導``, ``林媛玲╱新北報導``.

    Role words are dropped; a run-in two-character place after a name
    (``林宜靜台北``) is cut off; a photo credit ends the value.
    """
    text = value.translate(_SLASHES)
    if _PHOTO_ONLY.search(text):
        return []  # "（新华社记者某某摄）": the whole credit is for a photo
    photo = PHOTO_CREDIT.search(text)
    if photo:
        text = text[: photo.start()]
    text = _PUBLICATION.sub(" ", text)
    text = _REPORT_TAIL.sub(" ", text)
    text = _PLACE_REPORT.sub(" ", text)
    text = _REPORT_VERB.sub(" ", text)
    first_role = _ROLE_SPLIT.search(text)
    if first_role:
        after = text[first_role.end() :].strip(" )）】]")
        # With role words present, names follow them and what precedes is an
        # outlet; only a role closing the credit ("(张三 编译)") follows its names.
        trailing = not after and first_role.group(1) in _TRAILING_ROLES
        text = text[: first_role.start()] if trailing else text[first_role.start() :]
    # "晚报记者 王五": an outlet glued before a role word is not a name.
    text = _OUTLET_GLUED.sub(lambda m: m.group(0) if _ROLE_SPLIT.search(m.group(0)) else "", text)
    text = _ROLE_SPLIT.sub(r" \1 ", text)
    names: list[str] = []
    for raw in _NAME_SPLIT.split(text):
        token = raw.strip("()（）[]【】<>《》:：.。◎●■※* ")
        if not token:
            continue
        name = _strip_role(token)
        if not name:
            continue
        # Five or six characters are a three- or four-character name plus a place;
        # four stay whole (歐陽小明), even though 郭洋北京 would then be wrong.
        if _CJK_NAME.match(name) and len(name) in (3 + PLACE_CHARS, 4 + PLACE_CHARS):
            name = name[:-PLACE_CHARS]
        is_name = (_CJK_NAME.match(name) and len(name) <= 4) or _LATIN_NAME.match(name)
        if is_name and name not in names and name.lower() not in _NOT_NAMES:
            names.append(name)
    return names


# Not persons: widget words, roles, placeholders, the paper/station itself.
_NOT_NAMES = frozenset(
    (
        # Widget words next to a credit.
        "手机版 手機版 打印 关闭 關閉 分享 收藏 推荐 推薦 返回 评论 評論 文字大小 字号 字號 調查 调查 "
        # What was done to the text, not who wrote it: "（记者陈智 整合）".
        "报道 報導 综合 綜合 整理 整合 本报 本報 本台 本网 本網 "
        # Placeholders a CMS prints in the author slot: "作者：未知", "作者：佚名"; "the web" as
        # the credit of a text compiled from other sites ("作者：网络整理").
        "网络 網絡 网络整理 網絡整理 未知 佚名 匿名 不详 不詳 暂无 暫無 网友 網友 小编 小編 管理员 管理員 系统管理员 系統管理員 admin administrator "
        # The author's widgets under a "作者" heading: "作者最新文章", "作者简介".
        "文章 最新文章 更多文章 其他文章 其它文章 热门文章 熱門文章 全部文章 相关文章 相關文章 最新作品 "
        "简介 簡介 主页 主頁 专栏 專欄 动态 動態"
    )
    .lower()
    .split()
)
# A bracketed credit at the start of a paragraph: "（记者 王硕）", "【台灣醒報記者林宜靜台北報導】".
_BRACKET_CREDIT = re.compile(r"[(（【\[]([^()（）【】\[\]]{2,40}?)[)）】\]]")
_OUTLET_BEFORE_ROLE = re.compile(r"^([\u4e00-\u9fff]{2,10}?)(?:" + ROLE_RX_NAMED + r")")
_OUTLET_DATELINE = re.compile(
    r"^[(（]?([\u4e00-\u9fff]{2,10}?(?:社|報|报|網|网|台|刊))[\u4e00-\u9fff]{0,8}?(?:\d{1,2}\s*月\s*)?\d{1,2}\s*日\s*(?:電|电|訊|讯)"
    r"|^([\u4e00-\u9fff]{2,10}?(?:報|报|網|网|社|台))(?:訊|讯)"
    r"|^[\[【]([\u4e00-\u9fff]{1,7}(?:社|報|报|網|网|台|刊|讯|訊|聞|闻))[\]】]"
)
_ACCORDING_TO = re.compile(
    r"[据據]([\u4e00-\u9fff]{2,8}?(?:报|報|社|网|網|台|刊))(?:\d{1,2}月\d{1,2}日)?(?:消息|报道|報導|援引)"
)
_UNBRACKETED_CREDIT = re.compile(
    r"((?:" + ROLE_RX_NAMED + r")[^，,。：:（(【\[]{2,30}?)(?:报道|報導|報道)\s*[:：]"
)
LEAD_CREDIT_REACH = 40  # characters of the first paragraph searched for a credit


def read_lead_credit(paragraph: str) -> tuple[list[str], str | None]:
    """(authors, outlet) credited at the start of the first paragraph."""
    head = paragraph[: LEAD_CREDIT_REACH + 20]
    authors: list[str] = []
    outlet: str | None = None
    bracket = _BRACKET_CREDIT.search(head)
    if bracket and bracket.start() <= LEAD_CREDIT_REACH:
        inner = bracket.group(1)
        if _ROLE_SPLIT.search(inner) or _REPORT_VERB.search(inner):
            authors = credit_names(inner)
            before_role = _OUTLET_BEFORE_ROLE.match(inner.strip())
            if before_role:
                outlet = before_role.group(1)
    if not authors:
        # "大江网讯 实习生张三、记者李四报道：…": an unbracketed credit before a colon.
        spoken = _UNBRACKETED_CREDIT.search(head)
        if spoken:
            authors = credit_names(spoken.group(1))
    dateline = _OUTLET_DATELINE.match(paragraph.strip())
    if dateline and outlet is None:
        candidate = next(g for g in dateline.groups() if g)
        if not _ROLE_SPLIT.search(candidate) and not _REPORT_VERB.search(candidate):
            outlet = candidate
    if outlet is None:
        according = _ACCORDING_TO.search(paragraph[: LEAD_CREDIT_REACH * 2])
        if according:
            outlet = according.group(1)
    if outlet and outlet.startswith("本"):
        outlet = None  # "本报讯": the site itself, not a stated outlet
    return authors, outlet


# A bracketed credit closing a paragraph: "…。（記者 張三 台北報導）", "…。(通讯员 李四 记者 王五)".
_CLOSING_CREDIT = re.compile(r"[。！？!?”」.][\s\u3000]*[(（]([^()（）:：]{2,40})[)）]\s*$")
# Or unbracketed after the last sentence, the verb first: "…。報導╱林明佳、張佩玉".
_CLOSING_REPORT_CREDIT = re.compile(
    r"[。！？!?”」][\s\u3000]*((?:報導|報道|报道|报导)\s*[╱/／]\s*[\u4e00-\u9fff·]{2,4}(?:[、，,\s]+[\u4e00-\u9fff·]{2,4})*)\s*$"
)


def read_closing_credit(paragraph: str) -> list[str]:
    """Names credited in brackets at the end of a paragraph (news reports close with the
    reporters' names), when the credit holds a role word or a report verb: a bare name
    in brackets could be anything (a speaker, a translation), and a photo credit is not
    authorship (``credit_names``). A labelled credit (``（譯者：…）``) is left to the line
    rules, which read labels."""
    end = paragraph[-60:]
    m = _CLOSING_CREDIT.search(end)
    if m and (_ROLE_SPLIT.search(m.group(1)) or _REPORT_VERB.search(m.group(1))):
        return credit_names(m.group(1))
    m = _CLOSING_REPORT_CREDIT.search(end)
    return credit_names(m.group(1)) if m else []


# A dateline opening the first paragraph with a full date: "【新唐人2012年1月11日訊】",
# "（中央社記者王小明台北2012年1月16日電）". Without the year ("北京1月16日电") it dates nothing.
_LEAD_DATELINE = re.compile(
    r"^[【\[(（]?([^】\]()（）。]{0,20}?)(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)[^】\]()（）。]{0,10}?(?:電|电|訊|讯)"
)


def read_lead_date(paragraph: str) -> str | None:
    """The date of a dateline opening the first paragraph, when it states the year."""
    m = _LEAD_DATELINE.match(_digits(paragraph.strip()))
    return parse_date(m.group(2)) if m else None


def read_lead_outlet(paragraph: str) -> str | None:
    """The outlet of a bracketed dated dateline opening the first paragraph:
    ``【新唐人2012年1月11日訊】`` → ``新唐人``; None for a credit (``【本報記者…】``)."""
    text = _digits(paragraph.strip())
    # Only the bracketed form names the outlet alone; "北京2012年1月5日电" names a place.
    m = _LEAD_DATELINE.match(text) if text[:1] in "【[" else None
    name = m.group(1).strip() if m else ""
    if not re.fullmatch(r"[A-Za-z0-9]{0,6}[\u4e00-\u9fff]{2,8}", name) or name.startswith("本"):
        return None
    if _ROLE_SPLIT.search(name) or _REPORT_VERB.search(name):
        return None
    return name


# A line that is only an outlet's name in brackets: "(京华时报)" under a reposted
# article names the paper it was taken from, as a 来源 line would. Not …新闻: that is
# how section labels end (【国际新闻】).
_BRACKETED_OUTLET = re.compile(
    r"^[(（【\[]\s*([\u4e00-\u9fffA-Za-z0-9]{2,12}?(?:報|报|社|網|网|台|刊))\s*[)）】\]]$"
)


_CREDIT_LABEL = re.compile(r"^" + AUTHOR_LABEL + r"\s*[:：/／]\s*")


def read_credit_outlet(line: str) -> str | None:
    """The outlet a credit line names before its first role: ``采写：南都记者 方南`` →
    ``南都``, ``(福州晚報記者 林安鎮)`` → ``福州晚報``; not ``本报`` (this paper)."""
    text = _CREDIT_LABEL.sub("", line.strip().lstrip("(（【[ ")).strip()
    match = _OUTLET_BEFORE_ROLE.match(text)
    if not match or match.group(1).startswith("本") or _ROLE_SPLIT.search(match.group(1)):
        return None
    if text[match.end(1) :].startswith(tuple(_TRAILING_ROLES)):
        return None  # "張文祿報導": a name before the role that follows it
    return match.group(1)


def read_bracketed_outlet(line: str) -> str | None:
    """The outlet of a line holding only its bracketed name (``(京华时报)``)."""
    m = _BRACKETED_OUTLET.match(line.strip())
    return m.group(1) if m else None


def read_provider(line: str) -> str | None:
    """The outlet in a dateline's provider slot: ``北京新浪網 (2012-01-12 16:10)``,
    ``欣傳媒╱記者丁彥伶／台北報導 2012-01-12``."""
    text = _digits(line).translate(_SLASHES)
    match = DATE_RX.search(text)
    if not match or ANY_LABEL.search(text):
        return None
    before = WEB_ADDRESS.sub(" ", text[: match.start()])
    pieces = [p.strip() for p in re.split(r"[/|｜()（）\[\]【】]|\s+", before) if p.strip()]
    if not pieces:
        # "2012-01-12 17:16:28 网易网站 | 我来说两句": the slot after the time.
        after = re.split(r"[/|｜()（）\[\]【】]|\s+", text[match.end() :].strip(), maxsplit=1)[0]
        pieces = [after.strip()] if after.strip() else []
    # The outlet is the last piece before the date that is not a credit.
    for piece in reversed(pieces):
        if _ROLE_SPLIT.search(piece) or _REPORT_VERB.search(piece):
            continue
        if (
            2 <= len(piece) <= 12
            # Chinese, perhaps after a Latin or numeric brand: 21世纪网, TVBS新聞網.
            and re.fullmatch(r"[A-Za-z0-9]{0,6}[\u4e00-\u9fff]{2,10}", piece)
            and not piece.startswith("本")
            and _OUTLET_SUFFIX.search(piece)
        ):
            return piece
    return None


_DATELINE_PUNCT = re.compile(r"[\s()（）\[\]【】|/]")


def _before_date(line: str) -> str | None:
    """What precedes the line's date, URLs, spaces and brackets left out (None: no date)."""
    text = _digits(line).translate(_SLASHES)
    match = DATE_RX.search(text)
    if not match:
        return None
    return _DATELINE_PUNCT.sub("", WEB_ADDRESS.sub("", text[: match.start()]))


def is_dateline(line: str) -> bool:
    """A date with at most a URL, an outlet or a credit before it: the article's dateline."""
    before = _before_date(line)
    if before is None:
        return False
    return not before or read_provider(line) is not None or bool(read_authors(line))


def is_url_dateline(line: str) -> bool:
    """A date with nothing but the page's URL before it (``http://news.x.cn  2012-01-17
    14:54``): a dateline wherever it stands, never an entry of a listing (those have titles)."""
    return _before_date(line) == ""


# What outlet names end with: 社, 报/報, 网/網, 台, 刊, 讯/訊, 闻/聞, 视/視, 媒 …
_OUTLET_SUFFIX = re.compile(r"(?:社|[报報]|[网網]|站|台|刊|[讯訊]|[闻聞]|[视視]|媒|[志誌]|[电電]|[经經])$")


_NAME = r"[\u4e00-\u9fff·]{2,4}"
# A role word and the names it credits, separated from each other: "通讯员 王五 赵六".
_CREDIT_GROUP = r"(?:" + ROLE_RX_NAMED + r")\s*[:：/／]?\s*" + _NAME + r"(?:[\s、,，]+" + _NAME + r")*"
_BYLINE = re.compile(
    r"^[□■◎●※*\s]*[(（【\[]?\s*(?:[\u4e00-\u9fff]{2,8}?(?="
    + ROLE_RX_NAMED
    + r"))?"
    + _CREDIT_GROUP
    + r"(?:\s*"
    + _CREDIT_GROUP
    + r")*\s*(?:文\s*[/／、]\s*[摄攝])?\s*[)）】\]]?$"
)


_CREDIT_LINE = re.compile(
    r"^[◎●■※*\s]*[(（【\[]?\s*(?:" + ROLE_RX_NAMED + r")\s*[:：]?\s*[\u4e00-\u9fff·]{2,6}\s*[╱／/]\s*"
    r"[\u4e00-\u9fff]{0,6}?(?:報導|报道|報道|电|電|[编編][译譯]|整理)\s*[)）】\]]?$"
    r"|^[◎●■※*\s]*[(（【\[]\s*[\u4e00-\u9fff·]{2,4}\s*(?:[╱／/]\s*[\u4e00-\u9fff]{0,6}?)?(?:採訪|采访|綜合|综合)?(?:報導|报道|[编編][译譯]|撰稿|整理)\s*[)）】\]]$"
)


def read_byline(line: str) -> list[str]:
    """Names of a line that is only a credit: ``全媒体记者 A 通讯员 B C``,
    ``記者陳鈞凱／台北報導``, ``（張文祿報導）``."""
    text = line.strip()
    if len(text) > 60 or is_prose(text):
        return []
    if _BYLINE.match(text) or _CREDIT_LINE.match(text):
        return credit_names(text)
    return []


def is_metadata_line(line: str) -> bool:
    """A short line stating a date or a source/author/editor field, not a sentence."""
    text = line.strip()
    if not text or len(text) > 150 or is_prose(text) or text[0] in "・·•●■◆▪．":
        return False
    if text.rstrip(CLOSERS)[-1:] in "。！？!?":
        return False  # a sentence, however short
    if (
        (may_match(_SOURCE_GATE, text) and _SOURCE_RX.search(text))
        or (may_match(_EDITOR_GATE, text) and _EDITOR_RX.search(text))
        or _BRACKETED_OUTLET.match(text)
    ):
        return True
    if len(text) <= 30 and may_match(_TRAILING_EDITOR_GATE, text) and _TRAILING_EDITOR.search(text):
        return True  # "(张三 编辑)"; the labelled form was tested just above
    if may_match(_AUTHOR_FIELD_GATE, text) and _AUTHOR_FIELD.search(text):
        return True
    if not _ANY_DIGIT.search(text):
        return False  # every date and relative time stamp holds a digit
    digits = _digits(text)
    for stamp in (DATE_RX, ENGLISH_DATE_RX, _RELATIVE_TIME):
        if not stamp.search(digits):
            continue
        rest = stamp.sub("", digits)
        rest = re.sub(r"https?://\S+|www\.\S+|[\s()（）\[\]【】|:：,，]", "", rest)
        return len(rest) <= 20
    return False


# A relative time stamp: "11 小時前", "5分钟前", "3天前" (aggregators and feeds).
_RELATIVE_TIME = re.compile(r"\d{1,3}\s*(?:分[钟鐘]|小[时時]|天)前")
# "作者：X", "(文/X)": an author field anywhere in a short line.
_AUTHOR_FIELD = re.compile(r"(?:^|[\s(（\[【|])" + AUTHOR_LABEL + r"\s*[:：/／]")
_ANY_DIGIT = re.compile(r"\d")
_AUTHOR_FIELD_GATE = trigger_pattern(_AUTHOR_FIELD)


def read_site(line: str) -> str | None:
    """The site's organisation from ``欢迎来到X`` or ``X版权所有``/``版权所有：X``."""
    welcome = _WELCOME_SITE.match(line)
    if welcome:
        return welcome.group(1).strip()
    copyright_match = _COPYRIGHT_SITE.search(line)
    if copyright_match:
        name = (copyright_match.group(1) or copyright_match.group(2) or "").strip("©:： ")
        if name and not re.match(r"^(?:\d|copyright|©)", name, re.IGNORECASE):
            return name
    return None


def is_organisation_line(line: str) -> bool:
    """A short line naming an organisation (the footer's owner line)."""
    text = line.strip()
    return 3 <= len(text) <= 30 and not is_prose(text) and bool(_ORG_SUFFIX.search(text))
