"""Bytes to text: pick the encoding, normalise line endings and odd spaces.

Order of evidence: a BOM; valid UTF-8 (it almost never happens by accident for
Chinese text); a declared charset (HTTP/WARC header, ``<meta>``), widened to its
superset (gb2312 and gbk pages are routinely GB18030 in fact); then detection by
charset-normalizer.  Undecodable bytes are a reject, never stored as mojibake.
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
    "hz-gb-2312": "gb18030",
    "big5": "big5hkscs",
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "ascii": "utf-8",
    "us-ascii": "utf-8",
}
# Share of control bytes above which a file is binary, not text.
BINARY_CONTROL_SHARE = 0.10
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1f]")
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


def is_binary(data: bytes) -> bool:
    sample = data[:8192]
    if not sample:
        return False
    if b"\x00" in sample and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    return len(_CONTROL.findall(sample)) / len(sample) > BINARY_CONTROL_SHARE


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
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
                return data.decode(enc), enc
            except UnicodeDecodeError as exc:
                raise RejectError(f"undecodable: BOM says {enc} but {exc.reason}") from exc
    if is_binary(data):
        raise RejectError("binary content, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = []
    declared_norm = normalise_charset(declared)
    if declared_norm and declared_norm != "utf-8":
        candidates.append(declared_norm)
    best = from_bytes(data[:200_000]).best()
    if best is not None:
        detected = normalise_charset(best.encoding) or best.encoding
        candidates.append(detected)
    # Chinese crawls: if nothing else works, GB18030 is the likeliest family.
    candidates.append("gb18030")
    for enc in dict.fromkeys(candidates):
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            continue
    raise RejectError("undecodable: not valid UTF-8, GBK/GB18030 or any detected encoding")


def normalise_text(text: str) -> str:
    """Unify line endings and blank-looking characters; punctuation is left as written."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ZERO_WIDTH.sub("", text)
    text = _ODD_SPACES.sub(" ", text)
    return text


def decode(page: RawPage) -> DecodedPage:
    """Stage: ``RawPage`` → ``DecodedPage``. Raises ``RejectError``."""
    text, encoding = decode_bytes(page.data, page.declared_charset)
    text = normalise_text(text)
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
    )
