"""Synthetic crawl pages built from the real text in ../shared/corpus (for tests and benchmarks).

A document is a run of consecutive paragraphs of the People's Daily corpus (one
article, one topic).  Pages wrap it in realistic furniture (breadcrumb, publish
line, share widgets, copyright/ICP footer) as a text dump or as HTML; a share
of pages are planted duplicates: the same article on another "site" with other
furniture (exact after cleaning) or lightly edited (near).  Fixed seeds make
every run produce the same bytes.
"""

from __future__ import annotations

import html
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "peoples_daily_199801.txt"

SITES = ["新闻网", "日报社", "信息港", "在线", "晚报网", "卫生健康委", "人民医院"]
SECTIONS = ["新闻中心", "本地要闻", "国内新闻", "社会民生", "经济观察"]


@dataclass
class Article:
    title: str
    paragraphs: list[str]


def load_articles(min_chars: int = 600, max_chars: int = 2400, path: Path = CORPUS) -> list[Article]:
    """Cut the corpus into articles: a short line (< 40 chars, no 。) starts a new one."""
    lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    articles: list[Article] = []
    title: str | None = None
    paras: list[str] = []

    def flush() -> None:
        if title and paras:
            body_len = sum(len(p) for p in paras)
            if body_len >= min_chars:
                # Long runs are cut so documents stay near the size a news page has.
                acc: list[str] = []
                for p in paras:
                    acc.append(p)
                    if sum(len(x) for x in acc) >= max_chars:
                        break
                articles.append(Article(title, acc))

    for ln in lines:
        if len(ln) < 40 and "。" not in ln:
            flush()
            title, paras = ln, []
        else:
            paras.append(ln)
    flush()
    return articles


def _furniture(rng: random.Random, site_no: int) -> tuple[list[str], list[str]]:
    site = f"第{site_no}{rng.choice(SITES)}"
    header = [
        f"欢迎访问{site}",
        f"您当前的位置：首页 > {rng.choice(SECTIONS)} > 正文",
    ]
    footer = [
        "分享到：",
        "【打印本页】 【关闭窗口】",
        f"{site}版权所有 Copyright © 2023",
        f"备案号：浙ICP备{rng.randint(10000000, 99999999)}号",
    ]
    return header, footer


def text_page(article: Article, rng: random.Random, site_no: int, date: str) -> str:
    header, footer = _furniture(rng, site_no)
    lines = [*header, "", article.title, "", f"发布时间：{date}  来源：{SITES[site_no % len(SITES)]}", ""]
    for p in article.paragraphs:
        lines += [p, ""]
    lines += footer
    return "\n".join(lines) + "\n"


def html_page(article: Article, rng: random.Random, site_no: int, date: str) -> str:
    header, footer = _furniture(rng, site_no)
    esc = html.escape
    nav = "".join(f"<li><a href='/s{i}'>{esc(s)}</a></li>" for i, s in enumerate(SECTIONS))
    body = "".join(f"<p>{esc(p)}</p>" for p in article.paragraphs)
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{esc(article.title)}_{esc(header[0][4:])}</title>"
        f"<meta name='publishdate' content='{date}'></head><body>"
        f"<div class='top'>{esc(header[0])}</div><ul class='nav'>{nav}</ul>"
        f"<div class='crumb'>{esc(header[1])}</div>"
        f"<div class='article'><h1>{esc(article.title)}</h1>"
        f"<div class='info'>发布时间：{date}</div>{body}</div>"
        f"<div class='footer'>{''.join(f'<p>{esc(f)}</p>' for f in footer)}</div>"
        "</body></html>"
    )


# ---- news-like pages: the size and furniture of real Chinese news pages --------
#
# Calibrated on ../shared/devset (100 real pages, `python scripts/synth.py --calibrate`
# prints both sides): a real page is ~41k characters of HTML with ~120 links and
# ~500 elements (head scripts and styles, channel navigation, breadcrumb, the
# article with its info line and share widget, related-news and most-read lists,
# a footer of links, copyright and registration lines); its text dump (the
# browser's innerText, as the devset's dumps are made) is ~100 lines.  The light
# pages above are ~1.5k characters with 5 links: a tenth of the work a real page
# asks of an extractor.  Navigation and footer are fixed per site (as on a real
# site, which is what repeated-line detection learns from); the lists change per page.

CHANNELS = [
    "首页",
    "新闻",
    "本地",
    "国内",
    "国际",
    "财经",
    "体育",
    "娱乐",
    "教育",
    "健康",
    "房产",
    "汽车",
    "旅游",
    "科技",
    "文化",
    "视频",
    "图片",
    "专题",
    "评论",
    "民生",
    "政务",
    "法治",
    "军事",
    "读书",
]
FOOTER_LINKS = [
    "关于我们",
    "联系我们",
    "广告服务",
    "网站地图",
    "法律声明",
    "招聘信息",
    "投稿信箱",
    "版权声明",
    "意见反馈",
    "友情链接",
    "隐私政策",
    "帮助中心",
    "服务条款",
    "合作伙伴",
]
TOPBAR_LINKS = ["登录", "注册", "设为首页", "加入收藏", "手机版"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉"


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


@dataclass
class NewsSite:
    name: str
    domain: str
    channels: list[str]
    sub_channels: list[str]
    footer_links: list[str]
    icp: str
    police: str
    scripts: list[str]
    style: str


def news_site(site_no: int) -> NewsSite:
    """The fixed furniture of site ``site_no``: its own seed, the same on every page."""
    rng = random.Random(1_000_003 * site_no + 17)
    name = (
        f"{rng.choice(['江南', '海峡', '东方', '北方', '中原', '西部', '沿海', '湖畔'])}{rng.choice(SITES)}"
    )
    channels = rng.sample(CHANNELS, rng.randint(12, 22))
    subs = [
        f"{c}{rng.choice(['动态', '要闻', '快讯', '观察', '聚焦'])}"
        for c in rng.sample(CHANNELS, rng.randint(10, 20))
    ]
    ids = [rng.randint(10**7, 10**8) for _ in range(6)]
    scripts = [
        "var _hmt = _hmt || [];(function() {var hm = document.createElement('script');"
        f"hm.src = 'https://hm.example-stat.cn/hm.js?{ids[0]:x}{ids[1]:x}';"
        "var s = document.getElementsByTagName('script')[0];s.parentNode.insertBefore(hm, s);})();",
        "window.adConfig = "
        + "["
        + ",".join(
            f'{{"slot":"ad_{k}_{ids[2] + k}","size":[{rng.choice([300, 728, 960])},{rng.choice([90, 250, 60])}],'
            f'"channel":"{rng.choice(CHANNELS)}","refresh":{rng.randint(0, 60)},"lazy":true}}'
            for k in range(rng.randint(5, 25))
        )
        + "];",
        "function setFontSize(size){var el=document.getElementById('article_content');"
        "if(!el){return;}el.style.fontSize=size+'px';try{localStorage.setItem('fs',size);}catch(e){}}"
        * rng.randint(1, 3),
    ]
    style = "".join(
        f".{rng.choice(['nav', 'list', 'side', 'box', 'hd', 'bd', 'ft', 'tit', 'more'])}_{k}"
        f"{{margin:{rng.randint(0, 20)}px {rng.randint(0, 20)}px;padding:0 {rng.randint(0, 15)}px;"
        f"font-size:{rng.randint(12, 18)}px;color:#{rng.randint(0, 0xFFFFFF):06x};line-height:{rng.randint(18, 30)}px}}"
        for k in range(rng.randint(20, 90))
    )
    return NewsSite(
        name=name,
        domain=f"www.site{site_no}.com.cn",
        channels=channels,
        sub_channels=subs,
        footer_links=rng.sample(FOOTER_LINKS, rng.randint(8, 14)),
        icp=f"{rng.choice('京沪浙苏粤鲁豫川鄂湘闽皖')}ICP备{rng.randint(10**7, 10**8 - 1)}号-{rng.randint(1, 9)}",
        police=f"{rng.choice('京沪浙苏粤鲁豫川鄂湘闽皖')}公网安备 {rng.randint(10**13, 10**14 - 1)}号",
        scripts=scripts,
        style=style,
    )


def _news_blocks(
    article: Article, rng: random.Random, site: NewsSite, date: str, titles: list[str]
) -> list[tuple[str, list[tuple[str, str]]]]:
    """The page as (block class, [(line text, link url or "")]): one source for both renderings."""
    url = f"https://{site.domain}/{rng.choice(['news', 'local', 'china', 'society'])}/{date[:7].replace('-', '')}"

    def link(text: str) -> tuple[str, str]:
        return text, f"{url}/t{date.replace('-', '')}_{rng.randint(10**6, 10**7)}.html"

    def heads(k: int) -> list[tuple[str, str]]:
        return [link(t) for t in rng.sample(titles, k)]

    channel = rng.choice(site.channels)
    hour = f"{rng.randint(6, 23):02d}:{rng.randint(0, 59):02d}"
    return [
        ("topbar", [(f"欢迎访问{site.name}！ {' '.join(TOPBAR_LINKS)}", "")]),
        ("nav", [(c, f"https://{site.domain}/{k}/") for k, c in enumerate(site.channels)]),
        ("subnav", [(c, f"https://{site.domain}/sub{k}/") for k, c in enumerate(site.sub_channels)]),
        ("crumb", [(f"当前位置：首页 > {channel} > 正文", "")]),
        ("title", [(article.title, "")]),
        (
            "info",
            [
                (
                    f"{date} {hour}　来源：{rng.choice(SITES)}　作者：{_name(rng)}　【字号：大 中 小】【打印】",
                    "",
                )
            ],
        ),
        ("content", _with_caption([(p, "") for p in article.paragraphs], article)),
        ("editor", [(f"责任编辑：{_name(rng)}", "")]),
        ("share", [("分享到：微信 微博 QQ空间", "")]),
        ("related", [("相关新闻", ""), *heads(rng.randint(6, 12))]),
        ("hot", [(rng.choice(["热点排行", "24小时热门", "点击排行"]), ""), *heads(rng.randint(10, 15))]),
        ("pics", [("图片新闻", ""), *heads(rng.randint(4, 8))]),
        ("topics", [("专题推荐", ""), *heads(rng.randint(4, 8))]),
        *[
            ("more", [(f"{c}频道", ""), *heads(rng.randint(6, 10))])
            for c in rng.sample(site.channels, rng.randint(2, 4))
        ],
        (
            "footer",
            [
                (" | ".join(site.footer_links) + " |", ""),
                (f"Copyright © 2003-2023 {site.name} 版权所有 未经授权禁止复制或建立镜像", ""),
                (f"{site.icp}　{site.police}", ""),
                (f"违法和不良信息举报电话：0{rng.randint(10, 99)}-{rng.randint(10**7, 10**8 - 1)}", ""),
            ],
        ),
    ]


_LIST_BLOCKS = {"nav", "subnav", "related", "hot", "pics", "topics", "more"}

# Share of news articles with a photo caption after their first paragraph: a line that is
# not a sentence, as 29 of the devset's 100 real pages keep one (a caption, a subheading, a
# source link) among their body paragraphs; the HTML cleaner asks trafilatura for its
# text only on such pages (archive.clean.html.needs_second_view).
CAPTION_SHARE = 0.3


def _with_caption(paragraphs: list[tuple[str, str]], article: Article) -> list[tuple[str, str]]:
    """The article's paragraphs, a photo caption after the first for CAPTION_SHARE of the
    articles (chosen by the article, so every copy of a planted duplicate has it too)."""
    rng = random.Random(article.title)
    if rng.random() >= CAPTION_SHARE:
        return paragraphs
    caption = f"图为{article.title[:12]}{rng.choice(['现场', '资料图', '（记者 摄）'])}"
    return [*paragraphs[:1], (caption, ""), *paragraphs[1:]]


def news_html_page(article: Article, rng: random.Random, site: NewsSite, date: str, titles: list[str]) -> str:
    esc = html.escape
    parts = []
    for cls, lines in _news_blocks(article, rng, site, date, titles):
        if cls in _LIST_BLOCKS:
            head = (
                ""
                if cls in ("nav", "subnav")
                else f"<div class='hd'><h3>{esc(lines[0][0])}</h3><a class='more'>更多</a></div>"
            )
            items = lines if cls in ("nav", "subnav") else lines[1:]
            lis = "".join(
                f"<li class='item item-{k}' data-id='{k}'>"
                + (f"<img src='{esc(u)}.jpg' alt='{esc(t)}'>" if cls == "pics" else "")
                + f"<a href='{esc(u)}' target='_blank' title='{esc(t)}'>{esc(t)}</a>"
                + ("" if cls in ("nav", "subnav") else f"<span class='time'>{date[5:]}</span>")
                + "</li>"
                for k, (t, u) in enumerate(items)
            )
            parts.append(f"<div class='{cls} box'>{head}<ul class='list'>{lis}</ul></div>")
        elif cls == "title":
            parts.append(f"<h1 class='article-title'>{esc(lines[0][0])}</h1>")
        elif cls == "content":
            paras = "".join(f"<p style='text-indent:2em'>{esc(t)}</p>" for t, _ in lines)
            parts.append(f"<div class='article-content' id='article_content'>{paras}</div>")
        elif cls == "footer":
            links = "".join(
                f"<a href='https://{site.domain}/about/{k}.html'>{esc(t)}</a> | "
                for k, t in enumerate(site.footer_links)
            )
            rest = "".join(f"<p>{esc(t)}</p>" for t, _ in lines[1:])
            parts.append(f"<div class='footer'><div class='links'>{links}</div>{rest}</div>")
        elif cls == "topbar":
            links = "".join(
                f"<a href='https://{site.domain}/u/{k}'>{w}</a> " for k, w in enumerate(TOPBAR_LINKS)
            )
            parts.append(f"<div class='topbar'><span>欢迎访问{esc(site.name)}！</span> {links}</div>")
        else:
            parts.append("".join(f"<div class='{cls}'><span>{esc(t)}</span></div>" for t, _ in lines))
    scripts = "".join(f"<script type='text/javascript'>{s}</script>" for s in site.scripts)
    return (
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>"
        "<meta http-equiv='X-UA-Compatible' content='IE=edge'>"
        f"<title>{esc(article.title)}_{esc(site.name)}</title>"
        f"<meta name='keywords' content='{esc(article.title)},{esc(site.name)}'>"
        f"<meta name='description' content='{esc(article.paragraphs[0][:80])}'>"
        f"<meta name='publishdate' content='{date}'>"
        f"<link rel='stylesheet' href='https://{site.domain}/css/global.css'>"
        f"<style>{site.style}</style>{scripts}</head><body><div class='wrapper'>"
        + "".join(parts)
        + "</div></body></html>"
    )


def news_text_page(article: Article, rng: random.Random, site: NewsSite, date: str, titles: list[str]) -> str:
    """The innerText dump of ``news_html_page``: one line per block element, no blank lines."""
    lines = []
    for cls, block in _news_blocks(article, rng, site, date, titles):
        for i, (text, _url) in enumerate(block):
            dated = cls in _LIST_BLOCKS - {"nav", "subnav"} and i > 0
            lines.append(f"{text}\t{date[5:]}" if dated else text)
    return "\n".join(lines) + "\n"


def edit_article(article: Article, rng: random.Random, rate: float) -> Article:
    """Replace about ``rate`` of the characters (a near-duplicate)."""
    paras = []
    for p in article.paragraphs:
        chars = list(p)
        for i in range(len(chars)):
            if rng.random() < rate:
                chars[i] = rng.choice(p)  # a character of the same text
        paras.append("".join(chars))
    return Article(article.title, paras)


@dataclass
class PlannedPage:
    name: str
    content: str
    article_no: int
    kind: str  # "text" | "html"
    duplicate_of_article: int | None  # set for planted duplicates


def article_number(articles: list[Article], a_no: int) -> Article:
    """Article ``a_no``: the corpus's own, then (past its size) distinct recombinations.

    Past the corpus, article ``a_no`` keeps the title of article
    ``a_no % len(articles)`` over sentences drawn at random (seeded by ``a_no``)
    from the whole corpus, about as long as that article, three to five to a
    paragraph.  The corpus holds ~36k sentences, so two such articles share a
    sentence now and then but never more than a sliver of their text: a million
    pages are a million texts, none a near-duplicate of another, and an LSH
    query's candidates do not grow with the corpus.  (Earlier recombinations
    repeated every ``len(articles)`` pages; then shared a third, then a whole
    paragraph, with hundreds or thousands of others.)
    """
    n = len(articles)
    if a_no < n:
        return articles[a_no]
    base = articles[a_no % n]
    pool = _sentence_pool()
    rng = random.Random(a_no)
    target = sum(len(p) for p in base.paragraphs)
    paragraphs: list[str] = []
    length = 0
    while length < target:
        paragraph = "".join(pool[rng.randrange(len(pool))] for _ in range(rng.randint(3, 5)))
        paragraphs.append(paragraph)
        length += len(paragraph)
    return Article(base.title, paragraphs)


_SENTENCE = re.compile(r"[^。！？]+[。！？]+[”」]?")


@lru_cache(maxsize=1)
def _sentence_pool() -> tuple[str, ...]:
    """Every sentence of the corpus (~36k), headlines left out."""
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    return tuple(m.group(0) for ln in lines if len(ln) >= 40 for m in _SENTENCE.finditer(ln.strip()))


def generate(
    n: int, seed: int = 0, html_share: float = 0.0, dup_share: float = 0.15, style: str = "light"
) -> Iterator[PlannedPage]:
    """Yield ``n`` pages; ``dup_share`` of them repeat an earlier article (exact or near).

    ``style``: "light" (small pages, the tests' default) or "news" (the size and
    furniture of real news pages, see ``news_site``).
    """
    if style not in ("light", "news"):
        raise ValueError(f"style must be 'light' or 'news', not {style!r}")
    rng = random.Random(seed)
    articles = load_articles()
    titles = [a.title for a in articles]
    sites: dict[int, NewsSite] = {}
    used: list[int] = []
    for i in range(n):
        date = f"20{rng.randint(10, 23):02d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        site_no = rng.randint(1, 40)
        if used and rng.random() < dup_share:
            a_no = rng.choice(used)
            art = article_number(articles, a_no)
            if rng.random() < 0.5:
                art = edit_article(art, rng, rate=rng.uniform(0.01, 0.04))
            dup = a_no
        else:
            a_no = i
            art = article_number(articles, a_no)
            used.append(a_no)
            dup = None
        kind = "html" if rng.random() < html_share else "text"
        if style == "news":
            # Its own random stream: the light pages stay byte-for-byte what they were.
            page_rng = random.Random(seed * 1_000_003 + i)
            site = sites.setdefault(site_no, news_site(site_no))
            build = news_html_page if kind == "html" else news_text_page
            content = build(art, page_rng, site, date, titles)
        else:
            content = (
                html_page(art, rng, site_no, date) if kind == "html" else text_page(art, rng, site_no, date)
            )
        ext = "html" if kind == "html" else "txt"
        yield PlannedPage(f"p{i:07d}.{ext}", content, a_no, kind, dup)


def write_pages(
    folder: Path, n: int, seed: int = 0, html_share: float = 0.0, per_dir: int = 1000, style: str = "light"
) -> int:
    """Write ``n`` pages under ``folder`` (sub-folders of ``per_dir`` files); return bytes written."""
    total = 0
    for i, page in enumerate(generate(n, seed=seed, html_share=html_share, style=style)):
        sub = folder / f"d{i // per_dir:05d}"
        if i % per_dir == 0:
            sub.mkdir(parents=True, exist_ok=True)
        data = page.content.encode("utf-8")
        (sub / page.name).write_bytes(data)
        total += len(data)
    return total


def page_shape(markup: str) -> tuple[int, int, int, int]:
    """(characters, links, elements, script and style characters) of one HTML page."""
    import lxml.html

    root = lxml.html.fromstring(markup.encode("utf-8"))
    scripts = sum(len(e.text or "") for e in root.iter("script", "style"))
    return len(markup), sum(1 for _ in root.iter("a")), sum(1 for _ in root.iter()), scripts


def calibrate(n: int = 300) -> None:
    """Print the shape of the devset's real pages beside the synthetic ones (medians)."""
    import statistics
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from archive.clean.decode import decode
    from archive.models import RawPage

    devset = CORPUS.parents[1] / "devset" / "pages"

    def medians(pages: list[str], dumps: list[str]) -> str:
        shapes = [page_shape(p) for p in pages]
        cols = [statistics.median(s[i] for s in shapes) for i in range(4)]
        lines = statistics.median(len(d.splitlines()) for d in dumps)
        dump_chars = statistics.median(len(d) for d in dumps)
        return (
            f"{len(pages):5d} {cols[0]:10.0f} {cols[1]:7.0f} {cols[2]:9.0f} {cols[3]:15.0f} "
            f"{lines:11.0f} {dump_chars:11.0f}"
        )

    real_html = [
        decode(RawPage(path=p.name, data=p.read_bytes(), kind="html")).html or ""
        for p in sorted(devset.glob("*.html"))
    ]
    real_txt = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(devset.glob("*.txt"))]
    print("median of              pages       chars   links  elements  script+style  dump lines  dump chars")
    print("devset (real)         ", medians(real_html, real_txt))
    for style in ("light", "news"):
        html_pages = [p.content for p in generate(n, seed=1, html_share=1.0, style=style)]
        text_pages = [p.content for p in generate(n, seed=1, html_share=0.0, style=style)]
        print(f"synthetic, {style:5s}      ", medians(html_pages, text_pages))


if __name__ == "__main__":
    calibrate()
