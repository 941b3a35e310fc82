"""Run the pure pipeline stages in worker processes, in order, with bounded memory.

``multiprocessing.Pool.imap`` drains its input iterator as fast as it can, so a
fast reader and slow workers would hold the whole corpus in memory.  Here at
most ``window`` chunks are in flight: the reader waits for the oldest chunk
before reading more, which keeps memory flat however large the input is.
Results come back in input order, so ids (and dedup decisions) are the same
as in a single-process run.
"""

from __future__ import annotations

import itertools
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def _run_chunk(func: Callable[[Any], Any], chunk: list[Any]) -> list[Any]:
    return [func(item) for item in chunk]


def _die_with_parent(parent_pid: int) -> None:
    """Worker initializer: end this worker when the ingest process dies.

    A SIGKILLed parent cannot shut its pool down, and the workers would wait on
    their task queue forever (other workers hold the queue's pipe open, so they
    never see end-of-file).  Linux's PR_SET_PDEATHSIG makes the kernel signal them.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    pr_set_pdeathsig = 1
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent_pid:  # the parent died before the call above
        os._exit(1)


def ordered_map(
    func: Callable[[T], R],
    items: Iterable[T],
    jobs: int,
    chunk_size: int = 8,
    window: int | None = None,
) -> Iterator[tuple[T, R]]:
    """Yield ``(item, func(item))`` in input order, computing in ``jobs`` processes.

    ``func`` must be picklable (a module-level function or a ``functools.partial``)
    and must not raise: failures are its return values.  With ``jobs <= 1`` it
    runs in this process with no pool at all.
    """
    if jobs <= 1:
        for item in items:
            yield item, func(item)
        return
    window = window or jobs * 4
    it = iter(items)
    pending: deque[tuple[list[T], Future[list[R]]]] = deque()
    executor: Executor = ProcessPoolExecutor(
        max_workers=jobs, initializer=_die_with_parent, initargs=(os.getpid(),)
    )
    try:
        while True:
            while len(pending) < window:
                chunk = list(itertools.islice(it, chunk_size))
                if not chunk:
                    break
                pending.append((chunk, executor.submit(_run_chunk, func, chunk)))
            if not pending:
                return
            chunk, future = pending.popleft()
            yield from zip(chunk, future.result(), strict=True)
    finally:
        for _, future in pending:
            future.cancel()
        executor.shutdown(wait=True, cancel_futures=True)
