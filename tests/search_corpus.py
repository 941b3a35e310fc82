"""Shared by the search tests: an archive built from real People's Daily text, and a
brute-force substring oracle to compare every full-text result with.

Documents are runs of consecutive corpus paragraphs (the first one is the
title); every 12th is converted to traditional script with OpenCC, and a few
are stored again as duplicates of another record.
"""

from __future__ import annotations

import functools
import hashlib
import random
import re
from pathlib import Path

import opencc

from archive.store.writer import open_db

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "peoples_daily_199801.txt"
HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")

ONE_CHAR = ["院", "医", "党", "台", "灣", "龙", "鹅", "的"]
TWO_CHAR = ["医院", "经济", "改革", "台湾", "醫院", "經濟", "农民", "足球", "人民", "国际"]
FOUR_CHAR = ["改革开放", "经济发展", "人民日报", "國際社會", "社会主义", "新年讲话", "全国人民"]


def corpus_paragraphs(limit: int | None = None) -> list[str]:
    out = []
    with open(CORPUS, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line:
                out.append(line)
                if limit and len(out) >= limit:
                    break
    return out


def corpus_docs(n_docs: int = 300, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    paras = corpus_paragraphs()
    to_trad = opencc.OpenCC("s2t")
    docs: list[dict] = []
    i = 0
    while len(docs) < n_docs:
        n = rng.randint(2, 6)
        chunk = [paras[(i + k) % len(paras)] for k in range(n)]
        i += n
        title, body = chunk[0][:60], "\n\n".join(chunk[1:])
        k = len(docs)
        if k % 12 == 5:
            title, body = to_trad.convert(title), to_trad.convert(body)
        docs.append(
            {
                "path": f"corpus/{k:05d}.txt",
                "title": title,
                "body": body,
                "published": f"{1997 + (k % 3 == 0)}-{1 + k % 12:02d}-{1 + k % 28:02d}",
                "source": "新华社" if k % 4 == 0 else "人民日报",
                "site": "xinhuanet.com" if k % 4 == 0 else "people.com.cn",
            }
        )
    return docs


def build_archive(path: Path, docs: list[dict], duplicates: int = 6) -> list[dict]:
    """Write docs through open_db (schema + index + triggers); the last
    ``duplicates`` rows are copies (slightly edited) marked duplicate_of an earlier row.
    Returns the stored rows (id, title, body, duplicate_of, ...)."""
    db = open_db(path)
    conn = db.conn
    rows = []
    with conn:
        for k, d in enumerate(docs):
            sha = hashlib.sha256(f"{k}:{d['title']}:{d['body']}".encode()).hexdigest()
            cur = conn.execute(
                "INSERT INTO documents (path, sha256, title, body, published, source, site, kind) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, 'text')",
                [d["path"], sha, d["title"], d["body"], d["published"], d["source"], d["site"]],
            )
            rows.append({**d, "id": cur.lastrowid, "duplicate_of": None})
        for j in range(duplicates):
            orig = rows[j * 7 + 1]
            d = {**orig, "path": f"dups/{j}.txt", "body": orig["body"] + "\n\n（转载）"}
            sha = hashlib.sha256(f"dup{j}".encode()).hexdigest()
            cur = conn.execute(
                "INSERT INTO documents (path, sha256, title, body, published, source, site, kind, "
                "cluster_id, duplicate_of, dup_kind) VALUES (?, ?, ?, ?, ?, ?, ?, 'text', ?, ?, 'near')",
                [d["path"], sha, d["title"], d["body"], d["published"], d["source"], d["site"]]
                + [orig["id"], orig["id"]],
            )
            conn.execute("UPDATE documents SET cluster_id = id WHERE id = ?", [orig["id"]])
            rows.append({**d, "id": cur.lastrowid, "duplicate_of": orig["id"]})
    conn.close()
    return rows


@functools.cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@functools.cache
def _fold_char(c: str) -> str:
    cp = ord(c)
    if 0xFF01 <= cp <= 0xFF5E:
        c = chr(cp - 0xFEE0)
    if c.isascii():
        return c.lower()
    if cp >= 0x3400:
        s = _t2s().convert(c)
        return s if len(s) == 1 else c
    return c


@functools.lru_cache(maxsize=4096)
def fold(text: str | None) -> str:
    """Oracle fold, independent of the C code: OpenCC t2s per character, full-width
    ASCII to half-width, lower case."""
    return "".join(_fold_char(c) for c in (text or ""))


def brute_force(rows: list[dict], query: str, include_duplicates: bool = False) -> set[int]:
    """Ids of rows whose title or body contains the (folded) query as a substring."""
    q = fold(query)
    return {
        r["id"]
        for r in rows
        if (include_duplicates or r["duplicate_of"] is None)
        and (q in fold(r["title"]) or q in fold(r["body"]))
    }


def phrase_queries(rows: list[dict], n: int = 10, seed: int = 3) -> list[str]:
    """Han-only substrings of 5 to 12 characters cut from the stored text."""
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < n:
        r = rng.choice(rows)
        runs = [m for m in HAN_RUN.findall(r["body"]) if len(m) >= 5]
        if not runs:
            continue
        run = rng.choice(runs)
        size = rng.randint(5, min(12, len(run)))
        start = rng.randint(0, len(run) - size)
        out.append(run[start : start + size])
    return out


def all_queries(rows: list[dict]) -> list[str]:
    return ONE_CHAR + TWO_CHAR + FOUR_CHAR + phrase_queries(rows)
