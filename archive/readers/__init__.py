"""Readers turn input files into ``RawPage`` records (or ``Reject``), streaming.

``iter_inputs`` walks files and folders; ``read_file`` picks the reader for one
file by its name and, where the name says nothing, by sniffing its first bytes.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..models import RawPage, Reject
from . import text

# Each reader: (name, predicate on the lower-cased file name, module with ``read``).
# Readers for container formats register here (see html.py, jsonl.py, warc.py).
READERS: list[tuple[str, tuple[str, ...], object]] = [
    ("text", (".txt", ".text", ""), text),
]


def iter_files(paths: Iterable[str | os.PathLike]) -> Iterator[tuple[Path, Path]]:
    """Yield (file, root) for every file under ``paths``, sorted, recursively.

    ``root`` is the folder the identity path is taken relative to.
    """
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for dirpath, dirnames, filenames in os.walk(p):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    if name.startswith("."):
                        continue
                    yield Path(dirpath) / name, p
        else:
            yield p, p.parent


def identity_path(file: Path) -> str:
    """The path stored in the archive: relative to the working directory when the
    file lies under it (``archive ingest raw/`` stores ``raw/000.txt``), else absolute.
    """
    absolute = file.resolve()
    rel = os.path.relpath(absolute, Path.cwd().resolve())
    return str(absolute) if rel.startswith("..") else rel


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


def read_file(file: Path, root: Path) -> Iterator[RawPage | Reject]:
    """Yield the pages of one input file; never raises for bad input."""
    path = identity_path(file)
    try:
        with open(file, "rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        yield Reject(path, f"unreadable: {exc.strerror or exc}")
        return
    module = reader_for(file, head)
    try:
        yield from module.read(file, path)  # type: ignore[attr-defined]
    except OSError as exc:
        yield Reject(path, f"unreadable: {exc.strerror or exc}")
