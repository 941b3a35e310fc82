"""Read what the archive makes of pages nobody wrote rules for, next to GNE's reading.

There are no reference bodies for such pages; the point is to look. For every HTML page
under DIR (e.g. the 62 Chinese news pages of GNE's own test set, in its source
distribution on PyPI), print the HTML path's title, date, authors, source, body length,
the body's first and last characters and any off-topic cut, GNE's title, time, author and
body length, and the text-dump path's title and date (the page turned into a browser-like
text dump with ../shared/devset/innertext.py). A summary counts the pages where the two
paths agree on title and date, and where the HTML path's title agrees with GNE's.

    .venv/bin/pip download --no-deps --no-binary :all: gne==0.4.3 -d /tmp/gne-sdist
    tar xzf /tmp/gne-sdist/gne-0.4.3.tar.gz -C /tmp/gne-sdist
    .venv/bin/python scripts/check_unseen.py /tmp/gne-sdist/gne-0.4.3/tests
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO.parent / "shared" / "devset"))

from archive.models import RawPage  # noqa: E402
from archive.pipeline import process  # noqa: E402


def _norm(text: str | None) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", type=Path, help="a folder of .html pages (searched recursively)")
    parser.add_argument("--quiet", action="store_true", help="print the summary only")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    import innertext  # the devset's browser-like text dump
    from gne import GeneralNewsExtractor

    gne = GeneralNewsExtractor()
    pages = sorted(args.dir.rglob("*.html"))
    same_title = same_date = gne_title = 0
    for path in pages:
        data = path.read_bytes()
        result = process(RawPage(path=str(path), data=data, kind="html"))
        meta = result.clean.metadata
        body = result.offtopic.body if result.offtopic.offtopic else result.clean.body
        dump = innertext.inner_text(innertext.decode_html(data)[0])
        text_meta = process(RawPage(path=str(path), data=dump.encode("utf-8"), kind="text")).clean.metadata
        try:
            theirs = gne.extract(data.decode("utf-8", "replace"))
        except Exception as exc:  # GNE raises on some pages; its reading is only shown
            theirs = {
                "title": f"(GNE failed: {type(exc).__name__})",
                "publish_time": "",
                "author": "",
                "content": "",
            }
        same_title += _norm(meta.title) == _norm(text_meta.title)
        same_date += (meta.published or "")[:10] == (text_meta.published or "")[:10]
        gne_title += _norm(meta.title) == _norm(theirs["title"])
        if args.quiet:
            continue
        print(f"== {path.relative_to(args.dir)}")
        print(
            f"  html: title={meta.title!r} date={meta.published} authors={meta.authors} "
            f"source={meta.source} chars={len(body)} offtopic={result.offtopic.offtopic_reason}"
        )
        print(f"  text: title={text_meta.title!r} date={text_meta.published}")
        print(
            f"  gne:  title={theirs['title']!r} time={theirs['publish_time']!r} "
            f"author={theirs['author']!r} chars={len(theirs['content'])}"
        )
        print(f"  body: {body[:60]!r} … {body[-60:]!r}")
    n = len(pages)
    print(
        f"{n} pages: text-dump path agrees with the HTML path on title {same_title}/{n}, "
        f"date {same_date}/{n}; HTML title equals GNE's {gne_title}/{n}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
