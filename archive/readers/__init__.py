"""Readers turn input files into ``RawPage`` records (or ``Reject``), streaming.

``iter_files`` walks files and folders; ``read_file`` picks the reader for one
file by its name and, where the name says nothing, by sniffing its first bytes.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from ..clean.decode import MAX_PAGE_BYTES
from ..config import IngestConfig
from ..models import RawPage, Reject
from . import html, jsonl, text, warc

# Each reader: (name, suffixes of the lower-cased file name, module with ``read`` and
# ``sniff``).  Order matters for sniffing: the text reader accepts anything, so it is last.
READERS: list[tuple[str, tuple[str, ...], object]] = [
    ("warc", warc.SUFFIXES, warc),
    ("jsonl", jsonl.SUFFIXES, jsonl),
    ("html", html.SUFFIXES, html),
    ("text", (".txt", ".text", ""), text),
]


def iter_files(paths: Iterable[str | os.PathLike]) -> Iterator[Path]:
    """Yield every file under ``paths``, sorted, recursively (hidden names skipped).

    The path stored for a file does not depend on the folder it was found under
    (see ``identity_path``).
    """
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for dirpath, dirnames, filenames in os.walk(p):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    if name.startswith("."):
                        continue
                    yield Path(dirpath) / name
        else:
            yield p


def identity_path(file: Path) -> str:
    """The path stored in the archive: relative to the working directory when the
    file lies under it (``archive ingest raw/`` stores ``raw/000.txt``), else absolute.
    """
    cwd = os.getcwd()
    folder, name = os.path.split(os.fspath(file))
    # One realpath per folder, not per file (it stats every component of the path);
    # a file that is itself a symlink is resolved in full.  Joined, not abspath'd:
    # realpath must see "link/.." before ".." is folded away.
    if os.path.islink(file):
        absolute = os.path.realpath(file)
    else:
        absolute = os.path.join(_real_path(os.path.join(cwd, folder)), name)
    rel = os.path.relpath(absolute, _real_path(cwd))
    return absolute if rel.startswith("..") else rel


@lru_cache(maxsize=1024)
def _real_path(folder: str) -> str:
    return os.path.realpath(folder)


def reader_for(file: Path, head: bytes) -> object:
    name = file.name.lower()
    for _label, suffixes, module in READERS:
        if any(name.endswith(s) for s in suffixes if s):
            return module
    for _label, _suffixes, module in READERS:
        sniff = getattr(module, "sniff", None)
        if sniff is not None and sniff(head):
            return module
    return text


def read_file(file: Path, config: IngestConfig | None = None) -> Iterator[RawPage | Reject]:
    """Yield the pages of one input file; never raises for bad input."""
    path = identity_path(file)
    try:
        with open(file, "rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        yield Reject(path, f"unreadable: {exc.strerror or exc}")
        return
    module = reader_for(file, head)
    # One page per file: a file larger than any one article is refused unread
    # (a 50 MB single-line "page" must not be loaded to be rejected).
    if module in (text, html) and (size := file.stat().st_size) > MAX_PAGE_BYTES:
        yield Reject(path, f"page too large: {size} bytes > {MAX_PAGE_BYTES} for one article")
        return
    try:
        if module is text:
            yield from text.read(file, path)
        else:
            yield from module.read(file, path, config)  # type: ignore[attr-defined]
    except OSError as exc:
        yield Reject(path, f"unreadable: {exc.strerror or exc}")
