"""The ingest pipeline: readers → decode → clean → signals → store.

``process`` is the pure part (bytes in, ``ProcessedDocument`` out) and can run
in worker processes; ``ingest`` drives readers, ``process`` and the single
``ArchiveStore`` writer, committing in batches.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from .clean import clean
from .clean.decode import decode
from .config import IngestConfig
from .errors import RejectError
from .models import ProcessedDocument, RawPage, Reject
from .readers import iter_files, read_file
from .signals import dedup, offtopic, quality
from .store import ArchiveStore


@dataclass
class IngestStats:
    """What one ingest run did; printed as the summary."""

    read: int = 0
    kept: int = 0  # new canonical records
    duplicates: int = 0  # new records that point at a canonical
    already: int = 0  # inputs whose bytes were already in the archive
    rejected: int = 0
    offtopic: int = 0
    fragmented: int = 0
    seconds: float = 0.0
    rejects: list[Reject] = field(default_factory=list)

    def as_dict(self) -> dict:
        d = {k: v for k, v in self.__dict__.items() if k != "rejects"}
        d["rejects"] = [{"path": r.path, "reason": r.reason} for r in self.rejects]
        return d


def process(page: RawPage, config: IngestConfig | None = None) -> ProcessedDocument:
    """Run one page through decode, clean and the signal stages.

    Raises ``RejectError`` when the page cannot become a document.
    """
    config = config or IngestConfig()
    decoded = decode(page)
    cleaned = clean(decoded)
    if not cleaned.paragraphs:
        raise RejectError("no article text found after removing boilerplate")
    cut = offtopic.detect(cleaned)
    q = quality.measure(cut.body)
    if config.min_quality is not None and q.quality < config.min_quality:
        raise RejectError(f"quality {q.quality:.2f} below --min-quality {config.min_quality}")
    return ProcessedDocument(
        clean=cleaned,
        body=cut.body,
        offtopic=cut,
        quality=q,
        signature=dedup.signature(cut.body),
        exact_key=dedup.exact_key(cut.body),
    )


def iter_pages(paths: Iterable[str | os.PathLike]) -> Iterator[RawPage | Reject]:
    for file, root in iter_files(paths):
        yield from read_file(file, root)


def ingest(
    paths: Iterable[str | os.PathLike],
    db: str | os.PathLike = "archive.db",
    cleaned_dir: str | os.PathLike = "cleaned",
    config: IngestConfig | None = None,
    on_reject: Callable[[Reject], None] | None = None,
    on_progress: Callable[[IngestStats], None] | None = None,
) -> IngestStats:
    """Ingest files and folders into the archive at ``db``; return the run's stats.

    Re-running on the same inputs changes nothing; an interrupted run (Ctrl-C,
    kill -9) is finished by running it again.
    """
    config = config or IngestConfig(db_path=db, cleaned_dir=cleaned_dir)
    stats = IngestStats()
    start = time.monotonic()
    store = ArchiveStore(db, cleaned_dir)
    store.reconcile()
    in_batch = 0

    def record_reject(rej: Reject, sha256: str | None = None) -> None:
        stats.rejected += 1
        stats.rejects.append(rej)
        store.reject(rej.path, rej.reason, sha256)
        if on_reject:
            on_reject(rej)

    try:
        for item in iter_pages(paths):
            stats.read += 1
            if isinstance(item, Reject):
                record_reject(item)
            elif store.has(item.sha256):
                stats.already += 1
            else:
                try:
                    doc = process(item, config)
                except RejectError as exc:
                    record_reject(Reject(item.path, str(exc)), item.sha256)
                else:
                    row = store.add(doc)
                    if row:
                        stats.offtopic += doc.offtopic.offtopic is not None
                        stats.fragmented += doc.clean.fragmented
                        is_dup = store.conn.execute(
                            "SELECT duplicate_of IS NOT NULL FROM documents WHERE id = ?", [row["id"]]
                        ).fetchone()[0]
                        if is_dup:
                            stats.duplicates += 1
                        else:
                            stats.kept += 1
            in_batch += 1
            if in_batch >= config.batch_size:
                store.commit()
                in_batch = 0
            if on_progress:
                on_progress(stats)
        store.commit()
    except BaseException:
        # Ctrl-C or a crash: what is complete is committed; the batch in flight is
        # rolled back, and the next run redoes it (identity is the input's hash).
        store.rollback()
        raise
    finally:
        stats.seconds = time.monotonic() - start
        store.close()
    return stats
