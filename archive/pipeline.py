"""The ingest pipeline: readers → decode → clean → signals → store.

``process`` is the pure part (bytes in, ``ProcessedDocument`` out) and can run
in worker processes; ``ingest`` drives readers, ``process`` and the single
``ArchiveStore`` writer, committing in batches.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

from .clean import clean, repetition
from .clean.decode import decode
from .config import IngestConfig
from .errors import RejectError
from .models import ProcessedDocument, RawPage, Reject
from .parallel import ordered_map
from .readers import iter_files, read_file
from .signals import dedup, offtopic, quality
from .store import ArchiveStore, fts


@dataclass
class IngestStats:
    """What one ingest run did; printed as the summary."""

    read: int = 0
    kept: int = 0  # new records that are canonical at the end of the run
    duplicates: int = 0  # new records that are duplicates at the end of the run
    already: int = 0  # inputs whose bytes were already in the archive
    rejected: int = 0
    offtopic: int = 0
    fragmented: int = 0
    seconds: float = 0.0
    # What the run is doing: "ingesting", then the end-of-run steps (shown by the CLI).
    phase: str = "ingesting"
    # Seconds spent in each stage, summed over documents (workers included).
    stage_seconds: dict[str, float] = field(default_factory=dict)
    rejects: list[Reject] = field(default_factory=list)

    def add_timings(self, timings: dict[str, float]) -> None:
        for stage, secs in timings.items():
            self.stage_seconds[stage] = self.stage_seconds.get(stage, 0.0) + secs

    def as_dict(self) -> dict[str, Any]:
        d = {k: v for k, v in self.__dict__.items() if k != "rejects"}
        d["stage_seconds"] = {k: round(v, 3) for k, v in self.stage_seconds.items()}
        d["rejects"] = [{"path": r.path, "reason": r.reason} for r in self.rejects]
        return d


class StageTimer:
    """Accumulates wall time per named stage (datatrove-style stats per step)."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = self.timings.get(stage, 0.0) + now - self._last
        self._last = now


def process(page: RawPage, config: IngestConfig | None = None) -> ProcessedDocument:
    """Run one page through decode, clean and the signal stages.

    Raises ``RejectError`` when the page cannot become a document.
    """
    config = config or IngestConfig()
    timer = StageTimer()
    decoded = decode(page)
    timer.lap("decode")
    cleaned = clean(decoded)
    timer.lap("clean")
    if not cleaned.paragraphs:
        raise RejectError("no article text found after removing boilerplate")
    cut = offtopic.detect(cleaned)
    timer.lap("offtopic")
    q = quality.measure(cut.body)
    timer.lap("quality")
    if config.min_quality is not None and q.quality < config.min_quality:
        raise RejectError(f"quality {q.quality:.2f} below --min-quality {config.min_quality}")
    signature = dedup.signature(cut.body)
    key = dedup.exact_key(cut.body)
    # Done here rather than in the single writer: its share of the work caps --jobs N.
    own_shingles = dedup.shingles(cut.body) if signature is not None else None
    timer.lap("signature")
    line_hashes = None
    if cleaned.site_key and config.repeat_min_pages > 0:
        line_hashes = repetition.paragraph_hashes(cut.body)
        timer.lap("line_hashes")
    return ProcessedDocument(
        clean=cleaned,
        body=cut.body,
        offtopic=cut,
        quality=q,
        signature=signature,
        exact_key=key,
        timings=timer.timings,
        line_hashes=line_hashes,
        shingles=own_shingles,
    )


def process_item(item: RawPage | Reject, config: IngestConfig) -> ProcessedDocument | Reject:
    """``process`` for one reader item, turning every failure into a ``Reject``.

    Runs in worker processes: it never raises, so one bad page cannot stop a run.
    """
    if isinstance(item, Reject):
        return item
    try:
        return process(item, config)
    except RejectError as exc:
        return Reject(item.path, str(exc))
    except RecursionError:
        return Reject(item.path, "page too deeply nested to parse")
    except Exception as exc:  # a bug must cost one page, not the run
        return Reject(item.path, f"internal error while cleaning: {type(exc).__name__}: {exc}")


def iter_pages(
    paths: Iterable[str | os.PathLike], config: IngestConfig | None = None
) -> Iterator[RawPage | Reject]:
    for file in iter_files(paths):
        yield from read_file(file, config)


def ingest(
    paths: Iterable[str | os.PathLike],
    db: str | os.PathLike | None = None,
    cleaned_dir: str | os.PathLike | None = None,
    config: IngestConfig | None = None,
    on_reject: Callable[[Reject], None] | None = None,
    on_progress: Callable[[IngestStats], None] | None = None,
) -> IngestStats:
    """Ingest files and folders into the archive at ``db``; return the run's stats.

    ``db`` and ``cleaned_dir`` default to ``config.db_path`` and
    ``config.cleaned_dir`` (``archive.db`` and ``cleaned/`` without a config).

    Re-running on the same inputs changes nothing; an interrupted run (Ctrl-C,
    kill -9) is finished by running it again: inputs already stored are skipped
    by hash without being cleaned again.
    """
    config = replace(
        config or IngestConfig(),
        **({"db_path": Path(db)} if db is not None else {}),
        **({"cleaned_dir": Path(cleaned_dir)} if cleaned_dir is not None else {}),
    )
    stats = IngestStats()
    start = time.monotonic()
    store = ArchiveStore(config.db_path, config.cleaned_dir, lsh_url=config.lsh_url)
    store.reconcile()
    run_id = store.start_run()
    in_batch = 0

    def record_reject(rej: Reject, sha256: str | None = None) -> None:
        stats.rejected += 1
        stats.rejects.append(rej)
        store.reject(rej.path, rej.reason, sha256)
        if on_reject:
            on_reject(rej)

    def new_pages() -> Iterator[RawPage | Reject]:
        # Runs in this process, interleaved with the writes: skipping by hash here
        # means a resumed run does not clean again what is already stored.
        for item in iter_pages(paths, config):
            stats.read += 1
            if isinstance(item, RawPage) and store.has(item.sha256):
                stats.already += 1
                continue
            yield item

    work = partial(process_item, config=config)
    # This run's records: ids are given in increasing order by the single writer.
    first_id: int | None = None
    last_id: int | None = None
    try:
        for item, result in ordered_map(work, new_pages(), jobs=config.jobs):
            if isinstance(result, Reject):
                record_reject(result, item.sha256 if isinstance(item, RawPage) else None)
            else:
                stats.add_timings(result.timings)
                store_started = time.perf_counter()
                # Site furniture needs the archive's line counts: done here, in the writer.
                store.begin()
                if not store.has(result.clean.sha256):
                    result = repetition.strip_repeated(store.conn, result, config.repeat_min_pages)
                row = store.add(result)
                stats.add_timings({"store": time.perf_counter() - store_started})
                if not row:  # the same bytes appeared twice within the run
                    stats.already += 1
                else:
                    stats.offtopic += result.offtopic.offtopic is not None
                    stats.fragmented += result.clean.fragmented
                    first_id = row["id"] if first_id is None else first_id
                    last_id = row["id"]
                    if row.get("duplicate_of") is None:
                        stats.kept += 1
                    else:
                        stats.duplicates += 1
            in_batch += 1
            if in_batch >= config.batch_size:
                store.commit()
                in_batch = 0
            if on_progress:
                on_progress(stats)
        store.commit()

        def enter_phase(phase: str) -> None:
            stats.phase = phase
            if on_progress:
                on_progress(stats)

        # Needs the run's clusters complete: after the last batch, in one transaction.
        # A shard of a shared --lsh index is not complete until merged: the merge does it.
        if config.lsh_url is None:
            enter_phase("comparing near-duplicates for tails one copy lacks")
            tails_started = time.perf_counter()
            stats.offtopic += store.cut_duplicate_tails()
            store.commit()
            stats.add_timings({"duplicate_tails": time.perf_counter() - tails_started})
        store.release_dedup()  # the LSH is not needed past this point; the builds below need memory
        # One- and two-character queries of a large archive are fast only with the
        # term-top index current (store/fts.py): rebuilt when missing or stale.
        if fts.term_top_due(store.conn):
            enter_phase("building the index of frequent characters for search")
            term_top_started = time.perf_counter()
            fts.build_term_top(store.conn)
            stats.add_timings({"term_top": time.perf_counter() - term_top_started})
        if first_id is not None:
            # A later member may have taken over as canonical during the run: count
            # this run's records by where they ended up, not where they started.
            stats.kept, stats.duplicates = store.conn.execute(
                "SELECT count(*) FILTER (WHERE duplicate_of IS NULL AND duplicate_of_sha256 IS NULL), "
                "count(*) FILTER (WHERE duplicate_of IS NOT NULL OR duplicate_of_sha256 IS NOT NULL) "
                "FROM documents WHERE id BETWEEN ? AND ?",
                [first_id, last_id],
            ).fetchone()
        stats.seconds = time.monotonic() - start
        store.finish_run(run_id, stats.as_dict() | {"rejects": len(stats.rejects)})
    except BaseException:
        # Ctrl-C or a crash: committed batches stay; the batch in flight is rolled
        # back (with its cleaned/ files), and the next run redoes it.
        store.rollback()
        raise
    finally:
        stats.seconds = time.monotonic() - start
        store.close()
    return stats
