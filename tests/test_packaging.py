"""What `pip install .` gives a user: one import name, `factstream`, whose CLI, bench and plug-ins work.

The wheel is built from this checkout and installed (not editable) into a folder of its own, then run
from a directory outside the checkout, so nothing can come from the source tree by accident.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "factstream-topic-tagger"
# The repository's folders and the import names they install as (pyproject.toml, package-dir).
FOLDERS = {"streams": "factstream", "schemas": "factstream.schemas", "bench": "factstream.bench"}


def _pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *args],  # noqa: S603
                   check=True, timeout=600)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    _pip("wheel", "--no-deps", "--wheel-dir", str(out), str(ROOT))
    (built,) = out.glob("factstream-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """factstream and the example plug-in installed from wheels into a folder of their own."""
    site = tmp_path_factory.mktemp("site")
    _pip("install", "--no-deps", "--target", str(site), str(wheel), str(EXAMPLE))
    return site


def _run(site: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # The installed copy first on the path; its dependencies come from this environment.
    env = os.environ | {"PYTHONPATH": str(site), "PYTHONWARNINGS": "error::DeprecationWarning"}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=180,  # noqa: S603
                          cwd=cwd, env=env)


def test_the_wheel_installs_one_import_name_with_every_package_and_data_file(wheel: Path):
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/")[0] for n in names}
    assert {t for t in top if not t.endswith(".dist-info")} == {"factstream"}
    # every package folder of the checkout is in the wheel (pyproject.toml lists them one by one)
    for folder, name in FOLDERS.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            rel = init.relative_to(ROOT / folder).as_posix()
            packaged = f"{name.replace('.', '/')}/{rel}"
            assert packaged in names, f"{init} is not packaged: add it to pyproject.toml"
    # the files the code reads at run time
    for data in ("factstream/schemas/migrations/0001_init.sql", "factstream/web/index.html",
                 "factstream/processors/judge/model/combiner.json",
                 "factstream/samples/01-harbor-gazette.json"):
        assert data in names


def test_the_installed_cli_bench_and_example_plugin_work_from_outside_the_checkout(installed: Path, tmp_path):
    where = _run(installed, "-c", "import factstream, factstream.schemas.records as r; "
                 "print(factstream.__file__); print(r.__file__)", cwd=tmp_path)
    assert where.returncode == 0, where.stderr
    assert all(line.startswith(str(installed)) for line in where.stdout.split()), where.stdout

    help_ = _run(installed, "-m", "factstream", "--help", cwd=tmp_path)
    assert help_.returncode == 0 and "bench" in help_.stdout, help_.stderr
    bench = _run(installed, "-m", "factstream", "bench", "--help", cwd=tmp_path)
    assert bench.returncode == 0 and "--corpus" in bench.stdout, bench.stderr

    listed = _run(installed, "-m", "factstream", "processors", "list", "--json", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    rows = {r["name"]: r for r in json.loads(listed.stdout)}
    assert {"extract", "dedup", "contradict", "topic-tagger"} <= set(rows)
    assert rows["topic-tagger"]["distribution"] == "factstream-topic-tagger"


def test_a_plugin_using_the_old_import_names_still_loads_with_a_deprecation_warning(tmp_path):
    plugin = tmp_path / "old_plugin.py"
    plugin.write_text(
        "import warnings\n"
        "import factstream  # the worker imports it before loading plug-ins\n"
        "from factstream.errors import InvalidRecord\n"
        "from factstream.schemas.records import Claim\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    warnings.simplefilter('always')\n"
        "    from schemas.records import Claim as OldClaim\n"
        "    from streams.errors import InvalidRecord as OldInvalidRecord\n"
        "assert OldClaim is Claim and OldInvalidRecord is InvalidRecord, 'copies, not the same classes'\n"
        "messages = [str(w.message) for w in caught if issubclass(w.category, DeprecationWarning)]\n"
        "assert any(\"'schemas.records'\" in m and \"'factstream.schemas.records'\" in m for m in messages)\n"
        "assert all(w.filename == __file__ for w in caught), [w.filename for w in caught]\n"
        "print('ok')\n"
    )
    proc = subprocess.run([sys.executable, str(plugin)], capture_output=True, text=True, timeout=120,  # noqa: S603
                          cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr
