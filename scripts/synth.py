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
from collections.abc import Iterator
from dataclasses import dataclass
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

    Past the corpus, article ``a_no`` is the first third of article ``a``, the
    middle third of ``b`` and the last third of ``c``, with ``(a, b, c)``
    different for every ``a_no`` below ``len(articles) ** 2`` (over a million
    with this corpus).  Two recombinations share at most one third, a shingle
    Jaccard near 0.2: hard negatives for dedup, never planted duplicates.  (A
    recombination that depended on ``a_no % len(articles)`` alone repeated
    every ``len(articles)`` pages: a million pages held ~1,100 distinct texts.)
    """
    n = len(articles)
    if a_no < n:
        return articles[a_no]
    a, k = a_no % n, a_no // n
    parts = [articles[a], articles[(a + k) % n], articles[(a + 2 * k) % n]]

    def third(art: Article, i: int) -> list[str]:
        m = len(art.paragraphs)
        return art.paragraphs[i * m // 3 : (i + 1) * m // 3] or [art.paragraphs[min(i, m - 1)]]

    return Article(parts[0].title, [p for i, art in enumerate(parts) for p in third(art, i)])


def generate(
    n: int, seed: int = 0, html_share: float = 0.0, dup_share: float = 0.15
) -> Iterator[PlannedPage]:
    """Yield ``n`` pages; ``dup_share`` of them repeat an earlier article (exact or near)."""
    rng = random.Random(seed)
    articles = load_articles()
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
        content = html_page(art, rng, site_no, date) if kind == "html" else text_page(art, rng, site_no, date)
        ext = "html" if kind == "html" else "txt"
        yield PlannedPage(f"p{i:07d}.{ext}", content, a_no, kind, dup)


def write_pages(folder: Path, n: int, seed: int = 0, html_share: float = 0.0, per_dir: int = 1000) -> int:
    """Write ``n`` pages under ``folder`` (sub-folders of ``per_dir`` files); return bytes written."""
    total = 0
    for i, page in enumerate(generate(n, seed=seed, html_share=html_share)):
        sub = folder / f"d{i // per_dir:05d}"
        if i % per_dir == 0:
            sub.mkdir(parents=True, exist_ok=True)
        data = page.content.encode("utf-8")
        (sub / page.name).write_bytes(data)
        total += len(data)
    return total
