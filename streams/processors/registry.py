"""Discovery of processors through the ``factstream.processors`` entry-point group.

The built-ins are registered in factstream's own pyproject.toml exactly as a plug-in
registers its processors in its own: the built-ins are the first proof that it works.
"""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Any

from streams.errors import ConfigurationError

ENTRY_POINT_GROUP = "factstream.processors"


def available() -> dict[str, Any]:
    """Return every installed processor class by entry-point name (not yet instantiated)."""
    found: dict[str, Any] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        found[ep.name] = ep
    return found


def load(name: str) -> Any:
    """Instantiate the processor registered under ``name``."""
    eps = available()
    if name not in eps:
        known = ", ".join(sorted(eps)) or "none"
        raise ConfigurationError(
            f"no processor named {name!r} is installed (installed: {known}); "
            "is factstream installed with `pip install -e .`?"
        )
    return eps[name].load()()
