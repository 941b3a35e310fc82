"""Quality signals on crafted texts, the seeds, and `archive ingest --min-quality`."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import cli
from archive.models import RawPage
from archive.pipeline import process
from archive.signals.quality import dup_line_ratio, dup_ngram_ratio, measure

REPO = Path(__file__).resolve().parents[2]

ARTICLE = (
    "市图书馆改造工程于今年三月正式完工，经过一年多的闭馆施工，这座老馆重新向读者开放。\n\n"
    "馆长介绍，这次改造的重点是提升读者的阅读体验，一楼新设了少儿阅读区和亲子绘本馆。\n\n"
    "为了方便上班族，改造后的图书馆延长了开放时间，工作日开放到晚上九点，周末全天开放。\n\n"
    "开馆第一周，到馆读者就超过了五万人次，新办借书证三千多张。"
)
ENGLISH_JUNK = "Cheap flights hotels car rental best price guaranteed, book now and save more.\n" * 3


def test_clean_article_scores_high():
    q = measure(ARTICLE)
    assert q.chars == len("".join(ARTICLE.split()))
    assert q.cjk_ratio > 0.95
    assert q.terminal_punct_ratio == 1.0
    assert q.dup_line_ratio == 0.0
    assert q.dup_ngram_ratio == 0.0
    # Only the length factor is below 1 for this 151-character text (full from 200).
    assert q.quality == pytest.approx((q.chars / 200) ** 0.5, abs=1e-4)
    doubled = measure(ARTICLE + "\n\n" + ARTICLE)
    assert doubled.dup_line_ratio == 0.5 and doubled.quality < 0.3


def test_repeated_lines_give_high_dup_ratios_and_low_quality():
    line = "本站提供最新最全的电影资源，欢迎收藏本站，每天更新海量高清影片。"
    q = measure("\n".join([line] * 6 + ["免费在线观看，无需注册即可播放。"]))
    # Five of the six copies repeat an earlier line: 5 * 32 of 208 characters.
    assert q.dup_line_ratio == round(5 * 32 / 208, 4)
    assert q.dup_ngram_ratio > 0.7
    assert q.quality < 0.2
    assert q.quality < measure(ARTICLE).quality


def test_ascii_junk_has_low_cjk_ratio_and_zero_quality():
    q = measure("Cheap flights, hotels and car rental: best price guaranteed, book now and save.")
    assert q.cjk_ratio == 0.0
    assert q.quality == 0.0


def test_lines_without_sentence_endings_lower_the_terminal_ratio():
    menu = "首页\n新闻中心\n关于我们\n联系方式\n" + ARTICLE.split("\n\n")[0]
    q = measure(menu)
    assert q.terminal_punct_ratio == 0.2
    assert q.quality < measure(ARTICLE).quality


def test_short_body_is_penalised_by_length():
    short = measure("图书馆重新开放。")
    assert short.chars == 8
    assert short.quality < 0.25


def test_duplicate_measures_count_characters():
    assert dup_line_ratio(["甲乙丙", "甲乙丙", "丁戊"]) == 3 / 8
    assert dup_ngram_ratio("一二三四五六七八九十" * 2) == 0.5
    assert dup_ngram_ratio("一二三四五六七八九十甲乙丙丁戊己庚辛壬癸") == 0.0


def test_seeds_score_as_articles():
    for path in sorted((REPO / "raw").glob("*.txt")):
        q = process(RawPage(path=path.name, data=path.read_bytes())).quality
        assert q.cjk_ratio > 0.9, path.name
        assert q.quality > 0.7, path.name


def test_ingest_min_quality_rejects_junk_with_reason(chdir_tmp):
    raw = chdir_tmp / "in"
    raw.mkdir()
    (raw / "junk.txt").write_text(ENGLISH_JUNK, encoding="utf-8")
    seed = next((REPO / "raw").glob("000_*.txt"))
    shutil.copy(seed, raw / seed.name)
    result = CliRunner().invoke(
        cli, ["ingest", str(raw), "--db", "a.db", "--cleaned", "c", "--min-quality", "0.5", "-j", "1"]
    )
    assert result.exit_code == 1, result.output
    db = sqlite3.connect("a.db")
    rejects = db.execute("SELECT path, reason FROM rejects").fetchall()
    assert len(rejects) == 1
    path, reason = rejects[0]
    assert path.endswith("junk.txt")
    assert "below --min-quality 0.5" in reason
    kept = db.execute("SELECT path, quality, cjk_ratio, chars FROM documents").fetchall()
    assert len(kept) == 1 and kept[0][0].endswith(seed.name)
    assert kept[0][1] > 0.5 and kept[0][2] > 0.9 and kept[0][3] > 2000
    # Without the option the same junk is stored, with its low score on the record.
    result = CliRunner().invoke(cli, ["ingest", str(raw), "--db", "b.db", "--cleaned", "d", "-j", "1"])
    assert result.exit_code == 0, result.output
    scores = dict(sqlite3.connect("b.db").execute("SELECT path, quality FROM documents").fetchall())
    assert min(scores.values()) == 0.0


def _random_texts(seed: int) -> list[str]:
    """Texts that stress the exact n-gram packing: tiny and huge alphabets, repeats, surrogates."""
    import random

    rng = random.Random(seed)
    texts = ["", "a" * 9, "a" * 10, "a" * 25, "ab" * 30, ARTICLE + ARTICLE[:40]]
    for _ in range(150):
        size = rng.choice([2, 30, 300, 5000, 0x10FFFF])
        alphabet = [chr(rng.randint(1, size)) for _ in range(min(size, 400))]
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 600)))
        cut = rng.randint(0, len(text))
        texts.append(text + text[cut : cut + rng.randint(0, 60)] + text[:cut])
    texts.append("长文" * 20 + "\ud800" * 12)  # a lone surrogate in the text must not break it
    return texts


def test_vectorised_dup_ngram_ratio_equals_the_character_loop():
    from archive.signals.quality import dup_ngram_ratio_reference

    for text in _random_texts(seed=3):
        for n in (1, 3, 10):
            assert dup_ngram_ratio(text, n) == dup_ngram_ratio_reference(text, n), (text[:40], n)


def test_measure_counts_letters_and_chinese_like_the_per_character_definition():
    from archive.signals.text_stats import cjk_count

    for text in _random_texts(seed=4):
        compact = "".join(text.split())
        alnum = "".join(ch for ch in compact if ch.isalnum())
        want = round(cjk_count(alnum) / len(alnum), 4) if alnum else 0.0
        assert measure(text).cjk_ratio == want
