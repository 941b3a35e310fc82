"""Plain text dumps (a browser's innerText of a page, one block per line)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..models import RawPage, Reject


def sniff(head: bytes) -> bool:
    return True


def read(file: Path, path: str) -> Iterator[RawPage | Reject]:
    data = file.read_bytes()
    yield RawPage(path=path, data=data, kind="text", site_key=str(Path(path).parent))
