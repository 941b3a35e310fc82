"""JSONL exports (``.jsonl``, ``.jsonl.gz``): one page per line, streamed.

Each line is a JSON object with the page in the first of ``IngestConfig.jsonl_text_fields``
that it has (default ``html``, ``text``, ``content``; ``html`` → an HTML page, the others
→ a text dump) and optional ``url``, ``title``, ``date`` (kept in ``RawPage.meta`` as
fallbacks for the cleaner's metadata).  Each record's path is ``file#LINENO``; a bad
line is one reject (``file#LINENO`` + reason) and the rest of the file goes on.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ..config import IngestConfig
from ..models import RawPage, Reject
from . import html

SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
# A single record larger than this is rejected without being held in memory whole.
MAX_LINE_BYTES = 16 * 1024 * 1024
_CHUNK = 1024 * 1024
META_FIELDS = ("title", "date")


def sniff(head: bytes) -> bool:
    return False  # only by name: a text dump may start with "{" too


def _lines(fh: IO[bytes]) -> Iterator[bytes | None]:
    """Lines of ``fh``; ``None`` for a line longer than ``MAX_LINE_BYTES`` (drained, not kept)."""
    while True:
        line = fh.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            while True:
                rest = fh.readline(_CHUNK)
                if not rest or rest.endswith(b"\n"):
                    break
            yield None
            continue
        yield line


def page_from_record(record: Any, path: str, text_fields: tuple[str, ...]) -> RawPage | Reject:
    if not isinstance(record, dict):
        return Reject(path, f"line is JSON {type(record).__name__}, not an object")
    field = next((f for f in text_fields if isinstance(record.get(f), str) and record[f].strip()), None)
    if field is None:
        return Reject(
            path, f"no page text: none of the fields {', '.join(text_fields)} is a non-empty string"
        )
    url = record.get("url") if isinstance(record.get("url"), str) else None
    meta = {k: record[k] for k in META_FIELDS if isinstance(record.get(k), str) and record[k].strip()}
    data = record[field].encode("utf-8", "surrogatepass")
    # A "text"/"content" field that holds markup (exports often do) is cleaned as HTML.
    is_html = field == "html" or html.sniff(data[:4096])
    return RawPage(
        path=path,
        data=data,
        kind="html" if is_html else "text",
        url=url,
        declared_charset="utf-8",
        site_key=html.host_of(url) or str(Path(path.partition("#")[0]).parent),
        meta=meta,
    )


def read(file: Path, path: str, config: IngestConfig | None = None) -> Iterator[RawPage | Reject]:
    config = config or IngestConfig()
    opener = gzip.open if file.name.lower().endswith(".gz") else open
    lineno = 0
    try:
        with opener(file, "rb") as fh:
            for lineno, line in enumerate(_lines(fh), start=1):  # noqa: B007 (lineno used after the loop)
                where = f"{path}#{lineno}"
                if line is None:
                    yield Reject(where, f"line longer than {MAX_LINE_BYTES} bytes")
                    continue
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                    yield Reject(where, f"not JSON: {exc}")
                    continue
                yield page_from_record(record, where, config.jsonl_text_fields)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        yield Reject(path, f"truncated or corrupt gzip after line {lineno}: {exc}")
