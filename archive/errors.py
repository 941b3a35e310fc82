"""Exceptions the library raises. Each message says what went wrong and how to fix it."""


class ArchiveError(Exception):
    """Base class for errors reported to the user as one line."""


class RejectError(ArchiveError):
    """An input cannot become a document (empty, binary, undecodable...).

    The pipeline records it in ``rejects`` and goes on with the next input.
    """


class QueryError(ArchiveError):
    """A search query is malformed."""
