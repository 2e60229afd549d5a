"""docs/architecture.md draws the parts of factstream and what each imports; this keeps it true.

The import graph is read with grimp (import-linter's engine) from the package as installed: the
repository's three folders linked under one ``factstream`` folder, as the wheel lays them out.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

pytest.importorskip("grimp")

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "architecture.md"
FOLDERS = {"streams": "", "schemas": "schemas", "bench": "bench"}
# Parts drawn one level deeper than the package's top: the processors package holds several.
SPLIT = ("processors",)


def part_of(module: str) -> str:
    """The part of the drawing a module belongs to (``processors.extract``, ``store``, ``cli``...)."""
    names = module.split(".")[1:]
    if not names:
        return "factstream"
    if names[0] in SPLIT and len(names) > 1:
        return ".".join(names[:2])
    return names[0]


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """Module -> modules it imports directly, read in a subprocess (this process's imports untouched)."""
    tree = tmp_path_factory.mktemp("installed")
    package = tree / "factstream"
    package.mkdir()
    for entry in (ROOT / "streams").iterdir():
        (package / entry.name).symlink_to(entry)
    for folder in ("schemas", "bench"):
        (package / folder).symlink_to(ROOT / folder)
    script = (
        "import json, sys, grimp; sys.path.insert(0, sys.argv[1]); "
        "g = grimp.build_graph('factstream', cache_dir=None); "
        "print(json.dumps({m: sorted(g.find_modules_directly_imported_by(m)) for m in g.modules}))"
    )
    out = subprocess.run([sys.executable, "-c", script, str(tree)], capture_output=True, text=True,  # noqa: S603
                         timeout=120, cwd=tree, check=True)
    return json.loads(out.stdout)


def actual_parts(graph) -> dict[str, set[str]]:
    deps: dict[str, set[str]] = defaultdict(set)
    for module, imports in graph.items():
        part = part_of(module)
        deps[part]  # noqa: B018 - every part is listed, importing nothing or not
        for imported in imports:
            if part_of(imported) != part:
                deps[part].add(part_of(imported))
    return deps


def drawn_parts() -> dict[str, set[str]]:
    """The table under "## What imports what": | `part` | ... | `a`, `b` |."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## What imports what", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, set[str]] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not cells[0].startswith("`"):
            continue
        rows[cells[0].strip("`")] = set(re.findall(r"`([^`]+)`", cells[-1]))
    return rows


def _table(deps: dict[str, set[str]]) -> str:
    rows = [f"| `{p}` | | {', '.join(f'`{d}`' for d in sorted(deps[p])) or '-'} |" for p in sorted(deps)]
    return "\n".join(rows)


def test_the_architecture_page_says_what_each_part_imports(graph):
    actual, drawn = actual_parts(graph), drawn_parts()
    assert drawn == dict(actual), (
        "docs/architecture.md no longer matches the code; the rows as the code is now:\n" + _table(actual))


def test_the_faces_are_imported_by_nothing_else_and_the_store_by_no_processor(graph):
    deps = actual_parts(graph)
    faces = {"cli", "api", "__main__"}
    assert not {p for p, d in deps.items() if p not in faces and d & faces}
    assert not {d for d in deps["store"] if d.startswith("processors") or d in {"app", "training"}}
