"""Builders for the container files the reader tests ingest (real files, written here)."""

import gzip
import io
import json

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

PARAS = [
    "会议指出，今年春运期间预计发送旅客数量将比去年明显增长，各部门要加强协调配合，确保旅客安全有序出行。",
    "会议要求，交通运输部门要做好应急预案，加强车站、码头和高速公路服务区的运行保障，及时发布出行信息。",
    "会议强调，公安部门要加强重点路段巡逻管控，严厉打击违法违规行为，为群众平安返乡创造良好环境。",
]


def article_html(title="市政府召开会议部署春运工作", charset="utf-8", paras=PARAS, extra=""):
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (
        f"<!DOCTYPE html><html><head><meta http-equiv='Content-Type' content='text/html; charset={charset}'>"
        f"<title>{title}_新闻中心_本地新闻网</title></head><body>"
        "<div class='nav'>首页 | 新闻 | 政务 | 服务</div><div>当前位置：首页 > 新闻中心 > 正文</div>"
        f"<h1>{title}</h1><div class='info'>2012-01-12 10:30 来源：本地日报 记者 张明</div>"
        f"<div class='content'>{body}</div>{extra}"
        "<div class='footer'>版权所有 本地新闻网 备案号：京ICP备12345678号</div></body></html>"
    )


def write_warc(path, records, gzip_records=True):
    """records: (url, body bytes, content type) → a WARC written with warcio; returns offsets."""
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gzip_records)
        for url, body, content_type in records:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers
            )
            writer.write_record(record)


def write_jsonl_gz(path, rows):
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for row in rows:
            fh.write(row if isinstance(row, str) else json.dumps(row, ensure_ascii=False))
            fh.write("\n")
