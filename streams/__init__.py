"""factstream: what runs. The faust app, processors, sinks, the store, embedded services, the CLI."""

from factstream import _legacy

__version__ = "0.1.0"

# `schemas.*` and `streams.*`, the names before 0.2, resolve to the same modules with a warning.
_legacy.install()
