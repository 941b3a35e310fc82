"""Encoding detection on bytes written here: BOMs, declarations, mis-declarations, mojibake."""

import codecs

import pytest

from archive.clean.decode import decode, decode_bytes, meta_charset, normalise_charset
from archive.errors import RejectError
from archive.models import RawPage

SIMPLIFIED = "市政府今天召开新闻发布会，通报今年春运工作安排，要求各部门加强协调，确保旅客安全出行。"
# 镕 and 喆 exist in GBK but not in GB2312: a page "in gb2312" that uses them is GBK.
GBK_ONLY = "朱镕基和张喆出席会议。" + SIMPLIFIED
TRADITIONAL = "行政院今天召開會議，要求各部會加強春節期間的交通疏運工作，確保民眾返鄉旅途平安順利。"


def html(text: str, charset: str) -> str:
    return f"<html><head><meta http-equiv='Content-Type' content='text/html; charset={charset}'></head><body><p>{text}</p></body></html>"


@pytest.mark.parametrize(
    "bom, enc",
    [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")],
)
def test_bom_wins(bom, enc):
    text, used = decode_bytes(bom + SIMPLIFIED.encode(enc), declared="gbk")
    assert text.lstrip("\ufeff") == SIMPLIFIED and used in ("utf-8-sig", "utf-16")


def test_valid_utf8_wins_over_a_stale_gb2312_meta():
    page = RawPage("a.html", html(SIMPLIFIED, "gb2312").encode("utf-8"), kind="html")
    decoded = decode(page)
    assert decoded.encoding == "utf-8" and SIMPLIFIED in decoded.html


@pytest.mark.parametrize("declared", ["gb2312", "GB2312", "gbk", "x-gbk", "gb18030"])
def test_gbk_bytes_declared_in_meta_as_gb_family(declared):
    page = RawPage("a.html", html(GBK_ONLY, declared).encode("gbk"), kind="html")
    decoded = decode(page)
    assert decoded.encoding == "gb18030"
    assert GBK_ONLY in decoded.html and GBK_ONLY in decoded.text


def test_gbk_bytes_declared_utf8_decode_as_gbk():
    page = RawPage("a.html", html(SIMPLIFIED, "utf-8").encode("gbk"), kind="html", declared_charset="utf-8")
    assert SIMPLIFIED in decode(page).html


def test_gb18030_four_byte_characters():
    text = SIMPLIFIED + "㐀䶵"  # CJK Extension A: four-byte sequences in GB18030
    assert decode_bytes(text.encode("gb18030"), declared="gb2312")[0] == text


def test_big5_undeclared_is_detected_and_kept_traditional():
    text, used = decode_bytes(TRADITIONAL.encode("big5"))
    assert used == "big5hkscs" and text == TRADITIONAL


def test_big5_mis_declared_as_gbk_is_not_stored_as_mojibake():
    # Read as GBK, Big5 bytes turn into kana/Cyrillic/private-use soup: that reading is refused.
    text, used = decode_bytes(TRADITIONAL.encode("big5"), declared="gbk")
    assert text == TRADITIONAL and used == "big5hkscs"


def test_header_charset_beats_meta():
    page = RawPage("a.html", html(TRADITIONAL, "gb2312").encode("big5"), kind="html", declared_charset="big5")
    assert TRADITIONAL in decode(page).html


def test_meta_charset_forms():
    assert meta_charset(b"<meta charset='GBK'>") == "GBK"
    assert meta_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=big5" />') == "big5"
    assert meta_charset(b"<p>charset=utf-8</p>") is None
    assert meta_charset(b'<?xml version="1.0" encoding="GB2312"?><html>') == "GB2312"
    assert normalise_charset("gb2312") == "gb18030" and normalise_charset("nonsense-cs") is None


@pytest.mark.parametrize(
    "data, why",
    [
        (b"", "empty"),
        (b"   \n\t ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(300), "binary"),
        (("中文新闻".encode("gbk") + b"\x81\x20") * 50, "undecodable"),  # lead bytes with no trail
        ((b"\xff\xfe\xfd" + "新闻".encode("gbk")) * 50, "mojibake"),  # a UTF-16 "BOM" by accident
        (SIMPLIFIED.encode("utf-8").decode("latin-1").encode("utf-8"), "mojibake"),  # double-encoded
    ],
)
def test_undecodable_is_a_reject_never_mojibake(data, why):
    with pytest.raises(RejectError) as err:
        decode_bytes(data)
    assert why in str(err.value)


def test_oversized_page_is_rejected_before_decoding():
    page = RawPage("big.txt", b"a" * (9 * 1024 * 1024))
    with pytest.raises(RejectError, match="too large"):
        decode(page)


def test_text_pages_get_no_html_and_line_endings_are_unified():
    decoded = decode(RawPage("a.txt", "第一行\r\n第二行\r第三行".encode("gbk")))
    assert decoded.html is None and decoded.text == "第一行\n第二行\n第三行"
