"""Random bytes through every reader, decode and clean: only RawPage/Reject, never a crash.

Hypothesis writes each example to a real file with each reader's suffix (and none, for
sniffing), reads it with ``read_file`` and runs every page through ``process_item``,
which must return a ``ProcessedDocument`` or a ``Reject``; ``decode`` and ``clean``
alone may raise only ``RejectError``.
"""

import contextlib
import gzip
import io
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.clean import clean
from archive.clean.decode import decode
from archive.config import IngestConfig
from archive.errors import RejectError
from archive.models import ProcessedDocument, RawPage, Reject
from archive.pipeline import process_item
from archive.readers import read_file

SUFFIXES = ("page.html", "page.txt", "x.jsonl", "x.jsonl.gz", "x.warc", "x.warc.gz", "noext")
# FUZZ_EXAMPLES=2000 for a longer local hunt; CI keeps it small.
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
CONFIG = IngestConfig()

# Bytes with a Chinese-web flavour: markup, CJK in several encodings, JSON and WARC shards.
_PIECES = st.sampled_from(
    [
        b"<html>",
        b"<head><meta charset='gb2312'>",
        b"<title>",
        b"</title>",
        b"<body>",
        b"<p>",
        b"</p>",
        b"<script>",
        b"</div>",
        b"<!--",
        b"-->",
        b"{",
        b"}",
        b'"html":',
        b'"text":',
        b'"url":',
        b"\n",
        b"WARC/1.0\r\n",
        b"Content-Length: 10\r\n",
        b"\r\n\r\n",
        b"\x1f\x8b\x08",
        "新闻标题".encode("gbk"),
        "來源：中央社".encode("big5"),
        "记者 张三".encode(),
        b"\x00",
        b"\xff\xfe",
    ]
)
fuzz_bytes = st.one_of(
    st.binary(max_size=3000),
    st.lists(st.one_of(_PIECES, st.binary(max_size=40)), max_size=80).map(b"".join),
)


def _check(items):
    for item in items:
        assert isinstance(item, (RawPage, Reject))
        if isinstance(item, Reject):
            assert item.path and item.reason and "\n" not in item.reason
            continue
        result = process_item(item, CONFIG)
        assert isinstance(result, (ProcessedDocument, Reject))
        if isinstance(result, Reject):
            assert not result.reason.startswith("internal error"), result.reason
        with contextlib.suppress(RejectError):
            clean(decode(item))


@FUZZ
@given(data=fuzz_bytes, name=st.sampled_from(SUFFIXES))
def test_random_bytes_through_every_reader(data, name):
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / name
        f.write_bytes(gzip.compress(data) if name.endswith(".gz") and data[:1] != b"\x1f" else data)
        _check(list(read_file(f, CONFIG)))


@FUZZ
@given(
    bodies=st.lists(fuzz_bytes, min_size=1, max_size=3),
    content_type=st.sampled_from(
        ["text/html", "text/html; charset=gbk", "text/html; charset=big5", "text/html; charset=nonsense"]
    ),
)
def test_random_bodies_inside_a_valid_warc(bodies, content_type):
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "x.warc.gz"
        with open(f, "wb") as out:
            writer = WARCWriter(out, gzip=True)
            for i, body in enumerate(bodies):
                headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
                writer.write_record(
                    writer.create_warc_record(
                        f"http://f.example/{i}", "response", payload=io.BytesIO(body), http_headers=headers
                    )
                )
        _check(list(read_file(f, CONFIG)))


@FUZZ
@given(
    lines=st.lists(
        st.one_of(fuzz_bytes, st.just(b'{"html": "<p>\\u65b0\\u95fb</p>", "url": "http://a/"}')), max_size=5
    )
)
def test_random_lines_inside_jsonl(lines):
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "x.jsonl"
        f.write_bytes(b"\n".join(line.replace(b"\n", b" ") for line in lines))
        _check(list(read_file(f, CONFIG)))
