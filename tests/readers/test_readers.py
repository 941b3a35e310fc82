"""Each reader on real files the test writes: HTML, JSONL(.gz), WARC (warcio), bad input."""

import io
import json
from pathlib import Path

from click.testing import CliRunner
from readers_build import PARAS, article_html, write_jsonl_gz, write_warc
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import archive
from archive.cli import cli
from archive.readers import read_file, reader_for
from archive.store.writer import open_db


def _rows(db):
    conn = open_db(db).conn
    docs = conn.execute(
        "SELECT path, url, site_key, kind, encoding, title, published, source, authors, body FROM documents ORDER BY path"
    ).fetchall()
    rejects = conn.execute("SELECT path, reason FROM rejects ORDER BY path").fetchall()
    return docs, rejects


def test_html_file_gbk_declared_gb2312(chdir_tmp):
    raw = chdir_tmp / "raw"
    raw.mkdir()
    # "镕" and "喆" are GBK-only (not GB2312): the declaration understates the encoding.
    html = article_html(title="朱镕基与张喆出席春运工作会议", charset="gb2312")
    (raw / "page.htm").write_bytes(html.encode("gbk"))
    stats = archive.ingest([raw], db="a.db", cleaned_dir="cleaned")
    assert stats.kept == 1 and stats.rejected == 0
    docs, _ = _rows("a.db")
    path, url, site, kind, encoding, title, published, source, authors, body = docs[0]
    assert (path, kind, encoding) == ("raw/page.htm", "html", "gb18030")
    assert title == "朱镕基与张喆出席春运工作会议"
    assert published == "2012-01-12T10:30" and source == "本地日报" and "张明" in authors
    assert PARAS[0] in body and PARAS[2] in body
    for furniture in ("当前位置", "版权所有", "ICP", "首页 | 新闻"):
        assert furniture not in body


def test_big5_page_is_stored_as_written(chdir_tmp):
    paras = [
        "行政院今天召開會議，要求各部會加強春節期間的交通疏運工作，確保民眾返鄉旅途平安順利。",
        "交通部表示，高速公路將實施路肩開放與匝道儀控，並呼籲用路人避開尖峰時段，提早規劃行程。",
    ]
    html = (
        "<html><head><meta charset='big5'><title>行政院部署春節交通疏運 - 新聞中心</title></head><body>"
        "<div>首頁 > 新聞 > 政治</div><h1>行政院部署春節交通疏運</h1>"
        "<div>2012-01-16 13:11 記者 王小明／台北報導</div>"
        + "".join(f"<p>{p}</p>" for p in paras)
        + "<div>版權所有 新聞網</div></body></html>"
    )
    (chdir_tmp / "tw.html").write_bytes(html.encode("big5"))
    archive.ingest([chdir_tmp / "tw.html"], db="a.db", cleaned_dir="cleaned")
    docs, rejects = _rows("a.db")
    assert rejects == []
    assert docs[0][4] == "big5hkscs"
    assert paras[0] in docs[0][9]  # traditional characters kept, not converted


def test_html_sniffed_without_suffix(tmp_path):
    f = tmp_path / "saved_page"
    f.write_text(article_html(), encoding="utf-8")
    with open(f, "rb") as fh:
        module = reader_for(f, fh.read(4096))
    assert module.__name__ == "archive.readers.html"
    pages = list(read_file(f))
    assert pages[0].kind == "html"


def test_jsonl_gz_records_and_bad_line(chdir_tmp):
    rows = [
        {"html": article_html(), "url": "https://news.example.cn/a/1.html"},
        "{this is not json",
        {
            "text": "春运工作会议召开\n" + "\n".join(PARAS[1:]),
            "url": "https://news.example.cn/a/2.html",
            "title": "春运工作会议召开",
            "date": "2012-01-13",
        },
        {"url": "https://news.example.cn/a/3.html"},
        ["a", "list"],
    ]
    write_jsonl_gz(chdir_tmp / "crawl.jsonl.gz", rows)
    stats = archive.ingest([chdir_tmp / "crawl.jsonl.gz"], db="a.db", cleaned_dir="cleaned")
    docs, rejects = _rows("a.db")
    paths = [d[0] for d in docs]
    assert paths == ["crawl.jsonl.gz#1", "crawl.jsonl.gz#3"]
    assert {d[2] for d in docs} == {"news.example.cn"}
    assert [d[3] for d in docs] == ["html", "text"]
    text_doc = docs[1]
    assert text_doc[1] == "https://news.example.cn/a/2.html"
    assert text_doc[6] == "2012-01-13"  # the container date fills what the text lacks
    reasons = dict(rejects)
    assert reasons["crawl.jsonl.gz#2"].startswith("not JSON")
    assert "no page text" in reasons["crawl.jsonl.gz#4"]
    assert "not an object" in reasons["crawl.jsonl.gz#5"]
    assert stats.rejected == 3


def test_jsonl_configurable_fields(tmp_path):
    f = tmp_path / "x.jsonl"
    f.write_text(
        '{"body_html": "<html><body><p>x</p></body></html>", "url": "http://a.example/1"}\n', encoding="utf-8"
    )
    from archive.config import IngestConfig

    config = IngestConfig(jsonl_text_fields=("body_html",))
    pages = list(read_file(f, config))
    assert pages[0].kind == "html" and pages[0].site_key == "a.example"  # markup, whatever the field's name
    assert list(read_file(f))[0].reason.startswith("no page text")


def test_truncated_gzip_jsonl_keeps_complete_lines(chdir_tmp):
    rows = [
        {"html": article_html(title=f"第{i}条新闻标题测试内容"), "url": f"https://n.example.cn/{i}"}
        for i in range(30)
    ]
    write_jsonl_gz(chdir_tmp / "full.jsonl.gz", rows)
    data = (chdir_tmp / "full.jsonl.gz").read_bytes()
    (chdir_tmp / "cut.jsonl.gz").write_bytes(data[: len(data) * 2 // 3])
    items = list(read_file(chdir_tmp / "cut.jsonl.gz"))
    assert items[-1].path == "cut.jsonl.gz" and "truncated or corrupt gzip" in items[-1].reason
    pages = items[:-1]
    assert pages and all(p.path == f"cut.jsonl.gz#{i}" for i, p in enumerate(pages, start=1))


def test_warc_records_offsets_charset_and_date(chdir_tmp):
    gbk = article_html(charset="gbk").encode("gbk")
    records = [
        ("https://www.example.cn/news/1.html", gbk, "text/html; charset=gbk"),
        ("https://www.example.cn/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(200), "image/png"),
        (
            "https://www.example.cn/news/2.html",
            article_html(title="第二篇新闻的标题在这里").encode(),
            "text/html",
        ),
    ]
    write_warc(chdir_tmp / "crawl.warc.gz", records)
    # A 404 page in the same crawl: not an article, passed over like the image.
    with open(chdir_tmp / "crawl.warc.gz", "ab") as out:
        writer = WARCWriter(out, gzip=True)
        headers = StatusAndHeaders("404 Not Found", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        body = io.BytesIO(article_html(title="页面不存在请返回首页").encode())
        record = writer.create_warc_record(
            "https://www.example.cn/gone.html", "response", payload=body, http_headers=headers
        )
        writer.write_record(record)
    items = list(read_file(chdir_tmp / "crawl.warc.gz"))
    assert [i.url for i in items] == [
        "https://www.example.cn/news/1.html",
        "https://www.example.cn/news/2.html",
    ]
    assert items[0].declared_charset == "gbk" and items[0].site_key == "www.example.cn"
    assert items[0].path == "crawl.warc.gz#0" and items[1].path.startswith("crawl.warc.gz#")
    assert int(items[1].path.split("#")[1]) > 0 and items[0].meta["date"]
    # The offset really addresses the record: warcio reads it from there.
    from warcio.archiveiterator import ArchiveIterator

    with open(chdir_tmp / "crawl.warc.gz", "rb") as fh:
        fh.seek(int(items[1].path.split("#")[1]))
        record = next(iter(ArchiveIterator(fh)))
        assert record.rec_headers.get_header("WARC-Target-URI") == items[1].url
    stats = archive.ingest([chdir_tmp / "crawl.warc.gz"], db="a.db", cleaned_dir="cleaned")
    assert stats.kept + stats.duplicates == 2 and stats.rejected == 0
    docs, _ = _rows("a.db")
    assert docs[0][4] == "gb18030" and docs[0][5] == "市政府召开会议部署春运工作"


def test_warc_corrupt_record_is_one_reject_rest_go_on(chdir_tmp):
    records = [
        (
            f"https://w.example.cn/{i}.html",
            article_html(title=f"新闻标题第{i}篇内容").encode(),
            "text/html; charset=utf-8",
        )
        for i in range(3)
    ]
    write_warc(chdir_tmp / "plain.warc", records, gzip_records=False)
    data = (chdir_tmp / "plain.warc").read_bytes()
    second = data.index(b"WARC/1.", 10)
    (chdir_tmp / "bad.warc").write_bytes(data[:second] + b"NOT-A-WARC-HEADER\r\n" + data[second + 30 :])
    items = list(read_file(chdir_tmp / "bad.warc"))
    rejects = [i for i in items if not hasattr(i, "data")]
    pages = [i for i in items if hasattr(i, "data")]
    assert [p.url for p in pages] == ["https://w.example.cn/0.html", "https://w.example.cn/2.html"]
    assert len(rejects) == 1 and "corrupt WARC record" in rejects[0].reason
    assert rejects[0].path == f"bad.warc#{second}"


def test_warc_truncated_gzip(chdir_tmp):
    records = [
        (f"https://w.example.cn/{i}.html", article_html(title=f"新闻标题第{i}篇内容").encode(), "text/html")
        for i in range(3)
    ]
    write_warc(chdir_tmp / "c.warc.gz", records)
    data = (chdir_tmp / "c.warc.gz").read_bytes()
    (chdir_tmp / "cut.warc.gz").write_bytes(data[:-200])
    items = list(read_file(chdir_tmp / "cut.warc.gz"))
    pages = [i for i in items if hasattr(i, "data")]
    rejects = [i for i in items if not hasattr(i, "data")]
    assert len(pages) == 2 and len(rejects) == 1
    assert "truncated" in rejects[0].reason and rejects[0].path.startswith("cut.warc.gz#")


def test_bad_inputs_through_cli_one_line_each(chdir_tmp):
    raw = chdir_tmp / "raw"
    (raw / "images").mkdir(parents=True)
    for i in range(3):
        (raw / "images" / f"img{i}.jpg").write_bytes(
            b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 8
        )
    (raw / "zero.txt").write_bytes(b"")
    (raw / "script.html").write_text(
        "<html><head><script>var x=1;</script></head><body><script>document.write('x')</script></body></html>"
    )
    (raw / "huge.txt").write_bytes(b"x" * (50 * 1024 * 1024))  # one 50 MB line
    write_jsonl_gz(
        raw / "a.jsonl.gz", [{"html": article_html(), "url": "https://j.example.cn/1"}, "not json"]
    )
    data = (raw / "a.jsonl.gz").read_bytes()
    (raw / "trunc.jsonl.gz").write_bytes(data[:-10])
    (raw / "good.html").write_text(article_html(title="一篇完好的新闻页面标题"), encoding="utf-8")
    records = [
        (f"https://w.example.cn/{i}.html", article_html(title=f"新闻标题第{i}篇内容").encode(), "text/html")
        for i in range(3)
    ]
    write_warc(raw / "plain.warc", records, gzip_records=False)
    data = (raw / "plain.warc").read_bytes()
    second = data.index(b"WARC/1.", 10)
    (raw / "plain.warc").write_bytes(data[:second] + b"NOT-A-WARC-HEADER\r\n" + data[second + 30 :])
    write_warc(raw / "cut.warc.gz", records)
    data = (raw / "cut.warc.gz").read_bytes()
    (raw / "cut.warc.gz").write_bytes(data[:-200])
    result = CliRunner().invoke(cli, ["ingest", str(raw), "--db", "a.db", "--cleaned", "cleaned"])
    out = result.output
    assert "Traceback" not in out
    for name, why in [
        ("images/img0.jpg", "binary"),
        ("zero.txt", "empty"),
        ("script.html", "no article text"),
        ("huge.txt", "too large"),
        ("a.jsonl.gz#2", "not JSON"),
        ("trunc.jsonl.gz", "gzip"),
        (f"plain.warc#{second}", "corrupt WARC record"),
        ("cut.warc.gz#", "truncated WARC record"),
    ]:
        paths = [(line, line.split(": ")[0].removeprefix("rejected ")) for line in out.splitlines()]
        lines = [
            line
            for line, path in paths
            if path == f"raw/{name}" or (name.endswith("#") and path.startswith(f"raw/{name}"))
        ]
        assert len(lines) == 1, (name, out)
        assert why in lines[0], lines[0]
    docs, rejects = _rows("a.db")
    paths = {d[0] for d in docs}
    # plain.warc#0 holds the same bytes as cut.warc.gz#0 (stored once); the record after
    # the corrupt one is stored.
    assert {"raw/good.html", "raw/a.jsonl.gz#1", "raw/cut.warc.gz#0"} <= paths
    assert any(p.startswith("raw/plain.warc#") and p != "raw/plain.warc#0" for p in paths)
    # The truncated copy's second line is cut too: it may also be a "not JSON" reject.
    others = [path for path, _ in rejects if path.startswith("raw/trunc.jsonl.gz#")]
    assert len(rejects) == 3 + 7 + len(others)


def test_saved_html_page_names_its_site_by_canonical_url(tmp_path):
    folder = tmp_path / "saved"
    folder.mkdir()
    with_url = article_html().replace(
        "<title>", "<link rel='canonical' href='https://www.health.example.cn/news/1.html'><title>"
    )
    (folder / "a.html").write_text(with_url, encoding="utf-8")
    (folder / "b.html").write_text(article_html(), encoding="utf-8")
    a, b = (next(read_file(folder / n)) for n in ("a.html", "b.html"))
    assert a.url == "https://www.health.example.cn/news/1.html" and a.site_key == "www.health.example.cn"
    assert b.url is None and b.site_key.endswith("saved")


def test_oversized_single_page_file_is_refused_unread(tmp_path):
    f = tmp_path / "one_line.txt"
    with open(f, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: 50 MB without writing them
    (item,) = list(read_file(f))
    assert "too large" in item.reason and str(50 * 1024 * 1024) in item.reason


def test_jsonl_content_field_holding_markup_is_html(tmp_path):
    f = tmp_path / "x.jsonl"
    f.write_text(
        json.dumps({"content": article_html(), "url": "http://c.example.cn/1"}) + "\n", encoding="utf-8"
    )
    (page,) = list(read_file(f))
    assert page.kind == "html" and page.site_key == "c.example.cn"


def test_cli_jsonl_fields_option(chdir_tmp):
    rows = [{"page": article_html(), "link": "x", "url": "https://o.example.cn/1"}]
    write_jsonl_gz(chdir_tmp / "x.jsonl.gz", rows)
    default = CliRunner().invoke(cli, ["ingest", "x.jsonl.gz", "--db", "a.db", "--cleaned", "c"])
    assert default.exit_code == 1 and "no page text" in default.output
    named = CliRunner().invoke(
        cli, ["ingest", "x.jsonl.gz", "--db", "b.db", "--cleaned", "c2", "--jsonl-fields", "body, page"]
    )
    assert named.exit_code == 0, named.output
    docs, _ = _rows("b.db")
    assert docs[0][0] == "x.jsonl.gz#1" and docs[0][2] == "o.example.cn" and docs[0][3] == "html"


def test_stored_path_is_relative_under_the_working_directory_and_resolves_links(chdir_tmp, tmp_path_factory):
    from archive.readers import identity_path

    (chdir_tmp / "raw").mkdir()
    page = chdir_tmp / "raw" / "a.txt"
    page.write_text("正文。", encoding="utf-8")
    assert identity_path(page) == identity_path(Path("raw/a.txt")) == "raw/a.txt"
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "b.txt"
    elsewhere.write_text("正文。", encoding="utf-8")
    assert identity_path(elsewhere) == str(elsewhere.resolve())
    # a link is stored as what it points to: the same page under two names is one path
    (chdir_tmp / "raw" / "link.txt").symlink_to(elsewhere)
    assert identity_path(chdir_tmp / "raw" / "link.txt") == str(elsewhere.resolve())
    (chdir_tmp / "linked_dir").symlink_to(chdir_tmp / "raw")
    assert identity_path(chdir_tmp / "linked_dir" / "a.txt") == "raw/a.txt"
    # ".." after a link is the link target's parent, as the kernel resolves it
    (elsewhere.parent / "sub").mkdir()
    Path("to_sub").symlink_to(elsewhere.parent / "sub")
    assert identity_path(Path("to_sub/../b.txt")) == str(elsewhere.resolve())
