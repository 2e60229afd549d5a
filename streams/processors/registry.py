"""Discovery of processors through the ``factstream.processors`` entry-point group.

The built-ins are registered in factstream's own pyproject.toml exactly as a plug-in
registers its processors in its own: the built-ins are the first proof that it works.
Settings choose which run and in what order (``FACTSTREAM_PROCESSORS``,
``FACTSTREAM_PROCESSORS_DISABLED``).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from factstream.errors import ConfigurationError
from factstream.settings import Settings

ENTRY_POINT_GROUP = "factstream.processors"

#: The built-in stages, in pipeline order. They are hosted like plug-ins (streams/hosts/); they are
#: the ones that declare a ``store_write``.
BUILTINS = ("extract", "dedup", "contradict")

# Attributes every processor class declares (the Processor contract in base.py).
_CONTRACT = ("name", "input_topic", "output_topic", "input_type", "output_type")


@dataclass(frozen=True)
class ProcessorInfo:
    """What `factstream processors list` shows of one installed processor."""

    name: str
    distribution: str
    builtin: bool
    enabled: bool
    input_topic: str | None
    output_topic: str | None
    input_type: str | None
    output_type: str | None
    batch_size: int = 1
    error: str | None = None


def installed() -> dict[str, EntryPoint]:
    """Every installed processor's entry point, by name."""
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def installed_names() -> list[str]:
    """Every installed processor's name: the built-ins in pipeline order, then plug-ins by name."""
    found = installed()
    return [n for n in BUILTINS if n in found] + sorted(n for n in found if n not in BUILTINS)


def load_class(name: str) -> Any:
    """The processor class registered under ``name``, checked against the contract."""
    eps = installed()
    if name not in eps:
        known = ", ".join(sorted(eps)) or "none"
        raise ConfigurationError(
            f"no processor named {name!r} is installed (installed: {known}); "
            "install its package with pip, or check FACTSTREAM_PROCESSORS"
        )
    try:
        cls = eps[name].load()
    except Exception as exc:
        raise ConfigurationError(
            f"processor {name!r} cannot be imported: {type(exc).__name__}: {exc}"
        ) from exc
    missing = [attr for attr in _CONTRACT if not hasattr(cls, attr)] + [
        hook for hook in ("setup", "process", "close") if not callable(getattr(cls, hook, None))
    ]
    if missing:
        raise ConfigurationError(
            f"processor {name!r} does not satisfy the contract: missing {', '.join(missing)}"
        )
    if cls.name != name:
        raise ConfigurationError(f"processor registered as {name!r} calls itself {cls.name!r}; use one name")
    return cls


def load(name: str) -> Any:
    """Instantiate the processor registered under ``name``."""
    return load_class(name)()


def enabled_names(settings: Settings) -> list[str]:
    """The processors to run, in order: the configured list, else built-ins then plug-ins by name."""
    found = installed()
    if settings.processors:
        order = list(dict.fromkeys(settings.processors))
        unknown = [n for n in order if n not in found]
        if unknown:
            raise ConfigurationError(
                f"FACTSTREAM_PROCESSORS names processors that are not installed: {', '.join(unknown)}"
            )
    else:
        order = installed_names()
    return [n for n in order if n not in set(settings.processors_disabled)]


def describe(settings: Settings) -> list[ProcessorInfo]:
    """Every installed processor: enabled or not, which topics and records it reads and writes."""
    enabled = enabled_names(settings)
    rows = []
    eps = installed()
    names = enabled + sorted(n for n in eps if n not in enabled)
    for name in names:
        ep = eps[name]
        dist = ep.dist.name if ep.dist else "?"
        try:
            cls = load_class(name)
        except ConfigurationError as exc:
            rows.append(
                ProcessorInfo(name, dist, name in BUILTINS, False, None, None, None, None, error=str(exc))
            )
            continue
        rows.append(
            ProcessorInfo(
                name=name,
                distribution=dist,
                builtin=name in BUILTINS,
                enabled=name in enabled,
                input_topic=cls.input_topic,
                output_topic=cls.output_topic,
                input_type=cls.input_type.__name__ if cls.input_type else None,
                output_type=cls.output_type.__name__ if cls.output_type else None,
                batch_size=getattr(cls, "batch_size", 1) if hasattr(cls, "process_batch") else 1,
            )
        )
    return rows
