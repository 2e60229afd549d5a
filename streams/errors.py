"""The one exception hierarchy of factstream: everything raised on purpose derives from FactstreamError."""

from __future__ import annotations


class FactstreamError(Exception):
    """Base class of every error factstream raises on purpose."""


class InvalidRecord(FactstreamError):
    """A record that cannot be processed; it goes to the dead-letter topic and table with this reason."""


class ConfigurationError(FactstreamError):
    """Settings that cannot work (an unreachable service, a bad URL, a missing extra)."""


class ServiceUnavailable(FactstreamError):
    """A broker or database that does not answer (yet); callers retry with backoff."""


class DatabaseUnavailable(ServiceUnavailable):
    """PostgreSQL does not answer, refused the connection, or cancelled a statement that ran too long."""


class NotMigrated(FactstreamError):
    """The database lacks a table or column this version needs: ``factstream db migrate`` applies it."""
