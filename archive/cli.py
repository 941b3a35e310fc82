"""Command-line interface: a thin layer over the library API."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from . import api
from .config import IngestConfig
from .errors import ArchiveError
from .models import Reject
from .pipeline import IngestStats, ingest

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
      datasette archive.db           # browse it
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
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar, no per-file reject lines.")
def ingest_cmd(
    paths: tuple[str, ...],
    db_path: str,
    cleaned_dir: str,
    min_quality: float | None,
    jobs: int,
    lsh_url: str | None,
    batch_size: int,
    as_json: bool,
    quiet: bool,
) -> None:
    """Read PATHS (files or folders, recursively), clean every page and store it.

    Text dumps in UTF-8 or the GBK family are read as they are. Re-running the
    same ingest changes nothing: a document is identified by the SHA-256 of its
    bytes. An interrupted run is finished by running the same command again.

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
    )
    show_bar = not quiet and not as_json and sys.stderr.isatty()

    def on_reject(rej: Reject) -> None:
        if not quiet:
            click.echo(f"rejected {rej.path}: {rej.reason}", err=True)

    bar_ctx = click.progressbar(length=0, label="ingesting", file=sys.stderr) if show_bar else None

    def on_progress(stats: IngestStats) -> None:
        if bar_ctx is not None:
            bar_ctx.label = f"ingesting: {stats.read} read, {stats.kept} kept"
            bar_ctx.render_progress()

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
    if bar_ctx is not None:
        click.echo("", err=True)
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


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
