"""Size caps shared by the readers: an oversized input is a reject, not an OOM."""

from __future__ import annotations

from pathlib import Path


def read_capped(file: Path, max_bytes: int) -> bytes | str:
    """The file's bytes, or a reject reason when it is larger than ``max_bytes``."""
    size = file.stat().st_size
    if size > max_bytes:
        return f"file too large: {size} bytes > limit {max_bytes} (IngestConfig.max_file_bytes)"
    return file.read_bytes()
