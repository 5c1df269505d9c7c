"""Errors a user can act on. The CLI turns every AtlasError into one line and exit code 1."""

from __future__ import annotations


class AtlasError(Exception):
    """Base of every error implicit-atlas reports to a user; the message says how to fix it."""


class CatalogError(AtlasError, ValueError):
    """The curated catalog (data/curated.toml) or an imported list is malformed."""


class GraphFileError(AtlasError, ValueError):
    """A graph file is missing, corrupted, or of an unknown schema version."""


class OutputError(AtlasError, OSError):
    """An output file or folder cannot be written."""


class LookupFailed(AtlasError, LookupError):
    """A paper query matched nothing (or too many things) in the graph."""
