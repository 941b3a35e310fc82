"""Command-line interface: a thin layer over the library API."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import api
from .config import IngestConfig
from .errors import ArchiveError

if TYPE_CHECKING:
    from .models import Reject
    from .pipeline import IngestStats

DB_OPTION = click.option(
    "--db",
    "db_path",
    default="archive.db",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="The SQLite archive file.",
)


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group()
@click.version_option(package_name="archive")
def cli() -> None:
    """Turn crawled (mostly Chinese) web pages into a clean, deduplicated,
    searchable SQLite archive.

    \b
    Typical use:
      archive ingest raw/            # clean, deduplicate and store every page
      archive show 1                 # one record: metadata, body, removed lines
      archive search 医院            # Chinese full-text search
      archive dups                   # duplicate clusters
      datasette archive.db           # browse it (or: archive serve)
    """


@cli.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@DB_OPTION
@click.option(
    "--cleaned",
    "cleaned_dir",
    default="cleaned",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder for the cleaned text of every kept (canonical) record.",
)
@click.option(
    "--min-quality",
    type=click.FloatRange(0, 1),
    default=None,
    help="Reject documents whose quality score (0-1) is below this.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1),
    default=os.cpu_count() or 1,
    show_default="number of cores",
    help="Worker processes for reading, cleaning and signatures (one writer).",
)
@click.option(
    "--lsh",
    "lsh_url",
    default=None,
    metavar="redis://HOST:PORT/DB",
    help="Keep the near-duplicate index in Redis, shared by ingests on several machines.",
)
@click.option(
    "--batch-size",
    type=click.IntRange(1),
    default=200,
    show_default=True,
    help="Documents per SQLite transaction (an interrupted run redoes at most one batch).",
)
@click.option(
    "--jsonl-fields",
    default="html,text,content",
    show_default=True,
    help="JSONL fields that hold the page, first present wins (`html` or markup → HTML page).",
)
@click.option(
    "--repeat-min-pages",
    type=click.IntRange(0),
    default=3,
    show_default=True,
    help="Strip body lines seen on at least this many pages of one site (0 = off).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--quiet", "-q", is_flag=True, help="No progress line, no per-file reject lines.")
def ingest_cmd(
    paths: tuple[str, ...],
    db_path: str,
    cleaned_dir: str,
    min_quality: float | None,
    jobs: int,
    lsh_url: str | None,
    batch_size: int,
    jsonl_fields: str,
    repeat_min_pages: int,
    as_json: bool,
    quiet: bool,
) -> None:
    """Read PATHS (files or folders, recursively), clean every page and store it.

    Reads text dumps (.txt), HTML (.html, .htm), JSONL (.jsonl, .jsonl.gz) and
    WARC (.warc, .warc.gz), in UTF-8, the GBK family or Big5. Re-running the
    same ingest changes nothing: a document is identified by the SHA-256 of its
    bytes. An interrupted run (Ctrl-C, kill -9) is finished by running the same
    command again.

    After the last page, near-duplicate copies are compared and a tail one copy
    has and the other lacks is moved out of the body (into `offtopic`); in an
    archive of 10,000+ records the index behind fast one-character search is
    rebuilt when a fifth of the records are new since its last build.

    Exit status: 0 when every input was stored, 1 when any was rejected (each
    reject is printed to stderr and kept in the `rejects` table).
    """
    config = IngestConfig(
        db_path=Path(db_path),
        cleaned_dir=Path(cleaned_dir),
        min_quality=min_quality,
        jobs=jobs,
        lsh_url=lsh_url,
        batch_size=batch_size,
        jsonl_text_fields=tuple(f.strip() for f in jsonl_fields.split(",") if f.strip()),
        repeat_min_pages=repeat_min_pages,
    )
    from .pipeline import ingest

    show_progress = not quiet and not as_json and sys.stderr.isatty()
    last_shown = 0.0

    def on_reject(rej: Reject) -> None:
        if not quiet:
            if show_progress:
                click.echo("\r\033[K", nl=False, err=True)  # clear the progress line first
            click.echo(f"rejected {rej.path}: {rej.reason}", err=True)

    def on_progress(stats: IngestStats) -> None:
        nonlocal last_shown
        now = time.monotonic()
        if show_progress and stats.phase != "ingesting":
            click.echo(f"\r\033[K{stats.phase}…", nl=False, err=True)
        elif show_progress and now - last_shown >= 0.2:
            last_shown = now
            click.echo(
                f"\r\033[Kingesting: {stats.read} read, {stats.kept} kept, "
                f"{stats.duplicates} duplicates, {stats.already} already archived, "
                f"{stats.rejected} rejected",
                nl=False,
                err=True,
            )

    try:
        stats = ingest(
            paths,
            db=db_path,
            cleaned_dir=cleaned_dir,
            config=config,
            on_reject=on_reject,
            on_progress=on_progress,
        )
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from exc
    except KeyboardInterrupt:
        click.echo("\ninterrupted: completed batches are saved; run the same command to finish", err=True)
        sys.exit(130)
    if show_progress:
        click.echo("\r\033[K", nl=False, err=True)
    if as_json:
        echo_json(stats.as_dict())
    else:
        click.echo(
            f"read {stats.read}, kept {stats.kept}, duplicates {stats.duplicates}, "
            f"already archived {stats.already}, rejected {stats.rejected}, "
            f"off-topic flagged {stats.offtopic}, fragmented {stats.fragmented}, "
            f"{stats.seconds:.1f}s"
        )
    if stats.rejected:
        sys.exit(1)


@cli.command("show")
@click.argument("ref")
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the record as JSON.")
def show_cmd(ref: str, db_path: str, as_json: bool) -> None:
    """Print one record (REF: its id or a sha256 prefix): metadata, flags,
    the cleaned body, and every removed line with the reason it was removed."""
    try:
        doc = api.get_document(db_path, ref)
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        echo_json(doc)
        return
    fields = ["id", "path", "sha256", "title", "published", "source", "editor", "site", "url"]
    for f in fields:
        if doc.get(f) is not None:
            click.echo(f"{f + ':':12} {doc[f]}")
    if doc.get("authors"):
        click.echo(f"{'authors:':12} {', '.join(doc['authors'])}")
    flags = []
    if doc.get("fragmented"):
        flags.append("fragmented")
    if doc.get("offtopic"):
        flags.append(f"off-topic span at {doc['offtopic_start']} ({doc['offtopic_reason']})")
    if doc.get("duplicate_of") is not None:
        flags.append(
            f"{doc['dup_kind']} duplicate of {doc['duplicate_of']} (similarity {doc['dup_similarity']:.2f})"
        )
    if doc.get("quality") is not None:
        click.echo(f"{'quality:':12} {doc['quality']:.2f}")
    if flags:
        click.echo(f"{'flags:':12} {'; '.join(flags)}")
    click.echo("\n" + click.style("body", bold=True))
    click.echo(doc["body"])
    if doc.get("offtopic"):
        click.echo("\n" + click.style("off-topic text (kept out of the body)", bold=True))
        click.echo(doc["offtopic"])
    if doc.get("removed"):
        click.echo("\n" + click.style("removed lines", bold=True))
        for r in doc["removed"]:
            click.echo(f"  [{r['reason']}] {r['line']}")


@cli.command("search")
@click.argument("query")
@DB_OPTION
@click.option("--limit", "-n", type=click.IntRange(1, 10000), default=10, show_default=True)
@click.option(
    "--offset", type=click.IntRange(0), default=0, show_default=True, help="Skip this many hits (next pages)."
)
@click.option("--since", help="Only records published on or after this date (YYYY[-MM[-DD]]).")
@click.option("--until", help="Only records published on or before this date (YYYY[-MM[-DD]]).")
@click.option("--source", help="Only records whose source contains this text.")
@click.option("--site", help="Only records whose site (or site key) contains this text.")
@click.option("--include-duplicates", is_flag=True, help="Also search records kept as duplicates.")
@click.option("--json", "as_json", is_flag=True, help="Print hits as JSON.")
def search_cmd(
    query: str,
    db_path: str,
    limit: int,
    offset: int,
    since: str | None,
    until: str | None,
    source: str | None,
    site: str | None,
    include_duplicates: bool,
    as_json: bool,
) -> None:
    """Full-text search (Chinese, traditional or simplified, and Latin words).

    QUERY: words (all must occur), "quoted phrases", and when well formed
    OR / NOT / ( ) / word* as in SQLite FTS5. Ranked by bm25, title above body.
    """
    from . import search as search_api

    try:
        hits = search_api.search(
            db_path,
            query,
            limit=limit,
            since=since,
            until=until,
            source=source,
            site=site,
            include_duplicates=include_duplicates,
            offset=offset,
        )
    except search_api.QueryError as exc:
        # One line ("Error: ..."), exit status 2 like a usage error.
        err = click.ClickException(str(exc))
        err.exit_code = 2
        raise err from exc
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        echo_json([h.as_dict() for h in hits])
        return
    if not hits:
        click.echo("no matches", err=True)
        return
    tty = sys.stdout.isatty()
    open_mark, close_mark = ("\x1b[1;33m", "\x1b[0m") if tty else ("【", "】")
    for h in hits:
        dup = f" (duplicate of {h.duplicate_of})" if h.duplicate_of is not None else ""
        head = f"{h.id}  {h.title or '(no title)'}{dup}"
        click.echo(click.style(head, bold=True) if tty else head)
        meta = "  ".join(x for x in (h.published, h.source, h.path, f"score {h.score:.3g}") if x)
        click.echo(f"    {meta}")
        snippet = search_api.render_snippet(h.snippet.replace("\n", " "), open_mark, close_mark)
        click.echo(f"    {snippet}\n")


@cli.command("reindex")
@DB_OPTION
@click.option(
    "--term-top-only",
    is_flag=True,
    help="Only rebuild the index for frequent 1- and 2-character queries (e.g. after a large ingest).",
)
def reindex_cmd(db_path: str, term_top_only: bool) -> None:
    """Rebuild the full-text index from the documents table."""
    import time

    from . import search as search_api

    t0 = time.perf_counter()
    try:
        counts = search_api.reindex(db_path, term_top_only=term_top_only)
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from exc
    if term_top_only:
        click.echo(
            f"term-top index: {counts['terms']} characters, {counts['rows']} rows, "
            f"{time.perf_counter() - t0:.1f}s"
        )
        return
    click.echo(
        f"indexed {counts['canonical']} canonical records and {counts['duplicates']} duplicates "
        f"in {time.perf_counter() - t0:.1f}s"
    )


@cli.command("serve", context_settings={"ignore_unknown_options": True})
@DB_OPTION
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", "-p", type=int, default=8001, show_default=True)
@click.argument("datasette_args", nargs=-1, type=click.UNPROCESSED)
def serve_cmd(db_path: str, host: str, port: int, datasette_args: tuple[str, ...]) -> None:
    """Browse the archive in datasette (search box, canned `search` query, facets).

    Extra arguments are passed to `datasette serve`. The plugin that registers the
    tokenizer and the archive's metadata is installed with the package, so plain
    `datasette archive.db` works the same.
    """
    import subprocess

    if not os.path.exists(db_path):
        raise click.ClickException(f"{db_path}: no such archive (run `archive ingest` first)")
    from . import search as search_api

    search_api.reindex_if_missing(db_path)
    cmd = [sys.executable, "-m", "datasette", "serve", db_path, "--host", host, "--port", str(port)]
    sys.exit(subprocess.call([*cmd, *datasette_args]))


@cli.command("merge")
@click.argument("shards", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--into",
    "into",
    required=True,
    type=click.Path(dir_okay=False),
    help="The merged archive (created if missing; its own records come first).",
)
@click.option(
    "--cleaned",
    "cleaned_dir",
    default="cleaned",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder for the cleaned text of every canonical record of the merged archive.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def merge_cmd(shards: tuple[str, ...], into: str, cleaned_dir: str, as_json: bool) -> None:
    """Merge archive SHARDS (one per machine, ingested with a shared --lsh) into one.

    A record (same SHA-256) in several shards is stored once; duplicates found
    across shards are joined into one cluster with one canonical record, the
    earliest in the order the shards are given. Running it again changes nothing.
    """
    from .store.merge import merge_shards

    try:
        stats = merge_shards(shards, into, cleaned_dir)
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        echo_json(stats.as_dict())
        return
    click.echo(
        f"merged {len(shards)} shards into {into}: {stats.documents} records ({stats.added} added, "
        f"{stats.already} already there), {stats.duplicates} duplicates in {stats.clusters} clusters, "
        f"{stats.cross_shard_links} cross-shard links resolved, {stats.unresolved_links} unresolved, "
        f"{stats.seconds:.1f}s"
    )


@cli.command("dups")
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the clusters as JSON.")
def dups_cmd(db_path: str, as_json: bool) -> None:
    """List duplicate clusters, largest first: size, the canonical record (the
    one kept in cleaned/) and every member with its kind (exact / near) and its
    character-shingle Jaccard similarity to the canonical."""
    from .signals.dedup import list_clusters
    from .store.writer import open_db

    if not os.path.exists(db_path):
        raise click.ClickException(f"{db_path}: no such archive (run `archive ingest` first)")
    db = open_db(db_path)
    try:
        clusters = list_clusters(db)
    finally:
        db.conn.close()
    if as_json:
        echo_json(clusters)
        return
    if not clusters:
        click.echo("no duplicate clusters", err=True)
        return
    for c in clusters:
        canon = c["canonical"] or {}
        click.echo(
            f"cluster {c['cluster_id']}: {c['size']} records, canonical {canon.get('id')} "
            f"{canon.get('title') or '(no title)'}  [{canon.get('path')}]"
        )
        for m in c["members"]:
            sim = f"{m['dup_similarity']:.2f}" if m["dup_similarity"] is not None else "-"
            click.echo(
                f"    {m['id']:>6}  {m['dup_kind'] or '?':5}  {sim}  {m['title'] or '(no title)'}  [{m['path']}]"
            )


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
