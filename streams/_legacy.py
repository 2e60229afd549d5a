"""The old import names ``schemas`` and ``streams``, kept for plug-ins for one release.

factstream used to install two top-level packages, ``streams`` and ``schemas``; both are now inside
one import name (``factstream`` and ``factstream.schemas``). Plug-ins written against the old names
(``from schemas.records import Claim``, ``from streams.errors import InvalidRecord``) keep working
once ``factstream`` is imported, which the worker and the CLI always do before loading a plug-in:
each old module name resolves to the same module object as its new name (one ``Claim`` class, so
``isinstance`` holds) and warns once with :class:`FactstreamDeprecationWarning`. The aliases go in
factstream 0.3.

Another installed distribution that really is called ``schemas`` or ``streams`` wins: the alias only
answers a name nothing else on ``sys.path`` provides, or one that resolves to factstream's own folder
(a source checkout on ``sys.path``).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import warnings
from pathlib import Path
from types import ModuleType

#: Old top-level name -> its new package.
ALIASES = {"schemas": "factstream.schemas", "streams": "factstream"}


class FactstreamDeprecationWarning(DeprecationWarning):
    """An old factstream import name was used (shown by default, unlike DeprecationWarning)."""


# Python hides DeprecationWarning outside __main__; a plug-in's author should see this one.
warnings.simplefilter("default", FactstreamDeprecationWarning)


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, new_name: str) -> None:
        self.new_name = new_name

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        # stacklevel 2 is the importing module: warnings skips importlib's own frames.
        warnings.warn(
            f"import {spec.name!r} is deprecated: use {self.new_name!r} (the old name goes in 0.3)",
            FactstreamDeprecationWarning,
            stacklevel=2,
        )
        return importlib.import_module(self.new_name)

    def exec_module(self, module: ModuleType) -> None:
        """Nothing to run: the module is the new name's, already executed."""


class _AliasFinder(importlib.abc.MetaPathFinder):
    """Resolves ``schemas[.x]`` and ``streams[.x]`` to the same modules under ``factstream``."""

    def find_spec(
        self, fullname: str, path: object = None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        top, _, rest = fullname.partition(".")
        new_top = ALIASES.get(top)
        if new_top is None or (not rest and _provided_elsewhere(top, new_top)):
            return None
        if rest and not isinstance(sys.modules.get(top), ModuleType):
            return None
        if rest and getattr(sys.modules[top], "__name__", None) != new_top:
            return None  # the old top-level name is someone else's package
        new_name = f"{new_top}.{rest}" if rest else new_top
        new_spec = importlib.util.find_spec(new_name)
        if new_spec is None:
            return None
        is_package = new_spec.submodule_search_locations is not None
        return importlib.machinery.ModuleSpec(fullname, _AliasLoader(new_name), is_package=is_package)


def _provided_elsewhere(top: str, new_top: str) -> bool:
    """Whether ``top`` is another distribution's package (not factstream's own folder)."""
    spec = importlib.machinery.PathFinder.find_spec(top)
    if spec is None:
        return False
    ours = importlib.util.find_spec(new_top)
    ours_dirs = {Path(p).resolve() for p in (ours.submodule_search_locations or [])} if ours else set()
    theirs = {Path(p).resolve() for p in (spec.submodule_search_locations or [])}
    return not (theirs and theirs <= ours_dirs)


def install() -> None:
    """Put the alias finder first on ``sys.meta_path`` (once)."""
    if not any(isinstance(f, _AliasFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _AliasFinder())
