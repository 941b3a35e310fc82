"""Bytes to text: pick the encoding, normalise line endings and odd spaces.

Order of evidence:

1. a BOM;
2. valid UTF-8 (it almost never happens by accident for Chinese text, so it wins
   over a declaration that says otherwise: pages re-encoded by a crawler keep a
   stale ``<meta charset=gb2312>``);
3. the charset the container declares (HTTP ``Content-Type`` in a WARC record),
   then the page's own ``<meta charset>``/``http-equiv`` (HTML only), each
   widened to its superset (gb2312 and gbk pages are routinely GB18030 in fact,
   big5 pages use HKSCS additions);
4. detection: the Chinese families (GB18030, Big5-HKSCS) and charset-normalizer's
   best guess.

Every non-UTF-8 reading must also *look like text*: a Big5 page read as GBK
comes out as kana, Cyrillic and private-use characters, and a GBK page read as
Big5 fails strict decoding.  A reading that looks like mojibake is discarded; when
no reading is clean, the page is a reject ("undecodable"), never stored garbled.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from ..errors import RejectError
from ..models import DecodedPage, RawPage

# Declared charsets that pages use for a superset encoding.
CHARSET_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "hz-gb-2312": "gb18030",
    "big5": "big5hkscs",
    "big5-tw": "big5hkscs",
    "x-x-big5": "big5hkscs",
    "cp950": "big5hkscs",
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "ascii": "utf-8",
    "us-ascii": "utf-8",
}
# Chinese encodings tried, in this order, when nothing declared works.
CHINESE_FAMILIES = ("gb18030", "big5hkscs")
# Share of control bytes above which a file is binary, not text.
BINARY_CONTROL_SHARE = 0.10
# Share of implausible characters (among non-ASCII ones) above which a reading is mojibake.
MOJIBAKE_SHARE = 0.03
# A page larger than this is not one article (a dump of a whole site, a log, a
# 50 MB single line): rejected before decoding, so it cannot stall the cleaner.
MAX_PAGE_BYTES = 8 * 1024 * 1024
# Bytes of the head searched for <meta charset>.
META_SCAN_BYTES = 4096
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1f]")
_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""",
    re.IGNORECASE,
)
_XML_ENCODING = re.compile(rb"""\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
# Characters a Chinese page (almost) never holds but a wrong codec produces in bulk:
# U+FFFD, C1 controls, Greek/Cyrillic, box drawing, kana, Hangul, CJK compatibility,
# private use, and GB18030's four-byte rarities beyond the BMP.
_IMPLAUSIBLE = re.compile(
    "[\ufffd\u0080-\u009f\u0370-\u04ff\u2500-\u257f\u3040-\u30ff\u3100-\u312f"
    "\uac00-\ud7af\uf900-\ufaff\ue000-\uf8ff\U00010000-\U0010ffff]"
)
# In valid UTF-8, only these betray mojibake: C1 controls come from UTF-8 read as
# Latin-1 and written back ("ä¸\x8d"), U+FFFD from an earlier lossy decode.
_IMPLAUSIBLE_UTF8 = re.compile("[\ufffd\u0080-\u009f]")
# Spaces a page uses that a reader sees as blank: NBSP, full-width space, zero-width.
_ODD_SPACES = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000\ufeff]")
_ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060]")


def normalise_charset(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        return None
    return CHARSET_SUPERSETS.get(name, CHARSET_SUPERSETS.get(canonical, canonical))


def meta_charset(data: bytes) -> str | None:
    """The charset an HTML page declares: ``<meta charset>``/``http-equiv``, else ``<?xml encoding>``."""
    head = data[:META_SCAN_BYTES]
    match = _META_CHARSET.search(head) or _XML_ENCODING.match(head)
    return match.group(1).decode("ascii", "replace") if match else None


def is_binary(data: bytes) -> bool:
    sample = data[:8192]
    if not sample:
        return False
    if b"\x00" in sample and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    return len(_CONTROL.findall(sample)) / len(sample) > BINARY_CONTROL_SHARE


def looks_garbled(text: str, implausible: re.Pattern[str] = _IMPLAUSIBLE) -> bool:
    """A reading whose non-ASCII characters are too often ones no Chinese page uses."""
    sample = text[:100_000]
    # Counted by encoding (C speed) rather than by listing every match.
    non_ascii = len(sample) - len(sample.encode("ascii", "ignore"))
    if non_ascii == 0:
        return False
    return len(implausible.findall(sample)) / non_ascii > MOJIBAKE_SHARE


def _clean_reading(data: bytes, enc: str) -> str | None:
    """``data`` decoded strictly as ``enc``, unless that fails or reads as mojibake."""
    try:
        text = data.decode(enc)
    except (UnicodeDecodeError, LookupError):
        return None
    return None if looks_garbled(text) else text


def decode_bytes(data: bytes, declared: str | None = None, html: bool = False) -> tuple[str, str]:
    """Return (text, encoding name). Raises ``RejectError`` when it cannot decode."""
    if not data.strip():
        raise RejectError("empty file")
    for bom, enc in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as exc:
                raise RejectError(f"undecodable: BOM says {enc} but {exc.reason}") from exc
            if looks_garbled(text):
                raise RejectError(f"undecodable: BOM says {enc} but the text reads as mojibake")
            return text, enc
    if is_binary(data):
        raise RejectError("binary content, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if looks_garbled(text, _IMPLAUSIBLE_UTF8):
            raise RejectError(
                "mojibake: valid UTF-8 full of C1 controls/U+FFFD (text decoded wrongly before)"
            )
        return text, "utf-8"
    candidates: list[str] = []
    for name in (declared, meta_charset(data) if html else None):
        norm = normalise_charset(name)
        if norm and norm != "utf-8":
            candidates.append(norm)
    candidates.extend(CHINESE_FAMILIES)
    for enc in dict.fromkeys(candidates):
        text = _clean_reading(data, enc)
        if text is not None:
            return text, enc
    # Detection is slow (it scores many codecs): only when the likely ones failed.
    best = from_bytes(data[:200_000]).best()
    if best is not None:
        detected = normalise_charset(best.encoding) or best.encoding
        candidates.append(detected)
        text = _clean_reading(data, detected)
        if text is not None:
            return text, detected
    tried = ", ".join(dict.fromkeys(candidates))
    raise RejectError(f"undecodable: not valid UTF-8, and no clean reading as {tried}")


def normalise_text(text: str) -> str:
    """Unify line endings and blank-looking characters; punctuation is left as written."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ZERO_WIDTH.sub("", text)
    text = _ODD_SPACES.sub(" ", text)
    return text


def decode(page: RawPage) -> DecodedPage:
    """Stage: ``RawPage`` → ``DecodedPage``. Raises ``RejectError``.

    For HTML pages ``html`` and ``text`` both hold the decoded markup with line
    endings unified and nothing else changed: the HTML cleaner decides what is
    blank (normalising the whole markup, scripts and all, cost more than
    decoding it).
    """
    if len(page.data) > MAX_PAGE_BYTES:
        raise RejectError(f"page too large: {len(page.data)} bytes > {MAX_PAGE_BYTES} for one article")
    is_html = page.kind == "html"
    raw_text, encoding = decode_bytes(page.data, page.declared_charset, html=is_html)
    if is_html:
        text = raw_text.replace("\r\n", "\n").replace("\r", "\n")
    else:
        text = normalise_text(raw_text)
    if not text.strip():
        raise RejectError("empty after decoding")
    return DecodedPage(
        path=page.path,
        sha256=page.sha256,
        text=text,
        encoding=encoding,
        kind=page.kind,
        url=page.url,
        site_key=page.site_key,
        meta=dict(page.meta),
        html=text if is_html else None,
    )
