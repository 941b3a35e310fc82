"""Settings for one ingest run, with the defaults the CLI uses."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class IngestConfig:
    db_path: Path = Path("archive.db")
    cleaned_dir: Path = Path("cleaned")
    min_quality: float | None = None  # reject documents whose quality is below this
    jobs: int = 1
    batch_size: int = 200  # documents per SQLite transaction
    lsh_url: str | None = None  # redis://HOST:PORT/DB for a shared LSH index
    jsonl_text_fields: tuple[str, ...] = ("html", "text", "content")
    max_file_bytes: int = 64 * 1024 * 1024
    # A body line seen on at least this many pages of one site is furniture (clean.repetition); 0 = off.
    repeat_min_pages: int = 3
