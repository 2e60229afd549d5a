"""Summaries of py-spy's raw (collapsed) stacks: which functions the samples fall in."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

# Frames of the interpreter's own machinery that say nothing about where the time goes.
_NOISE = re.compile(
    r"^(<module>|_run_module_as_main|_run_code|run_forever|_run_once|_run|run_until_complete)\b"
)


def _frame(raw: str) -> str:
    # py-spy frames look like "function (path/to/module.py:123)"; keep the function and file.
    name, _, where = raw.partition(" (")
    file = where.split(":")[0].rstrip(")")
    parts = Path(file).parts
    short = "/".join(parts[-2:]) if parts else file
    return f"{name} ({short})"


def _is_project(raw: str) -> bool:
    """A frame of factstream's own code (not the standard library or a dependency)."""
    where = raw.partition(" (")[2]
    # py-spy names files relative to sys.path; the CLI entry frames hold every sample, so say nothing.
    entry = ("streams/cli/", "streams/__main__")
    return where.startswith(("streams/", "schemas/")) and not where.startswith(entry)


def summarise(path: Path, top: int = 40) -> dict[str, Any]:
    """Shares of samples per function: inclusive (anywhere on the stack) and self (leaf)."""
    inclusive: Counter[str] = Counter()
    project: Counter[str] = Counter()
    leaf: Counter[str] = Counter()
    total = 0
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        frames = [_frame(f) for f in stack.split(";") if f and not _NOISE.match(f)]
        # Drop the process/thread label py-spy puts first.
        frames = [f for f in frames if not f.startswith(("process ", "thread "))]
        if not frames:
            continue
        total += n
        for f in set(frames):
            inclusive[f] += n
        raw_frames = stack.split(";")
        for f in {_frame(r) for r in raw_frames if _is_project(r)}:
            project[f] += n
        leaf[frames[-1]] += n
    return {
        "file": str(path),
        "samples": total,
        "inclusive": [(f, c / total) for f, c in inclusive.most_common(top)] if total else [],
        "self": [(f, c / total) for f, c in leaf.most_common(top)] if total else [],
        "project": [(f, c / total) for f, c in project.most_common(top)] if total else [],
    }
