#!/usr/bin/env python3
"""Score the cleaner on the devset, beside trafilatura and GNE, in one run.

    .venv/bin/python scripts/eval_extraction.py [--sample N] [--systems text,html,trafilatura,gne]
                                                [--min-f1 X] [--outdir DIR] [--worst K]

Systems (each writes OUTDIR/SYSTEM/NAME.json = {title, date, author, source, body}):

- ``text``: ``archive.process`` on ``RawPage(kind="text")`` of ``pages/NAME.txt`` (the
  text-dump path, the one the issue asks to score);
- ``html``: ``archive.process`` on ``RawPage(kind="html")`` of ``pages/NAME.html``;
- ``trafilatura``: ``trafilatura.bare_extraction(html, with_metadata=True,
  include_comments=False)`` alone (text, title, date, author, sitename as source);
- ``gne``: ``GeneralNewsExtractor().extract(html)`` alone (content, title,
  publish_time, author; no source).

The HTML is decoded once with the devset's ``innertext.decode_html`` for the two
baselines, as the devset README does.  Each output folder is scored with the
devset's own ``score.py`` (imported from ../shared/devset, never copied), and one
table prints every system side by side.  ``--min-f1 X`` exits 1 when the text
path's body F1 is below X (a floor for CI on a small ``--sample``).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEVSET = REPO.parent / "shared" / "devset"
sys.path.insert(0, str(REPO))

from archive import process  # noqa: E402
from archive.errors import RejectError  # noqa: E402
from archive.models import RawPage  # noqa: E402

SYSTEMS = ("text", "html", "trafilatura", "gne")


def _load(name: str, path: Path):  # noqa: ANN202 - a module
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _date_out(iso: str | None) -> str | None:
    """score.py reads ``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM``."""
    return iso.replace("T", " ")[:16] if iso else iso


def run_archive(name: str, kind: str) -> dict:
    path = DEVSET / "pages" / f"{name}.{'txt' if kind == 'text' else 'html'}"
    try:
        doc = process(RawPage(path=path.name, data=path.read_bytes(), kind=kind))
    except RejectError:
        return {}
    m = doc.clean.metadata
    return {
        "title": m.title,
        "date": _date_out(m.published),
        "author": list(m.authors),
        "source": m.source,
        "body": doc.body.replace("\n\n", "\n"),
    }


def run_trafilatura(html: str) -> dict:
    import trafilatura

    result = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    if result is None:
        return {}
    data = result if isinstance(result, dict) else result.as_dict()
    return {
        "title": data.get("title"),
        "date": data.get("date"),
        "author": data.get("author"),
        "source": data.get("sitename"),
        "body": data.get("text"),
    }


_GNE = None


def run_gne(html: str) -> dict:
    global _GNE
    if _GNE is None:
        from gne import GeneralNewsExtractor

        _GNE = GeneralNewsExtractor()
    try:
        data = _GNE.extract(html)
    except Exception:  # GNE raises on some pages; the README scores those as empty
        return {}
    return {
        "title": data.get("title"),
        "date": data.get("publish_time"),
        "author": data.get("author"),
        "source": None,
        "body": data.get("content"),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sample", type=int, help="only the first N pages of index.json")
    ap.add_argument("--systems", default=",".join(SYSTEMS), help="comma list of " + ",".join(SYSTEMS))
    ap.add_argument("--min-f1", type=float, help="exit 1 if the text path's body F1 is below this")
    ap.add_argument("--outdir", type=Path, help="keep the outputs here (default: a temp dir)")
    ap.add_argument("--worst", type=int, default=0, help="list the K worst text-path pages")
    args = ap.parse_args(argv)
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = set(systems) - set(SYSTEMS)
    if unknown:
        ap.error(f"unknown systems: {', '.join(sorted(unknown))}")
    if not (DEVSET / "index.json").exists():
        print(f"error: devset not found at {DEVSET}", file=sys.stderr)
        return 2

    score = _load("devset_score", DEVSET / "score.py")
    innertext = _load("devset_innertext", DEVSET / "innertext.py")
    index = json.loads((DEVSET / "index.json").read_text(encoding="utf-8"))
    if args.sample:
        index = index[: args.sample]

    with tempfile.TemporaryDirectory() as tmp:
        outroot = args.outdir or Path(tmp)
        # score.py scores the pages in HELDOUT/index.json: a sample gets its own index.
        heldout = Path(tmp) / "heldout"
        heldout.mkdir()
        (heldout / "index.json").write_text(json.dumps(index), encoding="utf-8")
        (heldout / "truth").symlink_to(DEVSET / "truth")

        summaries: dict[str, tuple[dict, float, dict]] = {}
        for system in systems:
            outdir = outroot / system
            outdir.mkdir(parents=True, exist_ok=True)
            start = time.perf_counter()
            for row in index:
                name = row["name"]
                if system in ("text", "html"):
                    out = run_archive(name, system)
                else:
                    raw = (DEVSET / "pages" / f"{name}.html").read_bytes()
                    html, _ = innertext.decode_html(raw)
                    out = run_trafilatura(html) if system == "trafilatura" else run_gne(html)
                (outdir / f"{name}.json").write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")
            seconds = time.perf_counter() - start
            result = score.score(heldout, outdir)
            summaries[system] = (score.summarise(result["pages"]), seconds, result)

    print(f"devset: {len(index)} pages ({DEVSET})")
    header = (
        f"{'system':<12} | {'body P':>6} {'R':>6} {'F1':>6} {'pgF1':>6} {'empty':>5} | {'title':>6} {'title~':>6} |"
        f" {'date':>6} {'d+time':>6} | {'author':>6} {'auth~':>6} | {'source':>6} | {'s/page':>7}"
    )
    print(header)
    print("-" * len(header))

    def acc(summary: dict, field: str, key: str = "acc") -> str:
        value = (summary.get(field) or {}).get(key)
        return "    - " if value is None else f"{value:6.3f}"

    for system, (s, seconds, _) in summaries.items():
        b = s["body"]
        print(
            f"{system:<12} | {b['precision']:6.3f} {b['recall']:6.3f} {b['f1']:6.3f} {b['mean_page_f1']:6.3f}"
            f" {b['empty_outputs']:>5} | {acc(s, 'title')} {acc(s, 'title', 'acc_lenient')} |"
            f" {acc(s, 'date')} {acc(s, 'date', 'acc_minute')} | {acc(s, 'author')} {acc(s, 'author', 'acc_lenient')} |"
            f" {acc(s, 'source')} | {seconds / max(len(index), 1):7.4f}"
        )
    print("(devset README, from HTML: trafilatura 2.3.1 body F1 0.834, gne 0.868)")

    if args.worst and "text" in summaries:
        pages = summaries["text"][2]["pages"]
        print(f"\nworst {args.worst} text-path pages:")
        for p in sorted(pages, key=lambda p: p["body_f1"])[: args.worst]:
            prec = "-" if p["body_p"] is None else f"{p['body_p']:.3f}"
            print(f"  {p['name']:<48} F1={p['body_f1']:.3f} P={prec} R={p['body_r']:.3f}")

    if args.min_f1 is not None:
        if "text" not in summaries:
            print("error: --min-f1 needs the text system", file=sys.stderr)
            return 2
        f1 = summaries["text"][0]["body"]["f1"]
        if f1 < args.min_f1:
            print(f"FAIL: text-path body F1 {f1:.3f} < floor {args.min_f1}", file=sys.stderr)
            return 1
        print(f"ok: text-path body F1 {f1:.3f} >= floor {args.min_f1}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
