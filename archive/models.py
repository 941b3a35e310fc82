"""Plain-data types passed between pipeline stages.

Data flows one way: a reader yields ``RawPage`` (or ``Reject``), ``clean.decode``
turns it into ``DecodedPage``, ``clean`` into ``CleanDocument``, the signal stages
add ``OfftopicResult``/``QualityResult``/``Signature`` and the store writes a
``ProcessedDocument``.  Every stage can be called and tested on its own.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any


@dataclass
class RawPage:
    """Bytes of one crawled page as a reader found it.

    ``path`` is the input path as stored in the archive: relative to the working
    directory when the file lies under it, absolute otherwise, with ``#N`` for the
    N-th record inside a container file (JSONL line number, WARC record offset).
    The document's identity is ``sha256`` of ``data``, not the path.
    """

    path: str
    data: bytes
    kind: str = "text"  # "text" (innerText-like dump) or "html"
    url: str | None = None
    declared_charset: str | None = None  # from HTTP/WARC headers or the container
    site_key: str | None = None  # host, or the input folder for dumps
    meta: dict[str, Any] = field(default_factory=dict)  # title/date given by the container

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class Reject:
    """An input that could not become a document, and why."""

    path: str
    reason: str


@dataclass
class DecodedPage:
    """A page as text: line endings normalised, encoding recorded."""

    path: str
    sha256: str
    text: str
    encoding: str
    kind: str = "text"
    url: str | None = None
    site_key: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    html: str | None = None  # the decoded markup, for html pages


@dataclass(slots=True)
class RemovedLine:
    """A line the cleaner took out of the page, with the rule that took it."""

    # Slots: a page removes ~100 lines, and the worker sends them all to the writer;
    # a slotted object unpickles in about half the time of one with a __dict__.

    line: str
    reason: str


@dataclass
class Metadata:
    """Article metadata. A field the page does not state stays ``None``."""

    title: str | None = None
    published: str | None = None  # YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]
    source: str | None = None
    authors: list[str] = field(default_factory=list)
    editor: str | None = None
    site: str | None = None


@dataclass
class CleanDocument:
    """Output of the cleaner: body paragraphs, metadata and what was removed."""

    path: str
    sha256: str
    paragraphs: list[str]
    metadata: Metadata
    removed: list[RemovedLine] = field(default_factory=list)
    fragmented: bool = False
    encoding: str = "utf-8"
    kind: str = "text"
    url: str | None = None
    site_key: str | None = None

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass
class OfftopicResult:
    """The body with an off-topic span cut out, and the span kept aside."""

    body: str
    offtopic: str | None = None
    offtopic_start: int | None = None  # character offset in the uncut body
    offtopic_reason: str | None = None


@dataclass
class QualityResult:
    """Quality signals for Chinese text; ``quality`` is in [0, 1]."""

    chars: int
    cjk_ratio: float
    terminal_punct_ratio: float
    dup_line_ratio: float
    dup_ngram_ratio: float
    quality: float


@dataclass
class ProcessedDocument:
    """Everything the store needs for one input document."""

    clean: CleanDocument
    body: str  # final body: cleaned, off-topic span removed
    offtopic: OfftopicResult
    quality: QualityResult
    signature: Any = None  # dedup signature (see signals.dedup)
    exact_key: str | None = None  # hash of the normalised body
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    # Derived from ``body`` in the worker processes so the single writer has less to
    # do; ``None`` when not computed.  A stage that changes ``body`` recomputes or
    # clears them (``clean.repetition.strip_repeated`` does).
    line_hashes: list[str | None] | None = None  # clean.repetition.line_hash of each paragraph
    shingles: Any = None  # signals.dedup.shingles(body), for a body with a signature
